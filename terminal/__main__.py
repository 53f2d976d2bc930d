"""``python -m terminal``: the same as the ``trading-terminal`` command."""

from terminal.app import main

raise SystemExit(main())
