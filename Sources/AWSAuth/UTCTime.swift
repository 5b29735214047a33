import FoundationEssentials

/// A moment's calendar fields in UTC, whole seconds (the fraction is dropped, not rounded).
struct UTCTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        return calendar
    }()

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        (self.year, self.month, self.day) = (year, month, day)
        (self.hour, self.minute, self.second) = (hour, minute, second)
    }

    init(_ moment: Date) {
        let components = Self.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: moment)
        self.init(
            year: components.year ?? 0, month: components.month ?? 0, day: components.day ?? 0,
            hour: components.hour ?? 0, minute: components.minute ?? 0, second: components.second ?? 0
        )
    }

    /// The moment these fields name, or nil when a field is out of range (month 13,
    /// February 30th, hour 24): Calendar would roll those over instead of refusing them.
    var date: Date? {
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second)
        else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = Self.calendar.date(from: components), UTCTime(date) == self else { return nil }
        return date
    }

    /// A field in decimal, zero-padded to `width` digits.
    func digits(_ field: KeyPath<UTCTime, Int>, _ width: Int) -> String {
        let decimal = String(self[keyPath: field])
        return String(repeating: "0", count: max(0, width - decimal.count)) + decimal
    }
}
