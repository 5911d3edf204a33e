from facturier.cli import main

raise SystemExit(main())
