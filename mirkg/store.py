"""The release in a triplestore: `load` into any SPARQL 1.1 Graph Store Protocol endpoint, `serve`
it read-only with the Oxigraph server, and ask a SPARQL endpoint the stored queries.

Only the standard library speaks HTTP here (urllib). Credentials, when an endpoint needs them,
come from the environment (MIRKG_ENDPOINT_USER, MIRKG_ENDPOINT_PASSWORD), never from the command
line or the code.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import BuildError
from .publish import DESCRIPTION_FILE, DESCRIPTION_GRAPH, SHARED_GRAPHS, source_of_graph

TIMEOUT = 60  # seconds for one HTTP request
USER_VAR, PASSWORD_VAR = "MIRKG_ENDPOINT_USER", "MIRKG_ENDPOINT_PASSWORD"


class LoadError(Exception):
    """Loading stopped: which graph failed, why, and what was already replaced."""


@dataclass
class Part:
    graph: str  # the graph IRI the part replaces
    ntriples: bytes
    triples: int


# ------------------------------------------------------------------------------------------------
# Reading the release


def verify_checksums(dist: Path) -> None:
    """Every file SHA256SUMS lists must be there with that digest; a damaged release is not loaded."""
    sums = dist / "SHA256SUMS"
    if not sums.exists():
        raise BuildError(f"{sums} is missing: is {dist} a release folder? Run `python build.py` first")
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, rel = line.partition("  ")
        path = dist / rel
        if not path.exists():
            raise BuildError(f"{path} is listed in SHA256SUMS but missing; rebuild with `python build.py`")
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            raise BuildError(f"{path} does not match its SHA-256 in SHA256SUMS; rebuild with `python build.py`")


SD_NAME = "http://www.w3.org/ns/sparql-service-description#name"


def release_graphs(description: list) -> list[str]:
    """The named graphs the description (void.ttl's triples) lists by sd:name: the shared ones in
    their order, then the source graphs in IRI order. Read from the description rather than the
    dumps, so that a source graph with no triples is replaced too (emptied)."""
    named = {t.object.value for t in description if t.predicate.value == SD_NAME}
    shared = [str(g) for g in SHARED_GRAPHS]
    return shared + sorted(g for g in named if g not in shared and source_of_graph(g) is not None)


def release_parts(dist: Path, graph: str | None = None) -> list[Part]:
    """What `load` sends: the dataset's named graphs (shared and per source) and its
    description, or, with `graph`, the whole dataset in that one graph."""
    verify_checksums(dist)
    if graph is not None:
        whole = (dist / "mirkg-all.nt").read_bytes()
        return [Part(graph, whole, _count(whole))]
    triples = [q.triple for q in ox.parse(path=dist / DESCRIPTION_FILE, format=ox.RdfFormat.TURTLE)]
    per_graph: dict[str, list[str]] = {g: [] for g in release_graphs(triples)}
    for quad in ox.parse(path=dist / "mirkg.nq", format=ox.RdfFormat.N_QUADS):
        name = quad.graph_name.value
        if name not in per_graph:
            raise BuildError(f"{dist / 'mirkg.nq'} has a graph the release's description does not list: {name}")
        per_graph[name].append(f"{quad.triple} .")
    parts = [Part(name, "".join(f"{line}\n" for line in lines).encode("utf-8"), len(lines))
             for name, lines in per_graph.items()]
    description = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    parts.append(Part(str(DESCRIPTION_GRAPH), description, _count(description)))
    return parts


def _count(ntriples: bytes) -> int:
    return sum(1 for line in ntriples.splitlines() if line.strip())


# ------------------------------------------------------------------------------------------------
# Graph Store Protocol


def _opener(url: str) -> urllib.request.OpenerDirector:
    user, password = os.environ.get(USER_VAR), os.environ.get(PASSWORD_VAR)
    if not user:
        return urllib.request.build_opener()
    manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
    manager.add_password(None, url, user, password or "")
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(manager), urllib.request.HTTPDigestAuthHandler(manager))


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store Protocol's indirect identification: ENDPOINT?graph=IRI."""
    separator = "&" if urllib.parse.urlsplit(endpoint).query else "?"
    return f"{endpoint}{separator}{urllib.parse.urlencode({'graph': graph})}"


def _describe_network_error(endpoint: str, exc: BaseException) -> str:
    reason = getattr(exc, "reason", exc)
    if isinstance(reason, ConnectionRefusedError):
        parts = urllib.parse.urlsplit(endpoint)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return (f"nothing answers at {parts.hostname}:{port} (connection refused): "
                "is the triplestore running, and is --endpoint its Graph Store Protocol URL?")
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return f"no answer from {endpoint} within {TIMEOUT} s"
    return f"cannot reach {endpoint}: {reason}"


def put_graph(endpoint: str, part: Part, opener=None) -> int:
    """Replace one graph (HTTP PUT); returns the HTTP status. Raises LoadError on failure."""
    request = urllib.request.Request(graph_url(endpoint, part.graph), data=part.ntriples, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with (opener or _opener(endpoint)).open(request, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        body = exc.read(300).decode("utf-8", "replace").strip().replace("\n", " ")
        raise LoadError(f"HTTP {exc.code} {exc.reason}" + (f": {body}" if body else "")) from None
    except (urllib.error.URLError, OSError) as exc:
        raise LoadError(_describe_network_error(endpoint, exc)) from None


def load(endpoint: str, dist: Path, graph: str | None = None, out=None) -> list[Part]:
    """Replace the release's graphs at a Graph Store Protocol endpoint, one PUT per graph.

    Each graph goes in one request, which the store applies as a whole (Graph Store Protocol PUT);
    a failure stops the load and leaves the graphs already replaced as they are, and the ones not
    yet reached untouched.
    """
    if urllib.parse.urlsplit(endpoint).scheme not in ("http", "https"):
        raise BuildError(f"--endpoint '{endpoint}' should be an http(s) URL of a Graph Store Protocol endpoint")
    out = out or sys.stdout
    parts = release_parts(dist, graph)
    opener = _opener(endpoint)
    done: list[Part] = []
    for part in parts:
        try:
            status = put_graph(endpoint, part, opener)
        except LoadError as exc:
            replaced = ", ".join(f"<{p.graph}>" for p in done) or "none"
            untouched = ", ".join(f"<{p.graph}>" for p in parts[len(done) + 1:]) or "none"
            raise LoadError(
                f"loading graph <{part.graph}> into {endpoint} failed: {exc}\n"
                f"  already replaced (left as loaded): {replaced}\n"
                f"  not loaded (left as they were): {untouched}"
            ) from None
        print(f"replaced <{part.graph}>: {part.triples} triples (HTTP {status})", file=out)
        done.append(part)
    print(f"loaded {sum(p.triples for p in done)} triples into {len(done)} graph(s) at {endpoint}", file=out)
    return done


# ------------------------------------------------------------------------------------------------
# serve: the real Oxigraph server, read-only


def oxigraph_binary() -> str:
    """The `oxigraph` command of the PyPI package: beside this Python, else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.exists():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise BuildError("the Oxigraph server is not installed: python -m pip install oxigraph==0.5.13")
    return found


def prepare_store(dist: Path, location: Path) -> None:
    """An Oxigraph database at `location` holding the release's named graphs and description."""
    verify_checksums(dist)
    binary = oxigraph_binary()
    commands = [
        [binary, "load", "--location", str(location), "--file", str(dist / "mirkg.nq")],
        [binary, "load", "--location", str(location), "--file", str(dist / DESCRIPTION_FILE),
         "--graph", str(DESCRIPTION_GRAPH)],
    ]
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        if done.returncode != 0:
            raise BuildError(f"`{' '.join(command)}` failed: {done.stderr.strip()}")


DEFAULT_TIMEOUT = 30.0  # seconds a SPARQL query may run on `serve`'s endpoint


def serve(dist: Path, host: str, port: int, location: Path | None = None, out=None,
          timeout: float = DEFAULT_TIMEOUT) -> int:
    """Serve the release until stopped: the dataset's IRIs, their documents and its files, and a
    read-only SPARQL endpoint at /query (a fresh Oxigraph database, with a query timeout and CORS),
    on one port (mirkg/front.py)."""
    from .front import Front
    from .linked_data import ONTOLOGY_DOCS, term_anchors
    from .served_documents import ServedDocuments

    if location is not None and location.exists() and any(location.iterdir()):
        raise BuildError(f"--location {location} is not empty; give an empty or new folder")
    if not timeout > 0:
        raise BuildError(f"--timeout {timeout:g}: give a number of seconds above 0")
    out = out or sys.stdout
    scratch = None
    if location is None:
        scratch = Path(tempfile.mkdtemp(prefix="mirkg-oxigraph-"))
        location = scratch
    server = front = None
    # Ctrl-C and SIGTERM both stop the server and remove the temporary database (SIGINT is set
    # explicitly: a shell that starts us in the background makes us inherit it ignored).
    previous = {sig: signal.signal(sig, _raise_interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        prepare_store(dist, location)
        terms = term_anchors((dist / ONTOLOGY_DOCS).read_text(encoding="utf-8"), (dist / "ontology.nt").read_bytes())
        sparql = ("127.0.0.1", _free_port())
        server = subprocess.Popen(
            [oxigraph_binary(), "serve-read-only", "--location", str(location), "--bind", f"{sparql[0]}:{sparql[1]}",
             "--union-default-graph", "--cors", "--timeout-s", f"{max(1, round(timeout))}"],
            # preexec_fn: no thread runs yet in this process (the front starts after)
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        _wait_for(server, sparql)
        served = None
        if ServedDocuments.wanted(dist):
            started = time.perf_counter()
            served = ServedDocuments(dist, ox.Store.read_only(str(location)), terms)
            print(f"mirkg: the documents of the records, the {len(served.nanopubs)} nanopublications and the "
                  f"{len(served.graphs)} named graphs are made when asked for (read in {time.perf_counter() - started:.1f} s)",
                  file=out, flush=True)
        try:
            front = Front((host, port), dist, sparql, timeout, terms, served)
        except OSError as exc:
            raise BuildError(f"cannot listen on {host}:{port}: {exc.strerror}; choose another --port") from None
        base = f"http://{host}:{port}"
        print(f"mirkg: serving {dist} read-only at {base}/ : the dataset's IRIs (https://w3id.org/mirkg/X is "
              f"{base}/X, by Accept), SPARQL at {base}/query (union default graph, {timeout:g} s timeout, CORS); "
              "Ctrl-C stops it", file=out, flush=True)
        front.serve_forever()
        return 0
    except KeyboardInterrupt:
        return 0
    finally:
        if front is not None:
            front.server_close()
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _die_with_parent() -> None:
    """In the child, before exec: the kernel sends it SIGTERM if `serve` dies without stopping it
    (SIGKILL, a crash), so that no database server is left behind (Linux; elsewhere a no-op)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _wait_for(server: subprocess.Popen, address: tuple[str, int], seconds: float = 60.0) -> None:
    """Until the Oxigraph server answers a query (bounded); its exit is an error."""
    import time

    url = f"http://{address[0]}:{address[1]}/query?query=ASK%7B%7D"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BuildError(f"the Oxigraph server stopped at start (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.1)
    raise BuildError(f"the Oxigraph server did not answer within {seconds:g} s")


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt

