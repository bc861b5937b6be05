"""The release: the one object every file of dist/ is made from, its sorted N-Triples, and the
staged folder that replaces dist/ in one step.

A failed build leaves the previous dist/ exactly as it was: the new tree is written beside it and
swapped in by renames only when complete.
"""

from __future__ import annotations

import gzip
import hashlib
import mmap
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, groupby
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .bulk import gc_paused
from .errors import BuildError

if TYPE_CHECKING:  # types only: the modules that make a release's parts use this module's writers
    from .assertions import Merged
    from .curation import Curation
    from .mappings import MappingSet
    from .named_graphs import Split
    from .publish import GraphFiles
    from .beside import Beside
    from .queries import Answer, StoredQuery
    from .shacl_report import Result


# The data's and the ontology's licence, in every release file that states one.
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")


@dataclass(frozen=True)
class Release:
    """Everything dist/ is made from, made once. The exporters (mirkg/publish.py, site.py,
    kgx.py, the report) are functions of it.

    data_nt and ontology_nt are the release's sorted N-Triples (data_nt mapped from the staged
    mirkg.nt, when the build wrote one: MappedText, read as bytes are); `store` holds both, in its
    default graph, and answered the SHACL-SPARQL constraints, the ontology checks and the stored
    queries."""

    curation: Curation
    ontology: Graph
    ontology_nt: bytes
    data_nt: bytes
    store: ox.Store
    mapping_sets: tuple[MappingSet, ...]
    queries: tuple[StoredQuery, ...]
    answers: Mapping[str, Answer]
    results: tuple[Result, ...]
    split: Split | None  # the release's named graphs (mirkg.named_graphs.split_graphs); None for validation alone
    beside: Beside  # HermiT's run (the reasoning verdict, the ontology's OWL artefacts) and pyLODE's page
    # the files made from the named graphs, being written into the build's staging tree by a child
    # (mirkg.publish.GraphFiles); None: write_release writes them
    graph_files: GraphFiles | None
    timings: dict[str, float] = field(default_factory=dict, compare=False)

    @property
    def reasoning(self) -> str:
        """What OWL reasoning found (waits for HermiT if it is still running)."""
        return self.beside.verdict()

    @property
    def owl_files(self) -> Mapping[str, bytes]:
        """The ontology's OWL artefacts (mirkg/owl_release.py; waits for HermiT's classification)."""
        return self.beside.owl_files()

    @property
    def docs_html(self) -> bytes:
        """pyLODE's page of the ontology (mirkg/docs.py; waits for it)."""
        return self.beside.docs_html()

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @cached_property
    def merged(self) -> Merged:
        """The curation's assertions, the works behind them and their conflicts."""
        from .assertions import Merged

        return Merged.of(self.curation)

    @cached_property
    def triple_count(self) -> int:
        return self.data_nt.count(b"\n")

    @cached_property
    def ontology_triple_count(self) -> int:
        return self.ontology_nt.count(b"\n")

    @cached_property
    def claim_labels(self) -> dict[str, str]:
        """Each claim's rdfs:label, by claim IRI, as the data writes it."""
        rows = self.store.query("SELECT ?c ?l WHERE { ?c a <https://w3id.org/mirkg/Claim> ; "
                                "<http://www.w3.org/2000/01/rdf-schema#label> ?l }")
        return {row[0].value: row[1].value for row in rows}


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def graph_of_ntriples(data: bytes) -> Graph:
    """N-Triples read into an rdflib graph with their blank node labels kept (rdflib's own parser
    renames them at random), so that a graph read back from canonical N-Triples stays canonical."""
    import pyoxigraph as ox

    def term(t):
        if isinstance(t, ox.BlankNode):
            return BNode(t.value)
        if isinstance(t, ox.NamedNode):
            return URIRef(t.value)
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype.value == _XSD_STRING:  # written plain, as rdflib's parser reads it
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))

    graph = Graph()
    for quad in ox.parse(data, format=ox.RdfFormat.N_TRIPLES):
        graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))
    return graph


def sorted_ntriples(graph: Graph) -> bytes:
    """The graph's N-Triples, sorted. Blank nodes keep their labels: every graph of the build
    labels them from its content (the ontology is canonicalised once, as it is loaded; the mapping
    sets hash their rows), so the bytes do not change between runs."""
    return sorted_ntriples_text(graph.serialize(format="nt", encoding="utf-8"))


def sorted_ntriples_text(data: bytes) -> bytes:
    """N-Triples text in the release's form: each line once, sorted. The lines are sorted as
    UTF-8 bytes: the same order as sorting the text (UTF-8 keeps code point order), and much
    cheaper than sorting and joining text that is not all ASCII."""
    return ntriples_text(_each_once_sorted(list(_lines(data))))


class SortedFile:
    """A file's N-Triples sorted as sorted_ntriples_text sorts them (each line once, in byte
    order), into `target`, by GNU sort (coreutils, with LC_ALL=C: byte order) in a process of
    its own, started now: it runs while the caller makes HermiT's summary, in a tenth of the
    memory that the lines sorted here held (at scale 1000: 0.1 GB against 0.5 GB, beside the
    store as it loads) and in half the time. Its temporary runs go into the build's private
    folder (children.stopping), and a stopped build kills it with its other children."""

    MEMORY = "128M"  # sort's buffer; past it, sort merges runs it writes to its temporary folder

    def __init__(self, source: Path, target: Path):
        self.target = target
        try:
            self._process = subprocess.Popen(
                ["sort", "--unique", f"--buffer-size={self.MEMORY}", "--parallel=1",
                 f"--temporary-directory={tempfile.gettempdir()}", f"--output={target}", "--", str(source)],
                env={**os.environ, "LC_ALL": "C"}, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE)
        except FileNotFoundError:
            raise BuildError("the build sorts the N-Triples with `sort`, which is not on the PATH\n"
                             "  fix: install GNU coreutils (Debian and Ubuntu: apt-get install coreutils)") from None

    def wait(self) -> Path:
        """The sorted file, once written; BuildError if sort failed."""
        _, error = self._process.communicate()
        if self._process.returncode != 0:
            raise BuildError(f"sorting the N-Triples into {self.target} failed (sort exited with "
                             f"{self._process.returncode}): {error.decode(errors='replace').strip()}\n"
                             "  fix: free space in the temporary folder or the release's folder, then build again")
        return self.target


def file_pieces(path: Path, piece: int = 1 << 25) -> Iterator[bytes]:
    """A file's text in pieces of whole lines, of about `piece` bytes each (a piece is cut at
    the end of a line): never the whole text at once."""
    with open(path, "rb") as file:
        while text := file.read(piece):
            yield text + file.readline()


class MappedText(mmap.mmap):
    """A file's text mapped rather than read, for a process that reads it in slices (the
    release's mirkg.nt, in the build's release writers and the child that writes the named
    graphs' files): the pages it has read
    are dropped from the process every DROP_AFTER bytes sliced, so that it never holds more than
    that of the text (at scale 1000, reading it in cost the child half a gigabyte, beside the
    build's store and SHACL's child). The file's pages stay in the system's cache: reading them
    again costs a page fault, not a read. The file must not change while it is mapped."""

    DROP_AFTER = 1 << 24

    def __new__(cls, path: Path):
        with open(path, "rb") as file:
            text = super().__new__(cls, file.fileno(), 0, access=mmap.ACCESS_READ)
        text.sliced = 0
        return text

    def __getitem__(self, key):
        got = super().__getitem__(key)
        if isinstance(key, slice):
            self.sliced += len(got)
            if self.sliced >= self.DROP_AFTER:
                self.madvise(mmap.MADV_DONTNEED)
                self.sliced = 0
        return got

    def index(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        found = self.find(sub, start, len(self) if end is None else end)
        if found < 0:
            raise ValueError(f"{sub!r} not found in the mapped text")
        return found

    def count(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        end = len(self) if end is None else min(end, len(self))
        if len(sub) != 1:  # a longer one may straddle two pieces
            return self[start:end].count(sub)
        return sum(self[at:min(at + self.DROP_AFTER, end)].count(sub) for at in range(start, end, self.DROP_AFTER))


def mapped_text(path: Path) -> bytes | MappedText:
    """The file's text as a MappedText, or b"" when it is empty (an empty file has no mapping)."""
    return MappedText(path) if path.stat().st_size else b""


def ntriples_text(lines: list[bytes]) -> bytes:
    """Sorted N-Triples lines (without their newlines) as the release's N-Triples text, each line
    with its newline, made in one copy (adding the last newline to the joined lines made a
    second, of the whole text)."""
    return b"\n".join(chain(lines, (b"",)))


def _lines(text: bytes):
    """The N-Triples lines of the text, blank ones left out."""
    return (ln for ln in text.splitlines() if ln.strip())


def _each_once_sorted(lines: list[bytes]) -> list[bytes]:
    """The lines sorted (in place), each run of equal lines kept once: a set first cost a table
    six times the list's size, and hashing every line (at scale 1000: 4.9 s instead of 3.3 s)."""
    with gc_paused():
        lines.sort()
        return [line for line, _ in groupby(lines)]


def ntriples_pieces(triples, piece_triples: int = 1 << 16):
    """The N-Triples of triples without blank nodes given as a list (triples.triples_of),
    unsorted, one piece per `piece_triples` triples: a line per triple, in the triples' order
    (a triple listed twice is written twice). For a reader that can start on the first pieces
    before the last are written (the build's SHACL child); sorted_ntriples_text of their
    concatenation is sorted_ntriples of the same triples in a graph."""
    for lines in _line_pieces(triples, piece_triples):
        yield b"\n".join(lines) + b"\n"


def _line_pieces(triples, piece_triples: int):
    """The triples' N-Triples lines, a list per `piece_triples` triples: rdflib's N-Triples
    writer, term by term, each term written once however often it recurs."""
    from rdflib.plugins.serializers.nt import _quoteLiteral

    written: dict = {}

    def term(t) -> bytes:
        text = written.get(t)
        if text is None:
            text = written[t] = (_quoteLiteral(t) if isinstance(t, Literal) else t.n3()).encode("utf-8")
        return text

    for start in range(0, len(triples), piece_triples):
        with gc_paused():
            lines = [b"%s %s %s ." % (term(s), term(p), term(o)) for s, p, o in triples[start:start + piece_triples]]
        yield lines


def turtle(graph: Graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")


def deterministic_gzip(chunks, out) -> None:
    """gzip of the chunks (bytes) into the binary file `out`, with no file name and mtime 0 in
    its header, so the same input gives the same bytes. At gzip's own default level (6): on the
    release's N-Triples, level 9 took three times the CPU (0.66 s against 0.20 s at scale 100)
    for a file 12 % smaller."""
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=6, mtime=0) as gz:
        for chunk in chunks:
            gz.write(chunk)


def sha256_line(digest: str, rel: str) -> str:
    """`sha256sum`'s format, verifiable with `sha256sum -c SHA256SUMS` inside the release folder."""
    return f"{digest}  {rel}\n"


# Threads that write the many small files of a release (the per-record documents): the time is
# the file system's, so a few writers overlap it with the making of the next documents.
WRITERS = 4


class StagedTree:
    """A folder written file by file beside `target`, which replaces `target` in one step
    (`commit`) only when complete: a failed or stopped build leaves the previous folder exactly
    as it was, and removes what it had staged. Each file's SHA-256 and size are kept as it is
    written, so that nothing need be held in memory or read back to list them."""

    def __init__(self, target: Path):
        self.target = target.resolve()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.new-", dir=self.target.parent))
        self.digests: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self._folders: set[Path] = set()
        self._writers: ThreadPoolExecutor | None = None
        self._slots = threading.BoundedSemaphore(WRITERS * 8)
        self._failure: BaseException | None = None

    def __enter__(self) -> StagedTree:
        return self

    def __exit__(self, kind, *_) -> None:
        if self._writers is not None:  # stopped or failed: nothing more is written
            self._writers.shutdown(wait=True, cancel_futures=True)
            self._writers = None
        if self.staging.exists():  # not committed
            shutil.rmtree(self.staging, ignore_errors=True)

    def _path(self, rel: str) -> Path:
        if rel in self.digests:
            raise ValueError(f"{rel} is written twice")
        path = self.staging / rel
        if path.parent not in self._folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(path.parent)
        return path

    def write_soon(self, rel: str, content: bytes) -> None:
        """The file `rel`, written by one of a few threads while the caller goes on: creating many
        small files (a large release's per-record documents) is mostly waiting on the file
        system, which then overlaps with making the next ones. At most a few dozen files wait
        in memory; a failed write is raised by flush()."""
        path = self._path(rel)
        self.digests[rel] = ""  # claimed now, so that a second write of it fails here
        if self._writers is None:
            self._writers = ThreadPoolExecutor(WRITERS, thread_name_prefix="release-writer")
        self._slots.acquire()
        self._writers.submit(self._write_bytes, rel, path, content).add_done_callback(self._written)

    def _write_bytes(self, rel: str, path: Path, content: bytes) -> None:
        with open(path, "wb") as out:
            out.write(content)
        self.digests[rel], self.sizes[rel] = hashlib.sha256(content).hexdigest(), len(content)

    def _written(self, future: Future) -> None:
        self._slots.release()
        if not future.cancelled() and future.exception() is not None and self._failure is None:
            self._failure = future.exception()

    def flush(self) -> None:
        """Wait for the files write_soon() handed over; raise the first that failed."""
        if self._writers is not None:
            self._writers.shutdown(wait=True)
            self._writers = None
        if self._failure is not None:
            raise self._failure

    def write(self, rel: str, content) -> None:
        """The file `rel` (a path relative to the folder): bytes, or an iterable of bytes."""
        path = self._path(rel)
        digest, size = hashlib.sha256(), 0
        with open(path, "wb") as out:
            for chunk in ((content,) if isinstance(content, bytes) else content):
                out.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        self.digests[rel], self.sizes[rel] = digest.hexdigest(), size

    def mapped(self, rel: str) -> bytes | MappedText:
        """A file written into the tree, mapped (mapped_text): read back, it would be held whole."""
        if not self.digests.get(rel):
            raise ValueError(f"{rel} is not written yet")
        return mapped_text(self.staging / rel)

    def write_with(self, rel: str, write) -> None:
        """The file `rel`, written by `write(path)` (for writers that stream to a file, so that a
        large file is never held whole in memory); its digest is read back from the file."""
        write(self._path(rel))
        self.adopt_written(rel)

    def adopt_written(self, rel: str) -> None:
        """A file written at `rel` in the staging folder by another hand (a writer that streams to
        it, another process), listed with its SHA-256 and size as if this tree had written it."""
        if rel in self.digests:
            raise ValueError(f"{rel} is written twice")
        path = self.staging / rel
        with open(path, "rb") as written:
            digest = hashlib.file_digest(written, "sha256")
        self.digests[rel], self.sizes[rel] = digest.hexdigest(), path.stat().st_size

    def adopt(self, written: list[tuple[str, str, int]]) -> None:
        """Files another process wrote into the staging folder (write_files): their path, SHA-256
        and size, listed with this tree's own."""
        for rel, digest, size in written:
            if rel in self.digests:
                raise ValueError(f"{rel} is written twice")
            self.digests[rel], self.sizes[rel] = digest, size

    def sums(self) -> bytes:
        """SHA256SUMS of every file written so far, sorted by path."""
        self.flush()
        return "".join(sha256_line(d, rel) for rel, d in sorted(self.digests.items())).encode("utf-8")

    def commit(self) -> None:
        self.flush()
        holder = None
        try:
            if self.target.exists():
                holder = Path(tempfile.mkdtemp(prefix=f".{self.target.name}.old-", dir=self.target.parent))
                os.rename(self.target, holder / self.target.name)
            os.rename(self.staging, self.target)
        except BaseException:
            if holder is not None and not self.target.exists():
                os.rename(holder / self.target.name, self.target)
            raise
        finally:
            if holder is not None:
                shutil.rmtree(holder, ignore_errors=True)


def write_files(folder: Path, files) -> list[tuple[str, str, int]]:
    """Files (path relative to `folder`, bytes) written into a staging folder by a process that
    is not the tree's own (a forked share of the release's documents): (path, SHA-256, size) of
    each, for StagedTree.adopt."""
    written, made = [], set()
    for rel, content in files:
        path = folder / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        with open(path, "xb") as out:  # never over a file the tree wrote
            out.write(content)
        written.append((rel, hashlib.sha256(content).hexdigest(), len(content)))
    return written


def write_tree(target: Path, files: dict[str, bytes]) -> None:
    """Replace `target` by a folder holding exactly `files` (relative path -> bytes)."""
    with StagedTree(target) as tree:
        for rel, content in sorted(files.items()):
            tree.write(rel, content)
        tree.commit()
