"""What the shell and the app both need, written once below both: the ledger and its
balance, snooze, and reading people with their last dates. Imports the domain and the
store; never Textual, never the shell's or the app's modules."""
