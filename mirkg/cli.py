"""`mirkg [COMMAND]` (or `python build.py [COMMAND]` in a clone): the project's command line.

Exit codes: 0 success; 1 the data breaks its SHACL shapes; 2 bad curated input or a bad request
(the message names the file, the record and the fix); dist/ is left unchanged on any failure.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path

from . import paths as layout
from .children import Stopped, stopping
from .curie import readable
from .errors import BuildError, CurationError
from .linked_data import DOCUMENTS, FILES_UP_TO
from .paths import Paths
from .queries import answer_as_tsv, bind, find_query, load_queries, parse_term_text, run_oxigraph
from .validation import DEFAULT_ENGINE, ENGINES

# The build's own modules are imported by the commands that build: `query` answers from dist/ and
# does not pay for them.


def _options(parser: argparse.ArgumentParser, *, engine: bool = False, reasoning: bool = False):
    """The options a command shares. They go on the main parser and on each command's, so that both
    `mirkg --root X build` and `mirkg build --root X` work; SUPPRESS keeps a command's parser from
    overwriting with its default what the main parser read."""
    parser.add_argument("--root", type=Path, default=argparse.SUPPRESS,
                        help="the project folder: it holds data/, ontology/, shapes/ and queries/, and dist/ is "
                             "written there (default: the current folder)")
    parser.add_argument("--data", type=Path, default=argparse.SUPPRESS,
                        help="curated input folder (default: ROOT/data)")
    parser.add_argument("--ontology", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument("--shapes", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument("--queries", type=Path, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    parser.add_argument("--dist", type=Path, default=argparse.SUPPRESS, help="release folder (default: ROOT/dist)")
    if engine:
        parser.add_argument(
            "--shacl-engine", choices=ENGINES, default=argparse.SUPPRESS,
            help="SHACL engine: turbo-oxigraph (the default: pyshacl-turbo for the core constraints, the "
                 "SHACL-SPARQL ones once over all focus nodes on the build's store), turbo (pyshacl-turbo for "
                 "all) or pyshacl (the reference engine)",
        )
    if reasoning:
        parser.add_argument(
            "--skip-reasoning", action="store_true", default=argparse.SUPPRESS,
            help="build without the OWL consistency check (HermiT needs Java); the report says it was skipped",
        )
        parser.add_argument(
            "--nanopub-key", type=Path, default=argparse.SUPPRESS, metavar="KEY",
            help="sign every nanopublication with this RSA private key (PEM or DER, e.g. from `openssl genrsa "
                 "2048`); without it they are unsigned, with a trusty URI all the same",
        )
        parser.add_argument(
            "--documents", choices=DOCUMENTS, default=argparse.SUPPRESS,
            help=f"the Linked Data documents of the records and nanopublications: files in dist/doc/ (files), "
                 f"made by `serve` when asked for (served), or files up to {FILES_UP_TO:,} records and served "
                 "above (auto, the default)",
        )
    return parser


def _parser(prog: str = "mirkg") -> argparse.ArgumentParser:
    parser = _options(argparse.ArgumentParser(prog=prog, description=__doc__.split("\n")[0]),
                      engine=True, reasoning=True)
    sub = parser.add_subparsers(dest="command")
    _options(sub.add_parser("build", help="the main job (the default): build, validate, query, write dist/"),
             engine=True, reasoning=True)
    _options(sub.add_parser("validate", help="build and validate the graph, print the SHACL report; writes nothing"),
             engine=True)
    _options(sub.add_parser("imports", help="regenerate ontology/imports/external.ttl from the reference table"))
    q = _options(sub.add_parser("query", help="run a stored query on the built dataset (dist/, as the last "
                                               "build wrote it)"))
    q.add_argument("name", nargs="?", help="query file name or number (e.g. 01 or 01-mirna-targets); none lists them")
    q.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="bind a query parameter")
    q.add_argument("--format", choices=("table", "tsv", "csv", "json"), default="table")
    q.add_argument("--endpoint", metavar="URL",
                   help="run on this SPARQL 1.1 endpoint over HTTP instead of the embedded store")
    q.add_argument("--http-method", choices=("post", "get"), default="post",
                   help="with --endpoint: POST the query as application/sparql-query (default) or GET ?query=")
    q.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="with --endpoint: give up after this many seconds (default 30)")
    q.add_argument("--limit", type=int, metavar="N", help="at most N rows (SELECT), after --offset")
    q.add_argument("--offset", type=int, default=0, metavar="M", help="skip the first M rows (SELECT)")
    ld = _options(sub.add_parser("load", help="load dist/ into a SPARQL 1.1 Graph Store Protocol endpoint "
                                              "(replaces its graphs)"))
    ld.add_argument("--endpoint", required=True, metavar="URL",
                    help="the Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (Oxigraph), "
                         "http://localhost:3030/DS/data (Fuseki); credentials, if needed, from the environment "
                         "variables MIRKG_ENDPOINT_USER and MIRKG_ENDPOINT_PASSWORD")
    ld.add_argument("--graph", metavar="IRI",
                    help="put the whole dataset into this one graph instead of its own named graphs")
    dr = _options(sub.add_parser("draft", help="a first pass at statements from a new source's text: writes "
                                                "draft.yaml beside its text.txt (the build never reads it)"))
    dr.add_argument("source", type=Path, help="the source folder, e.g. data/sources/<id>, holding text.txt")
    dr.add_argument("--compare", action="store_true",
                    help="draft a source that has statements and print recall and precision against them "
                         "(writes nothing)")
    sv = _options(sub.add_parser("serve", help="serve dist/: the dataset's IRIs as Linked Data and a read-only SPARQL "
                                               "endpoint (the Oxigraph server) at /query, on one port"))
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1, this machine only)")
    sv.add_argument("--port", type=int, default=7878, help="port (default 7878)")
    sv.add_argument("--location", type=Path, help="keep the Oxigraph database in this new folder (default: a temporary one)")
    sv.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                    help="stop a SPARQL query after this many seconds and answer 503 (default 30; whole seconds)")
    return parser


# The input folders each command reads; load and serve read only dist/, which they check themselves.
NEEDS = {
    "build": ["data", "ontology", "shapes", "queries"],
    "validate": ["data", "ontology", "shapes"],
    "imports": ["data", "ontology"],
    "query": ["data", "ontology", "queries"],
    "load": [],
    "serve": [],
    "draft": ["data", "ontology"],
}


def run(argv: list[str] | None = None, root: Path | None = None, prog: str = "mirkg") -> None:
    """main, as the process's own command (the `mirkg` script, build.py, `python -m mirkg`): a
    finished build ends the process at once (_ended)."""
    sys.exit(main(argv, root, prog, ends_process=True))


def _ended(code: int, ends_process: bool) -> int:
    """A finished build's exit status. When the process ends with the command (run()), it ends
    here, its output flushed, while the caller still holds the release: every child and temporary
    folder went with the stage that made it, and the system takes back the release's memory at
    once, where freeing it object by object, and then the interpreter's, took 3.5 s at scale 1000."""
    if ends_process:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def main(argv: list[str] | None = None, root: Path | None = None, prog: str = "mirkg", *,
         ends_process: bool = False) -> int:
    """The `mirkg` command. `root` is the project folder when --root does not name one (build.py
    passes its own folder); without either it is the current folder. ends_process: run()'s."""
    args = _parser(prog).parse_args(argv)
    command = args.command or "build"
    root = Path(getattr(args, "root", None) or root or Path.cwd()).resolve()
    found = {name: getattr(args, name, None) or path for name, path in layout.folders(root).items()}
    paths = Paths(found["data"], found["ontology"], found["shapes"], found["queries"], found["dist"])
    engine, reason = getattr(args, "shacl_engine", DEFAULT_ENGINE), not getattr(args, "skip_reasoning", False)
    needed = ["queries"] if command == "query" and not args.name else NEEDS[command]
    try:
        layout.check_layout(found, needed, root)
        if command == "build":
            return _build(paths, engine, reason, getattr(args, "nanopub_key", None),
                          getattr(args, "documents", "auto"), ends_process)
        if command == "validate":
            return _validate(paths, engine)
        if command == "imports":
            return _imports(paths)
        if command == "load":
            return _load(paths, args)
        if command == "serve":
            return _serve(paths, args)
        if command == "draft":
            return _draft(paths, args, root)
        with stopping():  # SIGTERM/SIGINT raise Stopped: a half-made database goes with it
            return _query(paths, args)
    except CurationError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("Nothing was written." if command == "draft" else "The build stopped; dist/ is unchanged.",
              file=sys.stderr)
        return 2
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Stopped as stopped:
        print(f"mirkg: {stopped}; dist/ is unchanged and nothing is left running.", file=sys.stderr)
        return 128 + stopped.signum


def _build(paths: Paths, engine: str, reason: bool = True, nanopub_key: Path | None = None,
           documents: str = "auto", ends_process: bool = False) -> int:
    from .pipeline import ValidationFailed, run_build
    from .shacl_report import format_report

    try:
        release = run_build(paths, engine, reason, nanopub_key=nanopub_key, documents=documents)
    except ValidationFailed as failed:
        sys.stderr.write(format_report(failed.results))
        print("The data breaks its shapes; the build stopped and dist/ is unchanged.", file=sys.stderr)
        return 1
    warnings = sum(r.severity == "Warning" for r in release.results)
    print(f"mirkg: {len(release.curation.statements)} statements, {release.triple_count} triples, "
          f"0 violations, {warnings} warning(s); release written to {paths.dist}")
    print(f"OWL reasoning: {release.reasoning}")
    for stage, seconds in release.timings.items():
        print(f"  {stage:<60} {seconds * 1000:9.1f} ms")
    return _ended(0, ends_process)


def _validate(paths: Paths, engine: str) -> int:
    from .pipeline import make_release
    from .shacl_report import format_report

    release = make_release(paths, engine, reason=False, stop_at_validation=True)
    sys.stdout.write(format_report(list(release.results)))
    print(f"validation took {release.timings['SHACL validation (waited for)'] * 1000:.0f} ms ({engine})")
    return 1 if release.violations else 0


def _imports(paths: Paths) -> int:
    from .imports import HEADER, build_imports
    from .ontology import IMPORTS_FILE
    from .pipeline import compile_curation, ontology_sources
    from .release import turtle
    from .triples import triples_of

    ontology, _, curation = compile_curation(paths)
    imports = build_imports(curation.reference, *ontology_sources(paths), triples_of(curation, ontology))
    target = paths.ontology / IMPORTS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(HEADER.encode("utf-8") + turtle(imports))
    print(f"wrote {target} ({len(imports)} triples)")
    return 0


def _query(paths: Paths, args) -> int:
    queries = load_queries(paths.queries)
    if not args.name:
        for q in queries:
            print(f"{q.name}: {q.question}")
        return 0
    query = find_query(queries, args.name)
    if args.limit is not None and args.limit < 0 or args.offset < 0:
        raise BuildError("--limit and --offset take a whole number, 0 or more")
    values = {}
    for pair in args.param:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise BuildError(f"--param '{pair}' should read NAME=VALUE")
        values[name] = value
    from concurrent.futures import ThreadPoolExecutor

    from .identifiers import query_expander

    with ThreadPoolExecutor(1, thread_name_prefix="release-store") as pool:
        # A small release loads into memory (Oxigraph's loader works without Python's lock)
        # while the CURIE converter is made (importing curies takes about 0.1 s), unless the question is
        # the one the release answered, which needs no store. A larger one's database is opened,
        # or made, once it is known to be needed.
        loading = None
        if not args.endpoint and values != query.example and _loads_in_memory(paths.dist):
            loading = pool.submit(_release_store, paths.dist)
        expand, converter = query_expander(paths.data)
        bindings = bind(query, values, expand)
        if args.endpoint:
            from .queries import run_endpoint

            answer = run_endpoint(args.endpoint, query, bindings, args.http_method, args.timeout)
        else:
            answer = _stored_answer(paths.dist, query, bindings, expand)
            if answer is None:
                store = loading.result() if loading is not None else _release_store(paths.dist)
                answer = run_oxigraph(store, query, bindings)
    answer = answer.page(args.offset, args.limit)
    sys.stdout.write(_format(answer, args.format, converter))
    return 0


def _stored_answer(dist: Path, query, bindings: dict, expand):
    """The release's own answer to the question, when it is the one the release answered (the
    query with its example parameters, or none): read from dist/queries/, which the build wrote
    from the same store _release_store() loads, so a question that needs no new answer does not
    load the whole release again."""
    from .queries import answer_from_tsv, answer_path

    path = dist / answer_path(query)
    if bindings != bind(query, query.example, expand) or not path.is_file():
        return None
    return answer_from_tsv(query.form, path.read_text(encoding="utf-8"))


def _release_files(dist: Path) -> list[Path]:
    return [dist / "mirkg.nt", dist / "ontology.nt"]


def _loads_in_memory(dist: Path) -> bool:
    from .release_index import loads_in_memory

    files = _release_files(dist)
    return all(f.is_file() for f in files) and loads_in_memory(files)


def _release_store(dist: Path):
    """The last build's release, as its stored queries read it: instance data and ontology in
    one default graph, in memory or from its database in the cache folder (mirkg.release_index)."""
    files = _release_files(dist)
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise BuildError(f"no built release to query: {', '.join(missing)} missing; run `python build.py` first "
                         "(or query an endpoint with --endpoint URL)")
    from .release_index import release_store

    return release_store(files)


def _format(answer, fmt: str, converter) -> str:
    import pyoxigraph as ox

    if answer.form == "ASK":
        return json.dumps({"head": {}, "boolean": answer.boolean}) + "\n" if fmt == "json" else answer_as_tsv(answer)
    if answer.form != "SELECT" and fmt in ("tsv", "json"):
        return answer_as_tsv(answer)  # a graph: N-Triples, sorted
    if fmt == "tsv":
        return answer_as_tsv(answer)
    if fmt == "json":
        return json.dumps(_sparql_json(answer), indent=2, ensure_ascii=False) + "\n"
    if answer.form == "SELECT":
        columns, rows = answer.columns, [tuple(_readable(v, converter) for v in row) for row in answer.rows]
    else:  # a graph as a table of CURIEs, one triple a row
        columns = ["subject", "predicate", "object"]
        triples = [next(iter(ox.parse(t.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES))) for t in answer.triples]
        rows = [tuple(_readable(str(term), converter) for term in (t.subject, t.predicate, t.object)) for t in triples]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return out.getvalue()
    widths = [max([len(c)] + [len(r[i]) for r in rows]) for i, c in enumerate(columns)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    out = [line(columns), line("-" * w for w in widths), *(line(r) for r in rows)]
    return "\n".join(out) + f"\n({len(rows)} row(s))\n"


def _readable(term: str, converter) -> str:
    """IRIs as CURIEs, literals as their plain value."""
    if term.startswith("<") and term.endswith(">"):
        return readable(term[1:-1], converter)
    if term.startswith('"'):
        return parse_term_text(term).value
    return term


def _sparql_json(answer) -> dict:
    bindings = []
    for row in answer.rows:
        b = {}
        for column, term in zip(answer.columns, row):
            if not term:
                continue
            if term.startswith("<"):
                b[column] = {"type": "uri", "value": term[1:-1]}
            elif term.startswith("_:"):
                b[column] = {"type": "bnode", "value": term[2:]}
            else:
                parsed = parse_term_text(term)
                entry = {"type": "literal", "value": parsed.value}
                if parsed.language:
                    entry["xml:lang"] = parsed.language
                elif parsed.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
                    entry["datatype"] = parsed.datatype.value
                b[column] = entry
        bindings.append(b)
    return {"head": {"vars": answer.columns}, "results": {"bindings": bindings}}


def _load(paths: Paths, args) -> int:
    """Exit 0 loaded; 2 bad request or release; 3 the endpoint failed or could not be reached."""
    from .store import LoadError, load

    if args.graph is not None:
        from .queries import parse_term

        parse_term(args.graph, "IRI", lambda _: None)  # a clear error for a malformed IRI
    try:
        load(args.endpoint, paths.dist, args.graph)
    except LoadError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    return 0


def _draft(paths: Paths, args, root: Path) -> int:
    with stopping():  # SIGTERM/SIGINT raise Stopped: the draft's temporary file goes with it
        return _draft_in_scope(paths, args, root)


def _draft_in_scope(paths: Paths, args, root: Path) -> int:
    from .draft import Drafter, curated_statements, source_id_of, source_text, write_draft

    if args.compare:
        from .draft.compare import compare

        curated = curated_statements(args.source, paths.data)
        document = Drafter(paths.data, paths.ontology).draft(curated.text, source_id_of(args.source))
        print(f"draft of {curated.text} against {curated.statements}")
        for figure in compare(document, curated):
            print("  " + figure.line())
        return 0
    text = source_text(args.source)
    document = Drafter(paths.data, paths.ontology).draft(text, source_id_of(args.source))
    target = write_draft(document, args.source, root)
    unresolved = sum("unresolved" in m for m in document["mentions"])
    print(f"wrote {target}: {len(document['sentences'])} sentences, {len(document['mentions'])} mentions "
          f"({unresolved} unresolved), {len(document['statements'])} candidate statements")
    return 0


def _serve(paths: Paths, args) -> int:
    from .store import serve

    if not 0 < args.port < 65536:
        raise BuildError(f"--port {args.port} is not a TCP port (1-65535)")
    return serve(paths.dist, args.host, args.port, args.location, timeout=args.timeout)
