/// `apply --lock-timeout`: how long to wait while another apply holds a cluster's lock,
/// as given (for messages) and in whole seconds, the unit of the server's GET_LOCK.
struct LockTimeout: Sendable {
    var text: String
    var seconds: Int

    /// The longest wait: as long as `--timeout` allows a statement.
    static let maximumSeconds = 86_400

    /// Fail at once, as without the flag.
    static let zero = LockTimeout(text: "0", seconds: 0)

    /// `0`, or whole numbers each followed by its unit: `30s`, `2m`, `1h30m`. Nil for
    /// anything else: a number without its unit would have to guess one.
    init?(_ text: String) {
        if text == "0" {
            self = .zero
            return
        }
        let units: [Character: Int] = ["h": 3600, "m": 60, "s": 1]
        var total = 0, digits = ""
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            // Seven digits of any unit are more than the longest wait, and cannot overflow.
            guard let unit = units[character], !digits.isEmpty, digits.count <= 7, let value = Int(digits) else { return nil }
            total += value * unit
            digits = ""
        }
        guard digits.isEmpty, !text.isEmpty else { return nil }
        self.init(text: text, seconds: total)
    }

    private init(text: String, seconds: Int) {
        self.text = text
        self.seconds = seconds
    }

    var duration: Duration { .seconds(seconds) }
}
