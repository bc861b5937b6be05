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
# records, line numbers included (it is laxer in one place: a tab inside a plain scalar). On
# any YAML error the text is read again by _Loader, so every error message stays exactly as the
# pure-Python reader words it.
_CSafeLoader = getattr(yaml, "CSafeLoader", None)
if _CSafeLoader is not None:

    class _FastLoader(_CSafeLoader):  # type: ignore[misc, valid-type]
        pass

    _FastLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# SafeLoader's implicit resolvers by a scalar's first character ("" for the empty scalar), each
# followed by those for any first character, in the order Resolver.resolve tries them.
_ANY_FIRST = tuple(yaml.resolver.Resolver.yaml_implicit_resolvers.get(None, ()))
_IMPLICIT = {first: tuple(found) + _ANY_FIRST
             for first, found in yaml.resolver.Resolver.yaml_implicit_resolvers.items() if first is not None}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_STR = yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG
# The tags the event reader builds itself, with SafeConstructor's own methods (so the values are
# exactly those SafeLoader gives); any other tag sends the text to the full loader.
_SCALARS = {
    _STR: _CONSTRUCTOR.construct_yaml_str,
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}


# What SafeLoader's constructors raise, unmarked, for a value its tag cannot hold ("!!int yes",
# "0b_"): not a YAMLError, but the YAML is as unreadable.
_UNREADABLE_VALUE = (ValueError, TypeError, OverflowError)


class _NotPlain(Exception):
    """The text uses YAML the event reader leaves to the full loader (anchors, aliases,
    explicit tags, merge keys, a non-text or repeated key, several documents)."""


def _from_events(text: str):
    """What yaml.load(text, Loader=_FastLoader) returns, built straight from libyaml's events.

    PyYAML composes a node tree and then walks it with a generic constructor, both in Python;
    for a large curation that is most of the load time. Plain curation YAML (mappings, lists,
    scalars) needs neither: each scalar is resolved by PyYAML's own resolver and built by
    SafeConstructor's own method for its tag, and each mapping remembers its line as
    _construct_mapping does. Anything else raises _NotPlain, and the caller uses the full loader.
    """
    stack: list = []  # open collections: [container, pending key or _NO_KEY]
    result, documents = None, 0
    for event in yaml.parse(text, Loader=_CSafeLoader):
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor is not None or event.tag not in (None, "!"):
                raise _NotPlain
            value = event.value
            if event.implicit[0]:  # a plain scalar: resolved as Resolver.resolve does
                tag = _STR
                for candidate, regexp in _IMPLICIT.get(value[:1], _ANY_FIRST):
                    if regexp.match(value):
                        tag = candidate
                        break
                build = _SCALARS.get(tag)
                if build is None:
                    raise _NotPlain
                item = value if tag == _STR else build(yaml.ScalarNode(tag, value))
            else:
                item = value
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                raise _NotPlain
            if kind is yaml.MappingStartEvent:
                record = Record()
                record.line = event.start_mark.line + 1
                stack.append([record, _NO_KEY])
            else:
                stack.append([[], _NO_KEY])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            item = stack.pop()[0]
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _NotPlain
            continue
        elif kind is yaml.AliasEvent:
            raise _NotPlain
        else:  # stream start and end, document end
            continue
        if not stack:
            result = item
            continue
        top = stack[-1]
        container = top[0]
        if type(container) is list:
            container.append(item)
        elif top[1] is _NO_KEY:
            if type(item) is not str or item in container or item == "<<":
                raise _NotPlain  # a key that is not text, repeated, or a merge
            top[1] = item
        else:
            container[top[1]] = item
            top[1] = _NO_KEY
    return result


_NO_KEY = object()


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
            return _from_events(text)
        except (_NotPlain, yaml.YAMLError, *_UNREADABLE_VALUE):
            pass  # the full loaders below decide, and word any error
        try:
            return yaml.load(text, Loader=_FastLoader)  # noqa: S506 - a CSafeLoader subclass
        except (yaml.YAMLError, *_UNREADABLE_VALUE):
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
    except _UNREADABLE_VALUE as exc:
        raise CurationError(
            path, f"not valid YAML: a value cannot be read as its type ({exc})",
            "quote the value, or correct it or its tag",
        ) from None
