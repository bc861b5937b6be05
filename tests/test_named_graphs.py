"""The named graphs held as runs of the release's sorted N-Triples (mirkg/named_graphs.py): each
way the files read them gives what the lines themselves give, read the slow way here."""

from __future__ import annotations

import hashlib
from types import SimpleNamespace

import pytest

from mirkg import iris
from mirkg.children import OneWay, in_child
from mirkg.dataset import DATA_GRAPH, ONTOLOGY_GRAPH, PROVENANCE_GRAPH, source_graph
from mirkg.named_graphs import Lines, _cut, graph_of, split_graphs
from mirkg.release import file_pieces, ntriples_text

B = iris.BASE


@pytest.fixture(scope="module")
def release(built_dist, build):
    ontology = (built_dist / "ontology.nt").read_bytes()
    lines = (built_dist / "mirkg.nt").read_bytes().splitlines()
    return ontology, lines, split_graphs(ontology, [ntriples_text(lines)], build.curation)


def _quads(ontology: bytes, lines: list[bytes], curation) -> list[bytes]:
    """Every graph's N-Quads lines, the naive way: each line with its graph, all sorted."""
    sources = {s.id: s.source for s in curation.statements}
    quads = [ln[:-1] + b"<%s> ." % str(ONTOLOGY_GRAPH).encode() for ln in ontology.splitlines()]
    quads += [ln[:-1] + b"<%s> ." % str(graph_of(ln[1:ln.index(b">")].decode(), sources)).encode() for ln in lines]
    return sorted(quads)


def test_the_whole_and_the_quads_are_the_lines_sorted(release, build, built_dist):
    ontology, lines, split = release
    assert b"".join(split.whole()) == b"".join(ln + b"\n" for ln in sorted(set(ontology.splitlines()) | set(lines)))
    assert b"".join(split.whole()) == (built_dist / "mirkg-all.nt").read_bytes()
    assert b"".join(split.nquads()).splitlines() == _quads(ontology, lines, build.curation)
    assert b"".join(split.nquads()) == (built_dist / "mirkg.nq").read_bytes()


def test_each_graph_holds_the_lines_of_its_subjects(release, build):
    ontology, lines, split = release
    sources = {s.id: s.source for s in build.curation.statements}
    expected: dict = {g: [] for g in split.graphs}
    for ln in lines:
        expected[graph_of(ln[1:ln.index(b">")].decode(), sources)].append(ln)
    expected[ONTOLOGY_GRAPH] = ontology.splitlines()
    assert {g: list(lines_) for g, lines_ in split.graphs.items()} == expected
    assert {g: len(lines_) for g, lines_ in split.graphs.items()} == {g: len(v) for g, v in expected.items()}
    for graph in (DATA_GRAPH, PROVENANCE_GRAPH):
        assert split.subjects_in(graph) == len({ln.split(b" ", 1)[0] for ln in expected[graph]}) > 10


def test_a_claims_lines_are_those_of_its_node_and_the_nodes_under_it(release, build):
    _, lines, split = release
    claims = dict(split.claims())
    assert list(claims) == sorted(s.id for s in build.curation.statements)
    for claim_id, found in claims.items():
        own = f"<{iris.claim_iri(claim_id)}".encode()
        assert found == [ln for ln in lines if ln.startswith(own + b"> ") or ln.startswith(own + b"/")], claim_id


def test_claims_whose_ids_share_a_beginning_keep_their_lines_apart():
    """A claim's lines need not be next to each other: "0" sorts between the "/" of claim/s1/span
    and the ">" that ends claim/s1, so claim s10's lines come between claim s1's."""
    def line(subject: str, value: str) -> bytes:
        return f'<{B}{subject}> <{B}p> "{value}" .'.encode()

    lines = sorted([line("claim/s1", "1"), line("claim/s10", "2"), line("claim/s1/span", "3"),
                    line("claim/s10/span", "4"), line("claim/s1-b", "5"), line("entity/x", "6")])
    assert lines == [line("claim/s1-b", "5"), line("claim/s1/span", "3"), line("claim/s10/span", "4"),
                     line("claim/s10", "2"), line("claim/s1", "1"), line("entity/x", "6")]
    curation = SimpleNamespace(statements=[SimpleNamespace(id=c, source="s2" if c == "s10" else "s1")
                                           for c in ("s1", "s10", "s1-b")], sources={"s1": None, "s2": None})
    split = split_graphs(b"", [ntriples_text(lines)], curation)
    assert dict(split.claims()) == {"s1": [line("claim/s1/span", "3"), line("claim/s1", "1")],
                                    "s10": [line("claim/s10/span", "4"), line("claim/s10", "2")],
                                    "s1-b": [line("claim/s1-b", "5")]}
    assert list(split.graphs[source_graph("s1")]) == [line("claim/s1-b", "5"), line("claim/s1/span", "3"),
                                                      line("claim/s1", "1")]
    assert list(split.graphs[source_graph("s2")]) == [line("claim/s10/span", "4"), line("claim/s10", "2")]
    assert split.subjects_in(source_graph("s1")) == 3 and split.subjects_in(source_graph("s2")) == 2
    assert list(split.graphs[DATA_GRAPH]) == [line("entity/x", "6")]


def test_ontology_lines_go_before_between_and_after_the_datas_and_once():
    """The whole and the quads, with ontology lines sorting first, among the data's, last, and
    one equal to a data line (written once in the whole, in both graphs in the quads)."""
    data = sorted([f'<{B}entity/m> <p:x> "{i}" .'.encode() for i in range(5)])
    ontology = sorted([b'<a:first> <p:x> "o" .', f'<{B}entity/m> <p:x> "2a" .'.encode(), data[3],
                       b"_:b1 <p:x> <a:last> ."])
    curation = SimpleNamespace(statements=[], sources={})
    split = split_graphs(b"".join(ln + b"\n" for ln in ontology), [ntriples_text(data)], curation)
    assert b"".join(split.whole()) == b"".join(ln + b"\n" for ln in sorted(set(data) | set(ontology)))
    assert b"".join(split.nquads()).splitlines() == _quads(b"".join(ln + b"\n" for ln in ontology), data, curation)
    assert len(b"".join(split.nquads()).splitlines()) == len(data) + len(ontology)


def test_an_empty_dataset_splits_into_empty_graphs():
    split = split_graphs(b"<a:x> <p:y> <a:z> .\n", [], SimpleNamespace(statements=[], sources={"s": None}))
    assert split.text == b"" and list(split.claims()) == []
    assert {g: list(lines) for g, lines in split.graphs.items() if g != ONTOLOGY_GRAPH} == {
        DATA_GRAPH: [], PROVENANCE_GRAPH: [], source_graph("s"): []}
    assert b"".join(split.whole()) == b"<a:x> <p:y> <a:z> .\n"


def test_text_is_cut_at_line_ends():
    text = b"".join(b"line %d .\n" % i for i in range(200))
    for size in (1, 7, 64, 1000, 10**6):
        pieces = list(_cut(text, 9, len(text), size))
        assert b"".join(pieces) == text[9:]
        assert all(p.endswith(b"\n") for p in pieces)
        assert len(pieces) > 1 or size > len(text)
    assert list(Lines.of([b"a", b"b"])) == [b"a", b"b"] and len(Lines.of([])) == 0


def _digests(given: OneWay):
    split = given.receive()
    return hashlib.sha256(b"".join(split.nquads())).hexdigest(), {str(g): len(lines) for g, lines in split.graphs.items()}


def test_a_child_sent_the_split_reads_it_as_the_build_does(release):
    """The split crosses to a forked child (children.OneWay) whole."""
    _, _, split = release
    given = OneWay()
    child = in_child(_digests, given)
    given.started()
    given.send(split)
    digest, counts = child.result()
    assert digest == hashlib.sha256(b"".join(split.nquads())).hexdigest()
    assert counts == {str(g): len(lines) for g, lines in split.graphs.items()}


def test_a_split_without_its_text_is_the_same_split_given_it_again(release, build):
    """The build holds the split without its text through the checks and queries
    (pipeline.releasing); given the text again, it reads as before."""
    _, _, split = release
    bare = split.with_text(b"")
    assert bare.text == b"" and all(lines.text in (b"", split.graphs[g].text) for g, lines in bare.graphs.items())
    assert b"".join(split_graphs(b"", [], SimpleNamespace(statements=[], sources={}), joined=False).whole()) == b""
    ontology, lines, _ = release
    assert split_graphs(ontology, [ntriples_text(lines)], build.curation, joined=False).text == b""
    again = split_graphs(ontology, [ntriples_text(lines)], build.curation, joined=False).with_text(split.text)
    assert b"".join(again.nquads()) == b"".join(split.nquads())
    assert {g: list(lines) for g, lines in again.graphs.items()} == {g: list(lines) for g, lines in split.graphs.items()}
    assert dict(again.claims()) == dict(split.claims())


def _subject_starts_line_by_line(text: bytes) -> list[int]:
    """Where each subject's lines start, the slow way: every line read."""
    starts, last, offset = [], None, 0
    for line in text.splitlines(keepends=True):
        subject = line[:line.index(b">") + 1]
        if subject != last:
            starts.append(offset)
            last = subject
        offset += len(line)
    return starts


def test_the_split_reads_the_same_in_pieces_cut_anywhere_between_lines(release, build, built_dist, tmp_path):
    """The build splits mirkg.nt a piece at a time, and a subject's lines may go on into the
    next piece."""
    ontology, lines, whole = release
    text = ntriples_text(lines)
    assert list(whole.subject_starts) == _subject_starts_line_by_line(text)
    path = tmp_path / "mirkg.nt"
    path.write_bytes(text)
    pieces = list(file_pieces(path, piece=700))
    assert len(pieces) > 100
    cut = split_graphs(ontology, pieces, build.curation, joined=False).with_text(text)
    assert (cut.runs, cut.run_graphs, cut.subject_starts, cut.claim_subjects) == \
        (whole.runs, whole.run_graphs, whole.subject_starts, whole.claim_subjects)
    assert {g: lines.runs for g, lines in cut.graphs.items()} == {g: lines.runs for g, lines in whole.graphs.items()}

    long = "x" * 10_000
    data = sorted([f'<{B}entity/a> <p:x> "{long}" .'.encode(), f'<{B}entity/a> <p:y> "1" .'.encode(),
                   f'<{B}entity/a> <p:z> "{long}" .'.encode(), f'<{B}entity/ab> <p:x> "2" .'.encode(),
                   f'<{B}entity/a/b> <p:x> "3" .'.encode(), f'<{B}claim/s1> <p:x> "{long}" .'.encode()])
    text = ntriples_text(data)
    split = split_graphs(b"", [text], SimpleNamespace(statements=[SimpleNamespace(id="s1", source="s")],
                                                      sources={"s": None}))
    assert list(split.subject_starts) == _subject_starts_line_by_line(text)
    assert len(split.subject_starts) == 4


def test_the_split_names_each_source_graph_with_one_iri_object(release):
    # One object per graph, not one per run of lines: the split's memory at scale (source_graph).
    split = release[2]
    assert len(split.run_graphs) > len(set(split.run_graphs))  # a graph with several runs
    assert len({id(g) for g in split.run_graphs}) == len(set(split.run_graphs))
