"""Each kind of bad curated input stops the build with a clear error, exit code 2, and an
unchanged dist/.

The input is refused before the build writes anything, so a sentinel dist/ (helpers.sentinel_dist)
shows that the release is left alone; test_release.py shows it on a real release."""

from __future__ import annotations

import re

import pytest

from helpers import run, sentinel_dist, tree_digest


def _edit(path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found: {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# (file, text to replace, replacement, words the error must contain)
CASES = {
    # issue 16: a claim the text gives no reference for is a non-traceable author statement (NAS)
    "traceable author statement without a reference": (
        "sources/review/statements.yaml",
        "  attributed_to: dong-et-al\n  evidence: ECO:0000303\n  quote: Dong et al. revealed",
        "  attributed_to: dong-et-al\n  evidence: ECO:0000304\n  quote: Dong et al. revealed",
        ["exosomes-promote-sle-msc-senescence", "ECO:0000304", "no reference", "ECO:0000303"],
    ),
    "non-traceable author statement with a reference": (
        "sources/review/statements.yaml",
        'citation: "[7]"\n  attributed_to: li-et-al\n  evidence: ECO:0000304\n  quote: increased levels',
        'citation: "[7]"\n  attributed_to: li-et-al\n  evidence: ECO:0000303\n  quote: increased levels',
        ["mir153-increased-in-sle", "ECO:0000303", "[7]", "ECO:0000304"],
    ),
    # issue 16: a limitation names the finding it qualifies
    "limitation without the claim it limits": (
        "sources/review/statements.yaml",
        "  object: cellular-senescence\n  limits: exosomes-promote-sle-msc-senescence\n",
        "  object: cellular-senescence\n",
        ["senescence-not-exclusively-exosome-uptake", "limitation names the claim it limits", "limits:"],
    ),
    "limitation limiting a limitation": (
        "sources/review/statements.yaml",
        "  statement_type: limitation\n  limits: exosomes-promote-sle-msc-senescence",
        "  statement_type: limitation\n  limits: senescence-not-exclusively-exosome-uptake",
        ["other-serum-factors-may-promote-senescence", "not a finding"],
    ),
    "entity kind the ontology does not have": (
        "entities.yaml",
        "  kind: protein_complex\n",
        "  kind: complex\n",
        ["NF-kB", "unknown kind 'complex'", "protein_complex"],
    ),
    "quote altered": (
        "sources/review/statements.yaml",
        "quote: increased levels of miR-153-3p in SLE patients",
        "quote: increased level of miR-153-3p in SLE patients",
        ["mir153-increased-in-sle", "does not occur", "copy the quote exactly"],
    ),
    "unknown entity": (
        "sources/review/statements.yaml",
        "  subject: hsa-miR-153-3p\n  relation: differentially_expressed_in",
        "  subject: hsa-miR-999\n  relation: differentially_expressed_in",
        ["mir153-increased-in-sle", "hsa-miR-999", "not an entity"],
    ),
    "unknown relation": (
        "sources/review/statements.yaml",
        "relation: represses_expression_of",
        "relation: silences",
        ["mir153-suppresses-peli1", "unknown relation 'silences'", "targets"],
    ),
    "unknown citation": (
        "sources/review/statements.yaml",
        'citation: "[7]"\n  attributed_to: li-et-al\n  evidence: ECO:0000304\n  quote: increased levels',
        'citation: "[9]"\n  attributed_to: li-et-al\n  evidence: ECO:0000304\n  quote: increased levels',
        ["mir153-increased-in-sle", "citation number 9"],
    ),
    "malformed identifier": (
        "entities.yaml",
        "id_curie: mirbase.mature:MIMAT0000449",
        "id_curie: mirbase.mature:MIMAT449",
        ["hsa-miR-146a-5p", "not a well-formed identifier"],
    ),
    "unconfirmed identifier": (
        "entities.yaml",
        "id_curie: mirbase.mature:MIMAT0000449",
        "id_curie: mirbase.mature:MIMAT0004608",
        ["hsa-miR-146a-5p", "not confirmed", "unresolved"],
    ),
    "duplicate id": (
        "sources/review/statements.yaml",
        "- id: mir146a-targets-traf6",
        "- id: mir146a-regulates-nf-kb-signaling",
        ["duplicate id 'mir146a-regulates-nf-kb-signaling'"],
    ),
    "missing field": (
        "sources/review/statements.yaml",
        "  attributed_to: tan-et-al\n  evidence: ECO:0000304\n  quote: >-\n    let-7f-5p targets",
        "  evidence: ECO:0000304\n  quote: >-\n    let-7f-5p targets",
        ["let7f5p-targets-nlrp3", "'attributed_to' is missing"],
    ),
    "field of the wrong type": (
        "entities.yaml",
        'written: ["TNF receptor associated factor 6", "TRAF6"]',
        "written: 6",
        ["TRAF6", "'written' should be a list"],
    ),
    "written label only inside a longer word": (
        "entities.yaml",
        'written: ["miR-146a"]',
        'written: ["miR-146"]',
        ["hsa-miR-146a-5p", "'miR-146' occurs in the source texts only inside longer words", "'miR-146a'",
         "write the whole word"],
    ),
    "unknown field": (
        "sources/review/statements.yaml",
        "- id: mir146a-targets-traf6\n",
        "- id: mir146a-targets-traf6\n  evidense: ECO:0000304\n",
        ["mir146a-targets-traf6", "unknown field(s) evidense"],
    ),
    "name differs from the reference label": (
        "entities.yaml",
        "name: hsa-miR-153-3p",
        "name: hsa-miR-153",
        ["hsa-miR-153-3p", "reference label"],
    ),
    "citation not in the quote's sentence": (
        "sources/review/statements.yaml",
        'citation: "[8]"\n  attributed_to: dong-et-al\n  evidence: ECO:0000304\n  quote: by targeting TNF',
        'citation: "[7]"\n  attributed_to: dong-et-al\n  evidence: ECO:0000304\n  quote: by targeting TNF',
        ["mir146a-targets-traf6", "not in the sentence"],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_a_clear_error_and_leaves_dist_alone(case, data_copy, capsys, tmp_path):
    file, old, new, expected_words = CASES[case]
    dist = sentinel_dist(tmp_path)
    before = tree_digest(dist)

    _edit(data_copy / file, old, new)
    code, _, err = run(["--data", str(data_copy), "--dist", str(dist)], capsys)

    assert code == 2
    assert "Traceback" not in err
    assert err.startswith("error: ")
    assert file in err
    assert re.search(r"\.yaml:\d+", err), "the error names the line"
    assert "fix:" in err
    for word in expected_words:
        assert word in err, (word, err)
    assert tree_digest(dist) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "dist"], "no staging folder left behind"


def test_invalid_utf8_names_file_and_line(data_copy, capsys, tmp_path):
    path = data_copy / "entities.yaml"
    raw = path.read_bytes()
    cut = raw.index(b"- id: TRAF6")
    path.write_bytes(raw[:cut] + b"\xff\xfe" + raw[cut:])
    line = raw[:cut].count(b"\n") + 1
    code, _, err = run(["--data", str(data_copy), "--dist", str(tmp_path / "dist")], capsys)
    assert code == 2
    assert f"entities.yaml:{line}" in err and "not valid UTF-8" in err and "save the file as UTF-8" in err
    assert not (tmp_path / "dist").exists()


def test_broken_yaml_names_file_and_line(data_copy, capsys, tmp_path):
    path = data_copy / "citations.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    target = next(i for i, ln in enumerate(lines) if ln.startswith("- number: 6"))
    lines[target] = "- number: [6\n"
    path.write_text("".join(lines), encoding="utf-8")
    code, _, err = run(["--data", str(data_copy), "--dist", str(tmp_path / "dist")], capsys)
    assert code == 2
    assert "citations.yaml:" in err and "not valid YAML" in err
    reported = int(re.search(r"citations\.yaml:(\d+)", err).group(1))
    assert abs(reported - (target + 1)) <= 1


def test_truncated_quote_that_still_occurs_is_accepted(data_copy, capsys, tmp_path):
    # A shorter quote that still occurs verbatim is a valid (if weaker) anchor: not an error.
    _edit(
        data_copy / "sources/review/statements.yaml",
        "quote: increased levels of miR-153-3p in SLE patients",
        "quote: increased levels of miR-153-3p in SLE patient",
    )
    # `validate` reads and checks the input as the build does (loader and shapes), without the release stages.
    code, out, err = run(["validate", "--data", str(data_copy), "--dist", str(tmp_path / "dist")], capsys)
    assert code == 0, err + out  # 1 would be a violation, 2 the loader refusing the quote


def test_corrupted_statement_breaks_shacl_not_the_loader(data_copy, capsys, tmp_path):
    # "targets" needs a gene as object; the loader accepts any entity, SHACL must catch it.
    _edit(
        data_copy / "sources/review/statements.yaml",
        "  relation: targets\n  object: TRAF6",
        "  relation: targets\n  object: MSC",
    )
    dist = tmp_path / "dist"
    code, _, err = run(["--data", str(data_copy), "--dist", str(dist)], capsys)
    assert code == 1
    assert "Violation" in err and "mir146a-targets-traf6" in err and "GeneOrGeneProduct" in err
    assert not dist.exists()
