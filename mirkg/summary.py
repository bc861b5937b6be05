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
from itertools import chain
from operator import itemgetter

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
    if iter(triples) is triples:  # read twice: a one-pass iterator would leave the second read empty
        triples = list(triples)
    nodes, facts, links, numbering, objects, subjects = _read(ontology, triples)
    label = _classes(facts, links, numbering)
    representative = _representatives(nodes, label)
    summary = _mapped(ontology, triples, objects, subjects, label, representative)
    stats = {"individuals": len(nodes), "representatives": len(representative), "triples": len(objects),
             "summary triples": len(summary)}
    return summary, stats


# The summary is made in two reads of the triples, written for scale 1000 (2.5 million triples,
# 370,000 individuals, most of their IRIs made anew for each triple), where the time goes to
# looking things up in large dictionaries more than to Python's own steps:
#
# * IRIs are looked up as plain texts (str(iri)): a URIRef hashes as its text, but its __eq__ is
#   a Python call, made on every look-up that finds an IRI built apart from the one looked up,
#   and it never equals a plain text. A text never equals a blank node or a literal, so texts
#   and those terms in one set stay apart.
# * Each IRI's text is looked up once, in the first read: what the second read needs of each
#   triple's object, and of each run of triples with one subject, is kept in lists beside the
#   triples (objects, subjects), and the individuals' texts kept there are the very keys of the
#   dictionaries, found again by identity, their hash known.
# * Literals are shared (mirkg.triples makes each value once): what the summary needs of one
#   (rdflib properties; a number for rdflib's equality, whose hash and __eq__ are Python calls)
#   is found once per literal object, by id(); the cache holds the literal, so no id is reused.
# * No set of facts is made per individual (_Numbering).


class _Numbering:
    """Equal keys, one number. An individual's facts are numbered as they grow, a fact at a
    time: the step (number, fact) is looked up, and a set made only the first time, most
    individuals going through the same few sets. The refined classes (_classes) are numbered
    here too, so that none takes the number of a set of facts."""

    def __init__(self) -> None:
        self.numbers: dict = {}
        self.sets: dict = {}  # number -> the set of facts
        self.steps: dict = {}  # (number, fact) -> the number of that set with that fact
        self.empty = self._of_facts(frozenset())

    def __call__(self, key) -> int:
        return self.numbers.setdefault(key, len(self.numbers))

    def _of_facts(self, facts: frozenset) -> int:
        n = self(facts)
        self.sets[n] = facts
        return n

    def step(self, n: int, fact) -> int:
        larger = self.steps[(n, fact)] = self._of_facts(self.sets[n] | {fact})
        return larger


def _read(ontology: Graph, triples) -> tuple[dict, dict, dict, _Numbering, list, list]:
    """The first read: (an individual's IRI as text -> the IRI; -> the number of its facts; ->
    the (functional object property, individual's text) it links to; their numbering; what the
    second read needs of each triple's object, and of each run of triples with one subject).

    Of an object or a subject, the second read needs: an individual's text; for an object, the
    first IRI of the text of an other IRI (so that equal triples are made of the same terms, a
    set compares them by identity), and of a literal (literal, (datatype, language), number,
    well-typed, text); else the term itself."""
    namespace, all_different = BASE, str(OWL.AllDifferent)
    functional = set(ontology.subjects(RDF.type, OWL.FunctionalProperty))
    roles: dict = {}  # predicate -> what it says; found by identity, the few predicates being shared

    def role(p) -> int:
        if p in (OWL.differentFrom, OWL.sameAs):
            raise ValueError("the instance data states (in)equality of individuals; summarise only without it")
        return TYPE if p == RDF.type else FUNCTIONAL if p in functional else OTHER

    nodes: dict = {}
    # An individual's facts are its types (texts, or the term when not an IRI) and the (property,
    # literal's number) of its functional datatype properties, in one set: a pair never equals a
    # term, so the set tells apart what the two kinds would.
    facts: dict = {}
    links: dict = defaultdict(set)
    numbering = _Numbering()
    steps, empty = numbering.steps, numbering.empty
    named: dict = {}  # an IRI's text -> what the second read needs of it (whether an individual: tested once)
    literals: dict = {}  # id(literal) -> what the second read needs of it
    kinds: dict = {}  # (datatype, language) -> one such pair, compared by identity
    literal_numbers: dict = {}
    objects: list = []
    keep = objects.append
    subjects: list = []
    s = s_key = None
    s_node = False
    for subject, p, o in triples:
        if subject is not s:
            s, s_node = subject, False
            if type(s) is URIRef:
                s_key = str(s)
                key = named.get(s_key)
                if key is None and s_key.startswith(namespace):
                    key = named[s_key] = s_key
                    nodes[s_key], facts[s_key] = s, empty
                if type(key) is str:
                    s_key, s_node = key, True
            subjects.append(s_key if s_node else s)
        if type(o) is URIRef:
            text = str(o)
            key = named.get(text)
            if key is None:
                if text == all_different:
                    raise ValueError("the instance data states (in)equality of individuals; summarise only without it")
                if text.startswith(namespace):
                    key = named[text] = text
                    nodes[text], facts[text] = o, empty
                else:
                    key = named[text] = o
        elif type(o) is Literal:
            key = literals.get(id(o))
            if key is None:
                pair = (o.datatype, o.language)
                key = literals[id(o)] = (o, kinds.setdefault(pair, pair),
                                         literal_numbers.setdefault(o, len(literal_numbers)), not o.ill_typed, str(o))
        else:
            key = o
        keep(key)
        try:  # cheaper than roles.get(p), a new predicate being rare
            kind = roles[p]
        except KeyError:
            kind = roles[p] = role(p)
        if kind == OTHER or not s_node:
            continue
        if kind == TYPE:
            fact = text if type(o) is URIRef else o
        elif type(key) is str:  # an individual
            links[s_key].add((p, key))
            continue
        elif type(key) is tuple:  # a literal
            fact = (p, key[2])
        elif isinstance(o, Literal):
            fact = (p, literal_numbers.setdefault(o, len(literal_numbers)))
        else:
            continue
        n = steps.get((facts[s_key], fact))
        if n is None:
            n = numbering.step(facts[s_key], fact)
        facts[s_key] = n
    return nodes, facts, links, numbering, objects, subjects


def _classes(facts: dict, links: dict, numbering: _Numbering) -> dict:
    """An individual's text -> its class: individuals with the same facts and, refined a few
    rounds, the same classes behind each functional object property share one."""
    label = facts.copy()
    # Only the individuals with links change class; the others keep the number of their facts.
    # A round splits classes and never merges them: as many classes, the same classes. And when
    # no link leads to an individual with links, no class behind a link changes: one round.
    count = len({facts[x] for x in links})
    targets = set(map(itemgetter(1), chain.from_iterable(links.values())))
    for _ in range(1 if targets.isdisjoint(links) else ROUNDS):
        refined = {x: numbering((facts[x], frozenset([(p, label[y]) for p, y in out]))) for x, out in links.items()}
        label.update(refined)
        classes = len(set(refined.values()))
        if classes == count:
            break
        count = classes
    return label


def _representatives(nodes: dict, label: dict) -> dict:
    """A class -> the IRI standing for its individuals: of the smallest text, for a summary that
    is deterministic, a real IRI of the data for readable messages."""
    smallest: dict = {}
    for x, k in label.items():
        first = smallest.setdefault(k, x)
        if x < first:
            smallest[k] = x
    return {k: nodes[x] for k, x in smallest.items()}


def _mapped(ontology: Graph, triples, objects: list, subjects: list, label: dict, representative: dict) -> Graph:
    """The second read: every triple mapped through the representatives, the values of
    collapsible properties collapsed."""
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
    kept: dict = {}  # (representative, property, literal's number) -> its first literal
    # (representative, property, (datatype, language)) -> lexical form -> a literal of it: the
    # values of a collapsible property, each once (a copy of the data repeats them)
    collapsed: dict = defaultdict(dict)
    runs = iter(subjects)
    s = s2 = None
    for (subject, p, _), key in zip(triples, objects):
        if subject is not s:  # a run, as in the first read
            s, s2 = subject, next(runs)
            if type(s2) is str:
                s2 = representative[label[s2]]
        if type(key) is str:  # an individual
            mapped.add((s2, p, representative[label[key]]))
        elif type(key) is tuple:  # a literal
            o, kind, number, well_typed, text = key
            ok = collapsible_cache.get((p, kind))
            if ok is None:
                ok = collapsible_cache[(p, kind)] = collapsible(p, *kind)
            if ok and well_typed:
                collapsed[(s2, p, kind)].setdefault(text, o)
            else:
                kept.setdefault((s2, p, number), o)
        else:
            mapped.add((s2, p, key))
    summary = Graph()
    for triple in mapped:
        summary.add(triple)
    for (s2, p, _), o in kept.items():
        summary.add((s2, p, o))
    for (s2, p, _), values in collapsed.items():
        # the smallest value in N-Triples: the summary is deterministic
        summary.add((s2, p, min(values.values(), key=Literal.n3)))
    return summary
