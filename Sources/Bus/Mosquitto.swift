import CMosquitto
import Glibc

/// Events libmosquitto reports from its callbacks, already copied into Swift values.
protocol MosquittoDelegate: AnyObject, Sendable {
    func mosquittoDidConnect(reasonCode: Int32, reason: String)
    func mosquittoDidDisconnect(reasonCode: Int32)
    func mosquittoDidReceive(_ message: InboundMessage)
    func mosquittoDidSubscribe(messageID: Int32, grantedQoS: [Int32])
    func mosquittoDidPublish(messageID: Int32, reasonCode: Int32)
}

private let libraryInitialised: Bool = {
    mosquitto_lib_init()
    return true
}()

/// The only owner of a `struct mosquitto *`. Every libmosquitto call Council makes is in this file.
///
/// The network loop runs on one dedicated thread (`loop`) while publish and subscribe may be called from any thread;
/// the library guards its queues and its socket writes with its own mutexes. libmosquitto is left in its default,
/// unthreaded mode, so a publish writes its packet to the socket on the caller's thread at once; in threaded mode it
/// would only queue it and wake the network thread to write it, a thread hop on every reply. `loop` is our own, so
/// that the network thread is not woken for packets already written (see `loop`).
final class Mosquitto: @unchecked Sendable {  // the handle is only passed to libmosquitto's thread-safe calls
    private let handle: OpaquePointer
    private let delegate: MosquittoDelegate
    let protocolVersion: MQTTProtocol
    /// Readable when `loop` should stop waiting: a packet was left for it to write, or the client is stopping.
    private let wakeDescriptor: Int32

    init(options: BusOptions, delegate: MosquittoDelegate) throws(BusError) {
        _ = libraryInitialised
        guard let handle = mosquitto_new(options.clientID, options.cleanStart, nil) else {
            throw BusError(.library, "could not create an MQTT client (errno \(errno))")
        }
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeDescriptor >= 0 else {
            mosquitto_destroy(handle)
            throw BusError(.library, "could not create the network thread's wake-up eventfd (errno \(errno))")
        }
        self.handle = handle
        self.delegate = delegate
        self.protocolVersion = options.protocolVersion
        // libmosquitto gets an unretained pointer to this object: its callbacks only run inside calls made through
        // it (the network loop), so it is alive whenever they do.
        mosquitto_user_data_set(handle, Unmanaged.passUnretained(self).toOpaque())
        let version = options.protocolVersion == .v5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311
        mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, Int32(version))
        mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1)
        try configure(options)
        installCallbacks()
    }

    deinit {
        mosquitto_destroy(handle)
        close(wakeDescriptor)
    }

    private func configure(_ options: BusOptions) throws(BusError) {
        if !options.username.isEmpty || options.password != nil {
            let rc = mosquitto_username_pw_set(
                handle, options.username.isEmpty ? nil : options.username, options.password)
            try check(rc, "setting the broker username")
        }
        if let tls = options.tls {
            let rc = mosquitto_tls_set(
                handle, tls.caFile.isEmpty ? nil : tls.caFile, tls.caFile.isEmpty ? "/etc/ssl/certs" : nil,
                tls.certFile.isEmpty ? nil : tls.certFile, tls.keyFile.isEmpty ? nil : tls.keyFile, nil)
            try check(rc, "setting up TLS (ca_file, cert_file, key_file)")
            if tls.insecure { mosquitto_tls_insecure_set(handle, true) }
        }
        if let will = options.will {
            let rc = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set_v5(
                    handle, will.topic, Int32(bytes.count), bytes.baseAddress, Int32(will.qos), will.retain, nil)
            }
            try check(rc, "setting the last will on \(will.topic)")
        }
    }

    private func check(_ rc: Int32, _ what: String) throws(BusError) {
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw BusError(.library, "\(what): \(Mosquitto.describe(rc))", underlying: rc)
        }
    }

    /// libmosquitto's text for one of its return codes.
    static func describe(_ rc: Int32) -> String {
        if rc == MOSQ_ERR_ERRNO.rawValue { return String(cString: strerror(errno)) }
        return String(cString: mosquitto_strerror(rc))
    }

    /// Opens the TCP (or TLS) connection and sends CONNECT. Blocks for the TCP handshake and DNS.
    func connect(host: String, port: Int, keepalive: Int, sessionExpirySeconds: UInt32) -> Int32 {
        guard protocolVersion == .v5 else {
            return mosquitto_connect_bind_v5(handle, host, Int32(port), Int32(keepalive), nil, nil)
        }
        var properties: OpaquePointer? = nil
        mosquitto_property_add_int32(
            &properties, Int32(MQTT_PROP_SESSION_EXPIRY_INTERVAL.rawValue), sessionExpirySeconds)
        defer { mosquitto_property_free_all(&properties) }
        return mosquitto_connect_bind_v5(handle, host, Int32(port), Int32(keepalive), nil, properties)
    }

    /// Runs one iteration of the network loop, waiting up to `timeoutMillis` for traffic or `wake()`: reads what
    /// arrived, writes what is queued, and keeps the connection alive, as `mosquitto_loop` does.
    ///
    /// Unlike `mosquitto_loop` it does not watch libmosquitto's internal socket pair, to which every publish writes a
    /// byte to wake the network thread. Publishes write their packets themselves (see the type's documentation), so
    /// that wake-up is wasted: on a virtual machine it can cost the publisher ~20 µs (an interrupt to a halted CPU)
    /// and the network thread a turn of its loop. The few packets a publisher cannot write (the socket's buffer is
    /// full, or the network thread is inside a callback) are picked up through `wakeIfWritePending()`. The unread
    /// socket pair fills its buffer (a few hundred bytes of writes, ~200 KB of kernel memory) and then refuses
    /// further bytes, which libmosquitto ignores.
    func loop(timeoutMillis: Int32) -> Int32 {
        let socket = mosquitto_socket(handle)
        guard socket >= 0 else { return Int32(MOSQ_ERR_NO_CONN.rawValue) }
        let socketEvents = Int16(POLLIN) | (mosquitto_want_write(handle) ? Int16(POLLOUT) : 0)
        var descriptors = (
            pollfd(fd: socket, events: socketEvents, revents: 0),
            pollfd(fd: wakeDescriptor, events: Int16(POLLIN), revents: 0)
        )
        let ready = withUnsafeMutableBytes(of: &descriptors) { buffer in
            poll(buffer.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, timeoutMillis)
        }
        if ready < 0 && errno != EINTR { return Int32(MOSQ_ERR_ERRNO.rawValue) }
        if descriptors.1.revents != 0 {
            var count: UInt64 = 0
            _ = read(wakeDescriptor, &count, MemoryLayout<UInt64>.size)
        }
        if descriptors.0.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
            let rc = mosquitto_loop_read(handle, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue || mosquitto_socket(handle) < 0 { return rc }
        }
        if mosquitto_want_write(handle) {
            let rc = mosquitto_loop_write(handle, 1)
            if rc != MOSQ_ERR_SUCCESS.rawValue || mosquitto_socket(handle) < 0 { return rc }
        }
        return mosquitto_loop_misc(handle)
    }

    /// Makes `loop` stop waiting now.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeDescriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Wakes `loop` if libmosquitto holds data it has yet to write: call after queueing a packet from any thread.
    private func wakeIfWritePending() {
        if mosquitto_want_write(handle) { wake() }
    }

    /// Sends DISCONNECT (normal disconnection: the broker does not publish the will).
    func disconnect() -> Int32 {
        defer { wake() }
        return mosquitto_disconnect_v5(handle, 0, nil)
    }

    /// Sends a SUBSCRIBE; returns libmosquitto's code and the message id.
    func subscribe(_ subscription: Subscription) -> (rc: Int32, messageID: Int32) {
        var mid: Int32 = 0
        let rc = mosquitto_subscribe_v5(handle, &mid, subscription.filter, Int32(subscription.qos), 0, nil)
        wakeIfWritePending()
        return (rc, mid)
    }

    /// Sends a PUBLISH (or queues it while disconnected); returns libmosquitto's code and the message id.
    func publish(_ message: OutboundMessage) -> (rc: Int32, messageID: Int32) {
        var mid: Int32 = 0
        var properties: OpaquePointer? = nil
        defer { mosquitto_property_free_all(&properties) }
        if protocolVersion == .v5 {
            if let topic = message.responseTopic {
                mosquitto_property_add_string(&properties, Int32(MQTT_PROP_RESPONSE_TOPIC.rawValue), topic)
            }
            if let data = message.correlationData {
                data.withUnsafeBytes { bytes in
                    _ = mosquitto_property_add_binary(
                        &properties, Int32(MQTT_PROP_CORRELATION_DATA.rawValue), bytes.baseAddress,
                        UInt16(clamping: bytes.count))
                }
            }
            if let expiry = message.messageExpirySeconds {
                mosquitto_property_add_int32(&properties, Int32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL.rawValue), expiry)
            }
        }
        let rc = message.payload.withUnsafeBytes { bytes in
            mosquitto_publish_v5(
                handle, &mid, message.topic, Int32(bytes.count), bytes.baseAddress, Int32(message.qos),
                message.retain, properties)
        }
        wakeIfWritePending()
        return (rc, mid)
    }

    private func installCallbacks() {
        mosquitto_connect_v5_callback_set(handle) { mosq, context, rc, _, _ in
            let reason: String
            if rc == 0 {
                reason = "success"
            } else if rc < 0x80 {
                reason = String(cString: mosquitto_connack_string(rc))
            } else {
                reason = String(cString: mosquitto_reason_string(rc))
            }
            Mosquitto.delegate(context)?.mosquittoDidConnect(reasonCode: rc, reason: reason)
        }
        mosquitto_disconnect_v5_callback_set(handle) { _, context, rc, _ in
            Mosquitto.delegate(context)?.mosquittoDidDisconnect(reasonCode: rc)
        }
        mosquitto_subscribe_v5_callback_set(handle) { _, context, mid, count, granted, _ in
            let codes = (0..<Int(count)).map { granted![$0] }
            Mosquitto.delegate(context)?.mosquittoDidSubscribe(messageID: mid, grantedQoS: codes)
        }
        mosquitto_publish_v5_callback_set(handle) { _, context, mid, reason, _ in
            Mosquitto.delegate(context)?.mosquittoDidPublish(messageID: mid, reasonCode: reason)
        }
        mosquitto_message_v5_callback_set(handle) { _, context, message, properties in
            guard let message, let delegate = Mosquitto.delegate(context) else { return }
            delegate.mosquittoDidReceive(Mosquitto.copy(message.pointee, properties))
        }
    }

    private static func delegate(_ context: UnsafeMutableRawPointer?) -> MosquittoDelegate? {
        context.map { Unmanaged<Mosquitto>.fromOpaque($0).takeUnretainedValue().delegate }
    }

    /// Copies a message and its properties: libmosquitto frees both when the callback returns.
    private static func copy(_ message: mosquitto_message, _ properties: OpaquePointer?) -> InboundMessage {
        let payload: [UInt8]
        if let bytes = message.payload, message.payloadlen > 0 {
            payload = Array(UnsafeRawBufferPointer(start: bytes, count: Int(message.payloadlen)))
        } else {
            payload = []
        }
        var inbound = InboundMessage(
            topic: String(cString: message.topic), payload: payload, qos: Int(message.qos), retain: message.retain)
        guard let properties else { return inbound }
        var text: UnsafeMutablePointer<CChar>? = nil
        if mosquitto_property_read_string(properties, Int32(MQTT_PROP_RESPONSE_TOPIC.rawValue), &text, false) != nil,
            let text
        {
            inbound.responseTopic = String(cString: text)
            free(text)
        }
        var binary: UnsafeMutableRawPointer? = nil
        var length: UInt16 = 0
        if mosquitto_property_read_binary(
            properties, Int32(MQTT_PROP_CORRELATION_DATA.rawValue), &binary, &length, false) != nil
        {
            inbound.correlationData = binary.map { Array(UnsafeRawBufferPointer(start: $0, count: Int(length))) } ?? []
            free(binary)
        }
        var expiry: UInt32 = 0
        if mosquitto_property_read_int32(
            properties, Int32(MQTT_PROP_MESSAGE_EXPIRY_INTERVAL.rawValue), &expiry, false) != nil
        {
            inbound.messageExpirySeconds = expiry
        }
        return inbound
    }
}
