extension CouncilConfig {
    /// `[control]`: who may change what the node does (the control ops: `options` changes, `budget/reset`, ...).
    public struct ControlSection: Sendable, Equatable {
        /// `token_file`: file holding the control token; empty for none.
        public var tokenFile = ""
        /// `token_env`: environment variable holding the control token. Default `COUNCIL_CONTROL_TOKEN`.
        public var tokenEnvironmentVariable = "COUNCIL_CONTROL_TOKEN"
        /// The resolved token (systemd credential `control_token`, then `token_file`, then `token_env`); nil leaves
        /// the control ops open to anyone the broker lets publish them.
        public var token: Secret?
        /// Where ``token`` came from.
        public var tokenSource = SecretSource.none

        /// The defaults.
        public init() {}

        init(reading table: inout TableReader) {
            tokenFile = table.string("token_file", default: tokenFile)
            tokenEnvironmentVariable = table.string("token_env", default: tokenEnvironmentVariable)
        }
    }
}
