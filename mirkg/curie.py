"""The one CURIE compactor: IRIs written for people with the project's prefixes."""

from __future__ import annotations

import re

from .namespaces import PREFIXES

# Longest namespace first, so that mirkgid: wins over mirkg: for instance IRIs.
_NAMESPACES = sorted(((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda item: -len(item[0]))
_LOCAL = re.compile(r"[A-Za-z0-9_./#-]*")


def curie(iri: str) -> str:
    """An IRI as a CURIE of the project's prefixes, or as <IRI> when none fits."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return f"<{iri}>"


_IRI_IN_TEXT = re.compile(r"<?(https?://[^\s<>\"'{}|\\^`)]+[^\s<>\"'{}|\\^`).,;:])>?")


def compact_iris(text: str) -> str:
    """A message with the IRIs the engine filled in written as CURIEs, for people."""
    return _IRI_IN_TEXT.sub(lambda m: curie(m.group(1)), text)


def readable(iri: str, converter=None) -> str:
    """An IRI as a CURIE: the project's own prefixes first (not obo:, whose local names read
    better with the reference table's prefixes), then the reference table's (`converter`); the
    IRI itself when neither has a prefix for it."""
    for namespace, prefix in _NAMESPACES:
        if iri.startswith(namespace) and prefix != "obo":
            return f"{prefix}:{iri[len(namespace):]}"
    return (converter.compress(iri) if converter is not None else None) or iri
