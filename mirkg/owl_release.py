"""The ontology's release artefacts for OWL tools (Protégé, ROBOT, the OWL API, owlready2),
after the OBO Ontology Development Kit's release conventions.

- ``ontology.owl`` (RDF/XML) and ``ontology.ttl`` (Turtle): the ontology with its import module
  merged in, and the mapping links. The ``owl:imports`` of the import module is removed, not
  redirected: its IRI (https://w3id.org/mirkg/ontology/imports/external) is answered by no
  server, and a redirect to a file beside the release would still need a catalog or network in
  the user's tool. Merged, each file opens alone, offline, with the default settings of any tool,
  as ODK's main release files do; the module's own header is dropped with it, since one document
  holds one ontology.
- ``mirkg-base.owl``: the project's own axioms only (every triple about a term of the
  https://w3id.org/mirkg/ namespace, and the disjointness axioms between them); external terms
  are declared and nothing more, so that another ontology can import it without taking over
  our copy of their labels. It is the file to import.
- ``mirkg-full.owl``: the merged ontology with its classification written out: every named
  superclass HermiT entails for a named class, direct or not, is asserted, so that a user who
  runs no reasoner still sees the whole hierarchy. HermiT runs on the ontology alone (no data).

Each file says which artefact it is in its header: owl:versionIRI, owl:versionInfo,
dcterms:license, dcterms:title and dcterms:description. All share the ontology IRI; the version
IRI tells them apart. The bytes depend only on the input: triples are sorted and blank nodes
carry labels computed from their content (mirkg.ontology.load_ontology), so two builds write the same files.
"""

from __future__ import annotations


import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from . import __version__
from .errors import BuildError
from .imports import IMPORT_IRI
from .namespaces import MIRKG, ONTOLOGY_IRI, PREFIXES
from .reasoning import InconsistentOntology, check_consistency
from .release import LICENSE, graph_of_ntriples, sorted_ntriples

ONTOLOGY = URIRef(ONTOLOGY_IRI)
DECLARATION_TYPES = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                     OWL.NamedIndividual, RDFS.Datatype)
HEADER_PREDICATES = (OWL.versionIRI, OWL.versionInfo, DCTERMS.license, DCTERMS.title, DCTERMS.description)

# file -> (version IRI below the ontology's, title suffix, what the description adds). The
# RDF/XML and Turtle copies are one ontology in two syntaxes: the same triples, header included.
MERGED = ("This file: the ontology with its import module merged in (nothing to fetch) and the mappings' "
          "skos:*Match links.")
ARTEFACTS = {
    "ontology.owl": ("", "", MERGED),
    "ontology.ttl": ("", "", MERGED),
    "mirkg-base.owl": ("mirkg-base.owl", " (base)",
                       ("This file: the project's own axioms only; external terms are declared, not axiomatised. "
                        "Import it into another ontology.")),
    "mirkg-full.owl": ("mirkg-full.owl", " (full)",
                       ("This file: the ontology with its import module merged in and its classification "
                        "asserted: every named superclass HermiT entails is written out.")),
}
NOT_CLASSIFIED = ("Built with --skip-reasoning: HermiT did not run, so the classification is NOT written "
                  "out; only the asserted superclasses are here.")


def owl_release_files(ontology: Graph, classify: bool = True) -> dict[str, bytes]:
    """The OWL artefacts of the release, file name -> bytes, from the ontology graph as the build
    loads it (mirkg.ttl, its import module and the mapping links). `classify` False (a build with
    --skip-reasoning) writes mirkg-full.owl without the inferred superclasses, and says so."""
    artefacts = OwlArtefacts(ontology)
    return artefacts.files(hermit_hierarchy(artefacts.merged) if classify else None)


class OwlArtefacts:
    """The OWL artefacts, made in two steps: at once, those that need no reasoner; the full file
    once HermiT's classification is known (files), from a run on the ontology alone
    (hermit_hierarchy) or from the build's run on the ontology and the data's summary, which
    classifies alike (mirkg.reasoning.classified_alike_with_data)."""

    def __init__(self, ontology: Graph):
        self.merged = self_contained(ontology)
        self._files = {name: _written(name, with_header(graph, name))
                       for name, graph in (("ontology.owl", self.merged), ("ontology.ttl", self.merged),
                                           ("mirkg-base.owl", base(self.merged)))}

    def files(self, hierarchy: dict[URIRef, set[URIRef]] | None) -> dict[str, bytes]:
        """Every artefact; hierarchy: HermiT's named class hierarchy (mirkg.reasoning.named_hierarchy),
        or None when HermiT did not run (the full file then says it is not classified)."""
        full = self.merged + Graph()
        if hierarchy is not None:
            for sub, sup in sorted(inferred_superclasses(self.merged, hierarchy)):
                full.add((sub, RDFS.subClassOf, sup))
        note = "" if hierarchy is not None else NOT_CLASSIFIED
        return {**self._files, "mirkg-full.owl": _written("mirkg-full.owl", with_header(full, "mirkg-full.owl", note))}


def _written(name: str, headed: Graph) -> bytes:
    return turtle(headed) if name.endswith(".ttl") else rdfxml(headed)


# ------------------------------------------------------------------------------------------------
# Merging


def self_contained(ontology: Graph) -> Graph:
    """The ontology with the import module's triples already in it and its owl:imports removed.
    Any other import would be left pointing nowhere, so it stops the build."""
    if (IMPORT_IRI, RDF.type, OWL.Ontology) not in ontology:
        raise BuildError(f"the ontology graph does not hold the import module {IMPORT_IRI}: cannot merge it")
    out = _copy(ontology)
    out.remove((None, OWL.imports, IMPORT_IRI))
    out.remove((IMPORT_IRI, None, None))
    others = sorted(str(o) for o in out.objects(None, OWL.imports))
    if others:
        raise BuildError(f"the ontology imports {', '.join(others)}, which the release does not merge")
    return out


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace, override=True, replace=True)
    for triple in graph:
        out.add(triple)
    return out


# ------------------------------------------------------------------------------------------------
# Base


def is_own(term) -> bool:
    return isinstance(term, URIRef) and str(term).startswith(str(MIRKG))


def base(merged: Graph) -> Graph:
    """The own axioms and the declarations of external terms (ODK's base module)."""
    out = _copy(Graph())
    for subject in set(merged.subjects()):
        if is_own(subject) or (isinstance(subject, BNode) and _is_root(merged, subject)):
            axiom = _with_blank_objects(merged, subject)
            # A blank-node axiom (AllDisjointClasses) is ours when it is about our terms.
            if is_own(subject) or any(is_own(t) for triple in axiom for t in triple):
                for triple in axiom:
                    out.add(triple)
    for term, kind in merged.subject_objects(RDF.type):
        if isinstance(term, URIRef) and not is_own(term) and kind in DECLARATION_TYPES:
            out.add((term, RDF.type, kind))
    return out


def _is_root(graph: Graph, node: BNode) -> bool:
    return next(iter(graph.subjects(None, node)), None) is None


def _with_blank_objects(graph: Graph, subject) -> set[tuple]:
    """The subject's triples and those of the blank nodes they reach (class expressions, lists)."""
    triples, todo, seen = set(), [subject], set()
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        for p, o in graph.predicate_objects(node):
            triples.add((node, p, o))
            if isinstance(o, BNode):
                todo.append(o)
    return triples


# ------------------------------------------------------------------------------------------------
# Full: the classification


def inferred_superclasses(merged: Graph, parents: dict[URIRef, set[URIRef]]) -> set[tuple[URIRef, URIRef]]:
    """(class, superclass) pairs of named classes that HermiT entails and the graph does not
    assert. HermiT reports the direct hierarchy (parents, mirkg.reasoning.named_hierarchy); its
    transitive closure is every entailed subsumption between named classes (owl:Thing,
    trivially above all, left out)."""
    asserted = set(merged.subject_objects(RDFS.subClassOf))
    inferred = set()
    for cls in parents:
        for sup in _ancestors(parents, cls):
            if sup != cls and sup != OWL.Thing and (cls, sup) not in asserted:
                inferred.add((cls, sup))
    return inferred


def _ancestors(parents: dict[URIRef, set[URIRef]], cls: URIRef) -> set[URIRef]:
    found, todo = set(), [cls]
    while todo:
        for sup in parents.get(todo.pop(), ()):
            if sup not in found:
                found.add(sup)
                todo.append(sup)
    return found


def hermit_hierarchy(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """The named class hierarchy HermiT classifies for the ontology alone (no data)."""
    try:
        return check_consistency(graph)
    except InconsistentOntology:
        raise InconsistentOntology("HermiT finds the ontology (without data) inconsistent") from None


# ------------------------------------------------------------------------------------------------
# Header and serialisation


def version_iri(name: str) -> URIRef:
    path = ARTEFACTS[name][0]
    return URIRef(f"{ONTOLOGY}/{__version__}" + (f"/{path}" if path else ""))


def with_header(graph: Graph, name: str, note: str = "") -> Graph:
    """The graph with the header of the named artefact: the ontology's title and description
    (from mirkg.ttl) qualified for this file, the release's version and licence."""
    source_version = graph.value(ONTOLOGY, OWL.versionInfo)
    if source_version is None or str(source_version) != __version__:
        raise BuildError(f"ontology/mirkg.ttl says owl:versionInfo {source_version!s}, the release is "
                         f"{__version__}: update the ontology's header (versionInfo and versionIRI)")
    _, suffix, what = ARTEFACTS[name]
    title, description = graph.value(ONTOLOGY, DCTERMS.title), graph.value(ONTOLOGY, DCTERMS.description)
    out = _copy(graph)
    for predicate in HEADER_PREDICATES:
        out.remove((ONTOLOGY, predicate, None))
    out.add((ONTOLOGY, OWL.versionIRI, version_iri(name)))
    out.add((ONTOLOGY, OWL.versionInfo, Literal(__version__)))
    out.add((ONTOLOGY, DCTERMS.license, LICENSE))
    out.add((ONTOLOGY, DCTERMS.title, Literal(f"{title}{suffix}", lang=title.language)))
    text = " ".join(part for part in (str(description), what, note) if part)
    out.add((ONTOLOGY, DCTERMS.description, Literal(text, lang=description.language)))
    return out


def ntriples(graph: Graph) -> bytes:
    """Sorted N-Triples of a graph cut from the ontology, whose blank node labels are a function of
    its content (mirkg.ontology.load_ontology)."""
    return sorted_ntriples(graph)


def rdfxml(graph: Graph) -> bytes:
    triples = [q.triple for q in ox.parse(ntriples(graph), format=ox.RdfFormat.N_TRIPLES)]
    return ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)


def turtle(graph: Graph) -> bytes:
    """rdflib's Turtle of the graph, its blank node labels kept, so the bytes do not change."""
    out = _copy(Graph())
    for triple in graph_of_ntriples(ntriples(graph)):
        out.add(triple)
    return out.serialize(format="turtle", encoding="utf-8")
