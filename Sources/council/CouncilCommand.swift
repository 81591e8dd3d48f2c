import ArgumentParser
import Council

/// `council`: the daemon and its command-line client.
@main
struct CouncilCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "council",
        abstract: "An AI assistant appliance for home labs, on MQTT.",
        version: CouncilVersion.current,
        subcommands: [
            Serve.self, Ask.self, Run.self, Exec.self, MemoryCommand.self, KnowledgeCommand.self, ConfigCommand.self,
        ]
    )
}

/// Options shared by every command that reads the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Configuration file (default: /etc/council/council.toml when it exists).")
    var config: String?

    @Option(name: .long, help: "Broker URL, overriding mqtt.url (mqtt://host:1883 or mqtts://host:8883).")
    var broker: String?

    @Option(name: .long, help: "Node name, overriding node.name.")
    var node: String?
}
