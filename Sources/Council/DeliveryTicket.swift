import Logging
import Store
import Synchronization

/// Joins a reply sent before its request's journal commit with the journal id that commit assigns: whichever comes
/// second — the broker's acknowledgement or the id — hands the id to the journal writer, so the entry is marked done
/// exactly when both happened.
final class DeliveryTicket: Sendable {
    private enum State {
        case waiting
        case delivered
        case assigned(Int64)
        case closed
    }

    private let state = Mutex(State.waiting)
    private let writer: JournalWriter

    init(writer: JournalWriter) {
        self.writer = writer
    }

    /// The broker acknowledged the reply (network thread).
    func delivered() {
        let id: Int64? = state.withLock { state in
            switch state {
            case .waiting:
                state = .delivered
                return nil
            case .assigned(let id):
                state = .closed
                return id
            case .delivered, .closed:
                return nil
            }
        }
        if let id { writer.acknowledged(id) }
    }

    /// Closes the ticket if the broker already acknowledged the reply, so that the commit about to run records the
    /// request done at once; a later `assign` then does nothing. Returns whether it did (journal writer).
    func closeIfDelivered() -> Bool {
        state.withLock { state in
            guard case .delivered = state else { return false }
            state = .closed
            return true
        }
    }

    /// The journal commit assigned the request its id (journal writer).
    func assign(_ id: Int64) {
        let ready = state.withLock { state in
            switch state {
            case .waiting:
                state = .assigned(id)
                return false
            case .delivered:
                state = .closed
                return true
            case .assigned, .closed:
                return false
            }
        }
        if ready { writer.acknowledged(id) }
    }
}
