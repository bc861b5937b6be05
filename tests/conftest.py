"""Shared fixtures: one build of the shipped data, and scratch copies of the curated input."""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph

from mirkg import paths
from mirkg.cli import main
from mirkg.curation import Curation
from mirkg.pipeline import Paths, compile_curation
from mirkg.triples import build_graph

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


@dataclass(frozen=True)
class Compiled:
    """The curated input read and checked, and its triples in an rdflib graph: what the tests
    inspect. The build emits the same triples (mirkg.triples) as a list, for its store."""

    curation: Curation
    ontology: Graph
    data: Graph
    mapping_sets: list


def compile_graph(p: Paths) -> Compiled:
    ontology, mapping_sets, curation = compile_curation(p)
    return Compiled(curation, ontology, build_graph(curation, ontology), mapping_sets)


@pytest.fixture(scope="session")
def build():
    """The shipped data compiled to triples (no validation, nothing written)."""
    return compile_graph(Paths(paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST))


_COMPILED_SPARQL: dict[tuple, object] = {}


@contextmanager
def compiled_sparql_reused():
    """pyshacl hands rdflib the text of a SHACL-SPARQL query once per focus node, and rdflib
    parses it anew every time (about 20 ms, most of the reference engine's run over the 140
    shape fixtures). A compiled query can be evaluated again with other bindings (that is what
    rdflib's prepareQuery is for), so compiling each text once changes no result, only the
    time. A library's internals are not the product's to patch: the tests do it, for their run."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            if key not in _COMPILED_SPARQL:
                _COMPILED_SPARQL[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = _COMPILED_SPARQL[key]
        return processor.evalQuery(self.graph, strOrQuery, initBindings, base)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


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
