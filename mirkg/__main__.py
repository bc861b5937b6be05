"""`python -m mirkg`: the `mirkg` command, for an environment whose scripts folder is not on the PATH."""

import sys

from .cli import main

sys.exit(main())
