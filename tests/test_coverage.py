"""Everything the paragraph names is curated, with the right identifier, and every sentence
that states something is covered by a claim. Mentions are found in the text itself."""

from __future__ import annotations

import re

import pytest
from rdflib import RDF, Literal
from rdflib.namespace import DCTERMS

from mirkg import paths
from mirkg.namespaces import MIRKG
from mirkg.source import SourceText

SOURCE = SourceText(paths.DATA / "sources" / "review" / "text.txt")
MIRNA_NAME = re.compile(r"\b(?:miR-\d+[a-z]?(?:-[35]p)?|let-7[a-z](?:-[35]p)?)")
# "long form (ABBR)": abbreviations the paragraph defines in parentheses ("(2021)" is a year).
ABBREVIATION = re.compile(r"\(([^()\s,]{2,12})\)")

# What each mention is, read from the paragraph and looked up in data/reference/identifiers.tsv.
EXPECTED_IDENTIFIER = {
    "miR-663": "mirbase.mature:MIMAT0003326",
    "let-7f": "mirbase.mature:MIMAT0000067",
    "let-7f-5p": "mirbase.mature:MIMAT0000067",
    "miR-153-3p": "mirbase.mature:MIMAT0000439",
    "miR-146a": "mirbase.mature:MIMAT0000449",
    "miRNAs": "SO:0000276",
    "TGF-β1": "HGNC:11766",
    "IL-6": "HGNC:6018",
    "NLRP3": "HGNC:16400",
    "PELI1": "HGNC:8827",
    "TRAF6": "HGNC:12036",
    "stem cells": "CL:0000034",
    "MSCs": "CL:0000134",
    "BM-MSCs": "CL:0002540",
    "UC-MSCs": "CL:0002569",
    "Tfh": "CL:0002038",
    "Treg": "CL:0000815",
    "Th17": "CL:0000899",
    "bone marrow": "UBERON:0002371",
    "umbilical cord": "UBERON:0002331",
    "SLE": "MONDO:0007915",
    "systemic lupus erythematosus": "MONDO:0007915",
    "inflammation": "GO:0006954",
    "senescence": "GO:0090398",
    "NF-κB signaling": "GO:0007249",
    "differentiation": "GO:0030154",
    "exosomes": "GO:0070062",
    "MVs": "GO:1903561",
}


def _entities_written_as(graph, label: str) -> set:
    return set(graph.subjects(MIRKG.labelAsWritten, Literal(label)))


def test_the_patterns_find_the_mentions():
    # Guards the patterns themselves: the paragraph names these, so they must be found.
    assert {"miR-663", "let-7f", "let-7f-5p", "miR-153-3p", "miR-146a"} == set(MIRNA_NAME.findall(SOURCE.text))
    assert {"Tfh", "Treg", "Th17", "TGF-β1", "IL-6", "NLRP3", "PELI1", "TRAF6", "SA-β-gal"} <= set(
        ABBREVIATION.findall(SOURCE.text)
    )


@pytest.mark.parametrize("mention", sorted(set(MIRNA_NAME.findall(SOURCE.text))))
def test_every_mirna_named_in_the_text_is_a_curated_mirna(build, mention):
    found = _entities_written_as(build.data, mention)
    assert found, f"{mention!r} occurs in the text but no entity is written so"
    assert any((e, RDF.type, MIRKG.MatureMiRNA) in build.data for e in found)


@pytest.mark.parametrize("abbreviation", sorted(set(ABBREVIATION.findall(SOURCE.text)) - {"2021"}))
def test_every_abbreviation_defined_in_the_text_is_curated(build, abbreviation):
    assert _entities_written_as(build.data, abbreviation), f"({abbreviation}) is defined in the text but not curated"


@pytest.mark.parametrize("mention,curie", sorted(EXPECTED_IDENTIFIER.items()))
def test_mentions_carry_the_right_identifier(build, mention, curie):
    assert mention in SOURCE.text
    entities = _entities_written_as(build.data, mention)
    assert entities, mention
    identifiers = {str(i) for e in entities for i in build.data.objects(e, DCTERMS.identifier)}
    assert curie in identifiers, (mention, identifiers)


def test_every_statement_bearing_sentence_has_a_claim(build):
    spans = [s.span for s in build.curation.statements]
    for sentence in SOURCE.sentences:
        if sentence.exact.endswith("Cite this article."):
            continue  # the journal's page furniture, not a statement
        covered = any(sp.start < sentence.end and sp.end > sentence.start for sp in spans)
        assert covered, f"no claim rests on: {sentence.exact[:80]}..."


def test_every_citation_in_the_text_is_used(build):
    given = {s.citation for s in build.curation.statements if s.citation}
    in_text = set(re.findall(r"\[\d+(?:, \d+)*\]", SOURCE.text))
    assert in_text == given
