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
