"""Quotes are found in the source, and their offsets lead back to the same words."""

from rdflib import RDF

from helpers import curated_sources
from mirkg import paths
from mirkg.namespaces import MIRKG, OA
from mirkg.source import SourceText

SOURCE = SourceText(paths.DATA / "sources" / "review" / "text.txt")
TEXTS = {sid: found["text"] for sid, found in curated_sources().items()}  # each source's own text


def test_every_claim_span_round_trips_to_its_quote(build):
    assert len(TEXTS) > 1  # the quotes of several sources, each in its own text
    for statement in build.curation.statements:
        span = statement.span
        assert TEXTS[statement.source][span.start:span.end] == statement.quote, statement.id


def test_offsets_in_the_graph_round_trip(build):
    graph = build.data
    spans = list(graph.subjects(RDF.type, MIRKG.TextSpan))
    assert len(spans) == len(build.curation.statements)
    for span in spans:
        text = TEXTS[str(graph.value(span, MIRKG.inSource)).rsplit("/", 1)[1]]
        selectors = list(graph.objects(span, OA.hasSelector))
        start = next(int(graph.value(s, OA.start)) for s in selectors if graph.value(s, OA.start) is not None)
        end = next(int(graph.value(s, OA.end)) for s in selectors if graph.value(s, OA.end) is not None)
        exact = next(str(graph.value(s, OA.exact)) for s in selectors if graph.value(s, OA.exact) is not None)
        assert text[start:end] == exact


def test_offsets_count_code_points_not_bytes():
    # "β" is two bytes in UTF-8 but one character; the span after it must still be exact.
    span = SOURCE.locate("TGF-β1")
    assert span is not None
    assert SOURCE.text[span.start:span.end] == "TGF-β1"
    assert span.end - span.start == 6


def test_ambiguous_quote_needs_an_occurrence():
    assert SOURCE.locate("SLE") is None  # many places
    first, second = SOURCE.locate("SLE", 1), SOURCE.locate("SLE", 2)
    assert first and second and first.start < second.start
    assert SOURCE.text[second.start:second.end] == "SLE"


def test_sentences_split_at_full_stops_but_not_at_et_al():
    exacts = [s.exact for s in SOURCE.sentences]
    assert len(exacts) == 12
    assert exacts[5].startswith("Tan et al. also noted")
    assert exacts[-1] == "These data highlight the critical role of miRNAs in SLE pathogenesis."
    for s in SOURCE.sentences:
        assert SOURCE.text[s.start:s.end] == s.exact
