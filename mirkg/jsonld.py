"""JSON-LD for JSON developers: the published context (dist/context.jsonld) and the claims as
one JSON object each (dist/mirkg-claims.jsonld).

The context has a term for each property the ontology declares (with its import module: the
external properties in use too), named by its local name (`mirkg:claimSubject` is `subject`,
`oa:hasSelector` is `hasSelector`; an OBO property such as RO_0002211 keeps its CURIE, its local
name being an opaque id), typed from the declaration: an object property's values are
IRIs (`"@type": "@id"`), a datatype property's are of its range; `@vocab` is the ontology's
namespace (so `"@type": "Claim"`) and `@base` the instance namespace (so `"@id": "claim/x"`).
A local name that two properties share goes to the ontology's own; the other keeps its CURIE.

mirkg-claims.jsonld is the claims framed: one object per claim, in claim id order, with the
nodes minted under it (its evidence, text span and the span's selectors) nested in it, its Web
Annotation (whose body it is) nested under "@reverse", and the
entities, citations and agents it links to given by their IRIs. It holds exactly the triples of
those claim nodes (a JSON-LD processor expands it to them; tests/test_jsonld.py checks it with
pyld against the Turtle).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from . import iris
from .bulk import gc_paused
from .dataset import CONTEXT_FILE
from .named_graphs import Split
from .namespaces import MIRKG, PREFIXES

CLAIMS_FILE = "mirkg-claims.jsonld"
_XSD_STRING = str(XSD.string)
_RDF_TYPE = str(RDF.type)
# Local names a term may not take: JSON-LD keywords without their @, and the prefixes.
_RESERVED = {"id", "type", "context", "graph", "value", "language", "base", "vocab", "list", "set"}
_PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
_ALWAYS = (RDFS.label, RDFS.comment)  # RDF's own, used everywhere and declared by no ontology
_OPAQUE = re.compile(r"^[A-Za-z]+_\d+$")  # an OBO id (RO_0002211): no name to read; its CURIE says as much


def _local_name(iri: str) -> str:
    name = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    # mirkg:claimSubject -> subject: the claim's parts read as what they are
    if iri.startswith(str(MIRKG)) and name.startswith("claim") and name[5:6].isupper():
        name = name[5].lower() + name[6:]
    return name


def terms(ontology: Graph) -> dict[str, dict]:
    """term -> its definition, one per declared property (see the module's docstring)."""
    declared: dict[str, set] = defaultdict(set)
    for kind in _PROPERTY_TYPES:
        for prop in ontology.subjects(RDF.type, kind):
            if isinstance(prop, URIRef):
                declared[str(prop)].add(kind)
    for prop in _ALWAYS:
        declared.setdefault(str(prop), set())
    # The ontology's own properties first, then the others by IRI: the first to want a name has it.
    order = sorted(declared, key=lambda p: (not p.startswith(str(MIRKG)), p))
    out: dict[str, dict] = {}
    for prop in order:
        name = _local_name(prop)
        if not name or name in out or name in PREFIXES or name in _RESERVED or ":" in name or _OPAQUE.match(name):
            continue
        definition: dict = {"@id": prop}
        kinds = declared[prop]
        if OWL.ObjectProperty in kinds:
            definition["@type"] = "@id"
        elif OWL.DatatypeProperty in kinds:
            ranges = {str(r) for r in ontology.objects(URIRef(prop), RDFS.range)
                      if isinstance(r, URIRef) and str(r).startswith(str(XSD))}
            if len(ranges) == 1 and ranges != {str(XSD.string)}:
                definition["@type"] = ranges.pop()
        out[name] = definition
    return dict(sorted(out.items()))


def context(ontology: Graph) -> dict:
    """The published context: base, vocabulary, the project's prefixes and the terms."""
    return {"@context": {"@base": iris.BASE, "@vocab": str(MIRKG), **dict(sorted(PREFIXES.items())),
                         **terms(ontology)}}


class _Compactor:
    """IRIs and values in the context's short forms (which expand back to the same terms)."""

    def __init__(self, ctx: dict):
        self.terms = {v["@id"]: (k, v.get("@type")) for k, v in ctx.items()
                      if isinstance(v, dict) and "@id" in v}
        self.names = {k for k in ctx if not k.startswith("@")}
        self.prefixes = sorted(((k, v) for k, v in ctx.items() if isinstance(v, str) and not k.startswith("@")),
                               key=lambda kv: -len(kv[1]))
        # Short forms already worked out: the vocabulary's IRIs, types and predicates recur in
        # every claim, while the dataset's own nodes (relative to @base) are cheap to shorten.
        self._curies: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._predicates: dict[str, tuple[str, str | None, str | None]] = {}

    def iri(self, value: str) -> str:
        """Relative to @base for the dataset's own nodes, a CURIE where a prefix fits, else whole."""
        if value.startswith(iris.BASE) and ":" not in value[len(iris.BASE):]:
            return value[len(iris.BASE):]
        short = self._curies.get(value)
        if short is None:
            short = self._curies[value] = self._curie(value)
        return short

    def _curie(self, value: str) -> str:
        for prefix, ns in self.prefixes:
            if value.startswith(ns) and value != ns and not value[len(ns):].startswith("//"):
                return f"{prefix}:{value[len(ns):]}"
        return value

    def type_(self, value: str) -> str:
        short = self._types.get(value)
        if short is None:
            local = value[len(str(MIRKG)):]
            if value.startswith(str(MIRKG)) and local and local not in self.names and ":" not in local and "/" not in local:
                short = local  # relative to @vocab
            else:
                short = self.iri(value)
            self._types[value] = short
        return short

    def predicate(self, predicate: str) -> tuple[str, str | None, str | None]:
        """The predicate's key (its term, else its IRI shortened), term and the term's coercion."""
        found = self._predicates.get(predicate)
        if found is None:
            term, coercion = self.terms.get(predicate, (None, None))
            found = self._predicates[predicate] = (term or self.iri(predicate), term, coercion)
        return found

    def key_and_value(self, predicate: str, obj):
        key, term, coercion = self.predicate(predicate)
        if isinstance(obj, ox.NamedNode):
            return key, self.iri(obj.value) if term and coercion == "@id" else {"@id": self.iri(obj.value)}
        if obj.language:
            return key, {"@value": obj.value, "@language": obj.language}
        datatype = obj.datatype.value
        if term and coercion == datatype:
            return key, _native(obj.value, datatype)
        if datatype == _XSD_STRING and (not term or coercion is None):
            return key, obj.value
        return key, {"@value": obj.value, "@type": self.iri(datatype)}


_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")


def _native(lexical: str, datatype: str):
    """A JSON number or boolean where one stands for the literal exactly (a canonical integer,
    true/false), so that a JSON reader gets 3 and true rather than "3" and "true"; the term's
    type gives the datatype back. Any other value stays the literal's own text."""
    if datatype == str(XSD.boolean) and lexical in ("true", "false"):
        return lexical == "true"
    if datatype == str(XSD.integer) and _INTEGER.fullmatch(lexical):
        return int(lexical)
    return lexical


class _Framed:
    """One claim's nodes (its lines, parsed), nested as JSON-LD framing nests them. A class
    rather than a closure: a recursive closure is a reference cycle, which would keep each
    claim's nodes until the cycle collector ran."""

    def __init__(self, lines: list[bytes], compact: _Compactor):
        self.compact = compact
        self.nodes: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
        for quad in ox.parse(b"\n".join(lines) + b"\n", format=ox.RdfFormat.N_TRIPLES):
            self.nodes[quad.subject.value][quad.predicate.value].append(quad.object)
        self.embedded: set[str] = set()

    def node_object(self, subject: str) -> dict:
        compact, nodes = self.compact, self.nodes
        self.embedded.add(subject)
        out: dict = {"@id": compact.iri(subject)}
        for predicate, values in sorted(nodes[subject].items()):
            if predicate == _RDF_TYPE:
                out["@type"] = sorted(compact.type_(v.value) for v in values)
                continue
            for value in values:
                if isinstance(value, ox.NamedNode) and value.value in nodes and value.value not in self.embedded:
                    out.setdefault(compact.predicate(predicate)[0], []).append(self.node_object(value.value))
                else:
                    key, short = compact.key_and_value(predicate, value)
                    out.setdefault(key, []).append(short)
        return {k: (v[0] if isinstance(v, list) and len(v) == 1 else _sorted(v)) for k, v in out.items()}

    def objects(self, claim: str) -> list[dict]:
        """The claim's object, then any node under it that nothing links to or from."""
        top = self.node_object(claim)
        # A node under the claim that links to it rather than from it (its Web Annotation, whose
        # body the claim is) is nested under "@reverse", as JSON-LD framing nests it.
        for rest in sorted(set(self.nodes) - self.embedded):
            links = [p for p, values in self.nodes[rest].items() if any(v.value == claim for v in values)]
            if links:
                top.setdefault("@reverse", {}).setdefault(self.compact.predicate(links[0])[0], []).append(
                    self.node_object(rest))
        for key, values in top.get("@reverse", {}).items():
            top["@reverse"][key] = values[0] if len(values) == 1 else _sorted(values)
        return [top, *(self.node_object(rest) for rest in sorted(set(self.nodes) - self.embedded))]


@gc_paused()  # many small dicts and lists, no cycle among them
def claims_document(split: Split, ctx: dict):
    """mirkg-claims.jsonld (see the module's docstring), from the release's claims' lines
    (named_graphs.Split.claims), as chunks of bytes: one claim at a time, so that the document is
    never held whole (at scale 1000 it is hundreds of megabytes)."""
    compact = _Compactor(ctx["@context"])
    yield b'{"@context": %s,\n"@graph": [\n' % json.dumps(CONTEXT_FILE).encode("utf-8")
    separator = b""
    for claim_id, lines in split.claims():
        for o in _Framed(lines, compact).objects(str(iris.claim_iri(claim_id))):
            # One claim a line: json's C encoder (indenting takes its pure-Python one, most of the time at scale).
            yield separator + json.dumps(o, ensure_ascii=False, sort_keys=True).encode("utf-8")
            separator = b",\n"
    yield b"\n]}\n"


def _sorted(values):
    if not isinstance(values, list):
        return values
    return sorted(values, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
