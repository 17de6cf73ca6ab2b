from netjournal.launch import entry

entry()
