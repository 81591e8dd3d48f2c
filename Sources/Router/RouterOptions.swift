import Synchronization

/// Routing switches a dashboard may flip at run time (the `options` op): shared by every request.
public final class RouterOptions: Sendable {
    private let state: Mutex<State>

    /// The switches' values.
    public struct State: Sendable, Equatable {
        /// May questions the local tier cannot answer go to cloud models (within the budget)?
        public var cloudEscalation: Bool

        /// Creates a state.
        public init(cloudEscalation: Bool = true) {
            self.cloudEscalation = cloudEscalation
        }
    }

    /// Creates the switches with their starting values.
    public init(_ initial: State = State()) {
        state = Mutex(initial)
    }

    /// The current values.
    public var current: State { state.withLock { $0 } }

    /// Changes the values.
    public func update(_ change: (inout State) -> Void) {
        state.withLock { change(&$0) }
    }
}
