"""`python -m mirkg`: the `mirkg` command, for an environment whose scripts folder is not on the PATH."""

from .cli import run

run()
