"""``python -m shiftpractice.spc``: see :mod:`shiftpractice.spc.cli`."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
