"""The two pipelines the benchmark times, stage by stage, on the same curated input.

fast  - what the engines were chosen for: the project's loader (libyaml, indexed quote and
        sentence look-ups), triples emitted as a plain list and written as sorted N-Triples
        without an rdflib store, pyoxigraph for the store and every query, pyshacl-turbo for
        SHACL's core constraints (fed the N-Triples) and pyoxigraph for its SHACL-SPARQL
        constraints (each run once over all focus nodes, mirkg/shacl_sparql.py), HermiT on a
        homomorphic summary of the data for OWL consistency (bench/summary.py; it falls back
        to HermiT on everything when the summary is inconsistent), pyoxigraph to write Turtle.
naive - the obvious way: pure-Python YAML, an rdflib graph, pyshacl with its defaults (only the
        options the shapes need: SHACL-AF and warnings allowed), rdflib SPARQL for the checks
        and the queries, HermiT on the whole graph, rdflib to write Turtle and N-Triples.

Both run the same stored queries (queries/*.rq), shapes (shapes/*.ttl) and ontology checks,
read at run time. Each stage is reported as soon as it ends, so that a run stopped by its time
budget still reports the stages it finished.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import astuple
from pathlib import Path

import pyoxigraph as ox

from mirkg import paths
from mirkg.curation import load_curation
from mirkg.namespaces import PREFIXES
from mirkg.ontology import claim_relations, load_ontology
from mirkg.ontology_checks import load_checks
from mirkg.pipeline import curie_expander
from mirkg.queries import answer_as_tsv, bind, load_queries, run_oxigraph, run_rdflib, store_from_ntriples
from mirkg.release import sorted_ntriples, sorted_ntriples_of, turtle, write_tree
from mirkg.shacl_sparql import run as shacl_sparql_run
from mirkg.shacl_sparql import split_shapes
from mirkg.validation import format_report, load_shapes, result_order, results_of, shape_shares

STAGES = (
    "load curated input",
    "emit triples",
    "serialise (sorted N-Triples)",
    "load store",
    "SHACL validation",
    "ontology checks",
    "OWL consistency",
    "stored queries",
    "release writing",
)
# The stages the "build + validation + all queries" target adds up.
CORE_STAGES = STAGES[:5] + ("stored queries",)


class Clock:
    def __init__(self, report):
        self.report, self.last = report, time.perf_counter()

    def lap(self, stage: str, **extra) -> None:
        self.record(stage, self.lap_seconds(), **extra)

    def lap_seconds(self) -> float:
        """The time since the last lap, which starts a new one."""
        now = time.perf_counter()
        seconds, self.last = now - self.last, now
        return seconds

    def record(self, stage: str, seconds: float, **extra) -> None:
        """A stage timed elsewhere (in a child process, or in pieces)."""
        self.report({"stage": stage, "seconds": round(seconds, 4), **extra})
        self.last = time.perf_counter()


def digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8")).hexdigest()[:16]


def results_digest(results) -> str:
    return digest([list(astuple(r)) for r in results])


def _run_queries(expand, run):
    """Every stored query with its example parameters; (answers, slowest query and its time)."""
    answers, slowest = {}, ("", 0.0)
    for query in load_queries(paths.QUERIES):
        start = time.perf_counter()
        answers[query.name] = (query, run(query, bind(query, query.example, expand)))
        took = time.perf_counter() - start
        if took >= slowest[1]:
            slowest = (query.name, took)
    return answers, slowest


def _release(out: Path, data_nt: bytes, onto_nt: bytes, data_ttl: bytes, results, answers) -> None:
    report = format_report(results) if results is not None else "SHACL validation did not finish in its budget\n"
    files = {"mirkg.nt": data_nt, "ontology.nt": onto_nt, "mirkg.ttl": data_ttl,
             "validation-report.txt": report.encode("utf-8")}
    for name, (_, answer) in answers.items():
        suffix = {"SELECT": "tsv", "ASK": "txt"}.get(answer.form, "nt")
        files[f"queries/{name}.{suffix}"] = answer_as_tsv(answer).encode("utf-8")
    write_tree(out, files)


def _final(report, results, answers, slowest, triples: int, reasoning: str, core_wall: float) -> None:
    report({
        # The wall clock of CORE_STAGES' target, "build + validation + all queries": from the
        # start to the last answer, OWL and the ontology checks included.
        "core_wall_seconds": round(core_wall, 3),
        "done": True,
        "triples": triples,
        "violations": sum(r.severity == "Violation" for r in results) if results is not None else None,
        "results": len(results) if results is not None else None,
        "results_digest": results_digest(results) if results is not None else None,
        "answers_digest": {name: digest(answer.normalised()) for name, (_, answer) in answers.items()},
        "slowest_query": slowest[0],
        "slowest_query_seconds": round(slowest[1], 4),
        "reasoning": reasoning,
    })


class OwlBeside:
    """OWL consistency on the summary of the data, as the fast side runs it: the summary made
    now (it needs the triples), HermiT on it later in a thread (the JVM works while this
    process goes on), and HermiT on the whole graph, read back from the N-Triples, only when
    the summary is inconsistent. `seconds`: the summary's time plus HermiT's wall clock."""

    def __init__(self, ontology, triples, data_nt: bytes):
        from .summary import summarise

        start = time.perf_counter()
        self.ontology, self.data_nt = ontology, data_nt
        self.summary, self.stats = summarise(ontology, triples)
        self.seconds = time.perf_counter() - start
        self._outcome = None

    def _whole(self):
        from rdflib import Graph

        return Graph().parse(data=self.data_nt, format="nt")

    def start(self) -> None:
        import threading

        def run():
            start = time.perf_counter()
            try:
                self._outcome = (consistency_of_summary(self.ontology, self.summary, self.stats, self._whole), None)
            except Exception as error:  # handed to verdict(), in the main thread
                self._outcome = (None, error)
            self.seconds += time.perf_counter() - start

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def verdict(self) -> str:
        self._thread.join()
        verdict, error = self._outcome
        if error is not None:
            raise error
        return verdict


def run_fast(data_dir: Path, out: Path, report, reasoner: str = "summary", shacl_budget: float | None = None) -> None:
    from mirkg.triples import triples_of

    started = time.perf_counter()
    clock = Clock(report)
    ontology = load_ontology(paths.ONTOLOGY)
    curation = load_curation(data_dir, claim_relations(ontology))
    expand = curie_expander(curation)
    clock.lap("load curated input")
    triples = triples_of(curation, ontology)
    del curation  # what follows needs the triples, not the records
    clock.lap("emit triples")
    data_nt = sorted_ntriples_of(triples)
    onto_nt = sorted_ntriples(ontology)
    count = data_nt.count(b"\n")
    clock.lap("serialise (sorted N-Triples)")
    # Two lines of work from here, on two cores, with the triples as Python objects (most of
    # the memory) dropped first: SHACL's core constraints in a forked child; here, HermiT on
    # the summary of the data (in its JVM, waited for by a thread), the store, the SHACL-SPARQL
    # constraints, the checks and the queries. (The child forked with the triples still here
    # made the process tree 2.7 GB; SHACL run before the store instead of beside it, 83 s
    # instead of about 62 at scale 1000; measured 2026-11-27.)
    if reasoner == "summary":
        owl = OwlBeside(ontology, triples, data_nt)
    else:  # HermiT on everything needs the triples: before they are dropped
        reasoning = consistency_fast(ontology, triples, reasoner)
        clock.lap("OWL consistency", verdict=reasoning)
    del triples
    core, constraints = split_shapes(load_shapes(paths.SHAPES))
    core_done = in_child(shacl_core, (data_nt, onto_nt), core, budget=shacl_budget)
    if reasoner == "summary":
        owl.start()  # after the fork: a thread running in a process is not forked with it
    clock.lap_seconds()  # the summary is OWL's; the fork, nobody's
    store = store_from_ntriples(data_nt, onto_nt)
    clock.lap("load store")
    sparql_results = shacl_sparql_run(store, constraints)
    sparql_seconds = clock.lap_seconds()
    failures = {}
    for name, check in load_checks(paths.ONTOLOGY).items():
        if any(True for _ in store.query(check)):
            failures[name] = True
    clock.lap("ontology checks", failures=sorted(failures))
    answers, slowest = _run_queries(expand, lambda q, b: run_oxigraph(store, q, b))
    clock.lap("stored queries")
    if reasoner == "summary":
        reasoning = owl.verdict()  # raises InconsistentOntology as consistency_fast does
        clock.record("OWL consistency", owl.seconds, verdict=reasoning)
    core_results, core_seconds = core_done()
    waited = clock.lap_seconds()
    if core_results is None:
        results = None
        clock.record("SHACL validation", (core_seconds or 0) + sparql_seconds, over=shacl_budget)
    else:
        results = sorted(set(core_results) | sparql_results, key=result_order)
        clock.record("SHACL validation", core_seconds + sparql_seconds, engine=SHACL_ENGINES,
                     core=round(core_seconds, 4), sparql=round(sparql_seconds, 4), waited=round(waited, 4))
    core_wall = time.perf_counter() - started
    data_ttl = ox.serialize(ox.parse(data_nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                            prefixes={p: str(ns) for p, ns in PREFIXES.items()})
    _release(out, data_nt, onto_nt, data_ttl, results, answers)
    clock.lap("release writing")
    _final(report, results, answers, slowest, count, reasoning, core_wall)


def _native_dataset():
    """rdflib-turbo's native dataset when its SHACL engine is pyshacl-turbo's own (it then
    validates without turning every triple into an rdflib term); None otherwise."""
    try:
        import pyshacl_turbo
        import rdflib_turbo
    except ImportError:
        return None
    if rdflib_turbo._native.SHACL_ENGINE_FINGERPRINT != pyshacl_turbo._native.SHACL_ENGINE_FINGERPRINT:
        return None
    return rdflib_turbo.Dataset


SHACL_ENGINES = ("pyshacl-turbo on " + ("an rdflib-turbo native dataset" if _native_dataset() else "N-Triples text")
                 + " (core constraints), pyoxigraph (SHACL-SPARQL constraints)")


def _chunks(ntriples) -> tuple:
    """N-Triples given as bytes, or as several pieces (data, ontology) not to be joined: joining
    them copies the data, a quarter of a gigabyte at scale 1000."""
    return (ntriples,) if isinstance(ntriples, bytes) else tuple(ntriples)


def shacl_dataset(ntriples):
    """The N-Triples (bytes, or pieces of it) in rdflib-turbo's native dataset, or None when it
    cannot be used."""
    dataset = _native_dataset()
    if dataset is None:
        return None
    data = dataset()
    for chunk in _chunks(ntriples):
        for piece in _pieces(chunk):
            data.parse(data=piece, format="nt")
    return data


def _pieces(chunk: bytes, size: int = 1 << 25):
    """N-Triples in pieces of about `size` bytes, cut at line ends, when it has no blank node
    (whose label is the document's own): the engine reads text, and decoding a piece at a time
    spares holding all of it decoded at once (a quarter of a gigabyte at scale 1000)."""
    if len(chunk) <= size or b"_:" in chunk:
        yield chunk
        return
    start = 0
    while start < len(chunk):
        end = chunk.find(b"\n", start + size)
        end = len(chunk) if end < 0 else end + 1
        yield chunk[start:end]
        start = end


def shacl_core(ntriples, shapes, parts: int | None = None):
    """pyshacl-turbo on data + ontology (the shapes see both, as mirkg.validation.run_shacl
    arranges), with the options run_shacl gives it; the results as run_shacl returns them.

    On rdflib-turbo's native dataset the shapes are validated in `parts` shares side by side
    (default: one per CPU), each share in its own thread over the same dataset: the engine runs
    without Python's lock (at scale 1000 on two cores: 47 s instead of 63 s)."""
    from concurrent.futures import ThreadPoolExecutor

    from pyshacl_turbo import validate

    data = shacl_dataset(ntriples)
    if data is None:
        _, report, _ = validate(b"".join(_chunks(ntriples)), shacl_graph=shapes, data_graph_format="nt",
                                inference="none", advanced=True, allow_warnings=True)
        return results_of(report)

    def one(share):
        return results_of(validate(data, shacl_graph=share, inference="none", advanced=True, allow_warnings=True)[1])

    shares = shape_shares(shapes, parts or os.cpu_count() or 1)
    with ThreadPoolExecutor(len(shares)) as pool:
        found = [r for share_results in pool.map(one, shares) for r in share_results]
    return sorted(set(found), key=result_order)


def shacl_fast(ntriples, parts: int | None = None):
    """The fast side's whole SHACL validation, in process, as run_fast does it in two steps:
    the core constraints by pyshacl-turbo (shacl_core), the SHACL-SPARQL ones once over all
    focus nodes on a pyoxigraph store of the same N-Triples (mirkg/shacl_sparql.py). The
    results as run_shacl returns them."""
    core, constraints = split_shapes(load_shapes(paths.SHAPES))
    store = store_from_ntriples(*_chunks(ntriples))
    found = set(shacl_core(ntriples, core, parts)) | shacl_sparql_run(store, constraints)
    return sorted(found, key=result_order)


def in_child(function, *args, budget: float | None = None):
    """function(*args) started in a forked child, stopped `budget` seconds after it starts
    (None: no limit); the returned callable waits for it and gives (its value, the seconds it
    took there), or (None, None) past the budget. Forked, the child needs no pickling of its
    input, and its memory is its own, all freed when it ends. Some engines cost more than
    linearly on some shapes; the budget lets the other stages be measured at scales where
    validation cannot finish."""
    import multiprocessing
    import pickle

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    deadline = None if budget is None else time.monotonic() + budget

    def child() -> None:
        import gc

        # A collection would write to every object the parent left here, copying the pages
        # this child shares with it.
        gc.disable()
        start = time.perf_counter()
        value = function(*args)
        send.send_bytes(pickle.dumps((value, time.perf_counter() - start)))

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()

    def result():
        if receive.poll(None if deadline is None else max(0.0, deadline - time.monotonic())):
            value = pickle.loads(receive.recv_bytes())
            process.join()
            return value
        process.kill()
        process.join()
        return None, None

    return result


def consistency_fast(ontology, triples, reasoner: str = "summary") -> str:
    """HermiT on the summary (sound; see bench/summary.py), on everything when that fails."""
    from .summary import summarise

    def whole():
        from rdflib import Graph

        full = Graph()
        for t in triples:
            full.add(t)
        return full

    if reasoner == "summary":
        return consistency_of_summary(ontology, *summarise(ontology, triples), whole)
    return consistency_of_summary(ontology, None, None, whole)


def consistency_of_summary(ontology, summary, stats, whole) -> str:
    """HermiT on the summary graph when there is one; on `whole()`, the whole graph, when there is
    none or the summary is inconsistent (maybe spuriously: merging adds facts), which decides:
    InconsistentOntology, with the culprits, or the verdict."""
    from mirkg.reasoning import InconsistentOntology, check_consistency

    if summary is not None:
        try:
            check_consistency(ontology, summary)
            return (f"consistent: HermiT on the summary ({stats['representatives']} representatives for "
                    f"{stats['individuals']} individuals, {stats['summary triples']} triples)")
        except InconsistentOntology:
            pass
    check_consistency(ontology, whole())  # raises InconsistentOntology with the culprits
    return "consistent: HermiT on the whole graph"


def run_naive(data_dir: Path, out: Path, report) -> None:
    from pyshacl import validate

    import mirkg.yamlio
    from mirkg.reasoning import check_consistency
    from mirkg.triples import build_graph

    started = time.perf_counter()
    clock = Clock(report)
    mirkg.yamlio._CSafeLoader = None  # the pure-Python YAML reader
    ontology = load_ontology(paths.ONTOLOGY)
    curation = load_curation(data_dir, claim_relations(ontology))
    clock.lap("load curated input")
    data = build_graph(curation, ontology)
    clock.lap("emit triples")
    data_nt, onto_nt = sorted_ntriples(data), sorted_ntriples(ontology)
    clock.lap("serialise (sorted N-Triples)")
    union = data + ontology
    clock.lap("load store")
    _, report_graph, _ = validate(union, shacl_graph=load_shapes(paths.SHAPES), advanced=True, allow_warnings=True)
    results = results_of(report_graph)
    clock.lap("SHACL validation")
    failures = {}
    for name, check in load_checks(paths.ONTOLOGY).items():
        if len(union.query(check)):
            failures[name] = True
    clock.lap("ontology checks", failures=sorted(failures))
    check_consistency(ontology, data)
    reasoning = "consistent: HermiT on the whole graph"
    clock.lap("OWL consistency", verdict=reasoning)
    answers, slowest = _run_queries(curie_expander(curation), lambda q, b: run_rdflib(union, q, b))
    clock.lap("stored queries")
    core_wall = time.perf_counter() - started
    _release(out, data_nt, onto_nt, turtle(data), results, answers)
    clock.lap("release writing")
    _final(report, results, answers, slowest, len(data), reasoning, core_wall)
