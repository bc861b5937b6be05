"""JSON Schemas of the curation files, made from the loaders' own field definitions.

`python -m mirkg.schemas` writes schemas/*.schema.json; a test checks that the files are what
this module makes, that every loader's field set is what its schema allows, and that the shipped
files validate. Each field's rule is stated in its `description`, for the editor to show.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from . import curation as c
from .draft import CANDIDATE_FIELDS, DRAFT_FIELDS, MARKER_FIELDS, MENTION_FIELDS, SOURCE_FIELDS
from .draft import lexicon as lx
from . import paths
from .ontology import entity_kinds, load_ontology
from .sources import PARTS

DRAFT_KINDS = ["mirna_cluster", "unknown", "phrase"]
SCHEMA_DIR = Path("schemas")
BASE = "https://w3id.org/mirkg/schemas/"
LOCAL_ID = {"type": "string", "pattern": "^" + c.LOCAL_ID.pattern + "$"}
# The entity kinds are the ontology's (mirkg:curationName on its classes), as the loader reads them.
KINDS = list(entity_kinds(load_ontology(paths.ONTOLOGY)))  # of the project folder it runs in


def _text(description: str, **extra) -> dict:
    return {"type": "string", "minLength": 1, "description": description, **extra}


def _texts(description: str) -> dict:
    return {"type": "array", "items": {"type": "string", "minLength": 1}, "description": description}


def _record(fields: set[str], properties: dict, required: list[str], title: str, **extra) -> dict:
    if set(properties) != fields:
        raise AssertionError(f"{title}: the schema's fields {sorted(properties)} are not the loader's {sorted(fields)}")
    return {"type": "object", "title": title, "properties": dict(sorted(properties.items())),
            "required": required, "additionalProperties": False, **extra}


def _id(what: str) -> dict:
    return {**LOCAL_ID, "description": f"{what}: letters, digits, '-' and '_', starting with a letter or digit; unique"}


ENTITY = _record(c.ENTITY_FIELDS, {
    "id": _id("local identifier; becomes the entity IRI .../id/entity/<id>"),
    "kind": {"enum": KINDS, "description": "what the entity is; decides which prefix its identifier must have"},
    "written": {**_texts("the label(s) exactly as the source writes them: each must occur in the text as a whole word"), "minItems": 1},
    "name": _text("the normalised name; for an identified entity, the label of data/reference/identifiers.tsv"),
    "id_curie": _text("the external identifier, a CURIE confirmed in data/reference/identifiers.tsv (give it or `unresolved`)",
                      pattern=r"^[A-Za-z.]+:\S+$"),
    "unresolved": _text("why no confirmed identifier fits (give it or `id_curie`)"),
    "xrefs": _texts("further identifiers of the same thing, confirmed in the reference table"),
    "related": {"type": "object", "description": "identifiers of related records: precursor, gene, has_part",
                "propertyNames": {"enum": sorted(c.RELATED_KINDS)},
                "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    "parts": _texts("for cell_balance / cell_population_change: the entity ids it is about"),
    "change": {"enum": sorted(c.DIRECTIONS), "description": "for a cell_population_change only: increase or decrease"},
    "note": _text("curator's note"),
}, ["id", "kind", "written", "name"], "entity",
    oneOf=[{"required": ["id_curie"]}, {"required": ["unresolved"]}])

STATEMENT_PROPERTIES = {
    "id": _id("local identifier; becomes .../id/claim/<id>"),
    "subject": _text("an entity id of data/entities.yaml"),
    "relation": _text("a claim relation of the ontology (ontology/mirkg.ttl, its mirkg:curationName)", pattern="^[a-z_]+$"),
    "object": _text("an entity id of data/entities.yaml"),
    "direction": {"enum": sorted(c.DIRECTIONS), "description": "increase | decrease, where the relation has one (required, optional or none: see the ontology)"},
    "context": {"type": "object", "description": "where the claim holds: entity ids",
                "properties": {k: _text(f"the {k.replace('_', ' ')}: an entity id") for k in sorted(c.CONTEXT_KEYS)},
                "additionalProperties": False},
    "via": _text("the entity through which the effect goes, as the text says (\"by targeting X\")"),
    "subject_aspect": _text("what about the subject the claim is about, as the text says (\"high levels\")"),
    "citation": {"type": "string", "pattern": r"^(none|\[\d+(, \d+)*\])$",
                 "description": "the reference exactly as the text gives it (\"[4, 5]\"), in the quote's sentence; `none` when it gives none"},
    "attributed_to": _text("who the text says it: an agent id of data/citations.yaml"),
    "evidence": {"type": "string", "pattern": r"^ECO:\d{7}$",
                 "description": "an ECO CURIE of the reference table: ECO:0000304 (traceable author statement) with a citation, ECO:0000303 (author statement without traceable support) without one"},
    "hedge": _text("the word(s) by which the text hedges it; they must be in the quote; absent when the text states it plainly"),
    "statement_type": {"enum": sorted(c.STATEMENT_TYPES), "description": "finding (the default) | limitation (a caveat the text states about a finding) | conclusion_not_drawn (a conclusion the text says could not be drawn)"},
    "limits": _id("a limitation's (either kind): the id of the finding of this file whose reach it limits"),
    "quote": _text("the exact words of the source the claim rests on (same characters, spacing and punctuation)"),
    "occurrence": {"type": "integer", "minimum": 1, "description": "which occurrence of the quote (1-based), only when it occurs more than once"},
    "note": _text("curator's note: where the text is loose or wrong; never edit the quote"),
}
STATEMENT_REQUIRED = ["id", "subject", "relation", "object", "citation", "attributed_to", "evidence", "quote"]
STATEMENT = _record(c.STATEMENT_FIELDS, STATEMENT_PROPERTIES, STATEMENT_REQUIRED, "statement")

CITATIONS = {
    "type": "object", "additionalProperties": False, "required": ["source", "works", "references", "agents"],
    "properties": {
        "source": _record(c.SOURCE_INFO_FIELDS, {
            "id": _id("the source's id"), "journal": _text("the journal"), "year": {"type": "integer"},
            "published_online": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
            "note": _text("note")}, ["id", "journal", "year", "published_online"], "source"),
        "works": {"type": "array", "items": _record(c.WORK_FIELDS, {
            "id": _id("the work's id"), "authors": _text("authors as the reference table gives them"),
            "title": _text("title"), "journal": _text("journal, volume, pages as the reference table gives them"),
            "year": {"type": "integer"},
            "doi": _text("bare DOI, only when confirmed in data/reference/citations.tsv", pattern=r"^10\.\d{2,9}/\S+$"),
            "pmid": _text("PMID, only when confirmed", pattern=r"^\d+$"),
            "pmcid": _text("PMCID, only when confirmed", pattern=r"^PMC\d+$"),
            "note": _text("note")}, ["id", "authors", "title", "journal", "year"], "work")},
        "references": {"type": "array", "items": _record(c.REFERENCE_FIELDS, {
            "number": {"type": "integer", "description": "the number the text cites, [n]"},
            "status": {"enum": sorted(c.REFERENCE_STATUSES), "description": "resolved takes `work`, ambiguous `candidates`, unresolved neither"},
            "work": _text("the work's id (status resolved)"), "candidates": _texts("work ids (status ambiguous)"),
            "note": _text("note")}, ["number", "status"], "numbered reference")},
        "joint": {"type": "array", "items": _record(c.JOINT_FIELDS, {
            "cited_as": {"type": "string", "pattern": r"^\[\d+(, \d+)+\]$", "description": "as the text writes it, \"[4, 5]\""},
            "works": _texts("the works behind the group, when known as a set"), "note": _text("note")},
            ["cited_as"], "joint citation")},
        "agents": {"type": "array", "items": _record(c.AGENT_FIELDS, {
            "id": _id("the agent's id (statements' attributed_to)"), "label": _text("how the text names them"),
            "work": _text("the work's id")}, ["id", "label"], "agent")},
    },
}

SOURCE = _record(SOURCE_FIELDS, {
    "id": _id("the source's id, unique among the sources; becomes .../id/source/<id>"),
    "work": _text("the work the text belongs to: a work id of data/citations.yaml, or the review's (its `source:` record)"),
    "part": {"enum": list(PARTS), "description": "which part of the work the text is"},
    "origin": _text("where the text was copied from, and how"),
    "licence": _text("under what terms the text is quoted here"),
    "note": _text("curator's note"),
}, ["id", "work", "part", "origin", "licence"], "source")

_DRAFT_STATEMENT = dict(STATEMENT_PROPERTIES)
_DRAFT_STATEMENT["draft"] = {"type": "object", "description": "how the draft found it; delete this block when accepting",
                             "properties": {k: {"description": v} for k, v in sorted(CANDIDATE_FIELDS.items())},
                             "additionalProperties": False}
_DRAFT_ENTITY = json.loads(json.dumps(ENTITY))
_DRAFT_ENTITY["properties"]["kind"]["enum"] = KINDS
DRAFT = {
    "type": "object", "additionalProperties": False, "required": sorted(DRAFT_FIELDS),
    "properties": {
        "source": {"type": "object", "properties": {"id": LOCAL_ID, "text": {"type": "string"},
                                                    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
                   "required": ["id", "text", "sha256"], "additionalProperties": False},
        "sentences": {"type": "array", "items": {"type": "object", "required": ["n", "start", "end"],
                                                 "properties": {k: {"type": "integer", "minimum": 0} for k in ("n", "start", "end")},
                                                 "additionalProperties": False}},
        "mentions": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["id", "start", "end", "text", "kind", "entity", "how"],
            "properties": {k: {"description": v} for k, v in sorted(MENTION_FIELDS.items())},
            "oneOf": [{"required": ["id_curie"]}, {"required": ["unresolved"]}]}},
        "citation_markers": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": sorted(MARKER_FIELDS),
            "properties": {k: {"description": v} for k, v in sorted(MARKER_FIELDS.items())}}},
        "entities": {"type": "array", "items": _DRAFT_ENTITY},
        "statements": {"type": "array", "items": {"type": "object", "properties": dict(sorted(_DRAFT_STATEMENT.items())),
                                                  "required": STATEMENT_REQUIRED + ["draft"], "additionalProperties": False}},
    },
}

_TRIGGER = _record(lx.TRIGGER_FIELDS, {
    "pattern": _text("left to right over one sentence: {S}, {O}, one <trigger>, words (a|b, word?), ... (see the file's header)"),
    "relation": _text("a claim relation of the ontology", pattern="^[a-z_]+$"),
    "direction": {"enum": sorted(c.DIRECTIONS)},
    "aspect": _text("the subject_aspect the claim gets"),
    "subject": {"type": "array", "items": {"enum": sorted(lx.SLOT_KINDS)}, "minItems": 1},
    "object": {"type": "array", "items": {"enum": sorted(lx.SLOT_KINDS)}, "minItems": 1},
}, ["pattern", "relation", "subject", "object"], "trigger")
TRIGGERS = {
    "type": "object", "additionalProperties": False, "required": ["triggers"],
    "properties": {
        "fillers": _texts("words that may stand between a pattern's elements"),
        "triggers": {"type": "array", "items": _TRIGGER},
        "hedges": {"type": "array", "items": _record(lx.HEDGE_FIELDS, {
            "cue": _text("the hedging word(s)"),
            "reaches": {"enum": ["clause", "sentence"], "description": "clause (the default) or the rest of the sentence"},
            "limitation": {"type": "boolean", "description": "the claim it hedges is a caveat"}}, ["cue"], "hedge")},
        "clause_boundaries": _texts("what ends a clause, for the hedges"),
        "attribution": _record(lx.ATTRIBUTION_FIELDS, {
            "continues": _texts("sentence openings that go on reporting the people named before"),
            "the_authors": _texts("words for the last named people")}, [], "attribution"),
    },
}


def _file(title: str, description: str, body: dict) -> dict:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, "description": description, **body}


def _list_file(key: str, item: dict, **head: dict) -> dict:
    """A file of one list of records under `key`, with the top-level fields `head` before it."""
    return {"type": "object", "required": [*head, key], "additionalProperties": False,
            "properties": {**head, key: {"type": "array", "items": item}}}


SCHEMAS = {
    "entities": _file("mirkg entities", "data/entities.yaml: every entity the sources mention", _list_file("entities", ENTITY)),
    "statements": _file("mirkg statements", "data/sources/<id>/statements.yaml: a source's statements, one atomic claim each",
                        _list_file("statements", STATEMENT, source=_id("the id of the source they are read from (source.yaml beside the file)"))),
    "citations": _file("mirkg citations", "data/citations.yaml: the works, the numbered references, the agents", CITATIONS),
    "source": _file("mirkg source", "data/sources/<id>/source.yaml: where a source text comes from", SOURCE),
    "draft": _file("mirkg draft", "data/sources/<id>/draft.yaml, written by `python build.py draft`", DRAFT),
    "levels": _file("mirkg level words", "data/levels.yaml: the subject aspects that take a raised or a lowered level", {
        "type": "object", "additionalProperties": False,
        "properties": {d: _texts(f"aspects (lower case, or their first words) that take a level {d}d as a condition")
                       for d in sorted(c.DIRECTIONS)}}),
    "triggers": _file("mirkg draft lexicon", "data/draft/triggers.yaml: the draft's trigger patterns and cues", TRIGGERS),
}


def rendered() -> dict[str, str]:
    return {f"{name}.schema.json": json.dumps({"$id": f"{BASE}{name}.schema.json", **schema}, indent=2,
                                              ensure_ascii=False) + "\n"
            for name, schema in SCHEMAS.items()}


def main(root: Path | None = None) -> int:
    folder = (root or Path.cwd()) / SCHEMA_DIR
    folder.mkdir(exist_ok=True)
    for name, text in rendered().items():
        (folder / name).write_text(text, encoding="utf-8")
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
