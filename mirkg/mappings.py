"""SSSOM mapping sets (ontology/mappings/*.sssom.tsv) read and turned into RDF for the release.

Each file is an SSSOM table with its YAML metadata block (the lines starting with '#'). The
build reads it with csv and PyYAML only, and writes the SSSOM RDF form: for each row an
owl:Axiom annotating the mapping (subject, predicate, object, justification, labels, comment;
the same triples the `sssom` package writes, which tests/test_mappings.py checks), plus the
mapping itself as one direct skos:*Match triple, so that a SPARQL user can follow it from the
data. Rows whose object is sssom:NoTermFound say that the target has nothing close: they are
kept as axioms but never written as a direct triple.
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml
from rdflib import XSD, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from .release import sorted_ntriples, turtle

MAPPINGS_DIR = "mappings"  # under ontology/
SUFFIX = ".sssom.tsv"
SSSOM = "https://w3id.org/sssom/"
NO_TERM_FOUND = SSSOM + "NoTermFound"
SKOS = "http://www.w3.org/2004/02/skos/core#"
MATCH_PREDICATES = {SKOS + p for p in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")}
ENTITY_TYPES = {
    "owl class": OWL.Class,
    "owl object property": OWL.ObjectProperty,
    "owl data property": OWL.DatatypeProperty,
    "owl annotation property": OWL.AnnotationProperty,
}
# Set-level slots copied onto every mapping (SSSOM "propagatable" slots), as the sssom package does.
PROPAGATED = ("subject_source", "subject_source_version", "object_source", "object_source_version")


@dataclass(frozen=True)
class MappingSet:
    path: Path
    metadata: dict
    rows: list[dict[str, str]]

    @property
    def name(self) -> str:
        return self.path.name[: -len(SUFFIX)]

    @property
    def curie_map(self) -> dict[str, str]:
        return self.metadata["curie_map"]

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        if prefix not in self.curie_map:
            raise ValueError(f"{self.path}: the prefix of '{curie}' is not in the curie_map")
        return self.curie_map[prefix] + local


def read_mapping_set(path: Path) -> MappingSet:
    lines = path.read_text(encoding="utf-8").splitlines()
    header = [ln[1:] for ln in lines if ln.startswith("#")]
    body = [ln for ln in lines if ln and not ln.startswith("#")]
    metadata = yaml.safe_load("\n".join(h[1:] if h.startswith(" ") else h for h in header)) or {}
    rows = list(csv.DictReader(body, delimiter="\t", quoting=csv.QUOTE_NONE))
    return MappingSet(path, metadata, rows)


def load_mapping_sets(ontology_dir: Path) -> list[MappingSet]:
    return [read_mapping_set(p) for p in sorted((ontology_dir / MAPPINGS_DIR).glob("*" + SUFFIX))]


def mapping_graph(sets: list[MappingSet]) -> Graph:
    """The SSSOM RDF form of the mapping sets, with one direct skos triple per real mapping."""
    g = Graph()
    g.bind("sssom", SSSOM)
    g.bind("skos", SKOS)
    g.bind("semapv", "https://w3id.org/semapv/vocab/")
    for s in sets:
        for prefix, namespace in s.curie_map.items():
            g.bind(prefix, namespace)
        _set_triples(g, s)
    return g


def _set_triples(g: Graph, s: MappingSet) -> None:
    m = s.metadata
    node = URIRef(m["mapping_set_id"])
    g.add((node, RDF.type, URIRef(SSSOM + "MappingSet")))
    g.add((node, DCTERMS.license, URIRef(m["license"])))
    for key, prop in (("mapping_set_title", DCTERMS.title), ("mapping_set_description", DCTERMS.description)):
        if m.get(key):
            g.add((node, prop, Literal(m[key])))
    if m.get("mapping_set_version"):
        g.add((node, OWL.versionInfo, Literal(str(m["mapping_set_version"]))))
    for creator in m.get("creator_label") or []:
        g.add((node, URIRef(SSSOM + "creator_label"), Literal(creator)))
    for row in s.rows:
        subject, predicate, obj = (URIRef(s.expand(row[k])) for k in ("subject_id", "predicate_id", "object_id"))
        if str(predicate) not in MATCH_PREDICATES:
            raise ValueError(f"{s.path}: {row['subject_id']}: '{row['predicate_id']}' is not a SKOS mapping predicate")
        # Labelled from the mapping set and the whole row, so that the labels are a function of
        # the content, and the files the same from one build to the next.
        content = json.dumps([m["mapping_set_id"], row], sort_keys=True).encode("utf-8")
        axiom = BNode("mapping" + hashlib.sha256(content).hexdigest()[:32])
        g.add((node, URIRef(SSSOM + "mappings"), axiom))
        g.add((axiom, RDF.type, OWL.Axiom))
        g.add((axiom, OWL.annotatedSource, subject))
        g.add((axiom, OWL.annotatedProperty, predicate))
        g.add((axiom, OWL.annotatedTarget, obj))
        g.add((axiom, URIRef(SSSOM + "mapping_justification"), URIRef(s.expand(row["mapping_justification"]))))
        for key in ("subject_label", "object_label"):
            if row.get(key):
                g.add((axiom, URIRef(SSSOM + key), Literal(row[key])))
        if row.get("subject_type"):
            g.add((axiom, URIRef(SSSOM + "subject_type"), ENTITY_TYPES[row["subject_type"]]))
        if row.get("comment"):
            g.add((axiom, RDFS.comment, Literal(row["comment"])))
        if m.get("mapping_date"):
            g.add((axiom, DCTERMS.created, Literal(str(m["mapping_date"]), datatype=XSD.date)))
        for key in PROPAGATED:
            value = m.get(key)
            if value is None:
                continue
            term = URIRef(s.expand(value)) if key.endswith("_source") else Literal(str(value))
            g.add((axiom, URIRef(SSSOM + key), term))
        if str(obj) != NO_TERM_FOUND:
            g.add((subject, predicate, obj))


def mapping_files(sets: list[MappingSet]) -> dict[str, bytes]:
    """dist/mappings.ttl and .nt (the SSSOM RDF form, to load beside the data) and the tables."""
    graph = mapping_graph(sets)  # its blank node labels come from the content
    files = {"mappings.ttl": turtle(graph), "mappings.nt": sorted_ntriples(graph)}
    for s in sets:
        files[f"mappings/{s.path.name}"] = s.path.read_bytes()
    return files


def direct_mapping_graph(sets: list[MappingSet]) -> Graph:
    """Only the direct skos:*Match triples of the mapping sets (no axioms, no blank nodes): what a
    store of data + ontology needs for queries 80 and 81 to follow the mappings. The build merges
    them into the ontology graph, with the skos properties declared as annotation properties so
    that the whole stays OWL 2 DL (tests/test_ontology.py checks the profile, HermiT the rest)."""
    g = Graph()
    for t in mapping_graph(sets):
        if str(t[1]) in MATCH_PREDICATES:
            g.add(t)
            g.add((t[1], RDF.type, OWL.AnnotationProperty))  # declared, so that the whole stays OWL 2 DL
    return g
