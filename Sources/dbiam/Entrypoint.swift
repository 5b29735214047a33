import DBIAMCommands

@main
struct Entrypoint {
    static func main() async {
        await DBIAM.main()
    }
}
