from __future__ import annotations

from ecslint.cli.main import main

raise SystemExit(main())
