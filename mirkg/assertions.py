"""What several sources say, merged: assertions with their evidence, the works behind them, and
the conflicts between them.

The rules (docs/sources.md states them for curators):

* **Same content.** Two statements assert the same thing when they have the same subject,
  relation, object, direction and kind (finding or limitation), in compatible contexts: no context
  key (cell type, tissue, disease) is given a different entity by the two. Statements with the
  same content key are taken in order, most context first (then by source and id); each joins the
  first assertion whose every statement is compatible with it, or starts one. An assertion's
  context is the union of its statements' contexts. Its id comes from its content.
* **Evidence.** Each statement is one piece of evidence for its assertion: its source, span,
  citation, attribution, hedge and ECO code stay its own.
* **Direct triple.** An assertion is stated plainly (the direct `subject relation object` triple
  exists) when at least one of its statements is an unhedged finding; hedged evidence alone
  gives the assertion, never the plain triple.
* **One paper counted once.** Every statement traces back to works: the works its citation
  resolves to (a numbered reference, a joint citation, the candidates of an ambiguous one), or,
  without a citation, the work its source belongs to. An unidentified reference is a work of its
  own, unknown. Two statements are dependent when their works overlap; the independent works of
  an assertion are the groups of its statements joined by overlap, so the review citing [6] and
  the title of the work [6] resolves to count once.
* **Conflicts** never fail the build; they are listed:
  - *opposite direction*: two findings with the same subject, relation and object in compatible
    contexts, one increase and one decrease;
  - *limitation*: a limitation of one source with the same subject, relation and object as a
    finding of another source, in compatible contexts;
  - *level*: one source measures the subject's level in a disease (`differentially_expressed_in`,
    a direction), another takes the opposite level of the same subject in that disease and a
    compatible cell context as the condition of its finding (`subject_aspect`, read with the
    level words of data/levels.yaml).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from functools import cached_property

from .curation import Curation, Statement

LEVEL_RELATION = "differentially_expressed_in"
OPPOSITE = {"increase": "decrease", "decrease": "increase"}


@dataclass(frozen=True)
class Assertion:
    id: str
    subject: str
    relation: str
    object: str
    direction: str | None
    statement_type: str
    context: tuple[tuple[str, str], ...]  # sorted (key, entity id) pairs
    evidence: tuple[Statement, ...]

    @property
    def stated_plainly(self) -> bool:
        return any(s.hedge is None and s.statement_type == "finding" for s in self.evidence)

    @property
    def sources(self) -> list[str]:
        return sorted({s.source for s in self.evidence})


@dataclass(frozen=True)
class Conflict:
    kind: str  # opposite direction | limitation | level
    first: Statement
    second: Statement
    explanation: str


def compatible(a: dict[str, str], b: dict[str, str]) -> bool:
    return all(b.get(key, value) == value for key, value in a.items())


def content_key(s: Statement) -> tuple:
    return (s.subject, s.relation.name, s.object, s.direction or "", s.statement_type)


def assertion_id(key: tuple, context: dict[str, str]) -> str:
    """Readable where it can be (subject, relation, object, direction), and unique by a hash of
    the whole content, context included."""
    content = json.dumps([list(key), sorted(context.items())], ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:10]
    readable = "-".join(part for part in key[:4] if part)
    return f"{re.sub(r'[^A-Za-z0-9_-]+', '-', readable)}-{digest}"


class Merged:
    """The assertions and conflicts of a curation, computed once."""

    def __init__(self, curation: Curation):
        self.curation = curation
        self.levels = curation.levels

    @classmethod
    def of(cls, curation: Curation) -> Merged:
        """The merged view of a curation, made once however many stages ask for it (the triples,
        the release object, the KGX export)."""
        merged = curation.__dict__.get("_merged")
        if merged is None:
            merged = curation.__dict__["_merged"] = cls(curation)
        return merged

    @cached_property
    def assertions(self) -> list[Assertion]:
        order = {sid: i for i, sid in enumerate(self.curation.sources)}
        groups: dict[tuple, list[list[Statement]]] = {}
        ranked = sorted(self.curation.statements,
                        key=lambda s: (-len(s.context), order[s.source], s.id))
        for s in ranked:
            members = groups.setdefault(content_key(s), [])
            for group in members:
                if all(compatible(s.context, other.context) for other in group):
                    group.append(s)
                    break
            else:
                members.append([s])
        out = []
        for key, members in groups.items():
            for group in members:
                context: dict[str, str] = {}
                for s in group:
                    context.update(s.context)
                evidence = tuple(sorted(group, key=lambda s: (order[s.source], s.id)))
                out.append(Assertion(assertion_id(key, context), key[0], key[1], key[2], key[3] or None, key[4],
                                     tuple(sorted(context.items())), evidence))
        return sorted(out, key=lambda a: a.id)

    @cached_property
    def assertion_of(self) -> dict[str, Assertion]:
        """The assertion each statement is evidence for, by statement id."""
        return {s.id: a for a in self.assertions for s in a.evidence}

    def works_of(self, s: Statement) -> frozenset[str]:
        """The works a statement traces back to; an unidentified reference is a work of its own."""
        c = self.curation
        if not s.citation_numbers:
            return frozenset({c.sources[s.source].work})
        works: set[str] = set()
        for n in s.citation_numbers:
            ref = c.references[n]
            if ref.work:
                works.add(ref.work)
            elif ref.candidates:
                works.update(ref.candidates)
            else:
                works.add(f"reference [{n}]")
        return frozenset(works)

    def independent_works(self, assertion: Assertion) -> list[frozenset[str]]:
        """The groups of the assertion's evidence that trace back to overlapping works: each group
        is one independent line of support, whatever the number of quotes."""
        groups: list[set[str]] = []
        for s in assertion.evidence:
            works = set(self.works_of(s))
            joined = [g for g in groups if g & works]
            for g in joined:
                works |= g
                groups.remove(g)
            groups.append(works)
        return sorted((frozenset(g) for g in groups), key=sorted)

    @cached_property
    def conflicts(self) -> list[Conflict]:
        statements = self.curation.statements
        found: list[Conflict] = []
        by_triple: dict[tuple, list[Statement]] = {}
        for s in statements:
            by_triple.setdefault((s.subject, s.relation.name, s.object), []).append(s)
        for group in by_triple.values():
            for i, a in enumerate(group):
                for b in group[i + 1:]:
                    if not compatible(a.context, b.context):
                        continue
                    kinds = {a.statement_type, b.statement_type}
                    if kinds == {"finding"} and a.direction and OPPOSITE.get(a.direction) == b.direction:
                        found.append(Conflict("opposite direction", a, b,
                                              f"one says {a.direction}, the other {b.direction}"))
                    elif kinds == {"finding", "limitation"} and a.source != b.source:
                        limitation, finding = (a, b) if a.statement_type == "limitation" else (b, a)
                        found.append(Conflict("limitation", finding, limitation,
                                              "a limitation of another source qualifies this finding"))
        leveled: dict[str, list[tuple[Statement, str]]] = {}
        for s in statements:
            level = self.level_of(s)
            if level is not None:
                leveled.setdefault(s.subject, []).append((s, level))
        for measured in statements:
            if measured.relation.name != LEVEL_RELATION or not measured.direction:
                continue
            for s, level in leveled.get(measured.subject, ()):
                if (s.source == measured.source
                        or level != OPPOSITE[measured.direction]
                        or s.context.get("disease") != measured.object
                        or not compatible({k: v for k, v in measured.context.items() if k != "disease"}, s.context)):
                    continue
                found.append(Conflict(
                    "level", measured, s,
                    f"one source measures the level {measured.direction}d in this disease; the other takes "
                    f"'{s.subject_aspect}' as the condition of its finding"))
        return sorted(found, key=lambda c: (c.kind, c.first.id, c.second.id))

    def level_of(self, s: Statement) -> str | None:
        """The level (increase or decrease) a statement's subject aspect takes, by the level words."""
        if not s.subject_aspect:
            return None
        aspect = s.subject_aspect.lower()
        for words, level in sorted(self.levels.items(), key=lambda kv: -len(kv[0])):
            if aspect == words or aspect.startswith(words + " "):
                return level
        return None
