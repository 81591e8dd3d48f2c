import Logging
import Router
import Skills
import Store

extension Capabilities {
    /// Everything a node configured by `config` serves: the skills in cascade order, the LLM tiers, the ops beyond
    /// `ask`/`info`/`health`/`options`, and the run-time options.
    public static func standard(
        config: CouncilConfig, database: Database, events: EventPublisher, logger: Logger
    ) throws -> Capabilities {
        let routerOptions = RouterOptions(.init(cloudEscalation: config.router.cloudEscalation))
        var capabilities = Capabilities(skills: [MathSkill()])
        capabilities.options.append(
            .toggle(
                "cloud_escalation", configured: config.router.cloudEscalation,
                read: { routerOptions.current.cloudEscalation },
                write: { on in routerOptions.update { $0.cloudEscalation = on } }))
        return capabilities
    }
}
