"""The release's dumps that are one N-Triples file of the release in another syntax: the data in
Turtle (mirkg.ttl, from mirkg.nt), the whole dataset in Turtle and in JSON-LD (mirkg-all.ttl and
mirkg-all.jsonld, from mirkg-all.nt).

They are written by a process of their own, started (not forked) once those N-Triples files are
in the staging folder: it reads them with Oxigraph's parser and writes them with its writers,
streaming, so that it holds little and shares no page with the build, which meanwhile writes the
files made from the named graphs. The build takes the files into its release with their
SHA-256 and size, which this process reports on its standard output.

Blank nodes keep the labels the N-Triples give them (labelled from their content), so the bytes
do not change between runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from .errors import BuildError

# (stage, source N-Triples file, file written, syntax), in the order they are written
DUMPS_OF_FILES = (
    ("Turtle", "mirkg.nt", "mirkg.ttl", "turtle"),
    ("whole Turtle", "mirkg-all.nt", "mirkg-all.ttl", "turtle"),
    ("JSON-LD", "mirkg-all.nt", "mirkg-all.jsonld", "jsonld"),
)


def write_dump(source: Path, out: Path, syntax: str, prefixes: dict[str, str], context_file: str) -> None:
    """One dump: Turtle with the project's prefixes; or JSON-LD, node objects in expanded form
    (node by node, in subject order), in a document whose @context is the published context
    file, so that a JSON-LD processor compacts it with the project's prefixes on request."""
    triples = ox.parse(path=str(source), format=ox.RdfFormat.N_TRIPLES)
    if syntax == "turtle":
        # Through a file object: given a path, Oxigraph's writer fsyncs the file, a wait on the
        # disk that the build's other files do not make (the release is committed whole, or not).
        with open(out, "wb") as file:
            ox.serialize(triples, file, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
        return
    with open(out, "wb") as file:
        file.write(b'{"@context": "%s",\n"@graph": ' % context_file.encode())
        ox.serialize(triples, file, format=ox.RdfFormat.JSON_LD)
        file.write(b"}\n")


def _digest(path: Path) -> str:
    with open(path, "rb") as written:
        return hashlib.file_digest(written, "sha256").hexdigest()


def main(argv: list[str]) -> int:
    """In the process of its own: argv is the staging folder and a JSON object with the
    prefixes and the context file; writes JSON on standard output, one row per dump: [file,
    SHA-256, size, stage, seconds]."""
    if len(argv) != 2:
        sys.stderr.write("usage: python -m mirkg.syntax_dumps STAGING_FOLDER OPTIONS_JSON "
                         "(the build runs it; see mirkg/syntax_dumps.py)\n")
        return 2
    folder = Path(argv[0])
    options = json.loads(argv[1])
    rows = []
    for stage, source, target, syntax in DUMPS_OF_FILES:
        started = time.perf_counter()
        out = folder / target
        write_dump(folder / source, out, syntax, options["prefixes"], options["context"])
        rows.append([target, _digest(out), out.stat().st_size, stage, time.perf_counter() - started])
    sys.stdout.write(json.dumps(rows))
    return 0


class SyntaxDumps:
    """The dumps of DUMPS_OF_FILES, written into the staging folder `folder` by a process started
    now (its source files must be there already)."""

    def __init__(self, folder: Path, prefixes: dict[str, str], context_file: str):
        options = json.dumps({"prefixes": prefixes, "context": context_file})
        # this package as the build imported it, whatever the working folder
        package_parent = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, (package_parent, os.environ.get("PYTHONPATH")))))
        self._process = subprocess.Popen([sys.executable, "-m", "mirkg.syntax_dumps", str(folder), options],
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)

    def wait(self) -> tuple[list[tuple[str, str, int]], dict[str, float]]:
        """The files written (path, SHA-256, size: for StagedTree.adopt) and each stage's seconds."""
        out, err = self._process.communicate()
        if self._process.returncode != 0:
            raise BuildError(f"writing the Turtle and JSON-LD dumps failed: {err.decode(errors='replace')[-2000:]}")
        rows = json.loads(out)
        return [(rel, digest, size) for rel, digest, size, _, _ in rows], {stage: s for _, _, _, stage, s in rows}

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
