"""The house rules the code keeps: modules import each other without a circle, the IRI scheme is
minted and parsed in one module, the product has no code that only the benchmark uses, and
bench/ holds no second implementation of a stage of the build."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import ROOT

PACKAGE = ROOT / "mirkg"


def _imports(path: Path) -> set[str]:
    """The mirkg modules a module imports, at its top or inside a function; imports for type
    checkers only (under `if TYPE_CHECKING:`) are not imports at run time."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
               and getattr(node.test, "id", None) == "TYPE_CHECKING" for n in ast.walk(node)}
    found = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.module and node.module.startswith("mirkg."):
                found.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("mirkg."))
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    return (found & modules) - {path.stem, "__init__"}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        path.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_the_modules_import_each_other_without_a_circle():
    graph = {p.stem: _imports(p) for p in PACKAGE.glob("*.py")}
    assert graph["pipeline"] >= {"publish", "release", "validation"}  # the walk sees imports at all
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_a_circle_is_found_when_there_is_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_only_iris_knows_the_instance_namespace():
    # The instance namespace is `ID` of mirkg.namespaces; every other module mints and parses the
    # dataset's IRIs through mirkg.iris.
    users = sorted(p.name for p in PACKAGE.glob("*.py")
                   if p.stem not in ("iris", "namespaces")
                   and any(isinstance(n, ast.ImportFrom) and n.module and n.module.endswith("namespaces")
                           and any(a.name == "ID" for a in n.names)
                           for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))))
    assert users == []
    written = sorted(p.name for p in PACKAGE.glob("*.py") if p.stem != "iris"
                     and "w3id.org/mirkg/id/" in p.read_text(encoding="utf-8").replace("# ", "#"))
    assert set(written) <= {"kgx.py", "namespaces.py"}  # kgx: a comment with an example IRI


def test_bench_holds_no_second_build():
    # The benchmark times `python build.py`; the naive side (bench/naive.py) is the one deliberate
    # second way, and it writes no release.
    text = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "bench").glob("*.py")}
    for name, source in text.items():
        for product_only in ("ntriples_pieces", "StagedTree", "write_tree", "write_release", "ShaclRun",
                             "triples_of", "in_child", "NTriplesFeed"):
            assert product_only not in source, (name, product_only)
    # and the product has no hook that only the benchmark used to fill
    assert not any("read_yaml" in p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    assert "build.py" in text["__main__.py"]


def test_the_ontology_is_canonicalised_once_as_it_is_loaded():
    # Blank node labels are computed from their content once, where the ontology is parsed; every
    # other graph of the build labels its blank nodes from its content as it makes them. No module
    # canonicalises again or keeps a cache of canonical graphs.
    users = sorted(p.name for p in PACKAGE.rglob("*.py") if "to_canonical_graph" in p.read_text(encoding="utf-8"))
    assert users == ["ontology.py"]
    assert not any("_CANONICAL" in p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
