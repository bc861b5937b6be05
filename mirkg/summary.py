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
OTHER, TYPE, FUNCTIONAL = 0, 1, 2  # what a predicate says, to the summary


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
    namespace, startswith = BASE, str.startswith

    # IRIs are compared as plain texts (str(iri)), in C: rdflib's __eq__ and startswith are
    # Python calls, a million times over, made on every look-up that finds an IRI built apart
    # from the one it is looked up with. A text never equals a blank node or a literal, so
    # mixing texts and those terms in one set keeps distinct terms apart.
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    all_different = str(OWL.AllDifferent)
    roles: dict = {}  # predicate -> what it says; found by identity, the few predicates being shared

    def role(p) -> int:
        if p in (OWL.differentFrom, OWL.sameAs):
            raise ValueError("the instance data states (in)equality of individuals; summarise only without it")
        return TYPE if p == RDF.type else FUNCTIONAL if p in functional else OTHER

    types: dict = defaultdict(set)
    functional_values: dict = defaultdict(set)
    functional_links: dict = defaultdict(set)
    nodes: dict = {}  # an individual's IRI as text -> the IRI
    for s, p, o in triples:
        kind = roles.get(p)
        if kind is None:
            kind = roles[p] = role(p)
        o_text = str(o) if type(o) is URIRef else None
        if o_text == all_different:
            raise ValueError("the instance data states (in)equality of individuals; summarise only without it")
        if type(s) is URIRef:
            s_key = str(s)
            if s_key not in nodes and startswith(s_key, namespace):
                nodes[s_key] = s
        else:
            s_key = s
        if o_text is not None and o_text not in nodes and startswith(o_text, namespace):
            nodes[o_text] = o
        if kind == TYPE:
            types[s_key].add(o if o_text is None else o_text)
        elif kind == FUNCTIONAL:
            if isinstance(o, Literal):
                functional_values[s_key].add((p, o))
            elif o_text is not None and startswith(o_text, namespace):
                functional_links[s_key].add((p, o_text))

    interned: dict = {}

    def intern(key) -> int:
        return interned.setdefault(key, len(interned))

    no_values = frozenset()
    base = {x: intern((frozenset(types.get(x, no_values)), frozenset(functional_values.get(x, no_values))))
            for x in nodes}
    key = dict(base)
    for _ in range(ROUNDS):
        refined = {
            x: intern((base[x], frozenset([(p, key[y]) for p, y in functional_links[x]])
                       if x in functional_links else no_values))
            for x in nodes
        }
        if len(set(refined.values())) == len(set(key.values())):
            key = refined
            break
        key = refined
    members: dict = defaultdict(list)
    for x in nodes:
        members[key[x]].append(x)
    representative = {}  # text -> the IRI standing for it
    for group in members.values():
        rep = nodes[min(group)]  # deterministic, and a real IRI of the data for readable messages
        for x in group:
            representative[x] = rep

    constrained, ranges = _constrained_data_properties(ontology)
    collapsible_cache: dict = {}

    def collapsible(p, datatype, language) -> bool:
        ok = True
        for q in _supers(ontology, p):
            allowed = {RDFS.Literal, datatype} if datatype else {RDFS.Literal}
            if datatype is None and language is None:
                allowed.add(URIRef("http://www.w3.org/2001/XMLSchema#string"))
            if q in constrained or not ranges.get(q, set()) <= allowed:
                ok = False
        return ok

    mapped = set()  # deduplicated here: adding to an rdflib graph costs far more than to a set
    # (representative, property, datatype, language) -> lexical form -> a literal of it: the
    # values of a collapsible property, each once (a copy of the data repeats them)
    collapsed: dict = defaultdict(dict)
    count = 0
    for s, p, o in triples:
        count += 1
        s2 = representative.get(str(s), s) if type(s) is URIRef else s
        if type(o) is Literal:
            datatype, language = o.datatype, o.language
            cache_key = (p, datatype, language)
            ok = collapsible_cache.get(cache_key)
            if ok is None:
                ok = collapsible_cache[cache_key] = collapsible(p, datatype, language)
            if ok and not getattr(o, "ill_typed", False):
                collapsed[(s2, p, datatype, language)].setdefault(str(o), o)
                continue
            mapped.add((s2, p, o))
        else:
            mapped.add((s2, p, representative.get(str(o), o) if type(o) is URIRef else o))
    summary = Graph()
    for triple in mapped:
        summary.add(triple)
    for (s2, p, _, _), values in collapsed.items():
        # the smallest value in N-Triples: the summary is deterministic
        summary.add((s2, p, min(values.values(), key=Literal.n3)))
    stats = {"individuals": len(nodes), "representatives": len(members), "triples": count,
             "summary triples": len(summary)}
    return summary, stats
