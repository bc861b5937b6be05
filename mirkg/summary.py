"""OWL consistency at scale: HermiT on a homomorphic summary of the instance data.

HermiT on the whole graph grows faster than linearly (about 20 s at scale 10 on this machine,
out of reach at scale 1000). The summary keeps the verdict sound:

* every individual of the instance data (an IRI of the mirkgid: namespace) is mapped to a
  representative: individuals with the same asserted types, the same values of functional
  datatype properties and (refined a few rounds) the same kind of node behind each functional
  object property share one. Ontology terms and external IRIs map to themselves.
* every triple is mapped through that map. So the map is a homomorphism from the data to the
  summary, and it fixes every IRI the ontology names.

If ontology + summary has a model, so has ontology + data: interpret each individual as its
representative. Class and property assertions hold because their images hold, and the TBox
does not mention the individuals mapped (OWL has no unique name assumption; the instance data has
no owl:differentFrom, which this module checks). So "the summary is consistent" proves "the data
is consistent". The converse need not hold (merging may put two values on a functional property),
so when HermiT finds the summary inconsistent, the caller falls back to HermiT on everything,
which gives the verdict and the message.

Literals: a value of a datatype property that the ontology leaves unconstrained (not functional,
in no restriction, key or property disjointness, its range absent, rdfs:Literal or the literal's
own datatype; checked through its super-properties) can only type its subject by the property's
domain, and a well-typed literal of that datatype is in the range whatever its value. For such a
property one well-typed value per (representative, property, datatype, language) is kept.
Everything else is kept as it is.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .bulk import gc_paused
from .iris import BASE

ROUNDS = 4  # refinement rounds over functional object properties (stops early when stable)


def _constrained_data_properties(ontology: Graph) -> tuple[set, dict]:
    """(properties whose values must be kept, declared ranges by property)."""
    constrained = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    constrained |= set(ontology.objects(None, OWL.onProperty))
    constrained |= set(ontology.subjects(OWL.propertyDisjointWith, None))
    constrained |= set(ontology.objects(None, OWL.propertyDisjointWith))
    for keys in ontology.objects(None, OWL.hasKey):
        constrained |= set(ontology.items(keys))
    for node in ontology.subjects(RDF.type, OWL.AllDisjointProperties):
        constrained |= set(ontology.items(ontology.value(node, OWL.members)))
    ranges = defaultdict(set)
    for p, r in ontology.subject_objects(RDFS.range):
        ranges[p].add(r)
    return constrained, ranges


def _supers(ontology: Graph, p) -> set:
    return set(ontology.transitive_objects(p, RDFS.subPropertyOf))


@gc_paused()
def summarise(ontology: Graph, triples) -> tuple[Graph, dict]:
    """The summary graph of the instance triples and what it merged."""
    namespace = BASE

    def individual(term) -> bool:
        return type(term) is URIRef and term.startswith(namespace)

    # Terms compared by set membership and type checks by `type(x) is`, not `==` and
    # isinstance: rdflib's __eq__ and namespace look-ups are Python calls, a million times over.
    rdf_type = {RDF.type}
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    types: dict = defaultdict(set)
    functional_values: dict = defaultdict(set)
    functional_links: dict = defaultdict(set)
    nodes = set()
    equality = {OWL.differentFrom, OWL.sameAs}
    all_different = {OWL.AllDifferent}
    for s, p, o in triples:
        if p in equality or (type(o) is URIRef and o in all_different):
            raise ValueError("the instance data states (in)equality of individuals; summarise only without it")
        if s not in nodes and individual(s):
            nodes.add(s)
        if type(o) is URIRef and o not in nodes and individual(o):
            nodes.add(o)
        if p in rdf_type:
            types[s].add(o)
        elif p in functional and isinstance(o, Literal):
            functional_values[s].add((p, o))
        elif p in functional and individual(o):
            functional_links[s].add((p, o))

    interned: dict = {}

    def intern(key) -> int:
        return interned.setdefault(key, len(interned))

    base = {x: intern((frozenset(types[x]), frozenset(functional_values[x]))) for x in nodes}
    key = dict(base)
    for _ in range(ROUNDS):
        refined = {
            x: intern((base[x], frozenset((p, key[y]) for p, y in functional_links[x]))) for x in nodes
        }
        if len(set(refined.values())) == len(set(key.values())):
            key = refined
            break
        key = refined
    members: dict = defaultdict(list)
    for x in nodes:
        members[key[x]].append(x)
    representative = {}
    for group in members.values():
        rep = min(group)  # deterministic, and a real IRI of the data for readable messages
        for x in group:
            representative[x] = rep

    constrained, ranges = _constrained_data_properties(ontology)
    collapsible_cache: dict = {}

    def collapsible(p, literal: Literal) -> bool:
        cache_key = (p, literal.datatype, literal.language)
        if cache_key not in collapsible_cache:
            ok = True
            for q in _supers(ontology, p):
                allowed = {RDFS.Literal, literal.datatype} if literal.datatype else {RDFS.Literal}
                if literal.datatype is None and literal.language is None:
                    allowed.add(URIRef("http://www.w3.org/2001/XMLSchema#string"))
                if q in constrained or not ranges.get(q, set()) <= allowed:
                    ok = False
            collapsible_cache[cache_key] = ok
        return collapsible_cache[cache_key] and not getattr(literal, "ill_typed", False)

    mapped = set()  # deduplicated here: adding to an rdflib graph costs far more than to a set
    kept_literal: dict = {}
    count = 0
    for s, p, o in triples:
        count += 1
        s2 = representative.get(s, s)
        if type(o) is Literal:
            if collapsible(p, o):
                slot = (s2, p, o.datatype, o.language)
                kept = kept_literal.get(slot)
                if kept is None or o.n3() < kept[0]:
                    kept_literal[slot] = (o.n3(), o)  # the smallest value: the summary is deterministic
                continue
            mapped.add((s2, p, o))
        else:
            mapped.add((s2, p, representative.get(o, o)))
    summary = Graph()
    for triple in mapped:
        summary.add(triple)
    for (s2, p, _, _), (_, o) in kept_literal.items():
        summary.add((s2, p, o))
    stats = {"individuals": len(nodes), "representatives": len(members), "triples": count,
             "summary triples": len(summary)}
    return summary, stats
