"""Run the link checker: `python -m compliance.links --help`."""

import sys

from .cli import main

sys.exit(main())
