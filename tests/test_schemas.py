"""schemas/*.schema.json: made from the loaders' field definitions (mirkg.schemas), linked from
each curation file's header, and the shipped files valid against them. An editor with a YAML
language server reads the same files."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import json
import shutil
from functools import partial
from pathlib import Path

import jsonschema
import pytest
import yaml
from helpers import ROOT

from mirkg import curation, schemas, sources
from mirkg.errors import CurationError
from mirkg.identifiers import Reference
from mirkg.yamlio import load_yaml

FILES = {  # curation file -> its schema
    "data/entities.yaml": "entities",
    "data/sources/review/statements.yaml": "statements",
    "data/sources/review/source.yaml": "source",
    "data/citations.yaml": "citations",
    "data/levels.yaml": "levels",
    "data/draft/triggers.yaml": "triggers",
}


def _plain(value):
    """YAML as an editor's language server sees it: dates are text."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((ROOT / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_schema_files_are_what_the_loaders_field_definitions_make():
    # python -m mirkg.schemas regenerates them; mirkg.schemas refuses a schema whose fields are not
    # the loader's (ENTITY_FIELDS, STATEMENT_FIELDS, ... of mirkg.curation)
    for name, text in schemas.rendered().items():
        assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == text, f"run python -m mirkg.schemas ({name})"
    assert sorted(p.name for p in (ROOT / "schemas").glob("*.json")) == sorted(schemas.rendered())


def test_each_records_fields_are_the_loaders():
    entity = schemas.SCHEMAS["entities"]["properties"]["entities"]["items"]
    statement = schemas.SCHEMAS["statements"]["properties"]["statements"]["items"]
    assert set(entity["properties"]) == curation.ENTITY_FIELDS
    assert set(statement["properties"]) == curation.STATEMENT_FIELDS
    from mirkg.ontology import entity_kinds, load_ontology

    assert entity["properties"]["kind"]["enum"] == list(entity_kinds(load_ontology(ROOT / "ontology")))
    citations = schemas.SCHEMAS["citations"]["properties"]
    for key, fields in (("works", curation.WORK_FIELDS), ("references", curation.REFERENCE_FIELDS),
                        ("joint", curation.JOINT_FIELDS), ("agents", curation.AGENT_FIELDS)):
        assert set(citations[key]["items"]["properties"]) == fields
    assert set(citations["source"]["properties"]) == curation.SOURCE_INFO_FIELDS
    assert set(schemas.SCHEMAS["source"]["properties"]) == set(sources.FIELDS)
    assert schemas.SCHEMAS["source"]["properties"]["part"]["enum"] == list(sources.PARTS)


@pytest.mark.parametrize("path, name", sorted(FILES.items()))
def test_the_shipped_curation_files_are_valid_and_link_their_schema(path, name):
    file = ROOT / path
    errors = [f"{list(e.path)}: {e.message}" for e in validator(name).iter_errors(_plain(yaml.safe_load(file.read_text("utf-8"))))]
    assert errors == []
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
    linked = (file.parent / first.split("$schema=", 1)[1]).resolve()
    assert linked == (ROOT / "schemas" / f"{name}.schema.json").resolve()


def test_a_draft_is_valid_against_its_schema(tmp_path):
    from mirkg.cli import main

    folder = tmp_path / "sources" / "review"
    folder.mkdir(parents=True)
    (folder / "text.txt").write_bytes((ROOT / "data" / "sources" / "review" / "text.txt").read_bytes())
    shutil.copyfile(ROOT / "data" / "sources" / "review" / "source.yaml", folder / "source.yaml")
    assert list(validator("source").iter_errors(yaml.safe_load((folder / "source.yaml").read_text()))) == []
    assert main(["draft", str(folder)], root=ROOT) == 0
    document = yaml.safe_load((folder / "draft.yaml").read_text(encoding="utf-8"))
    assert document["statements"] and document["mentions"]
    assert [e.message for e in validator("draft").iter_errors(document)] == []


# -- the schema and the loader refuse the same mistakes ---------------------------------------------

@pytest.fixture(scope="module")
def loaded():
    from mirkg.ontology import claim_relations, entity_kinds, load_ontology

    ontology = load_ontology(ROOT / "ontology")
    data = ROOT / "data"
    reference = Reference(data / "reference")
    source_info, works, refs, _, agents = curation.read_citations(data / "citations.yaml", reference)
    return {
        "relations": claim_relations(ontology),
        "kinds": entity_kinds(ontology),
        "refs": refs,
        "agents": agents,
        "reference": reference,
        "sources": curation.read_sources(data, {source_info.id, *works}),
        "entities": load_yaml(data / "entities.yaml"),
        "statements": load_yaml(data / "sources" / "review" / "statements.yaml"),
    }


def _load_entities(loaded, document, folder: Path):
    file = folder / "entities.yaml"
    file.write_text(yaml.safe_dump(_plain(document), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return curation.read_entities(file, [s.text for s in loaded["sources"].values()], loaded["reference"], loaded["kinds"])


def _load_statements(loaded, document, folder: Path):
    entities = _load_entities(loaded, loaded["entities"], folder)
    review = loaded["sources"]["review"]
    (folder / "statements.yaml").write_text(yaml.safe_dump(_plain(document), allow_unicode=True, sort_keys=False),
                                            encoding="utf-8")
    source = dataclasses.replace(review, folder=folder)  # the review, its statements from the test's file
    return curation.read_statements(source, [], entities, loaded["refs"], loaded["agents"], loaded["relations"],
                                    loaded["reference"])


@pytest.mark.parametrize("name, key", [("entities", "entities"), ("statements", "statements")])
def test_a_required_field_missing_or_an_unknown_field_is_refused_by_both(loaded, name, key, tmp_path):
    load = partial(_load_entities if name == "entities" else _load_statements, folder=tmp_path)
    schema = validator(name)
    load(loaded, loaded[name])  # the shipped file loads
    item = schema.schema["properties"][key]["items"]
    for field in item["required"]:
        broken = copy.deepcopy(loaded[name])
        broken[key][0].pop(field)
        assert not schema.is_valid(_plain(broken)), field
        with pytest.raises(CurationError):
            load(loaded, broken)
    broken = copy.deepcopy(loaded[name])
    broken[key][0]["colour"] = "blue"
    assert not schema.is_valid(_plain(broken))
    with pytest.raises(CurationError, match="unknown field"):
        load(loaded, broken)
