"""The draft's lexicon (data/draft/triggers.yaml): trigger patterns, hedge cues, attribution
words. Read and checked here; the patterns are compiled into regular expressions over a
sentence in which each mention stands as one placeholder ("\x01kind:index\x02")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CurationError
from ..yamlio import load_yaml

LEXICON_FILE = Path("draft") / "triggers.yaml"
TRIGGER_FIELDS = {"pattern", "relation", "direction", "aspect", "subject", "object"}
HEDGE_FIELDS = {"cue", "reaches", "limitation"}
LEXICON_FIELDS = {"fillers", "triggers", "hedges", "clause_boundaries", "attribution"}
ATTRIBUTION_FIELDS = {"continues", "the_authors"}
SLOT_KINDS = {"mirna", "mirna_class", "mirna_cluster", "gene", "cell_type", "anatomy", "disease", "process",
              "vesicle", "intervention", "unknown", "phrase"}
_ELEMENT = re.compile(r"\{[SO]\}|<[^>]*>|\.\.\.,?|\S+")
# where a phrase (a subject or object no mention covers) ends, and where a subject phrase starts
# (a disease after "in" is the claim's context, not part of its object: "inflammation in SLE")
_PHRASE_END = (r"(?=\s*(?:[,;(\[]|\.(?:\s|$)|$)|\s+(?:by|through|because|as|which|that|respectively|while|whereas|and)\b"
               r"|\s+in\s+\x01disease:)")
_PHRASE_START = r"(?:^|(?<=[,;:]\s)|(?<=\bthat\s)|(?<=\bas\s)|(?<=\bbecause\s)|(?<=\bwhile\s))"
_DETERMINER = r"(?:(?:the|a|an|their|its|these|this)\s+)?"


@dataclass
class Trigger:
    pattern: str
    relation: str
    direction: str | None
    aspect: str | None
    subject: list[str]
    object: list[str]
    before: re.Pattern | None
    after: re.Pattern


@dataclass
class Hedge:
    cue: str
    reaches: str  # clause | sentence
    limitation: bool
    regex: re.Pattern


@dataclass
class Lexicon:
    triggers: list[Trigger]
    hedges: list[Hedge]
    boundaries: list[str]
    continues: list[str]
    the_authors: list[str]


def _slot(name: str, kinds: list[str], exclude: list[str], before_trigger: bool) -> str:
    mention_kinds = [k for k in kinds if k != "phrase"]
    token = r"\x01(?:%s):\d+\x02" % "|".join(map(re.escape, mention_kinds)) if mention_kinds else None
    parts = []
    if token:
        item = rf"{token}(?:\s*\({token}\))?"  # a long name and its (ABBR): one item
        group = rf"{item}(?:(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|\s*/\s*){item})*"
        parts.append(rf"{_DETERMINER}(?:\x01[^\x02]*\x02[\s-]*)*?(?P<{name}>{group})")
    if "phrase" in kinds:
        barred = "|".join(map(re.escape, mention_kinds + exclude)) or "(?!)"
        body = rf"(?:[^\x01\x02,;()\[\].]|\x01(?!(?:{barred}):)[^\x02]*\x02)+?"
        if before_trigger:
            parts.append(rf"{_PHRASE_START}(?!\s)(?P<{name}p>{body})(?<!ed)(?=\s)")  # not a clause ("the cells exhibited")
        else:
            parts.append(rf"{_DETERMINER}(?!\s)(?!(?:in|of|to|on|at|for|with|by|from)\b)(?P<{name}p>{body}){_PHRASE_END}")
    return "(?:" + "|".join(parts) + ")"


def _words(text: str) -> str:
    alternatives = []
    for alt in text.split("|"):
        rx = r"\s+".join(map(re.escape, alt.split()))
        alternatives.append((r"(?<![\w-])" if alt[:1].isalnum() else "") + rx + (r"\b" if alt[-1:].isalnum() else ""))
    return "(?:" + "|".join(alternatives) + ")"


def compile_pattern(pattern: str, subject: list[str], obj: list[str], fillers: list[str]):
    """(before, after): the pattern up to its trigger, anchored at the trigger (None when the
    pattern starts with it), and the pattern from its trigger on. The trigger is found first and
    what stands before it is matched backwards from there, so that one subject can take several
    triggers ("X reduces A and attenuates B")."""
    filler = r"\s*(?:(?:%s)\s+)*" % "|".join(map(re.escape, fillers)) if fillers else r"\s*"
    elements = _ELEMENT.findall(pattern)
    triggers = [i for i, e in enumerate(elements) if e.startswith("<")]
    if elements.count("{S}") != 1 or elements.count("{O}") != 1 or len(triggers) != 1:
        raise ValueError("a pattern needs one {S}, one {O} and one <trigger>")
    at = triggers[0]
    pieces, seen_subject = [], False
    for i, element in enumerate(elements):
        if element == "{S}":
            rx = _slot("S", subject, [], before_trigger=i < at)
            seen_subject = True
        elif element == "{O}":
            rx = _slot("O", obj, [], before_trigger=False)
        elif element.startswith("..."):
            barred = "|".join(map(re.escape, [k for k in subject if k != "phrase"])) or "(?!)"
            stop = ";" if element == "...," else ";,"
            gap = rf"(?:[^{stop}\x01]|\x01(?!(?:{barred}):)[^\x02]*\x02)*?" if seen_subject else rf"[^{stop}]*?"
            # a subject that is a phrase stands right before the trigger: no gap then
            rx = rf"(?(Sp)|{gap})" if seen_subject and "phrase" in subject and i < at else gap
        elif element.startswith("<"):
            rx = rf"(?P<T>{_words(element[1:-1])})"
        elif element.endswith("?") and len(element) > 1:
            pieces.append(rf"(?:{_words(element[:-1])}{filler})?")
            continue
        else:
            rx = _words(element)
        pieces.append(rx + filler)
    before = re.compile("".join(pieces[:at]) + r"\Z", re.IGNORECASE) if at else None
    after = "".join(pieces[at:])
    return before, re.compile(after.removesuffix(filler), re.IGNORECASE)


def load_lexicon(data_dir: Path, relations: dict) -> Lexicon:
    file = data_dir / LEXICON_FILE
    data = load_yaml(file)
    if not isinstance(data, dict):
        raise CurationError(file, "the lexicon should be a mapping with triggers, hedges, ...", "restore its layout")
    unknown = set(data) - LEXICON_FIELDS
    if unknown:
        raise CurationError(file, f"unknown field(s) {', '.join(sorted(unknown))}",
                            f"use only: {', '.join(sorted(LEXICON_FIELDS))}")
    fillers = [str(f) for f in data.get("fillers") or []]
    triggers = []
    for n, record in enumerate(data.get("triggers") or [], 1):
        where = dict(record=f"trigger #{n}", line=getattr(record, "line", None))
        if not isinstance(record, dict) or set(record) - TRIGGER_FIELDS or not {"pattern", "relation", "subject", "object"} <= set(record):
            raise CurationError(file, "a trigger takes pattern, relation, subject, object (direction, aspect optional)",
                                "fix the record's fields", **where)
        if record["relation"] not in relations:
            raise CurationError(file, f"unknown relation '{record['relation']}'",
                                f"use a claim relation of the ontology: {', '.join(sorted(relations))}", **where)
        use = relations[record["relation"]].direction_use
        direction = record.get("direction")
        if direction not in (None, "increase", "decrease") or (use == "none" and direction) or (use == "required" and not direction):
            raise CurationError(file, f"direction {direction!r} does not fit relation '{record['relation']}' ({use})",
                                "give increase or decrease where the relation takes one, none where it does not", **where)
        for slot in ("subject", "object"):
            bad = [k for k in record[slot] if k not in SLOT_KINDS] if isinstance(record[slot], list) else [record[slot]]
            if bad:
                raise CurationError(file, f"unknown {slot} kind(s) {bad}", f"use a list of: {', '.join(sorted(SLOT_KINDS))}", **where)
        try:
            before, after = compile_pattern(record["pattern"], record["subject"], record["object"], fillers)
        except (ValueError, re.error) as exc:
            raise CurationError(file, f"the pattern {record['pattern']!r} cannot be read: {exc}",
                                "write it with {S}, {O}, one <trigger> (one only) and words (see the file's header)", **where) from None
        triggers.append(Trigger(record["pattern"], record["relation"], direction, record.get("aspect"),
                                record["subject"], record["object"], before, after))
    hedges = []
    for n, record in enumerate(data.get("hedges") or [], 1):
        if not isinstance(record, dict) or "cue" not in record or set(record) - HEDGE_FIELDS:
            raise CurationError(file, "a hedge takes cue (reaches, limitation optional)", "fix the record",
                                record=f"hedge #{n}", line=getattr(record, "line", None))
        reaches = record.get("reaches", "clause")
        if reaches not in ("clause", "sentence"):
            raise CurationError(file, f"reaches: {reaches!r}", "use clause or sentence", record=f"hedge #{n}")
        rx = re.compile(r"\b" + r"\s+".join(map(re.escape, str(record["cue"]).split())) + r"\b", re.IGNORECASE)
        hedges.append(Hedge(str(record["cue"]), reaches, bool(record.get("limitation", False)), rx))
    attribution = data.get("attribution") or {}
    if set(attribution) - ATTRIBUTION_FIELDS:
        raise CurationError(file, "unknown attribution field(s)", f"use: {', '.join(sorted(ATTRIBUTION_FIELDS))}")
    return Lexicon(triggers, hedges, [str(b) for b in data.get("clause_boundaries") or []],
                   list(attribution.get("continues") or []), list(attribution.get("the_authors") or []))
