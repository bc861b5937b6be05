#!/usr/bin/env python3
"""mirkg's main job: `python build.py` builds, validates, queries and releases the dataset.

`python build.py --help` lists the other commands (validate, query, imports).
"""

import sys

from mirkg.cli import main

if __name__ == "__main__":
    sys.exit(main())
