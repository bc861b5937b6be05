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

import json
import time
from collections import Counter
from itertools import chain
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from . import __version__
from .children import OneWay, in_child
from .clock import Clock
from .curation import Curation
from .sources import release_text_path
from .errors import BuildError
from .namespaces import PREFIXES
from .release import (
    Release,
    StagedTree,
    deterministic_gzip,
    mapped_text,
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
from .named_graphs import Split, as_quads
from .jsonld import context as jsonld_context
from .nanopubs import nanopub_claims, nanopublication_texts, write_trig
from .shacl_report import format_report
from .syntax_dumps import SyntaxDumps

def _parsed(text: bytes, syntax: ox.RdfFormat = ox.RdfFormat.N_TRIPLES):
    """The parser's own quads (N-Triples' in the default graph), handed to Oxigraph's writers
    as they come: a graph syntax's writer takes default-graph quads as triples."""
    return ox.parse(text, format=syntax)



def _gzip_file(pieces, path: Path) -> None:
    with open(path, "wb") as out:
        deterministic_gzip(pieces, out)


def trig_of(split: Split, prefixes: dict[str, str], out: Path) -> None:
    """TriG of the named graphs, in graph IRI order, each graph's triples sorted (Oxigraph).
    Each graph's text is made N-Quads text and parsed as such, a piece at a time (blank node
    labels: a piece's own to the parser, but keeping their text: the same label is the same node
    throughout), so that no quad is put together in Python."""
    def quads():
        for name in sorted(split.graphs):
            for piece in split.graphs[name].pieces():
                yield from _parsed(as_quads(piece, name), ox.RdfFormat.N_QUADS)

    with open(out, "wb") as file:  # not the path: Oxigraph would fsync it (syntax_dumps.write_dump)
        ox.serialize(quads(), file, format=ox.RdfFormat.TRIG, prefixes=prefixes)


# ------------------------------------------------------------------------------------------------
# All the files


def _graph_files_given(tree: StagedTree, given: OneWay, ontology: Graph, signing_key):
    """In the child: GraphFiles' stages, once the split is received."""
    split, claims = given.receive()
    return _write_in_child(tree, _graph_stages(_with_text(tree, split), claims, ontology, signing_key))


def _with_text(tree: StagedTree, split: Split) -> Split:
    """The split with its text: its own, or the instance N-Triples written into the tree, mapped
    (release.MappedText). By path, not tree.mapped: the child's copy of the tree was forked before
    the file was written, and does not list it."""
    return split if split.text else split.with_text(mapped_text(tree.staging / "mirkg.nt"))


def _graph_stages(split: Split, claims, ontology: Graph, signing_key):
    trig_prefixes = {**PREFIXES, "mirkgraph": str(GRAPH)}
    ld_context = jsonld_context(ontology)
    return (
        ("N-Quads", "mirkg.nq", split.nquads),
        ("TriG", "mirkg.trig", partial(partial, trig_of, split, trig_prefixes)),
        ("JSON-LD claims, framed", CLAIMS_FILE, partial(claims_document, split, ld_context)),
        ("nanopublications", "nanopubs.trig", partial(_nanopubs_writer, split, claims, signing_key)),
    )


def _nanopubs_writer(split: Split, claims, signing_key):
    texts = nanopublication_texts(split, claims, f"{release_date()}T00:00:00+00:00", str(version_iri()), signing_key)
    return partial(write_trig, texts)


def forks(data_nt: bytes) -> bool:
    """Whether a forked child writes the description: up to FORK_RELEASE_UP_TO bytes of the
    data's N-Triples; above it, the build itself."""
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
    pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="release-thread")
    try:
        def put(files: dict[str, bytes], stage: str) -> None:
            for name, content in files.items():
                tree.write(name, content)
            clock.lap(f"release: {stage}")

        split = release.split
        fork = forks(release.data_nt)  # the description's child, or this process
        put({"ontology.nt": release.ontology_nt}, "N-Triples")
        if "mirkg.nt" not in tree.digests:  # the build wrote it when it had a tree (pipeline.releasing)
            tree.write("mirkg.nt", release.data_nt)
        tree.write("mirkg-all.nt", split.whole())
        # gzip in a thread (zlib works without Python's lock) while the rest is written.
        gzipped = pool.submit(tree.write_with, "mirkg-all.nt.gz", partial(_gzip_file, split.whole()))
        clock.lap("release: whole N-Triples")
        # Their Turtle and JSON-LD, by a process started now; the files made from the named
        # graphs, by the child the build sent them to once they were split, or here (GraphFiles);
        # this process writes the rest.
        syntaxes = SyntaxDumps(tree.staging, PREFIXES, CONTEXT_FILE)
        forked = release.graph_files
        try:
            if forked is None:
                forked = GraphFiles(tree, release.ontology, signing_key, fork=False)
                forked.give(split, release.curation)
                clock.lap("release: the named graphs' files and the nanopublications, in the build")
            # the source texts, byte for byte: the annotations' source (oa:hasSource); written
            # by a thread, since a large release's many small files (6,000 at scale 1000) wait
            # on the file system, busy with the large ones, for seconds
            texts = pool.submit(_write_texts, tree, release.curation)
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
        texts.result()
        clock.lap("release: source texts (waited for)")
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


def _write_texts(tree: StagedTree, curation: Curation) -> None:
    for source in curation.sources.values():
        tree.write(release_text_path(source.id), source.text.data)


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


# The description is written by a forked child up to this size of the data's N-Triples (bytes),
# by the build itself above it (forks): a child writes into pages it shares with the build, so
# each keeps a copy of them, and the description's child, forked at the end, made the build's
# peak at scale 1000 (4.2 GB against 3.4-3.5 GB with the description written in the build).
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


class GraphFiles(FilesBeside):
    """The files made from the named graphs alone (N-Quads, TriG, the framed claims, the
    nanopublications), written into the staging tree by a child forked now (fork), which waits
    for the split (give) and then writes them on the second core, beside the ontology checks
    and the stored queries; or written here when given. signing_key: as write_release's.

    The build forks it at its start, while it is small, and sends it the split's offsets; the
    child reads the text from the tree's mirkg.nt, which the build writes first and then stops
    holding. Forked from the large build once the graphs were split, the child shared the text
    but its memory allocator filled the build's free blocks, whose pages were then copied as
    both went on (1.3 GB by the peak at scale 1000, against the 0.4 GB text it now reads); sent
    the text itself, it held its copy while the build still held the original."""

    def __init__(self, tree: StagedTree, ontology: Graph, signing_key=None, fork: bool = True):
        # FilesBeside's, but the stages are known only once the split is given
        self._tree, self._ontology, self._key = tree, ontology, signing_key
        self._child, self._times, self.where = None, {}, "in a child" if fork else "in the build"
        if fork:
            self._input = OneWay()
            tree.flush()
            self._child = in_child(_graph_files_given, tree, self._input, ontology, signing_key)
            self._input.started()

    def give(self, split: Split, curation: Curation) -> None:
        """The split to write the files of (without its text, the tree's mirkg.nt is read), and
        the claims of the curation (nanopub_claims). A child that ended first raises its error
        here."""
        claims = nanopub_claims(curation)
        if self._child is None:
            self._times = _write_stages(self._tree, _graph_stages(_with_text(self._tree, split), claims,
                                                                  self._ontology, self._key))
            return
        try:
            self._input.send((split.with_text(b""), claims))
        except BrokenPipeError:
            self._child.result()  # raises the child's error
            raise


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
