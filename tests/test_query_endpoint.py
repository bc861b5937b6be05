"""Every stored query gives the same answer on a real SPARQL server over HTTP as on the embedded
store, through the code path of `python build.py query NAME --endpoint URL`.

The server is the `oxigraph` command of the PyPI package `oxigraph` (requirements-test.txt): the
test loads the built dataset (instance data + ontology, as the embedded store holds it) into a
scratch store with `oxigraph load`, serves it on a free loopback port, waits (bounded) until it
answers, and always stops it."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from mirkg import paths
from mirkg.errors import BuildError
from mirkg.pipeline import curie_expander
from mirkg.queries import (
    answer_from_sparql_json,
    bind,
    endpoint_request,
    find_query,
    load_queries,
    run_endpoint,
    run_oxigraph,
    store_from_ntriples,
)
from mirkg.release import sorted_ntriples

from helpers import free_port, run

QUERIES = load_queries(paths.QUERIES)
START_TIMEOUT = 30.0  # seconds to wait for the server to answer


def _oxigraph_command() -> str:
    beside = Path(sys.executable).parent / "oxigraph"  # the venv's console script
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the `oxigraph` server command is missing: python -m pip install -r requirements-test.txt")
    return found


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@pytest.fixture(scope="module")
def embedded(build):
    nt = sorted_ntriples(build.data) + sorted_ntriples(build.ontology)
    return nt, store_from_ntriples(nt), curie_expander(build.curation)


@pytest.fixture(scope="module")
def endpoint(embedded, tmp_path_factory):
    """The URL of a running `oxigraph serve` holding the dataset; stopped after the module."""
    nt, _, _ = embedded
    command = _oxigraph_command()
    folder = tmp_path_factory.mktemp("oxigraph-server")
    data = folder / "dataset.nt"
    data.write_bytes(nt)
    location = folder / "store"
    subprocess.run([command, "load", "--location", str(location), "--file", str(data)],
                   check=True, capture_output=True, timeout=120)
    port = free_port()
    log = (folder / "server.log").open("wb")
    server = subprocess.Popen([command, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/query"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(url):
            if server.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {server.returncode}: {(folder / 'server.log').read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"oxigraph serve did not answer on {url} within {START_TIMEOUT} s")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        log.close()


@pytest.mark.server
def test_the_server_holds_the_whole_dataset(embedded, endpoint):
    nt, _, _ = embedded
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    request = urllib.request.Request(endpoint, data=query.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-query",
                                              "Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        count = int(json.load(response)["results"]["bindings"][0]["n"]["value"])
    assert count == len(nt.decode("utf-8").splitlines())


@pytest.mark.parametrize("method", ["post", "get"])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
@pytest.mark.server
def test_every_query_gives_the_same_answer_over_http(embedded, endpoint, query, method):
    _, store, expand = embedded
    bindings = bind(query, query.example, expand)
    expected = run_oxigraph(store, query, bindings)
    got = run_endpoint(endpoint, query, bindings, method)
    assert got.normalised() == expected.normalised()
    # Not vacuous: every stored query has an answer on the shipped data with its example.
    assert got.rows or got.triples or got.boolean is not None


@pytest.mark.server
def test_a_bound_parameter_travels_to_the_server(embedded, endpoint):
    _, _, expand = embedded
    query = find_query(QUERIES, "09")
    # "respectively": miR-663 targets TGF-β1, not IL-6.
    yes = run_endpoint(endpoint, query, bind(query, {"mirna": "mirkgid:entity/hsa-miR-663a", "gene": "mirkgid:entity/TGFB1"}, expand))
    no = run_endpoint(endpoint, query, bind(query, {"mirna": "mirkgid:entity/hsa-miR-663a", "gene": "mirkgid:entity/IL6"}, expand))
    assert (yes.boolean, no.boolean) == (True, False)


@pytest.mark.server
def test_the_command_line_runs_on_the_endpoint(endpoint, capsys):
    code, out, err = run(["query", "01", "--endpoint", endpoint, "--param", "gene=mirkgid:entity/TRAF6", "--format", "json"], capsys)
    assert code == 0, err
    rows = json.loads(out)["results"]["bindings"]
    # Sentence 9: miR-146a targets TRAF6 (in SLE BM-MSCs).
    assert [r["mirnaLabel"]["value"] for r in rows] == ["hsa-miR-146a-5p"]
    code, out, err = run(["query", "08", "--endpoint", endpoint, "--http-method", "get", "--format", "table"], capsys)
    assert code == 0, err
    assert ["mirkgid:entity/hsa-miR-146a-5p", "mirkg:targets", "mirkgid:entity/TRAF6"] in [ln.split() for ln in out.splitlines()]


def test_an_unreachable_endpoint_is_a_clear_error(capsys):
    url = f"http://127.0.0.1:{free_port()}/query"  # nothing listens there
    code, _, err = run(["query", "07", "--endpoint", url, "--timeout", "5"], capsys)
    assert code == 2 and "cannot reach the SPARQL endpoint" in err


@pytest.mark.server
def test_an_endpoint_error_is_reported(endpoint):
    broken = dataclasses.replace(find_query(QUERIES, "07"), text="SELECT * WHERE { ?s ?p }")
    with pytest.raises(BuildError, match="answered HTTP 400"):
        run_endpoint(endpoint, broken, {})


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/q", "127.0.0.1:7878/query", ""])
def test_only_http_endpoints_are_accepted(url):
    with pytest.raises(BuildError, match="not an http"):
        endpoint_request(url, "ASK {}", "ASK")


def test_sparql_json_terms_are_read_as_rdf_terms():
    answer = answer_from_sparql_json({
        "head": {"vars": ["a", "b", "c", "d", "e"]},
        "results": {"bindings": [{
            "a": {"type": "uri", "value": "https://w3id.org/mirkg/id/entity/TRAF6"},
            "b": {"type": "literal", "value": "increase", "xml:lang": "en"},
            "c": {"type": "literal", "value": "4", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
            "d": {"type": "literal", "value": 'say "x"', "datatype": "http://www.w3.org/2001/XMLSchema#string"},
        }]},
    })
    assert answer.rows == [(
        "<https://w3id.org/mirkg/id/entity/TRAF6>", '"increase"@en',
        '"4"^^<http://www.w3.org/2001/XMLSchema#integer>', '"say \\"x\\""', "",
    )]
    assert answer_from_sparql_json({"head": {}, "boolean": False}).boolean is False
    with pytest.raises(BuildError):
        answer_from_sparql_json({"nonsense": 1})
