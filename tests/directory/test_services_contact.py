"""Relayed contact: one mail to the entry, the visitor in Reply-To, only a trace kept."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eventhub.directory import services
from eventhub.directory.models import ContactMessage
from eventhub.errors import Refused
from eventhub.extensions import db


def traces() -> list[tuple]:
    return db.session.execute(sa.select(
        ContactMessage.teleworker_id, ContactMessage.venue_id, ContactMessage.sender_name,
        ContactMessage.created_at)).all()


def test_a_message_is_relayed_once_with_the_sender_as_the_only_reply_to(make_teleworker,
                                                                      smtp_server):
    person, _ = make_teleworker()
    smtp_server.messages.clear()
    services.send_contact(person, "Dupont, Alex", "alex@example.net", "Bonjour")
    # Once delivered, nothing more waits: a second copy would arrive with it.
    messages = smtp_server.wait_for(1)
    assert len(messages) == 1
    reply_to = messages[0]["Reply-To"].addresses
    assert [(a.display_name, a.addr_spec) for a in reply_to] == [
        ("Dupont, Alex", "alex@example.net")]


def test_the_relayed_mail_names_the_sender_the_entry_and_carries_the_text(make_teleworker,
                                                                        smtp_server):
    person, _ = make_teleworker()
    smtp_server.messages.clear()
    services.send_contact(person, "  Alex \t Visiteur ", " Alex@Example.NET ",
                          "\n  Travaillons ensemble ?  \n")
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "camille@example.org"
    assert message["Subject"] == "Message de Alex Visiteur via l'annuaire"
    assert message["Reply-To"].addresses[0].addr_spec == "alex@example.net"
    body = message.get_content().replace("\r\n", "\n")
    assert body == (
        "Bonjour,\n\nAlex Visiteur vous écrit depuis l'annuaire SoLozère (fiche « Camille "
        "Exemple »). Répondez à ce message pour lui répondre directement.\n\n"
        "-----\nTravaillons ensemble ?\n-----\n\n"  # the text trimmed, whole
        "Le site a relayé ce message sans vous montrer ni montrer votre adresse.\n")


def test_the_trace_ties_the_sender_to_the_right_kind_of_entry(make_teleworker, make_venue):
    person, _ = make_teleworker()
    venue, _ = make_venue()
    services.send_contact(person, "Alex " + "N" * 130, "alex@example.net", "Pour la personne")
    services.send_contact(venue, "Bea", "bea@example.net", "Pour le lieu")
    rows = traces()
    assert [row[:3] for row in rows] == [(person.id, None, "Alex " + "N" * 115),
                                         (None, venue.id, "Bea")]
    assert all(row.created_at is not None for row in rows)


@pytest.mark.parametrize("name, text", [(" \t ", "Bonjour"), ("Alex", " \n ")])
def test_a_message_without_a_name_or_a_text_is_refused(make_teleworker, smtp_server, name,
                                                       text):
    person, _ = make_teleworker()
    smtp_server.messages.clear()
    with pytest.raises(Refused) as refused:
        services.send_contact(person, name, "alex@example.net", text)
    assert refused.value.code == "invalid_field"
    assert refused.value.message == "Indiquez votre nom et votre message."
    assert traces() == [] and smtp_server.messages == []


def test_a_bad_sender_address_is_refused_on_its_own_field(make_teleworker):
    person, _ = make_teleworker()
    with pytest.raises(Refused) as refused:
        services.send_contact(person, "Alex", "alex-at-nowhere", "Bonjour")
    assert (refused.value.code, refused.value.field) == ("invalid_field", "sender_email")
    assert traces() == []


def test_an_unpublished_entry_cannot_be_written_to(make_teleworker, smtp_server):
    person, _ = make_teleworker(approved=False)
    smtp_server.messages.clear()
    with pytest.raises(Refused) as refused:
        services.send_contact(person, "Alex", "alex@example.net", "Bonjour")
    # As if it did not exist: a pending entry is not public.
    assert (refused.value.code, refused.value.message) == (
        "not_found", "Cette fiche n'est pas publiée.")
    assert smtp_server.messages == []
