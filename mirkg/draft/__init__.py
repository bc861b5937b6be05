"""`python build.py draft data/sources/<id>`: a curator's first pass at a new source text.

It reads the source folder's text.txt and writes draft.yaml beside it: the sentences, every
mention with its offsets and its candidate identifier (or why it has none), and candidate
statements with the fields a statement of data/statements.yaml has. The build never reads a
draft; a curator moves what is right into the statements.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import CurationError
from ..curation import NON_TRACEABLE_AUTHOR_STATEMENT, TRACEABLE_AUTHOR_STATEMENT
from ..source import SourceText
from ..sources import FIELDS
from ..yamlio import load_yaml, read_text
from .candidates import CITATION, Candidate, find_candidates
from .lexicon import Lexicon, load_lexicon
from .mentions import Mention, MentionFinder, refine_processes
from .terms import TermIndex

TEXT_FILE = "text.txt"
SOURCE_FILE = "source.yaml"
DRAFT_FILE = "draft.yaml"
SCHEMA = Path("schemas") / "draft.schema.json"
# The fields of a source folder's source.yaml (mirkg.sources), and those a draft writes (schemas/
# states their rules).
SOURCE_FIELDS = set(FIELDS)
DRAFT_FIELDS = {"source", "sentences", "mentions", "citation_markers", "entities", "statements"}
MENTION_FIELDS = {
    "id": "the mention's id in this draft (m1, m2, ...)",
    "start": "offset of its first character (code points, 0-based)",
    "end": "offset after its last character",
    "text": "the words exactly as the text writes them",
    "kind": "an entity kind, or mirna_cluster / unknown for what no kind fits",
    "id_curie": "its candidate identifier, confirmed in data/reference/identifiers.tsv",
    "unresolved": "why it has no identifier (arm not stated, not in the reference table, ...)",
    "name": "the reference table's label, or the name the grammar gives",
    "arm": "the miRNA arm as written (5p, 3p)",
    "abbreviation_of": "the mention of the long form this abbreviation stands for",
    "entity": "the entity id of data/entities.yaml it is, or one proposed (see `entities`)",
    "how": "how it was found",
    "note": "what the draft assumed",
}
MARKER_FIELDS = {"text": "the citation marker as written, \"[4, 5]\"", "start": "offset", "end": "offset",
                 "sentence": "the sentence's number"}
CANDIDATE_FIELDS = {
    "sentence": "the sentence's number (1-based)",
    "start": "the quote's first character (code points, 0-based)",
    "end": "after the quote's last character",
    "trigger": "the trigger words found",
    "pattern": "the lexicon pattern that matched",
    "subject_mention": "the subject's mention id, or the words taken as the subject",
    "object_mention": "the object's mention id, or the words taken as the object",
    "attribution": "why it is attributed so",
}
# ECO, as the curation uses it: a traceable author statement (TAS) with a reference, one without
# traceable support (NAS) without
EVIDENCE_CITED, EVIDENCE_UNCITED = TRACEABLE_AUTHOR_STATEMENT, NON_TRACEABLE_AUTHOR_STATEMENT


@dataclass
class CuratedSource:
    """A source that has statements: its text, and the files its statements and entities are in."""

    text: Path
    statements: Path
    entities: Path


def curated_statements(source_dir: Path, data_dir: Path) -> CuratedSource:
    """Where a source's text and its curated statements are: a source folder holds text.txt and
    statements.yaml (entities.yaml stays shared in data/)."""
    source_dir = Path(source_dir)
    if (source_dir / TEXT_FILE).is_file() and (source_dir / "statements.yaml").is_file():
        return CuratedSource(source_dir / TEXT_FILE, source_dir / "statements.yaml", data_dir / "entities.yaml")
    raise CurationError(source_dir, "no curated statements for this source (text.txt and statements.yaml)",
                        "name a source folder that has statements, e.g. data/sources/review")


def source_text(source_dir: Path) -> Path:
    """The text file of a source folder, or a clear error."""
    source_dir = Path(source_dir)
    if not source_dir.is_dir():
        raise CurationError(source_dir, "no such source folder",
                            f"name a folder under data/sources/ that holds {TEXT_FILE} (the source text)")
    text = source_dir / TEXT_FILE
    if not text.is_file():
        raise CurationError(source_dir, f"the source folder has no {TEXT_FILE}",
                            f"put the source text, as UTF-8, in {text}")
    return text


class Drafter:
    """What drafting needs, read once: the names, the lexicon, the known entities."""

    def __init__(self, data_dir: Path, ontology_dir: Path):
        self.data_dir = data_dir
        self.index = TermIndex(data_dir, ontology_dir)
        self.finder = MentionFinder(self.index)
        self.lexicon: Lexicon = load_lexicon(data_dir, self.index.relations)
        self.known_by_curie: dict[str, str] = {}
        self.known_by_label: dict[str, str] = {}
        entities_file = data_dir / "entities.yaml"
        if entities_file.is_file():
            for record in (load_yaml(entities_file) or {}).get("entities") or []:
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    if record.get("id_curie"):
                        self.known_by_curie.setdefault(record["id_curie"], record["id"])
                    for label in record.get("written") or []:
                        self.known_by_label.setdefault(label, record["id"])

    def draft(self, text_file: Path, source_id: str) -> dict:
        text = read_text(text_file)
        if not text.strip():
            raise CurationError(text_file, "the source text is empty", "put the source's text in the file")
        source = SourceText(text_file)
        sentences = source.sentences
        mentions = self.finder.find(text)
        refine_processes(mentions, self.index, text, sentences)
        candidates = find_candidates(text, sentences, mentions, self.lexicon)
        return self._document(source, source_id, mentions, candidates)

    # -- the draft document ----------------------------------------------------------------

    def entity_id(self, m: Mention) -> tuple[str, bool]:
        """(id, known): the id of data/entities.yaml for the mention, or one proposed for it."""
        if m.curie and m.curie in self.known_by_curie:
            return self.known_by_curie[m.curie], True
        if m.curie is None and m.text in self.known_by_label:
            return self.known_by_label[m.text], True
        name = m.name if m.curie else m.text
        return re.sub(r"[^A-Za-z0-9_-]+", "-", name.replace("β", "beta").replace("κ", "kappa")).strip("-") or "entity", False

    def _document(self, source: SourceText, source_id: str, mentions: list[Mention],
                  candidates: list[Candidate]) -> dict:
        text = source.text
        mention_ids = {id(m): f"m{i}" for i, m in enumerate(mentions, 1)}
        new_entities: dict[str, dict] = {}

        def entity(m: Mention) -> str:
            eid, known = self.entity_id(m)
            if not known and eid not in new_entities:
                record = {"id": eid, "kind": m.kind if m.kind not in ("phrase", "unknown", "mirna_cluster") else "other",
                          "written": [m.text], "name": m.name or m.text}
                if m.curie:
                    record["id_curie"] = m.curie
                else:
                    record["unresolved"] = m.unresolved or "no identifier found"
                new_entities[eid] = record
            elif not known and m.text not in new_entities[eid]["written"]:
                new_entities[eid]["written"].append(m.text)
            return eid

        mention_records = []
        starts = {m.start: mention_ids[id(m)] for m in mentions}
        for m in mentions:
            record = {"id": mention_ids[id(m)], "start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
            if m.curie:
                record["id_curie"], record["name"] = m.curie, m.name
            else:
                record["unresolved"] = m.unresolved
                if m.name:
                    record["name"] = m.name
            if m.arm:
                record["arm"] = m.arm
            if m.abbreviation_of is not None and m.abbreviation_of in starts:
                record["abbreviation_of"] = starts[m.abbreviation_of]
            record["entity"] = entity(m)
            record["how"] = m.how
            note = m.note
            if m.curie is None and m.text in self.known_by_label:
                # the entity is a curator's earlier reading of the same words, not an identification
                note = "; ".join(filter(None, [note, f"data/entities.yaml writes {m.text!r} for "
                                                     f"{self.known_by_label[m.text]}: check it means the same here"]))
            if note:
                record["note"] = note
            mention_records.append(record)

        statements, seen = [], {}
        for c in candidates:
            subject, obj = entity(c.subject), entity(c.object)
            base = f"{subject}-{c.trigger.relation.replace('_', '-')}-{obj}".lower()
            seen[base] = seen.get(base, 0) + 1
            sid = base if seen[base] == 1 else f"{base}-{seen[base]}"
            quote = text[c.quote[0]:c.quote[1]]
            record = {"id": sid, "subject": subject, "relation": c.trigger.relation, "object": obj}
            if c.trigger.direction:
                record["direction"] = c.trigger.direction
            context = {k: entity(m) for k, m in c.context.items()}
            if context:
                record["context"] = context
            if c.trigger.aspect:
                record["subject_aspect"] = c.trigger.aspect
            record["citation"] = c.citation or "none"
            record["attributed_to"] = self._agent(c.attributed_to, source_id)
            # traceable only through a reference the text gives (a named author is not one)
            record["evidence"] = EVIDENCE_CITED if c.citation is not None else EVIDENCE_UNCITED
            if c.hedge:
                record["hedge"] = c.hedge
            if c.limitation:
                record["statement_type"] = "limitation"
            record["quote"] = quote
            occurrences = source.occurrences(quote)
            if len(occurrences) > 1:
                record["occurrence"] = occurrences.index(c.quote[0]) + 1
            record["draft"] = {
                "sentence": c.sentence + 1,
                "start": c.quote[0],
                "end": c.quote[1],
                "trigger": text[c.trigger_span[0]:c.trigger_span[1]],
                "pattern": c.trigger.pattern,
                "subject_mention": mention_ids.get(id(c.subject), c.subject.text),
                "object_mention": mention_ids.get(id(c.object), c.object.text),
                "attribution": c.attribution_why,
            }
            statements.append(record)

        markers = []
        for n, s in enumerate(source.sentences, 1):
            for m in CITATION.finditer(s.exact):
                markers.append({"text": m.group(), "start": s.start + m.start(), "end": s.start + m.end(), "sentence": n})
        return {
            "source": {"id": source_id, "text": source.path.name, "sha256": source.sha256},
            "sentences": [{"n": n, "start": s.start, "end": s.end} for n, s in enumerate(source.sentences, 1)],
            "mentions": mention_records,
            "citation_markers": markers,
            "entities": list(new_entities.values()),
            "statements": statements,
        }

    def _agent(self, who: str, source_id: str) -> str:
        if who == "source":
            return source_id
        if who == "we":
            return f"{source_id}-authors"
        return re.sub(r"[^a-z0-9]+", "-", who.lower()).strip("-")


HEADER = """\
# yaml-language-server: $schema={schema}
# A draft of statements read from {text} by `python build.py draft` (data/draft/triggers.yaml).
# Nothing here reaches the release: the build never reads a draft. To accept a statement, check
# it against the text, fix what is wrong, delete its `draft:` block and move it into the
# source's statements.yaml (and any new entity of `entities:` into data/entities.yaml).
# Offsets count Unicode code points from 0, end exclusive.
"""


def write_draft(document: dict, source_dir: Path, project_root: Path | None = None) -> Path:
    """draft.yaml beside the text, replaced in one step (a temporary file renamed over it)."""
    target = Path(source_dir) / DRAFT_FILE
    schema = project_root / SCHEMA if project_root else Path(SCHEMA)
    rel = os.path.relpath(schema.resolve(), target.parent.resolve())
    # libyaml's emitter when PyYAML has it (the pure-Python one takes a second on a long draft)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    body = yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
    content = HEADER.format(schema=rel.replace(os.sep, "/"), text=document["source"]["text"]) + body
    fd, tmp = tempfile.mkstemp(prefix=".draft-", suffix=".yaml", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(content)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def source_id_of(source_dir: Path) -> str:
    """The source's id: source.yaml's `id`, or the folder's name."""
    meta = Path(source_dir) / SOURCE_FILE
    if meta.is_file():
        data = load_yaml(meta)
        if not isinstance(data, dict) or set(data) - SOURCE_FIELDS:
            raise CurationError(meta, "source.yaml should be a mapping of " + ", ".join(sorted(SOURCE_FIELDS)),
                                "remove or rename the other fields")
        if isinstance(data.get("id"), str):
            return data["id"]
    return Path(source_dir).name
