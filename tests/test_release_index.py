"""The release's database in the cache folder (mirkg.release_index): the first question on a
large release makes it, later ones open it, a new build names a new one, and nothing half-made is
ever opened or left behind; a small release is loaded for each question and makes none."""

from __future__ import annotations

import os
import time

import pytest

import helpers
from mirkg import release_index
from mirkg.release_index import KEEP, release_store

ALICE = "<https://example.org/alice> <http://www.w3.org/2000/01/rdf-schema#label> \"Alice\" .\n"
CAROL = "<https://example.org/carol> <http://www.w3.org/2000/01/rdf-schema#label> \"Carol\" .\n"
BOB = "<https://example.org/bob> <http://www.w3.org/2000/01/rdf-schema#label> \"Bob\" .\n"
LABELS = "SELECT ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label"


def labels(store) -> list[str]:
    return [row["label"].value for row in store.query(LABELS)]


@pytest.fixture
def release(tmp_path, monkeypatch):
    """A release of a few bytes, which counts as large: the database's tests."""
    monkeypatch.setattr(release_index, "IN_MEMORY_BYTES", 0)
    data, ontology = tmp_path / "mirkg.nt", tmp_path / "ontology.nt"
    data.write_text(ALICE, encoding="utf-8")
    ontology.write_text(BOB, encoding="utf-8")
    return [data, ontology]


@pytest.fixture
def loads(monkeypatch):
    """How many times the release files were read into a store."""
    calls = []
    real = release_index.store_from_ntriples

    def counted(*pieces, **options):
        calls.append(pieces)
        return real(*pieces, **options)

    monkeypatch.setattr(release_index, "store_from_ntriples", counted)
    return calls


def databases(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_release_under_the_size_is_loaded_for_each_question_and_makes_no_database(release, tmp_path, loads,
                                                                                   monkeypatch):
    size = sum(f.stat().st_size for f in release)
    cache = tmp_path / "cache"
    monkeypatch.setattr(release_index, "IN_MEMORY_BYTES", size + 1)
    for asked in (1, 2):
        assert labels(release_store(release, cache)) == ["Alice", "Bob"]
        assert len(loads) == asked
    assert not cache.exists(), "a small release made a database"
    # at the size exactly, it is a large release: the database is made once
    monkeypatch.setattr(release_index, "IN_MEMORY_BYTES", size)
    assert labels(release_store(release, cache)) == ["Alice", "Bob"]
    assert labels(release_store(release, cache)) == ["Alice", "Bob"]
    assert len(loads) == 3 and len(databases(cache)) == 1


def test_the_first_question_makes_the_database_and_the_next_opens_it(release, tmp_path, loads):
    cache = tmp_path / "cache"
    assert labels(release_store(release, cache)) == ["Alice", "Bob"]
    assert len(loads) == 1 and len(databases(cache)) == 1
    assert labels(release_store(release, cache)) == ["Alice", "Bob"]
    assert len(loads) == 1, "the second question read the release files again"


def test_a_new_build_names_a_new_database_and_the_oldest_go(release, tmp_path):
    cache = tmp_path / "cache"
    names = []
    for step in range(KEEP + 2):
        release[0].write_text(ALICE if step % 2 else CAROL, encoding="utf-8")
        os.utime(release[0], ns=(step * 10**9, step * 10**9))  # a new build: new files
        store = release_store(release, cache)
        assert labels(store) == (["Alice", "Bob"] if step % 2 else ["Bob", "Carol"])
        del store
        names.append(release_index.release_key(release))
        time.sleep(0.01)  # the databases' times of use differ
    assert len(set(names)) == KEEP + 2
    assert databases(cache) == sorted(names[-KEEP:])


def test_without_a_writable_cache_the_release_loads_in_memory(release, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    assert labels(release_store(release, blocked / "cache")) == ["Alice", "Bob"]


def test_a_damaged_database_is_made_again(release, tmp_path, loads):
    cache = tmp_path / "cache"
    damaged = cache / release_index.release_key(release)
    damaged.mkdir(parents=True)
    (damaged / "CURRENT").write_text("not a database\n", encoding="utf-8")
    assert labels(release_store(release, cache)) == ["Alice", "Bob"]
    assert len(loads) == 1 and databases(cache) == [damaged.name]


def test_an_interrupted_database_is_removed_and_never_opened(release, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    real = release_index.store_from_ntriples

    def interrupted(*pieces, into=None, **options):
        real(pieces[0], into=into, **options)
        raise KeyboardInterrupt  # Ctrl-C, or SIGTERM turned into Stopped, half-way

    monkeypatch.setattr(release_index, "store_from_ntriples", interrupted)
    with pytest.raises(KeyboardInterrupt):
        release_store(release, cache)
    assert databases(cache) == []
    monkeypatch.undo()
    assert labels(release_store(release, cache)) == ["Alice", "Bob"]


def test_a_half_made_database_of_a_killed_process_is_removed_when_stale(release, tmp_path):
    cache = tmp_path / "cache"
    cache.mkdir()
    old, recent = cache / ".abc.1.partial", cache / ".def.2.partial"
    for partial in (old, recent):
        partial.mkdir()
    stale = time.time() - release_index.STALE_SECONDS - 60
    os.utime(old, (stale, stale))
    release_store(release, cache)
    assert not old.exists() and recent.exists()  # the recent one may be another process's, still at work


def test_the_query_command_answers_every_stored_question_from_the_database_as_from_memory(
        built_dist, tmp_path, monkeypatch, capsys):
    # The whole release in an in-memory store against the same files' database, through the
    # command: every stored query with its example parameters, answered by the store, not by the
    # release's answer files.
    from mirkg import cli
    from mirkg.queries import load_queries

    monkeypatch.setenv(release_index.CACHE_VARIABLE, str(tmp_path / "cache"))
    monkeypatch.setattr(release_index, "IN_MEMORY_BYTES", 0)  # the real release counts as large
    monkeypatch.setattr(cli, "_stored_answer", lambda *_: None)
    answers = {}
    for where in ("database", "memory"):
        if where == "memory":
            monkeypatch.setattr(release_index, "cache_folder", lambda: tmp_path / "a-file" / "cache")
            (tmp_path / "a-file").write_text("", encoding="utf-8")
        for q in load_queries(helpers.ROOT / "queries"):
            params = [arg for k, v in sorted(q.example.items()) for arg in ("--param", f"{k}={v}")]
            code, out, _ = helpers.run(["--dist", str(built_dist), "query", q.name, "--format", "tsv", *params],
                                       capsys)
            assert code == 0, q.name
            answers.setdefault(q.name, {})[where] = out
    assert len(databases(tmp_path / "cache")) == 1
    for name, both in answers.items():
        assert both["database"] == both["memory"], name
    # the source: miR-146a targets TRAF6
    assert any('"hsa-miR-146a-5p"@en' in row and '"TRAF6"@en' in row
               for row in answers["01-mirna-targets"]["database"].splitlines())
