import Bus
import JSON
import Store

/// Everything the daemon needs to run, derived from the configuration.
public struct DaemonSettings: Sendable {
    /// The node's topics.
    public var topics: Topics
    /// Broker connection; the daemon adds its subscriptions, will and announcements.
    public var bus: BusOptions
    /// Folder for the SQLite database.
    public var stateDirectory: String
    /// Largest request payload accepted.
    public var maxPayloadBytes: Int
    /// SQLite durability setting for the journal.
    public var synchronous: Database.Synchronous
    /// How long an answered request's key still counts as a duplicate.
    public var dedupeWindowMillis: Int64
    /// The non-secret configuration, published in `info`.
    public var publicConfiguration: JSONObject
    /// How long a request that must be waited for may take before it is answered with `timeout`.
    public var requestTimeoutMillis: Int = 30_000
    /// Metrics publishing and the Prometheus endpoint.
    public var metrics = CouncilConfig.MetricsSection()
    /// Home Assistant discovery.
    public var homeAssistant = CouncilConfig.HomeAssistantSection()
    /// The IANA zone whose midnight starts the daily figures (`[budget] timezone`).
    public var timeZone = "UTC"
    /// The token control ops (`options` changes, `budget/reset`, ...) must carry; nil leaves them open.
    public var controlToken: String?
    /// Failpoint for crash tests: wait this long between journaling a request and answering it. Set only from
    /// the `COUNCIL_TEST_DELAY_BEFORE_ANSWER_MS` environment variable; 0 in normal operation.
    public var testDelayBeforeAnswerMillis: Int = 0

    /// Creates settings.
    public init(
        topics: Topics, bus: BusOptions, stateDirectory: String, maxPayloadBytes: Int = 262_144,
        synchronous: Database.Synchronous = .normal, dedupeWindowMillis: Int64 = 600_000,
        publicConfiguration: JSONObject = JSONObject()
    ) {
        self.topics = topics
        self.bus = bus
        self.stateDirectory = stateDirectory
        self.maxPayloadBytes = maxPayloadBytes
        self.synchronous = synchronous
        self.dedupeWindowMillis = dedupeWindowMillis
        self.publicConfiguration = publicConfiguration
    }

    /// The database file inside the state folder.
    public var databasePath: String { stateDirectory + "/council.db" }
}
