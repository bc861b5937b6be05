"""`python build.py query`: listing, formats, readable tables, pages of a large answer, answers
from the release in dist/ (not from a new build), and refusing bad parameters with a clear
message (exit 2)."""

from __future__ import annotations

import csv
import io
import json

import pytest

import helpers
from mirkg import paths

_DIST: list = []


@pytest.fixture(autouse=True)
def _release(built_dist):
    """`query` reads the release in dist/: the one the tests built (a later --dist wins)."""
    _DIST[:] = ["--dist", str(built_dist)]


def run(args: list[str], capsys):
    return helpers.run([*_DIST, *args], capsys)


def test_listing_shows_every_question(capsys):
    code, out, _ = run(["query"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) >= 15 and all(line.endswith("?") for line in lines)


def test_table_shows_labels_and_curies_not_bare_iris(capsys):
    code, out, _ = run(["query", "01", "--param", "gene=mirkgid:entity/TRAF6"], capsys)
    assert code == 0
    # Sentence 9: miR-146a targets TRAF6, in SLE BM-MSCs.
    assert "mirkgid:entity/hsa-miR-146a-5p" in out and "hsa-miR-146a-5p" in out
    assert "mesenchymal stem cell of the bone marrow" in out
    assert "<https://" not in out and "https://w3id.org" not in out
    assert out.rstrip().endswith("(1 row(s))")


def test_csv_and_json_and_tsv(capsys):
    code, out, _ = run(["query", "03", "--format", "csv"], capsys)
    assert code == 0
    table = list(csv.DictReader(io.StringIO(out)))
    # The paragraph's sentence 6, "increased levels of miR-153-3p in SLE patients", and the title of
    # the let-7f paper, "Reduced Let-7f in Bone Marrow-Derived Mesenchymal Stem Cells ... in Patients
    # With Systemic Lupus Erythematosus": the two miRNAs said to be altered in SLE.
    assert sorted((r["mirnaLabel"], r["directionLabel"]) for r in table) == [
        ("hsa-let-7f-5p", "decrease"), ("hsa-miR-153-3p", "increase")]
    code, out, _ = run(["query", "03", "--format", "json"], capsys)
    document = json.loads(out)
    assert document["head"]["vars"][0] == "mirna"
    assert {b["directionLabel"]["value"] for b in document["results"]["bindings"]} == {"increase", "decrease"}
    assert all(b["directionLabel"]["xml:lang"] == "en" for b in document["results"]["bindings"])
    code, out, _ = run(["query", "03", "--format", "tsv"], capsys)
    assert out.splitlines()[0].split("\t")[:2] == ["?mirna", "?mirnaLabel"]


def test_ask_and_construct_formats(capsys):
    args = ["query", "09", "--param", "mirna=mirkgid:entity/hsa-miR-663a", "--param", "gene=mirkgid:entity/IL6"]
    code, out, _ = run(args + ["--format", "json"], capsys)
    assert code == 0 and json.loads(out) == {"head": {}, "boolean": False}  # "respectively": IL-6 goes with let-7f
    code, out, _ = run(["query", "08"], capsys)
    assert code == 0
    assert ["mirkgid:entity/hsa-miR-663a", "mirkg:targets", "mirkgid:entity/TGFB1"] in [ln.split() for ln in out.splitlines()]
    assert out.rstrip().endswith("(4 row(s))")
    code, out, _ = run(["query", "08", "--format", "tsv"], capsys)
    assert out.splitlines()[0].startswith("<https://w3id.org/mirkg/id/entity/hsa-let-7f-5p> <https://w3id.org/mirkg/targets>")


@pytest.mark.parametrize("args,message", [
    (["query", "01", "--param", "gene=<not an iri>"], "not a valid IRI"),
    (["query", "01", "--param", "gene=nosuchprefix:TRAF6"], "neither an IRI nor a CURIE"),
    (["query", "01", "--param", "gene=<x:a> } . ?s ?p ?o . { <x:b>"], "not a valid IRI"),
    (["query", "01", "--param", "mirna=mirkgid:entity/TRAF6"], "has no parameter 'mirna'"),
    (["query", "01", "--param", "gene"], "should read NAME=VALUE"),
    (["query", "02"], "needs --param mirna="),
    (["query", "nosuchquery"], "no stored query named"),
    (["query", "07", "--endpoint", "file:///etc/passwd"], "not an http(s) URL"),
])
def test_bad_requests_are_refused_clearly(capsys, args, message):
    code, out, err = run(args, capsys)
    assert code == 2 and out == ""
    assert message in err


def test_answers_come_from_the_release_not_from_a_new_build(tmp_path, built_dist, capsys):
    # A release whose data/ has since been broken still answers: query reads dist/, as built.
    import shutil

    data = tmp_path / "data"
    shutil.copytree(paths.DATA, data)
    (data / "sources" / "review" / "statements.yaml").write_text("source: review\nstatements: [this is not a statement]\n", encoding="utf-8")
    code, out, _ = run(["--data", str(data), "query", "01", "--param", "gene=mirkgid:entity/TRAF6"], capsys)
    assert code == 0 and "hsa-miR-146a-5p" in out


def test_without_a_release_the_query_says_to_build_first(tmp_path, capsys):
    code, _, err = run(["--dist", str(tmp_path / "nothing"), "query", "01"], capsys)
    assert code == 2
    assert "no built release to query" in err and "python build.py" in err


def test_pages_of_an_answer_cover_it_in_order(capsys):
    # Query 14 lists every claim with its quote: paged, the pages are the whole answer's rows in
    # the order of the release's answer file.
    code, whole, _ = run(["query", "14", "--format", "tsv"], capsys)
    rows = whole.splitlines()[1:]
    assert code == 0 and len(rows) > 10
    pages = []
    for offset in range(0, len(rows), 7):
        code, out, _ = run(["query", "14", "--format", "tsv", "--limit", "7", "--offset", str(offset)], capsys)
        assert code == 0 and out.splitlines()[0] == whole.splitlines()[0]
        pages += out.splitlines()[1:]
    assert pages == rows
    code, out, _ = run(["query", "14", "--limit", "3"], capsys)
    assert out.rstrip().endswith("(3 row(s))")


@pytest.mark.parametrize("args", [["--limit", "-1"], ["--offset", "-2"]])
def test_a_negative_page_is_refused(args, capsys):
    code, _, err = run(["query", "14", *args], capsys)
    assert code == 2 and "--limit and --offset" in err


def test_the_question_the_release_answered_is_read_from_its_answer_file(built_dist, capsys, monkeypatch):
    # Asked with its example parameters (or none), a stored query gives what the whole store
    # answers, read from dist/queries/ without loading the release; another question loads it.
    from mirkg import cli
    from mirkg.identifiers import query_expander
    from mirkg.queries import answer_as_tsv, bind, load_queries, run_oxigraph

    store = cli._release_store(built_dist)
    expand, _ = query_expander(paths.DATA)
    queries = load_queries(paths.QUERIES)
    expected = {q.name: answer_as_tsv(run_oxigraph(store, q, bind(q, q.example, expand))) for q in queries}

    loaded = []

    def counted(dist):
        loaded.append(dist)
        return store

    monkeypatch.setattr(cli, "_release_store", counted)
    for q in queries:
        params = [arg for k, v in sorted(q.example.items()) for arg in ("--param", f"{k}={v}")]
        code, out, _ = run(["query", q.name, "--format", "tsv", *params], capsys)
        assert code == 0 and out == expected[q.name], q.name
    assert loaded == []
    # a question the release did not answer (its example is TRAF6): let-7f-5p targets IL-6
    code, out, _ = run(["query", "01", "--param", "gene=mirkgid:entity/IL6"], capsys)
    assert code == 0 and "hsa-let-7f-5p" in out and len(loaded) == 1
