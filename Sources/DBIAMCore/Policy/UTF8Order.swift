/// Byte order of UTF-8 text: the order IAM policies and canonical JSON list their strings
/// in, the same in every process and locale. Compared on the bytes themselves, which is
/// far cheaper than walking two `UTF8View`s element by element.
enum UTF8Order {
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        var lhs = lhs, rhs = rhs
        return lhs.withUTF8 { left in
            rhs.withUTF8 { right in
                let common = min(left.count, right.count)
                var index = 0
                while index < common {
                    if left[index] != right[index] { return left[index] < right[index] }
                    index += 1
                }
                return left.count < right.count
            }
        }
    }

    static func equal(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && !precedes(lhs, rhs) && !precedes(rhs, lhs)
    }
}
