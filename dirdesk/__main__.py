from dirdesk.cli import main

raise SystemExit(main())
