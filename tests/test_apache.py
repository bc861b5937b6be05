"""The release on a static host (issue 19): a real Apache httpd (Debian `apache2`) serves a copy of
dist/ with its .htaccess, on a loopback port, with a configuration of its own (no system
service). For a sample of IRIs of every kind and each Accept value, the status, the Location and
the Content-Type must be what the local front (mirkg.linked_data.resolve) answers.

Skipped, saying why, when apache2 is not installed; CI sets MIRKG_APACHE_REQUIRED=1 so that a
missing Apache fails instead.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import fetch, free_port, made_up_iris, serving, wait_for_http
from rdflib import Graph, URIRef

from mirkg.linked_data import FORMATS, NANOPUB_FORMATS, STATIC, DocumentIndex, resolve, term_anchors

pytestmark = [pytest.mark.server, pytest.mark.slow]
APACHE = shutil.which("apache2") or "/usr/sbin/apache2"
MODULES = Path("/usr/lib/apache2/modules")
NEEDED = ("mpm_event", "authz_core", "mime", "dir", "rewrite", "headers")
ACCEPTS = [None, *FORMATS, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
SAMPLE = ["id/entity/TRAF6", "id/entity/SLE", "id/claim/mir146a-targets-traf6", "id/claim/mir146a-targets-traf6/span",
          "id/claim/mir146a-targets-traf6/span/position", "id/claim/mir146a-targets-traf6/evidence", "id/reference/8",
          "id/citation/1-2", "id/work/dong-2019-mir146a", "id/agent/dong-et-al", "id/source/review",
          "Claim", "claimSubject", "TextSpan", "ontology", "dataset", "dataset/0.1.0",
          "release/0.1.0/mirkg-all.nt", "void.ttl", "doc/entity/TRAF6.jsonld",
          "id/query/01-mirna-targets", "id/query/09-does-mirna-target-gene", "id/query/prefixes",
          "id/entity/NO-SUCH-GENE", "NoSuchTerm",
          # the named graphs of this version (and another version's, and unknown ones: 404)
          "graph/0.1.0/data", "graph/0.1.0/ontology", "graph/0.1.0/provenance", "graph/0.1.0/source/review",
          "graph/0.1.0/description", "graph/0.1.0/nonsense", "graph/0.1.0/source/no-such-source", "graph/0.0.1/data",
          "graph/0.1.0/", "graph/",
          # nanopublications that do not exist (the real ones: test_nanopublications_answer_as_from_the_front)
          "id/np/RA" + "A" * 43, "id/np/nonsense"]
CONFIG = """ServerRoot {root}
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {root}/httpd.pid
DefaultRuntimeDir {root}
ErrorLog {root}/error.log
LogLevel warn
{modules}
{user}
TypesConfig /etc/mime.types
DocumentRoot {docs}
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {docs}>
    AllowOverride All
    Require all granted
</Directory>
"""


def _apache_or_skip(more: tuple[str, ...] = ()) -> None:
    missing = [m for m in (*NEEDED, *more) if not (MODULES / f"mod_{m}.so").exists()]
    if not Path(APACHE).exists() or missing:
        why = "Debian apache2 is not installed" + (f" (missing modules: {', '.join(missing)})" if missing else "")
        if os.environ.get("MIRKG_APACHE_REQUIRED"):
            pytest.fail(f"{why}; .ci/run installs it (apt-get install apache2)")
        pytest.skip(f"{why}: apt-get install apache2")


def get(url: str, accept: str | None):
    return fetch(url, accept)


@contextmanager
def running_apache(built_dist, more: tuple[str, ...] = (), defines: dict[str, str] | None = None):
    """Apache in the foreground, in its own process group, with its own config and a world-readable
    copy of dist/ (its workers run as www-data when the tests run as root); always stopped.
    more: modules to load besides NEEDED; defines: Define lines of the server's configuration."""
    root = Path(tempfile.mkdtemp(prefix="mirkg-apache-"))
    root.chmod(0o755)
    docs = root / "dist"
    shutil.copytree(built_dist, docs)
    for path in [docs, *docs.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    port = free_port()
    user = "User www-data\nGroup www-data" if os.geteuid() == 0 else ""
    modules = "\n".join([*(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in (*NEEDED, *more)),
                         *(f"Define {name} {value}" for name, value in (defines or {}).items())])
    (root / "httpd.conf").write_text(CONFIG.format(root=root, port=port, docs=docs, modules=modules, user=user))
    process = subprocess.Popen([APACHE, "-f", str(root / "httpd.conf"), "-DFOREGROUND"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for_http(f"http://127.0.0.1:{port}/void.ttl", 30, process)
        yield f"http://127.0.0.1:{port}", docs, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)  # httpd's graceless stop: the parent ends its workers
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        process.stdout.close()
        log = (root / "error.log").read_text(errors="replace") if (root / "error.log").exists() else ""
        shutil.rmtree(root, ignore_errors=True)
        assert "AH00526" not in log, log  # a syntax error in .htaccess


@pytest.fixture(scope="module")
def apache(built_dist):
    _apache_or_skip()
    with running_apache(built_dist) as running:
        yield running


def test_apache_answers_every_kind_of_iri_as_the_local_front_does(apache):
    base, docs, _ = apache
    terms = term_anchors((docs / "docs" / "index.html").read_text(encoding="utf-8"), (docs / "ontology.nt").read_bytes())
    describes = DocumentIndex(docs)
    checked = 0
    for path in SAMPLE:
        for accept in ACCEPTS:
            # a static host has a record's HTML, Turtle and JSON-LD; an Accept for the other two gets HTML
            expected = resolve(path, accept, lambda rel: (docs / rel).is_file(), terms, STATIC, describes=describes)
            status, headers, _ = get(f"{base}/{path}", accept)
            assert status == expected.status, (path, accept)
            if status in (302, 303):
                assert headers["Location"] == f"{base}/{expected.location}", (path, accept)
                target = expected.location.split("#")[0]
                status, headers, body = get(f"{base}/{target}", None)
                assert status == 200, (path, accept, target)
                media = {location: m for m, location in expected.alternates}.get(expected.location)
                if media:
                    assert headers.get_content_type() == media, (path, accept, target)
                if path.startswith("id/"):
                    assert f"https://w3id.org/mirkg/{path}".encode() in body
            checked += 1
    assert checked == len(SAMPLE) * len(ACCEPTS)


def test_every_described_iri_303s_and_every_made_up_one_is_404(apache, built_dist):
    """Every instance IRI the release describes (the data's subjects and the query catalogue's,
    read here with rdflib: records and the nodes minted under them) 303s to its record's
    document, for every Accept; an IRI made up under a real record (id/claim/X/nonsense, a span's
    made-up selector, an entity's 'span') or of a record that does not exist is 404 with a short
    HTML page, as from `serve`."""
    base, _, _ = apache
    ns, ids = "https://w3id.org/mirkg/", "https://w3id.org/mirkg/id/"
    graph = Graph().parse(built_dist / "mirkg.nt", format="nt")
    graph.parse(built_dist / "queries" / "catalog.ttl", format="turtle")
    described = sorted({str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(ids)})
    assert any(iri.endswith("/span/position") for iri in described) and any("/query/" in iri for iri in described)
    for iri in described:
        record = "/".join(iri[len(ids):].split("/")[:2])
        for accept, ext in ((None, "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld")):
            status, headers, _ = get(base + "/" + iri[len(ns):], accept)
            assert (status, headers["Location"]) == (303, f"{base}/doc/{record}.{ext}"), (iri, accept)
    made = made_up_iris(described)
    assert len(made) > len(described)
    for iri in made:
        for accept in ACCEPTS:
            status, headers, body = get(base + "/" + iri[len(ns):], accept)
            assert status == 404, (iri, accept)
            assert headers.get_content_type() == "text/html" and len(body) < 2000, (iri, accept)


def test_nanopublications_answer_as_from_the_front(apache):
    """Every nanopublication's trusty URI, for each Accept: the same status and Location as the
    local front; the 406 for Turtle, N-Triples and RDF/XML with Vary and the Link headers; the
    TriG served is its part of nanopubs.trig and passes the nanopub library's trusty URI check."""
    from test_nanopubs import nanopubs_of, verify

    base, docs, _ = apache
    describes = DocumentIndex(docs)
    whole = (docs / "nanopubs.trig").read_bytes()
    header = whole[:whole.index(b"\n<") + 1]
    codes = sorted(p.stem for p in (docs / "doc" / "np").glob("*.html"))
    assert len(codes) == len(nanopubs_of(whole)) > 40
    accepts = [*ACCEPTS, *NANOPUB_FORMATS, "text/turtle, */*;q=0.1", "application/n-quads;q=0.9, application/trig"]
    for code in codes:
        for accept in accepts:
            expected = resolve(f"id/np/{code}", accept, lambda rel: (docs / rel).is_file(), {}, STATIC,
                               describes=describes)
            status, headers, body = get(f"{base}/id/np/{code}", accept)
            assert status == expected.status, (code, accept)
            assert "Accept" in headers.get("Vary", ""), (code, accept)
            if status == 406:
                assert sorted(headers.get_all("Link")) == sorted(
                    f'</{location}>; rel="alternate"; type="{media}"' for media, location in expected.alternates)
                continue
            assert headers["Location"] == f"{base}/{expected.location}", (code, accept)
        status, headers, trig = get(f"{base}/doc/np/{code}.trig", None)
        assert status == 200 and headers.get_content_type() == "application/trig"
        assert trig.startswith(header) and whole.count(trig[len(header):]) == 1
        np_iri = f"https://w3id.org/mirkg/id/np/{code}"
        verify(nanopubs_of(trig)[np_iri])
        for ext, media in (("nq", "application/n-quads"), ("jsonld", "application/ld+json"), ("html", "text/html")):
            status, headers, body = get(f"{base}/doc/np/{code}.{ext}", None)
            assert status == 200 and headers.get_content_type() == media and np_iri.encode() in body, (code, ext)


def test_documents_have_their_media_types(apache):
    base, _, _ = apache
    for ext, media in {"jsonld": "application/ld+json", "ttl": "text/turtle", "html": "text/html"}.items():
        status, headers, _ = get(f"{base}/doc/claim/mir146a-targets-traf6.{ext}", None)
        assert status == 200 and headers.get_content_type() == media, ext


def test_a_303_says_it_varies_by_accept(apache):
    base, _, _ = apache
    status, headers, _ = get(f"{base}/id/entity/TRAF6", "text/turtle")
    assert status == 303 and "Accept" in headers.get("Vary", "")


def test_a_served_release_passes_its_documents_to_serve(served_dist, built_dist):
    """A release written without its records', nanopublications' and named graphs' documents
    (`--documents served`), behind Apache with `serve` beside it (Define MIRKG_FRONT, mod_proxy):
    a record's, nanopublication's or graph's IRI 303s as from the files, and the document Apache then gives is `serve`'s,
    byte for byte the file the release with files has; a made-up record of a real kind 303s (no
    file to ask for) and its document is 404 from `serve`."""
    proxy = ("proxy", "proxy_http")
    _apache_or_skip(proxy)
    with serving(served_dist) as (front, _), running_apache(served_dist, proxy, {"MIRKG_FRONT": front}) as (base, docs, _):
        assert not (docs / "doc" / "claim").exists()
        codes = sorted(p.stem for p in (built_dist / "doc" / "np").glob("*.html"))[:3]
        paths = [p for p in SAMPLE if p.startswith("id/") and (built_dist / "doc" / "/".join(
            p.split("/")[1:3])).with_suffix(".html").is_file() and "/query/" not in p]
        assert len(paths) > 8
        graphs = ["graph/0.1.0/data", "graph/0.1.0/ontology", "graph/0.1.0/source/review"]
        for path, formats in [*((p, STATIC) for p in [*paths, *graphs]),
                              *((f"id/np/{c}", NANOPUB_FORMATS) for c in codes)]:
            for media, ext in formats.items():
                status, headers, _ = get(f"{base}/{path}", media)
                assert status == 303, (path, media)
                location = headers["Location"]
                assert location.startswith(f"{base}/doc/") and location.endswith(f".{ext}"), (path, media)
                status, headers, body = get(location, None)
                assert (status, headers.get_content_type()) == (200, media), (path, media)
                assert body == (built_dist / location[len(base) + 1:]).read_bytes(), (path, media)
        status, headers, _ = get(f"{base}/id/claim/no-such-claim", "text/turtle")
        assert (status, headers["Location"]) == (303, f"{base}/doc/claim/no-such-claim.ttl")
        assert get(headers["Location"], None)[0] == 404
        assert get(f"{base}/void.ttl", None)[0] == 200  # the release's own files, from Apache


def test_apache_stops_and_leaves_no_process(built_dist):
    _apache_or_skip()
    with running_apache(built_dist) as (base, _, process):
        group = process.pid
        assert get(f"{base}/void.ttl", None)[0] == 200
        workers = [pid for pid in _pids() if _pgid(pid) == group]
        assert len(workers) >= 2  # the parent and its workers
    deadline = time.monotonic() + 10
    while [pid for pid in _pids() if _pgid(pid) == group] and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [pid for pid in _pids() if _pgid(pid) == group] == []


def _pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _pgid(pid: int) -> int | None:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[2])
    except (OSError, ValueError, IndexError):
        return None
