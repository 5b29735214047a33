import Foundation
import Testing

import AWSAuth

@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("2026-11-29T12:00:00Z", 1_795_953_600.0),
        ("2026-11-29t12:00:00z", 1_795_953_600.0),
        ("2026-11-29 12:00:00Z", 1_795_953_600.0),
        ("2026-11-29T21:00:00+09:00", 1_795_953_600.0),
        ("2026-11-29T07:30:00-04:30", 1_795_953_600.0),
        ("2026-11-29T12:00:00+00:00", 1_795_953_600.0),
        ("2026-11-29T12:00:00.250Z", 1_795_953_600.25),
        ("1970-01-01T00:00:00Z", 0.0),
        ("2028-02-29T00:00:00Z", 1_835_395_200.0),
    ])
    func parses(text: String, secondsSince1970: Double) throws {
        let date = try #require(RFC3339.date(from: text))
        #expect(date.timeIntervalSince1970 == secondsSince1970)
    }

    @Test(arguments: [
        "", "2026-11-29", "2026-11-29T12:00Z", "2026-11-29T12:00:00", "2026-11-29T12:00:00+0900",
        "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-11-29T24:00:00Z",
        "2026-11-29T12:60:00Z", "2026-11-29T12:00:60Z", "2026-11-29T12:00:00.Z", "2026-11-29T12:00:00Z ",
        " 2026-11-29T12:00:00Z", "26-11-29T12:00:00Z", "2026-11-29T12:00:00+24:00", "２０２６-11-29T12:00:00Z",
    ])
    func rejects(text: String) {
        #expect(RFC3339.date(from: text) == nil)
    }

    @Test func formatsWholeSecondsInUTC() {
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 1_795_953_600.999)) == "2026-11-29T12:00:00Z")
        #expect(RFC3339.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
    }
}
