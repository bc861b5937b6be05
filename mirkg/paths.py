"""Where a project's inputs live: the folders of a project root.

A project folder holds data/, ontology/, shapes/ and queries/; the release is written to its dist/.
The root is a folder the user names (`--root`, or the current folder), never the package's own
location: an installed mirkg has no data beside it, and builds whichever clone it is pointed at.

The module-level names are that layout under the current folder, taken at import: the tests and
the benchmark run from the clone's root, as the README says.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import BuildError


@dataclass
class Paths:
    """The folders one build reads and writes."""

    data: Path
    ontology: Path
    shapes: Path
    queries: Path
    dist: Path

# what each input folder is for, in the order a project folder is described
INPUTS = {
    "data": "the curated input",
    "ontology": "the ontology",
    "shapes": "the SHACL shapes",
    "queries": "the stored queries",
}


def folders(root: Path) -> dict[str, Path]:
    """The input folders and dist/ of the project at root."""
    return {name: root / name for name in (*INPUTS, "dist")}


def check_layout(found: dict[str, Path], needed: list[str], root: Path) -> None:
    """Raise a BuildError naming every needed input folder that is not there, and how to fix it."""
    missing = [name for name in needed if not found[name].is_dir()]
    if not missing:
        return
    listed = "".join(f"\n  {found[name]} ({INPUTS[name]})" for name in missing)
    raise BuildError(
        f"{'a folder' if len(missing) == 1 else 'folders'} this command reads cannot be found:{listed}\n"
        f"  the project folder is {root}; a project folder holds data/, ontology/, shapes/ and queries/,"
        " as a clone of the mirkg repository does\n"
        "  fix: run the command in the project folder, or name it with --root FOLDER"
    )


ROOT = Path.cwd()
DATA = ROOT / "data"
ONTOLOGY = ROOT / "ontology"
SHAPES = ROOT / "shapes"
QUERIES = ROOT / "queries"
DIST = ROOT / "dist"
