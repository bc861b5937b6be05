"""Stored queries return what a reader of the paragraph would answer.

Expected answers are written from the source text: who targets what, what goes up in SLE,
which claims the text hedges, and which paper backs which claim."""

from __future__ import annotations

import pytest
from rdflib import Graph

from mirkg import paths
from mirkg.errors import BuildError
from mirkg.pipeline import _expander
from mirkg.queries import bind, find_query, load_queries, run_oxigraph, run_rdflib, store_from_ntriples
from mirkg.release import sorted_ntriples

E = "https://w3id.org/mirkg/id/entity/"
QUERIES = load_queries(paths.QUERIES)


@pytest.fixture(scope="module")
def engines(build):
    nt = sorted_ntriples(build.data) + sorted_ntriples(build.ontology)
    graph = Graph().parse(data=nt.decode("utf-8"), format="nt")
    expand = _expander(build.curation.reference.converter.expand)
    return store_from_ntriples(nt), graph, expand


def ask(engines, name, **params):
    store, _, expand = engines
    query = find_query(QUERIES, name)
    return run_oxigraph(store, query, bind(query, params, expand))


def column(answer, name):
    i = answer.columns.index(name)
    return [row[i] for row in answer.rows]


def pairs(answer, a, b):
    return {(x, y) for x, y in zip(column(answer, a), column(answer, b))}


def test_which_mirnas_target_which_genes(engines):
    # Sentence 3 ("respectively"), sentence 5 and sentence 9.
    answer = ask(engines, "01")
    assert pairs(answer, "mirnaLabel", "geneLabel") == {
        ('"hsa-miR-663a"', '"TGFB1"'),
        ('"hsa-let-7f-5p"', '"IL6"'),
        ('"hsa-let-7f-5p"', '"NLRP3"'),
        ('"hsa-miR-146a-5p"', '"TRAF6"'),
    }
    # Each of them is said of SLE bone-marrow MSCs.
    assert set(column(answer, "cellTypeLabel")) == {'"mesenchymal stem cell of the bone marrow"'}


def test_which_mirnas_target_traf6(engines):
    answer = ask(engines, "01", gene="mirkgid:entity/TRAF6")
    assert column(answer, "mirnaLabel") == ['"hsa-miR-146a-5p"']


def test_what_mir153_does(engines):
    # Sentence 6: raised in SLE; lowers UC-MSC proliferation and migration; attenuates the
    # UC-MSC-mediated Tfh decrease and Treg increase; suppresses PELI1.
    answer = ask(engines, "02", mirna=f"<{E}hsa-miR-153-3p>")
    got = {(r, o, d) for r, o, d in zip(column(answer, "relationLabel"), column(answer, "object"), column(answer, "directionLabel"))}
    inc, dec = '"increase"@en', '"decrease"@en'
    assert got == {
        ('"differentially expressed in"@en', f"<{E}SLE>", inc),
        ('"regulates"@en', f"<{E}msc-proliferation>", dec),
        ('"regulates"@en', f"<{E}msc-migration>", dec),
        ('"regulates"@en', f"<{E}uc-msc-mediated-tfh-decrease>", dec),
        ('"regulates"@en', f"<{E}uc-msc-mediated-treg-increase>", dec),
        ('"represses expression of"@en', f"<{E}PELI1>", ""),
    }


def test_which_mirnas_are_raised_or_lowered_in_sle(engines):
    # Only miR-153-3p is said to be at an altered level in SLE ("increased levels ... in SLE
    # patients"); let-7f-5p's "high levels" are a condition, not a measurement in patients.
    answer = ask(engines, "03")
    assert pairs(answer, "mirnaLabel", "directionLabel") == {('"hsa-miR-153-3p"', '"increase"@en')}


def test_hedged_claims_and_limitations(engines):
    answer = ask(engines, "04")
    cues = sorted(column(answer, "hedgeCue"))
    # "might" (twice: sentences 2 and 7), "suggesting" (9), "unable to conclude" and "may" (10).
    assert cues == sorted(['"might"', '"might"', '"suggesting"', '"unable to conclude"', '"may"'])
    limitations = [q for q, lim in zip(column(answer, "quote"), column(answer, "isLimitation")) if "true" in lim]
    assert len(limitations) == 2 and all(q.strip('"') in paths.DATA.joinpath("source/review.txt").read_text() for q in limitations)
    assert any("unable to conclude" in q for q in limitations)


def test_claims_rest_on_the_cited_works(engines):
    answer = ask(engines, "05")
    rows = list(zip(column(answer, "workLabel"), column(answer, "doi"), column(answer, "pubmed"), column(answer, "citedAs")))
    # [7] is Li et al. 2020 (DOI and PMID confirmed); [8] is Dong et al. 2019.
    assert ('"Li et al. 2020"', "<https://doi.org/10.1080/08916934.2020.1750011>", "<https://identifiers.org/pubmed:32321315>", '"[7]"') in rows
    assert ('"Dong C et al. 2019"', "<https://doi.org/10.1155/2019/6071308>", "<https://identifiers.org/pubmed:31428639>", '"[8]"') in rows
    # [6] is Tan et al. 2019: title confirmed, no DOI or PMID may appear.
    assert {(d, p) for w, d, p, _ in rows if w == '"Tan W et al. 2019"'} == {("", "")}
    # The joint citation [4, 5] stays joint: its claims rest on both Geng papers.
    joint = {w for w, _, _, c in rows if c == '"[4, 5]"'}
    assert joint == {'"Geng L et al. 2019"', '"Geng L et al. 2020"'}
    # [1]-[3] are unresolved: no work at all.
    assert not any(c in ('"[1, 2]"', '"[3]"') for *_, c in rows)


def test_edge_list_has_only_unhedged_targets(engines):
    answer = ask(engines, "08")
    assert answer.triples == sorted([
        f"<{E}hsa-let-7f-5p> <https://w3id.org/mirkg/targets> <{E}IL6> .",
        f"<{E}hsa-let-7f-5p> <https://w3id.org/mirkg/targets> <{E}NLRP3> .",
        f"<{E}hsa-miR-146a-5p> <https://w3id.org/mirkg/targets> <{E}TRAF6> .",
        f"<{E}hsa-miR-663a> <https://w3id.org/mirkg/targets> <{E}TGFB1> .",
    ])


@pytest.mark.parametrize("mirna,gene,expected", [
    ("hsa-miR-146a-5p", "TRAF6", True),
    ("hsa-miR-663a", "TGFB1", True),
    ("hsa-miR-663a", "IL6", False),  # "respectively": IL-6 goes with let-7f
    ("hsa-miR-153-3p", "PELI1", False),  # the text says "suppressing", not "targeting"
])
def test_does_mirna_target_gene(engines, mirna, gene, expected):
    answer = ask(engines, "09", mirna=f"mirkgid:entity/{mirna}", gene=f"mirkgid:entity/{gene}")
    assert answer.boolean is expected


def test_external_identifiers_of_traf6(engines):
    answer = ask(engines, "06")
    xrefs = {x for label, x in pairs(answer, "label", "xref") if label == '"TRAF6"'}
    assert xrefs == {
        "<https://identifiers.org/hgnc:12036>",
        "<https://identifiers.org/ncbigene:7189>",
        "<http://purl.uniprot.org/uniprot/Q9Y4K3>",
    }


def test_dataset_summary_counts_what_the_text_names(engines):
    answer = ask(engines, "07")
    counts = {c.rsplit("/", 1)[-1].rstrip(">"): int(n.split('"')[1]) for c, n in zip(column(answer, "class"), column(answer, "count"))}
    assert counts["MatureMiRNA"] == 4  # miR-663, let-7f(-5p), miR-153-3p, miR-146a
    assert counts["GeneOrGeneProduct"] == 5  # TGF-β1, IL-6, NLRP3, PELI1, TRAF6
    assert counts["Cell"] == 7  # stem cells, MSCs, BM-MSCs, UC-MSCs, Tfh, Treg, Th17
    assert counts["Reference"] == 8  # [1]-[8]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_query_gives_the_same_answer_on_rdflib_and_pyoxigraph(engines, query):
    store, graph, expand = engines
    bindings = bind(query, query.example, expand)
    assert run_oxigraph(store, query, bindings).normalised() == run_rdflib(graph, query, bindings).normalised()


def test_every_query_documents_its_question():
    assert len(QUERIES) >= 5
    for q in QUERIES:
        assert q.title and q.question.endswith("?") and q.answer


@pytest.mark.parametrize("value", ["<not an iri>", "nosuchprefix:x", "http://exa mple.org/x"])
def test_bad_parameter_values_are_refused(engines, value):
    _, _, expand = engines
    query = find_query(QUERIES, "01")
    with pytest.raises(BuildError):
        bind(query, {"gene": value}, expand)


def test_parameter_value_cannot_inject_sparql(engines):
    _, _, expand = engines
    query = find_query(QUERIES, "01")
    with pytest.raises(BuildError):
        bind(query, {"gene": "<x:a> } . ?s ?p ?o . { <x:b>"}, expand)
