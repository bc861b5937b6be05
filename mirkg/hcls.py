"""Checks of a dataset description against the W3C HCLS Community Profile's requirement table
(https://www.w3.org/TR/hcls-dataset/, section 5), one SPARQL query per row and level.

The table is ontology/checks/hcls/requirements.tsv, copied from the profile. A description's
nodes are put at the profile's three levels by how they are linked (its Figure 1):

- summary: what a version is a version of (dct:isVersionOf), or what has a current version;
- version: what is a version of something, is some summary's current version, or has distributions;
- distribution: what a version lists as a dcat:distribution.

Each query returns one row per failure (no row, no failure), as the ontology checks do:
MUST: a node of the level without any of the row's properties; MUST NOT (and SHOULD NOT): a node
with one; the row's value type: a value of another kind. The build stops on a MUST, MUST NOT or
value failure; SHOULD and SHOULD NOT failures are reported (hcls_gaps).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import BuildError

REQUIREMENTS = Path("checks") / "hcls" / "requirements.tsv"  # under the ontology folder
LEVELS = ("summary", "version", "distribution")

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#", "dct": "http://purl.org/dc/terms/",
    "dctypes": "http://purl.org/dc/dcmitype/", "dcat": "http://www.w3.org/ns/dcat#", "void": "http://rdfs.org/ns/void#",
    "pav": "http://purl.org/pav/", "foaf": "http://xmlns.com/foaf/0.1/", "schemaorg": "http://schema.org/",
    "idot": "http://identifiers.org/idot/", "cito": "http://purl.org/spar/cito/", "prov": "http://www.w3.org/ns/prov#",
    "sio": "http://semanticscience.org/resource/",
}
_HEADER = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())

LEVEL_PATTERN = {
    "summary": "{ ?node pav:hasCurrentVersion ?_x } UNION { ?_x dct:isVersionOf ?node }",
    "version": "{ ?node dct:isVersionOf ?_x } UNION { ?_x pav:hasCurrentVersion ?node } UNION { ?node dcat:distribution ?_x }",
    "distribution": "?_x dcat:distribution ?node .",
}
_DECIMALS = ("decimal", "integer", "nonNegativeInteger", "positiveInteger", "long", "int")
_DATES = ("date", "dateTime", "gYearMonth", "gYear")
VALUE_TEST = {
    "IRI": "isIRI(?value)",
    "langString": 'isLiteral(?value) && lang(?value) != ""',
    "string": "isLiteral(?value) && datatype(?value) = xsd:string",
    "integer": "isLiteral(?value) && datatype(?value) = xsd:integer",
    "decimal": "isLiteral(?value) && datatype(?value) IN (" + ", ".join(f"xsd:{d}" for d in _DECIMALS) + ")",
    "date": "isLiteral(?value) && datatype(?value) IN (" + ", ".join(f"xsd:{d}" for d in _DATES) + ")",
    "IRI-or-string": "isIRI(?value) || (isLiteral(?value) && datatype(?value) = xsd:string)",
}
BLOCKING = ("MUST", "MUST NOT", "value")


@dataclass(frozen=True)
class Row:
    element: str
    properties: tuple[tuple[str, str | None], ...]  # (property, fixed value or None), alternatives
    value: str
    levels: dict  # level -> MUST, MUST NOT, SHOULD, SHOULD NOT, MAY

    @property
    def cites(self) -> str:
        shown = " or ".join(p if v is None else f"{p} {v}" for p, v in self.properties)
        return f"HCLS profile table, row '{self.element}' ({shown})"


@dataclass(frozen=True)
class Check:
    name: str  # e.g. "distribution/MUST/dct:publisher"
    row: Row
    level: str
    kind: str  # MUST, MUST NOT, SHOULD, SHOULD NOT, value
    query: str

    @property
    def blocking(self) -> bool:
        return self.kind in BLOCKING


def load_requirements(ontology_dir: Path) -> list[Row]:
    path = ontology_dir / REQUIREMENTS
    if not path.is_file():
        raise BuildError(f"{path}: the HCLS profile's requirement table is missing; fix: restore it "
                         "(ontology/checks/hcls/requirements.tsv of the project)")
    rows = []
    # Comment lines open the file, before the header; rows may start with "#" ("# of triples").
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("element\t"))
    header = lines[start].split("\t")
    for number, line in enumerate(lines[start + 1:], start=start + 2):
        if not line:
            continue
        cells = dict(zip(header, line.split("\t")))
        alternatives = []
        for alt in cells["properties"].split(" | "):
            prop, _, value = alt.strip().partition("=")
            alternatives.append((prop, value or None))
        if cells["value"] not in VALUE_TEST and cells["value"] != "any":
            raise BuildError(f"{path}: line {number}: unknown value type {cells['value']!r}; fix: one of "
                             f"{', '.join([*VALUE_TEST, 'any'])}")
        rows.append(Row(cells["element"], tuple(alternatives), cells["value"], {lv: cells[lv] for lv in LEVELS}))
    return rows


def _has(alternatives) -> str:
    return " UNION ".join("{ ?node %s %s }" % (p, v or "?_v") for p, v in alternatives)


def checks(rows: list[Row]) -> list[Check]:
    """One query per row, level and requirement (rows that share a property and a requirement,
    like the profile's three `void:classPartition` rows, share one query)."""
    out: dict[str, Check] = {}
    for row in rows:
        props = " | ".join(p if v is None else f"{p}={v}" for p, v in row.properties)
        for level in LEVELS:
            req = row.levels[level]
            pattern = LEVEL_PATTERN[level]
            header = f"# {row.cites}: {req} at the {level} level\n{_HEADER}"
            if req in ("MUST", "SHOULD"):
                query = f"{header}SELECT DISTINCT ?node WHERE {{ {pattern} FILTER NOT EXISTS {{ {_has(row.properties)} }} }}"
            elif req in ("MUST NOT", "SHOULD NOT"):
                query = f"{header}SELECT DISTINCT ?node WHERE {{ {pattern} {_has(row.properties)} }}"
            else:
                query = None
            if query is not None:
                name = f"{level}/{req}/{props}"
                out.setdefault(name, Check(name, row, level, req, query))
            if req not in ("MUST NOT", "SHOULD NOT") and row.value in VALUE_TEST:
                for prop, fixed in row.properties:
                    if fixed is not None:
                        continue
                    name = f"{level}/value/{prop}"
                    query = (f"# {row.cites}: values are {row.value} at the {level} level\n{_HEADER}"
                             f"SELECT DISTINCT ?node ?value WHERE {{ {pattern} ?node {prop} ?value "
                             f"FILTER(!({VALUE_TEST[row.value]})) }}")
                    out.setdefault(name, Check(name, row, level, "value", query))
    return list(out.values())


def structure_checks() -> list[Check]:
    """Checks of the levels themselves (the profile's Figure 1): every dataset or distribution
    node of the description is at a level, so that no node escapes the table's checks."""
    row = Row("Dataset description levels (section 5, Figure 1)", (), "any", {})
    query = (f"# every dctypes:Dataset, dcat:Dataset or dcat:Distribution is at a level of the profile\n{_HEADER}"
             "SELECT DISTINCT ?node WHERE { ?node a ?type VALUES ?type { dctypes:Dataset dcat:Dataset dcat:Distribution } "
             + " ".join(f"FILTER NOT EXISTS {{ {LEVEL_PATTERN[lv]} }}" for lv in LEVELS) + " }")
    return [Check("levels/MUST/at a level", row, "any", "MUST", query)]


def all_checks(ontology_dir: Path) -> list[Check]:
    return checks(load_requirements(ontology_dir)) + structure_checks()


def run(check_list: list[Check], store: ox.Store) -> dict[str, list[tuple[str, ...]]]:
    """Failures per check (checks without failures left out), as rows of plain values, sorted."""
    failures = {}
    for check in check_list:
        rows = sorted(tuple(term.value for term in solution) for solution in store.query(check.query))
        if rows:
            failures[check.name] = rows
    return failures


def store_of_turtle(turtle: bytes) -> ox.Store:
    store = ox.Store()
    store.load(turtle, format=ox.RdfFormat.TURTLE)
    return store


def failures_and_gaps(check_list: list[Check], store: ox.Store) -> tuple[dict, dict]:
    """(blocking failures: MUST, MUST NOT, value; gaps: SHOULD, SHOULD NOT)."""
    found = run(check_list, store)
    kinds = {c.name: c.blocking for c in check_list}
    return ({k: v for k, v in found.items() if kinds[k]}, {k: v for k, v in found.items() if not kinds[k]})


def format_failures(failures: dict) -> str:
    lines = ["the dataset description (void.ttl) breaks the HCLS profile (ontology/checks/hcls/requirements.tsv):"]
    for name, rows in failures.items():
        lines.append(f"  {name}: " + "; ".join(" ".join(r) for r in rows[:5]) + (" ..." if len(rows) > 5 else ""))
    return "\n".join(lines)
