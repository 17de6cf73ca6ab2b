from netjournal.cli import entry

entry()
