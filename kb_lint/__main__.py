from kb_lint.cli import main

raise SystemExit(main())
