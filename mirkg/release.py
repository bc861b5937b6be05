"""Writing dist/: every file is prepared in memory, then the folder is replaced in one step.

A failed build leaves the previous dist/ exactly as it was: the new tree is written beside it and
swapped in by renames only when complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from rdflib import Graph


def sorted_ntriples(graph: Graph) -> bytes:
    data = graph.serialize(format="nt", encoding="utf-8")
    lines = sorted({ln for ln in data.decode("utf-8").splitlines() if ln.strip()})
    return ("\n".join(lines) + "\n").encode("utf-8")


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace `target` by a folder holding exactly `files` (relative path -> bytes)."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    holder = None
    try:
        for rel, content in sorted(files.items()):
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        if target.exists():
            holder = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.rename(target, holder / target.name)
        os.rename(staging, target)
    except BaseException:
        if holder is not None and not target.exists():
            os.rename(holder / target.name, target)
        shutil.rmtree(staging, ignore_errors=True)
        if holder is not None:
            shutil.rmtree(holder, ignore_errors=True)
        raise
    if holder is not None:
        shutil.rmtree(holder, ignore_errors=True)
