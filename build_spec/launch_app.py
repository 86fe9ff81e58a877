"""Entry point of the windowed program (complaint-desk) in the frozen build."""
import sys

from ui.app import main

sys.exit(main())
