"""A second engine: Virtuoso open source (Debian's `virtuoso-opensource`), started on loopback
ports from a copy of the packaged virtuoso.ini, loaded with `python build.py load` through its
authenticated Graph Store endpoint, and asked every stored query.

Skipped when virtuoso-t is not installed, unless MIRKG_VIRTUOSO_REQUIRED=1 (.ci/run sets it after
installing the package), in which case a missing Virtuoso fails the run.

How Virtuoso 7.2's answers are compared (docs/loading.md says the same):
- queries go as an HTML-form POST: a POST of the query as the body gets no answer in time.
- booleans: Virtuoso writes xsd:boolean values as "0"/"1" (valid lexical forms), and boolean
  expressions such as BIND(EXISTS {...} AS ?x) as xsd:integer 0/1; both are read as false/true
  where the embedded store answers a boolean. Every other value is compared exactly.
- parameters are bound by a VALUES block inside the query's group rather than a trailing VALUES
  clause (Virtuoso cannot join a trailing VALUES on a variable the SELECT does not project).
- the default graph is Virtuoso's own (all its graphs), not default-graph-uri: given several
  default-graph-uri, Virtuoso 7.2 gets `a/rdfs:subClassOf*` paths wrong.
- the stored queries put their `rdfs:subClassOf*` class paths inside FILTER EXISTS {...}, which
  Virtuoso 7.2 answers right (joined with the group's other patterns it gives one row or none).
- Virtuoso 7.2 gave no rows for query 10 with its miRNA parameter bound while the MSC types came
  from a `VALUES ?mscClass` block; the query lists them in a UNION instead. Every query must give
  the embedded store's answer; KNOWN_WRONG names any query Virtuoso is known to answer wrongly
  (an expected failure, with the reason, that passes as soon as Virtuoso answers it right).
"""

from __future__ import annotations

import dataclasses
import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, embedded_answers, free_port, run, sparql_count, start, stop
from mirkg.publish import DESCRIPTION_GRAPH, content_graphs
from mirkg import paths
from mirkg.queries import Answer, load_queries
from mirkg.queries import run_endpoint

pytestmark = [pytest.mark.server, pytest.mark.slow]  # a Virtuoso server, its database made afresh

QUERIES = load_queries(paths.QUERIES)
XSD = "http://www.w3.org/2001/XMLSchema#"
BOOLEAN, INTEGER = f"<{XSD}boolean>", f"<{XSD}integer>"
# Virtuoso 7.2's known wrong answers, by query: see docs/loading.md.
KNOWN_WRONG: dict[str, str] = {}


def virtuoso_ini(template: Path, folder: Path, sql_port: int, http_port: int, allowed: list[Path]) -> str:
    """The packaged virtuoso.ini with its files in `folder`, both servers on loopback ports, and
    the release folder readable."""
    section, out = None, []
    for line in template.read_text(encoding="utf-8").splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        if header:
            section = header.group(1)
        key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith(";") else None
        if (section, key) in {("Database", k) for k in ("DatabaseFile", "ErrorLogFile", "LockFile", "TransactionFile",
                                                        "xa_persistent_file")} | {("TempDatabase", "DatabaseFile"),
                                                                                  ("TempDatabase", "TransactionFile")}:
            line = f"{key} = {folder / Path(line.split('=', 1)[1].strip()).name}"
        elif section == "Parameters" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{sql_port}"
        elif section == "HTTPServer" and key == "ServerPort":
            line = f"ServerPort = 127.0.0.1:{http_port}"
        elif section == "Parameters" and key == "DirsAllowed":
            line = "DirsAllowed = " + ", ".join([".", *map(str, allowed)])
        out.append(line)
    return "\n".join(out) + "\n"


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory, built_dist):
    binary = shutil.which("virtuoso-t")
    templates = sorted(glob.glob("/etc/virtuoso-opensource-*/virtuoso.ini"))
    if binary is None or not templates:
        reason = "virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource; .ci/run installs it)"
        if os.environ.get("MIRKG_VIRTUOSO_REQUIRED") == "1":
            pytest.fail(reason + ", but MIRKG_VIRTUOSO_REQUIRED=1")
        pytest.skip(reason)
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(virtuoso_ini(Path(templates[-1]), folder, sql_port, http_port, [built_dist]), encoding="utf-8")
    base = f"http://127.0.0.1:{http_port}"
    process = start([binary, "-f", "-c", str(ini)], f"{base}/sparql?query=ASK%7B%7D", cwd=folder)
    try:
        yield base
    finally:
        stop(process)


@pytest.fixture(scope="module")
def credentials():
    """The test set-up's Virtuoso account: a fresh install's dba/dba unless the environment says
    otherwise. `load` reads credentials from the environment only."""
    return os.environ.get("MIRKG_VIRTUOSO_USER", "dba"), os.environ.get("MIRKG_VIRTUOSO_PASSWORD", "dba")


@pytest.fixture(scope="module")
def loaded(virtuoso, built_dist, credentials):
    env = {"MIRKG_ENDPOINT_USER": credentials[0], "MIRKG_ENDPOINT_PASSWORD": credentials[1]}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = subprocess.run([sys.executable, "build.py", "--dist", str(built_dist), "load", "--endpoint",
                                 f"{virtuoso}/sparql-graph-crud-auth"], cwd=ROOT,
                                capture_output=True, text=True, timeout=300)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert result.returncode == 0, result.stderr
    return virtuoso, result.stdout


def _owned_count(base: str, sources) -> int:
    graphs = " ".join(f"<{g}>" for g in (*content_graphs(sources), DESCRIPTION_GRAPH))
    return sparql_count(f"{base}/sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} GRAPH ?g {{ ?s ?p ?o }} }}")


def test_virtuoso_loads_the_release_and_a_second_load_keeps_the_count(loaded, built_dist, credentials, monkeypatch,
                                                                      capsys, build):
    base, out = loaded
    sources = build.curation.sources
    found = re.search(r"loaded (\d+) triples into (\d+) graph", out)
    expected = int(found.group(1))
    assert int(found.group(2)) == 3 + len(sources) + 1  # shared graphs, one per source, the description
    assert _owned_count(base, sources) == expected
    monkeypatch.setenv("MIRKG_ENDPOINT_USER", credentials[0])
    monkeypatch.setenv("MIRKG_ENDPOINT_PASSWORD", credentials[1])
    assert run(["--dist", str(built_dist), "load", "--endpoint", f"{base}/sparql-graph-crud-auth"], capsys)[0] == 0
    assert _owned_count(base, sources) == expected


def test_virtuoso_refuses_a_load_without_credentials(virtuoso, built_dist, monkeypatch, capsys):
    monkeypatch.delenv("MIRKG_ENDPOINT_USER", raising=False)
    code, _, err = run(["--dist", str(built_dist), "load", "--endpoint", f"{virtuoso}/sparql-graph-crud-auth"], capsys)
    assert code == 3 and "HTTP 401" in err


@pytest.fixture(scope="module")
def answers(build):
    return embedded_answers(build)


def normalise(answer: Answer, expected: Answer) -> Answer:
    """Virtuoso's booleans read as the embedded store writes them (see the module docstring)."""
    if answer.form != "SELECT":
        return answer
    boolean_columns = {i for i in range(len(expected.columns)) if any(r[i].endswith(BOOLEAN) for r in expected.rows)}
    rows = []
    for row in answer.rows:
        cells = []
        for i, value in enumerate(row):
            m = re.fullmatch(r'"(0|1|true|false)"\^\^(<[^>]+>)', value)
            if m and (m.group(2) == BOOLEAN or (m.group(2) == INTEGER and i in boolean_columns)):
                value = '"%s"^^%s' % ({"0": "false", "1": "true"}.get(m.group(1), m.group(1)), BOOLEAN)
            cells.append(value)
        rows.append(tuple(cells))
    return dataclasses.replace(answer, rows=rows)


@pytest.mark.parametrize("name", [q.name for q in QUERIES])
def test_virtuoso_gives_the_embedded_answers(loaded, answers, name):
    base, _ = loaded
    query, bindings, expected = answers[name]
    got = normalise(run_endpoint(f"{base}/sparql", query, bindings, "form", inline_values=True), expected)
    if got.normalised() != expected.normalised() and name in KNOWN_WRONG:
        pytest.xfail(f"{KNOWN_WRONG[name]} ({len(got.rows) or len(got.triples)} row(s) instead of "
                     f"{len(expected.rows) or len(expected.triples)})")
    assert got.normalised() == expected.normalised()
