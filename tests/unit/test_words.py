"""Whole words and their forms (netjournal.domain.words)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from netjournal.domain import words as wd


def test_words_are_folded_runs_of_letters_and_digits() -> None:
    assert wd.words("Co-founder, UX_design; Éva 3D") == ["co", "founder", "ux", "design", "eva", "3d"]


def test_forms_share_a_stem_and_other_words_do_not() -> None:
    for form in ("design", "designs", "designer", "designers", "designing", "designed"):
        assert wd.same_word("design", form), form
    for word, other in (("partner", "partnerships"), ("ai", "fundraising"), ("go", "negotiation")):
        assert not wd.same_word(word, other), other
    assert wd.same_word("дизайн", "дизайн") and not wd.same_word("дизайн", "дизайнер")  # English stems only


def test_count_and_found_look_at_whole_words() -> None:
    text = "fundraising for ai; the ai lab's AI\nnegotiation, go go"
    assert wd.count("ai", wd.folded(text)) == 3
    assert wd.count("go", text) == 2
    assert wd.count("raising", text) == 0 and not wd.found("raising", text)
    assert wd.count("happy", "happiness, happy") == 2  # the stem "happi" does not start "happy"
    assert wd.found("co", "co-founder") and not wd.found("co", "coffee")


WORDS = ["design", "designer", "designing", "redesign", "ai", "aid", "go", "goes", "negotiation", "happy",
         "happiness", "happier", "co", "coffee", "école", "ecole", "дизайн", "3d", "x", "possible", "possibility"]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(WORDS), st.lists(st.sampled_from([*WORDS, "-", " ", "_", ", ", "é"]), max_size=30))
def test_count_is_the_number_of_words_that_are_forms_of_the_term(term: str, parts: list[str]) -> None:
    """The fast search (a literal, then stems of the candidates only) counts what a plain
    comparison of every word counts."""
    text = wd.folded("".join(parts))
    expected = sum(1 for w in wd.WORD.findall(text) if wd.same_word(term, w))
    assert wd.count(term, text) == expected
    assert wd.found(term, text) == (expected > 0)
