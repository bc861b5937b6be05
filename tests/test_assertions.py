"""Many sources, one graph (issue 17): statements of several sources merged into assertions, the
works behind them counted once, and conflicts found.

The corpus is three short sources written for these tests (tests/corpus/three-sources/, never
shipped): a paragraph citing [6], [7] and [8]; the title of the work [6] resolves to; and an
abstract that disagrees with the paragraph twice. Expected answers come from reading them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mirkg import paths
from mirkg.assertions import Merged, compatible
from mirkg.curation import load_curation
from mirkg.ontology import claim_relations, entity_kinds, load_ontology

CORPUS = Path(__file__).parent / "corpus" / "three-sources"
_ONTOLOGY = load_ontology(paths.ONTOLOGY)
RELATIONS_AND_KINDS = (claim_relations(_ONTOLOGY), entity_kinds(_ONTOLOGY))


@pytest.fixture(scope="module")
def corpus_data(tmp_path_factory) -> Path:
    """The test corpus as a data/ folder: its sources and entities, the project's works, agents,
    references and reference tables."""
    data = tmp_path_factory.mktemp("three-sources") / "data"
    shutil.copytree(CORPUS, data)
    shutil.copytree(paths.DATA / "reference", data / "reference")
    shutil.copyfile(paths.DATA / "citations.yaml", data / "citations.yaml")
    shutil.copyfile(paths.DATA / "levels.yaml", data / "levels.yaml")
    return data


@pytest.fixture(scope="module")
def merged(corpus_data) -> Merged:
    curation = load_curation(corpus_data, *RELATIONS_AND_KINDS)
    return Merged(curation)


def evidence_ids(merged, statement_id):
    return [s.id for s in merged.assertion_of[statement_id].evidence]


def test_the_same_claim_in_two_sources_is_one_assertion_with_two_evidences(merged):
    # "let-7f-5p targets NLRP3 in SLE BM-MSCs [6]" (paragraph) and the title "Let-7f-5p targets
    # NLRP3 in SLE BM-MSCs": one assertion, each quote its own evidence.
    assert evidence_ids(merged, "p-let7f5p-targets-nlrp3") == ["p-let7f5p-targets-nlrp3", "t-let7f5p-targets-nlrp3"]
    assertion = merged.assertion_of["t-let7f5p-targets-nlrp3"]
    assert assertion.sources == ["para", "tan-title"]
    assert (assertion.subject, assertion.relation, assertion.object) == ("hsa-let-7f-5p", "targets", "NLRP3")


def test_the_review_citing_a_work_and_that_works_title_count_once(merged):
    # [6] resolves to tan-2019-let7f5p, and the title is that work's own: one independent work.
    assertion = merged.assertion_of["p-let7f5p-targets-nlrp3"]
    assert merged.independent_works(assertion) == [frozenset({"tan-2019-let7f5p"})]


def test_a_hedged_and_a_plain_evidence_give_the_plain_triple(merged):
    # "MiR-146a may target TRAF6 ... [8]" (hedged) and "MiR-146a targets TRAF6 in SLE BM-MSCs"
    # (plain, less context): one assertion, stated plainly because one evidence is unhedged.
    assertion = merged.assertion_of["p-mir146a-may-target-traf6"]
    # evidence in the order of the source folders (other/, para/, tan-title/)
    assert [s.id for s in assertion.evidence] == ["o-mir146a-targets-traf6", "p-mir146a-may-target-traf6"]
    assert assertion.stated_plainly
    assert dict(assertion.context) == {"cell_type": "BM-MSC", "disease": "SLE"}  # the union
    # two works: [8] resolves to Dong et al., the abstract belongs to Li et al.
    assert merged.independent_works(assertion) == [frozenset({"dong-2019-mir146a"}), frozenset({"li-2020-mir153"})]


def test_hedged_evidence_alone_is_not_stated_plainly(corpus_data):
    import yaml

    data = corpus_data.parent.parent / "hedged-only" / "data"
    shutil.copytree(corpus_data, data)
    other = data / "sources" / "other" / "statements.yaml"
    doc = yaml.safe_load(other.read_text(encoding="utf-8"))
    doc["statements"] = [s for s in doc["statements"] if s["id"] != "o-mir146a-targets-traf6"]
    other.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    alone = Merged(load_curation(data, *RELATIONS_AND_KINDS))
    assert not alone.assertion_of["p-mir146a-may-target-traf6"].stated_plainly


def test_opposite_directions_are_a_conflict(merged):
    # "miR-153-3p reduces the proliferation of UC-MSCs [7]" against "MiR-153-3p increases the
    # proliferation of UC-MSCs".
    kinds = {(c.kind, frozenset({c.first.id, c.second.id})) for c in merged.conflicts}
    assert ("opposite direction", frozenset({"p-mir153-reduces-proliferation", "o-mir153-increases-proliferation"})) in kinds
    # and they stay two assertions
    assert merged.assertion_of["p-mir153-reduces-proliferation"] != merged.assertion_of["o-mir153-increases-proliferation"]


def test_a_measured_level_against_a_level_taken_as_condition_is_a_conflict(merged):
    # "Reduced let-7f-5p in BM-MSCs of SLE patients" against "High levels of let-7f-5p in SLE
    # BM-MSCs alleviated inflammation [6]".
    kinds = {(c.kind, c.first.id, c.second.id) for c in merged.conflicts}
    assert ("level", "o-let7f5p-reduced-in-sle", "p-high-let7f5p-alleviates-inflammation") in kinds


def test_nothing_else_is_a_conflict(merged):
    assert len(merged.conflicts) == 2


def test_every_statement_is_evidence_of_exactly_one_assertion(merged):
    ids = [s.id for a in merged.assertions for s in a.evidence]
    assert sorted(ids) == sorted(s.id for s in merged.curation.statements)
    assert len(merged.assertions) == 6  # 8 statements, two merges


def test_assertion_ids_come_from_content_not_from_order(corpus_data, merged):
    again = Merged(load_curation(corpus_data, *RELATIONS_AND_KINDS))
    assert [a.id for a in again.assertions] == [a.id for a in merged.assertions]
    assert merged.assertion_of["p-let7f5p-targets-nlrp3"].id.startswith("hsa-let-7f-5p-targets-NLRP3-")


@pytest.mark.parametrize(("a", "b", "expected"), [
    ({}, {"cell_type": "MSC"}, True),
    ({"cell_type": "MSC"}, {"cell_type": "MSC", "disease": "SLE"}, True),
    ({"cell_type": "MSC"}, {"cell_type": "BM-MSC"}, False),
])
def test_contexts_are_compatible_when_no_key_disagrees(a, b, expected):
    assert compatible(a, b) is expected and compatible(b, a) is expected


def test_a_less_specific_statement_joins_one_assertion_only(corpus_data):
    # A statement without context is compatible with two assertions that disagree with each
    # other: it joins the first (the most specific first, then by source and id), never both.
    import yaml

    data = corpus_data.parent.parent / "ambiguous" / "data"
    shutil.copytree(corpus_data, data)
    para = data / "sources" / "para" / "statements.yaml"
    doc = yaml.safe_load(para.read_text(encoding="utf-8"))
    base = next(s for s in doc["statements"] if s["id"] == "p-mir153-reduces-proliferation")
    doc["statements"].append({**base, "id": "p-mir153-in-bm-mscs", "context": {"cell_type": "BM-MSC"},
                              "quote": "miR-153-3p reduces the proliferation"})
    doc["statements"].append({**base, "id": "p-mir153-anywhere", "context": {},
                              "quote": "reduces the proliferation of UC-MSCs"})
    para.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    m = Merged(load_curation(data, *RELATIONS_AND_KINDS))
    homes = [a for a in m.assertions if any(s.id == "p-mir153-anywhere" for s in a.evidence)]
    assert len(homes) == 1
    assert [s.id for s in homes[0].evidence] == ["p-mir153-anywhere", "p-mir153-in-bm-mscs"]


@pytest.fixture(scope="module")
def corpus_release(corpus_data, tmp_path_factory) -> Path:
    """The test corpus built as a project of its own: the project's ontology, shapes and queries,
    the import module regenerated for the terms this corpus uses."""
    from mirkg.cli import main

    root = tmp_path_factory.mktemp("three-sources-project")
    shutil.copytree(corpus_data, root / "data")
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(paths.ROOT / folder, root / folder)
    assert main(["imports", "--root", str(root)]) == 0
    assert main(["--skip-reasoning", "--root", str(root)]) == 0  # conflicts never fail the build
    return root / "dist"


def test_the_build_report_lists_each_conflict_with_both_quotes(corpus_release):
    dist = corpus_release
    report = (dist / "build-report.md").read_text(encoding="utf-8")
    conflicts = report.split("## Conflicts", 1)[1].split("\n## ", 1)[0]
    for quote in ("miR-153-3p reduces the proliferation of UC-MSCs [7]", "MiR-153-3p increases the proliferation of UC-MSCs",
                  "Reduced let-7f-5p in BM-MSCs of SLE patients",
                  "High levels of let-7f-5p in SLE BM-MSCs alleviated inflammation [6]"):
        assert f'"{quote}"' in conflicts, quote
    assert conflicts.count("\n- ") == 2  # the two conflicts, nothing else
    assert "| tan-title | title | tan-2019-let7f5p | 1 |" in report


def test_the_merged_view_is_made_once_per_curation(corpus_data):
    curation = load_curation(corpus_data, *RELATIONS_AND_KINDS)
    assert Merged.of(curation) is Merged.of(curation)
    assert Merged.of(load_curation(corpus_data, *RELATIONS_AND_KINDS)) is not Merged.of(curation)
