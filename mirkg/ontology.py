"""The ontology as the build needs it: the graph, and the relations curators may use."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS

from .errors import BuildError
from .namespaces import MIRKG

ONTOLOGY_FILE = "mirkg.ttl"
IMPORTS_FILE = Path("imports") / "external.ttl"


def load_ontology(directory: Path) -> Graph:
    """The ontology and its import module, as one graph.

    Blank nodes (class unions, disjointness axioms) get labels computed from their content, so
    that every serialisation of the ontology is the same from one run to the next.
    """
    parsed = Graph()
    parsed.parse(directory / ONTOLOGY_FILE, format="turtle")
    imports = directory / IMPORTS_FILE
    if imports.exists():
        parsed.parse(imports, format="turtle")
    graph = Graph()
    for prefix, namespace in parsed.namespaces():
        graph.bind(prefix, namespace)
    graph += to_canonical_graph(parsed)
    return graph


@dataclass
class Relation:
    name: str  # as curators write it
    iri: URIRef
    label: str
    direction_use: str  # required | optional | none
    direct_forms: dict[URIRef, URIRef] = field(default_factory=dict)  # direction -> property

    def direct_property(self, direction: URIRef | None) -> URIRef:
        """The property of the direct triple for an unhedged claim with this direction."""
        if direction is not None and direction in self.direct_forms:
            return self.direct_forms[direction]
        return self.iri


def claim_relations(ontology: Graph) -> dict[str, Relation]:
    relations: dict[str, Relation] = {}
    for iri, name in ontology.subject_objects(MIRKG.curationName):
        if (iri, RDF.type, OWL.ObjectProperty) not in ontology:
            continue  # an entity kind (a class), not a relation
        relations[str(name)] = Relation(
            name=str(name),
            iri=iri,
            label=str(ontology.value(iri, RDFS.label)),
            direction_use=str(ontology.value(iri, MIRKG.directionUse) or "none"),
        )
    by_iri = {r.iri: r for r in relations.values()}
    for form, base in ontology.subject_objects(MIRKG.directFormOf):
        direction = ontology.value(form, MIRKG.forDirection)
        if base in by_iri and direction is not None:
            by_iri[base].direct_forms[direction] = form
    return relations


def label_of(ontology: Graph, iri: URIRef) -> str:
    value = ontology.value(iri, RDFS.label)
    return str(value) if value is not None else str(iri)


@dataclass(frozen=True)
class EntityKind:
    """A kind of entity as curators write it in data/entities.yaml, read from the ontology class
    that carries it as mirkg:curationName."""

    name: str
    iri: URIRef
    identifier_prefix: str | None  # the CURIE prefix an identifier of this kind must have
    identifier_kind: str | None  # the kind of row of data/reference/identifiers.tsv it must be
    biolink_category: str  # the category of its nodes in the KGX export


def entity_kinds(ontology: Graph) -> dict[str, EntityKind]:
    """The entity kinds, sorted by name so that whatever lists them lists them the same way."""
    kinds: dict[str, EntityKind] = {}
    for iri, name in ontology.subject_objects(MIRKG.curationName):
        if (iri, RDF.type, OWL.Class) not in ontology:
            continue
        prefix = ontology.value(iri, MIRKG.identifierPrefix)
        row_kind = ontology.value(iri, MIRKG.identifierKind)
        category = ontology.value(iri, MIRKG.biolinkCategory)
        if (prefix is None) != (row_kind is None) or category is None:
            raise BuildError(
                f"the entity kind {iri} needs mirkg:biolinkCategory, and mirkg:identifierPrefix with "
                "mirkg:identifierKind or neither"
            )
        kinds[str(name)] = EntityKind(
            str(name), iri, str(prefix) if prefix is not None else None,
            str(row_kind) if row_kind is not None else None, str(category),
        )
    return dict(sorted(kinds.items()))
