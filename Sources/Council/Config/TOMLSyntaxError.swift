/// Why a TOML document is invalid, and where: a byte offset into its UTF-8 text.
///
/// ``TOMLDocument`` turns it into a ``ConfigError`` whose message starts with the 1-based line and column.
struct TOMLSyntaxError: Error {
    /// The UTF-8 byte offset of the offending character (the document's length for "end of file").
    let offset: Int
    /// What is wrong, e.g. `duplicate key 'url'`.
    let message: String

    /// The 1-based line and column of `offset` in `text`; columns count Unicode scalars, a byte order mark does
    /// not count.
    static func lineAndColumn(of offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        let bytes = text.utf8
        let skipped = bytes.starts(with: TOMLScanner.byteOrderMark) ? TOMLScanner.byteOrderMark.count : 0
        for byte in bytes.prefix(offset).dropFirst(skipped) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
