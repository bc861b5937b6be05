"""Sources as folders (issue 17): adding a source is adding a folder, and each mistake a curator
can make with sources is a clear error that names the file and the fix, exits 2 and leaves dist/
alone.

The second source here is written for the tests: a made-up sentence, never shipped."""

from __future__ import annotations

import shutil

import pytest

from helpers import run, sentinel_dist, tree_digest
from mirkg.cli import main
from mirkg.iris import release_file_iri

SECOND_TEXT = "Knockdown of MiR-153-3p restores the proliferation of umbilical cord MSCs."
SECOND_META = """id: second
work: li-2020-mir153
part: abstract
origin: written for the tests
licence: none needed
"""
SECOND_STATEMENTS = """source: second
statements:
- id: second-mir153-reduces-proliferation
  subject: hsa-miR-153-3p
  relation: regulates
  direction: decrease
  object: msc-proliferation
  context: {cell_type: UC-MSC}
  citation: none
  attributed_to: li-et-al
  evidence: ECO:0000303
  quote: Knockdown of MiR-153-3p restores the proliferation of umbilical cord MSCs
"""


def add_source(data, folder="second", text=SECOND_TEXT, meta=SECOND_META, statements=SECOND_STATEMENTS):
    target = data / "sources" / folder
    target.mkdir(parents=True)
    if text is not None:
        (target / "text.txt").write_text(text, encoding="utf-8")
    if meta is not None:
        (target / "source.yaml").write_text(meta, encoding="utf-8")
    if statements is not None:
        (target / "statements.yaml").write_text(statements, encoding="utf-8")
    entities = data / "entities.yaml"
    entities.write_text(entities.read_text(encoding="utf-8").replace(
        'written: ["miR-153-3p"]', 'written: ["miR-153-3p", "MiR-153-3p"]'), encoding="utf-8")
    return target


def test_a_second_source_needs_no_code_only_a_folder(data_copy, tmp_path):
    add_source(data_copy)
    dist = tmp_path / "dist"
    assert main(["--skip-reasoning", "--data", str(data_copy), "--dist", str(dist)]) == 0
    data = (dist / "mirkg.nt").read_text(encoding="utf-8")
    claim = "<https://w3id.org/mirkg/id/claim/second-mir153-reduces-proliferation>"
    source = "<https://w3id.org/mirkg/id/source/second>"
    assert f"{claim} <http://www.w3.org/ns/prov#wasDerivedFrom> {source} ." in data
    span = "<https://w3id.org/mirkg/id/claim/second-mir153-reduces-proliferation/span>"
    assert f"{span} <https://w3id.org/mirkg/inSource> {source} ." in data
    # the Web Annotation source: the second source's text, shipped as a file of its own
    shipped = f"<{release_file_iri('sources/second.txt')}>"
    assert f"{span} <http://www.w3.org/ns/oa#hasSource> {shipped} ." in data
    assert (dist / "sources" / "second.txt").read_text(encoding="utf-8") == SECOND_TEXT
    # offsets count in the second source's own text
    position = "<https://w3id.org/mirkg/id/claim/second-mir153-reduces-proliferation/span/position>"
    end = len("Knockdown of MiR-153-3p restores the proliferation of umbilical cord MSCs")
    assert f'{position} <http://www.w3.org/ns/oa#start> "0"^^' in data
    assert f'{position} <http://www.w3.org/ns/oa#end> "{end}"^^' in data
    assert f'{source} <https://w3id.org/mirkg/text> "{SECOND_TEXT}" .' in data
    # the review's claims still come from the review
    assert ("<https://w3id.org/mirkg/id/claim/mir146a-targets-traf6> <http://www.w3.org/ns/prov#wasDerivedFrom> "
            "<https://w3id.org/mirkg/id/source/review> .") in data


def _refused(data, tmp_path, capsys, *words):
    dist = sentinel_dist(tmp_path)
    before = tree_digest(dist)
    code, _, err = run(["--data", str(data), "--dist", str(dist)], capsys)
    assert code == 2, err
    assert err.startswith("error: ") and "Traceback" not in err and "fix:" in err
    for word in words:
        assert word in err, (word, err)
    assert tree_digest(dist) == before
    return err


def test_a_quote_of_another_sources_text_is_refused_with_its_source_named(data_copy, tmp_path, capsys):
    add_source(data_copy, statements=SECOND_STATEMENTS.replace(
        "quote: Knockdown of MiR-153-3p restores the proliferation of umbilical cord MSCs",
        "quote: increased levels of miR-153-3p in SLE patients"))
    _refused(data_copy, tmp_path, capsys, "sources/second/statements.yaml", "second-mir153-reduces-proliferation",
             "does not occur in the text of source 'second', but in that of source 'review'",
             "move the statement to data/sources/review/statements.yaml")


def test_a_duplicate_source_id_is_refused(data_copy, tmp_path, capsys):
    add_source(data_copy, meta=SECOND_META.replace("id: second", "id: review"))
    _refused(data_copy, tmp_path, capsys, "source.yaml", "duplicate source id 'review'", "its own id")


def test_a_source_without_text_is_refused(data_copy, tmp_path, capsys):
    add_source(data_copy, text=None)
    _refused(data_copy, tmp_path, capsys, "sources/second/text.txt", "source 'second' has no text")


@pytest.mark.parametrize("text", ["", "  \n"])
def test_a_source_with_an_empty_text_is_refused(data_copy, tmp_path, capsys, text):
    add_source(data_copy, text=text)
    _refused(data_copy, tmp_path, capsys, "sources/second/text.txt", "is empty")


def test_statements_naming_an_unknown_source_are_refused(data_copy, tmp_path, capsys):
    add_source(data_copy, statements=SECOND_STATEMENTS.replace("source: second", "source: nowhere"))
    _refused(data_copy, tmp_path, capsys, "sources/second/statements.yaml", "'nowhere'",
             "not a source of data/sources/", "source: second")


def test_statements_naming_another_folders_source_are_refused(data_copy, tmp_path, capsys):
    add_source(data_copy, statements=SECOND_STATEMENTS.replace("source: second", "source: review"))
    _refused(data_copy, tmp_path, capsys, "sources/second/statements.yaml", "another folder's source")


def test_a_source_of_an_unknown_work_is_refused(data_copy, tmp_path, capsys):
    add_source(data_copy, meta=SECOND_META.replace("work: li-2020-mir153", "work: smith-2030"))
    _refused(data_copy, tmp_path, capsys, "sources/second/source.yaml", "'smith-2030' is not a work")


def test_a_source_folder_without_metadata_is_refused(data_copy, tmp_path, capsys):
    add_source(data_copy, meta=None)
    _refused(data_copy, tmp_path, capsys, "sources/second/source.yaml", "no metadata file")


def test_a_statement_id_used_by_two_sources_is_refused(data_copy, tmp_path, capsys):
    add_source(data_copy, statements=SECOND_STATEMENTS.replace(
        "- id: second-mir153-reduces-proliferation", "- id: mir146a-targets-traf6"))
    _refused(data_copy, tmp_path, capsys, "duplicate statement id 'mir146a-targets-traf6'")


def test_no_source_folder_at_all_is_refused(data_copy, tmp_path, capsys):
    shutil.rmtree(data_copy / "sources")
    _refused(data_copy, tmp_path, capsys, "there is no source folder")
