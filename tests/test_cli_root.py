"""The command works on a project folder: the current one, or the one --root names; a folder
without the project's layout is refused at start with an error that names what is missing."""

from __future__ import annotations

import runpy
import shutil
import subprocess
import sys

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from helpers import ROOT, run
from mirkg import paths
from mirkg.ontology import IMPORTS_FILE

INPUTS = ("data", "ontology", "shapes", "queries")


def _project(folder, copied=()):
    """A project folder whose inputs link to the clone's, except those copied (to be written to)."""
    folder.mkdir(exist_ok=True)
    for name in INPUTS:
        if name in copied:
            shutil.copytree(ROOT / name, folder / name)
        else:
            (folder / name).symlink_to(ROOT / name, target_is_directory=True)
    return folder


@pytest.mark.parametrize("command", [["build"], ["validate"], ["imports"], ["query", "01"]])
def test_a_folder_without_the_layout_is_refused_by_name(command, tmp_path, capsys):
    code, _, err = run([*command, "--root", str(tmp_path)], capsys)
    assert code == 2
    assert err.startswith("error: ") and "Traceback" not in err
    assert f"the project folder is {tmp_path.resolve()}" in err
    assert "fix: " in err and "--root FOLDER" in err
    assert str(tmp_path.resolve() / "data") in err  # every command reads the curated input
    assert not (tmp_path / "dist").exists()


def test_only_the_missing_folders_are_named(tmp_path, capsys):
    _project(tmp_path)
    (tmp_path / "shapes").unlink()
    code, _, err = run(["build", "--root", str(tmp_path)], capsys)
    assert code == 2
    missing = [name for name in INPUTS if str(tmp_path.resolve() / name) in err]
    assert missing == ["shapes"]
    assert "the SHACL shapes" in err


def test_a_folder_given_in_place_of_one_of_the_root_is_checked_too(tmp_path, capsys):
    code, _, err = run(["--data", str(tmp_path / "nowhere"), "validate"], capsys)
    assert code == 2 and str(tmp_path / "nowhere") in err and "the curated input" in err


def test_listing_the_queries_needs_only_the_queries(tmp_path, capsys):
    (tmp_path / "queries").symlink_to(ROOT / "queries", target_is_directory=True)
    code, out, err = run(["query", "--root", str(tmp_path)], capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith("01-")


def test_root_before_or_after_the_command(tmp_path, capsys):
    _project(tmp_path)
    before = run(["--root", str(tmp_path), "query"], capsys)
    after = run(["query", "--root", str(tmp_path)], capsys)
    assert before == after and before[0] == 0


def test_the_current_folder_is_the_default_root(tmp_path, capsys, monkeypatch):
    # `imports` writes into the project's ontology/: with a copied ontology it shows which root was used.
    project = _project(tmp_path / "project", copied=("ontology",))
    target = project / "ontology" / IMPORTS_FILE
    target.write_text("# stale\n" + target.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(project)
    code, out, err = run(["imports"], capsys)
    assert code == 0, err
    assert not target.read_text(encoding="utf-8").startswith("# stale")
    written = Graph().parse(target, format="turtle")
    assert isomorphic(written, Graph().parse(ROOT / "ontology" / IMPORTS_FILE, format="turtle"))
    assert str(project.resolve() / "ontology" / IMPORTS_FILE) in out


def test_the_module_level_folders_are_those_of_the_current_folder():
    # The tests run from the clone's root (conftest.py checks it), so these are the clone's folders.
    assert paths.ROOT.resolve() == ROOT
    assert [paths.DATA, paths.ONTOLOGY, paths.SHAPES, paths.QUERIES, paths.DIST] == [
        paths.ROOT / name for name in (*INPUTS, "dist")]


@pytest.mark.slow  # a fresh process
def test_build_py_takes_its_own_folder_as_the_root_wherever_it_runs(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "query"], cwd=tmp_path, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("01-")
    assert list(tmp_path.iterdir()) == []


def test_python_dash_m_mirkg_is_the_command(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["mirkg", "query", "--root", str(ROOT)])
    with pytest.raises(SystemExit) as done:
        runpy.run_module("mirkg", run_name="__main__")
    assert done.value.code == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("01-")
