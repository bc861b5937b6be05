"""The release's named graphs (see mirkg/publish.py for what each holds), split from its sorted
N-Triples and held as runs of that one text, never as a line object per triple.

The child that writes the files made from the graphs (publish.GraphFiles) is sent a few arrays of
offsets and reads the text from the release's mirkg.nt, rather than two and a half million line
objects at scale 1000 (half a gigabyte of them beside the text, in the build); the text is also
what the N-Quads and the whole N-Triples are cut from, a piece at a time, in C.

Each instance subject belongs to one graph (graph_of), so a graph's lines are runs of the sorted
text (each run the lines of consecutive subjects), and the runs of all the instance graphs,
in order, tile it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import URIRef

from . import iris
from .dataset import DATA_GRAPH, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, content_graphs, source_graph
from .errors import BuildError
from .release import ntriples_text

PIECE = 1 << 22  # bytes of text handed on at a time


class Lines:
    """Sorted N-Triples lines, held as runs of one text: `runs` holds each run's start and end
    offsets, in order, every run whole lines with their newlines."""

    __slots__ = ("text", "runs")

    def __init__(self, text: bytes, runs: array | None = None):
        self.text = text
        self.runs = runs if runs is not None else array("q", (0, len(text)) if text else ())

    @classmethod
    def of(cls, lines: Iterable[bytes]) -> Lines:
        """Lines given one by one (without their newlines), already sorted."""
        return cls(ntriples_text(lines))

    def __len__(self) -> int:
        text, runs = self.text, self.runs
        return sum(text.count(b"\n", runs[i], runs[i + 1]) for i in range(0, len(runs), 2))

    def pieces(self, size: int = PIECE) -> Iterator[bytes]:
        """The lines as text, in pieces of whole lines (with their newlines) of about `size` bytes."""
        runs = self.runs
        for i in range(0, len(runs), 2):
            yield from _cut(self.text, runs[i], runs[i + 1], size)

    def __iter__(self) -> Iterator[bytes]:
        """Each line, without its newline, made as it is read."""
        for piece in self.pieces():
            yield from piece.splitlines()


def _cut(text: bytes, start: int, end: int, size: int = PIECE) -> Iterator[bytes]:
    """text[start:end] (whole lines) in pieces of whole lines of about `size` bytes."""
    while start < end:
        cut = end if end - start <= size else text.index(b"\n", start + size) + 1
        yield text[start:cut]
        start = cut


def _quad_tail(graph) -> bytes:
    """What ends an N-Quads line of the graph, in place of an N-Triples line's " .\\n"."""
    return b" <%s> .\n" % str(graph).encode()


def as_quads(piece: bytes, graph) -> bytes:
    """N-Triples text (whole lines) as N-Quads text in the graph. Every line of the release's
    N-Triples ends with " ." and a newline, which no term holds (a literal's line break is
    escaped), so that is where the graph goes."""
    return piece.replace(b" .\n", _quad_tail(graph))


@dataclass(frozen=True)
class Split:
    """The dataset as named graphs (graph IRI -> its Lines), the shared graphs first, then the
    source graphs in source id order (dataset.content_graphs): the ontology's lines in its own
    text, every other graph's runs of `text`, the instance data's sorted N-Triples (the
    release's mirkg.nt)."""

    text: bytes
    graphs: dict[URIRef, Lines]
    # Where each run of one instance graph's lines starts in text, in order (the runs tile it),
    # and its graph.
    runs: array
    run_graphs: tuple[URIRef, ...]
    # Where each instance subject's lines start in text, in order: for the Linked Data index
    # (linked_data.subject_ranges reads the subjects there instead of every line) and the claims.
    subject_starts: array
    # claim id -> the ordinals (in subject_starts) of the claim's subjects: its own node and
    # those minted under it, which need not be next to each other in the text (claim/s10 sorts
    # between claim/s1/span and claim/s1).
    claim_subjects: dict[str, array]

    def with_text(self, text: bytes) -> Split:
        """The same split over another copy of its text (b"": none, while its holder has no use
        for it: pipeline.releasing, publish.GraphFiles)."""
        graph_runs = [(g, lines.runs) for g, lines in self.graphs.items() if g != ONTOLOGY_GRAPH]
        return _split_of(text, self.graphs[ONTOLOGY_GRAPH].text, graph_runs, self.runs, self.run_graphs,
                         self.subject_starts, self.claim_subjects)

    def whole(self) -> Iterator[bytes]:
        """The union of the graphs as sorted N-Triples text, in pieces: the ontology's lines
        put where they sort among the instance data's (a triple in both is written once)."""
        return self._merged(quads=False)

    def nquads(self) -> Iterator[bytes]:
        """Every graph's N-Quads, sorted, in pieces: the instance data's text with each run's
        graph, the ontology's lines put where their quads sort. A graph's quads sort as its
        triples do (they differ only where the triples do, or where one triple ends and the
        other goes on, and a space sorts before what can follow a term), and two graphs' lines
        have different subjects, so the text's order is the quads' order."""
        return self._merged(quads=True)

    def _merged(self, quads: bool) -> Iterator[bytes]:
        text, bounds = self.text, [*self.runs, len(self.text)]
        extra: dict[int, list[bytes]] = defaultdict(list)
        for line in self.graphs[ONTOLOGY_GRAPH]:
            key = as_quads(line + b"\n", ONTOLOGY_GRAPH) if quads else line + b"\n"
            at = self._position(key, quads)
            if quads or text[at:at + len(key)] != key:
                extra[at].append(key)
        points, j = sorted(extra), 0
        for r, graph in enumerate(self.run_graphs):
            start, end = bounds[r], bounds[r + 1]
            tail = _quad_tail(graph) if quads else None
            while start < end:
                if j < len(points) and points[j] == start:
                    yield b"".join(extra[start])
                    j += 1
                stop = points[j] if j < len(points) and points[j] < end else end
                for piece in _cut(text, start, stop):
                    yield piece.replace(b" .\n", tail) if tail else piece
                start = stop
        if j < len(points):  # after the text's last line
            yield b"".join(extra[points[j]])

    def _position(self, key: bytes, quads: bool) -> int:
        """Where in text the line `key` (with its newline; an N-Quads line when quads) sorts:
        the offset of the first line not less than it (a binary search over the text's lines)."""
        text = self.text
        lo, hi = 0, len(text)
        while lo < hi:
            start = text.rfind(b"\n", lo, (lo + hi) // 2) + 1 or lo
            end = text.index(b"\n", start) + 1
            line = text[start:end]
            if quads:
                line = as_quads(line, self.run_graphs[bisect_right(self.runs, start) - 1])
            if line < key:
                lo = end
            else:
                hi = start
        return lo

    def subjects_in(self, graph) -> int:
        """How many instance subjects the graph's lines are about."""
        starts, runs = self.subject_starts, self.graphs[graph].runs
        return sum(bisect_left(starts, runs[i + 1]) - bisect_left(starts, runs[i]) for i in range(0, len(runs), 2))

    def claim_lines(self, claim_id: str) -> list[bytes]:
        """The claim's lines and those of the nodes minted under it (its span and selectors,
        evidence and annotation), sorted: what its nanopublication and framed claim are made
        from. The source graphs hold exactly these (graph_of)."""
        starts, text = self.subject_starts, self.text
        lines: list[bytes] = []
        for i in self.claim_subjects.get(claim_id, ()):
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            lines += text[starts[i]:end].splitlines()
        return lines

    def claims(self) -> Iterator[tuple[str, list[bytes]]]:
        """(claim id, claim_lines) of every claim, in claim id order, made one at a time."""
        for claim_id in sorted(self.claim_subjects):
            yield claim_id, self.claim_lines(claim_id)


def _split_of(text: bytes, ontology_nt: bytes, graph_runs, runs, run_graphs, starts, claim_subjects) -> Split:
    return Split(text, {ONTOLOGY_GRAPH: Lines(ontology_nt), **{g: Lines(text, r) for g, r in graph_runs}},
                 runs, run_graphs, starts, claim_subjects)


# Kinds of node whose triples go to the data graph, and to the provenance graph; a claim and the
# nodes minted under it go to its source's graph.
DATA_KINDS = ("entity", "assertion", "conflict")
PROVENANCE_KINDS = ("reference", "citation", "work", "agent", "source", "activity")


def claim_sources(curation) -> dict[str, str]:
    """claim id -> the id of the source it is read from (Statement.source)."""
    return {s.id: s.source for s in curation.statements}


def graph_of(subject: str, sources: dict[str, str], parsed: iris.Parsed | None = None) -> URIRef:
    """The named graph an instance triple belongs to, decided by its subject (and the subject's
    parts, when the caller has them already); sources: claim id -> source id (claim_sources)."""
    parsed = parsed or iris.parse(subject)
    if parsed is None:
        raise BuildError(f"instance triple about {subject}, outside {iris.BASE}: named_graphs.graph_of does not know its graph")
    if parsed.kind == "claim":
        if parsed.record not in sources:
            raise BuildError(f"instance node {subject} belongs to claim '{parsed.record}', which no source's "
                             "statements hold; named_graphs.graph_of cannot give it a source graph")
        return source_graph(sources[parsed.record])
    if parsed.kind in DATA_KINDS:
        return DATA_GRAPH
    if parsed.kind in PROVENANCE_KINDS:
        return PROVENANCE_GRAPH
    raise BuildError(f"instance node {subject} is of an unknown kind '{parsed.kind}'; named_graphs.graph_of must place it")


def split_graphs(ontology_nt: bytes, pieces: Iterable[bytes], curation, joined: bool = True) -> Split:
    """The release's sorted instance N-Triples, given as text in pieces of whole lines (the
    release's mirkg.nt, a piece at a time: release.file_pieces), joined into its text (not when
    joined is False: Split.with_text gives it later) and split by subject into the data,
    provenance and source graphs (one per source of the curation, empty when no claim is read
    from it); the ontology in its own. Linear in the text: each subject is parsed once, each
    claim's source looked up in one map."""
    sources = claim_sources(curation)
    if joined:
        pieces = [text := b"".join(pieces)]
    else:
        text = b""
    graphs = [g for g in content_graphs(curation.sources) if g != ONTOLOGY_GRAPH]
    runs_of: dict[URIRef, array] = {g: array("q") for g in graphs}
    runs, run_graphs, starts = array("q"), [], array("q")
    # Arrays: the split is held through the build's peak, and again by the child that writes
    # the named graphs' files (lists of ints, with an IRI object per run before source_graph
    # made one per source, held 14 MB more in each at scale 1000).
    claim_subjects: dict[str, array] = defaultdict(lambda: array("q"))
    graph, sizes = None, []
    for offset, subject, parsed in _subjects(pieces, sizes):
        now = graph_of(subject, sources, parsed)
        if now != graph:
            if graph is not None:
                runs_of[graph].append(offset)
            graph = now
            runs.append(offset)
            run_graphs.append(graph)
            runs_of[graph].append(offset)
        if parsed.kind == "claim":
            claim_subjects[parsed.record].append(len(starts))
        starts.append(offset)
    if graph is not None:
        runs_of[graph].append(sum(sizes))
    return Split(text, {ONTOLOGY_GRAPH: Lines(ontology_nt), **{g: Lines(text, runs_of[g]) for g in graphs}},
                 runs, tuple(run_graphs), starts, dict(claim_subjects))


def _subjects(pieces: Iterable[bytes], sizes: list[int]) -> Iterator[tuple[int, str, iris.Parsed | None]]:
    """Where each instance subject's lines start in the text the pieces make (each piece's size
    appended to `sizes` as it is read), with the subject and its parts (mirkg.iris.parse), parsed
    once per subject: the lines are sorted, so a subject's lines come together. Instance subjects
    are IRIs (never blank nodes), so a line starts with its subject."""
    offset, last = 0, None
    for piece in pieces:
        at, size = 0, len(piece)
        while at < size:
            head = piece[at:piece.index(b">", at) + 1]
            if head != last:  # a subject's lines may go on in the next piece
                last = head
                subject = head[1:-1].decode("utf-8")
                yield offset + at, subject, iris.parse(subject)
            at = piece.index(b"\n", at) + 1
        offset += size
        sizes.append(size)
