"""Property: however a curation file is broken, the build ends in a clean error (never a
traceback) and never changes dist/."""

from __future__ import annotations

import shutil

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from helpers import run, tree_digest
from mirkg import paths
from mirkg.cli import main

FILES = {"entities.yaml": "entities", "sources/review/statements.yaml": "statements", "citations.yaml": "works",
         "sources/review/source.yaml": None}
REQUIRED = {
    "entities": ["id", "kind", "written", "name"],
    "statements": ["id", "subject", "relation", "object", "citation", "attributed_to", "evidence", "quote"],
    "works": ["id", "authors", "title", "journal", "year"],
    None: ["id", "work", "part", "origin", "licence"],  # a source's metadata: one record, the whole file
}
WRONG_VALUES = [42, 3.5, True, ["a", "b"], {"k": "v"}, "", None]

mutation = st.one_of(
    st.tuples(st.just("drop"), st.sampled_from(sorted(FILES)), st.integers(0, 200), st.integers(0, 20)),
    st.tuples(st.just("retype"), st.sampled_from(sorted(FILES)), st.integers(0, 200), st.integers(0, 20),
              st.sampled_from(range(len(WRONG_VALUES)))),
    st.tuples(st.just("unknown-ref"), st.sampled_from(["subject", "object", "via", "attributed_to", "citation",
                                                       "relation", "evidence"]), st.integers(0, 200)),
    st.tuples(st.just("cut-quote"), st.integers(0, 200), st.integers(1, 60), st.integers(1, 30)),
    st.tuples(st.just("duplicate-id"), st.sampled_from(sorted(FILES)), st.integers(0, 200), st.integers(0, 200)),
    st.tuples(st.just("bad-utf8"), st.sampled_from(sorted(FILES) + ["sources/review/text.txt", "levels.yaml"]),
              st.integers(0, 10**6)),
    st.tuples(st.just("broken-yaml"), st.sampled_from(sorted(FILES) + ["levels.yaml"]), st.integers(0, 10**6),
              st.sampled_from(["[", "{", ": :", "\t", "- - -\n  x", "'", "*alias"])),
)


def _apply(data_dir, m) -> None:
    kind = m[0]
    if kind in ("bad-utf8", "broken-yaml"):
        path = data_dir / m[1]
        raw = path.read_bytes()
        at = m[2] % len(raw)
        if kind == "broken-yaml":
            while at and 0x80 <= raw[at] <= 0xBF:  # not inside a character: the YAML is what breaks
                at -= 1
        insert = b"\xff\xc3\x28" if kind == "bad-utf8" else ("\n" + m[3] + "\n").encode()
        mutated = raw[:at] + insert + raw[at:]
        if kind == "broken-yaml":
            # Only insertions that really break the YAML count; a harmless one says nothing.
            try:
                yaml.safe_load(mutated.decode("utf-8"))
                assume(False)
            except yaml.YAMLError:
                pass
        path.write_bytes(mutated)
        return
    file = {"unknown-ref": "sources/review/statements.yaml", "cut-quote": "sources/review/statements.yaml"}.get(kind, m[1] if len(m) > 1 else "")
    path = data_dir / file
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if FILES[file] is None and kind == "duplicate-id":  # a second source folder with the same id
        shutil.copytree(path.parent, path.parent.with_name(path.parent.name + "-copy"))
        return
    records = doc[FILES[file]] if FILES[file] is not None else [doc]
    record = records[m[2] % len(records)]
    if kind == "drop":
        fields = REQUIRED[FILES[file]]
        record.pop(fields[m[3] % len(fields)], None)
    elif kind == "retype":
        fields = REQUIRED[FILES[file]]
        record[fields[m[3] % len(fields)]] = WRONG_VALUES[m[4]]
    elif kind == "unknown-ref":
        record[m[1]] = {"citation": "[99]"}.get(m[1], "no-such-thing")
    elif kind == "cut-quote":
        quote = record["quote"]
        start = m[2] % len(quote)
        record["quote"] = quote[:start] + quote[start + m[3]:] + "§"
    elif kind == "duplicate-id":
        record["id"] = records[m[3] % len(records)]["id"] if len(records) > 1 else record["id"]
        if record is records[m[3] % len(records)]:
            records.append(dict(record))
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.mark.slow  # 60 builds of broken copies
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(m=mutation)
def test_any_broken_curation_ends_in_a_clean_error(m, tmp_path_factory, capsys):
    work = tmp_path_factory.mktemp("mut")
    data, dist = work / "data", work / "dist"
    shutil.copytree(paths.DATA, data)
    (dist / "sentinel").parent.mkdir(parents=True)
    (dist / "sentinel").write_text("previous release\n")
    before = tree_digest(dist)
    _apply(data, m)

    code, _, err = run(["--skip-reasoning", "--data", str(data), "--dist", str(dist)], capsys)

    assert code in (1, 2), f"mutation {m} was not refused (exit {code})"
    assert "Traceback" not in err
    assert err.startswith("error: ") or "Violation" in err
    assert tree_digest(dist) == before


@pytest.mark.slow  # a whole build
def test_the_unmutated_copy_builds(tmp_path, capsys):
    shutil.copytree(paths.DATA, tmp_path / "data")
    assert main(["--skip-reasoning", "--data", str(tmp_path / "data"), "--dist", str(tmp_path / "dist")]) == 0
