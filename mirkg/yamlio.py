"""Reading curation files: strict UTF-8, YAML without duplicate keys, line numbers kept."""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import CurationError


class Record(dict):
    """A YAML mapping that remembers the line it starts on."""

    line: int | None = None


class _Loader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Record:
    loader.flatten_mapping(node)
    record = Record()
    record.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is not a text", key_node.start_mark
            )
        if key in record:
            raise yaml.constructor.ConstructorError(
                None, None, f"key '{key}' appears twice in one record", key_node.start_mark
            )
        record[key] = loader.construct_object(value_node, deep=True)
    return record


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# PyYAML's pure-Python parser reads about 1 MB/s, most of the load time of a large curation.
# libyaml (yaml.CSafeLoader, when PyYAML was built with it) parses the same YAML into the same
# records, line numbers included. It is only a fast path: on any YAML error the text is read
# again by _Loader, so every error message stays exactly as the pure-Python reader words it.
_CSafeLoader = getattr(yaml, "CSafeLoader", None)
if _CSafeLoader is not None:

    class _FastLoader(_CSafeLoader):  # type: ignore[misc, valid-type]
        pass

    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_text(path: Path) -> str:
    """The file's content as text; a file that is not UTF-8 is a curation error."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CurationError(path, "the file is missing", f"restore {path.name} from git") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CurationError(
            path,
            f"byte {exc.start} is not valid UTF-8 ({exc.reason})",
            "save the file as UTF-8",
            line=line,
        ) from None


def load_yaml(path: Path) -> object:
    text = read_text(path)
    if _CSafeLoader is not None:
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a CSafeLoader subclass
        except yaml.YAMLError:
            pass  # read again below, for the pure-Python reader's wording of the error
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise CurationError(
            path, f"not valid YAML: {problem}", "correct the YAML syntax at that line", line=line
        ) from None
    except yaml.YAMLError as exc:
        raise CurationError(path, f"not valid YAML: {exc}", "correct the YAML syntax") from None
