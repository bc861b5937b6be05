"""The installable package: what the wheel holds, and the `mirkg` command of an installed copy
working on a project folder (the current one, or --root) instead of on its own install location.

The wheel is built offline from a copy of the clone (pip with the setuptools of
requirements-test.txt, without build isolation), so that the test writes nothing into the clone.
The installed copy goes into a folder of its own (pip --target) and runs with the test's Python
for its dependencies; .ci/run does the same from a fresh virtual environment with `pip install`.
"""

from __future__ import annotations

import email
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from helpers import ROOT, tree_digest

pytestmark = pytest.mark.slow  # a wheel build, a pip install and two whole builds in fresh processes

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# Left in the clone by runs, never part of the source: bytecode, virtual environments, releases.
NOT_SOURCE = shutil.ignore_patterns("__pycache__", "*.pyc", ".venv", ".git", "dist", ".dist.*", "build",
                                    "*.egg-info", ".pytest_cache", ".hypothesis")


def _pip(*args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "pip", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    _pip("wheel", "--quiet", "--no-deps", "--no-build-isolation", "--wheel-dir", str(work / "out"), str(source),
         cwd=work)
    (found,) = (work / "out").glob("mirkg-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> tuple[Path, dict]:
    """The `mirkg` console script of the wheel installed on its own, and the environment to run it in."""
    target = tmp_path_factory.mktemp("site")
    _pip("install", "--quiet", "--no-deps", "--target", str(target), str(wheel), cwd=target)
    env = dict(os.environ, PYTHONPATH=str(target))
    return target / "bin" / "mirkg", env


def _source_files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder.parent)) for p in folder.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}


def test_the_wheel_holds_the_package_with_its_assets_and_nothing_else(wheel):
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = email.message_from_bytes(zf.read(f"{info}/METADATA"))
        entry_points = zf.read(f"{info}/entry_points.txt").decode("utf-8")
    package = {n for n in names if not n.startswith(f"{info}/")}
    # Every file of mirkg/ in the clone, the page's style sheets and script among them; nothing else.
    assert package == _source_files(ROOT / "mirkg")
    assets = {f"mirkg/site_assets/{p.name}" for p in (ROOT / "mirkg" / "site_assets").iterdir()}
    assert assets and assets <= package
    assert not {n for n in names if n.split("/")[0] in {"data", "ontology", "shapes", "queries", "tests", "bench",
                                                         "docs", "dist", "build.py"}}
    assert "mirkg = mirkg.cli:run" in entry_points
    assert metadata["Name"] == "mirkg" and metadata["Version"] == PYPROJECT["project"]["version"]
    required = {Requirement(r) for r in metadata.get_all("Requires-Dist") if "extra ==" not in r}
    assert required == {Requirement(d) for d in PYPROJECT["project"]["dependencies"]}
    assert set(metadata.get_all("Provides-Extra")) == set(PYPROJECT["project"]["optional-dependencies"])


def test_the_installed_command_runs_from_its_own_copy(installed, tmp_path):
    mirkg, env = installed
    done = subprocess.run([mirkg, "--help"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: mirkg") and "--root" in done.stdout
    for verb in ("build", "validate", "query", "load", "serve", "imports"):
        assert verb in done.stdout
    where = subprocess.run([sys.executable, "-c", "import mirkg; print(mirkg.__file__)"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(mirkg.parent.parent), "mirkg was imported from the clone"


def test_the_installed_command_in_a_folder_without_a_project_names_what_is_missing(installed, tmp_path):
    # An installed copy has no data beside it: it reads the current folder, and says what it lacks.
    mirkg, env = installed
    done = subprocess.run([mirkg, "build"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    for folder in ("data", "ontology", "shapes", "queries"):
        assert str(tmp_path.resolve() / folder) in done.stderr
    assert "--root" in done.stderr
    assert not (tmp_path / "dist").exists()


def test_the_installed_command_builds_what_build_py_builds(installed, tmp_path):
    """Issue 21's acceptance: `mirkg build --root CLONE` writes build.py's release byte for byte
    (timings.json measures the run, and is the one file that differs)."""
    mirkg, env = installed
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    subprocess.run([mirkg, "build", "--root", str(ROOT), "--dist", str(tmp_path / "installed")], cwd=outside,
                   env=env, capture_output=True, text=True, check=True)
    subprocess.run([sys.executable, "build.py", "--dist", str(tmp_path / "clone")], cwd=ROOT, capture_output=True,
                   text=True, check=True)
    installed_tree, clone_tree = tree_digest(tmp_path / "installed"), tree_digest(tmp_path / "clone")
    assert installed_tree.pop("timings.json") and clone_tree.pop("timings.json")
    assert installed_tree == clone_tree
    assert "SHA256SUMS" in clone_tree and "site/index.html" in clone_tree
    assert list(outside.iterdir()) == []  # nothing written where the command ran


def test_query_on_a_named_root(installed, tmp_path):
    mirkg, env = installed
    done = subprocess.run([mirkg, "query", "01", "--root", str(ROOT), "--format", "tsv"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("?")  # a SPARQL TSV header
    assert len(done.stdout.splitlines()) > 1
