from selfeval_xl.cli import main

raise SystemExit(main())
