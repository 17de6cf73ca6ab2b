from netjournal.cli import main

raise SystemExit(main())
