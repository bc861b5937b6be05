"""The project's IRI scheme, minted and parsed in this one module.

Every node of the instance data has an IRI under https://w3id.org/mirkg/id/ minted from a
curated id, never a blank node, so that two builds give the same graph:

    entity/<id>                       an entity of data/entities.yaml
    claim/<id>                        a claim of data/sources/*/statements.yaml
    claim/<id>/evidence               its evidence
    claim/<id>/span[/position|/quote] the text span it rests on, and its selectors
    claim/<id>/annotation             the Web Annotation whose target is the span, whose body the claim
    reference/<n>, citation/<n>-<m>   a numbered reference, a joint citation
    work/<id>, agent/<id>             a cited work, an agent the text names (or the curators)
    activity/<id>                     an activity of the curation (PROV)
    assertion/<id>                    what claims of several sources say alike (id from its content)
    conflict/<id>                     two claims that disagree (id from the two claims)
    source/<id>                       a source text (data/sources/*/source.yaml)
    np/RA<hash>                       a claim's nanopublication: its trusty URI (mirkg/nanopubs.py)
    query/<name>                      a stored query (queries/catalog.ttl)
"""

from __future__ import annotations

from typing import NamedTuple

from rdflib import URIRef

from .namespaces import ID

BASE = str(ID)

# Where the record behind each kind of node is curated.
RECORD_FILES = {
    "entity": "data/entities.yaml",
    "claim": "data/sources/*/statements.yaml",
    "reference": "data/citations.yaml",
    "citation": "data/citations.yaml",
    "work": "data/citations.yaml",
    "agent": "data/citations.yaml",
    "source": "data/sources/*/source.yaml",
}


def entity_iri(eid: str) -> URIRef:
    return URIRef(f"{BASE}entity/{eid}")


def claim_iri(sid: str) -> URIRef:
    return URIRef(f"{BASE}claim/{sid}")


def evidence_iri(sid: str) -> URIRef:
    return URIRef(f"{BASE}claim/{sid}/evidence")


def span_iri(sid: str, part: str | None = None) -> URIRef:
    """The claim's span, or one of its selectors (part: position or quote)."""
    return URIRef(f"{BASE}claim/{sid}/span" + (f"/{part}" if part else ""))


def annotation_iri(sid: str) -> URIRef:
    return URIRef(f"{BASE}claim/{sid}/annotation")


def activity_iri(name: str) -> URIRef:
    return URIRef(f"{BASE}activity/{name}")


def assertion_iri(aid: str) -> URIRef:
    """What several claims say alike (mirkg.assertions): its id comes from its content."""
    return URIRef(f"{BASE}assertion/{aid}")


def conflict_iri(cid: str) -> URIRef:
    return URIRef(f"{BASE}conflict/{cid}")


def release_file_iri(name: str) -> URIRef:
    """Where a file of this version's release is published (its path in dist/)."""
    from . import __version__  # the version is the package's; imported here to keep iris a leaf

    return URIRef(f"https://w3id.org/mirkg/release/{__version__}/{name}")


def reference_iri(number: int) -> URIRef:
    return URIRef(f"{BASE}reference/{number}")


def joint_iri(numbers: list[int]) -> URIRef:
    return URIRef(f"{BASE}citation/" + "-".join(str(n) for n in numbers))


def work_iri(wid: str) -> URIRef:
    return URIRef(f"{BASE}work/{wid}")


def agent_iri(aid: str) -> URIRef:
    return URIRef(f"{BASE}agent/{aid}")


def source_iri(source_id: str) -> URIRef:
    return URIRef(f"{BASE}source/{source_id}")


def nanopub_iri(artefact_code: str) -> URIRef:
    """A nanopublication's trusty URI: its artefact code is the hash of its content."""
    return URIRef(f"{BASE}np/{artefact_code}")


# The dataset's curators: the agent that creates and publishes the release (the description's
# dct:creator and dct:publisher, the nanopublications' creator), an agent of the dataset's own
# namespace, described where it is used (void.ttl, each nanopublication's pubinfo). No
# organisation outside the project is named: none has been confirmed.
CURATORS_ID = "mirkg-contributors"
CURATORS_NAME = "the mirkg contributors"


def curators_iri() -> URIRef:
    return agent_iri(CURATORS_ID)


def query_iri(name: str) -> URIRef:
    return URIRef(f"{BASE}query/{name}")


class Parsed(NamedTuple):
    kind: str  # entity, claim, reference, ...
    record: str  # the curated id (a claim's for its span and evidence)
    part: str  # what follows the record ("" for the record's own node; "span/quote", "evidence")


def parse(iri: str) -> Parsed | None:
    """The parts of one of the dataset's own IRIs; None for any other IRI."""
    if not iri.startswith(BASE):
        return None
    kind, _, rest = iri[len(BASE):].partition("/")
    if not rest:
        return None
    record, _, part = rest.partition("/")
    return Parsed(kind, record, part)


def local_id(iri: str, kind: str) -> str | None:
    """The curated id of an IRI of this kind's own node (entity/X -> X); None otherwise."""
    parsed = parse(iri)
    if parsed is None or parsed.kind != kind or parsed.part:
        return None
    return parsed.record


def record_of(focus) -> str | None:
    """The curated id behind a node of the instance data: its own, or that of the record it
    belongs to (the claim of a span or an evidence item)."""
    if not isinstance(focus, URIRef):  # a blank node or a literal has no record
        return None
    parsed = parse(str(focus))
    return parsed.record if parsed is not None and parsed.kind in RECORD_FILES else None


def record_file(focus: str) -> str | None:
    parsed = parse(focus)
    return RECORD_FILES.get(parsed.kind) if parsed is not None else None
