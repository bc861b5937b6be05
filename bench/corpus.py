"""A synthetic corpus: the curated data replicated N times with fresh identifiers, growing by
sources, as a real corpus grows.

Copy 1 is the real dataset unchanged (same ids, so the stored queries' example parameters still
name something). Copy k >= 2 adds, for every source folder of the real data, a source folder
`<folder>_c<k>` with the same text and metadata, the source id `<id>_c<k>`, and its statements,
each with the id `<id>_c<k>`, quoting its own copy of the text. Every entity gets a copy with the
id `<id>_c<k>`, which copy k's statements name. The works, numbered references, joint citations,
agents and level words are shared by all copies (every copy of the paragraph cites the same [1]-[8]).

The result goes through the real loader, so whatever it writes is checked like curated input:
same shapes, same mix of claim kinds (findings, hedged claims, limitations, citations, none),
valid data. At scale N it has N x the sources, entities and claims of the real dataset.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from mirkg import sources
from mirkg.curation import CITATIONS_FILE, ENTITIES_FILE, LEVELS_FILE, REFERENCE_DIR
from mirkg.yamlio import load_yaml

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


def _statement_copy(record: dict, k: int) -> dict:
    out = dict(record)
    out["id"] = copy_id(record["id"], k)
    for key in ("subject", "object", "via", "limits"):
        if record.get(key) is not None:
            out[key] = copy_id(record[key], k)
    if record.get("context"):
        out["context"] = {key: copy_id(value, k) for key, value in record["context"].items()}
    return out


def make_corpus(source_data: Path, target: Path, scale: int) -> Path:
    """Write a data/ folder with `scale` copies of every source and its statements into `target`."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    target.mkdir(parents=True, exist_ok=True)
    shutil.copytree(source_data / REFERENCE_DIR, target / REFERENCE_DIR, dirs_exist_ok=True)
    shutil.copyfile(source_data / CITATIONS_FILE, target / CITATIONS_FILE)
    if (source_data / LEVELS_FILE).exists():
        shutil.copyfile(source_data / LEVELS_FILE, target / LEVELS_FILE)
    folders = sorted(p for p in (source_data / sources.SOURCES_DIR).iterdir() if p.is_dir())
    for folder in folders:  # copy 1: the real sources, byte for byte
        shutil.copytree(folder, target / sources.SOURCES_DIR / folder.name, dirs_exist_ok=True)
    if scale == 1:
        shutil.copyfile(source_data / ENTITIES_FILE, target / ENTITIES_FILE)
        return target
    entities = _plain(load_yaml(source_data / ENTITIES_FILE)["entities"])
    _dump(target / ENTITIES_FILE, {}, "entities", (_entity_copy(r, k) for k in range(1, scale + 1) for r in entities))
    for folder in folders:
        meta = _plain(load_yaml(folder / sources.METADATA_FILE))
        statements = _plain(load_yaml(folder / sources.STATEMENTS_FILE)["statements"])
        text = (folder / sources.TEXT_FILE).read_bytes()
        for k in range(2, scale + 1):
            copy = target / sources.SOURCES_DIR / f"{folder.name}_c{k}"
            copy.mkdir(parents=True, exist_ok=True)
            (copy / sources.TEXT_FILE).write_bytes(text)
            _dump(copy / sources.METADATA_FILE, {**meta, "id": copy_id(meta["id"], k)}, None, ())
            _dump(copy / sources.STATEMENTS_FILE, {"source": copy_id(meta["id"], k)}, "statements",
                  (_statement_copy(r, k) for r in statements))
    return target


def _dump(path: Path, head: dict, key: str | None, records) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("# synthetic corpus written by bench/corpus.py; do not edit\n")
        if head:
            out.write(yaml.dump(head, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20))
        if key is not None:
            out.write(f"{key}:\n")
            for record in records:
                out.write(yaml.dump([record], Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1 << 20))
