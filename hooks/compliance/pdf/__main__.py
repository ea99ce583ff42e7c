"""Print the guide as one PDF: `python -m compliance.pdf --help`."""

import sys

from .guide import main

sys.exit(main())
