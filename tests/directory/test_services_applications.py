"""Applications: what a teleworker's or a venue's application keeps, and what it refuses."""

from __future__ import annotations

import hashlib
import re

import pytest
import sqlalchemy as sa

from eventhub.directory import services
from eventhub.directory.models import AuditEntry, EntryState, Skill, Teleworker, Venue
from eventhub.errors import Refused
from eventhub.extensions import db
from tests.directory.conftest import teleworker_fields, venue_fields


def audit_rows() -> list[tuple]:
    return db.session.execute(sa.select(
        AuditEntry.action, AuditEntry.actor, AuditEntry.user_id, AuditEntry.target_type,
        AuditEntry.target_id, AuditEntry.target_label, AuditEntry.detail)
        .order_by(AuditEntry.id)).all()


# --- skills ----------------------------------------------------------------------------


def test_skills_are_trimmed_lowered_squeezed_cut_and_unique():
    assert services.parse_skills(" Python ,  Gestion   de\tprojet,python,, ,PYTHON ") == [
        "python", "gestion de projet"]
    assert services.parse_skills(["Cartographie", " cartographie ", "SIG"]) == [
        "cartographie", "sig"]
    assert services.parse_skills("A" * 61 + ", b") == ["a" * 60, "b"]


def test_twelve_skills_are_allowed_and_a_thirteenth_is_refused():
    twelve = [f"c{n}" for n in range(12)]
    assert services.parse_skills(",".join(twelve)) == twelve
    # Repeats do not count towards the limit.
    assert services.parse_skills(",".join([*twelve, "C0"])) == twelve
    with pytest.raises(Refused) as refused:
        services.parse_skills(",".join([*twelve, "c12"]))
    assert (refused.value.code, refused.value.field) == ("invalid_field", "skills")
    assert refused.value.message == "Au plus 12 compétences."


def test_a_private_link_holds_24_random_bytes_and_only_its_digest_is_stored(app):
    person, token = services.apply_teleworker(teleworker_fields(), consent=True)
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)  # 24 bytes, URL-safe base64
    assert person.edit_token_hash == hashlib.sha256(token.encode()).hexdigest()


# --- teleworkers ---------------------------------------------------------------------


def test_a_teleworker_application_keeps_its_fields_tidied_and_cut(app):
    person, _ = services.apply_teleworker(teleworker_fields(
        name="  " + "N" * 130, status="salarie", activity=" " + "A" * 210,
        commune=" Saint-Chély \t d'Apcher " + "C" * 110, website=" https://camille.example.org ",
        presentation="\n Bonjour. \n", skills=None), consent=True)
    db.session.expire_all()
    assert (person.name, person.activity) == ("N" * 120, "A" * 200)
    # The commune's spaces are squeezed before it is cut to its 120 characters.
    assert (person.status, person.commune) == ("salarie", "Saint-Chély d'Apcher " + "C" * 99)
    assert (person.website, person.presentation) == ("https://camille.example.org", "Bonjour.")
    assert person.skills == []
    bare, _ = services.apply_teleworker(teleworker_fields(
        name="Sans Site", website=None, presentation=None, email="s@example.org"),
        consent=True)
    assert (bare.website, bare.presentation) == ("", "")


def test_a_teleworker_application_is_audited_as_the_applicants_own(app):
    person, _ = services.apply_teleworker(teleworker_fields(), consent=True)
    row = audit_rows()[0]
    assert row == ("applied", services.OWNER, None, "teleworker", person.id,
                   "Camille Exemple", "")
    assert db.session.scalar(sa.select(AuditEntry.at)) is not None


@pytest.mark.parametrize("overrides, consent, field", [
    ({}, False, "consent"),
    ({"status": "retraite"}, True, "status"),
    ({"activity": " "}, True, "activity"),
    ({"commune": None}, True, "commune"),
    ({"website": "www.example.org"}, True, "website"),
    ({"email": None}, True, "email"),
])
def test_a_refused_teleworker_application_names_the_field_at_fault(app, overrides, consent,
                                                                   field):
    with pytest.raises(Refused) as refused:
        services.apply_teleworker(teleworker_fields(**overrides), consent=consent)
    assert (refused.value.code, refused.value.field) == ("invalid_field", field)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Teleworker)) == 0


def test_a_missing_field_is_named_in_the_message(app):
    with pytest.raises(Refused) as refused:
        services.apply_teleworker(teleworker_fields(activity=""), consent=True)
    assert refused.value.message == "Champ obligatoire manquant : activity."
    with pytest.raises(Refused) as refused:
        services.apply_teleworker(teleworker_fields(status="chomeur"), consent=True)
    assert refused.value.message == "Statut inconnu : choisissez salarié ou indépendant."
    with pytest.raises(Refused) as refused:
        services.apply_teleworker(teleworker_fields(), consent=False)
    assert refused.value.message == "La publication demande votre consentement."


def test_a_new_application_reuses_an_existing_skill(app):
    first, _ = services.apply_teleworker(teleworker_fields(skills="tissage"), consent=True)
    second, _ = services.apply_teleworker(
        teleworker_fields(name="Autre", email="a@example.org", skills="tissage, poterie"),
        consent=True)
    shared = next(skill for skill in second.skills if skill.name == "tissage")
    assert shared is first.skills[0]
    assert sorted(db.session.scalars(sa.select(Skill.name))) == ["poterie", "tissage"]


# --- venues ----------------------------------------------------------------------------


def test_a_venue_application_is_audited_with_the_charter_version(app):
    venue, token = services.apply_venue(venue_fields(), 1)
    assert venue.state == EntryState.PENDING and venue.email == "accueil-test@example.org"
    assert services.find_by_token(token) is venue
    assert audit_rows() == [("applied", services.OWNER, None, "venue", venue.id,
                             "Télécentre de Test", "charte v1")]


@pytest.mark.parametrize("overrides, field, message", [
    ({"services": ["wifi", "sauna", "jacuzzi"]}, "services", "Service inconnu : sauna, jacuzzi."),
    ({"longitude": None}, "latitude", "Donnez la latitude et la longitude, ou aucune des deux."),
    ({"latitude": 91}, "latitude", "Coordonnées hors limites."),
    ({"longitude": 180.5}, "latitude", "Coordonnées hors limites."),
    ({"address": None}, "address", "Champ obligatoire manquant : address."),
    ({"website": "lieu.example.org"}, "website",
     "Adresse web attendue, commençant par http:// ou https://."),
])
def test_a_refused_venue_application_names_its_field(app, overrides, field, message):
    with pytest.raises(Refused) as refused:
        services.apply_venue(venue_fields(**overrides), 1)
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "invalid_field", field, message)


def test_a_venue_refused_for_its_charter_names_the_charter(app):
    with pytest.raises(Refused) as refused:
        services.apply_venue(venue_fields(), 2)
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "invalid_field", "charter", "Acceptez la version en vigueur de la charte qualité.")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Venue)) == 0


def test_a_venue_without_services_offers_none(app):
    venue, _ = services.apply_venue(venue_fields(services=None), 1)
    assert venue.services == []


def test_a_venue_commune_is_squeezed_then_cut_to_120_characters(app):
    venue, _ = services.apply_venue(venue_fields(commune="  Le   Malzieu " + "V" * 120), 1)
    assert venue.commune == "Le Malzieu " + "V" * 109
