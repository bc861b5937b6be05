"""The Turtle and JSON-LD dumps written from the release's N-Triples files by a process of their
own (mirkg/syntax_dumps.py): what it reports is what it wrote, the dumps hold the N-Triples'
triples, bad input is a clear error, and no process is left behind."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from mirkg.dataset import CONTEXT_FILE
from mirkg.errors import BuildError
from mirkg.namespaces import PREFIXES
from mirkg.syntax_dumps import DUMPS_OF_FILES, SyntaxDumps

# a blank node, a language tag, a datatype, escapes
DATA = (b'<https://w3id.org/mirkg/id/entity/a> <http://www.w3.org/2000/01/rdf-schema#label> "a \\"quoted\\" word"@en .\n'
        b'<https://w3id.org/mirkg/id/entity/a> <https://w3id.org/mirkg/x> _:b0 .\n'
        b'_:b0 <http://www.w3.org/2000/01/rdf-schema#comment> "2"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')
ONTOLOGY = b'<https://w3id.org/mirkg/Claim> <http://www.w3.org/2000/01/rdf-schema#label> "claim"@en .\n'


@pytest.fixture()
def staging(tmp_path):
    folder = tmp_path / "staging"
    folder.mkdir()
    (folder / "mirkg.nt").write_bytes(DATA)
    (folder / "mirkg-all.nt").write_bytes(ONTOLOGY + DATA)
    (folder / CONTEXT_FILE).write_text('{"@context": {}}', encoding="utf-8")
    return folder


def test_the_dumps_hold_the_triples_and_are_reported_as_written(staging):
    written, times = SyntaxDumps(staging, PREFIXES, CONTEXT_FILE).wait()
    assert sorted(rel for rel, _, _ in written) == sorted(target for _, _, target, _ in DUMPS_OF_FILES)
    assert set(times) == {stage for stage, _, _, _ in DUMPS_OF_FILES}
    for rel, digest, size in written:
        content = (staging / rel).read_bytes()
        assert hashlib.sha256(content).hexdigest() == digest and len(content) == size
    expected = {"mirkg.ttl": DATA, "mirkg-all.ttl": ONTOLOGY + DATA, "mirkg-all.jsonld": ONTOLOGY + DATA}
    for rel, nt in expected.items():
        fmt = "json-ld" if rel.endswith(".jsonld") else "turtle"
        # the JSON-LD names its context file, which rdflib reads from beside it
        got = Graph().parse(staging / rel, format=fmt)
        assert isomorphic(got, Graph().parse(data=nt, format="nt")), rel
    assert "@prefix mirkg: <https://w3id.org/mirkg/>" in (staging / "mirkg-all.ttl").read_text(encoding="utf-8")


def test_bad_ntriples_stop_with_the_parser_s_words(staging):
    (staging / "mirkg-all.nt").write_bytes(b"<https://w3id.org/mirkg/a> <https://w3id.org/mirkg/b> .\n")
    with pytest.raises(BuildError, match="Turtle and JSON-LD dumps failed") as caught:
        SyntaxDumps(staging, PREFIXES, CONTEXT_FILE).wait()
    assert "line 1" in str(caught.value) or "1:" in str(caught.value), str(caught.value)


def test_the_process_finds_the_package_from_any_working_folder(staging, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    written, _ = SyntaxDumps(staging, PREFIXES, CONTEXT_FILE).wait()
    assert len(written) == len(DUMPS_OF_FILES)


def test_the_module_run_by_hand_says_what_it_needs():
    done = subprocess.run([sys.executable, "-m", "mirkg.syntax_dumps"], capture_output=True, text=True)
    assert done.returncode == 2 and "usage: python -m mirkg.syntax_dumps STAGING_FOLDER" in done.stderr
