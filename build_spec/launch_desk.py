"""Entry point of the console program (desk) in the frozen build."""
import sys

from desk.cli import main

sys.exit(main())
