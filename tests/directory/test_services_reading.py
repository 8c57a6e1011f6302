"""Public reading: search, filter menus, published entries, the community goal, event venues."""

from __future__ import annotations

import pytest

from eventhub.directory import services
from eventhub.errors import Refused


def names(**filters) -> list[str]:
    return [p.name for p in services.search_teleworkers(services.Filters(**filters))]


@pytest.fixture
def three_members(make_teleworker):
    """Three published teleworkers, each found by a different field, and one pending."""
    make_teleworker(name="Zoé Tisserande", activity="Tissage", commune="Mende",
                    presentation="Laine des Causses.", skills="laine", email="z@example.org")
    make_teleworker(name="Bruno Cartes", status="salarie", activity="Géomaticien",
                    commune="Florac", presentation="Cartes et données.", skills="sig, python",
                    email="b@example.org")
    make_teleworker(name="Anne Code", status="salarie", activity="Développeuse",
                    commune="Mende", presentation="Sites web.", skills="python",
                    email="a@example.org")
    make_teleworker(approved=False, name="Anne Attente", activity="Géomaticienne",
                    commune="Florac", skills="cartographie", email="w@example.org")


@pytest.mark.parametrize("q, found", [
    ("  ", ["Anne Code", "Bruno Cartes", "Zoé Tisserande"]),  # blank: everyone, by name
    ("tisserande", ["Zoé Tisserande"]),  # name
    ("géomat", ["Bruno Cartes"]),  # activity
    ("  ET DONN ", ["Bruno Cartes"]),  # presentation, trimmed
    ("florac", ["Bruno Cartes"]),  # commune
    ("laine", ["Zoé Tisserande"]),  # skill (and presentation)
    ("sig", ["Bruno Cartes"]),  # skill only
    ("python", ["Anne Code", "Bruno Cartes"]),
    ("cartographie", []),  # only the pending entry has it
])
def test_the_search_text_is_looked_for_in_every_public_field(three_members, q, found):
    assert names(q=q) == found


def test_filters_narrow_the_published_entries(three_members):
    assert names(status="salarie") == ["Anne Code", "Bruno Cartes"]
    assert names(commune="Mende") == ["Anne Code", "Zoé Tisserande"]
    assert names(skill="PYTHON") == ["Anne Code", "Bruno Cartes"]
    assert names(skill="python", commune="Florac") == ["Bruno Cartes"]
    assert names(q="python", status="independant") == []


def test_the_filter_menus_list_only_what_published_entries_have(three_members):
    assert services.filter_choices() == {"communes": ["Florac", "Mende"],
                                         "skills": ["laine", "python", "sig"]}


def test_published_entries_are_found_by_slug_and_pending_ones_are_not(make_teleworker,
                                                                      make_venue):
    person, _ = make_teleworker()
    waiting, _ = make_teleworker(approved=False, name="Anne Attente", email="w@example.org")
    assert services.published_teleworker(person.slug) is person
    assert services.published_teleworker(waiting.slug) is None
    venue, _ = make_venue()
    pending, _ = make_venue(None, name="Lieu en attente", email="l@example.org")
    assert services.published_venue(venue.slug) is venue
    assert services.published_venue(pending.slug) is None


def test_published_venues_are_listed_by_commune_then_name(make_venue):
    make_venue(name="Zèbre", commune="Florac", email="z@example.org")
    make_venue(name="Abri", commune="Mende", email="a@example.org")
    make_venue(name="Atelier", commune="Florac", email="t@example.org")
    make_venue(None, name="Attente", commune="Florac", email="w@example.org")
    assert [v.name for v in services.published_venues()] == ["Atelier", "Zèbre", "Abri"]


@pytest.mark.parametrize("members, target, percent", [
    (0, 100, 0),
    (3, 200, 2),  # 1.5 rounds to 2
    (37, 40, 92),  # 92.5 rounds to even
    (150, 100, 100),  # never beyond the goal
    (5, 0, 100),  # no goal: reached
])
def test_the_goal_percentage_is_rounded_and_capped(members, target, percent):
    assert services.Progress(members=members, registered=1, target=target).percent == percent


def test_the_goal_counts_published_teleworkers_against_the_configured_target(
        app, make_teleworker):
    app.config.update(DIRECTORY_COMMUNITY_BASELINE=0, DIRECTORY_COMMUNITY_TARGET=8)
    assert (services.community_progress().members, services.community_progress().target) == (
        0, 8)
    make_teleworker()
    make_teleworker(name="Anne Code", email="a@example.org")
    make_teleworker(approved=False, name="Anne Attente", email="w@example.org")
    progress = services.community_progress()
    assert (progress.members, progress.registered, progress.target, progress.percent) == (
        2, 2, 8, 25)


def test_only_a_published_venue_can_be_named_for_an_event(make_venue, make_event):
    pending, _ = make_venue(None)
    with pytest.raises(Refused) as refused:
        services.set_event_venue(make_event(), pending)
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "invalid_field", "venue", "Seul un lieu publié de l'annuaire peut être choisi.")


def test_an_event_not_yet_stored_has_no_venue(make_event):
    class Unsaved:
        id = None

    assert services.venue_for_event(None) is None
    assert services.venue_for_event(Unsaved()) is None
    # A template may hand over something that is no event at all: no venue either.
    assert services.venue_for_event(object()) is None


def test_an_event_whose_venue_is_unpublished_shows_none(make_venue, make_event, moderator):
    venue, _ = make_venue()
    event = make_event()
    services.set_event_venue(event, venue)
    services.set_event_venue(event, venue)  # naming it again keeps one link
    assert services.venue_for_event(event) is venue
    services.reject(venue, moderator)
    assert services.venue_for_event(event) is None
