"""What runs beside the build, and what the release waits for only where its results are
written: HermiT's run (the reasoning verdict in the build report, the ontology's OWL artefacts)
and pyLODE's page of the ontology."""

from __future__ import annotations

from types import MappingProxyType

from .reasoning import REASONED, SKIPPED


class Beside:
    """HermiT's run, which goes on beside the build (the data's consistency on its summary, and
    the ontology's classification for the OWL artefacts, mirkg.pipeline.Reasoning) while the
    release is written, or, without reasoning, the child that makes the OWL artefacts: the build
    waits for them only where their results are written, and a failed run fails the build before
    dist/ is replaced. The result is awaited once and timed into the build's timings. Beside
    them, pyLODE's page of the ontology (mirkg.docs.OntologyDocs), started with the build: it
    depends on the ontology alone, and the build's first seconds use one core."""

    def __init__(self, reasoning, owl_files, timings: dict[str, float], docs=None):
        self._reasoning, self._owl_files, self._docs = reasoning, owl_files, docs
        self._docs_html: bytes | None = None
        self._timings = timings
        self._verdict: str | None = None if reasoning is not None else SKIPPED
        self._owl: MappingProxyType | None = (None if reasoning is not None or owl_files is not None
                                              else MappingProxyType({}))

    @classmethod
    def settled(cls, verdict: str, owl: dict) -> Beside:
        found = cls(None, None, {})
        found._verdict, found._owl = verdict, MappingProxyType(owl)
        return found

    def verdict(self) -> str:
        if self._verdict is None:
            on, files, seconds = self._reasoning.result()
            self._timings[f"OWL reasoning and the ontology's classification (HermiT on {on}, beside the stages "
                          "above)"] = round(seconds, 4)
            self._verdict, self._owl = REASONED, MappingProxyType(files)
        return self._verdict

    def owl_files(self) -> MappingProxyType:
        if self._owl is None and self._reasoning is not None:
            self.verdict()
        if self._owl is None:
            files, seconds = self._owl_files()  # seconds: the child's, from its fork to its end
            self._owl = MappingProxyType(files)
            self._timings["OWL artefacts (unclassified; beside the stages above)"] = round(seconds, 4)
        return self._owl

    def docs_html(self) -> bytes:
        """pyLODE's page (b"" when the build did not start it)."""
        if self._docs_html is None:
            self._docs_html = self._docs.result() if self._docs is not None else b""
        return self._docs_html

    def settle(self) -> None:
        self.verdict()
        self.owl_files()
        self.docs_html()
