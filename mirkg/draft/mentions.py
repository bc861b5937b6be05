"""Mentions in a text, with offsets: miRNAs by miRBase's naming grammar, genes by HGNC symbol
and name, cell types, tissues, diseases, processes and vesicles by the ontology's labels, and
the "long name (ABBR)" pattern that defines an abbreviation for the rest of the text.

Offsets count Unicode code points from 0, end exclusive, as the curation's do. A mention gets an
identifier only from the reference table; otherwise it says why it has none.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .terms import Term, TermIndex, name_key, symbol_key, word_pieces

# miRBase names: [species-]miR-<number><letter>[-<copy>][-5p|-3p], let-7f, lin-4; a cluster
# miR-17~92; lower-case "mir" names a hairpin precursor.
MIRNA = re.compile(
    r"(?<![\w-])(?:(?P<species>[a-z]{3})-)?(?P<type>microRNA|miRNA|MiR|miR|mir|let|lin)-"
    r"(?P<num>\d+[a-z]?(?:-\d+(?![\dp]))?)(?:-(?P<arm>[35]p))?(?P<cluster>~\d+[a-z]?)?(?![\w~])"
)
# the rest of a list that shares the first name's prefix: "miR-21/-155", "miR-221 and -222"
MIRNA_MORE = re.compile(
    r"(?:\s*/\s*-?|,\s*-|,?\s+(?:and|or)\s+-)(?P<num>\d+[a-z]?)(?:-(?P<arm>[35]p))?(?![\w~])"
)
MIRNA_CLASS = re.compile(r"(?<![\w-])(?:microRNA|miRNA)s?(?![\w-])")
WORD = re.compile(r"\w+")
ABBREVIATION = re.compile(r"\((?P<abbr>[^\s()\[\],;]{2,12})\)")
NAME_GAP = re.compile(r"[ \t\n]*-?[ \t\n]*")
DERIVED = re.compile(r"(?:\s*-\s*derived\s+|\s+)")
CELLS_AFTER = re.compile(r"\s+cells?\b")


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: str
    curie: str | None = None
    name: str | None = None
    unresolved: str | None = None
    how: str = ""
    note: str | None = None
    arm: str | None = None
    abbreviation_of: int | None = None  # start of the long form this abbreviation stands for
    tissue: Mention | None = field(default=None, repr=False)
    head: str | None = None  # a process's bare head word ("migration"), refined by its cell
    occurrence: bool = False  # a later use of an abbreviation (found again on each pass)

    @property
    def resolved(self) -> bool:
        return self.curie is not None


def _from_term(start: int, end: int, text: str, term: Term, how: str | None = None) -> Mention:
    return Mention(start, end, text, term.kind, term.curie, term.label, None, how or f"{term.how}: {term.written_as!r}")


class _Found:
    """The mentions so far, with the characters they cover."""

    def __init__(self, text: str):
        self.text = text
        self.used = bytearray(len(text))
        self.by_start: dict[int, Mention] = {}
        self.by_end: dict[int, Mention] = {}

    def free(self, start: int, end: int) -> bool:
        return not any(self.used[start:end])

    def add(self, m: Mention) -> Mention:
        self.by_start[m.start] = m
        self.by_end[m.end] = m
        self.used[m.start:m.end] = b"\x01" * (m.end - m.start)
        return m

    def remove(self, m: Mention) -> None:
        del self.by_start[m.start]
        if self.by_end.get(m.end) is m:
            del self.by_end[m.end]
        self.used[m.start:m.end] = bytes(m.end - m.start)

    def ending_before(self, pos: int) -> Mention | None:
        """The mention that ends right before `pos`, white space between."""
        i = pos
        while i > 0 and self.text[i - 1].isspace():
            i -= 1
        return self.by_end.get(i)

    def at(self, start: int) -> Mention | None:
        return self.by_start.get(start)

    def within(self, start: int, end: int) -> list[Mention]:
        return [self.by_start[p] for p in range(start, end) if p in self.by_start]

    def sorted(self) -> list[Mention]:
        return [self.by_start[k] for k in sorted(self.by_start)]


def mirna_mention(index: TermIndex, start: int, end: int, text: str, species, mtype, num, arm, cluster) -> Mention:
    mtype = {"microRNA": "miR", "miRNA": "miR", "MiR": "miR"}.get(mtype, mtype)
    note = None if species else "species not written; human (hsa) assumed, as the reference table is human"
    name = f"{species or 'hsa'}-{mtype}-{num}" + (f"-{arm}" if arm else "")
    m = Mention(start, end, text, "mirna", name=name, arm=arm, how="miRBase naming grammar", note=note)
    if cluster:
        m.kind, m.name = "mirna_cluster", f"{name}{cluster}"
        m.unresolved = f"a cluster: it names the miRNAs from {mtype}-{num} to {mtype}-{cluster[1:]}, not one"
    elif mtype == "mir":
        precursor = index.precursor.get(name)
        m.unresolved = ("lower-case mir- names a hairpin precursor, not a mature miRNA"
                        + (f" (precursor {precursor} in the reference table)" if precursor else ""))
    elif name in index.mature:
        m.curie = index.mature[name]
    elif arm:
        m.unresolved = f"{name} is not in the reference table"
    else:
        arms = sorted(label for label in index.mature if label.startswith(name))
        m.unresolved = "arm not stated" + (
            f" (the reference table has {', '.join(arms)}: the curator decides which is meant)" if arms
            else "; no mature miRNA of this name in the reference table")
    return m


def _long_form(short: str, before: str) -> int | None:
    """Schwartz & Hearst (2003): where, in the text before "(", the long form of `short` starts;
    each letter or digit of the short form in order, the first at the start of a word."""
    s, i = len(short) - 1, len(before) - 1
    while s >= 0:
        c = short[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while i >= 0 and (before[i].lower() != c or (s == 0 and i > 0 and before[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    while i >= 0 and not before[i].isspace():
        i -= 1
    return i + 1


class MentionFinder:
    def __init__(self, index: TermIndex):
        self.index = index
        self.prefixes: set[str] = set()
        for key in list(index.names) + list(index.heads):
            words = key.split()
            for n in range(1, len(words)):
                self.prefixes.add(" ".join(words[:n]))

    def find(self, text: str) -> list[Mention]:
        found = _Found(text)
        self._mirnas(text, found)
        for m in MIRNA_CLASS.finditer(text):
            if found.free(m.start(), m.end()) and self.index.mirna_class is not None:
                found.add(_from_term(m.start(), m.end(), m.group(), self.index.mirna_class, "miRNA class (plural or singular)"))
        tokens = [(m.start(), m.end()) for m in WORD.finditer(text)]
        self._names(text, tokens, found)
        abbreviations: dict[str, Mention] = {}
        done: set[int] = set()
        for _ in range(4):  # an abbreviation's long form can be built from an earlier one (BM-MSCs)
            before = len(abbreviations)
            self._compose(text, found)
            self._define(text, found, abbreviations, done)
            self._abbreviations(text, tokens, found, abbreviations)
            if len(abbreviations) == before:
                break
        self._compose(text, found)
        return found.sorted()

    def _mirnas(self, text: str, found: _Found) -> None:
        for m in MIRNA.finditer(text):
            g = m.groupdict()
            found.add(mirna_mention(self.index, m.start(), m.end(), m.group(), g["species"], g["type"], g["num"],
                                    g["arm"], g["cluster"]))
            pos = m.end()
            while more := MIRNA_MORE.match(text, pos):
                num_start = more.start("num") - (1 if text[more.start("num") - 1] == "-" else 0)
                mention = mirna_mention(self.index, num_start, more.end(), text[num_start:more.end()], g["species"],
                                        g["type"], more["num"], more["arm"], None)
                mention.how = f"miRBase naming grammar, the prefix shared with {m.group()!r}"
                found.add(mention)
                pos = more.end()

    def _names(self, text: str, tokens: list[tuple[int, int]], found: _Found) -> None:
        index, n_tokens = self.index, len(tokens)
        i = 0
        while i < n_tokens:
            start = tokens[i][0]
            best: tuple[int, Term, bool] | None = None
            # a gene symbol: one hyphenated word or a run of its parts ("TGF-β1", "IL-6")
            j = i
            while j < n_tokens and found.free(tokens[j][0], tokens[j][1]):
                key = symbol_key(text[start:tokens[j][1]])
                if key in index.symbols:
                    best = (j, index.symbols[key], False)
                if j + 1 < n_tokens and text[tokens[j][1]:tokens[j + 1][0]] == "-":
                    j += 1
                else:
                    break
            # a name: words apart by spaces or hyphens, the longest that is a label or synonym
            pieces: list[str] = []
            j = i
            while j < n_tokens and found.free(tokens[j][0], tokens[j][1]):
                if j > i and not NAME_GAP.fullmatch(text, tokens[j - 1][1], tokens[j][0]):
                    break
                pieces.extend(word_pieces(text[tokens[j][0]:tokens[j][1]]))
                whole = " ".join(pieces)
                last = pieces[-1] if pieces else ""
                key = whole[:-1] if len(last) > 3 and last.endswith("s") and not last.endswith("ss") else whole
                if key in index.names and (best is None or j >= best[0]):
                    best = (j, index.names[key], False)
                elif j == i and key in index.heads and best is None:
                    best = (j, index.heads[key], True)
                if whole not in self.prefixes and key not in self.prefixes:
                    break
                j += 1
            if best is None:
                i += 1
                continue
            j, term, head = best
            end = tokens[j][1]
            if found.free(start, end):
                m = _from_term(start, end, text[start:end], term)
                if head:
                    m.head, m.how = text[start:end], f"the head word of {term.how} {term.written_as!r}"
                found.add(m)
            i = j + 1

    def _compose(self, text: str, found: _Found) -> None:
        """"bone marrow-derived MSCs", "umbilical cord MSCs": a cell type of a tissue, as the Cell
        Ontology names such types ("mesenchymal stem cell of the bone marrow")."""
        for tissue in [m for m in found.sorted() if m.kind == "anatomy" and m.resolved]:
            gap = DERIVED.match(text, tissue.end)
            cell = found.at(gap.end()) if gap else None
            if cell is None or cell.kind != "cell_type" or not cell.resolved:
                continue
            for label in (f"{cell.name} of the {tissue.name}", f"{cell.name} of {tissue.name}"):
                term = self.index.label(label)
                if term is not None and term.kind == "cell_type":
                    found.remove(tissue)
                    found.remove(cell)
                    merged = _from_term(tissue.start, cell.end, text[tissue.start:cell.end], term,
                                        f"a {cell.name} of a tissue: {term.how} {term.written_as!r}")
                    merged.tissue = tissue
                    found.add(merged)
                    break

    def _define(self, text: str, found: _Found, abbreviations: dict[str, Mention], done: set[int]) -> None:
        for m in ABBREVIATION.finditer(text):
            if m.start() in done:
                continue
            abbr = m["abbr"]
            if not any(c.isalpha() for c in abbr) or not abbr[0].isalnum():
                continue
            long = found.ending_before(m.start())
            inner = found.at(m.start("abbr"))
            cells = CELLS_AFTER.match(text, m.end())
            if long is not None and long.kind != "unknown":
                done.add(m.start())
                if inner is not None and inner.resolved and inner.end == m.end("abbr"):
                    inner.abbreviation_of = long.start
                elif long.resolved:
                    for piece in found.within(m.start("abbr"), m.end("abbr")):
                        found.remove(piece)
                    if found.free(m.start("abbr"), m.end("abbr")):
                        found.add(self._abbreviation(m.start("abbr"), abbr, long))
                if long.resolved or long.kind in ("mirna_class",):
                    abbreviations[abbr] = long
                continue
            # "T follicular helper (Tfh) cells": the long form goes on after the abbreviation
            if cells is not None and long is None:
                words = [w.group() for w in WORD.finditer(text, max(0, m.start() - 80), m.start())]
                for n in range(min(6, len(words)), 0, -1):
                    term = self.index.names.get(name_key(words[-n:] + ["cells"]))
                    if term is not None and term.kind == "cell_type":
                        start = _word_start_of_nth(text, m.start(), n)
                        if found.free(start, cells.end()):
                            done.add(m.start())
                            found.add(_from_term(start, cells.end(), text[start:cells.end()], term,
                                                 f"long name (ABBR) cells: {term.how} {term.written_as!r}"))
                            abbreviations[abbr] = found.at(start)
                        break
                if m.start() in done:
                    continue
            # the abbreviation is a known symbol: its long form stands for the same gene
            start = _long_form(abbr, text[max(0, m.start() - 120):m.start()].rstrip())
            if start is None:
                continue
            start += max(0, m.start() - 120)
            end = len(text[:m.start()].rstrip())
            if end - start <= len(abbr) or not found.free(start, end):
                continue
            done.add(m.start())
            if inner is not None and inner.resolved:
                inner.abbreviation_of = start
                found.add(Mention(start, end, text[start:end], inner.kind, inner.curie, inner.name, None,
                                  f"long name (ABBR): the long form of {abbr!r}"))
                abbreviations[abbr] = inner
            elif found.free(m.start("abbr"), m.end("abbr")):
                why = "a long form (ABBR) that neither the reference table nor the ontology names"
                found.add(Mention(start, end, text[start:end], "unknown", unresolved=why, how="long name (ABBR)"))
                found.add(Mention(m.start("abbr"), m.end("abbr"), abbr, "unknown", unresolved=why,
                                  how=f"abbreviation of {text[start:end]!r}", abbreviation_of=start))

    def _abbreviation(self, start: int, abbr: str, long: Mention) -> Mention:
        m = Mention(start, start + len(abbr), abbr, long.kind, long.curie, long.name, long.unresolved,
                    f"abbreviation defined by {long.text!r}", abbreviation_of=long.start)
        m.tissue = long.tissue
        return m

    def _abbreviations(self, text: str, tokens, found: _Found, abbreviations: dict[str, Mention]) -> None:
        if not abbreviations:
            return
        for m in [m for m in found.sorted() if m.occurrence]:
            found.remove(m)
        keys: dict[str, Mention] = {}
        for abbr, long in abbreviations.items():
            for form in (abbr, abbr[:-1] if abbr.endswith("s") else abbr + "s"):
                keys.setdefault(form, long)
        for i, (start, end) in enumerate(tokens):
            if not found.free(start, end):
                continue
            # the longest run of hyphen-joined words from here that is an abbreviation
            j, best = i, None
            while True:
                piece = text[start:tokens[j][1]]
                if piece in keys:
                    best = (tokens[j][1], keys[piece])
                if j + 1 < len(tokens) and text[tokens[j][1]:tokens[j + 1][0]] == "-":
                    j += 1
                else:
                    break
            if best is None or not found.free(start, best[0]):
                continue
            m_end, long = best
            m = self._abbreviation(start, text[start:m_end], long)
            cells = CELLS_AFTER.match(text, m_end)
            if cells and long.kind == "cell_type" and long.text.endswith("cells") and found.free(m_end, cells.end()):
                m.end, m.text = cells.end(), text[start:cells.end()]
            m.occurrence = True
            found.add(m)


def _word_start_of_nth(text: str, pos: int, n: int) -> int:
    """The start of the n-th word before `pos`."""
    words = list(WORD.finditer(text, max(0, pos - 120), pos))
    return words[-n].start()


def refine_processes(mentions: list[Mention], index: TermIndex, text: str, sentences) -> None:
    """A bare process word ("proliferation", "migration") becomes the process of the cell type
    the sentence names with it, when the ontology has that term ("stem cell proliferation",
    "mesenchymal stem cell migration"); otherwise it stays the general process."""
    starts = [m.start for m in mentions]
    for sentence in sentences:
        inside = mentions[bisect.bisect_left(starts, sentence.start):bisect.bisect_left(starts, sentence.end)]
        if not any(m.head for m in inside):
            continue
        cells = [m for m in inside if m.kind == "cell_type" and m.resolved]
        for m in inside:
            if m.head is None or not cells:
                continue
            after = [c for c in cells if c.start > m.end and " of " in text[m.end:c.start]
                     and not any(ch in text[m.end:c.start] for ch in ",;")]
            before = [c for c in cells if c.end <= m.start]
            cell = after[0] if after else (before[-1] if before else None)
            if cell is None:
                continue
            for base in dict.fromkeys((cell.name, cell.name.split(" of ")[0])):
                term = index.label(f"{base} {m.head}")
                if term is not None and term.kind == "process":
                    m.curie, m.name = term.curie, term.label
                    m.how = f"{m.how}, of the {cell.name} the sentence names: {term.how} {term.written_as!r}"
                    break
