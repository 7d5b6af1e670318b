from __future__ import annotations

from ecslint.cli import main

raise SystemExit(main())
