"""Directory rules, called without HTTP."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.directory import charter, services
from eventhub.directory.models import (
    AuditEntry,
    ContactMessage,
    EntryState,
    EventVenue,
    Skill,
    Teleworker,
    Venue,
    teleworker_skill,
)
from eventhub.errors import Refused, status_of
from eventhub.extensions import db
from eventhub.text import slugify
from tests.directory.conftest import teleworker_fields, venue_fields


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_application_is_pending_with_consent_time_and_hashed_token(app):
    person, token = services.apply_teleworker(teleworker_fields(), consent=True)
    assert person.state == EntryState.PENDING
    assert person.consent_at is not None
    assert token not in person.edit_token_hash and len(person.edit_token_hash) == 64
    assert [s.name for s in person.skills] == ["anglais", "traduction"]
    assert services.find_by_token(token) is person
    assert services.search_teleworkers(services.Filters()) == []


@pytest.mark.parametrize("overrides, consent, message", [
    ({}, False, "consentement"),
    ({"status": "chomeur"}, True, "Statut"),
    ({"email": "pas-une-adresse"}, True, "e-mail"),
    ({"name": "  "}, True, "obligatoire"),
    ({"website": "javascript:alert(1)"}, True, "http:// ou https://"),
    ({"skills": ",".join(f"s{i}" for i in range(20))}, True, "compétences"),
])
def test_bad_teleworker_applications_are_refused_and_change_nothing(app, overrides, consent,
                                                                    message):
    with pytest.raises(Refused) as error:
        services.apply_teleworker(teleworker_fields(**overrides), consent=consent)
    assert message in error.value.message and error.value.code == "invalid_field"
    assert count(Teleworker) == 0 and count(Skill) == 0 and count(AuditEntry) == 0


def test_approval_publishes_and_mails_a_working_private_link(app, smtp_server, moderator):
    person, old_token = services.apply_teleworker(teleworker_fields(), consent=True)
    services.approve_teleworker(person, moderator)
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "camille@example.org"
    body = message.get_content()
    link = next(word for word in body.split() if "/annuaire/modifier/" in word)
    token = link.rsplit("/", 1)[1]
    assert services.find_by_token(token) is person
    assert services.find_by_token(old_token) is None  # rotated on approval
    assert services.search_teleworkers(services.Filters()) == [person]


def test_venue_must_accept_the_current_charter(app):
    with pytest.raises(Refused):
        services.apply_venue(venue_fields(), None)
    with pytest.raises(Refused):
        services.apply_venue(venue_fields(), charter.CURRENT_VERSION + 1)
    assert count(Venue) == 0
    venue, _token = services.apply_venue(venue_fields(), charter.CURRENT_VERSION)
    assert venue.charter_version == charter.CURRENT_VERSION
    assert venue.charter_accepted_at is not None and venue.kind is None


@pytest.mark.parametrize("services_offered, public, kind, allowed", [
    (["wifi"], True, "comptoir", True),
    (["wifi"], False, "comptoir", False),
    (["printing"], True, "comptoir", False),
    (["private_offices", "pro_connectivity"], False, "telecentre", True),
    (["private_offices", "wifi"], True, "telecentre", False),
    (["wifi"], True, "resource_centre", True),
    (["wifi"], True, "castle", False),
])
def test_the_moderator_decides_the_kind_within_the_charter(app, moderator, services_offered,
                                                           public, kind, allowed):
    venue, _token = services.apply_venue(
        venue_fields(services=services_offered, open_to_public=public), 1)
    if allowed:
        services.approve_venue(venue, kind, moderator)
        assert (venue.kind, venue.state) == (kind, EntryState.APPROVED)
    else:
        with pytest.raises(Refused):
            services.approve_venue(venue, kind, moderator)
        db.session.refresh(venue)
        assert (venue.kind, venue.state) == (None, EntryState.PENDING)


def test_unknown_service_and_half_coordinates_are_refused(app):
    with pytest.raises(Refused):
        services.apply_venue(venue_fields(services=["jacuzzi"]), 1)
    with pytest.raises(Refused):
        services.apply_venue(venue_fields(longitude=None), 1)
    assert count(Venue) == 0


def test_venue_losing_required_services_goes_back_to_moderation(make_venue):
    venue, _token = make_venue("telecentre")
    assert services.update_venue(venue, venue_fields(services=["wifi"])) is True
    assert venue.state == EntryState.PENDING
    assert services.published_venues() == []


def test_owner_edit_replaces_skills_and_drops_orphans(make_teleworker):
    person, _token = make_teleworker()
    services.update_teleworker(person, teleworker_fields(skills="comptabilité", email=""))
    assert [s.name for s in person.skills] == ["comptabilité"]
    assert sorted(db.session.scalars(sa.select(Skill.name))) == ["comptabilité"]
    assert person.email == "camille@example.org"  # empty e-mail keeps the old one
    edit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "edited")).one()
    assert edit.actor == services.OWNER


def test_search_by_text_status_skill_and_commune(make_teleworker):
    make_teleworker()
    make_teleworker(name="Dominique Dev", status="salarie", activity="Développeur",
                             skills="python", commune="Marvejols",
                             email="dom@example.org")
    make_teleworker(approved=False, name="Pending Person", email="p@example.org")

    def names(**filters):
        return [p.name for p in services.search_teleworkers(services.Filters(**filters))]

    assert names() == ["Camille Exemple", "Dominique Dev"]
    assert names(q="python") == ["Dominique Dev"]  # skills are searched
    assert names(q="traductrice") == ["Camille Exemple"]
    assert names(status="salarie") == ["Dominique Dev"]
    assert names(skill="Traduction") == ["Camille Exemple"]
    assert names(commune="Marvejols") == ["Dominique Dev"]
    assert names(q="pending") == []
    assert services.filter_choices() == {"communes": ["Marvejols", "Mende"],
                                         "skills": ["anglais", "python", "traduction"]}


def test_community_progress_takes_the_larger_of_baseline_and_members(app, make_teleworker):
    app.config["DIRECTORY_COMMUNITY_BASELINE"] = 2
    assert services.community_progress().members == 2
    for n in range(3):
        make_teleworker(name=f"Membre {n}", email=f"m{n}@example.org")
    progress = services.community_progress()
    assert (progress.members, progress.registered, progress.target) == (3, 3, 100)
    assert progress.percent == 3


def test_contact_is_relayed_with_reply_to_and_only_a_trace_kept(make_teleworker, smtp_server):
    person, _ = make_teleworker()
    smtp_server.messages.clear()
    services.send_contact(person, "Alex Visiteur", "alex@example.net", "Bonjour, on se voit ?")
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "camille@example.org"
    assert "alex@example.net" in message["Reply-To"]
    assert "Bonjour, on se voit ?" in message.get_content()
    trace = db.session.scalars(sa.select(ContactMessage)).one()
    assert (trace.teleworker_id, trace.sender_name) == (person.id, "Alex Visiteur")


def test_contact_to_an_unpublished_entry_is_refused(make_teleworker):
    person, _ = make_teleworker(approved=False)
    with pytest.raises(Refused):
        services.send_contact(person, "Alex", "alex@example.net", "Bonjour à vous")
    assert count(ContactMessage) == 0


def _rows_mentioning(*needles: str) -> list:
    """Every row of every table whose text contains one of ``needles``."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)):
            text = " ".join(str(value) for value in row)
            if any(needle in text for needle in needles):
                found.append((table.name, row))
    return found


def test_erasure_leaves_nothing_tied_to_the_teleworker(make_teleworker, moderator):
    person, token = make_teleworker(skills="apiculture, tissage")
    other, _ = make_teleworker(name="Autre Personne", email="autre@example.org",
                               skills="tissage")
    services.send_contact(person, "Alex", "alex@example.net", "Un message assez long")
    services.update_teleworker(person, teleworker_fields(skills="apiculture, tissage"),
                               moderator)
    person_id = person.id
    services.erase(person)
    assert db.session.get(Teleworker, person_id) is None
    assert services.find_by_token(token) is None
    assert count(ContactMessage) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(teleworker_skill).where(
        teleworker_skill.c.teleworker_id == person_id)) == 0
    assert sorted(db.session.scalars(sa.select(Skill.name))) == ["tissage"]  # still used
    assert _rows_mentioning("Camille", "camille@example.org", "apiculture", "Alex") == []
    erased = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "erased")).one()
    assert (erased.target_id, erased.target_label, erased.actor) == (person_id, "",
                                                                    services.OWNER)
    assert other.skills[0].name == "tissage"


def test_erasure_of_a_venue_removes_its_event_link(make_venue, make_event, moderator):
    venue, _ = make_venue()
    event = make_event()
    services.set_event_venue(event, venue)
    services.send_contact(venue, "Alex", "alex@example.net", "Un message assez long")
    services.erase(venue, moderator)
    assert count(Venue) == 0 and count(EventVenue) == 0 and count(ContactMessage) == 0
    assert _rows_mentioning("Télécentre de Test", "accueil-test@example.org") == []
    erased = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "erased")).one()
    assert erased.actor == moderator.email and erased.user_id == moderator.id


def test_audit_records_who_did_what(make_teleworker, moderator):
    person, _ = make_teleworker()
    services.reject(person, moderator, "doublon")
    rows = db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(r.action, r.actor) for r in rows] == [
        ("applied", services.OWNER), ("approved", moderator.email),
        ("rejected", moderator.email)]
    assert rows[-1].detail == "doublon" and rows[-1].target_label == "Camille Exemple"
    assert services.search_teleworkers(services.Filters()) == []


def test_event_venue_is_set_changed_and_cleared(make_venue, make_event):
    first, _ = make_venue()
    second, _ = make_venue("comptoir", name="Comptoir Test", email="c@example.org")
    pending, _ = make_venue(None, name="En attente", email="w@example.org")
    event = make_event()
    assert services.venue_for_event(event) is None
    services.set_event_venue(event, first)
    services.set_event_venue(event, second)
    assert services.venue_for_event(event) is second and count(EventVenue) == 1
    with pytest.raises(Refused):
        services.set_event_venue(event, pending)
    assert services.venue_for_event(event) is second
    services.set_event_venue(event, None)
    assert services.venue_for_event(event) is None and count(EventVenue) == 0


def test_simultaneous_applications_with_the_same_name_both_succeed(app, monkeypatch):
    """The slug check passes for both requests; the loser's commit retries, not 500."""
    first, _ = services.apply_teleworker(teleworker_fields(), consent=True)
    real = services.unique_slug
    calls = []

    def stale_check(model, name):
        # The first check runs as if the other application were not committed yet.
        calls.append(name)
        return slugify(name) if len(calls) == 1 else real(model, name)

    monkeypatch.setattr(services, "unique_slug", stale_check)
    second, _ = services.apply_teleworker(teleworker_fields(email="autre@example.org"),
                                          consent=True)
    assert len(calls) == 2
    assert {first.slug, second.slug} == {"camille-exemple", "camille-exemple-2"}
    assert count(Teleworker) == 2 and count(AuditEntry) == 2


def test_simultaneous_new_skill_is_shared_not_a_server_error(app, monkeypatch):
    services.apply_teleworker(teleworker_fields(skills="cartographie"), consent=True)
    real = services._skills
    calls = []

    def stale_lookup(names):
        # As if the other request had not committed "cartographie" yet.
        calls.append(names)
        return [Skill(name=name) for name in names] if len(calls) == 1 else real(names)

    monkeypatch.setattr(services, "_skills", stale_lookup)
    person, _ = services.apply_teleworker(
        teleworker_fields(name="Autre Personne", skills="cartographie"), consent=True)
    assert len(calls) == 2
    assert [s.name for s in person.skills] == ["cartographie"]
    assert count(Skill) == 1 and count(Teleworker) == 2


def test_a_write_that_keeps_conflicting_is_refused_with_a_message(app, monkeypatch):
    services.apply_teleworker(teleworker_fields(), consent=True)
    monkeypatch.setattr(services, "unique_slug", lambda model, name: slugify(name))
    with pytest.raises(Refused, match="réessayez") as refused:
        services.apply_teleworker(teleworker_fields(email="autre@example.org"), consent=True)
    assert (refused.value.code, status_of(refused.value)) == ("conflict", 409)
    assert count(Teleworker) == 1


def test_an_address_typed_in_another_case_is_the_same_person(app):
    person, _token = services.apply_teleworker(
        teleworker_fields(email="Camille@Example.ORG"), consent=True)
    venue, _token = services.apply_venue(venue_fields(email="camille@example.org"), 1)
    assert person.email == venue.email == "camille@example.org"
