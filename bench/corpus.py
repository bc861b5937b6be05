"""A synthetic corpus: the curated data replicated N times with fresh identifiers.

Copy 1 is the real dataset unchanged (same ids, so the stored queries' example parameters still
name something). Copy k >= 2 gives every entity and statement the id `<id>_c<k>`.

The source text, by default, stays the one paragraph, and every copy quotes it where the real
statements do: the corpus grows in statements, as it does when curators add them, not in the
length of one text. (The data model has one source text; a review's text has a bounded length,
while the statements read from reviews keep coming.) With `repeat_text=True` the text is the
paragraph repeated N times and copy k quotes the k-th copy (`occurrence:`), so the text grows
with the data; the constraints that compare each quote with the text then cost the text's
length per quote, which is quadratic in N (bench/README.md gives the figures).
The works, numbered references, joint citations and agents are those of the one review and are
shared by all copies (the text of every copy cites the same [1]-[8]).

The result goes through the real loader, so whatever it writes is checked like curated input:
same shapes, same mix of claim kinds (findings, hedged claims, limitations, citations, none),
valid data. At scale N it has N x the entities and claims of the real dataset.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from mirkg.curation import CITATIONS_FILE, ENTITIES_FILE, REFERENCE_DIR, SOURCE_FILE, STATEMENTS_FILE
from mirkg.yamlio import load_yaml, read_text

# Between two copies of the paragraph. The paragraph ends with a full stop; the next copy starts
# with white space, so a quote never runs across two copies.
SEPARATOR = "\n"

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def copy_id(identifier: str, k: int) -> str:
    return identifier if k == 1 else f"{identifier}_c{k}"


def _plain(value):
    """yamlio's Record (a dict subclass) as a plain dict, so that the safe dumper writes it."""
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _entity_copy(record: dict, k: int) -> dict:
    out = dict(record)
    out["id"] = copy_id(record["id"], k)
    if "parts" in record:
        out["parts"] = [copy_id(p, k) for p in record["parts"]]
    return out


def _statement_copy(record: dict, k: int, per_copy: int | None) -> dict:
    out = dict(record)
    out["id"] = copy_id(record["id"], k)
    for key in ("subject", "object", "via"):
        if record.get(key) is not None:
            out[key] = copy_id(record[key], k)
    if record.get("context"):
        out["context"] = {key: copy_id(value, k) for key, value in record["context"].items()}
    if per_copy is not None:
        # The j-th occurrence of the quote in copy k is occurrence (k - 1) * per_copy + j of the text.
        out["occurrence"] = (k - 1) * per_copy + record.get("occurrence", 1)
    return out


def make_corpus(source_data: Path, target: Path, scale: int, repeat_text: bool = False) -> Path:
    """Write a data/ folder with `scale` copies of the curated statements into `target` (the
    source text once, or repeated `scale` times with `repeat_text`)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source_data / REFERENCE_DIR, target / REFERENCE_DIR, dirs_exist_ok=True)
    shutil.copyfile(source_data / CITATIONS_FILE, target / CITATIONS_FILE)
    paragraph = read_text(source_data / SOURCE_FILE)
    (target / SOURCE_FILE).parent.mkdir(parents=True, exist_ok=True)
    (target / SOURCE_FILE).write_text(SEPARATOR.join([paragraph] * (scale if repeat_text else 1)), encoding="utf-8")
    if scale == 1:  # the real dataset, byte for byte
        shutil.copyfile(source_data / ENTITIES_FILE, target / ENTITIES_FILE)
        shutil.copyfile(source_data / STATEMENTS_FILE, target / STATEMENTS_FILE)
        return target

    entities = _plain(load_yaml(source_data / ENTITIES_FILE)["entities"])
    statements = _plain(load_yaml(source_data / STATEMENTS_FILE)["statements"])
    # How often each quote occurs in one paragraph, counted as the loader counts (overlaps too).
    per_copy = {r["id"]: _occurrences(paragraph, str(r["quote"]).strip()) if repeat_text else None
                for r in statements}
    _dump(target / ENTITIES_FILE, "entities", (_entity_copy(r, k) for k in range(1, scale + 1) for r in entities))
    _dump(
        target / STATEMENTS_FILE,
        "statements",
        (_statement_copy(r, k, per_copy[r["id"]]) for k in range(1, scale + 1) for r in statements),
    )
    return target


def _occurrences(text: str, quote: str) -> int:
    count, i = 0, text.find(quote)
    while i != -1 and quote:
        count, i = count + 1, text.find(quote, i + 1)
    return count


def _dump(path: Path, key: str, records) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write(f"# synthetic corpus written by bench/corpus.py; do not edit\n{key}:\n")
        for record in records:
            out.write(yaml.dump([record], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20))
