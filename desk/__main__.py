"""``python -m desk`` is the ``desk`` command."""
import sys

from desk.cli import main

sys.exit(main())
