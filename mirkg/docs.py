"""HTML documentation of the ontology, generated with pyLODE.

pyLODE walks sets, so the order of parts of its page follows Python's string hashing, rdflib's
random blank-node ids and, for class unions, the memory addresses of HTML elements. It runs in a
child process with a fixed PYTHONHASHSEED, counted blank-node ids, and an insertion-ordered set
where it lists a union's members, so that two builds write the same page.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from rdflib import Graph

from .errors import BuildError
from .imports import IMPORT_IRI

_RENDER = """
import itertools, logging, sys, uuid
import rdflib.term
_ids = itertools.count(1)
rdflib.term.uuid4 = lambda: uuid.UUID(int=next(_ids))
from pylode import OntPub
import pylode.utils


class _InsertionOrderedSet(dict):
    def add(self, item):
        self[item] = None


pylode.utils.set = _InsertionOrderedSet  # only used for a union's members; keeps the list order
logging.getLogger().setLevel(logging.WARNING)
sys.stdout.buffer.write(OntPub(ontology=sys.argv[1]).make_html().encode("utf-8"))
"""


class OntologyDocs:
    """pyLODE rendering in a child process, started with the build (mirkg.beside.Beside waits for it)."""

    def __init__(self, ontology: Graph):
        graph = Graph()
        for prefix, namespace in ontology.namespaces():
            graph.bind(prefix, namespace)
        graph += ontology
        # One ontology header per page: the import module's own header would compete with ours.
        graph.remove((IMPORT_IRI, None, None))
        self._tmp = tempfile.TemporaryDirectory(prefix="mirkg-docs-")
        source = Path(self._tmp.name) / "ontology.ttl"
        graph.serialize(source, format="turtle", encoding="utf-8")
        env = dict(os.environ, PYTHONHASHSEED="0")
        self._process = subprocess.Popen(
            [sys.executable, "-c", _RENDER, str(source)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        # Its pages are read by a thread as pyLODE writes them: pages larger than the pipe holds
        # kept pyLODE's process, and its memory, waiting until the build asked for them.
        self._output = ThreadPoolExecutor(1, thread_name_prefix="pylode-output")
        self._read = self._output.submit(self._process.communicate, timeout=300)
        self._output.shutdown(wait=False)

    def result(self) -> bytes:
        try:
            out, err = self._read.result()
        finally:
            self._tmp.cleanup()
        if self._process.returncode != 0:
            raise BuildError(f"pyLODE could not document the ontology: {err.decode(errors='replace')[-2000:]}")
        return out

    def cancel(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        try:
            self._read.result()
        except Exception:  # killed: whatever it said is of no use
            pass
        self._tmp.cleanup()

