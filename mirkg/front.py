"""`serve`'s front: one port for the dataset's IRIs, their documents and the SPARQL endpoint.

    /id/..., /graph/..., /Claim,   303 to a document, by Accept (mirkg.linked_data.resolve); 406 for
    /dataset, /                    a nanopublication (/id/np/RA...) asked for in a format without graphs
    /doc/..., /site/..., files     the release's files, from dist/, with their media types
    /query                         SPARQL, passed to the Oxigraph server (a child process on a
                                   private loopback port) with its timeout and CORS
    anything that writes           405: the endpoint is read-only

A thread per request (ThreadingHTTPServer), so a slow query does not hold up other clients; the
Oxigraph server evaluates queries on threads of its own and stops one at its timeout.
"""

from __future__ import annotations

import http.client
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox

from .linked_data import DOC_PATH, FORMATS, DocumentIndex, resolve, serialize
from .templates import render

# What Oxigraph 0.5 writes into a result it has started to stream when its timeout stops the query
# (the status line, 200, is already sent by then): the front holds the whole answer back, so
# it can answer with an error status instead.
CANCELLED = b"The SPARQL operation has been cancelled"
MEDIA_TYPES = {
    **{ext: media for media, ext in FORMATS.items()},
    "html": "text/html; charset=utf-8", "owl": "application/rdf+xml", "trig": "application/trig",
    "nq": "application/n-quads", "tsv": "text/tab-separated-values; charset=utf-8", "md": "text/markdown; charset=utf-8",
    "txt": "text/plain; charset=utf-8", "svg": "image/svg+xml", "json": "application/json", "gz": "application/gzip",
    "css": "text/css", "js": "text/javascript",
}
PASSED_REQUEST_HEADERS = ("Accept", "Content-Type", "Origin", "Access-Control-Request-Method",
                          "Access-Control-Request-Headers")
PASSED_RESPONSE_HEADERS = ("Content-Type", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods",
                           "Access-Control-Allow-Headers", "Access-Control-Expose-Headers", "Vary")


class Front(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many clients at once (the load test's 32 and more)

    def __init__(self, address, dist: Path, sparql: tuple[str, int], timeout: float, terms: dict[str, str],
                 served=None):
        """served: the records', nanopublications' and named graphs' documents of a release
        written without them (mirkg.served_documents.ServedDocuments), None when they are files
        of dist/."""
        self.dist, self.sparql, self.query_timeout, self.terms = dist.resolve(), sparql, timeout, terms
        self.served = served
        files = DocumentIndex(self.dist)  # which instance IRIs the documents describe
        self.describes = files if served is None else lambda iri: served.describes(iri) or files(iri)
        super().__init__(address, Handler)


class Handler(BaseHTTPRequestHandler):
    server: Front
    server_version = "mirkg"

    # -- dispatch -----------------------------------------------------------------------------

    def do_GET(self):  # noqa: N802 - http.server's naming
        self._dispatch(body=True)

    def do_HEAD(self):  # noqa: N802
        self._dispatch(body=False)

    def do_POST(self):  # noqa: N802
        if self._path() == "query":
            return self._proxy("POST")
        self._refuse()

    def do_OPTIONS(self):  # noqa: N802 - CORS preflight
        if self._path() == "query":
            return self._proxy("OPTIONS")
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, HEAD, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PUT = do_DELETE = do_PATCH = lambda self: self._refuse()  # noqa: E731,N815

    def _path(self) -> str:
        return urllib.parse.unquote(urllib.parse.urlsplit(self.path).path).lstrip("/")

    def _dispatch(self, body: bool) -> None:
        path = self._path()
        if path == "query":
            return self._proxy("GET")
        if path in ("update", "store") or path.startswith("store/"):
            return self._refuse()
        if ".." in Path(path).parts:
            return self._not_found(path, body)
        answer = resolve(path, self.headers.get("Accept"), self._exists, self.server.terms,
                         describes=self.server.describes)
        if answer.status == 200:
            return self._file(answer.location, body)
        if answer.status in (302, 303, 406):
            self.send_response(answer.status)
            if answer.location:
                self.send_header("Location", "/" + answer.location)
            if answer.negotiated:
                self.send_header("Vary", "Accept")
                for media, location in answer.alternates:
                    self.send_header("Link", f'</{location}>; rel="alternate"; type="{media}"')
            self._cors()
            data = b""
            if answer.status == 406:
                data = render("406.txt.j2", path="/" + path, alternates=answer.alternates).encode("utf-8")
                self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)
            return None
        return self._not_found(path, body)

    def _exists(self, rel: str) -> bool:
        return self._has(rel) or self._turtle_of(rel) is not None

    def _in_tree(self, rel: str) -> bool:
        target = (self.server.dist / rel).resolve()
        return target.is_relative_to(self.server.dist) and target.is_file()

    def _has(self, rel: str) -> bool:
        """A file of the release, or a document `serve` makes for it."""
        return self._in_tree(rel) or (self.server.served is not None and self.server.served.has(rel))

    def _bytes(self, rel: str) -> bytes:
        if self._in_tree(rel):
            return (self.server.dist / rel).read_bytes()
        return self.server.served.get(rel)

    def _turtle_of(self, rel: str) -> str | None:
        """The Turtle document a missing N-Triples or RDF/XML document is made from (the release
        holds a record's document as Turtle, JSON-LD and HTML only)."""
        stem, dot, ext = rel.rpartition(".")
        if dot and ext in ("nt", "rdf") and rel.startswith(DOC_PATH) and not self._has(rel) and self._has(f"{stem}.ttl"):
            return f"{stem}.ttl"
        return None

    # -- answers ------------------------------------------------------------------------------

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")

    def _send(self, status: int, content_type: str, data: bytes, body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self._cors()
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _text(self, status: int, text: str, body: bool = True) -> None:
        self._send(status, "text/plain; charset=utf-8", text.encode("utf-8"), body)

    def _file(self, rel: str, body: bool) -> None:
        turtle = self._turtle_of(rel)
        if turtle is not None:
            ext = rel.rpartition(".")[2]
            triples = ox.parse(self._bytes(turtle), format=ox.RdfFormat.TURTLE)
            return self._send(200, MEDIA_TYPES[ext], serialize((q.triple for q in triples), ext), body)
        name = rel.rsplit("/", 1)[-1]
        ext = "gz" if name.endswith(".gz") else name.rsplit(".", 1)[-1] if "." in name else ""
        self._send(200, MEDIA_TYPES.get(ext, "application/octet-stream"), self._bytes(rel), body)

    def _not_found(self, path: str, body: bool) -> None:
        html = render("404.html.j2", path="/" + path).encode("utf-8")
        self._send(404, "text/html; charset=utf-8", html, body)

    def _refuse(self) -> None:
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD, OPTIONS" + (", POST" if self._path() == "query" else ""))
        data = b"This endpoint is read-only: SPARQL queries at /query (GET or POST); no updates, no Graph Store writes.\n"
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    # -- SPARQL -------------------------------------------------------------------------------

    def _proxy(self, method: str) -> None:
        """The request, passed to the Oxigraph server as it came; its answer held back whole, so
        that a query its timeout stopped half way gets an error status, not a cut 200."""
        length = int(self.headers.get("Content-Length") or 0)
        data = self.rfile.read(length) if length else None
        headers = {k: self.headers[k] for k in PASSED_REQUEST_HEADERS if self.headers.get(k)}
        query = urllib.parse.urlsplit(self.path).query
        host, port = self.server.sparql
        connection = http.client.HTTPConnection(host, port, timeout=self.server.query_timeout + 30)
        started = time.monotonic()
        try:
            connection.request(method, "/query" + (f"?{query}" if query else ""), body=data, headers=headers)
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException) as exc:
            return self._text(502, f"The SPARQL server did not answer: {exc}\n")
        finally:
            connection.close()
        if answer.endswith(CANCELLED):
            seconds = time.monotonic() - started
            return self._text(503, f"The query ran past the endpoint's timeout of {self.server.query_timeout:g} s "
                                   f"and was stopped after {seconds:.1f} s. Ask for less (LIMIT, more specific "
                                   "patterns) or run it on a local copy (python build.py query, or any triplestore "
                                   "loaded with the release).\n")
        self.send_response(response.status)
        for name in PASSED_RESPONSE_HEADERS:
            if response.getheader(name):
                self.send_header(name, response.getheader(name))
        if not response.getheader("Access-Control-Allow-Origin") and self.headers.get("Origin"):
            self._cors()
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        if method != "HEAD":
            self.wfile.write(answer)

    def log_message(self, format, *args):  # noqa: A002 - http.server's signature
        pass  # one line per request would drown the terminal under load
