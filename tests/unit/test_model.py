"""The records and their validation: what a person sees when a field is wrong."""

from __future__ import annotations

import pytest

from netjournal.domain.model import Contact, Favour, Interaction, new_id
from netjournal.errors import ValidationError


def test_a_new_contact_gets_a_stable_id_and_utc_timestamps() -> None:
    c = Contact(name="Ana").stamped()
    assert c.id.startswith("c-") and len(c.id) == 18
    assert c.created.endswith("Z") and c.created == c.updated


def test_stamping_again_keeps_id_and_created_but_moves_updated() -> None:
    c = Contact(name="Ana").stamped(now="2026-01-01T00:00:00.000000Z")
    again = c.stamped(now="2026-02-01T00:00:00.000000Z")
    assert (again.id, again.created) == (c.id, c.created)
    assert again.updated == "2026-02-01T00:00:00.000000Z"


def test_ids_do_not_repeat() -> None:
    assert len({new_id("i") for _ in range(10_000)}) == 10_000


def test_round_trip_through_dict_keeps_every_field() -> None:
    c = Contact(
        name="Éva Nagy", aliases=["Eva"], org="Library", role="Archivist", emails=["eva@example.org"],
        phones=["+36 1 234"], birthday="--04-15", how_met="Book club", circle="close", cadence_days=30,
        tags=["books"], notes="**likes** tea", asks=["a designer"], archived=True,
    ).stamped()
    assert Contact.from_dict(c.to_dict()) == c
    i = Interaction(date="2024-03-05T15:30", contact_ids=[c.id], kind="meal", text="Lunch", minutes=90,
                    follow_up="2024-04-01", tags=["food"]).stamped()
    assert Interaction.from_dict(i.to_dict()) == i
    f = Favour(date="2024-03-05", contact_id=c.id, direction="received", kind="advice", weight=5).stamped()
    assert Favour.from_dict(f.to_dict()) == f


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "A", "circle": "family"}, "circle", "inner, close, active, acquaintance"),
        ({"name": "A", "birthday": "1990-02-30"}, "birthday", "no such day"),
        ({"name": "A", "birthday": "15 April"}, "birthday", "not a birthday"),
        ({"name": "A", "emails": ["not-an-email"]}, "emails", "not an email"),
        ({"name": "A", "tags": "python"}, "tags", "list of strings"),
        ({"name": "A", "archived": "yes"}, "archived", "true or false"),
        ({"name": "A", "cadence_days": "30"}, "cadence_days", "whole number"),
        ({"name": "A", "cadence_days": -1}, "cadence_days", "between"),
    ],
)
def test_contact_validation_names_the_field_and_the_problem(data: dict, field: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        Contact.from_dict(data)
    assert field in err.value.errors
    assert words in err.value.errors[field]
    assert str(err.value).startswith(f"{field}: ")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2019-02-29", "contact_ids": ["c-1"]}, "date"),
        ({"date": "", "contact_ids": ["c-1"]}, "date"),
        ({"date": "yesterday", "contact_ids": ["c-1"]}, "date"),
        ({"date": "2024-01-01", "contact_ids": []}, "contact_ids"),
        ({"date": "2024-01-01", "contact_ids": ["c-1"], "kind": "party"}, "kind"),
        ({"date": "2024-01-01", "contact_ids": ["c-1"], "minutes": 5000}, "minutes"),
        ({"date": "2024-01-01", "contact_ids": ["c-1"], "follow_up": "2024-13-01"}, "follow_up"),
    ],
)
def test_interaction_validation(data: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        Interaction.from_dict(data)
    assert field in err.value.errors


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"date": "2024-01-01", "contact_id": "c-1", "weight": 0}, "weight"),
        ({"date": "2024-01-01", "contact_id": "c-1", "weight": 6}, "weight"),
        ({"date": "2024-01-01", "contact_id": "c-1", "direction": "lent"}, "direction"),
        ({"date": "2024-01-01", "contact_id": "c-1", "kind": "hug"}, "kind"),
        ({"date": "2024-01-01", "contact_id": ""}, "contact_id"),
    ],
)
def test_favour_validation(data: dict, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        Favour.from_dict(data)
    assert field in err.value.errors


def test_several_problems_are_reported_together() -> None:
    with pytest.raises(ValidationError) as err:
        Interaction.from_dict({"date": "2019-02-29", "contact_ids": [], "kind": "party"})
    assert set(err.value.errors) == {"date", "contact_ids", "kind"}


def test_unknown_fields_are_ignored_and_missing_ones_take_defaults() -> None:
    c = Contact.from_dict({"name": "Ana", "favourite_colour": "green"})
    assert c.circle == "active" and c.tags == [] and not c.archived


def test_circle_default_cadence_applies_when_none_is_set() -> None:
    assert Contact(name="A", circle="inner").effective_cadence == 14
    assert Contact(name="A", circle="inner", cadence_days=7).effective_cadence == 7
