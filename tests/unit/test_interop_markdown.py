"""The journal as Markdown: one document by month and day, or one file per person."""

from __future__ import annotations

from datetime import date

from netjournal.domain.model import Contact, Favour, Interaction
from netjournal.interop.markdown import contact_document, contact_file_names, esc, journal_document

ANA = Contact(id="c-a", name="Ana *Star* Silva", org="Lumen", role="Designer", birthday="--04-15", tags=["ux"],
              emails=["ana@example.org"], notes="Met at **PyCon**.")
BO = Contact(id="c-b", name="Bo", circle="inner")
IX = [
    Interaction(id="i-2", date="2024-03-05T15:30", contact_ids=["c-a", "c-b"], kind="meal", minutes=90,
                text="Talked about *the move*.\n\n- boxes\n- van", tags=["life"]),
    Interaction(id="i-1", date="2024-02-28", contact_ids=["c-b"], kind="call", follow_up="2024-03-10"),
]
FAVS = [Favour(id="f-1", date="2024-03-05", contact_id="c-a", direction="received", kind="advice", text="Portfolio review", weight=3)]


def test_one_document_by_month_and_day_oldest_first() -> None:
    doc = journal_document([ANA, BO], IX, FAVS, today=date(2024, 4, 1))
    assert doc.startswith("# Journal\n")
    assert "2 people, 2 interactions, 1 favour" in doc
    order = [doc.index(s) for s in ("## People", "## February 2024", "### Wednesday 28 February 2024",
                                    "## March 2024", "### Tuesday 5 March 2024")]
    assert order == sorted(order)
    march = doc[doc.index("### Tuesday 5 March 2024"):]
    assert "- 15:30 · **Meal** with Ana \\*Star\\* Silva, Bo · 1h30 · #life" in march
    assert "  Talked about *the move*.\n\n  - boxes\n  - van" in march  # the text's own Markdown, indented
    assert "- Favour received from Ana \\*Star\\* Silva (advice, weight 3): Portfolio review" in march
    assert "- **Organisation:** Lumen — Designer" in doc and "- **Birthday:** 15 April" in doc
    assert "- **Favours:** 0 given, 1 received" in doc
    assert "Met at **PyCon**." in doc


def test_one_file_per_person() -> None:
    text = contact_document(BO, IX, [], {"c-a": ANA.name, "c-b": "Bo"})
    assert text.startswith("# Bo\n")
    assert "- **Circle:** inner, keep in touch every 2 weeks" in text
    body = text[text.index("## Interactions"):]
    assert body.index("2024-02-28") < body.index("2024-03-05 15:30")
    assert "  - follow up on 2024-03-10" in body


def test_file_names_are_slugs_and_never_collide() -> None:
    people = [Contact(id="c-1", name="Ana Silva"), Contact(id="c-2", name="ana silva"), Contact(id="c-3", name="Index"),
              Contact(id="c-4", name="Bo")]
    names = contact_file_names(people)
    assert names == {"c-1": "ana-silva-c-1.md", "c-2": "ana-silva-c-2.md", "c-3": "index-c-3.md", "c-4": "bo.md"}


def test_escaping_keeps_user_text_literal() -> None:
    assert esc("[x](http://evil) <b>#1</b>") == "\\[x\\](http://evil) \\<b\\>\\#1\\</b\\>"
    assert esc("two\nlines") == "two lines"
