"""A written label must stand on its own in some source text; the word index answers that for a
large curation without scanning every text for every label, and must agree with the text itself."""

import pytest

from mirkg.source import SourceText, WordIndex

FIRST = "Exosomal miR-146a from bone marrow-derived MSCs reduced NF-κB signaling in SLE."
SECOND = "Let-7f was low; (miR-21) rose."


@pytest.fixture
def texts(tmp_path):
    found = []
    for name, text in (("a", FIRST), ("b", SECOND), ("c", FIRST)):  # c: a text two sources share
        path = tmp_path / f"{name}.txt"
        path.write_text(text + "\n", encoding="utf-8")
        found.append(SourceText(path))
    return found


@pytest.mark.parametrize("label, alone", [
    ("miR-146a", True),
    ("miR-146", False),          # only inside "miR-146a"
    ("146a", True),              # a hyphen is not a letter or digit: the rule sees a word here
    ("MSCs", True),
    ("bone marrow-derived MSCs", True),
    ("-derived", False),         # "marrow" is glued on its left
    ("marrow-derived", True),
    ("NF-κB signaling", True),   # a word of a letter that is not ASCII
    ("NF-κ", False),
    ("Let-7f", True),            # only in the second text
    ("(miR-21)", True),          # starts and ends with a character that is not a letter
    ("miR-21) rose", True),
    ("Exosomal", True),          # the text's first word
    ("SLE", True),               # before the final full stop
    ("TRAF6", False),            # in no text
])
def test_a_label_stands_alone_exactly_where_the_text_shows_it(texts, label, alone):
    assert WordIndex(texts).stands_alone(label) is alone
    # the same answer, read from each text
    assert any(t.glued_word(label) is None for t in texts if label in t.text) is alone


def test_a_text_several_sources_share_is_indexed_once(texts):
    assert len(WordIndex(texts).texts) == 2
