/// Turns TOML text into ``TOMLNode``s with Council's own strict TOML 1.0 parser (``TOMLParser``).
enum TOMLDocument {
    /// Parses `text`: the root table's members in document order. A syntax error names `origin` (the file path)
    /// with the 1-based line and column: `<origin>:3:14: invalid TOML: expected a value, found '='`.
    static func parse(_ text: String, origin: String) throws(ConfigError) -> [(key: String, value: TOMLNode)] {
        do throws(TOMLSyntaxError) {
            var parser = TOMLParser(text)
            return try parser.parseDocument().members
        } catch {
            let (line, column) = TOMLSyntaxError.lineAndColumn(of: error.offset, in: text)
            throw ConfigError(.syntax, key: nil, message: "\(origin):\(line):\(column): invalid TOML: \(error.message)")
        }
    }
}
