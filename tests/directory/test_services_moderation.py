"""Moderation: approval and its mail, rejection and its mail, the owner's proposed changes."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from eventhub.directory import services
from eventhub.directory.models import AuditEntry, EntryState
from eventhub.errors import Refused
from eventhub.extensions import db
from tests.directory.conftest import teleworker_fields, venue_fields


def audit_rows(action: str) -> list[tuple]:
    return db.session.execute(sa.select(
        AuditEntry.actor, AuditEntry.user_id, AuditEntry.target_type, AuditEntry.target_id,
        AuditEntry.detail).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


def plain(message) -> str:
    return message.get_content().replace("\r\n", "\n")


# --- approval --------------------------------------------------------------------------


def test_approving_a_teleworker_tells_them_their_entry_is_published(app, smtp_server,
                                                                   moderator):
    person, _ = services.apply_teleworker(teleworker_fields(), consent=True)
    services.approve_teleworker(person, moderator)
    message = smtp_server.wait_for(1)[0]
    assert message["Subject"] == "Votre fiche est publiée dans l'annuaire"
    body = plain(message)
    link = next(word for word in body.split() if "/annuaire/modifier/" in word)
    assert body == (
        "Bonjour,\n\nVotre fiche « Camille Exemple » est publiée dans l'annuaire SoLozère.\n\n"
        "Pour la modifier ou la supprimer à tout moment, utilisez ce lien privé (ne le "
        f"partagez pas) :\n{link}\n\nVotre adresse e-mail n'est jamais affichée : les "
        "visiteurs vous écrivent par un formulaire que le site relaie.\n")
    assert (person.state, person.approved_at is not None) == (EntryState.APPROVED, True)
    assert audit_rows("approved") == [(moderator.email, moderator.id, "teleworker", person.id,
                                       "")]


def test_approving_a_venue_says_it_is_the_venues_entry_and_records_the_kind(
        app, smtp_server, moderator):
    venue, _ = services.apply_venue(venue_fields(), 1)
    services.approve_venue(venue, "comptoir", moderator)
    body = plain(smtp_server.wait_for(1)[0])
    assert "\n\nLa fiche de votre lieu « Télécentre de Test » est publiée" in body
    assert (venue.kind, venue.state) == ("comptoir", EntryState.APPROVED)
    assert venue.approved_at is not None
    assert audit_rows("approved") == [(moderator.email, moderator.id, "venue", venue.id,
                                       "comptoir")]


def test_the_approval_mail_speaks_the_language_in_use(app, smtp_server, moderator):
    person, _ = services.apply_teleworker(teleworker_fields(), consent=True)
    venue, _ = services.apply_venue(venue_fields(), 1)
    with force_locale("en"):
        services.approve_teleworker(person, moderator)
        services.approve_venue(venue, "telecentre", moderator)
    for_person, for_venue = (plain(message) for message in smtp_server.wait_for(2))
    assert for_person.startswith("Hello,\n\nYour entry “Camille Exemple” is published")
    assert for_venue.startswith("Hello,\n\nThe entry of your venue “Télécentre de Test” is "
                                "published")


def test_an_approval_without_notice_sends_no_mail_but_still_publishes(app, smtp_server,
                                                                      moderator):
    person, _ = services.apply_teleworker(teleworker_fields(), consent=True)
    venue, _ = services.apply_venue(venue_fields(), 1)
    services.approve_teleworker(person, moderator, notify=False)
    services.approve_venue(venue, "telecentre", moderator, notify=False)
    db.session.rollback()  # what was published is committed
    assert (person.state, venue.state) == (EntryState.APPROVED, EntryState.APPROVED)
    assert smtp_server.messages == []


def test_a_kind_the_services_do_not_allow_is_refused_on_the_kind_field(app, moderator):
    venue, token = services.apply_venue(venue_fields(services=["wifi"]), 1)
    with pytest.raises(Refused) as refused:
        services.approve_venue(venue, "telecentre", moderator)
    assert (refused.value.code, refused.value.field) == ("invalid_field", "kind")
    # Nothing changed: the applicant's link still opens the entry.
    assert services.find_by_token(token) is venue and audit_rows("approved") == []


# --- rejection -------------------------------------------------------------------------


def test_a_rejection_mail_gives_the_reason_when_there_is_one(make_teleworker, smtp_server,
                                                            moderator):
    person, _ = make_teleworker()
    other, _ = make_teleworker(name="Dominique Autre", email="dominique@example.org")
    smtp_server.messages.clear()
    services.reject(person, moderator, "Doublon")
    services.reject(other, moderator)
    with_reason, without = smtp_server.wait_for(2)
    assert with_reason["To"] == "camille@example.org"
    assert with_reason["Subject"] == "Votre demande d'inscription à l'annuaire"
    assert plain(with_reason) == ("Bonjour,\n\nLa fiche « Camille Exemple » n'a pas été "
                                  "retenue pour l'annuaire SoLozère.\nMotif : Doublon\n")
    assert plain(without).endswith("« Dominique Autre » n'a pas été retenue pour l'annuaire "
                                     "SoLozère.\n")
    db.session.rollback()
    assert (person.state, other.state) == (EntryState.REJECTED, EntryState.REJECTED)


def test_the_audit_keeps_three_hundred_characters_of_a_reason(make_teleworker, moderator):
    person, _ = make_teleworker()
    services.reject(person, moderator, "R" * 299 + "ST")
    assert audit_rows("rejected")[0].detail == "R" * 299 + "S"


# --- the owner's changes to a published entry -----------------------------------------


def test_an_owners_edit_of_a_published_entry_is_only_proposed(make_teleworker):
    person, _ = make_teleworker()
    warning = services.update_entry(person, teleworker_fields(
        activity="Relieuse", skills="Reliure, anglais", email=""))
    assert warning == ("Votre fiche est publiée : vos modifications y paraîtront après leur "
                       "relecture par un modérateur.")
    db.session.rollback()  # the proposal is committed
    assert person.activity == "Traductrice"
    assert person.pending_changes["activity"] == "Relieuse"
    assert person.pending_changes["skills"] == ["reliure", "anglais"]
    assert person.pending_changes["email"] == "camille@example.org"  # empty keeps it
    assert audit_rows("proposed") == [(services.OWNER, None, "teleworker", person.id, "")]
    assert services.pending_diff(person) == [("activity", "Traductrice", "Relieuse"),
                                             ("skills", ["anglais", "traduction"],
                                              ["reliure", "anglais"])]


def test_the_diff_ignores_the_order_of_skills_and_unchanged_fields(make_teleworker):
    person, _ = make_teleworker()
    assert services.pending_diff(person) == []  # nothing proposed yet
    # The same skills typed in another order are no change.
    services.propose_changes(person, teleworker_fields(skills="Traduction, anglais",
                                                       email="Nouvelle@Example.org"))
    assert person.pending_changes["skills"] == ["traduction", "anglais"]
    assert services.pending_diff(person) == [
        ("email", "camille@example.org", "nouvelle@example.org")]


def test_a_proposed_venue_keeps_its_coordinates_as_numbers(make_venue):
    venue, _ = make_venue()
    services.update_entry(venue, venue_fields(latitude=44, longitude=-3))
    db.session.expire_all()
    proposed = venue.pending_changes["latitude"], venue.pending_changes["longitude"]
    # Floats, as the columns will hold them once accepted, even when typed as integers.
    assert proposed == (44.0, -3.0) and {type(value) for value in proposed} == {float}
    assert services.pending_diff(venue) == [("latitude", 44.72, 44.0),
                                            ("longitude", 3.85, -3.0)]
    services.update_entry(venue, venue_fields(latitude=None, longitude=None))
    assert (venue.pending_changes["latitude"], venue.pending_changes["longitude"]) == (
        None, None)


def test_accepting_publishes_the_proposal_and_clears_it(make_teleworker, moderator):
    person, _ = make_teleworker()
    services.update_entry(person, teleworker_fields(activity="Relieuse"))
    assert services.accept_changes(person, moderator) is None
    db.session.rollback()
    assert (person.activity, person.pending_changes) == ("Relieuse", None)
    assert audit_rows("edited") == [(moderator.email, moderator.id, "teleworker", person.id,
                                     "")]
    with pytest.raises(Refused) as refused:
        services.accept_changes(person, moderator)
    assert (refused.value.code, refused.value.message) == (
        "conflict", "Aucune modification n'attend de relecture.")


def test_accepting_a_venue_proposal_that_breaks_its_kind_warns(make_venue, moderator):
    venue, _ = make_venue("telecentre")
    services.update_entry(venue, venue_fields(services=["wifi"]))
    assert services.accept_changes(venue, moderator) == (
        "Les services ne correspondent plus au type du lieu : la fiche repasse en "
        "modération.")
    assert venue.state == EntryState.PENDING
    assert audit_rows("edited") == [(moderator.email, moderator.id, "venue", venue.id,
                                     "remise en modération")]
    services.update_entry(venue, venue_fields(services=["wifi"], name="Renommé"), moderator)
    assert venue.name == "Renommé"  # a moderator's edit applies at once, without warning


def test_discarding_keeps_the_published_version(make_teleworker, moderator):
    person, _ = make_teleworker()
    services.update_entry(person, teleworker_fields(activity="Relieuse"))
    services.discard_changes(person, moderator)
    db.session.rollback()
    assert (person.activity, person.pending_changes) == ("Traductrice", None)
    assert audit_rows("discarded") == [(moderator.email, moderator.id, "teleworker",
                                        person.id, "")]


def test_a_pending_entry_is_edited_directly_by_its_owner(make_teleworker):
    person, _ = make_teleworker(approved=False)
    assert services.update_entry(person, teleworker_fields(
        activity="Relieuse", email=" Autre@Example.org ")) is None
    db.session.rollback()
    assert (person.activity, person.email, person.pending_changes) == (
        "Relieuse", "autre@example.org", None)


def test_an_owner_may_propose_to_drop_every_skill(make_teleworker):
    person, _ = make_teleworker()
    services.update_entry(person, teleworker_fields(skills=None))
    assert services.pending_diff(person) == [("skills", ["anglais", "traduction"], [])]


def test_a_moderators_edit_without_skills_leaves_none(make_teleworker, moderator):
    person, _ = make_teleworker()
    services.update_entry(person, teleworker_fields(skills=None), moderator)
    assert person.skills == [] and person.pending_changes is None
