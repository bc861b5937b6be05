"""Which releases hold their records' documents as files (issue 15): up to
linked_data.FILES_UP_TO records, unless `--documents` says otherwise."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import ROOT

from mirkg import resource_pages
from mirkg.cli import main
from mirkg.linked_data import FILES_UP_TO, SERVED_MARK


def test_the_shipped_data_is_small_enough_for_files(built_dist):
    assert not (built_dist / SERVED_MARK).exists()
    assert (built_dist / "doc" / "claim" / "mir146a-targets-traf6.ttl").is_file()
    records = sum(1 for p in (built_dist / "doc").rglob("*.html") if p.parts[-2] not in ("np", "query", "doc")
                  and "graph" not in p.parts)
    assert 100 < records < FILES_UP_TO


def test_above_the_limit_the_documents_are_left_to_serve(tmp_path, monkeypatch):
    monkeypatch.setattr(resource_pages, "FILES_UP_TO", 100)  # the shipped data has more records than this
    dist = tmp_path / "dist"
    assert main(["--dist", str(dist)]) == 0
    note = (dist / SERVED_MARK).read_text(encoding="utf-8")
    assert "up to 100 records" in note
    assert not (dist / "doc" / "claim").exists() and not (dist / "doc" / "np").exists()
    assert (dist / "doc" / "query").is_dir()
    assert "MIRKG_FRONT" in (dist / ".htaccess").read_text(encoding="utf-8")


def test_files_can_be_asked_for_whatever_the_size(tmp_path, monkeypatch):
    monkeypatch.setattr(resource_pages, "FILES_UP_TO", 100)
    dist = tmp_path / "dist"
    assert main(["--dist", str(dist), "--documents", "files"]) == 0
    assert not (dist / SERVED_MARK).exists()
    assert (dist / "doc" / "claim" / "mir146a-targets-traf6.html").is_file()
    assert "MIRKG_FRONT" not in (dist / ".htaccess").read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ["static", ""])
def test_an_unknown_choice_is_refused_before_anything_is_built(tmp_path, value):
    done = subprocess.run([sys.executable, "build.py", "--dist", str(tmp_path / "dist"), "--documents", value],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "--documents" in done.stderr and "auto" in done.stderr and "files" in done.stderr
    assert not (tmp_path / "dist").exists()
