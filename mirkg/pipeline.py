"""The main job, stage by stage: source -> statements -> triples -> validation -> queries -> release."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import __version__
from .curation import Curation, load_curation
from .errors import BuildError
from .docs import OntologyDocs
from .imports import build_imports
from .kgx import kgx_files
from .mappings import MappingSet, direct_mapping_graph, load_mapping_sets, mapping_files
from .ontology_checks import format_failures, load_checks, run_checks
from .reasoning import check_consistency
from .ontology import IMPORTS_FILE, claim_relations, load_ontology
from .owl_release import owl_release_files
from .queries import Answer, catalog_turtle, StoredQuery, answer_as_tsv, bind, load_queries, run_oxigraph, store_from_ntriples
from .release import sha256sums, sorted_ntriples, turtle, write_tree
from .site import site_files
from .triples import build_graph
from .validation import Result, format_report, load_shapes, run_shacl


@dataclass
class Paths:
    data: Path
    ontology: Path
    shapes: Path
    queries: Path
    dist: Path


@dataclass
class Build:
    curation: Curation
    ontology: Graph
    data: Graph
    mapping_sets: list[MappingSet] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    answers: dict[str, Answer] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    reasoning: str = "not run"

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]


class _Clock:
    def __init__(self, timings: dict[str, float]):
        self.timings, self.last = timings, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(now - self.last, 4)
        self.last = now


def load_ontology_with_mappings(ontology_dir: Path) -> tuple[Graph, list[MappingSet]]:
    """The ontology as the build releases it, and its mapping sets. The skos:*Match triples of
    ontology/mappings/ travel with the ontology, so that a store holding the release's graphs
    can follow them (stored queries 80 and 81)."""
    ontology = load_ontology(ontology_dir)
    mapping_sets = load_mapping_sets(ontology_dir)
    ontology += direct_mapping_graph(mapping_sets)
    return ontology, mapping_sets


def compile_graph(paths: Paths, timings: dict[str, float] | None = None) -> Build:
    """Curated input -> checked records -> instance triples. Raises CurationError on bad input."""
    timings = {} if timings is None else timings
    clock = _Clock(timings)
    ontology, mapping_sets = load_ontology_with_mappings(paths.ontology)
    relations = claim_relations(ontology)
    clock.lap("load ontology")
    curation = load_curation(paths.data, relations)
    clock.lap("load curated input")
    data = build_graph(curation, ontology)
    clock.lap("emit triples")
    return Build(curation, ontology, data, mapping_sets=mapping_sets, timings=timings)


def check_imports(build: Build, paths: Paths) -> None:
    own = Graph().parse(paths.ontology / "mirkg.ttl", format="turtle")
    expected = build_imports(build.curation.reference, own, build.data)
    committed = Graph().parse(paths.ontology / IMPORTS_FILE, format="turtle")
    if set(expected) != set(committed):
        raise BuildError(
            f"{paths.ontology / IMPORTS_FILE} does not declare exactly the external terms in use; "
            "run `python build.py imports` to regenerate it, then commit it"
        )


def validate(build: Build, paths: Paths, engine: str) -> None:
    clock = _Clock(build.timings)
    build.results = run_shacl(build.data, load_shapes(paths.shapes), build.ontology, engine=engine)
    clock.lap(f"SHACL validation ({engine})")


def answer_queries(build: Build, paths: Paths) -> tuple[ox.Store, list[StoredQuery]]:
    clock = _Clock(build.timings)
    store = store_from_ntriples(sorted_ntriples(build.data) + sorted_ntriples(build.ontology))
    queries = load_queries(paths.queries)
    expand = curie_expander(build.curation)
    for query in queries:
        bindings = bind(query, query.example, expand)
        build.answers[query.name] = run_oxigraph(store, query, bindings)
    clock.lap("stored queries")
    return store, queries


def curie_expander(curation):
    """The CURIE expansion a stored query's parameters get: the project's own prefixes, then
    the curation's prefix table; None for an unknown prefix, which the caller reports."""
    from .namespaces import PREFIXES

    expand = curation.reference.converter.expand

    def expand_any(curie: str) -> str | None:
        prefix, _, local = curie.partition(":")
        if prefix in PREFIXES:
            return PREFIXES[prefix] + local
        try:
            return expand(curie)
        except Exception:  # noqa: BLE001 - an unknown prefix is reported by the caller
            return None

    return expand_any


def release_files(build: Build, queries: list[StoredQuery]) -> dict[str, bytes]:
    files = {
        "mirkg.ttl": turtle(build.data),
        "mirkg.nt": sorted_ntriples(build.data),
        "ontology.nt": sorted_ntriples(build.ontology),
        "validation-report.txt": format_report(build.results).encode("utf-8"),
    }
    for query in queries:
        suffix = {"SELECT": "tsv", "ASK": "txt"}.get(build.answers[query.name].form, "nt")
        files[f"queries/{query.name}.{suffix}"] = answer_as_tsv(build.answers[query.name]).encode("utf-8")
    files["queries/catalog.ttl"] = catalog_turtle(queries).encode("utf-8")  # the questions, as data
    files.update(site_files(build))  # dist/site/: the dataset page, drawn from stored query 90
    files.update(mapping_files(build.mapping_sets))  # dist/mappings.ttl|.nt, dist/mappings/*.sssom.tsv (issue 9)
    files.update(kgx_files(build))  # dist/kgx/nodes.tsv, edges.tsv in Biolink terms (issue 9)
    files["build-report.md"] = build_report(build, queries).encode("utf-8")
    files.update(owl_release_files(build.ontology, classify=build.reasoning == REASONED))  # ontology.owl|.ttl, mirkg-base.owl, mirkg-full.owl (issue 18)
    from .publish import release_artefacts  # the triplestore release: graphs, dumps, VoID/DCAT, nanopubs

    files.update(release_artefacts(build.ontology, build.data, build.curation, files))
    return files


def build_report(build: Build, queries: list[StoredQuery]) -> str:
    c = build.curation
    kinds = Counter(e.kind for e in c.entities.values())
    unresolved = sorted(e.id for e in c.entities.values() if e.curie is None)
    hedged = [s for s in c.statements if s.hedge]
    lines = [
        f"# mirkg build report (version {__version__})",
        "",
        f"- source: data/source/review.txt, sha256 {c.source.sha256}",
        f"- statements: {len(c.statements)} ({len(hedged)} hedged, "
        f"{sum(s.statement_type == 'limitation' for s in c.statements)} limitations, "
        f"{sum(s.citation is None for s in c.statements)} without a reference number)",
        f"- entities: {len(c.entities)} ({len(c.entities) - len(unresolved)} with a confirmed identifier, "
        f"{len(unresolved)} unresolved)",
        "- entities by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        f"- references: {len(c.references)} ("
        + ", ".join(f"{s} {n}" for s, n in sorted(Counter(r.status for r in c.references.values()).items())) + ")",
        f"- triples: {len(build.data)} instance, {len(build.ontology)} ontology (with its import module and mapping links)",
        "",
        "## Unresolved entities",
        "",
        *(f"- {eid}: {c.entities[eid].unresolved}" for eid in unresolved),
        "",
        "## Validation",
        "",
        f"{len(build.violations)} violation(s), "
        f"{sum(r.severity == 'Warning' for r in build.results)} warning(s); details in validation-report.txt.",
        "",
        *(f"- {r.severity}: {r.record or r.focus}: {r.message}" for r in build.results),
        "",
        "## OWL reasoning",
        "",
        build.reasoning,
        "",
        "## Stored queries",
        "",
        "| query | question | answer |",
        "|---|---|---|",
    ]
    for q in queries:
        a = build.answers[q.name]
        size = {"ASK": str(a.boolean).lower(), "SELECT": f"{len(a.rows)} row(s)"}.get(a.form, f"{len(a.triples)} triple(s)")
        example = " ".join(f"{k}={v}" for k, v in q.example.items())
        lines.append(f"| {q.name}{' (' + example + ')' if example else ''} | {q.question} | {size} |")
    lines += ["", "Stage timings vary from run to run, so they are kept out of this file: see timings.json.", ""]
    return "\n".join(lines)


REASONED = "HermiT (owlready2) finds the ontology, its import module and the data consistent"
SKIPPED = "skipped (--skip-reasoning): the OWL consistency of ontology and data was NOT checked"


def check_ontology(build: Build, paths: Paths) -> None:
    """The ontology quality checks (ontology/checks/*-violation.rq)."""
    clock = _Clock(build.timings)
    failures = run_checks(load_checks(paths.ontology), build.ontology, build.data)
    if failures:
        raise BuildError(format_failures(failures) + "\n  fix: correct the ontology (see ontology/checks/)")
    clock.lap("ontology checks")


class Reasoning:
    """OWL consistency with HermiT, in a thread: HermiT runs in its own JVM process, so the
    queries and release files are made meanwhile; result() raises what HermiT found."""

    def __init__(self, build: Build):
        self.build, self.started = build, time.perf_counter()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hermit")
        self.future = self.pool.submit(check_consistency, build.ontology, build.data)

    def result(self) -> None:
        try:
            self.future.result()
        finally:
            self.pool.shutdown()
        self.build.timings["OWL reasoning (HermiT, alongside the stages after it)"] = round(
            time.perf_counter() - self.started, 4)

    def cancel(self) -> None:
        """Stop waiting for HermiT (the build has failed elsewhere)."""
        self.pool.shutdown(wait=False, cancel_futures=True)


def run_build(paths: Paths, engine: str = "turbo", reason: bool = True) -> Build:
    """The whole job. Writes dist/ only when every stage has passed."""
    started = time.perf_counter()
    build = compile_graph(paths)
    clock = _Clock(build.timings)
    check_imports(build, paths)
    clock.lap("import module check")
    validate(build, paths, engine)
    if build.violations:
        raise ValidationFailed(build)
    check_ontology(build, paths)
    # Three slow stages side by side on two cores: pyLODE in a child process, HermiT in its JVM,
    # and the queries and release files here. The report states what the build checks; a
    # failure of either stops the build before anything is written.
    docs = OntologyDocs(build.ontology)
    reasoning = Reasoning(build) if reason else None
    build.reasoning = REASONED if reason else SKIPPED
    try:
        _, queries = answer_queries(build, paths)
        clock = _Clock(build.timings)
        files = release_files(build, queries)
        clock.lap("release files")
        if reasoning is not None:
            reasoning.result()
    except BaseException:
        docs.cancel()
        if reasoning is not None:
            reasoning.cancel()
        raise
    clock = _Clock(build.timings)
    files["docs/index.html"] = docs.result()
    clock.lap("ontology documentation (pyLODE, waited for)")
    files["SHA256SUMS"] = sha256sums(files)  # after every release file, before timings.json (which varies)
    # Timings differ from run to run; they live in their own file, outside the byte-identical set.
    build.timings["total before writing"] = round(time.perf_counter() - started, 4)
    files["timings.json"] = (json.dumps(build.timings, indent=2) + "\n").encode("utf-8")
    write_tree(paths.dist, files)
    return build


class ValidationFailed(Exception):
    def __init__(self, build: Build):
        super().__init__(f"{len(build.violations)} SHACL violation(s)")
        self.build = build
