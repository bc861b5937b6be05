"""What several test modules share: the clone's root, a command run in-process, a folder's bytes,
and starting and stopping the SPARQL servers that the load, serve and Virtuoso tests use.

Test modules import it by name (`from helpers import run`), as pytest puts tests/ on the path;
conftest.py holds only fixtures and hooks, so that no test imports conftest.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from mirkg import paths
from mirkg.errors import BuildError
from mirkg.cli import main
from mirkg.curation import Curation
from mirkg.pipeline import Paths, compile_curation, curie_expander
from mirkg.queries import bind, load_queries, run_oxigraph, store_from_ntriples
from mirkg.release import sorted_ntriples
from mirkg.triples import build_graph

ROOT = Path(__file__).resolve().parent.parent  # the clone, whatever folder pytest was started in
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def tree_digest(folder: Path) -> dict[str, bytes]:
    """Every file under the folder with its bytes, to see whether anything changed."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(args: list[str], capsys) -> tuple[int, str, str]:
    """The command line in this process: exit code, stdout, stderr."""
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def sentinel_dist(parent: Path) -> Path:
    """A dist/ that holds known files, standing in for a previous release where a test needs to see
    that a refused build leaves the release alone, not what a real release holds."""
    dist = parent / "dist"
    (dist / "queries").mkdir(parents=True)
    (dist / "SHA256SUMS").write_text("previous release\n", encoding="utf-8")
    (dist / "queries" / "01-mirna-targets.tsv").write_text("?mirna\n", encoding="utf-8")
    return dist


# ------------------------------------------------------------------------------------------------
# SPARQL servers (test_load_serve.py, test_query_endpoint.py, test_virtuoso.py)


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def embedded_answers(build) -> dict:
    """Every stored query's answer for its example parameters on the embedded store, as the build
    computes them, with the bindings used."""
    store = store_from_ntriples(sorted_ntriples(build.data) + sorted_ntriples(build.ontology))
    expand = curie_expander(build.curation)
    out = {}
    for q in load_queries(paths.QUERIES):
        bindings = bind(q, q.example, expand)
        out[q.name] = (q, bindings, run_oxigraph(store, q, bindings))
    return out


def wait_for_http(url: str, seconds: float = 30.0, process: subprocess.Popen | None = None) -> None:
    """Poll `url` until it answers (any HTTP status) or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise BuildError(f"the server exited with code {process.returncode} before answering at {url}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise BuildError(f"nothing answered at {url} within {seconds:.0f} s")


def start(command: list[str], url: str, cwd=None) -> subprocess.Popen:
    """Start a server in its own process group and wait (bounded) until `url` answers."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        wait_for_http(url, 60, process)
    except BaseException:
        stop(process)
        raise
    return process


def stop(process: subprocess.Popen) -> None:
    """Stop a server started by `start`: SIGTERM to its process group, SIGKILL after 10 s."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    if process.stdout:
        process.stdout.close()


@contextmanager
def serving(dist: Path, *options: str):
    """`python build.py serve` on the release in `dist`, on a free loopback port, until the block
    ends: (its base URL, its process)."""
    import sys

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start([sys.executable, "build.py", "--dist", str(dist), "serve", "--port", str(port), *options],
                    f"{base}/query?query=ASK%7B%7D", cwd=ROOT)
    try:
        yield base, process
    finally:
        stop(process)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url: str, accept: str | None = None, method: str = "GET", data: bytes | None = None, headers=None):
    """(status, headers, body) of an HTTP request, redirects not followed."""
    request = urllib.request.Request(url, method=method, data=data, headers={**({"Accept": accept} if accept else {}),
                                                                             **(headers or {})})
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def sparql_count(query_url: str, query: str = COUNT_ALL) -> int:
    data = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(query_url, data=data, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(response.read().decode().splitlines()[1])


@dataclass(frozen=True)
class Compiled:
    """The curated input read and checked, and its triples in an rdflib graph: what the tests
    inspect. The build emits the same triples (mirkg.triples) as a list, for its store."""

    curation: Curation
    ontology: Graph
    data: Graph
    mapping_sets: list


def compile_graph(p: Paths) -> Compiled:
    ontology, mapping_sets, curation = compile_curation(p)
    return Compiled(curation, ontology, build_graph(curation, ontology), mapping_sets)


_COMPILED_SPARQL: dict[tuple, object] = {}


@contextmanager
def compiled_sparql_reused():
    """pyshacl hands rdflib the text of a SHACL-SPARQL query once per focus node, and rdflib
    parses it anew every time (about 20 ms, most of the reference engine's run over the 140
    shape fixtures). A compiled query can be evaluated again with other bindings (that is what
    rdflib's prepareQuery is for), so compiling each text once changes no result, only the
    time. A library's internals are not the product's to patch: the tests do it, for their run."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((str(k), str(v)) for k, v in (initNs or {}).items())))
            if key not in _COMPILED_SPARQL:
                _COMPILED_SPARQL[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = _COMPILED_SPARQL[key]
        return processor.evalQuery(self.graph, strOrQuery, initBindings, base)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


SCALE = 2  # copies of the curated statements in the scaled corpus (conftest: scaled_data)


def curated_sources(data: Path | None = None) -> dict[str, dict]:
    """Every source folder of data/sources/ as the curator wrote it, by source id: its text and
    its statements (YAML records), read here, not through the loader."""
    import yaml

    data = data or ROOT / "data"
    found = {}
    for folder in sorted(p for p in (data / "sources").iterdir() if p.is_dir()):
        meta = yaml.safe_load((folder / "source.yaml").read_text(encoding="utf-8"))
        statements = yaml.safe_load((folder / "statements.yaml").read_text(encoding="utf-8"))["statements"]
        found[meta["id"]] = {"text": (folder / "text.txt").read_bytes().decode("utf-8"), "meta": meta,
                             "statements": statements}
    return found


def curated_statements(data: Path | None = None) -> list[dict]:
    """Every source's statements, each record with its source's id under `source`."""
    return [{**s, "source": sid} for sid, found in curated_sources(data).items() for s in found["statements"]]


_ID = "https://w3id.org/mirkg/id/"


def made_up_iris(resources: list[str]) -> list[str]:
    """IRIs the dataset does not have, of every kind: a record that does not exist, and, under a
    real record of each kind (a claim, its span and evidence, a query...), a part it does not
    have; made from the real IRIs so that none can be real."""
    real = set(resources)
    made = set()
    for iri in resources:
        kind = iri[len(_ID):].split("/")[0]
        made |= {f"{_ID}{kind}/no-such-record", f"{_ID}{kind}/no-such-record/span", f"{iri}/nonsense", f"{iri}/"}
    made |= {_ID + "no-such-kind/x", _ID + "entity", _ID + "entity/", _ID + "claim//span"}
    # a part of one record under another record's IRI that has no such part: the entity's 'span'
    made |= {f"{iri}/span" for iri in resources if "/entity/" in iri}
    made -= real
    return sorted(made)
