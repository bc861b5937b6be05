"""Stored SPARQL queries: reading them with their documentation, binding parameters safely,
running them on an embedded store (pyoxigraph), on rdflib, or on any SPARQL 1.1 endpoint over
HTTP, and describing them as data (queries/catalog.ttl, in the style of sib-swiss/sparql-examples).

A parameter value is turned into an RDF term by the RDF library, which checks and escapes it; the
term, in the library's own N-Triples form, is bound to the query variable with a trailing VALUES
clause. The raw value is never pasted into the query text, and the same bound text runs on every
engine and endpoint.
"""

from __future__ import annotations

import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RLiteral

from .errors import BuildError
from .iris import query_iri

HEADER = re.compile(r"#\s?(\w+):\s*(.*)")
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # IRI | literal
    required: bool
    description: str


@dataclass
class StoredQuery:
    name: str
    path: Path
    text: str
    title: str
    question: str
    answer: str
    params: list[Param] = field(default_factory=list)
    example: dict[str, str] = field(default_factory=dict)

    @property
    def form(self) -> str:
        body = "\n".join(ln for ln in self.text.splitlines() if not ln.lstrip().startswith(("#", "PREFIX", "prefix")))
        match = re.search(r"\b(" + "|".join(FORMS) + r")\b", body, re.IGNORECASE)
        return match.group(1).upper() if match else "SELECT"


def parse_query_file(path: Path) -> StoredQuery:
    text = path.read_text(encoding="utf-8")
    fields: dict[str, list[str]] = {}
    last = None
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = HEADER.fullmatch(line)
        if match:
            last = match.group(1)
            fields.setdefault(last, []).append(match.group(2).strip())
        elif last:  # a continuation line of the previous field
            fields[last][-1] += " " + line.lstrip("#").strip()
    for key in ("title", "question", "answer"):
        if key not in fields:
            raise BuildError(f"{path}: the header has no '# {key}:' line; every stored query documents its {key}")
    params = []
    for spec in fields.get("param", []):
        parts = spec.split(None, 3)
        if len(parts) < 4 or parts[1] not in ("IRI", "literal") or parts[2] not in ("required", "optional"):
            raise BuildError(f"{path}: '# param: {spec}' should read '# param: NAME IRI|literal required|optional DESCRIPTION'")
        params.append(Param(parts[0], parts[1], parts[2] == "required", parts[3]))
    example = {}
    for spec in fields.get("example", []):
        for pair in spec.split():
            key, _, value = pair.partition("=")
            example[key] = value
    return StoredQuery(
        name=path.stem, path=path, text=text, title=fields["title"][0], question=fields["question"][0],
        answer=fields["answer"][0], params=params, example=example,
    )


def load_queries(directory: Path) -> list[StoredQuery]:
    return [parse_query_file(p) for p in sorted(directory.glob("*.rq"))]


def find_query(queries: list[StoredQuery], name: str) -> StoredQuery:
    for q in queries:
        if name in (q.name, q.path.name) or q.name.split("-", 1)[-1] == name or q.name.split("-", 1)[0] == name:
            return q
    raise BuildError(f"no stored query named '{name}'; known: {', '.join(q.name for q in queries)}")


# ------------------------------------------------------------------------------------------------
# Parameters


def parse_term(value: str, kind: str, expand) -> ox.NamedNode | ox.Literal:
    """An RDF term from a command-line value: an IRI (<...>, http(s)://..., or a CURIE) or a literal."""
    if kind == "literal":
        if "\x00" in value:
            raise BuildError(f"'{value!r}' holds a NUL character and is not a valid literal")
        return ox.Literal(value)
    if value.startswith("<") and value.endswith(">"):  # <IRI>: absolute, never a CURIE
        iri = value[1:-1]
        if not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", iri):
            raise BuildError(f"'{value}' is not a valid IRI: an IRI in <...> must be absolute (https://...)")
    elif re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", value):
        iri = value
    else:
        iri = expand(value)
        if iri is None:
            raise BuildError(f"'{value}' is neither an IRI nor a CURIE with a known prefix")
    try:
        return ox.NamedNode(iri)
    except ValueError as exc:
        raise BuildError(f"'{value}' is not a valid IRI: {exc}") from None


def bind(query: StoredQuery, values: dict[str, str], expand) -> dict[str, ox.NamedNode | ox.Literal]:
    known = {p.name: p for p in query.params}
    for name in values:
        if name not in known:
            raise BuildError(f"query {query.name} has no parameter '{name}'; it takes: {', '.join(known) or 'none'}")
    for p in query.params:
        if p.required and p.name not in values:
            raise BuildError(f"query {query.name} needs --param {p.name}=... ({p.description})")
    return {name: parse_term(value, known[name].kind, expand) for name, value in values.items()}


# ------------------------------------------------------------------------------------------------
# Engines and results


@dataclass
class Answer:
    form: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)  # N-Triples-syntax terms, '' when unbound
    boolean: bool | None = None
    triples: list[str] = field(default_factory=list)  # sorted N-Triples lines

    def normalised(self):
        """What two engines must agree on: sorted rows, the boolean, or the sorted triples."""
        return (self.form, self.columns, sorted(self.rows), self.boolean, sorted(self.triples))

    def page(self, offset: int = 0, limit: int | None = None) -> Answer:
        """Rows (or triples) offset..offset+limit of the answer in its sorted order, the order the
        release's answer files list them in: a page of a large answer, for a person."""
        if offset == 0 and limit is None:
            return self
        end = None if limit is None else offset + limit
        return Answer(self.form, self.columns, sorted(self.rows)[offset:end], self.boolean,
                      sorted(self.triples)[offset:end])


def _ox_term(term) -> str:
    return "" if term is None else str(term)


def bound_text(query: StoredQuery, bindings: dict) -> str:
    """The query with its parameters bound by a trailing VALUES clause."""
    if not bindings:
        return query.text
    return f"{query.text.rstrip()}\n{_values_block(bindings)}\n"


def _values_block(bindings: dict) -> str:
    """`VALUES (?a ?b) { (<x> "y") }`, the parameters in name order."""
    names = sorted(bindings)
    variables = " ".join(f"?{n}" for n in names)
    terms = " ".join(str(bindings[n]) for n in names)
    return f"VALUES ({variables}) {{ ({terms}) }}"


def inline_values_text(query: StoredQuery, bindings: dict) -> str:
    """The query with its parameters bound by a VALUES block at the start of its outermost group
    (after the first `WHERE {`, or `ASK {`) instead of a trailing VALUES clause.

    The same solutions by SPARQL's algebra (a join either way); Virtuoso 7 needs it, as it
    cannot join a trailing VALUES on a variable the SELECT does not project ("No column")."""
    if not bindings:
        return query.text
    block = _values_block(bindings)
    body = query.text
    match = re.search(r"\b(WHERE|ASK)\s*\{", body, re.IGNORECASE)
    if match is None:
        raise BuildError(f"query {query.name}: no WHERE {{ or ASK {{ to put its parameters in")
    return f"{body[:match.end()]}\n  {block}\n{body[match.end():]}"


def run_oxigraph(store: ox.Store, query: StoredQuery, bindings: dict) -> Answer:
    result = store.query(bound_text(query, bindings))
    if isinstance(result, ox.QueryBoolean):
        return Answer("ASK", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        # A solution iterated gives its values in the order of the variables; looking each up
        # by name took most of the time of a large answer (1.2 s of 3.1 for 36,000 rows). Each
        # text is kept once: the answers of a large release repeat their terms (at scale 1000,
        # 1.9 million values, 100,000 texts: 187 MB of strings held to the end of the build).
        texts: dict[str, str] = {}
        rows = [tuple(texts.setdefault(text, text) for text in map(_ox_term, sol)) for sol in result]
        return Answer("SELECT", columns, rows)
    triples = sorted(f"{t.subject} {t.predicate} {t.object} ." for t in result)
    return Answer(query.form, triples=triples)


def _rdflib_term(term) -> str:
    """The term in N-Triples syntax, written as pyoxigraph writes it, so both engines compare."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return str(ox.NamedNode(str(term)))
    if isinstance(term, RLiteral):
        if term.language:
            return str(ox.Literal(str(term), language=term.language))
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return str(ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype))))
        return str(ox.Literal(str(term)))
    return term.n3()


def run_rdflib(graph: Graph, query: StoredQuery, bindings: dict) -> Answer:
    result = graph.query(bound_text(query, bindings))
    if result.type == "ASK":
        return Answer("ASK", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        columns = [str(v) for v in result.vars]
        rows = [tuple(_rdflib_term(row[c]) for c in columns) for row in result]
        return Answer("SELECT", columns, rows)
    triples = sorted(f"{_rdflib_term(s)} {_rdflib_term(p)} {_rdflib_term(o)} ." for s, p, o in result.graph)
    return Answer(query.form, triples=triples)


def parse_term_text(term: str):
    """The RDF term written in N-Triples syntax in an answer row, as a pyoxigraph term."""
    triple = next(iter(ox.parse(f"<x:s> <x:p> {term} .".encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)))
    return triple.object


def store_from_ntriples(*pieces: bytes | Path, checked: bool = True, into: ox.Store | None = None) -> ox.Store:
    """An in-memory store of N-Triples (or the store `into`), given whole or in pieces (data,
    ontology) that are loaded one after the other rather than joined: joining copies them all.
    A piece is the text, or the path of a file that holds it.

    checked=False skips Oxigraph's checks of IRIs and literal forms (its lenient parsing, a
    third faster): only for N-Triples that another reader checks as strictly.

    An in-memory store reads them in one transaction (Store.load): at scale 1000, 15 % less
    CPU than its bulk loader, 0.15 GB less held while loading and 40 MB less after; an on-disk
    store takes the bulk loader, which writes its files directly."""
    store = ox.Store() if into is None else into
    load = store.load if into is None else store.bulk_load
    for piece in pieces:
        if isinstance(piece, Path):
            load(path=piece, format=ox.RdfFormat.N_TRIPLES, lenient=not checked)
        else:
            load(piece, format=ox.RdfFormat.N_TRIPLES, lenient=not checked)
    return store


def answer_path(query: StoredQuery) -> str:
    """Where the release keeps the query's answer (with its example parameters), under dist/."""
    suffix = {"SELECT": "tsv", "ASK": "txt"}.get(query.form, "nt")
    return f"queries/{query.name}.{suffix}"


def answer_from_tsv(form: str, text: str) -> Answer:
    """An answer file of the release read back: the inverse of answer_as_tsv (its terms are in
    N-Triples syntax, which escapes tabs and line breaks, so a line is a row)."""
    lines = text.splitlines()
    if form == "ASK":
        return Answer("ASK", boolean=lines == ["true"])
    if form == "SELECT":
        columns = [c[1:] for c in lines[0].split("\t")]
        return Answer("SELECT", columns, [tuple(line.split("\t")) if columns else () for line in lines[1:]])
    return Answer(form, triples=lines)


def answer_as_tsv(answer: Answer) -> str:
    """The answer as SPARQL TSV (SELECT), a boolean line (ASK), or N-Triples (CONSTRUCT), sorted."""
    if answer.form == "ASK":
        return "true\n" if answer.boolean else "false\n"
    if answer.form == "SELECT":
        lines = ["\t".join("?" + c for c in answer.columns)]
        lines += ["\t".join(row) for row in sorted(answer.rows)]
        return "\n".join(lines) + "\n"
    return "".join(t + "\n" for t in sorted(answer.triples))


# ------------------------------------------------------------------------------------------------
# SPARQL endpoints over HTTP (the SPARQL 1.1 Protocol)

SPARQL_JSON = "application/sparql-results+json"
SPARQL_QUERY = "application/sparql-query"
GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9"
# post: the query as the body (application/sparql-query); get: ?query=; form: POST of an HTML
# form (application/x-www-form-urlencoded), which Virtuoso 7.2 needs (it never answers a post).
METHODS = ("post", "get", "form")


def _json_term(entry: dict) -> str:
    """A term of SPARQL results JSON in N-Triples syntax, written as pyoxigraph writes it."""
    kind, value = entry.get("type"), entry.get("value")
    if not isinstance(value, str):
        raise BuildError(f"the endpoint answered a binding without a string value: {entry}")
    if kind == "uri":
        return str(ox.NamedNode(value))
    if kind == "bnode":
        return str(ox.BlankNode(value))
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in entry:
            return str(ox.Literal(value, language=entry["xml:lang"]))
        datatype = entry.get("datatype")
        if datatype and datatype != XSD_STRING:
            return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
        return str(ox.Literal(value))
    raise BuildError(f"the endpoint answered a term of unknown type '{kind}'")


def answer_from_sparql_json(document: dict) -> Answer:
    """An Answer from a SPARQL 1.1 Query Results JSON document (SELECT or ASK)."""
    if "boolean" in document:
        return Answer("ASK", boolean=bool(document["boolean"]))
    try:
        columns = list(document["head"]["vars"])
        solutions = document["results"]["bindings"]
    except (KeyError, TypeError):
        raise BuildError("the endpoint's answer is not SPARQL results JSON (no head.vars, results.bindings)") from None
    rows = [tuple(_json_term(s[c]) if c in s else "" for c in columns) for s in solutions]
    return Answer("SELECT", columns, rows)


def endpoint_request(url: str, text: str, form: str, method: str = "post",
                     default_graphs=()) -> urllib.request.Request:
    """The HTTP request of the SPARQL 1.1 Protocol for a query, by one of METHODS;
    `default_graphs` become default-graph-uri parameters (none leaves the endpoint's own default
    graph)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BuildError(f"--endpoint '{url}' is not an http(s) URL of a SPARQL endpoint")
    if method not in METHODS:
        raise BuildError(f"HTTP method '{method}' is not one of {', '.join(METHODS)}")
    accept = SPARQL_JSON if form in ("SELECT", "ASK") else GRAPH_TYPES
    params = [("default-graph-uri", str(g)) for g in default_graphs]
    if method == "form":
        return urllib.request.Request(
            url, data=urllib.parse.urlencode([("query", text), *params]).encode("utf-8"), method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept},
        )
    if method == "get":
        params.insert(0, ("query", text))
    if params:
        url += ("&" if parts.query else "?") + urllib.parse.urlencode(params)
    if method == "get":
        return urllib.request.Request(url, headers={"Accept": accept})
    return urllib.request.Request(
        url, data=text.encode("utf-8"), method="POST",
        headers={"Content-Type": f"{SPARQL_QUERY}; charset=utf-8", "Accept": accept},
    )


def run_endpoint(url: str, query: StoredQuery, bindings: dict, method: str = "post", timeout: float = 30.0,
                 default_graphs=(), inline_values: bool = False) -> Answer:
    """Run a stored query, bound as on the embedded store, on a SPARQL 1.1 endpoint over HTTP.

    `inline_values` binds the parameters inside the query's group (inline_values_text) rather
    than with the embedded store's trailing VALUES clause."""
    text = inline_values_text(query, bindings) if inline_values else bound_text(query, bindings)
    request = endpoint_request(url, text, query.form, method, default_graphs)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only, checked above
            body = response.read()
            media_type = response.headers.get_content_type()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:500].decode("utf-8", errors="replace").strip()
        raise BuildError(f"the endpoint {url} answered HTTP {exc.code} {exc.reason}: {detail}") from None
    except (urllib.error.URLError, socket.timeout, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise BuildError(f"cannot reach the SPARQL endpoint {url}: {reason}") from None
    if query.form in ("SELECT", "ASK"):
        try:
            document = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BuildError(f"the endpoint {url} did not answer SPARQL results JSON (it sent {media_type})") from None
        answer = answer_from_sparql_json(document)
        if answer.form != query.form:
            raise BuildError(f"the endpoint answered a {answer.form} result to a {query.form} query")
        return answer
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        raise BuildError(f"the endpoint {url} answered {media_type}, which is not an RDF format this client reads")
    try:
        triples = sorted(f"{t.subject} {t.predicate} {t.object} ." for t in ox.parse(body, format=rdf_format))
    except SyntaxError as exc:
        raise BuildError(f"the endpoint {url} sent unreadable {media_type}: {exc}") from None
    return Answer(query.form, triples=triples)


# ------------------------------------------------------------------------------------------------
# The queries as data: queries/catalog.ttl, in the style of sib-swiss/sparql-examples

QUERY_NS = str(query_iri(""))  # the stored queries' IRIs, a prefix of the catalogue
CATALOG_FILE = "catalog.ttl"
# The endpoint the examples are written for: where `oxigraph serve` answers by default once the
# release (dist/mirkg.nt and dist/ontology.nt) is loaded. Point it elsewhere for another server.
DEFAULT_TARGET = "http://localhost:7878/query"
EXECUTABLE = {
    "SELECT": ("sh:SPARQLSelectExecutable", "sh:select"),
    "CONSTRUCT": ("sh:SPARQLConstructExecutable", "sh:construct"),
    "ASK": ("sh:SPARQLAskExecutable", "sh:ask"),
    "DESCRIBE": ("spex:SPARQLDescribeExecutable", "spex:describe"),
}
CATALOG_PREFIXES = {
    "dcterms": "http://purl.org/dc/terms/",
    "ex": QUERY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "spex": "https://purl.expasy.org/sparql-examples/ontology#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def query_body(query: StoredQuery) -> str:
    """The query text without its comment header: what sh:select / sh:construct / sh:ask hold."""
    lines = query.text.splitlines()
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "\n".join(lines).strip() + "\n"


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _long_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"""{escaped}"""'


PREFIX_LINE = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.MULTILINE | re.IGNORECASE)


def _declared_prefixes(queries: list[StoredQuery]) -> dict[str, str]:
    found: dict[str, str] = {}
    for q in queries:
        for prefix, namespace in PREFIX_LINE.findall(q.text):
            if found.setdefault(prefix, namespace) != namespace:
                raise BuildError(f"{q.path}: prefix '{prefix}:' is <{namespace}> here but <{found[prefix]}> elsewhere")
    return dict(sorted(found.items()))


def _description(query: StoredQuery) -> str:
    """What the answer means, then the parameters (bound by a trailing VALUES clause) and the example."""
    text = query.answer
    for p in query.params:
        need = "required" if p.required else "optional"
        text += f" Parameter ?{p.name} ({p.kind}, {need}): {p.description}."
    if query.example:
        text += " Example: " + ", ".join(f"{k}={v}" for k, v in sorted(query.example.items())) + "."
    return text


def catalog_turtle(queries: list[StoredQuery], target: str = DEFAULT_TARGET) -> str:
    """The stored queries as SHACL SPARQL executables (sib-swiss/sparql-examples style), one
    block per query in file order, so that the catalogue loads next to the data."""
    out = [
        "# The stored queries as data, in the style of sib-swiss/sparql-examples. Generated from",
        "# queries/*.rq by `python -m mirkg.queries`; do not edit by hand (a test checks it is in sync).",
    ]
    out += [f"@prefix {p}: <{ns}> ." for p, ns in CATALOG_PREFIXES.items()]
    out.append("")
    out.append("ex:prefixes sh:declare")
    declared = list(_declared_prefixes(queries).items())
    for i, (prefix, namespace) in enumerate(declared):
        end = " ." if i == len(declared) - 1 else " ,"
        out.append(f'    [ sh:prefix {_string(prefix)} ; sh:namespace "{namespace}"^^xsd:anyURI ]{end}')
    for q in queries:
        if q.form not in EXECUTABLE:
            raise BuildError(f"{q.path}: no catalogue type for a {q.form} query")
        kind, text_property = EXECUTABLE[q.form]
        out.append("")
        out.append(f"ex:{q.name} a sh:SPARQLExecutable, {kind} ;")
        out.append(f"    rdfs:label {_string(q.title)}@en ;")
        out.append(f"    rdfs:comment {_string(q.question)}@en ;")
        out.append(f"    dcterms:description {_string(_description(q))}@en ;")
        out.append(f"    dcterms:identifier {_string(q.name)} ;")
        out.append("    sh:prefixes ex:prefixes ;")
        out.append(f"    {text_property} {_long_string(query_body(q))} ;")
        out.append(f"    schema:target <{target}> .")
    return "\n".join(out) + "\n"


def write_catalog(directory: Path) -> Path:
    target = directory / CATALOG_FILE
    target.write_text(catalog_turtle(load_queries(directory)), encoding="utf-8")
    return target


if __name__ == "__main__":  # python -m mirkg.queries: regenerate queries/catalog.ttl
    from . import paths

    print(f"wrote {write_catalog(paths.QUERIES)}")
