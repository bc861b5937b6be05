"""Shared fixtures: one build of the shipped data, and scratch copies of the curated input.
Helpers that test modules import live in helpers.py."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import ROOT, SCALE, compile_graph, compiled_sparql_reused
from mirkg import paths
from mirkg.cli import main
from mirkg.pipeline import Paths
from mirkg.release_index import CACHE_VARIABLE


_STORES: list[str] = []  # the scratch folder for release databases this session made, if any


def pytest_unconfigure(config):
    for folder in _STORES:
        shutil.rmtree(folder, ignore_errors=True)


def pytest_configure(config):
    # The release databases that `query` makes (mirkg.release_index) go to a scratch folder, not
    # the user's cache; the subprocesses the tests start inherit it.
    if not os.environ.get(CACHE_VARIABLE):
        _STORES.append(tempfile.mkdtemp(prefix="mirkg-test-stores-"))
        os.environ[CACHE_VARIABLE] = _STORES[0]
    # mirkg.paths takes the project folder from the current folder, as the `mirkg` command does.
    if paths.ROOT.resolve() != ROOT:
        raise pytest.UsageError(f"run the tests from the clone's root: cd {ROOT} && python -m pytest "
                                f"(mirkg.paths reads the project from the current folder, now {paths.ROOT})")


@pytest.fixture(scope="session")
def built_dist(tmp_path_factory) -> Path:
    """dist/ of one build of the shipped data, in a scratch folder."""
    dist = tmp_path_factory.mktemp("release") / "dist"
    assert main(["--dist", str(dist)]) == 0
    return dist


@pytest.fixture(scope="session")
def served_dist(tmp_path_factory) -> Path:
    """dist/ of the shipped data built without files for its records' and nanopublications'
    documents (`--documents served`): `serve` makes them."""
    dist = tmp_path_factory.mktemp("served") / "dist"
    assert main(["--dist", str(dist), "--documents", "served"]) == 0
    return dist


@pytest.fixture(scope="session")
def build():
    """The shipped data compiled to triples (no validation, nothing written)."""
    return compile_graph(Paths(paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST))


@pytest.fixture(scope="session", autouse=True)
def _reference_engine_compiles_once():
    with compiled_sparql_reused():
        yield


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A scratch copy of data/ to break on purpose."""
    target = tmp_path / "data"
    shutil.copytree(paths.DATA, target)
    return target


@pytest.fixture(scope="session")
def scaled_data(tmp_path_factory) -> Path:
    """The curated input at scale 2 (bench/corpus.py): a data/ folder with two copies of every
    entity and statement, fresh ids for the second."""
    from bench.corpus import make_corpus

    return make_corpus(paths.DATA, tmp_path_factory.mktemp("scaled") / "data", SCALE)


@pytest.fixture(scope="session")
def scaled(scaled_data):
    """The scale-2 corpus, compiled by the build's own code (rdflib graph)."""
    return compile_graph(Paths(scaled_data, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST))


@pytest.fixture(scope="module")
def resolver(built_dist):
    """What the release's tree answers for a path and an Accept (mirkg.linked_data.resolve, as the
    local front and the Apache rules do)."""
    from mirkg.linked_data import DocumentIndex, resolve, term_anchors

    terms = term_anchors((built_dist / "docs" / "index.html").read_text(encoding="utf-8"),
                         (built_dist / "ontology.nt").read_bytes())
    describes = DocumentIndex(built_dist)

    def answer(path, accept=None):
        return resolve(path, accept, lambda rel: (built_dist / rel).is_file(), terms, describes=describes)

    return answer
