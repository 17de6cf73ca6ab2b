from netjournal.early import entry

entry()
