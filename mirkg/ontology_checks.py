"""Ontology quality checks in the style of ROBOT report: SPARQL files in ontology/checks/ named
*-violation.rq, each returning one row per failure (no row, no failure)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

CHECKS_DIR = "checks"

# Checks the build runs on the ontology alone (its own axioms, import module and mapping links).
# Every OBO term the data uses is already held to a declaration of the import module by the check
# on the emitted triples (pipeline.check_imports), which fails the build before this; the scan of
# every triple of the store for them again took 4 of the 9 s of the checks at the benchmark's
# scale 1000.
ONTOLOGY_ONLY = frozenset({"undeclared-external-term"})


def load_checks(ontology_dir: Path) -> dict[str, str]:
    return {p.name.removesuffix("-violation.rq"): p.read_text(encoding="utf-8")
            for p in sorted((ontology_dir / CHECKS_DIR).glob("*-violation.rq"))}


def store_of(*graphs: Graph) -> ox.Store:
    """A store of rdflib graphs (the checks' fixtures); the build runs the checks on its own."""
    store = ox.Store()
    for g in graphs:
        store.bulk_load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def run_checks(checks: dict[str, str], store: ox.Store) -> dict[str, list[tuple[str, ...]]]:
    """Failures per check on the store's default graph (the ontology and the data), as rows of
    plain values; checks without failures are left out."""
    failures = {}
    for name, query in checks.items():
        solutions = store.query(query)
        rows = sorted(
            tuple("" if sol[v] is None else sol[v].value for v in solutions.variables) for sol in solutions
        )
        if rows:
            failures[name] = rows
    return failures


def run_build_checks(checks: dict[str, str], store: ox.Store, ontology_store: ox.Store) -> dict[str, list[tuple[str, ...]]]:
    """The checks as the build runs them: those of ONTOLOGY_ONLY on ontology_store (the ontology
    alone), the others on store (the ontology and the data)."""
    on_data = {name: query for name, query in checks.items() if name not in ONTOLOGY_ONLY}
    on_ontology = {name: query for name, query in checks.items() if name in ONTOLOGY_ONLY}
    return {**run_checks(on_data, store), **run_checks(on_ontology, ontology_store)}


def format_failures(failures: dict[str, list[tuple[str, ...]]]) -> str:
    lines = []
    for name, rows in sorted(failures.items()):
        lines.append(f"ontology check '{name}' fails for {len(rows)} term(s):")
        lines += [f"  - {' | '.join(row)}" for row in rows]
    return "\n".join(lines)
