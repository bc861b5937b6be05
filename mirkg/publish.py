"""The release for triplestores: named graphs, dumps in every common syntax, and the files
made by their own modules: the dataset description (mirkg/void.py, HCLS profile), the
nanopublications (mirkg/nanopubs.py), the JSON-LD context and claims (mirkg/jsonld.py).

The dataset is split into named graphs, each triple by the node it is about (its subject); their
IRIs carry the version (mirkg/dataset.py: https://w3id.org/mirkg/graph/VERSION/...):

- .../ontology          the ontology and its import module;
- .../data              entities, the direct triples (miRNA targets gene), and the nodes that
                        merge what several sources say (assertion/..., conflict/...);
- .../provenance        what is shared by the sources: references and joint citations, works,
                        agents, the curation's activities and the source nodes;
- .../source/SOURCE-ID  one per source: the claims read from that source (claim/ID, each one
                        quote of it) and the nodes minted under them (their text span and
                        selectors, evidence and Web Annotation).

The description (void.ttl) is loaded by `python build.py load` into a fourth graph,
.../description; it is not part of the dumps it describes.

Every file is written from sorted N-Triples/N-Quads (blank nodes labelled from their content:
the ontology's are canonicalised once, as it is loaded), and every date comes from the release
table (mirkg/dataset.py), never from the clock, so two
builds give the same bytes.
"""

from __future__ import annotations

import heapq
import json
import time
from array import array
from collections import Counter, defaultdict
from itertools import chain, groupby
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from . import __version__, iris
from .children import in_child
from .clock import Clock
from .curation import Curation
from .sources import release_text_path
from .errors import BuildError
from .namespaces import PREFIXES
from .release import (
    Release,
    StagedTree,
    deterministic_gzip,
    sorted_ntriples,
    turtle,
    write_files,
)
from .dataset import (  # noqa: F401 - the release's names, used by the modules and tests that import them from here
    CONTEXT_FILE,
    DATA_GRAPH,
    DATASET,
    DCAT,
    DESCRIPTION_FILE,
    DESCRIPTION_GRAPH,
    DUMPS,
    GRAPH,
    ONTOLOGY_GRAPH,
    PROVENANCE_GRAPH,
    RELEASE_DATES,
    SHARED_GRAPHS,
    VOID,
    WHOLE_DUMPS,
    content_graphs,
    download_url,
    release_date,
    source_graph,
    source_of_graph,
    version_iri,
)
from .jsonld import CLAIMS_FILE, claims_document
from .jsonld import context as jsonld_context
from .nanopubs import nanopublication_texts, write_trig
from .shacl_report import format_report
from .syntax_dumps import SyntaxDumps

@dataclass(frozen=True)
class Split:
    """The dataset as named graphs: graph IRI -> its sorted N-Triples lines (bytes, no newline),
    the shared graphs first, then the source graphs in source id order (dataset.content_graphs)."""

    graphs: dict[URIRef, list[bytes]]
    # Where each instance subject's lines start in the release's sorted N-Triples text (their
    # lines joined, mirkg.release.ntriples_text), in order: byte offsets, found while splitting,
    # for the Linked Data index (linked_data.subject_ranges reads the subjects there instead of
    # every line); empty when the split was not made from the release's lines. Offsets, not a
    # map of the subjects: held from here to the index, through the build's peak.
    subject_starts: array = field(default_factory=lambda: array("q"), compare=False)

    @cached_property
    def whole(self) -> list[bytes]:
        """The union of the graphs, sorted (a triple in two graphs appears once), without a set
        of them all: the graphs' sorted lines are runs that Python's sort merges, in C (a heap
        merged them in Python, a step per line and source graph)."""
        return [line for line, _ in groupby(sorted(chain.from_iterable(self.graphs.values())))]

    def nquads(self):
        """The N-Quads lines of every graph, sorted, each with its newline: a merge of the graphs'
        sorted lines (a graph's quads sort as its triples do: they differ only where the triples
        do, or where one triple ends and the other goes on, and a space sorts before what can
        follow a term), never all of them in a list."""
        return heapq.merge(*(_quads(g, lines) for g, lines in self.graphs.items()))

    @cached_property
    def claims(self) -> dict[str, list[bytes]]:
        """Each claim's lines and those of the nodes minted under it (its span and selectors,
        evidence and annotation), in claim id order, each claim's in sorted order: what the
        nanopublications and the framed claims are made from, on first use (by the child that
        writes both, graph_files). The source graphs hold exactly these (graph_of), so they
        alone are read, each subject parsed once."""
        by_claim: dict[str, list[bytes]] = defaultdict(list)
        for graph, lines in self.graphs.items():
            if source_of_graph(str(graph)) is not None:
                for _, parsed, line in _with_subjects(lines):
                    by_claim[parsed.record].append(line)
        return dict(sorted(by_claim.items()))


# ------------------------------------------------------------------------------------------------
# Named graphs

# Kinds of node whose triples go to the data graph, and to the provenance graph; a claim and the
# nodes minted under it go to its source's graph.
DATA_KINDS = ("entity", "assertion", "conflict")
PROVENANCE_KINDS = ("reference", "citation", "work", "agent", "source", "activity")


def claim_sources(curation: Curation) -> dict[str, str]:
    """claim id -> the id of the source it is read from (Statement.source)."""
    return {s.id: s.source for s in curation.statements}


def graph_of(subject: str, sources: dict[str, str], parsed: iris.Parsed | None = None) -> URIRef:
    """The named graph an instance triple belongs to, decided by its subject (and the subject's
    parts, when the caller has them already); sources: claim id -> source id (claim_sources)."""
    parsed = parsed or iris.parse(subject)
    if parsed is None:
        raise BuildError(f"instance triple about {subject}, outside {iris.BASE}: publish.graph_of does not know its graph")
    if parsed.kind == "claim":
        if parsed.record not in sources:
            raise BuildError(f"instance node {subject} belongs to claim '{parsed.record}', which no source's "
                             "statements hold; publish.graph_of cannot give it a source graph")
        return source_graph(sources[parsed.record])
    if parsed.kind in DATA_KINDS:
        return DATA_GRAPH
    if parsed.kind in PROVENANCE_KINDS:
        return PROVENANCE_GRAPH
    raise BuildError(f"instance node {subject} is of an unknown kind '{parsed.kind}'; publish.graph_of must place it")


def _with_subjects(lines):
    """Each instance line with its subject and the subject's parts (mirkg.iris.parse), parsed
    once per subject: the lines are sorted, so a subject's lines come together. Instance
    subjects are IRIs (never blank nodes), so a line's subject is the IRI it starts with."""
    last, subject, parsed = None, "", None
    for line in lines:
        raw = line[1:line.index(b">")]
        if raw != last:
            last, subject = raw, raw.decode("utf-8")
            parsed = iris.parse(subject)
        yield subject, parsed, line


def split_graphs(ontology_nt: bytes, data_lines: list[bytes], curation: Curation) -> Split:
    """The release's sorted N-Triples lines (mirkg.release.sorted_ntriples_file), split by
    subject into the data, provenance and source graphs (one per source of the curation, empty
    when no claim is read from it); the ontology in its own; with where each subject's lines
    start in the text they make (Split.subject_starts). Linear in the lines: each subject is
    parsed once, each claim's source looked up in one map."""
    sources = claim_sources(curation)
    parts: dict[URIRef, list[bytes]] = {g: [] for g in content_graphs(curation.sources)}
    del parts[ONTOLOGY_GRAPH]
    starts = array("q")
    last, graph, offset = None, None, 0
    for subject, parsed, line in _with_subjects(data_lines):
        if subject != last:
            last, graph = subject, parts[graph_of(subject, sources, parsed)]
            starts.append(offset)
        graph.append(line)
        offset += len(line) + 1
    return Split({ONTOLOGY_GRAPH: ontology_nt.splitlines(), **parts}, starts)


def _parsed(text: bytes, syntax: ox.RdfFormat = ox.RdfFormat.N_TRIPLES):
    """The parser's own quads (N-Triples' in the default graph), handed to Oxigraph's writers
    as they come: a graph syntax's writer takes default-graph quads as triples."""
    return ox.parse(text, format=syntax)


CHUNK_LINES = 1 << 16


def _quads(graph, lines):
    """A graph's N-Triples lines as N-Quads lines, each with its newline: a line's final "." (and
    the spaces before it) gives way to the graph's IRI."""
    in_graph = b" <%s> .\n" % str(graph).encode()
    return (ln[:-1].rstrip() + in_graph for ln in lines)


def _chunks(lines, size: int = CHUNK_LINES):
    """Lines (each with its newline) joined a chunk of `size` at a time, for writing."""
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) == size:
            yield b"".join(chunk)
            chunk = []
    if chunk:
        yield b"".join(chunk)


def _line_chunks(lines: list[bytes], size: int = CHUNK_LINES):
    """The lines as N-Triples text, a chunk per `size` lines (never all of it at once)."""
    for start in range(0, len(lines), size):
        yield b"\n".join(lines[start:start + size]) + b"\n"


def _gzip_file(lines: list[bytes], path: Path) -> None:
    with open(path, "wb") as out:
        deterministic_gzip(_line_chunks(lines), out)


def trig_of(split: Split, prefixes: dict[str, str], out: Path) -> None:
    """TriG of the named graphs, in graph IRI order, each graph's triples sorted (Oxigraph).
    Each graph's lines are made N-Quads text and parsed as such, a chunk at a time (blank node
    labels: a chunk's own to the parser, but keeping their text: the same label is the same node
    throughout), so that no quad is put together in Python."""
    def quads():
        for name in sorted(split.graphs):
            lines = split.graphs[name]
            for start in range(0, len(lines), CHUNK_LINES):
                yield from _parsed(b"".join(_quads(name, lines[start:start + CHUNK_LINES])), ox.RdfFormat.N_QUADS)

    ox.serialize(quads(), out, format=ox.RdfFormat.TRIG, prefixes=prefixes)


# ------------------------------------------------------------------------------------------------
# All the files


def graph_files(tree: StagedTree, split: Split, curation: Curation, ontology: Graph, signing_key=None,
                fork: bool = False) -> FilesBeside:
    """The files made from the named graphs alone (N-Quads, TriG, the framed claims, the
    nanopublications), written into the tree by a child forked now, on the second core, while
    this process goes on (fork: the build starts it as soon as the graphs are split, beside the
    ontology checks and the stored queries), or here and now. signing_key: as write_release's."""
    trig_prefixes = {**PREFIXES, "mirkgraph": str(GRAPH)}
    ld_context = jsonld_context(ontology)
    return FilesBeside(tree, (
        ("N-Quads", "mirkg.nq", lambda: _chunks(split.nquads())),
        ("TriG", "mirkg.trig", partial(partial, trig_of, split, trig_prefixes)),
        ("JSON-LD claims, framed", CLAIMS_FILE, partial(claims_document, split, ld_context)),
        ("nanopublications", "nanopubs.trig", partial(_nanopubs_writer, split, curation, signing_key)),
    ), fork=fork)


def _nanopubs_writer(split: Split, curation: Curation, signing_key):
    texts = nanopublication_texts(split, curation, f"{release_date()}T00:00:00+00:00", str(version_iri()), signing_key)
    return partial(write_trig, texts)


def forks(data_nt: bytes) -> bool:
    """Whether forked children write the files made from the named graphs, and the description:
    up to FORK_RELEASE_UP_TO bytes of the data's N-Triples; above it, the build itself."""
    return len(data_nt) <= FORK_RELEASE_UP_TO


def write_release(release: Release, tree: StagedTree, started: float, *, hcls_checks=None, signing_key=None,
                  documents: str = "auto") -> None:
    """Every file made from the release object, written into the staging tree (the one its
    named graphs' files are being written into, release.graph_files, when the build started
    them), which then replaces dist/ in one step (tree.commit). Each file's time goes into
    timings.json. hcls_checks: the HCLS profile's checks (mirkg.hcls.all_checks) the
    description must pass; signing_key: a mirkg.nanopubs.SigningKey to sign the
    nanopublications with; documents (linked_data.DOCUMENTS): whether the records',
    nanopublications' and named graphs' documents are files ("auto": up to
    linked_data.FILES_UP_TO records) or made by `serve`."""
    from . import void as dataset_description
    from .kgx import kgx_files
    from .mappings import mapping_files
    from .queries import answer_as_tsv, answer_path, catalog_turtle
    from .resource_pages import LinkedDataFiles, record_index
    from .site import site_files

    clock = Clock(release.timings)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gzip")
    try:
        def put(files: dict[str, bytes], stage: str) -> None:
            for name, content in files.items():
                tree.write(name, content)
            clock.lap(f"release: {stage}")

        split = release.split
        whole = split.whole
        fork = forks(release.data_nt)  # the description's child, or this process
        put({"mirkg.nt": release.data_nt, "ontology.nt": release.ontology_nt}, "N-Triples")
        tree.write("mirkg-all.nt", _line_chunks(whole))
        # gzip in a thread (zlib works without Python's lock) while the rest is written.
        gzipped = pool.submit(tree.write_with, "mirkg-all.nt.gz", partial(_gzip_file, whole))
        clock.lap("release: whole N-Triples")
        # Their Turtle and JSON-LD, by a process started now; the files made from the named
        # graphs, by the child the build forked once they were split, or here (graph_files);
        # this process writes the rest.
        syntaxes = SyntaxDumps(tree.staging, PREFIXES, CONTEXT_FILE)
        forked = release.graph_files
        try:
            if forked is None:
                forked = graph_files(tree, split, release.curation, release.ontology, signing_key)
                clock.lap("release: the named graphs' files and the nanopublications, in the build")
            # the source text, byte for byte: the annotations' source (oa:hasSource)
            put({release_text_path(s.id): s.text.data for s in release.curation.sources.values()}, "source texts")
            put({"validation-report.txt": format_report(list(release.results)).encode("utf-8")}, "validation report")
            answers, answer_files = {}, []
            for query in release.queries:
                answer = release.answers[query.name]
                answers[answer_path(query)] = answer_as_tsv(answer).encode("utf-8")
                answer_files.append((query, answer_path(query)))
            answers["queries/catalog.ttl"] = catalog_turtle(list(release.queries)).encode("utf-8")
            put(answers, "stored queries' answers and catalogue")
            put(mapping_files(list(release.mapping_sets)), "mappings")
            put(kgx_files(release), "KGX")
            put({CONTEXT_FILE: (json.dumps(jsonld_context(release.ontology), indent=2, sort_keys=True) + "\n")
                 .encode("utf-8")}, "JSON-LD context")
            gzipped.result()
            clock.lap("release: whole N-Triples gzipped (waited for)")
            stats = dataset_description.statistics(split, release.store, release.curation)
            clock.lap("release: VoID counts")
            index = record_index(release.data_nt, release.ontology_nt, release.store, answers["queries/catalog.ttl"],
                                 split.subject_starts)
            clock.lap("release: Linked Data index by record")
            times = forked.wait()
            clock.lap("release: the child's files (waited for)")
            written, syntax_times = syntaxes.wait()
            tree.adopt(written)
            clock.lap("release: the Turtle and JSON-LD dumps (waited for)")
        except BaseException:
            if forked is not None:
                forked.stop()
            syntaxes.stop()
            raise
        for stage, seconds in times.items():
            clock.record(f"  release, {forked.where}: {stage}", seconds)
        for stage, seconds in syntax_times.items():
            clock.record(f"  release, in a process of its own: {stage}", seconds)
        # As late as the description allows (it gives their sizes): HermiT's classification
        # runs beside the build until here.
        put(dict(release.owl_files), "OWL artefacts (waited for HermiT's classification)")
        void_graph = dataset_description.description(stats, release.curation, tree.sizes)
        void_nt = sorted_ntriples(void_graph)
        clock.lap("release: VoID description")
        # The description's Turtle (rdflib's writer, the longest of the stages left) is written
        # and checked against the HCLS profile by a child forked now, while this process makes
        # the dataset page and the Linked Data files from the same graph; above
        # FORK_RELEASE_UP_TO, here: the child's writing into the pages it shares with this
        # process, large by then, made the build's peak.
        described = FilesBeside(tree, ((
            "VoID description's Turtle (checked against the HCLS profile)", DESCRIPTION_FILE,
            partial(_checked_description, void_graph, hcls_checks)),), fork)
        clock.lap(f"release: VoID description's Turtle, {described.where} (started, or written)")
        try:
            put(site_files(release, void_graph), "dataset page")  # its Dataset JSON-LD is read from the description
            docs_html = release.docs_html
            put({"docs/index.html": docs_html}, "ontology documentation (pyLODE, waited for)")
            linked_data = LinkedDataFiles(index, release.ontology_nt, void_nt, docs_html.decode("utf-8"),
                                          answer_files, tree.staging / "nanopubs.trig", split.graphs, documents)
            if linked_data.served or len(linked_data.graph.records) < FORK_DOCUMENTS_FROM:
                for name, content in linked_data:
                    tree.write_soon(name, content)  # a few at a time: the documents are never held at once
            else:
                # Half the records' and nanopublications' documents are made and written by a
                # child forked now, which shares the index of the triples just made; this
                # process makes the other half and the rest. HermiT's reasoning is waited for
                # first: beside two busy processes its JVM would starve and end last. No writer
                # thread is mid-file when the child is forked.
                release.reasoning  # noqa: B018
                tree.flush()
                share = in_child(_write_share, tree.staging, linked_data, (1, 2))
                try:
                    for name, content in chain(linked_data.shared((0, 2)), linked_data.rest()):
                        tree.write_soon(name, content)
                    tree.adopt(share()[0])
                except BaseException:
                    share.stop()
                    raise
            clock.lap("release: Linked Data (" + ("the stored queries' documents and pages; the records', "
                                                  "nanopublications' and named graphs' are made by serve"
                                                  if linked_data.served else
                                                  "a document and a page per record, nanopublication and named graph")
                      + "; .htaccess)")
            times = described.wait()
        except BaseException:
            described.stop()
            raise
        for stage, seconds in times.items():
            clock.record(f"  release, {described.where}: {stage}", seconds)
        # Last, so that HermiT's reasoning (beside the build) had the time of the files above:
        # the report gives its verdict, and a failed run stops the build here, before dist/
        # is replaced.
        put({"build-report.md": build_report(release).encode("utf-8")}, "build report (waited for HermiT's reasoning)")
        tree.write("SHA256SUMS", tree.sums())  # every file above; timings.json varies from run to run
        release.timings["total before the swap"] = round(time.perf_counter() - started, 4)
        tree.write("timings.json", (json.dumps(release.timings, indent=2) + "\n").encode("utf-8"))
        tree.commit()
    finally:
        pool.shutdown(cancel_futures=True)


# Below this many records the documents are made in this process alone: forking a child costs
# more than it saves, and HermiT's reasoning can go on beside them.
FORK_DOCUMENTS_FROM = 2000


def _checked_description(void_graph, hcls_checks) -> bytes:
    """void.ttl: rdflib's Turtle writer orders subjects, predicates and objects itself, and the
    description has no blank node, so the graph is written as it is, not read back first. The
    Turtle is what the HCLS profile's checks read (None: no check)."""
    void = turtle(void_graph)
    if hcls_checks is not None:
        from .hcls import failures_and_gaps, format_failures, store_of_turtle

        failures, _ = failures_and_gaps(hcls_checks, store_of_turtle(void))
        if failures:
            raise BuildError(format_failures(failures))
    return void


# The release's files made from the named graphs (and the nanopublications), and the description,
# are written by forked children up to this size of the data's N-Triples (bytes), by the build
# itself above it (forks). A child
# writes into pages it shares with the build, so each keeps a copy of them: measured on two
# cores, at scale 100 (42 MB) the named graphs' child saved 16 % of the build's time for 20 % more
# memory (about 130 MB); at scale 1000 (420 MB) it saved 6 % for 24 % more (1 GB), the two
# processes slowing each other down, and the description's child, forked at the end, made the
# build's peak (4.2 GB against 3.4-3.5 GB with the description written in the build). Forked as
# soon as the graphs are split (pipeline.releasing), the named graphs' child took up the second
# core that the ontology checks and the stored queries leave idle: at scale 100, 11.2-11.5 s ->
# 10.5-10.8 s, and with the nanopublications moved into it, 9.6-10.1 s.
FORK_RELEASE_UP_TO = 200_000_000


class FilesBeside:
    """Release files, as (stage, file, make), written beside this process by a child forked now
    (fork), or written here and now (then wait() has nothing to wait for). make() gives the
    file's content (bytes, or an iterable of them) or a writer to a path, for the writers that
    stream to a file. The fork happens with no writer thread of the tree mid-file."""

    def __init__(self, tree: StagedTree, stages, fork: bool):
        self._tree, self._child, self.where = tree, None, "in a child" if fork else "in the build"
        if fork:
            tree.flush()
            self._child = in_child(_write_in_child, tree, stages)
        else:
            self._times = _write_stages(tree, stages)

    def wait(self) -> dict[str, float]:
        """Each stage's seconds, once its files are in the tree."""
        if self._child is None:
            return self._times
        (written, times), _ = self._child()
        self._tree.adopt(written)
        return times

    def stop(self) -> None:
        if self._child is not None:
            self._child.stop()


def _write_stages(tree: StagedTree, stages) -> dict[str, float]:
    times = {}
    for stage, name, make in stages:
        started = time.perf_counter()
        made = make()
        if callable(made):
            tree.write_with(name, made)
        else:
            tree.write(name, made)
        times[stage] = time.perf_counter() - started
    return times


def _write_in_child(tree: StagedTree, stages) -> tuple[list[tuple[str, str, int]], dict[str, float]]:
    """In a forked child: the stages written into the tree's staging folder; the files written
    (path, SHA-256, size, for StagedTree.adopt) and each stage's seconds."""
    before = set(tree.digests)
    times = _write_stages(tree, stages)
    return [(rel, digest, tree.sizes[rel]) for rel, digest in tree.digests.items() if rel not in before], times


def _write_share(folder: Path, documents, share: tuple[int, int]) -> list[tuple[str, str, int]]:
    """In a forked child: a share of the records' and nanopublications' documents, written into
    the staging folder."""
    return write_files(folder, documents.shared(share))


def _conflict_lines(conflict) -> list[str]:
    return [
        f"- {conflict.kind}: {conflict.explanation}",
        *(f"  - {s.id} ({s.source}): \"{s.quote}\"" for s in (conflict.first, conflict.second)),
    ]


def build_report(release: Release) -> str:
    c = release.curation
    kinds = Counter(e.kind for e in c.entities.values())
    unresolved = sorted(e.id for e in c.entities.values() if e.curie is None)
    hedged = [s for s in c.statements if s.hedge]
    per_source = Counter(s.source for s in c.statements)
    lines = [
        f"# mirkg build report (version {__version__})",
        "",
        *(f"- source {s.id}: data/sources/{s.folder.name}/text.txt ({s.part}), sha256 {s.text.sha256}"
          for s in c.sources.values()),
        f"- statements: {len(c.statements)} ({len(hedged)} hedged, "
        f"{sum(s.statement_type != 'finding' for s in c.statements)} limitations, "
        f"{sum(s.citation is None for s in c.statements)} without a reference number)",
        f"- entities: {len(c.entities)} ({len(c.entities) - len(unresolved)} with a confirmed identifier, "
        f"{len(unresolved)} unresolved)",
        "- entities by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(kinds.items())),
        f"- references: {len(c.references)} ("
        + ", ".join(f"{s} {n}" for s, n in sorted(Counter(r.status for r in c.references.values()).items())) + ")",
        f"- triples: {release.triple_count} instance, {release.ontology_triple_count} ontology "
        "(with its import module and mapping links)",
        "",
        "## Sources",
        "",
        "| source | part | work | statements |",
        "|---|---|---|---|",
        *(f"| {s.id} | {s.part} | {s.work} | {per_source[s.id]} |" for s in c.sources.values()),
        "",
        f"{len(release.merged.assertions)} assertions from {len(c.statements)} statements; "
        f"{sum(len(a.sources) > 1 for a in release.merged.assertions)} supported by more than one source.",
        "",
        "## Conflicts",
        "",
        "Listed, never resolved by editing: each source says what it says.",
        "",
        *(line for conflict in release.merged.conflicts for line in _conflict_lines(conflict)),
        *([] if release.merged.conflicts else ["None."]),
        "",
        "## Unresolved entities",
        "",
        *(f"- {eid}: {c.entities[eid].unresolved}" for eid in unresolved),
        "",
        "## Validation",
        "",
        f"{len(release.violations)} violation(s), "
        f"{sum(r.severity == 'Warning' for r in release.results)} warning(s); details in validation-report.txt.",
        "",
        *(f"- {r.severity}: {r.record or r.focus}: {r.message}" for r in release.results),
        "",
        "## OWL reasoning",
        "",
        release.reasoning,
        "",
        "## Stored queries",
        "",
        "| query | question | answer |",
        "|---|---|---|",
    ]
    for q in release.queries:
        a = release.answers[q.name]
        size = {"ASK": str(a.boolean).lower(), "SELECT": f"{len(a.rows)} row(s)"}.get(a.form, f"{len(a.triples)} triple(s)")
        example = " ".join(f"{k}={v}" for k, v in q.example.items())
        lines.append(f"| {q.name}{' (' + example + ')' if example else ''} | {q.question} | {size} |")
    lines += ["", "Stage timings vary from run to run, so they are kept out of this file: see timings.json.", ""]
    return "\n".join(lines)
