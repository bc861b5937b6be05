"""The names the draft recognises: the reference table's confirmed terms, the ontology's labels
and synonyms, and the synonyms data/reference/synonyms.tsv read from the external ontologies'
files, each with the identifier it stands for.

Every identifier here is a row of data/reference/identifiers.tsv (or a label of an ontology term
whose CURIE is one): the draft proposes no identifier from anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SKOS

from ..identifiers import SYNONYM_SCOPES, Reference
from ..ontology import IMPORTS_FILE, ONTOLOGY_FILE, claim_relations, entity_kinds

OBO_IN_OWL = "http://www.geneontology.org/formats/oboInOwl#"
SYNONYMS = [RDFS.label, SKOS.prefLabel, SKOS.altLabel] + [
    URIRef(OBO_IN_OWL + p) for p in ("hasExactSynonym", "hasRelatedSynonym", "hasNarrowSynonym", "hasBroadSynonym")
]
# The entity kinds whose names come from the ontology's terms (miRNAs come from their naming
# grammar, genes from the reference table's symbols and names).
DICTIONARY_KINDS = {"cell_type", "anatomy", "disease", "process", "vesicle"}
# A label "cell migration", "cellular senescence", "extracellular exosome": a text writes the
# bare head word ("migration of MSCs", "exosomes") for the same thing.
GENERIC_LEADS = ("cell population ", "cellular ", "cell ", "extracellular ")

GREEK_WORDS = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa"}
GREEK_LETTERS = {"α": "A", "β": "B", "γ": "G", "δ": "D", "κ": "K"}
_LETTER_DIGIT = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")


@dataclass(frozen=True)
class Term:
    curie: str
    label: str  # the reference table's label
    kind: str  # an entity kind of data/entities.yaml
    written_as: str  # the label or synonym that matched
    how: str  # where the name comes from


@lru_cache(maxsize=65536)
def word_pieces(word: str) -> tuple[str, ...]:
    """One word as name_key spells it: lower case, Greek letters spelled out, letters and digits
    apart."""
    w = "".join(GREEK_WORDS.get(c, c) for c in word).lower()
    return tuple(_LETTER_DIGIT.sub(" ", w).split())


def name_key(words: list[str]) -> str:
    """A name in a form where spelling variants meet: lower case, Greek letters spelled out,
    letters and digits apart ("beta1" = "beta 1"), a final plural s dropped."""
    out = []
    for word in words:
        out.extend(word_pieces(word))
    if out and len(out[-1]) > 3 and out[-1].endswith("s") and not out[-1].endswith("ss"):
        out[-1] = out[-1][:-1]
    return " ".join(out)


def symbol_key(text: str) -> str:
    """A gene symbol or abbreviation in a form where "TGF-β1" = "TGFB1" and "IL-6" = "IL6"."""
    return "".join(GREEK_LETTERS.get(c, c) for c in text if c not in "- ").upper()


_WORDS = re.compile(r"\w+")


def words_of(label: str) -> list[str]:
    return _WORDS.findall(label)


class TermIndex:
    """Names -> terms, read once from the reference table and the ontology."""

    def __init__(self, data_dir: Path, ontology_dir: Path):
        self.reference = Reference(data_dir / "reference")
        terms = self.reference.terms
        self.names: dict[str, Term] = {}  # name_key -> term
        self.heads: dict[str, Term] = {}  # name_key of a bare head word -> term
        self.symbols: dict[str, Term] = {}  # symbol_key -> term
        self.mature: dict[str, str] = {}  # miRBase mature name -> CURIE
        self.precursor: dict[str, str] = {}
        self.mirna_class: Term | None = None
        graph = Graph()
        graph.parse(ontology_dir / ONTOLOGY_FILE, format="turtle")
        if (ontology_dir / IMPORTS_FILE).exists():
            graph.parse(ontology_dir / IMPORTS_FILE, format="turtle")
        self.relations = claim_relations(graph)
        # (identifier prefix, reference row kind) -> the entity kind (the first by name where two share one)
        self.entity_kind = {(k.identifier_prefix, k.identifier_kind): k.name
                            for k in reversed(list(entity_kinds(graph).values())) if k.identifier_prefix}
        for curie, term in terms.items():
            if term.kind == "mature_mirna":
                self.mature[term.label] = curie
            elif term.kind == "precursor_mirna":
                self.precursor[term.label] = curie
            elif term.kind == "sequence" and term.label == "miRNA":
                self.mirna_class = Term(curie, term.label, "mirna_class", term.label, "reference table")
        # genes: the symbol (the row's label) and the name the row's note starts with
        with open(data_dir / "reference" / "identifiers.tsv", encoding="utf-8") as handle:
            for line in handle:
                cells = line.rstrip("\n").split("\t")
                if line.startswith("#") or len(cells) < 3 or cells[0] != "gene":
                    continue
                _, curie, symbol, *rest = cells
                self.symbols[symbol_key(symbol)] = Term(curie, symbol, "gene", symbol, "HGNC symbol (reference table)")
                note = rest[1] if len(rest) > 1 else ""
                name = note.split(";")[0].strip()
                if name and ":" not in name:
                    self.names.setdefault(name_key(words_of(name)),
                                          Term(curie, symbol, "gene", name, "HGNC name (reference table)"))
        # cell types, tissues, diseases, processes, vesicles: the ontology's labels and synonyms,
        # then the reference table's labels of the terms the import module does not hold yet
        # then the synonyms data/reference/synonyms.tsv read from the ontologies' files, closest
        # scope first: a name that is a label stays the label's
        labelled = [(self.reference.converter.compress(str(s)), v,
                     {RDFS.label: "ontology label"}.get(prop, "ontology synonym"))
                    for prop in SYNONYMS for s, v in graph.subject_objects(prop) if isinstance(s, URIRef)]
        labelled += [(c, t.label, "reference table label") for c, t in terms.items()
                     if c.split(":", 1)[0] in self.reference.prefixes]
        labelled += [(s.curie, s.text, f"{s.curie.split(':', 1)[0]} {s.scope.lower()} synonym (data/reference/synonyms.tsv)")
                     for s in sorted(self.reference.synonyms, key=lambda s: SYNONYM_SCOPES.index(s.scope))]
        for curie, value, how in labelled:
            term = terms.get(curie) if curie else None
            kind = self.entity_kind.get((curie.split(":", 1)[0], term.kind)) if term else None
            if kind not in DICTIONARY_KINDS:
                continue
            text = str(value)
            found = Term(curie, term.label, kind, text, how)
            self.names.setdefault(name_key(words_of(text)), found)
            for lead in GENERIC_LEADS:
                if text.startswith(lead) and " " not in text[len(lead):]:
                    self.heads.setdefault(name_key(words_of(text[len(lead):])), found)
        self.max_words = max((len(k.split()) for k in self.names), default=1) + 1

    def label(self, label: str) -> Term | None:
        """The term whose label or synonym is exactly this (as composed: "stem cell proliferation")."""
        return self.names.get(name_key(words_of(label)))
