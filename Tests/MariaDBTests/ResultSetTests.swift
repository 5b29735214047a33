import MariaDB
import Testing

/// A result set keeps its cells as bytes in one buffer and gives them back as the strings
/// (or NULLs) they were, wherever they sit among the rows.
struct ResultSetTests {
    static let values: [[String?]] = [
        ["bench_p00000", "%", nil, "", "Y"],
        [nil, nil, nil, nil, nil],
        ["データ", "x'y", "N", "a\u{0}b", String(repeating: "long ", count: 40)],
        ["", "", "", "", ""],
    ]

    @Test func cellsReadBackAsTheyWereGiven() {
        let result = ResultSet(columns: ["a", "b", "c", "d", "e"], rows: Self.values)
        #expect(result.rows.count == 4)
        #expect(result.rows.map(Array.init) == Self.values)
        #expect(result.rows[2][0] == "データ")
        #expect(result.rows[1][3] == nil)
        #expect(result.rows[3][4] == "")
        #expect(result.rows[0].count == 5)
        #expect(result.rows.first?.first == "bench_p00000")
    }

    /// A cell asked for as bytes says what comparing its string would, NULL and the empty
    /// string included, wherever the cell sits (the first cell of the buffer too).
    @Test func aCellComparedAsBytesSaysWhatItsStringWould() {
        let result = ResultSet(columns: ["a", "b", "c", "d", "e"], rows: Self.values)
        for row in result.rows {
            for column in 0..<5 {
                for text: StaticString in ["Y", "N", "", "%", "bench_p00000", "データ", "bench_p0000"] {
                    #expect(row.cell(column, is: text) == (row[column] == "\(text)"), "\(String(describing: row[column])) is \(text)")
                }
            }
        }
        #expect(result.rows[0].cell(4, is: "Y"))
        #expect(!result.rows[1].cell(4, is: "Y"))
        #expect(!result.rows[1].cell(3, is: ""))
        #expect(result.rows[3].cell(3, is: ""))
    }

    @Test func resultsWithTheSameCellsAreEqual() {
        let one = ResultSet(columns: ["a", "b", "c", "d", "e"], rows: Self.values)
        let same = ResultSet(columns: ["a", "b", "c", "d", "e"], rows: Self.values)
        // NULL and the empty string differ, though both have no bytes.
        var nullForEmpty = Self.values
        nullForEmpty[0][3] = nil
        let other = ResultSet(columns: ["a", "b", "c", "d", "e"], rows: nullForEmpty)
        #expect(one == same)
        #expect(one.hashValue == same.hashValue)
        #expect(one != other)
    }

    @Test func aStatementWithoutRowsHasNone() {
        let result = ResultSet(affectedRows: 3)
        #expect(result.rows.isEmpty)
        #expect(result.columns.isEmpty)
        #expect(result.affectedRows == 3)
        #expect(ResultSet(columns: ["a"], rows: []).rows.isEmpty)
    }
}
