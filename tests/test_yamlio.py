"""The curation reader: its event-stream fast path builds exactly what PyYAML's SafeLoader on
libyaml builds (values, their types, each record's line), or leaves the text to that loader.

The expected side is PyYAML's SafeLoader on libyaml (mirkg.yamlio._FastLoader, the reader
before the event path), and its errors are worded by the pure-Python SafeLoader. The texts mix
the scalars on which YAML 1.1 resolution is easy to get wrong (yes/no/on/off, octal and
sexagesimal numbers, dates, nulls, merge keys) with quoting, flow style, anchors, tags and
repeated keys.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mirkg import paths, yamlio
from mirkg.errors import CurationError

needs_libyaml = pytest.mark.skipif(yamlio._CSafeLoader is None, reason="PyYAML built without libyaml")


def shape(value):
    """The value with every type and every record's line made visible, for an exact comparison."""
    if isinstance(value, dict):
        return ("map", getattr(value, "line", None), [(shape(k), shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("seq", [shape(v) for v in value])
    return (type(value).__name__, repr(value))


def reference(text: str):
    return yaml.load(text, Loader=yamlio._FastLoader)  # noqa: S506 - a CSafeLoader subclass


@needs_libyaml
@pytest.mark.parametrize("name", ["sources/review/statements.yaml", "entities.yaml", "citations.yaml"])
def test_the_curated_files_read_the_same(name):
    text = (paths.DATA / name).read_text(encoding="utf-8")
    assert shape(yamlio._from_events(text)) == shape(reference(text))


SCALARS = [
    "yes", "No", "ON", "off", "true", "False", "y", "n", "~", "null", "Null", "", "0", "017", "0o17",
    "0x1F", "0b101", "1_000", "+12", "-3", "1:20", "190:20:30", "1.5", "1e3", "1.0e+3", ".inf",
    "-.Inf", ".NaN", "2020-01-02", "2020-01-02T10:11:12Z", "2020-1-2", "<<", "=", "miR-21", "TGF-β1",
    "a: b", "x #y", "[1]", "12 monkeys", "NO2", "0.", "._", "'quoted'", "tab\there",
]
KEYS = ["id", "quote", "subject", "object", "a b", "note", "hedge", "yes", "1", "<<"]


def scalar_text(draw) -> str:
    value = draw(st.sampled_from(SCALARS))
    style = draw(st.sampled_from(["plain"] * 6 + ["single", "double", "literal", "tagged"]))
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") + '"'
    if style == "tagged":
        return draw(st.sampled_from(["!!str ", "!!int ", "! ", "&a "])) + (value or "x")
    if style == "literal":
        return "|\n      " + (value or "x")
    return value


@st.composite
def documents(draw) -> str:
    lines = ["# a curation file", "records:"]
    for _ in range(draw(st.integers(0, 4))):
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3))
        for i, key in enumerate(keys):
            lead = "  - " if i == 0 else "    "
            form = draw(st.sampled_from(["scalar"] * 8 + ["flow", "block", "alias"]))
            if form == "scalar":
                lines.append(f"{lead}{key}: {scalar_text(draw)}")
            elif form == "flow":
                items = draw(st.lists(st.sampled_from([s for s in SCALARS if s and s[0] not in "[':"]), max_size=3))
                lines.append(f"{lead}{key}: [{', '.join(items)}]")
            elif form == "block":
                lines.append(f"{lead}{key}:")
                lines.extend(f"      - {scalar_text(draw)}" for _ in range(draw(st.integers(1, 2))))
            else:
                lines.append(f"{lead}{key}: *a")
    if draw(st.integers(0, 3)) == 0:
        lines.append(draw(st.sampled_from(["other: {a: 1, b: [x, y]}", "---", "other: [", "k: v: w", "- x"])))
    return "\n".join(lines) + "\n"


def outcome(read, text: str):
    """("ok", the value's shape) or ("error", None) when the YAML cannot be read (SafeLoader
    raises a bare ValueError for a value its tag cannot hold, "!!int yes")."""
    try:
        return ("ok", shape(read(text)))
    except (yaml.YAMLError, ValueError):
        return ("error", None)


@needs_libyaml
@pytest.mark.slow  # 600 generated documents
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_event_reader_builds_what_safeloader_builds_or_steps_aside(text):
    try:
        got = outcome(yamlio._from_events, text)
    except yamlio._NotPlain:
        return  # left to the full loader, which load_yaml then uses (below)
    assert got == outcome(reference, text)


@needs_libyaml
@pytest.mark.slow  # 150 generated documents, each read by three loaders
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_load_yaml_gives_libyamls_records_and_the_pure_python_readers_errors(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("yaml") / "statements.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        got = ("ok", shape(yamlio.load_yaml(path)))
    except CurationError as error:
        got = ("error", None)
        assert "not valid YAML" in str(error) and str(path) in str(error)
        with pytest.raises((yaml.YAMLError, ValueError)):  # worded by the pure-Python reader
            yaml.load(text, Loader=yamlio._Loader)  # noqa: S506 - a SafeLoader subclass
    assert got == outcome(reference, text)


@needs_libyaml
def test_yaml_the_event_reader_leaves_to_the_full_loader():
    for text in ("a: &x 1\nb: *x\n", "a: !!str 1\n", "a: 1\na: 2\n", "<<: {a: 1}\n", "---\na: 1\n---\nb: 2\n",
                 "yes: 1\n", "a: =\n"):
        with pytest.raises(yamlio._NotPlain):
            yamlio._from_events(text)


def test_a_value_its_tag_cannot_hold_is_a_curation_error_not_a_traceback(tmp_path):
    path = tmp_path / "entities.yaml"
    path.write_text("entities:\n  - id: !!int yes\n", encoding="utf-8")
    with pytest.raises(CurationError, match="cannot be read as its type") as error:
        yamlio.load_yaml(path)
    assert str(path) in str(error.value)
