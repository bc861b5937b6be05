"""The curated input (data/*.yaml) read and checked into plain records.

Everything a curator can get wrong is caught here, before any triple is written, with the
file, the record, the line and the fix. What this module accepts, the triple writer can trust.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .bulk import gc_paused
from .errors import CurationError
from .identifiers import REFERENCE_DIR, Reference, split_curie
from .ontology import EntityKind, Relation
from .source import SourceText, Span, WordIndex
from . import sources
from .sources import Source
from .yamlio import load_yaml

ENTITIES_FILE = "entities.yaml"
CITATIONS_FILE = "citations.yaml"
LEVELS_FILE = "levels.yaml"

LOCAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
CITATION_TEXT = re.compile(r"\[(\d+(?:, \d+)*)\]")

RELATED_KINDS = {"precursor", "gene", "has_part"}
DIRECTIONS = {"increase", "decrease"}
CONTEXT_KEYS = {"cell_type", "tissue", "disease"}
# A limitation is a caveat the text states about a finding it names; a conclusion not drawn is
# the limitation whose subject, relation and object say what the evidence does not support.
LIMITATION_TYPES = {"limitation", "conclusion_not_drawn"}
STATEMENT_TYPES = {"finding"} | LIMITATION_TYPES
REFERENCE_STATUSES = {"resolved", "ambiguous", "unresolved"}
TRACEABLE_AUTHOR_STATEMENT = "ECO:0000304"  # TAS
NON_TRACEABLE_AUTHOR_STATEMENT = "ECO:0000303"  # NAS

# The fields each record may have (schemas/*.schema.json are checked against these).
ENTITY_FIELDS = {"id", "kind", "written", "name", "id_curie", "unresolved", "xrefs", "related", "parts", "change", "note"}
SOURCE_INFO_FIELDS = {"id", "journal", "year", "published_online", "note"}
WORK_FIELDS = {"id", "authors", "title", "journal", "year", "doi", "pmid", "pmcid", "note"}
REFERENCE_FIELDS = {"number", "status", "work", "candidates", "note"}
JOINT_FIELDS = {"cited_as", "works", "note"}
AGENT_FIELDS = {"id", "label", "work"}
STATEMENT_FIELDS = {
    "id", "subject", "relation", "object", "direction", "context", "via", "subject_aspect", "citation",
    "attributed_to", "evidence", "hedge", "statement_type", "quote", "occurrence", "note", "limits",
}


@dataclass
class Entity:
    id: str
    kind: str
    written: list[str]
    name: str
    curie: str | None
    unresolved: str | None
    xrefs: list[str]
    related: dict[str, list[str]]
    parts: list[str]
    change: str | None
    note: str | None


@dataclass
class Work:
    id: str
    authors: str
    title: str
    journal: str
    year: int
    doi: str | None
    pmid: str | None
    pmcid: str | None
    note: str | None


@dataclass
class NumberedReference:
    number: int
    status: str
    work: str | None
    candidates: list[str]
    note: str | None


@dataclass
class JointCitation:
    cited_as: str
    numbers: list[int]
    works: list[str]
    note: str | None = None


@dataclass
class Agent:
    id: str
    label: str
    work: str | None


@dataclass
class SourceInfo:
    id: str
    journal: str
    year: int
    published_online: str
    note: str | None


@dataclass
class Statement:
    id: str
    subject: str
    relation: Relation
    object: str
    direction: str | None
    context: dict[str, str]
    via: str | None
    subject_aspect: str | None
    citation: str | None  # exactly as the text writes it, None when the text gives none
    citation_numbers: list[int]
    attributed_to: str
    evidence: str  # an ECO CURIE
    hedge: str | None
    statement_type: str
    quote: str
    span: Span
    note: str | None
    source: str  # the id of the source the statement is read from
    limits: str | None = None  # a limitation's: the id of the claim whose reach it limits


@dataclass
class Curation:
    sources: dict[str, Source]  # by source id, in the order of their folders
    source_info: SourceInfo  # the review's bibliographic record (data/citations.yaml, `source:`)
    entities: dict[str, Entity]
    works: dict[str, Work]
    references: dict[int, NumberedReference]
    joints: dict[str, JointCitation]
    agents: dict[str, Agent]
    statements: list[Statement]
    reference: Reference
    relations: dict[str, Relation] = field(repr=False, default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)  # subject aspect words -> increase | decrease
    kinds: dict[str, EntityKind] = field(repr=False, default_factory=dict)


# ------------------------------------------------------------------------------------------------
# Field checking


class _Fields:
    """Typed access to one record's fields, with errors that name the record."""

    def __init__(self, file: Path, record: object, what: str, index: int):
        self.file = file
        if not isinstance(record, dict):
            raise CurationError(
                file, f"{what} #{index} is not a mapping of fields", "write it as `- key: value` lines"
            )
        self.record = record
        self.line = getattr(record, "line", None)
        rid = record.get("id", record.get("number", record.get("cited_as")))
        self.name = str(rid) if rid is not None else f"{what} #{index}"

    def error(self, problem: str, fix: str) -> CurationError:
        return CurationError(self.file, problem, fix, record=self.name, line=self.line)

    def check_keys(self, allowed: set[str]) -> None:
        unknown = sorted(set(self.record) - allowed)
        if unknown:
            raise self.error(
                f"unknown field(s) {', '.join(unknown)}",
                f"use only these fields: {', '.join(sorted(allowed))} (check the spelling)",
            )

    def get(self, key: str, kind: type | tuple, required: bool = True, default=None):
        if key not in self.record or self.record[key] is None:
            if required:
                raise self.error(f"the field '{key}' is missing", f"add `{key}:` to the record")
            return default
        value = self.record[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            expected = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
            raise self.error(
                f"the field '{key}' should be {_article(expected)}, not {type(value).__name__} ({value!r})",
                f"write '{key}' as {_article(expected)}",
            )
        if isinstance(value, str) and not value.strip():
            raise self.error(f"the field '{key}' is empty", f"give '{key}' a value or remove it")
        return value

    def text(self, key: str, required: bool = True) -> str | None:
        value = self.get(key, str, required)
        return value.strip() if isinstance(value, str) else value

    def text_list(self, key: str, required: bool = True) -> list[str]:
        value = self.get(key, list, required, default=[])
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.error(f"'{key}' should hold only texts, found {item!r}", f"quote each item of '{key}'")
        if required and not value:
            raise self.error(f"'{key}' is empty", f"give at least one item in '{key}'")
        return list(value)

    def local_id(self, key: str = "id") -> str:
        value = self.text(key)
        if not LOCAL_ID.fullmatch(value):
            raise self.error(
                f"'{value}' is not a valid {key}",
                "use letters, digits, '-' and '_' only, starting with a letter or digit",
            )
        return value


def _article(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _top_list(file: Path, data: object, key: str, required: bool = True) -> list:
    if not isinstance(data, dict) or (required and key not in data):
        raise CurationError(file, f"the file has no top-level '{key}:' list", f"start the file with `{key}:`")
    value = data.get(key)
    if value is None:
        value = []
    if not isinstance(value, list):
        raise CurationError(file, f"'{key}' should be a list of records", f"write each record under '{key}' as `- ...`")
    return value


def _unique(fields: _Fields, seen: dict, key, what: str) -> None:
    if key in seen:
        raise fields.error(
            f"duplicate {what} '{key}' (first used at line {seen[key]})",
            f"give each record its own {what}",
        )
    seen[key] = fields.line


# ------------------------------------------------------------------------------------------------
# Readers


def _check_curie(fields: _Fields, reference: Reference, curie: str, what: str) -> str:
    if split_curie(curie) is None:
        raise fields.error(
            f"{what} '{curie}' is not a well-formed identifier",
            "write it as PREFIX:LOCAL with a prefix of data/reference/prefixes.tsv and its syntax "
            "(for example mirbase.mature:MIMAT0000449, HGNC:12036, CL:0002540)",
        )
    if curie not in reference.terms:
        raise fields.error(
            f"{what} '{curie}' is not confirmed in data/reference/identifiers.tsv",
            "use a confirmed identifier, or leave it out and say why with `unresolved:`",
        )
    return curie


def read_entities(file: Path, texts: list[SourceText], reference: Reference, kinds: dict[str, EntityKind]) -> dict[str, Entity]:
    rows = _top_list(file, load_yaml(file), "entities")
    entities: dict[str, Entity] = {}
    seen: dict = {}
    allowed = ENTITY_FIELDS
    words = WordIndex(texts)
    for index, record in enumerate(rows, 1):
        f = _Fields(file, record, "entity", index)
        f.check_keys(allowed)
        eid = f.local_id()
        _unique(f, seen, eid, "id")
        kind = f.text("kind")
        if kind not in kinds:
            raise f.error(f"unknown kind '{kind}'", f"use an entity kind of the ontology: {', '.join(kinds)}")
        written = f.text_list("written")
        for label in written:
            if words.stands_alone(label):
                continue
            holding = [t for t in texts if label in t.text]
            if not holding:
                raise f.error(
                    f"the written label {label!r} does not occur in any source text",
                    "copy the label exactly as a source writes it",
                )
            glued = [g for g in (t.glued_word(label) for t in holding)]
            if None not in glued:
                raise f.error(
                    f"the written label {label!r} occurs in the source texts only inside longer words, as in {glued[0]!r}",
                    "write the whole word as the source writes it",
                )
        name = f.text("name")
        curie = f.text("id_curie", required=False)
        unresolved = f.text("unresolved", required=False)
        if (curie is None) == (unresolved is None):
            raise f.error(
                "give exactly one of 'id_curie' and 'unresolved'",
                "add the confirmed identifier as `id_curie:`, or say why there is none with `unresolved:`",
            )
        if curie is not None:
            _check_curie(f, reference, curie, "id_curie")
            expected = kinds[kind]
            term = reference.terms[curie]
            if (expected.identifier_prefix is None or curie.split(":", 1)[0] != expected.identifier_prefix
                    or term.kind != expected.identifier_kind):
                want = (f"a {expected.identifier_prefix} identifier" if expected.identifier_prefix
                        else "no identifier (say `unresolved:`)")
                raise f.error(f"an entity of kind '{kind}' cannot have the identifier '{curie}'", f"give {want}")
            if name != term.label:
                raise f.error(
                    f"the name '{name}' differs from the reference label '{term.label}' of {curie}",
                    f"set `name: {term.label}` (the label in data/reference/identifiers.tsv)",
                )
        xrefs = f.text_list("xrefs", required=False)
        for x in xrefs:
            _check_curie(f, reference, x, "xref")
        related_raw = f.get("related", dict, required=False, default={})
        related: dict[str, list[str]] = {}
        for rel, values in related_raw.items():
            if rel not in RELATED_KINDS:
                raise f.error(f"unknown related kind '{rel}'", f"use one of: {', '.join(sorted(RELATED_KINDS))}")
            if not isinstance(values, list):
                raise f.error(f"related '{rel}' should be a list of identifiers", f"write `{rel}: [PREFIX:ID, ...]`")
            related[rel] = [_check_curie(f, reference, v, f"related {rel}") for v in values]
        parts = f.text_list("parts", required=False)
        change = f.text("change", required=False)
        if change is not None and (kind != "cell_population_change" or change not in DIRECTIONS):
            raise f.error(
                f"'change: {change}' is only for a cell_population_change, as increase or decrease",
                "remove it, or fix the kind or the value",
            )
        if kind == "cell_population_change" and change is None:
            raise f.error("a cell_population_change needs `change:`", "add `change: increase` or `change: decrease`")
        entities[eid] = Entity(eid, kind, written, name, curie, unresolved, xrefs, related, parts, change, f.text("note", False))
    for entity in entities.values():
        for part in entity.parts:
            if part not in entities:
                raise CurationError(
                    file, f"part '{part}' is not an entity id", "name an entity of this file", record=entity.id
                )
    return entities


def read_citations(file: Path, reference: Reference):
    data = load_yaml(file)
    if not isinstance(data, dict):
        raise CurationError(file, "the file should be a mapping with source, works, references, joint, agents", "restore its layout")
    src = _Fields(file, data.get("source"), "source", 1)
    src.check_keys(SOURCE_INFO_FIELDS)
    published = src.get("published_online", (str, datetime.date))
    source_info = SourceInfo(src.local_id(), src.text("journal"), src.get("year", int), str(published), src.text("note", False))

    works: dict[str, Work] = {}
    seen: dict = {}
    for index, record in enumerate(_top_list(file, data, "works"), 1):
        f = _Fields(file, record, "work", index)
        f.check_keys(WORK_FIELDS)
        wid = f.local_id()
        _unique(f, seen, wid, "id")
        ids = {}
        for key, prefix in (("doi", "doi"), ("pmid", "pubmed"), ("pmcid", "pmc")):
            value = f.text(key, required=False)
            if value is None:
                continue
            if split_curie(f"{prefix}:{value}") is None:
                raise f.error(f"'{key}: {value}' is not a well-formed {key.upper()}", f"write the bare {key.upper()} (no URL)")
            if value not in reference.confirmed_citation_ids:
                raise f.error(
                    f"{key.upper()} '{value}' is not confirmed in data/reference/citations.tsv",
                    f"remove '{key}' (an unconfirmed identifier stays out) and say so in 'note'",
                )
            ids[key] = value
        works[wid] = Work(
            wid, f.text("authors"), f.text("title"), f.text("journal"), f.get("year", int),
            ids.get("doi"), ids.get("pmid"), ids.get("pmcid"), f.text("note", False),
        )

    references: dict[int, NumberedReference] = {}
    seen = {}
    for index, record in enumerate(_top_list(file, data, "references"), 1):
        f = _Fields(file, record, "reference", index)
        f.check_keys(REFERENCE_FIELDS)
        number = f.get("number", int)
        _unique(f, seen, number, "number")
        status = f.text("status")
        if status not in REFERENCE_STATUSES:
            raise f.error(f"unknown status '{status}'", f"use one of: {', '.join(sorted(REFERENCE_STATUSES))}")
        work = f.text("work", required=False)
        candidates = f.text_list("candidates", required=False)
        for w in ([work] if work else []) + candidates:
            if w not in works:
                raise f.error(f"'{w}' is not a work id", "name a work of the 'works' list")
        if (status == "resolved") != (work is not None) or (status == "ambiguous") != bool(candidates):
            raise f.error(
                f"status '{status}' does not fit the fields given",
                "resolved takes `work:`, ambiguous takes `candidates:` (two or more), unresolved neither",
            )
        references[number] = NumberedReference(number, status, work, candidates, f.text("note", False))

    joints: dict[str, JointCitation] = {}
    for index, record in enumerate(_top_list(file, data, "joint", required=False), 1):
        f = _Fields(file, record, "joint citation", index)
        f.check_keys(JOINT_FIELDS)
        cited_as = f.text("cited_as")
        numbers = _citation_numbers(f, cited_as, references)
        if len(numbers) < 2:
            raise f.error(f"'{cited_as}' is not a joint citation", "list two or more numbers, as the text does")
        joint_works = f.text_list("works", required=False)
        for w in joint_works:
            if w not in works:
                raise f.error(f"'{w}' is not a work id", "name a work of the 'works' list")
        if cited_as in joints:
            raise f.error(f"duplicate joint citation '{cited_as}'", "list each joint citation once")
        joints[cited_as] = JointCitation(cited_as, numbers, joint_works, f.text("note", required=False))

    agents: dict[str, Agent] = {}
    seen = {}
    for index, record in enumerate(_top_list(file, data, "agents"), 1):
        f = _Fields(file, record, "agent", index)
        f.check_keys(AGENT_FIELDS)
        aid = f.local_id()
        _unique(f, seen, aid, "id")
        work = f.text("work", required=False)
        if work is not None and work not in works:
            raise f.error(f"'{work}' is not a work id", "name a work of the 'works' list")
        agents[aid] = Agent(aid, f.text("label"), work)
    return source_info, works, references, joints, agents


def _citation_numbers(f: _Fields, cited_as: str, references: dict[int, NumberedReference]) -> list[int]:
    match = CITATION_TEXT.fullmatch(cited_as)
    if not match:
        raise f.error(
            f"citation '{cited_as}' is not written as the text writes citations",
            'write it like "[8]" or "[4, 5]", or `citation: none` when the text gives none',
        )
    numbers = [int(n) for n in match.group(1).split(", ")]
    for n in numbers:
        if n not in references:
            raise f.error(f"citation number {n} is not a reference of data/citations.yaml", "add the reference, or fix the number")
    return numbers


def read_levels(file: Path) -> dict[str, str]:
    """The level words of data/levels.yaml (absent: none), words -> increase | decrease."""
    if not file.exists():
        return {}
    data = load_yaml(file)
    if not isinstance(data, dict) or set(data) - DIRECTIONS:
        raise CurationError(file, "the file should map increase and decrease to lists of words",
                            "write `increase: [...]` and `decrease: [...]`")
    levels: dict[str, str] = {}
    for direction, words in data.items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise CurationError(file, f"'{direction}' should be a list of words", f"write `{direction}: [high levels, ...]`",
                                line=getattr(data, "line", None))
        for word in words:
            key = word.strip().lower()
            if levels.get(key, direction) != direction:
                raise CurationError(file, f"'{word}' is listed under both increase and decrease", "keep it under one")
            levels[key] = direction
    return levels


def read_sources(data_dir: Path, works: set[str]) -> dict[str, Source]:
    """Every source folder of data/sources/, by source id, in folder-name order. `works`: the ids
    a source may belong to."""
    root = data_dir / sources.SOURCES_DIR
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    if not folders:
        raise CurationError(root, "there is no source folder", f"add data/{sources.SOURCES_DIR}/<source-id>/ with "
                            f"{sources.TEXT_FILE}, {sources.METADATA_FILE} and {sources.STATEMENTS_FILE}")
    found: dict[str, Source] = {}
    for folder in folders:
        meta = folder / sources.METADATA_FILE
        if not meta.is_file():
            raise CurationError(meta, "the source folder has no metadata file",
                                f"add {sources.METADATA_FILE} with the fields {', '.join(sources.FIELDS)}")
        f = _Fields(meta, load_yaml(meta), "source", 1)
        f.check_keys(set(sources.FIELDS))
        sid = f.local_id()
        if sid in found:
            raise f.error(f"duplicate source id '{sid}' (also {found[sid].folder / sources.METADATA_FILE})",
                          "give each source folder its own id")
        work = f.text("work")
        if work not in works:
            raise f.error(f"'{work}' is not a work of data/citations.yaml",
                          "name a work of the 'works' list, or the review itself (the id of its `source:` record)")
        part = f.text("part")
        if part not in sources.PARTS:
            raise f.error(f"unknown part '{part}'", f"use one of: {', '.join(sources.PARTS)}")
        text_file = folder / sources.TEXT_FILE
        if not text_file.is_file():
            raise CurationError(text_file, f"source '{sid}' has no text",
                                f"put the source's text, exactly as published, in {text_file}")
        text = SourceText(text_file)
        if not text.text.strip():
            raise CurationError(text_file, f"the text of source '{sid}' is empty", "put the source's text in it")
        if not (folder / sources.STATEMENTS_FILE).is_file():
            raise CurationError(folder / sources.STATEMENTS_FILE, f"source '{sid}' has no statements file",
                                f"add {sources.STATEMENTS_FILE} with `source: {sid}` and a `statements:` list (it may be empty)")
        found[sid] = Source(sid, folder, work, part, f.text("origin"), f.text("licence"), f.text("note", False), text)
    return found


def read_statements(
    source: Source,
    all_sources: Iterable[Source],
    entities: dict[str, Entity],
    references: dict[int, NumberedReference],
    agents: dict[str, Agent],
    relations: dict[str, Relation],
    reference: Reference,
) -> list[Statement]:
    file = source.statements_file
    data = load_yaml(file)
    rows = _top_list(file, data, "statements")
    named = data.get("source")
    if named != source.id:
        line = getattr(data, "line", None)
        if named is None:
            raise CurationError(file, "the file does not say which source its statements are read from",
                                f"add `source: {source.id}` at the top", line=line)
        known = named in {o.id for o in all_sources if o is not source}
        raise CurationError(
            file,
            f"the statements name the source '{named}', " + ("which is another folder's source" if known else "which is not a source of data/sources/"),
            f"write `source: {source.id}` (the id in {source.folder.name}/source.yaml), or move the statements to their source's folder",
            line=line,
        )
    text = source.text
    statements: list[Statement] = []
    lines: dict[str, int | None] = {}
    seen: dict = {}
    allowed = STATEMENT_FIELDS

    for index, record in enumerate(rows, 1):
        f = _Fields(file, record, "statement", index)
        f.check_keys(allowed)
        sid = f.local_id()
        _unique(f, seen, sid, "id")

        def entity(key: str, value: str | None = None, required: bool = True) -> str | None:
            value = value if value is not None else f.text(key, required)
            if value is not None and value not in entities:
                raise f.error(f"{key} '{value}' is not an entity of data/entities.yaml", "add the entity there, or fix the id")
            return value

        subject, obj = entity("subject"), entity("object")
        relation_name = f.text("relation")
        if relation_name not in relations:
            raise f.error(
                f"unknown relation '{relation_name}'",
                f"use a claim relation of the ontology: {', '.join(sorted(relations))}",
            )
        relation = relations[relation_name]
        direction = f.text("direction", required=False)
        if direction is not None and direction not in DIRECTIONS:
            raise f.error(f"unknown direction '{direction}'", "use increase or decrease")
        if relation.direction_use == "required" and direction is None:
            raise f.error(f"relation '{relation_name}' needs a direction", "add `direction: increase` or `direction: decrease`")
        if relation.direction_use == "none" and direction is not None:
            raise f.error(f"relation '{relation_name}' takes no direction", "remove 'direction'")

        context = f.get("context", dict, required=False, default={})
        for key, value in context.items():
            if key not in CONTEXT_KEYS:
                raise f.error(f"unknown context '{key}'", f"use: {', '.join(sorted(CONTEXT_KEYS))}")
            if not isinstance(value, str):
                raise f.error(f"context '{key}' should be an entity id", f"write `{key}: <entity id>`")
            entity(f"context {key}", value)
        via = entity("via", required=False)

        quote = f.text("quote")
        occurrence = f.get("occurrence", int, required=False)
        if not text.occurrences(quote):
            elsewhere = [o.id for o in all_sources if o is not source and o.text.occurrences(quote)]
            if elsewhere:
                raise f.error(
                    f"the quote does not occur in the text of source '{source.id}', but in that of source "
                    f"'{elsewhere[0]}': {quote!r}",
                    f"move the statement to data/sources/{elsewhere[0]}/statements.yaml (its quote's source), "
                    "or quote this source's own words",
                )
        span = text.require(file, sid, f.line, quote, occurrence)

        citation = f.get("citation", (str, list))
        if isinstance(citation, list):
            raise f.error("'citation' is a YAML list", 'quote it as the text writes it, like "[4, 5]"')
        citation = citation.strip()
        numbers: list[int] = []
        if citation == "none":
            citation = None
        else:
            numbers = _citation_numbers(f, citation, references)
            sentence = text.sentence_at(span.start)
            if sentence is None or citation not in sentence.exact:
                raise f.error(
                    f"the citation '{citation}' is not in the sentence the quote comes from",
                    "give the citation the quote's sentence gives, or `citation: none`",
                )

        attributed_to = f.text("attributed_to")
        if attributed_to not in agents:
            raise f.error(f"unknown agent '{attributed_to}'", f"use an agent of data/citations.yaml: {', '.join(agents)}")
        evidence = f.text("evidence")
        _check_curie(f, reference, evidence, "evidence")
        if reference.terms[evidence].kind != "evidence":
            raise f.error(f"'{evidence}' is not an evidence code", "use an ECO code of the reference table")
        # A traceable author statement needs a reference to trace to; a statement the text gives
        # without one is a non-traceable author statement (ECO's NAS), and the reverse.
        if citation is None and evidence == TRACEABLE_AUTHOR_STATEMENT:
            raise f.error(
                f"evidence {evidence} (traceable author statement) but the text gives no reference",
                f"use {NON_TRACEABLE_AUTHOR_STATEMENT} (author statement without traceable support)",
            )
        if citation is not None and evidence == NON_TRACEABLE_AUTHOR_STATEMENT:
            raise f.error(
                f"evidence {evidence} (author statement without traceable support) but the text gives the reference {citation}",
                f"use {TRACEABLE_AUTHOR_STATEMENT} (traceable author statement)",
            )
        statement_type = f.text("statement_type", required=False) or "finding"
        if statement_type not in STATEMENT_TYPES:
            raise f.error(f"unknown statement_type '{statement_type}'", f"use one of: {', '.join(sorted(STATEMENT_TYPES))}")
        limits = f.local_id("limits") if f.record.get("limits") is not None else None
        if (statement_type in LIMITATION_TYPES) != (limits is not None):
            raise f.error(
                "a limitation names the claim it limits, and only a limitation does",
                "give a limitation `limits: <id of the claim it qualifies>`, or remove 'limits' from a finding",
            )
        hedge = f.text("hedge", required=False)
        if hedge is not None and hedge not in span.exact:
            raise f.error(f"the hedge {hedge!r} is not in the quote", "quote the words that hedge the claim")

        statements.append(
            Statement(
                sid, subject, relation, obj, direction, dict(context), via, f.text("subject_aspect", False),
                citation, numbers, attributed_to, evidence, hedge, statement_type, quote, span, f.text("note", False),
                source.id,
                limits,
            )
        )
        lines[sid] = f.line
    by_id = {s.id: s for s in statements}
    for s in statements:
        if s.limits is not None and (s.limits not in by_id or by_id[s.limits].statement_type != "finding"):
            raise CurationError(
                file, f"limits '{s.limits}', which is not a finding of this file",
                "name the id of the finding the limitation qualifies", record=s.id, line=lines[s.id],
            )
    return statements


@gc_paused()
def load_curation(data_dir: Path, relations: dict[str, Relation], kinds: dict[str, EntityKind]) -> Curation:
    reference = Reference(data_dir / REFERENCE_DIR)
    source_info, works, refs, joints, agents = read_citations(data_dir / CITATIONS_FILE, reference)
    found = read_sources(data_dir, {source_info.id, *works})
    entities = read_entities(data_dir / ENTITIES_FILE, [s.text for s in found.values()], reference, kinds)
    statements: list[Statement] = []
    ids: dict[str, str] = {}
    for source in found.values():
        # every source, where a misplaced statement is looked for; a list of the others for each
        # source made loading quadratic (1 s at 6,000 sources)
        for statement in read_statements(source, found.values(), entities, refs, agents, relations, reference):
            if statement.id in ids:
                raise CurationError(
                    source.statements_file, f"duplicate statement id '{statement.id}' (also a statement of source "
                    f"'{ids[statement.id]}')", "give each statement an id of its own, across all sources",
                    record=statement.id)
            ids[statement.id] = source.id
            statements.append(statement)
    return Curation(found, source_info, entities, works, refs, joints, agents, statements, reference, relations,
                    read_levels(data_dir / LEVELS_FILE), kinds)
