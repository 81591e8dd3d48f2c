extension CouncilConfig {
    /// One `[[models]]` entry: an LLM backend. Parsed and validated here; the Providers module uses it.
    public struct Model: Sendable, Equatable {
        /// The wire protocol of the backend.
        public enum Provider: String, Sendable, CaseIterable {
            /// Any server speaking OpenAI's chat completions API (llama.cpp, Ollama, vLLM, ...).
            case openAICompatible = "openai-compatible"
            /// OpenAI.
            case openAI = "openai"
            /// Anthropic.
            case anthropic
            /// Google Gemini.
            case gemini

            /// The public endpoint used when `endpoint` is empty; `nil` for openai-compatible, which needs one.
            public var defaultEndpoint: String? {
                switch self {
                case .openAICompatible: return nil
                case .openAI: return "https://api.openai.com/v1"
                case .anthropic: return "https://api.anthropic.com/v1"
                case .gemini: return "https://generativelanguage.googleapis.com/v1beta"
                }
            }
        }

        /// Where a model runs, which decides routing order and budgets.
        public enum Tier: String, Sendable, CaseIterable {
            /// On the home network: tried first, free, never blocked by a budget.
            case local
            /// A paid service: tried after local tiers, within the budget.
            case cloud
        }

        /// `name`: unique name used in replies, metrics and `agent/create`.
        public var name: String
        /// `provider`: `openai-compatible`, `openai`, `anthropic` or `gemini`.
        public var provider: Provider
        /// `endpoint`: base URL (`http://127.0.0.1:8080/v1`); empty takes the provider's public endpoint.
        public var endpoint: String
        /// `model`: the model id the backend expects (`llama3.2`, `gpt-4o-mini`).
        public var model: String
        /// `tier`: `local` or `cloud` (default `cloud`, so that spending is always budgeted unless declared local).
        public var tier: Tier
        /// `api_key_env`: environment variable holding the API key; empty for none.
        public var apiKeyEnvironmentVariable = ""
        /// `api_key_file`: file holding the API key (read before `api_key_env`); empty for none.
        public var apiKeyFile = ""
        /// `input_usd_per_mtok`: price per million input tokens in US dollars. Default 0.
        public var inputUSDPerMillionTokens = 0.0
        /// `output_usd_per_mtok`: price per million output tokens in US dollars. Default 0.
        public var outputUSDPerMillionTokens = 0.0
        /// `cached_input_usd_per_mtok`: price per million prompt tokens served from the provider's cache; unset means
        /// the input price.
        public var cachedInputUSDPerMillionTokens: Double?
        /// `max_tokens`: the longest answer asked of this model. Default 1024.
        public var maxTokens = 1024
        /// `connect_timeout_s`: how long connecting may take. Default 5.
        public var connectTimeoutSeconds = 5
        /// `request_timeout_s`: how long one attempt (request and whole answer) may take. Default 120.
        public var requestTimeoutSeconds = 120
        /// `max_attempts`: attempts per request for retryable failures (429, 529, 5xx, timeouts). Default 3.
        public var maxAttempts = 3
        /// `cooldown_s`: after `failure_threshold` consecutive failures the model is left alone this long. Default 30.
        public var cooldownSeconds = 30
        /// `failure_threshold`: consecutive failures that start a cooldown. Default 3.
        public var failureThreshold = 3
        /// `health_check_interval_s`: seconds between cheap health checks (`GET /models`); 0 turns them off. Default
        /// 30 for local models, 0 for cloud ones.
        public var healthCheckIntervalSeconds = 0
        /// The resolved API key, if any.
        public var apiKey: Secret?
        /// Where ``apiKey`` came from.
        public var apiKeySource = SecretSource.none

        /// A model entry with the given essentials and the defaults for the rest.
        public init(name: String, provider: Provider, endpoint: String, model: String, tier: Tier) {
            self.name = name
            self.provider = provider
            self.endpoint = endpoint
            self.model = model
            self.tier = tier
        }

        init(reading table: inout TableReader) {
            let problems = table.problems
            self.init(name: "", provider: .openAICompatible, endpoint: "", model: "", tier: .cloud)
            name = table.string("name", default: "")
            if !table.contains("name") {
                problems.invalid(table.name("name"), "is required")
            } else if let reason = NodeName.problem(with: name) {
                problems.invalid(table.name("name"), reason)
            }
            var providerIsValid = false
            if table.contains("provider") {
                let before = problems.problems.count
                provider = table.choice("provider", default: provider)
                providerIsValid = problems.problems.count == before
            } else {
                let choices = Provider.allCases.map { tomlQuoted($0.rawValue) }.joined(separator: ", ")
                problems.invalid(table.name("provider"), "is required (one of \(choices))")
            }
            endpoint = table.string("endpoint", default: "", expected: "a URL like http://127.0.0.1:8080/v1")
            if endpoint.isEmpty {
                if let fallback = provider.defaultEndpoint {
                    endpoint = fallback
                } else if providerIsValid {
                    problems.invalid(table.name("endpoint"), "is required for provider \"openai-compatible\"")
                }
            } else if !Self.isHTTPURL(endpoint) {
                problems.invalid(
                    table.name("endpoint"), "must be an http:// or https:// URL, got \(tomlQuoted(endpoint))")
            }
            model = table.string("model", default: "")
            if model.isEmpty { problems.invalid(table.name("model"), "is required (the backend's model id)") }
            tier = table.choice("tier", default: tier)
            apiKeyEnvironmentVariable = table.string("api_key_env", default: "")
            apiKeyFile = table.string("api_key_file", default: "")
            inputUSDPerMillionTokens = table.number("input_usd_per_mtok", default: 0, minimum: 0)
            outputUSDPerMillionTokens = table.number("output_usd_per_mtok", default: 0, minimum: 0)
            if table.contains("cached_input_usd_per_mtok") {
                cachedInputUSDPerMillionTokens = table.number("cached_input_usd_per_mtok", default: 0, minimum: 0)
            }
            if tier == .cloud && inputUSDPerMillionTokens == 0 && outputUSDPerMillionTokens == 0 {
                problems.invalid(
                    table.name("output_usd_per_mtok"),
                    "a cloud model needs its prices (input_usd_per_mtok, output_usd_per_mtok) so that the budget can "
                        + "cap its spend; set them, or tier = \"local\" if it costs nothing")
            }
            maxTokens = table.integer("max_tokens", default: maxTokens, in: 1...1_000_000)
            connectTimeoutSeconds = table.integer("connect_timeout_s", default: connectTimeoutSeconds, in: 1...600)
            requestTimeoutSeconds = table.integer("request_timeout_s", default: requestTimeoutSeconds, in: 1...3600)
            maxAttempts = table.integer("max_attempts", default: maxAttempts, in: 1...10)
            cooldownSeconds = table.integer("cooldown_s", default: cooldownSeconds, in: 0...86_400)
            failureThreshold = table.integer("failure_threshold", default: failureThreshold, in: 1...100)
            healthCheckIntervalSeconds = table.integer(
                "health_check_interval_s", default: tier == .local ? 30 : 0, in: 0...86_400)
        }

        /// Seconds between health checks; nil when off.
        public var effectiveHealthCheckInterval: Int? {
            healthCheckIntervalSeconds > 0 ? healthCheckIntervalSeconds : nil
        }

        /// Whether `text` is `http://` or `https://` followed by a host.
        static func isHTTPURL(_ text: String) -> Bool {
            for scheme in ["http://", "https://"] where text.hasPrefix(scheme) {
                let rest = text.dropFirst(scheme.count)
                return !rest.isEmpty && !rest.hasPrefix("/") && !rest.contains(where: \.isWhitespace)
            }
            return false
        }
    }
}
