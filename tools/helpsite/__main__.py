from helpsite.commands import main

raise SystemExit(main())
