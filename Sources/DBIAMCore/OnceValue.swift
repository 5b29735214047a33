import Synchronization

/// A value made the first time it is asked for, once, on the thread that asks first;
/// a thread that asks meanwhile waits for it. For what many runs never need, such as
/// an index that only some lint rules read.
final class OnceValue<Value: Sendable>: Sendable {
    private let make: @Sendable () -> Value
    private let made = Mutex<Value?>(nil)

    init(_ make: @escaping @Sendable () -> Value) {
        self.make = make
    }

    var value: Value {
        made.withLock { made in
            if let made { return made }
            let value = make()
            made = value
            return value
        }
    }
}
