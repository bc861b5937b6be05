"""`python build.py serve` as its users meet it (issue 19), on loopback: the dataset's IRIs answer
with 303s by Accept, the documents with their media types, the SPARQL endpoint with a timeout
that stops a runaway query while other clients are answered, CORS, read-only, and nothing left
running when it stops."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from helpers import ROOT, fetch, free_port, made_up_iris, serving, start, stop
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from mirkg.linked_data import FORMATS

pytestmark = [pytest.mark.server, pytest.mark.slow]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3 copies of the data, crossed
TIMEOUT = 2  # seconds: --timeout of the server under test
SAMPLE = ["entity/TRAF6", "entity/hsa-miR-146a-5p", "claim/mir146a-targets-traf6",
          "claim/mir146a-targets-traf6/span", "claim/mir146a-targets-traf6/span/quote",
          "claim/mir146a-targets-traf6/evidence", "claim/mir146a-targets-traf6/annotation", "reference/8",
          "work/dong-2019-mir146a", "agent/dong-et-al", "source/review",
          "query/01-mirna-targets", "query/09-does-mirna-target-gene", "query/prefixes"]


get = fetch


def query(base: str, text: str, **headers):
    data = urllib.parse.urlencode({"query": text}).encode()
    return get(f"{base}/query", "application/sparql-results+json", "POST", data,
               {"Content-Type": "application/x-www-form-urlencoded", **headers})


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture(scope="module")
def served(built_dist):
    with serving(built_dist, "--timeout", str(TIMEOUT)) as running:
        yield running


# ------------------------------------------------------------------------------------------------
# Dereferencing


@pytest.mark.parametrize("kind", SAMPLE)
def test_an_iri_answers_303_to_its_document_by_accept(served, kind):
    base, _ = served
    record = "/".join(kind.split("/")[:2])  # a claim's span and evidence are described in the claim's document
    graphs = {}
    for media, ext in [(None, "html"), *((m, e) for m, e in FORMATS.items())]:
        status, headers, _ = get(f"{base}/id/{kind}", media)
        assert status == 303, (kind, media)
        assert headers["Location"] == f"/doc/{record}.{ext}", (kind, media)
        assert headers["Vary"] == "Accept"
        links = headers.get_all("Link")
        assert sorted(links) == sorted(f'</doc/{record}.{e}>; rel="alternate"; type="{m}"' for m, e in FORMATS.items())
        status, headers, body = get(f"{base}{headers['Location']}")  # .nt and .rdf made from the Turtle
        assert status == 200 and headers.get_content_type() == (media or "text/html"), (kind, media)
        assert f"https://w3id.org/mirkg/id/{kind}".encode() in body
        if ext in ("ttl", "nt", "rdf", "jsonld"):
            fmt = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}[ext]
            graphs[ext] = Graph().parse(data=body, format=fmt)
    assert all(isomorphic(g, graphs["ttl"]) for g in graphs.values()) and len(graphs) == 4


def test_a_browser_gets_html(served):
    base, _ = served
    firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
    assert get(f"{base}/id/entity/TRAF6", firefox)[1]["Location"] == "/doc/entity/TRAF6.html"


def test_an_unknown_iri_is_404_with_a_short_page(served):
    base, _ = served
    for path in ("/id/entity/NO-SUCH-GENE", "/id/", "/NoSuchTerm", "/doc/entity/NO-SUCH-GENE.ttl"):
        status, headers, body = get(f"{base}{path}", "text/turtle")
        assert status == 404, path
        assert headers.get_content_type() == "text/html" and b"Not found" in body and len(body) < 2000


def test_every_described_iri_303s_and_every_made_up_one_is_404(served, built_dist):
    """Every instance IRI the release describes (the data's subjects and the query catalogue's,
    read here with rdflib) 303s to its record's document; an IRI made up under a real record
    (id/claim/X/nonsense, a span's made-up selector, an entity's 'span', a query's part) or of a
    record that does not exist is 404 with the short page, for every Accept."""
    base, _ = served
    ids = "https://w3id.org/mirkg/id/"
    graph = Graph().parse(built_dist / "mirkg.nt", format="nt")
    graph.parse(built_dist / "queries" / "catalog.ttl", format="turtle")
    described = sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ids)})
    assert any(iri.endswith("/span/quote") for iri in described) and any("/query/" in iri for iri in described)
    for iri in described:
        record = "/".join(iri[len(ids):].split("/")[:2])
        status, headers, _ = get(f"{base}/id/{iri[len(ids):]}", "application/n-triples")
        assert (status, headers["Location"]) == (303, f"/doc/{record}.nt"), iri
    made = made_up_iris(described)
    assert f"{ids}claim/mir146a-targets-traf6/span/nonsense" in made and f"{ids}query/01-mirna-targets/nonsense" in made
    for iri in made:
        for media in (None, *FORMATS):
            status, headers, body = get(f"{base}/id/{iri[len(ids):]}", media)
            assert status == 404, (iri, media)
            assert headers.get_content_type() == "text/html" and b"Not found" in body and len(body) < 2000


def test_a_stored_querys_page_is_served_with_its_answer_file(served):
    base, _ = served
    status, headers, _ = get(f"{base}/id/query/01-mirna-targets", "text/html")
    assert (status, headers["Location"]) == (303, "/doc/query/01-mirna-targets.html")
    status, headers, page = get(f"{base}/doc/query/01-mirna-targets.html")
    assert status == 200 and headers.get_content_type() == "text/html"
    assert b'href="../../queries/01-mirna-targets.tsv"' in page
    status, headers, answer = get(f"{base}/queries/01-mirna-targets.tsv")
    assert status == 200 and headers.get_content_type() == "text/tab-separated-values" and b"TRAF6" in answer


def test_ontology_terms_go_to_their_anchor_or_the_ontology_file(served, built_dist):
    base, _ = served
    docs = (built_dist / "docs" / "index.html").read_text(encoding="utf-8")
    for term in ("Claim", "claimSubject", "hasTextSpan"):
        status, headers, _ = get(f"{base}/{term}", "text/html")
        assert status == 303 and headers["Location"].startswith("/docs/index.html#")
        anchor = headers["Location"].split("#", 1)[1]
        assert f'id="{anchor}"' in docs
        # the section the anchor names is the term's
        section = docs[docs.index(f'id="{anchor}"'):][:1500]
        assert f"https://w3id.org/mirkg/{term}</code>" in section
        status, headers, _ = get(f"{base}/{term}", "text/turtle")
        assert (status, headers["Location"]) == (303, "/doc/ontology.ttl")
        status, headers, body = get(f"{base}/doc/ontology.ttl")
        assert status == 200 and headers.get_content_type() == "text/turtle"
        assert f"mirkg:{term} ".encode() in body or f"<https://w3id.org/mirkg/{term}>".encode() in body


def test_the_dataset_iri_gives_the_landing_page_or_its_description(served):
    base, _ = served
    assert get(f"{base}/dataset")[1]["Location"] == "/site/index.html"
    assert get(f"{base}/dataset", "text/turtle")[1]["Location"] == "/doc/dataset.ttl"
    status, _, body = get(f"{base}/site/index.html")
    assert status == 200 and b'<script type="application/ld+json">' in body


# ------------------------------------------------------------------------------------------------
# Nanopublications and named graphs (expected values read with rdflib from the release's files)

NANOPUB_FORMATS = {"application/trig": "trig", "application/n-quads": "nq", "application/ld+json": "jsonld",
                   "text/html": "html"}


def test_a_nanopublication_iri_answers_with_its_graphs_which_verify(served, built_dist):
    """Each nanopublication's trusty URI 303s by Accept to a format that holds its four graphs;
    what comes back is its part of nanopubs.trig (TriG) or the same quads (N-Quads, JSON-LD),
    and passes the nanopub library's trusty URI check on the bytes served."""
    from test_nanopubs import nanopubs_of, verify

    base, _ = served
    released = nanopubs_of((built_dist / "nanopubs.trig").read_bytes())
    whole = (built_dist / "nanopubs.trig").read_bytes()
    header = whole[:whole.index(b"\n<") + 1]
    for np_iri, expected in released.items():
        code = np_iri.rsplit("/", 1)[1]
        doc = f"/doc/np/{code}"
        for media, ext in [(None, "html"), *NANOPUB_FORMATS.items()]:
            # a graph's IRI (…#assertion) is asked for without its fragment: the same answer
            for iri in (np_iri, f"{np_iri}#assertion"):
                status, headers, _ = get(f"{base}/id/np/{iri.rsplit('/', 1)[1]}", media)
                assert (status, headers["Location"]) == (303, f"{doc}.{ext}"), (iri, media)
                assert headers["Vary"] == "Accept"
                assert sorted(headers.get_all("Link")) == sorted(
                    f'<{doc}.{e}>; rel="alternate"; type="{m}"' for m, e in NANOPUB_FORMATS.items())
            status, headers, body = get(f"{base}{doc}.{ext}")
            assert status == 200 and headers.get_content_type() == (media or "text/html"), (np_iri, media)
            if ext == "html":
                assert np_iri.encode() in body and b'id="assertion"' in body
                continue
            if ext == "trig":
                assert body.startswith(header) and whole.count(body[len(header):]) == 1
            one = Dataset()
            one.parse(data=body, format={"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[ext])
            alone = nanopubs_of(one.serialize(format="trig"))
            assert list(alone) == [np_iri]
            verify(alone[np_iri])
            assert len(alone[np_iri]) == len(expected)
        for media in ("text/turtle", "application/n-triples", "application/rdf+xml"):
            status, headers, body = get(f"{base}/id/np/{code}", media)
            assert status == 406 and headers["Vary"] == "Accept", (np_iri, media)
            assert len(headers.get_all("Link")) == 4 and f"{doc}.trig".encode() in body


def test_a_made_up_nanopublication_is_404(served, built_dist):
    base, _ = served
    real = min(p.stem for p in (built_dist / "doc" / "np").glob("*.trig"))
    for made in ("RA" + "A" * 43, real[:-1], "nonsense", f"{real}/assertion", ""):
        for media in (None, "application/trig", "text/turtle"):
            status, headers, body = get(f"{base}/id/np/{made}", media)
            assert status == 404, (made, media)
            assert headers.get_content_type() == "text/html" and b"Not found" in body


def test_a_named_graph_iri_answers_with_its_contents(served, built_dist):
    """Every named graph the description names (sd:name) 303s by Accept to its contents, which
    are the graph mirkg.nq holds under its name, or to its page with its figures; the
    description's graph to the description."""
    base, _ = served
    dataset = Dataset()
    dataset.parse(built_dist / "mirkg.nq", format="nquads")
    void = Graph().parse(built_dist / "void.ttl", format="turtle")
    names = sorted(str(n) for n in void.objects(None, URIRef("http://www.w3.org/ns/sparql-service-description#name")))
    assert len(names) >= 4
    for name in names:
        path = name[len("https://w3id.org/mirkg/"):]
        expected = dataset.graph(URIRef(name))
        for media, ext in [(None, "html"), *FORMATS.items()]:
            status, headers, _ = get(f"{base}/{path}", media)
            assert (status, headers["Location"]) == (303, f"/doc/{path}.{ext}"), (name, media)
            assert headers["Vary"] == "Accept" and len(headers.get_all("Link")) == len(FORMATS)
            status, headers, body = get(f"{base}/doc/{path}.{ext}")
            assert status == 200 and headers.get_content_type() == (media or "text/html"), (name, media)
            if ext == "html":
                triples = void.value(URIRef(name), URIRef("http://rdfs.org/ns/void#triples"))
                assert name.encode() in body and f"<td>{triples}</td>".encode() in body
            else:
                fmt = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}[ext]
                got = Graph().parse(data=body, format=fmt)
                assert len(got) == len(expected) and isomorphic(got, expected), (name, ext)
    version = names[0][len("https://w3id.org/mirkg/"):].split("/")[1]
    assert get(f"{base}/graph/{version}/description", "text/turtle")[1]["Location"] == "/doc/dataset.ttl"
    assert get(f"{base}/graph/{version}/description")[1]["Location"] == "/site/index.html"


def test_an_unknown_or_other_versions_graph_is_404(served, built_dist):
    base, _ = served
    version = next((built_dist / "doc" / "graph").iterdir()).name
    for path in (f"graph/{version}/nonsense", f"graph/{version}/source/no-such-source", f"graph/{version}/",
                 "graph/0.0.1/data", "graph/9.9.9/source/review", "graph/"):
        for media in (None, "text/turtle", "application/n-triples"):
            status, headers, body = get(f"{base}/{path}", media)
            assert status == 404, (path, media)
            assert headers.get_content_type() == "text/html" and b"Not found" in body


# ------------------------------------------------------------------------------------------------
# The SPARQL endpoint


def test_a_query_past_the_timeout_is_stopped_with_a_clear_error_while_others_are_answered(served):
    base, process = served
    heavy: dict = {}

    def run_heavy():
        heavy["answer"] = query(base, HEAVY)

    thread = threading.Thread(target=run_heavy)
    thread.start()
    time.sleep(0.3)
    answered = 0
    while thread.is_alive() and answered < 5:
        status, _, body = query(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/mirkg/Claim> }")
        assert status == 200 and b'"n"' in body
        answered += 1
    assert answered and thread.is_alive()  # answered while the heavy query ran
    thread.join(TIMEOUT + 60)
    status, headers, body = heavy["answer"]
    assert status == 503
    assert headers.get_content_type() == "text/plain"
    assert f"timeout of {TIMEOUT} s".encode() in body
    # and the server is idle again: the Oxigraph child uses no CPU once the query is stopped
    (child,) = children(process.pid)
    time.sleep(0.5)
    before = cpu_seconds(child)
    time.sleep(2)
    assert cpu_seconds(child) - before < 0.2
    assert query(base, "ASK { ?s ?p ?o }")[0] == 200


def test_malformed_sparql_is_400(served):
    base, _ = served
    status, _, body = query(base, "SELEC ?x WHERE { ?x ?y }")
    assert status == 400 and body


def test_updates_are_refused(served):
    base, _ = served
    count = query(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[2]
    for path, data, ctype in (("/update", b"update=CLEAR+ALL", "application/x-www-form-urlencoded"),
                              ("/query", b"INSERT DATA { <urn:x:s> <urn:x:p> 1 }", "application/sparql-update"),
                              ("/store?default", b"<urn:x:s> <urn:x:p> <urn:x:o> .", "application/n-triples")):
        for method in ("POST", "PUT"):
            status = get(f"{base}{path}", None, method, data, {"Content-Type": ctype})[0]
            assert status >= 400, (path, method)
    assert query(base, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[2] == count


def test_cors_for_reads(served):
    base, _ = served
    status, headers, _ = get(f"{base}/query", None, "OPTIONS", None,
                             {"Origin": "https://example.org", "Access-Control-Request-Method": "POST",
                              "Access-Control-Request-Headers": "content-type"})
    assert status in (200, 204) and headers["Access-Control-Allow-Origin"] in ("*", "https://example.org")
    status, headers, _ = query(base, "ASK {}", Origin="https://example.org")
    assert status == 200 and headers["Access-Control-Allow-Origin"] in ("*", "https://example.org")
    assert get(f"{base}/doc/entity/TRAF6.ttl")[1]["Access-Control-Allow-Origin"] == "*"


# ------------------------------------------------------------------------------------------------
# Stopping


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_leaves_nothing_behind(built_dist, sig):
    port = free_port()
    process = start([sys.executable, "build.py", "--dist", str(built_dist), "serve", "--port", str(port)],
                    f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", cwd=ROOT)
    try:
        (child,) = children(process.pid)
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        database = Path(cmdline[cmdline.index(b"--location") + 1].decode())
        assert database.is_dir()
        process.send_signal(sig)  # to the parent only: it must stop its child itself
        assert process.wait(timeout=30) == 0
        deadline = time.monotonic() + 10
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child)
        assert not database.exists()
    finally:
        stop(process)


def test_serve_killed_takes_its_child_with_it(built_dist):
    """Even SIGKILL, which no handler sees: the kernel stops the Oxigraph child (PR_SET_PDEATHSIG)."""
    port = free_port()
    process = start([sys.executable, "build.py", "--dist", str(built_dist), "serve", "--port", str(port)],
                    f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", cwd=ROOT)
    try:
        (child,) = children(process.pid)
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        database = Path(cmdline[cmdline.index(b"--location") + 1].decode())
        process.kill()
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(child)
    finally:
        stop(process)
        shutil.rmtree(database, ignore_errors=True)  # no handler ran to remove it: SIGKILL leaves the scratch database
