#!/usr/bin/env python3
"""mirkg's main job: `python build.py` builds, validates, queries and releases the dataset.

`python build.py --help` lists the other commands (validate, query, imports). It is the `mirkg`
command of an installed package, with this clone as the project folder unless --root names another.
"""

from pathlib import Path

from mirkg.cli import run

if __name__ == "__main__":
    run(root=Path(__file__).resolve().parent, prog="python build.py")
