print("dbiam")
