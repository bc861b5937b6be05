"""Every claim as a nanopublication with a trusty URI (dist/nanopubs.trig), signed when the user
supplies a key.

A nanopublication's IRI is np/RA<hash> in the instance namespace (mirkg.iris.nanopub_iri): the trusty URI "RA" module's
hash of its own content (head, assertion, provenance, pubinfo), so that two releases give the
same IRI to a claim's nanopublication only when its content is the same, and a reader can check
that the content is the one the IRI names (the `nanopub` library's verify_trusty does). The
hash is computed here, over the quads of one nanopublication at a time (linear in the release),
the way the trusty URI reference code does it (nanopub.trustyuri.rdf.RdfHasher):

- the nanopublication's own IRI is written `<prefix> ` and its parts (`…#assertion`) `<prefix> #assertion`;
- the quads are sorted by graph, subject, predicate (IRIs as text), then object (IRIs before
  literals; literals by their UTF-8 bytes, then datatype, then language);
- each quad is four lines: graph, subject, predicate, and the object as an IRI, or as
  `@lang text` / `^datatype text` with backslashes and line breaks escaped;
- the hash is SHA-256 of that text, base64url without padding, after "RA".

With a signing key (an RSA private key, PEM or DER, that the user supplies: `build --nanopub-key`),
each nanopublication gets the signature nanopub-java and the `nanopub` library write: a `…#sig`
node in pubinfo with the public key, the algorithm, the signature target, and the RSA PKCS#1 v1.5
signature of the same normalised text; the hash is taken after the signature is added.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Literal
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from . import iris
from .errors import BuildError
from .dataset import DATA_GRAPH
from .named_graphs import Split
from .namespaces import MIRKG, PREFIXES, PROV

NP = "http://www.nanopub.org/nschema#"
NPX = "http://purl.org/nanopub/x/"
PAV = "http://purl.org/pav/"
XSD_STRING = str(XSD.string)

# Claim links that say where a claim comes from rather than what it says: in a claim's
# nanopublication they go to the provenance graph, not the assertion.
CLAIM_PROVENANCE_PREDICATES = {
    MIRKG.hasTextSpan, MIRKG.hasEvidence, MIRKG.hasCitation, MIRKG.citedAs, MIRKG.sourceGivesNoCitation,
    MIRKG.attributedInText, PROV.wasAttributedTo, PROV.wasGeneratedBy, PROV.wasDerivedFrom,
}
_PROVENANCE_PREDICATES = {f"<{p}>".encode() for p in CLAIM_PROVENANCE_PREDICATES}
_ENTITY = str(iris.entity_iri("")).encode()
_NT = {name: f"<{term}>".encode() for name, term in {
    "type": RDF.type, "Nanopublication": NP + "Nanopublication", "hasAssertion": NP + "hasAssertion",
    "hasProvenance": NP + "hasProvenance", "hasPublicationInfo": NP + "hasPublicationInfo",
    "wasDerivedFrom": PROV.wasDerivedFrom, "wasAttributedTo": PROV.wasAttributedTo,
    "attributedInText": MIRKG.attributedInText,
    "created": DCTERMS.created, "license": DCTERMS.license, "creator": DCTERMS.creator,
    "isPartOf": DCTERMS.isPartOf, "label": RDFS.label, "name": FOAF.name, "claimSubject": MIRKG.claimSubject,
    "claimObject": MIRKG.claimObject, "hasTextSpan": MIRKG.hasTextSpan}.items()}

NANOPUB_PREFIXES = {**PREFIXES, "np": NP, "npx": NPX, "pav": PAV, "foaf": str(FOAF)}
# The temporary IRI a claim's nanopublication has until its hash is known; it never reaches the
# release (the `…/np/` namespace only ever holds trusty URIs, whose codes start with "RA").
_TEMPORARY = iris.BASE + "np/-temporary-"


class SigningKey:
    """An RSA private key the user supplies, to sign each nanopublication with."""

    def __init__(self, path: Path):
        from Crypto.PublicKey import RSA

        try:
            self._key = RSA.import_key(Path(path).read_bytes())
        except (OSError, ValueError, IndexError, TypeError) as exc:
            raise BuildError(f"{path}: not a readable RSA private key ({exc}); "
                             "fix: give a PEM or DER RSA private key, e.g. made by `openssl genrsa 2048`") from exc
        if not self._key.has_private():
            raise BuildError(f"{path}: an RSA public key; fix: give the private key, the public one is derived from it")
        self.public_key = base64.b64encode(self._key.publickey().export_key(format="DER")).decode("ascii")

    def sign(self, text: bytes) -> str:
        from Crypto.Hash import SHA256
        from Crypto.Signature import pkcs1_15

        return base64.b64encode(pkcs1_15.new(self._key).sign(SHA256.new(text))).decode("ascii")


def normalised(text: bytes, np_iri: str) -> bytes:
    """The text the trusty URI hash (and the signature) is taken of, as UTF-8: the N-Quads text
    of one nanopublication whose own IRI is np_iri (see the module's docstring). Read line by
    line: every subject, predicate and graph is an IRI, the graph the line's last term; a
    literal with an escape in it is read by Oxigraph, any other is its text between the quotes.
    Compared as UTF-8 bytes, IRIs and values sort as they do as text."""
    own = np_iri.encode()
    parts, prefix = own + b"#", own[:own.rindex(b"/") + 1]
    renamed: dict[bytes, bytes] = {}

    def iri(value: bytes) -> bytes:
        found = renamed.get(value)
        if found is None:
            if value == own:
                found = prefix + b" "
            elif value.startswith(parts):
                found = prefix + b" #" + value[len(parts):]
            else:
                found = value
            renamed[value] = found
        return found

    rows = []
    for line in text.splitlines():
        if not line:
            continue
        s_end = line.index(b" ")
        p_end = line.index(b" ", s_end + 1)
        g_start = line.rindex(b" <")
        if line[0] != 60 or line[s_end + 1] != 60:  # b"<"
            raise BuildError(f"a blank node in nanopublication {np_iri}: the trusty URI needs every node named")
        o = line[p_end + 1:g_start]
        if o[0] == 60:
            value = iri(o[1:-1])
            key = (0, value)
        elif o[0] == 34:  # b'"'
            end = o.rindex(b'"')
            raw, tail = o[1:end], o[end + 1:]
            if b"\\" in raw:
                raw, language, datatype = _literal(o)
            elif tail.startswith(b"@"):
                language, datatype = tail[1:].lower(), b""  # as Oxigraph reads a language tag
            else:
                language, datatype = b"", tail[3:-1] if tail else _XSD_STRING_BYTES
            if language:
                value, key = b"@%s %s" % (language, _escape(raw)), (1, raw, 0, b"", language)
            else:
                value, key = b"^%s %s" % (datatype, _escape(raw)), (1, raw, 1, datatype, b"")
        else:
            raise BuildError(f"a blank node in nanopublication {np_iri}: the trusty URI needs every node named")
        g, s, p = iri(line[g_start + 2:-3]), iri(line[1:s_end - 1]), line[s_end + 2:p_end - 1]
        rows.append(((g, s, p, key), b"%s\n%s\n%s\n%s\n" % (g, s, p, value)))
    rows.sort()  # by key; rows with the same key have the same text
    out, previous = [], None
    for _, row in rows:
        if row != previous:
            out.append(row)
        previous = row
    return b"".join(out)


_XSD_STRING_BYTES = XSD_STRING.encode()


def _escape(value: bytes) -> bytes:
    return value.replace(b"\\", b"\\\\").replace(b"\n", b"\\n")


def _literal(term: bytes) -> tuple[bytes, bytes, bytes]:
    """(value, language, datatype) of a literal in N-Triples form, escapes read by Oxigraph."""
    literal = next(iter(ox.parse(b"<s:s> <s:p> %s ." % term, format=ox.RdfFormat.N_TRIPLES))).object
    return (literal.value.encode("utf-8"), (literal.language or "").encode(),
            b"" if literal.language else literal.datatype.value.encode())


def artefact_code(text: bytes) -> str:
    """The trusty URI artefact code ("RA" module) of normalised text (UTF-8)."""
    return "RA" + base64.urlsafe_b64encode(hashlib.sha256(text).digest()).decode("ascii").rstrip("=")


def _terms(line: bytes) -> tuple[bytes, bytes, bytes]:
    """Subject, predicate and object of an N-Triples line whose subject and predicate are IRIs
    (as every instance triple's are), in their N-Triples form."""
    subject, predicate, rest = line.split(b" ", 2)
    return subject, predicate, rest[:-2].rstrip()


def _lines(split: Split, claims, pubinfo_lines, pubinfo_extra: bytes):
    """Each claim's nanopublication as N-Quads text under its temporary IRI, claims by id:
    (temporary IRI, text): a claim's own node and the nodes minted under it (evidence, span,
    selectors) are its lines in the split (Split.claim_lines); the direct triples between two
    entities are in the data graph, found by their IRIs (mirkg/iris.py)."""
    between: dict[tuple[bytes, bytes], list[bytes]] = defaultdict(list)
    entity = b"<" + _ENTITY
    for line in split.graphs[DATA_GRAPH]:
        if line.startswith(entity) and line.count(_ENTITY) >= 2:
            subject, _, obj = _terms(line)
            between[(subject, obj)].append(line)
    for claim_id, direct in claims:
        claim, np = f"<{iris.claim_iri(claim_id)}>".encode(), f"<{_TEMPORARY}{claim_id}>".encode()
        head, assertion, prov, pubinfo = (b"%s#%s>" % (np[:-1], part)
                                          for part in (b"Head", b"assertion", b"provenance", b"pubinfo"))
        graphs: dict[bytes, set[bytes]] = {head: set(), assertion: set(), prov: set(), pubinfo: set()}
        graphs[head].update({b"%s %s %s" % (np, _NT["type"], _NT["Nanopublication"]),
                             b"%s %s %s" % (np, _NT["hasAssertion"], assertion),
                             b"%s %s %s" % (np, _NT["hasProvenance"], prov),
                             b"%s %s %s" % (np, _NT["hasPublicationInfo"], pubinfo)})
        values: dict[bytes, bytes] = {}
        about_claim = claim + b" "
        for line in split.claim_lines(claim_id):
            triple = line[:-2].rstrip()
            if line.startswith(about_claim):
                _, predicate, obj = triple.split(b" ", 2)
                values.setdefault(predicate, obj)
                graphs[prov if predicate in _PROVENANCE_PREDICATES else assertion].add(triple)
            else:  # its evidence, span and selectors
                graphs[prov].add(triple)
        if direct:
            pair = (values[_NT["claimSubject"]], values[_NT["claimObject"]])
            graphs[assertion].update(line[:-2].rstrip() for line in between[pair])
        graphs[prov].update({b"%s %s %s" % (assertion, _NT["wasDerivedFrom"], values[_NT["hasTextSpan"]]),
                             b"%s %s %s" % (assertion, _NT["wasAttributedTo"], values[_NT["attributedInText"]])})
        label = str(ox.Literal(f"nanopublication of claim {claim_id}")).encode()
        graphs[pubinfo].update(b"%s %s %s" % (np, p, o) for p, o in (*pubinfo_lines, (_NT["label"], label)))
        graphs[pubinfo].add(pubinfo_extra)
        yield np[1:-1].decode(), b"".join(b"%s %s .\n" % (triple, graph) for graph in sorted(graphs)
                                          for triple in sorted(graphs[graph]))


def _renamed(text: bytes, temporary: str, final: str) -> bytes:
    """N-Quads text with the temporary IRI (and its parts, `…#assertion`) renamed, in one pass:
    no other IRI of a nanopublication's text starts with its temporary IRI."""
    return text.replace(b"<%s" % temporary.encode(), b"<%s" % final.encode())


def _signature(text: bytes, np_iri: str, pubinfo: ox.NamedNode, key: SigningKey) -> bytes:
    """The N-Quads of the pubinfo quads that sign the nanopublication whose N-Quads text is
    `text` (nanopub-java's and the nanopub library's form)."""
    sig = ox.NamedNode(np_iri + "#sig")
    sig_quads = [
        ox.Quad(sig, ox.NamedNode(NPX + "hasPublicKey"), ox.Literal(key.public_key), pubinfo),
        ox.Quad(sig, ox.NamedNode(NPX + "hasAlgorithm"), ox.Literal("RSA"), pubinfo),
        ox.Quad(sig, ox.NamedNode(NPX + "hasSignatureTarget"), ox.NamedNode(np_iri), pubinfo),
    ]
    signed = ox.serialize(sig_quads, format=ox.RdfFormat.N_QUADS)
    signature = key.sign(normalised(text + signed, np_iri))
    return signed + ox.serialize([ox.Quad(sig, ox.NamedNode(NPX + "hasSignature"), ox.Literal(signature), pubinfo)],
                                 format=ox.RdfFormat.N_QUADS)


def nanopub_claims(curation) -> tuple[tuple[str, bool], ...]:
    """(claim id, whether its assertion holds the claim's direct triple: an unhedged finding's)
    of every statement, by claim id: all that nanopublication_texts reads of the curation."""
    return tuple(sorted((s.id, not s.hedge and s.statement_type == "finding") for s in curation.statements))


def nanopublications(split: Split, claims, created: str, version: str, key: SigningKey | None = None) -> bytes:
    """nanopublication_texts written as TriG, whole (see write_trig)."""
    return write_trig(nanopublication_texts(split, claims, created, version, key))


def nanopublication_texts(split: Split, claims, created: str, version: str,
                          key: SigningKey | None = None) -> Iterator[bytes]:
    """Each claim as a nanopublication with a trusty URI, as N-Quads text, one per claim, made as
    they are read (never all held: a large release's are half a gigabyte): head,
    assertion, provenance and pubinfo graphs (write_trig writes them as the release's TriG).

    Assertion: what the claim says (the claim node's own triples, and its direct triple when
    the claim has one). Provenance: where it comes from (the claim's span, selectors, evidence,
    citation and attribution; the assertion graph derived from the span and attributed to the
    agent the text names). Pubinfo: licence, creator (the dataset's curators, an agent IRI),
    creation date, the dataset version; the signature when a key is given.

    Nanopublications come in claim id order, each one's quads in graph, subject, predicate,
    object order, so the bytes do not change between runs. No blank nodes here.

    A claim is one quote of one source, so a nanopublication per claim is one per evidence: its
    lines all come from its source's named graph (named_graphs.graph_of), the direct triple from the
    data graph.

    split: the release's named graphs (named_graphs.Split): its claims' lines, and the data graph's;
    claims: nanopub_claims of the curation."""
    from .release import LICENSE

    curators = iris.curators_iri()
    pubinfo_lines = (
        # written as given: rdflib's Literal would rewrite it by a process-wide switch (the nanopub
        # library turns rdflib's normalisation off when imported), and the hash with it
        (_NT["created"], str(ox.Literal(created, datatype=ox.NamedNode(str(XSD.dateTime)))).encode()),
        (_NT["license"], f"<{LICENSE}>".encode()),
        (_NT["creator"], f"<{curators}>".encode()),
        (_NT["isPartOf"], f"<{version}>".encode()),
    )
    # The curators' name, beside the creator link, so that a nanopublication read alone names them.
    name = b"<%s> %s %s" % (str(curators).encode(), _NT["name"], Literal(iris.CURATORS_NAME).n3().encode())
    for temporary, text in _lines(split, claims, pubinfo_lines, name):
        if key is not None:
            text += _signature(text, temporary, ox.NamedNode(temporary + "#pubinfo"), key)
        final = str(iris.nanopub_iri(artefact_code(normalised(text, temporary))))
        yield _renamed(text, temporary, final)


def write_trig(texts: Iterable[bytes], path: Path | None = None) -> bytes | None:
    """The nanopublications' N-Quads texts as one TriG document, in their order: written to
    `path` as it is made (the texts are never joined, nor held when given one at a time), or
    returned when path is None."""
    # Oxigraph writes a prefixed name even when its local part needs escapes, so the project's
    # own namespaces, which prefix those IRIs, stay whole.
    prefixes = {k: v for k, v in NANOPUB_PREFIXES.items() if not v.startswith(str(MIRKG))}
    quads = chain.from_iterable(ox.parse(text, format=ox.RdfFormat.N_QUADS) for text in texts)
    if path is None:
        return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    with open(path, "wb") as file:  # not the path: Oxigraph would fsync it (syntax_dumps.write_dump)
        ox.serialize(quads, file, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    return None
