"""`python build.py load` and `serve` against the real Oxigraph server (the `oxigraph` package from
PyPI), started on a loopback port for each test module and always stopped afterwards."""

from __future__ import annotations

import http.server
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from helpers import embedded_answers, free_port, run, sparql_count, start, stop, serving
from mirkg.publish import DATA_GRAPH, DESCRIPTION_GRAPH, SHARED_GRAPHS, content_graphs
from mirkg.queries import run_endpoint
from mirkg.store import oxigraph_binary


def _update(url: str, update: str) -> int:
    request = urllib.request.Request(url, data=update.encode(), method="POST",
                                     headers={"Content-Type": "application/sparql-update"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


# ------------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def answers(build):
    return embedded_answers(build)


@pytest.fixture(scope="module")
def release_size(built_dist) -> dict[str, int]:
    def lines(name):
        return sum(1 for ln in (built_dist / name).read_text(encoding="utf-8").splitlines() if ln.strip())

    from rdflib import Graph

    return {"dataset": lines("mirkg-all.nt"), "description": len(Graph().parse(built_dist / "void.ttl"))}


@pytest.fixture(scope="module")
def graphs(build):
    """The dataset's named graphs: the shared three and one per source."""
    return content_graphs(build.curation.sources)


@pytest.fixture
def oxigraph(tmp_path):
    """A writable Oxigraph server (Graph Store Protocol at /store, SPARQL at /query and /update)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start([oxigraph_binary(), "serve", "--location", str(tmp_path / "db"), "--bind", f"127.0.0.1:{port}"],
                    f"{base}/query?query=ASK%7B%7D")
    try:
        yield base
    finally:
        stop(process)


# ------------------------------------------------------------------------------------------------
# load


@pytest.mark.server
def test_load_then_the_stored_queries_over_http_give_the_embedded_answers(oxigraph, built_dist, answers, capsys,
                                                                          release_size, graphs):
    code, out, err = run(["--dist", str(built_dist), "load", "--endpoint", f"{oxigraph}/store"], capsys)
    assert code == 0, err
    assert len(graphs) == 3 + 6  # the shared graphs and the six sources'
    for graph in (*graphs, DESCRIPTION_GRAPH):
        assert f"replaced <{graph}>" in out
    assert f"loaded {release_size['dataset'] + release_size['description']} triples into {len(graphs) + 1} graph(s)" in out
    # each source's graph holds what the dump puts in it
    for graph in graphs[3:]:
        in_dump = sum(1 for ln in (built_dist / "mirkg.nq").read_text(encoding="utf-8").splitlines()
                      if ln.endswith(f"<{graph}> ."))
        assert sparql_count(f"{oxigraph}/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}") \
            == in_dump > 0, graph
    assert sparql_count(f"{oxigraph}/query") == release_size["dataset"] + release_size["description"]
    for name, (query, bindings, expected) in answers.items():
        # The dataset's graphs as the default graph, as on the embedded store.
        got = run_endpoint(f"{oxigraph}/query", query, bindings, default_graphs=graphs)
        assert got.normalised() == expected.normalised(), name


@pytest.mark.server
def test_loading_twice_replaces_the_owned_graphs_and_nothing_else(oxigraph, built_dist, capsys, release_size):
    assert run(["--dist", str(built_dist), "load", "--endpoint", f"{oxigraph}/store"], capsys)[0] == 0
    first = sparql_count(f"{oxigraph}/query")
    # A stale triple in an owned graph, and someone else's graph: the next load drops the first only.
    assert _update(f"{oxigraph}/update", f"INSERT DATA {{ GRAPH <{DATA_GRAPH}> {{ <urn:x:stale> <urn:x:p> 1 }} "
                                         "GRAPH <urn:x:other> { <urn:x:s> <urn:x:p> 2 } }") in (200, 204)
    assert sparql_count(f"{oxigraph}/query") == first + 2
    assert run(["--dist", str(built_dist), "load", "--endpoint", f"{oxigraph}/store"], capsys)[0] == 0
    assert sparql_count(f"{oxigraph}/query") == first + 1 == release_size["dataset"] + release_size["description"] + 1
    assert sparql_count(f"{oxigraph}/query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x:other> { ?s ?p ?o } }") == 1


@pytest.mark.server
def test_load_into_one_graph(oxigraph, built_dist, capsys, release_size):
    code, out, _ = run(["--dist", str(built_dist), "load", "--endpoint", f"{oxigraph}/store",
                        "--graph", "http://example.org/mirkg"], capsys)
    assert code == 0 and "replaced <http://example.org/mirkg>" in out
    assert sparql_count(f"{oxigraph}/query") == release_size["dataset"]


def test_load_pointed_at_a_closed_port_says_so(built_dist, capsys):
    port = free_port()  # nothing listens there
    code, out, err = run(["--dist", str(built_dist), "load", "--endpoint", f"http://127.0.0.1:{port}/store"], capsys)
    assert code == 3
    assert f"nothing answers at 127.0.0.1:{port} (connection refused)" in err
    assert f"loading graph <{SHARED_GRAPHS[0]}>" in err and "Traceback" not in err


class _FailingStore(http.server.BaseHTTPRequestHandler):
    """Accepts the first two PUTs, then answers 500: a store that breaks half way."""

    received: list[str] = []

    def do_PUT(self):  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers["Content-Length"]))
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)["graph"][0]
        if len(self.received) >= 2:
            self.send_response(500, "Internal Server Error")
            self.end_headers()
            self.wfile.write(b"disk full")
            return
        self.received.append(graph)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):  # keep the test output quiet
        pass


def test_a_failure_half_way_names_the_graph_and_keeps_what_was_replaced(built_dist, capsys, graphs):
    _FailingStore.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _FailingStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/store"
        code, out, err = run(["--dist", str(built_dist), "load", "--endpoint", url], capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert code == 3
    first, second, third, *rest = (*graphs, DESCRIPTION_GRAPH)
    assert _FailingStore.received == [str(first), str(second)]
    assert f"loading graph <{third}> into {url} failed: HTTP 500 Internal Server Error: disk full" in err
    assert f"already replaced (left as loaded): <{first}>, <{second}>" in err
    # the source graphs (in source id order), then the description
    assert f"not loaded (left as they were): {', '.join(f'<{g}>' for g in rest)}" in err
    assert f"replaced <{first}>" in out and f"replaced <{second}>" in out


def test_load_refuses_a_damaged_release(built_dist, tmp_path, capsys):
    dist = tmp_path / "dist"
    shutil.copytree(built_dist, dist)
    (dist / "mirkg.nq").write_bytes((dist / "mirkg.nq").read_bytes().replace(b"TRAF6", b"TRAF7", 1))
    code, _, err = run(["--dist", str(dist), "load", "--endpoint", "http://127.0.0.1:9/store"], capsys)
    assert code == 2 and "does not match its SHA-256" in err


def test_load_refuses_a_non_http_endpoint(built_dist, capsys):
    code, _, err = run(["--dist", str(built_dist), "load", "--endpoint", "ftp://127.0.0.1/store"], capsys)
    assert code == 2 and "should be an http(s) URL" in err


# ------------------------------------------------------------------------------------------------
# serve


@pytest.fixture(scope="module")
def served(built_dist):
    with serving(built_dist) as (base, _):
        yield base


@pytest.mark.server
@pytest.mark.slow  # `python build.py serve` in a fresh process
def test_serve_answers_the_stored_queries_like_the_embedded_store(served, answers):
    for name, (query, bindings, expected) in answers.items():
        # No default-graph-uri: `serve` makes the default graph the union of the release's graphs.
        got = run_endpoint(f"{served}/query", query, bindings)
        assert got.normalised() == expected.normalised(), name


@pytest.mark.server
@pytest.mark.slow  # `python build.py serve` in a fresh process
def test_serve_is_read_only(served, release_size):
    before = sparql_count(f"{served}/query")
    assert before == release_size["dataset"] + release_size["description"]
    assert _update(f"{served}/update", "INSERT DATA { <urn:x:s> <urn:x:p> 1 }") >= 400
    assert _update(f"{served}/update", "CLEAR ALL") >= 400
    put = urllib.request.Request(f"{served}/store?default", data=b"<urn:x:s> <urn:x:p> <urn:x:o> .", method="PUT",
                                 headers={"Content-Type": "application/n-triples"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(put, timeout=30)
    assert refused.value.code >= 400
    assert sparql_count(f"{served}/query") == before


@pytest.mark.server
@pytest.mark.slow  # `python build.py serve` in a fresh process
def test_serve_binds_to_loopback_by_default(served):
    assert urllib.parse.urlsplit(served).hostname == "127.0.0.1"
    from mirkg.cli import _parser

    assert _parser().parse_args(["serve"]).host == "127.0.0.1"
