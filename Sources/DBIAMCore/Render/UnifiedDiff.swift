/// A line diff of two texts in the unified format of `diff -u`: `---`/`+++` labels, then
/// hunks `@@ -a,b +c,d @@` with `context` unchanged lines around each change. The edit
/// script is a shortest one (Myers' algorithm), so a reviewer sees only what changed.
public enum UnifiedDiff {
    /// The diff, or "" when the texts are equal.
    public static func render(old: String, new: String, oldLabel: String, newLabel: String, context: Int = 3) -> String {
        let oldLines = Line.split(old)
        let newLines = Line.split(new)
        let operations = editScript(oldLines, newLines)
        var output = ""
        for hunk in hunks(operations, context: context) {
            if output.isEmpty { output = "--- \(oldLabel)\n+++ \(newLabel)\n" }
            output += "@@ -\(range(start: hunk.oldStart, count: hunk.oldCount)) +\(range(start: hunk.newStart, count: hunk.newCount)) @@\n"
            for operation in operations[hunk.operations] {
                switch operation {
                case .keep(let index, _): output += " " + oldLines[index].rendered
                case .delete(let index): output += "-" + oldLines[index].rendered
                case .insert(let index): output += "+" + newLines[index].rendered
                }
            }
        }
        return output
    }

    /// One line and whether a line break ended it: a last line without one differs from
    /// the same text with one, as in `diff`.
    struct Line: Hashable {
        var text: Substring
        var terminated: Bool

        static func split(_ text: String) -> [Line] {
            var pieces = text.split(separator: "\n", omittingEmptySubsequences: false)
            let terminated = pieces.last == ""
            if terminated { pieces.removeLast() }
            return pieces.enumerated().map { index, piece in
                Line(text: piece, terminated: terminated || index < pieces.count - 1)
            }
        }

        var rendered: String {
            terminated ? text + "\n" : text + "\n\\ No newline at end of file\n"
        }
    }

    enum Operation: Equatable {
        /// Old line, new line.
        case keep(Int, Int)
        case delete(Int)
        case insert(Int)
    }

    /// A shortest edit script from `old` to `new`, in order. Lines the texts share at the
    /// start and end are kept without search; Myers' greedy search runs on the rest.
    static func editScript(_ old: [Line], _ new: [Line]) -> [Operation] {
        var prefix = 0
        while prefix < old.count && prefix < new.count && old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < old.count - prefix && suffix < new.count - prefix && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] {
            suffix += 1
        }
        var operations = (0..<prefix).map { Operation.keep($0, $0) }
        let middle = myers(Array(old[prefix..<old.count - suffix]), Array(new[prefix..<new.count - suffix]))
        for operation in middle {
            switch operation {
            case .keep(let oldIndex, let newIndex): operations.append(.keep(oldIndex + prefix, newIndex + prefix))
            case .delete(let oldIndex): operations.append(.delete(oldIndex + prefix))
            case .insert(let newIndex): operations.append(.insert(newIndex + prefix))
            }
        }
        for offset in 0..<suffix {
            operations.append(.keep(old.count - suffix + offset, new.count - suffix + offset))
        }
        return operations
    }

    /// Myers, "An O(ND) Difference Algorithm and Its Variations" (1986): for each number
    /// of edits d, the furthest point reached on every diagonal k = x - y; the frontiers
    /// are kept (only diagonals -d...d of each) to walk back from the end.
    private static func myers(_ old: [Line], _ new: [Line]) -> [Operation] {
        let n = old.count, m = new.count
        if n == 0 { return (0..<m).map(Operation.insert) }
        if m == 0 { return (0..<n).map(Operation.delete) }
        // frontiers[d][k + d + 1]: the furthest x on diagonal k after d edits; index 0
        // and 2d + 2 are sentinels for the diagonals just outside.
        var frontiers: [[Int]] = []
        var previous = [0, 0, 0]
        search: for d in 0...(n + m) {
            var frontier = [Int](repeating: 0, count: 2 * d + 3)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if d == 0 {
                    x = 0
                } else if k == -d || (k != d && furthest(previous, d - 1, k - 1) < furthest(previous, d - 1, k + 1)) {
                    x = furthest(previous, d - 1, k + 1)
                } else {
                    x = furthest(previous, d - 1, k - 1) + 1
                }
                var y = x - k
                while x < n && y < m && old[x] == new[y] {
                    x += 1
                    y += 1
                }
                frontier[k + d + 1] = x
                if x >= n && y >= m {
                    frontiers.append(frontier)
                    break search
                }
            }
            frontiers.append(frontier)
            previous = frontier
        }

        var operations: [Operation] = []
        var x = n, y = m
        for d in stride(from: frontiers.count - 1, through: 1, by: -1) {
            let k = x - y
            let before = frontiers[d - 1]
            let down = k == -d || (k != d && furthest(before, d - 1, k - 1) < furthest(before, d - 1, k + 1))
            let previousK = down ? k + 1 : k - 1
            let previousX = furthest(before, d - 1, previousK)
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1
                y -= 1
                operations.append(.keep(x, y))
            }
            if down {
                y -= 1
                operations.append(.insert(y))
            } else {
                x -= 1
                operations.append(.delete(x))
            }
        }
        while x > 0 && y > 0 {
            x -= 1
            y -= 1
            operations.append(.keep(x, y))
        }
        return operations.reversed()
    }

    private static func furthest(_ frontier: [Int], _ d: Int, _ k: Int) -> Int {
        frontier[k + d + 1]
    }

    struct Hunk {
        var operations: Range<Int>
        var oldStart: Int, oldCount: Int
        var newStart: Int, newCount: Int
    }

    /// Changes with `context` kept lines around them; changes closer than twice that
    /// share a hunk, as in `diff -u`.
    static func hunks(_ operations: [Operation], context: Int) -> [Hunk] {
        let changes = operations.indices.filter {
            if case .keep = operations[$0] { return false }
            return true
        }
        guard let first = changes.first else { return [] }
        var groups: [ClosedRange<Int>] = []
        var start = first, end = first
        for index in changes.dropFirst() {
            if index - end - 1 > 2 * context {
                groups.append(start...end)
                start = index
            }
            end = index
        }
        groups.append(start...end)

        // Lines of each text before each operation.
        var oldBefore: [Int] = [], newBefore: [Int] = []
        var oldSeen = 0, newSeen = 0
        for operation in operations {
            oldBefore.append(oldSeen)
            newBefore.append(newSeen)
            switch operation {
            case .keep: oldSeen += 1; newSeen += 1
            case .delete: oldSeen += 1
            case .insert: newSeen += 1
            }
        }
        oldBefore.append(oldSeen)
        newBefore.append(newSeen)

        return groups.map { group in
            let lower = max(0, group.lowerBound - context)
            let upper = min(operations.count, group.upperBound + context + 1)
            return Hunk(
                operations: lower..<upper,
                oldStart: oldBefore[lower], oldCount: oldBefore[upper] - oldBefore[lower],
                newStart: newBefore[lower], newCount: newBefore[upper] - newBefore[lower])
        }
    }

    /// `start,count` as `diff -u` writes it: 1-based, the count left out when it is 1,
    /// and for an empty range the line it follows.
    private static func range(start: Int, count: Int) -> String {
        switch count {
        case 0: "\(start),0"
        case 1: "\(start + 1)"
        default: "\(start + 1),\(count)"
        }
    }
}
