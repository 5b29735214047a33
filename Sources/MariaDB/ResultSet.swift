/// The rows (or the affected-row count) of one statement.
///
/// The cells are kept as the bytes the server sent, in one buffer, and become strings as
/// they are read: the grant tables of 10,000 accounts as arrays of strings took 6 MB,
/// most of it the `Y` and `N` columns of `mysql.db`, and now take 2 MB.
public struct ResultSet: Sendable, Hashable {
    public let columns: [String]
    public let affectedRows: Int
    private let cells: Cells

    /// The result of a statement that returns no rows.
    public init(affectedRows: Int) {
        self.init(columns: [], cells: Cells(reservingRows: 0, columns: 0), affectedRows: affectedRows)
    }

    /// Rows given as strings, each with a value (or nil for NULL) for every column.
    public init(columns: [String], rows: [[String?]], affectedRows: Int = 0) {
        var cells = Cells(reservingRows: rows.count, columns: columns.count)
        for row in rows {
            precondition(row.count == columns.count, "a row of \(row.count) values for \(columns.count) columns")
            for value in row {
                var value = value
                let appended = value?.withUTF8 { cells.append(UnsafeRawBufferPointer($0)) } ?? cells.append(nil)
                precondition(appended, "rows of more than 2 GiB")
            }
        }
        self.init(columns: columns, cells: cells, affectedRows: affectedRows)
    }

    init(columns: [String], cells: Cells, affectedRows: Int = 0) {
        self.columns = columns
        self.cells = cells
        self.affectedRows = affectedRows
    }

    public var rows: Rows { Rows(cells: cells, width: columns.count) }

    /// The rows in order; each cell becomes a string when it is read.
    public struct Rows: RandomAccessCollection, Sendable {
        fileprivate let cells: Cells
        fileprivate let width: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { width == 0 ? 0 : cells.count / width }
        public subscript(position: Int) -> Row { Row(cells: cells, first: position * width, width: width) }
    }

    /// One row's values, in column order; nil for NULL.
    public struct Row: RandomAccessCollection, Sendable {
        fileprivate let cells: Cells
        fileprivate let first: Int
        fileprivate let width: Int

        public var startIndex: Int { 0 }
        public var endIndex: Int { width }
        public subscript(column: Int) -> String? {
            precondition(column >= 0 && column < width, "column \(column) of a row of \(width)")
            return cells[first + column]
        }

        /// Whether the cell holds exactly these bytes (NULL holds none), asked without
        /// making a string of it: each row of the grant tables has a `Y` or `N` for every
        /// privilege.
        public func cell(_ column: Int, is text: StaticString) -> Bool {
            precondition(column >= 0 && column < width, "column \(column) of a row of \(width)")
            return cells.cell(first + column, is: text)
        }
    }

    /// Every cell's bytes, row after row, in one buffer.
    struct Cells: Sendable, Hashable {
        private var bytes: [UInt8] = []
        /// Where each cell ends in `bytes`, with `null` set for NULL: 4 bytes a cell
        /// (an array of optional strings takes 16, and a row array more).
        private var ends: [UInt32] = []
        private static let null: UInt32 = 1 << 31

        init(reservingRows rows: Int, columns: Int) {
            ends.reserveCapacity(rows * columns)
        }

        var count: Int { ends.count }

        /// Adds a cell; false, adding nothing, when the buffer would pass 2 GiB.
        mutating func append(_ cell: UnsafeRawBufferPointer?) -> Bool {
            guard let cell else {
                ends.append(UInt32(bytes.count) | Self.null)
                return true
            }
            guard bytes.count + cell.count < Int(Self.null) else { return false }
            bytes.append(contentsOf: cell)
            ends.append(UInt32(bytes.count))
            return true
        }

        func cell(_ index: Int, is text: StaticString) -> Bool {
            let end = ends[index]
            guard end & Self.null == 0 else { return false }
            let start = index == 0 ? 0 : Int(ends[index - 1] & ~Self.null)
            guard Int(end) - start == text.utf8CodeUnitCount else { return false }
            return bytes.withUnsafeBufferPointer { cell in
                (0..<text.utf8CodeUnitCount).allSatisfy { cell[start + $0] == text.utf8Start[$0] }
            }
        }

        subscript(index: Int) -> String? {
            let end = ends[index]
            guard end & Self.null == 0 else { return nil }
            let start = index == 0 ? 0 : Int(ends[index - 1] & ~Self.null)
            return bytes.withUnsafeBufferPointer { String(decoding: $0[start..<Int(end)], as: UTF8.self) }
        }
    }
}
