"""``python -m jamsos_lib`` is the same as the ``jamsos`` command."""

import sys

from jamsos_lib.cli import main

if __name__ == "__main__":
    sys.exit(main())
