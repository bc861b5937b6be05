"""The dataset description (void.ttl) as a schema.org / Bioschemas `Dataset`, the JSON-LD the
landing page embeds for search engines and data catalogues (Google Dataset Search, FAIR checkers).

Read from the description graph, not from constants: whatever the description says (title,
licence, version, creators, keywords, files) is what the page says.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF

from .namespaces import PAV

DCAT = Namespace("http://www.w3.org/ns/dcat#")
BIOSCHEMAS_PROFILE = "https://bioschemas.org/profiles/Dataset/1.0-RELEASE"
VOID_DATASET = URIRef("http://rdfs.org/ns/void#Dataset")
MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"


def _version_node(g: Graph) -> URIRef:
    """The description's release: the dcat:Dataset with a version (HCLS version level)."""
    nodes = sorted(n for n in g.subjects(RDF.type, DCAT.Dataset)
                   if isinstance(n, URIRef) and (g.value(n, DCAT.version) or g.value(n, PAV.version)))
    if len(nodes) != 1:
        raise ValueError(f"the description should have one versioned dcat:Dataset, it has {len(nodes)}")
    return nodes[0]


def _texts(g: Graph, node, *predicates) -> list[str]:
    """Values, English first, each once, sorted (a literal's text, an IRI as it is)."""
    found = {str(v) for p in predicates for v in g.objects(node, p)
             if not isinstance(v, Literal) or v.language in (None, "en")}
    return sorted(found)


def _one(g: Graph, node, *predicates) -> str | None:
    values = _texts(g, node, *predicates)
    return values[0] if values else None


def _agent(g: Graph, value) -> dict:
    if isinstance(value, Literal):
        return {"@type": "Organization", "name": str(value)}
    name = _one(g, value, URIRef("http://xmlns.com/foaf/0.1/name"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    kind = "Person" if (value, RDF.type, URIRef("http://xmlns.com/foaf/0.1/Person")) in g else "Organization"
    return {"@type": kind, "@id": str(value), **({"name": name} if name else {})}


def schema_dataset(g: Graph) -> dict:
    """The schema.org Dataset (Bioschemas Dataset profile) of the description's release."""
    version = _version_node(g)
    summary = g.value(version, DCTERMS.isVersionOf)

    def either(*predicates) -> list[str]:
        return _texts(g, version, *predicates) or (_texts(g, summary, *predicates) if summary is not None else [])

    distributions = []
    for node in sorted(g.objects(version, DCAT.distribution)):
        if (node, RDF.type, VOID_DATASET) in g:  # the RDF distribution: the dataset over its dump files, no file itself
            continue
        media = _one(g, node, DCAT.mediaType) or _one(g, node, DCTERMS["format"]) or ""
        size = g.value(node, DCAT.byteSize)
        distributions.append({
            "@type": "DataDownload",
            "name": _one(g, node, DCTERMS.title),
            "description": _one(g, node, DCTERMS.description),
            "contentUrl": _one(g, node, DCAT.downloadURL),
            "encodingFormat": media.removeprefix(MEDIA_TYPES),
            **({"contentSize": f"{int(size)} B"} if size is not None else {}),
        })
    citations = either(DCTERMS.bibliographicCitation) + [str(v) for v in sorted(g.objects(version, DCTERMS.source))]
    creators = sorted(g.objects(version, DCTERMS.creator)) or sorted(g.objects(summary, DCTERMS.creator))
    return {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": str(version),
        "http://purl.org/dc/terms/conformsTo": {"@id": BIOSCHEMAS_PROFILE, "@type": "CreativeWork"},
        "name": (either(DCTERMS.title) or [""])[0],
        "description": (either(DCTERMS.description) or [""])[0],
        "identifier": str(version),
        "url": str(summary if summary is not None else version),
        "license": either(DCTERMS.license),
        "version": (either(DCAT.version, PAV.version) or [""])[0],
        "datePublished": (either(DCTERMS.issued) or [""])[0],
        "creator": [_agent(g, c) for c in creators],
        "citation": citations,
        "keywords": either(DCAT.keyword),
        "isAccessibleForFree": True,
        "distribution": distributions,
    }
