"""The two pipelines the benchmark times, stage by stage, on the same curated input.

fast  - what the engines were chosen for: the project's loader (libyaml, indexed quote and
        sentence look-ups, the largest file parsed in a forked child), triples emitted as a
        plain list and written as N-Triples pieces without an rdflib store, pyoxigraph for the
        store and every query, pyshacl-turbo for SHACL's core constraints (in a child forked
        first and fed the pieces as they are written) and pyoxigraph for its SHACL-SPARQL
        constraints (each run once over all focus nodes, mirkg/shacl_sparql.py), HermiT on a
        homomorphic summary of the data for OWL consistency (bench/summary.py; it falls back
        to HermiT on everything when the summary is inconsistent), pyoxigraph to write Turtle.
naive - the obvious way: pure-Python YAML, an rdflib graph, pyshacl with its defaults (only the
        options the shapes need: SHACL-AF and warnings allowed), rdflib SPARQL for the checks
        and the queries, HermiT on the whole graph, rdflib to write Turtle and N-Triples.

Both run the same stored queries (queries/*.rq), shapes (shapes/*.ttl) and ontology checks,
read at run time, on the ontology as the build releases it (with its mapping links), and both
sort the N-Triples at release writing, where only the release's file needs the order. Each stage is reported as soon as it ends, so that a run stopped by its time
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
from rdflib import Graph

from mirkg import paths
from mirkg.curation import STATEMENTS_FILE, load_curation
from mirkg.namespaces import PREFIXES
from mirkg.ontology import claim_relations
from mirkg.ontology_checks import load_checks
from mirkg.pipeline import curie_expander, load_ontology_with_mappings
from mirkg.queries import answer_as_tsv, bind, load_queries, run_oxigraph, run_rdflib, store_from_ntriples
from mirkg.release import canonical, ntriples_pieces, sorted_ntriples, sorted_ntriples_file, sorted_ntriples_text, turtle, write_tree
from mirkg.shacl_sparql import run as shacl_sparql_run
from mirkg.shacl_sparql import split_shapes
from mirkg.validation import format_report, load_shapes, result_order, results_of, shape_shares
from mirkg.yamlio import load_yaml

STAGES = (
    "load curated input",
    "emit triples",
    "serialise (N-Triples)",
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
    process goes on), and HermiT on the whole graph, `whole()` (read back from the N-Triples
    once the triples are dropped), only when the summary is inconsistent. `seconds`: the
    summary's time plus HermiT's wall clock."""

    def __init__(self, ontology, triples, whole):
        from .summary import summarise

        start = time.perf_counter()
        self.ontology, self._whole = ontology, whole
        self.summary, self.stats = summarise(ontology, triples)
        self.seconds = time.perf_counter() - start
        self._outcome = None

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
    with NTriplesFeed() as feed:
        _run_fast(feed, data_dir, out, report, reasoner, shacl_budget)


def _run_fast(feed: NTriplesFeed, data_dir: Path, out: Path, report, reasoner: str, shacl_budget: float | None) -> None:
    from mirkg.triples import triples_of

    started = time.perf_counter()
    clock = Clock(report)
    ontology, _ = load_ontology_with_mappings(paths.ONTOLOGY)  # as the build releases it
    onto_nt = sorted_ntriples(ontology)
    # Two lines of work, on two cores. SHACL's core constraints run in a child forked now, while
    # this process is small: it reads the data's N-Triples as they are written, so that its
    # reading (a third of its time) goes on beside the summary and the store instead of after
    # them. Here: the largest YAML file read in another child meanwhile, then HermiT on the
    # summary of the data (in its JVM, waited for by a thread), the store, the SHACL-SPARQL
    # constraints, the checks and the queries. (Scale 1000, 2026-11-27, medians of 3: the child
    # forked after a sorted serialisation, 64.5 s; fed as now but sorting before the store,
    # 60.6 s. Earlier: forked with the triples still here, a process tree of 2.7 GB; SHACL
    # before the store instead of beside it, 83 s.)
    core, constraints = split_shapes(load_shapes(paths.SHAPES))
    core_done = in_child(shacl_core_fed, onto_nt, feed, core, budget=shacl_budget)
    feed.started()
    curation = load_curation(data_dir, claim_relations(ontology), yaml_beside(data_dir / STATEMENTS_FILE))
    expand = curie_expander(curation)
    clock.lap("load curated input")
    triples = triples_of(curation, ontology)
    del curation  # what follows needs the triples, not the records
    clock.lap("emit triples")
    # Unsorted: the store and SHACL take the triples in any order, and sorting them (4-5 s at
    # scale 1000) is only for the release's file, so it is done at release writing.
    for piece in ntriples_pieces(triples):
        feed.put(piece)
    feed.close()
    core_done.start_budget()  # from when the child has all its input
    clock.lap("serialise (N-Triples)")
    if reasoner == "summary":
        owl = OwlBeside(ontology, triples, lambda: Graph().parse(source=str(feed.path), format="nt"))
    else:  # HermiT on everything needs the triples: before they are dropped
        reasoning = consistency_fast(ontology, triples, reasoner)
        clock.lap("OWL consistency", verdict=reasoning)
    del triples  # most of this process's memory
    if reasoner == "summary":
        owl.start()
    clock.lap_seconds()  # the summary is OWL's
    # The SHACL child reads the same N-Triples with a strict parser, and the run fails if it
    # cannot (in_child): the store's own checks would only repeat its.
    store = store_from_ntriples(feed.path, onto_nt, checked=False)
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
    core_outcome, _ = core_done()
    waited = clock.lap_seconds()
    if core_outcome is None:
        results = None
        clock.record("SHACL validation", sparql_seconds, over=shacl_budget)
    else:
        core_results, core_times = core_outcome
        results = sorted(set(core_results) | sparql_results, key=result_order)
        core_seconds = core_times["read"] + core_times["validate"]
        clock.record("SHACL validation", core_seconds + sparql_seconds, engine=SHACL_ENGINES,
                     core=round(core_seconds, 4), sparql=round(sparql_seconds, 4), waited=round(waited, 4),
                     **{f"core_{k}": round(v, 4) for k, v in core_times.items()})
    core_wall = time.perf_counter() - started
    store = None  # its memory, before the sort
    data_nt = sorted_ntriples_file(feed.path)
    count = data_nt.count(b"\n")
    data_ttl = ox.serialize(ox.parse(data_nt, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE,
                            prefixes={p: str(ns) for p, ns in PREFIXES.items()})
    _release(out, data_nt, onto_nt, data_ttl, results, answers)
    clock.lap("release writing")
    _final(report, results, answers, slowest, count, reasoning, core_wall)


def yaml_beside(file: Path, least: int = 1 << 20):
    """A read_yaml for load_curation that has `file` (the largest) parsed in a forked child,
    started now, while this process reads the others: the child is idle until the data is
    serialised, and the other core with it. Any other file, and `file` when the child fails,
    are read here, so that errors are worded as the build words them. A file under `least`
    bytes is read here too: it takes less time than forking for it."""
    if not file.is_file() or file.stat().st_size < least:
        return load_yaml
    parsed = in_child(load_yaml, file)

    def read_yaml(path: Path):
        if path != file:
            return load_yaml(path)
        try:
            value, _ = parsed()
        except RuntimeError:
            return load_yaml(path)
        return value

    return read_yaml


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
    arranges), with the options run_shacl gives it; the results as run_shacl returns them."""
    return _core_results(_core_input(_chunks(ntriples)), shapes, parts)


def shacl_core_fed(onto_nt: bytes, feed: NTriplesFeed, shapes, parts: int | None = None):
    """shacl_core on the ontology and the data `feed` hands over, read piece by piece as it
    comes; (the results, {"idle": seconds waiting for pieces, "read": reading them,
    "validate": validating})."""
    from itertools import chain

    start = time.perf_counter()
    data = _core_input(chain((onto_nt,), feed))
    read = time.perf_counter() - start - feed.idle
    start = time.perf_counter()
    results = _core_results(data, shapes, parts)
    return results, {"idle": feed.idle, "read": read, "validate": time.perf_counter() - start}


def _core_input(pieces):
    """What pyshacl-turbo reads the N-Triples pieces from: rdflib-turbo's native dataset, or
    the text joined when that dataset cannot be used (shacl_dataset then reads no piece)."""
    data = shacl_dataset(pieces)
    return b"".join(pieces) if data is None else data


def _core_results(data, shapes, parts: int | None):
    """pyshacl-turbo's results on N-Triples text, or on rdflib-turbo's native dataset. On the
    latter the shapes are validated in `parts` shares side by side (default: one per CPU), each
    share in its own thread over the same dataset: the engine runs without Python's lock (at
    scale 1000 on two cores: 47 s instead of 63 s)."""
    from concurrent.futures import ThreadPoolExecutor

    from pyshacl_turbo import validate

    options = {"inference": "none", "advanced": True, "allow_warnings": True}
    if isinstance(data, bytes):
        return results_of(validate(data, shacl_graph=shapes, data_graph_format="nt", **options)[1])

    def one(share):
        return results_of(validate(data, shacl_graph=share, **options)[1])

    shares = shape_shares(shapes, parts or os.cpu_count() or 1)
    with ThreadPoolExecutor(len(shares)) as pool:
        found = [r for share_results in pool.map(one, shares) for r in share_results]
    return sorted(set(found), key=result_order)


class NTriplesFeed:
    """N-Triples handed by this process to a child it forks, piece by piece, as they are
    written. The pieces go to a temporary file, which the child reads back by offset; only their
    ends go through a pipe. Neither side waits for the other: pieces the child has not got to
    yet wait in the file, not in this process's memory. Once closed, the file (`path`) holds
    them all for this process's other readers, until the `with` block ends.

    Made before the fork. In the parent: started() once forked, put() each piece, close().
    In the child: iterate over it for the pieces; `idle` is the time it waited for them."""

    def __init__(self):
        import multiprocessing
        import tempfile

        descriptor, name = tempfile.mkstemp(prefix="mirkg-bench-", suffix=".nt")
        self.path = Path(name)
        self._file = os.fdopen(descriptor, "w+b")
        self._receive, self._send = multiprocessing.get_context("fork").Pipe(duplex=False)
        self.idle = 0.0

    def __enter__(self) -> NTriplesFeed:
        return self

    def __exit__(self, *exc) -> None:
        self._send.close()  # if the run failed before close(): the child hears the feed end
        self._file.close()
        self.path.unlink(missing_ok=True)

    def started(self) -> None:
        self._receive.close()

    def put(self, piece: bytes) -> None:
        self._file.write(piece)
        self._file.flush()  # in the file before the child hears of it
        self._send.send(self._file.tell())

    def close(self) -> None:
        """Ends the feed (the child keeps its own descriptor of the file)."""
        self._send.send(None)
        self._send.close()
        self._file.close()

    def __iter__(self):
        self._send.close()  # so that the parent's end, once gone, reads as the end of the feed
        fd, start = self._file.fileno(), 0
        while True:
            waiting = time.perf_counter()
            end = self._receive.recv()
            self.idle += time.perf_counter() - waiting
            if end is None:
                return
            parts = []
            while start < end:
                part = os.pread(fd, end - start, start)
                if not part:
                    raise EOFError(f"the feed's file ends at byte {start}, before {end}")
                parts.append(part)
                start += len(part)
            yield b"".join(parts)


def shacl_fast(ntriples, parts: int | None = None):
    """The fast side's whole SHACL validation, in process, as run_fast does it in two steps:
    the core constraints by pyshacl-turbo (shacl_core), the SHACL-SPARQL ones once over all
    focus nodes on a pyoxigraph store of the same N-Triples (mirkg/shacl_sparql.py). The
    results as run_shacl returns them."""
    core, constraints = split_shapes(load_shapes(paths.SHAPES))
    store = store_from_ntriples(*_chunks(ntriples))
    found = set(shacl_core(ntriples, core, parts)) | shacl_sparql_run(store, constraints)
    return sorted(found, key=result_order)


def in_child(function, *args, budget: float | None = None) -> ChildRun:
    """function(*args) started in a forked child. Forked, the child needs no pickling of its
    input, and its memory is its own, all freed when it ends. See ChildRun for its result and
    its budget (None: no limit): some engines cost more than linearly on some shapes, and the
    budget lets the other stages be measured at scales where validation cannot finish."""
    import multiprocessing
    import pickle
    import traceback

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def child() -> None:
        import gc

        # A collection would write to every object the parent left here, copying the pages
        # this child shares with it.
        gc.disable()
        start = time.perf_counter()
        try:
            outcome = (function(*args), time.perf_counter() - start, None)
        except BaseException:  # the parent raises it: a failed validation must fail the run
            outcome = (None, None, traceback.format_exc())
        send.send_bytes(pickle.dumps(outcome))

    process = context.Process(target=child, daemon=True)
    process.start()
    send.close()
    return ChildRun(process, receive, budget)


class ChildRun:
    """A function running in a forked child (in_child). Calling it waits for the child and gives
    (the function's value, the seconds it took there), or (None, None) when the child passed
    its budget and was stopped; it raises RuntimeError, with the child's traceback, when the
    function raised or the child died. The budget counts from the fork, or from
    start_budget() when called (for a child that first waits for its input)."""

    def __init__(self, process, receive, budget: float | None):
        self._process, self._receive, self._budget = process, receive, budget
        self._deadline = None if budget is None else time.monotonic() + budget

    def start_budget(self) -> None:
        if self._budget is not None:
            self._deadline = time.monotonic() + self._budget

    def __call__(self):
        import pickle

        timeout = None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
        if not self._receive.poll(timeout):
            self._process.kill()
            self._process.join()
            return None, None
        try:
            value, seconds, failure = pickle.loads(self._receive.recv_bytes())
        except EOFError:
            self._process.join()
            raise RuntimeError(f"the child process ended without an answer (exit code {self._process.exitcode})") from None
        self._process.join()
        if failure is not None:
            raise RuntimeError(f"the child process failed:\n{failure}")
        return value, seconds


def consistency_fast(ontology, triples, reasoner: str = "summary") -> str:
    """HermiT on the summary (sound; see bench/summary.py), on everything when that fails."""
    from .summary import summarise

    def whole():
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
    ontology, _ = load_ontology_with_mappings(paths.ONTOLOGY)  # as the build releases it
    curation = load_curation(data_dir, claim_relations(ontology))
    clock.lap("load curated input")
    data = build_graph(curation, ontology)
    clock.lap("emit triples")
    # Sorted at release writing, as on the fast side: only the release's file needs the order.
    data_text = canonical(data).serialize(format="nt", encoding="utf-8")
    clock.lap("serialise (N-Triples)")
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
    data_nt, onto_nt = sorted_ntriples_text(data_text), sorted_ntriples(ontology)
    _release(out, data_nt, onto_nt, turtle(data), results, answers)
    clock.lap("release writing")
    _final(report, results, answers, slowest, len(data), reasoning, core_wall)
