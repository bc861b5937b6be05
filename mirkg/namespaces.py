"""The namespaces of the vocabulary and of the instance data."""

from rdflib import Namespace

MIRKG = Namespace("https://w3id.org/mirkg/")
ID = Namespace("https://w3id.org/mirkg/id/")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
PAV = Namespace("http://purl.org/pav/")
OBO = Namespace("http://purl.obolibrary.org/obo/")

ONTOLOGY_IRI = "https://w3id.org/mirkg/ontology"

PREFIXES = {
    "mirkg": str(MIRKG),
    "mirkgid": str(ID),
    "oa": str(OA),
    "prov": str(PROV),
    "pav": str(PAV),
    "obo": str(OBO),
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class Terms:
    """A namespace whose terms are made once: rdflib's Namespace and DefinedNamespace build a
    new URIRef, checked, on every attribute access, which is most of the cost of emitting
    a million triples. `Terms(RDF).type == RDF.type`; item access is passed through."""

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        term = getattr(self._namespace, name)
        setattr(self, name, term)  # found in the instance's __dict__ from now on
        return term

    def __getitem__(self, key: str):
        return self._namespace[key]
