"""Shared fixtures: one build of the shipped data, and scratch copies of the curated input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mirkg import paths
from mirkg.cli import main
from mirkg.pipeline import Paths, compile_graph

ROOT = paths.ROOT


def tree_digest(folder: Path) -> dict[str, bytes]:
    """Every file under the folder with its bytes, to see whether anything changed."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory) -> Path:
    """dist/ of one build of the shipped data, in a scratch folder."""
    dist = tmp_path_factory.mktemp("release") / "dist"
    assert main(["--dist", str(dist)]) == 0
    return dist


@pytest.fixture(scope="session")
def build():
    """The shipped data compiled to triples (no validation, nothing written)."""
    return compile_graph(Paths(paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST))


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A scratch copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target
