"""Mails that really travel through SMTP: ticket, waiting list, promotion."""

from __future__ import annotations

import icalendar

from eventhub.registration import services, tickets

FORM = {"name": "Ana Martin", "email": "ana@example.org", "attendance": "onsite",
        "consent": "y"}


def _parts(message):
    html = message.get_body(("html",))
    images = [part for part in message.walk() if part.get_content_type() == "image/png"]
    attachments = list(message.iter_attachments())
    return html, images, attachments


def test_confirmation_has_link_inline_qr_and_ics(client, open_event, smtp_server):
    open_event(slots=[{"start": "09:00", "end": "10:00", "title": "Ouverture",
                       "kind": "opening"}])
    client.post("/events/rencontres/register", data=FORM)
    message = smtp_server.wait_for(1)[0]
    assert message["To"] == "ana@example.org"
    assert "Votre billet" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html, images, attachments = _parts(message)
    token_line = next(line for line in text.splitlines() if "/tickets/" in line)
    token = token_line.rsplit("/tickets/", 1)[1].strip()
    registration = services.by_token(token)
    assert registration is not None and registration.name == "Ana Martin"
    assert f'src="cid:{images[0]["Content-ID"].strip("<>")}"' in html.get_content()
    assert images[0].get_content() == tickets.qr_png(registration.code)
    ics = next(a for a in attachments if a.get_content_type() == "text/calendar")
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    assert [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")] == ["Ouverture"]
    assert registration.code not in text  # the door code travels only in the image
    printed = f"{registration.short_code[:4]}-{registration.short_code[4:]}"
    assert f"Code à saisir à l'accueil : {printed}" in text
    assert f"<strong>{printed}</strong>" in html.get_content()


def test_waitlist_then_promotion_mail(client, open_event, smtp_server):
    event = open_event(capacity=1)
    first = services.register(event, "Ana", "ana@example.org", "onsite")
    client.post("/events/rencontres/register", data={**FORM, "email": "bob@example.org",
                                                     "name": "Bob"})
    waiting = smtp_server.wait_for(1)[0]
    assert "Liste d'attente" in waiting["Subject"]
    assert "liste d'attente" in waiting.get_body(("plain",)).get_content()
    client.post(f"/tickets/{first.token}/cancel", data={"confirm": "1"})
    promotion = smtp_server.wait_for(2)[1]
    assert promotion["To"] == "bob@example.org"
    assert "Une place s'est libérée" in promotion["Subject"]


def test_resend_for_a_registered_address_only(client, open_event, smtp_server):
    event = open_event()
    services.register(event, "Ana", "ana@example.org", "onsite")
    client.post("/events/rencontres/resend", data={"email": "nobody@example.org"})
    client.post("/events/rencontres/resend", data={"email": "ANA@example.org"})
    messages = smtp_server.wait_for(1)
    assert [m["To"] for m in messages] == ["ana@example.org"]


def test_each_mail_is_written_in_its_registrants_language(app, client, open_event,
                                                          smtp_server):
    open_event(capacity=1)
    english = app.test_client()
    english.get("/lang/en")
    english.post("/events/rencontres/register", data=FORM)
    client.post("/events/rencontres/register", data={**FORM, "email": "bob@example.org",
                                                     "name": "Bob"})
    ticket, waiting = smtp_server.wait_for(2)
    assert ticket["Subject"].startswith("Your ticket for")
    assert waiting["Subject"].startswith("Liste d'attente pour")
    ana = services.find_by_email(services.by_token(_token(ticket)).event, "ana@example.org")
    assert (ana.language, services.find_by_email(ana.event, "bob@example.org").language) == (
        "en", "fr")

    # The English visitor cancels: Bob, who registered in French, is told in French.
    english.post(f"/tickets/{ana.token}/cancel", data={"confirm": "1"})
    promotion = smtp_server.wait_for(3)[2]
    assert promotion["To"] == "bob@example.org"
    assert promotion["Subject"].startswith("Une place s'est libérée")
    assert "est maintenant confirmée" in promotion.get_body(("plain",)).get_content()

    # A resend asked from the English browser still reaches Bob in French.
    english.post("/events/rencontres/resend", data={"email": "bob@example.org"})
    resent = smtp_server.wait_for(4)[3]
    assert (resent["To"], resent["Subject"].split(" ")[0]) == ("bob@example.org", "Votre")


def _token(message) -> str:
    text = message.get_body(("plain",)).get_content()
    return next(line for line in text.splitlines() if "/tickets/" in line).rsplit(
        "/tickets/", 1)[1].strip()


def _outbox_rows():
    from eventhub import outbox

    return outbox.waiting()


def test_registration_succeeds_while_smtp_is_down_and_its_mail_goes_when_it_returns(
        client, runner, app, open_event):
    from tests.conftest import free_port, smtp_listening

    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)  # nothing listens there
    open_event()
    response = client.post("/events/rencontres/register", data=FORM)
    assert response.status_code == 302 and "/tickets/" in response.headers["Location"]
    (row,) = _outbox_rows()
    assert (row.recipient, row.attempts) == ("ana@example.org", 0)

    failed = runner.invoke(args=["mail-outbox", "--send"])
    assert failed.exit_code == 1
    assert "0 mail(s) sent, 1 failed." in failed.output
    assert "to ana@example.org" in failed.output and "1 attempt(s)" in failed.output
    (row,) = _outbox_rows()
    assert row.attempts == 1 and "Connection refused" in row.last_error

    with smtp_listening(port) as mailbox:
        sent = runner.invoke(args=["mail-outbox", "--send"])
        assert sent.exit_code == 0, sent.output
        assert "1 mail(s) sent, 0 failed." in sent.output and "0 mail(s) waiting." in sent.output
        (message,) = mailbox.wait_for(1)
    assert message["To"] == "ana@example.org" and "Votre billet" in message["Subject"]
    token = response.headers["Location"].rsplit("/tickets/", 1)[1]
    assert f"/tickets/{token}" in message.get_body(("plain",)).get_content()
    assert _outbox_rows() == []


def test_resend_form_queues_the_ticket_again_while_smtp_is_down(client, runner, app,
                                                                 open_event):
    from tests.conftest import free_port, smtp_listening

    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    event = open_event()
    services.register(event, "Ana", "ana@example.org", "onsite")
    response = client.post("/events/rencontres/resend", data={"email": "ana@example.org"},
                           follow_redirects=True)
    assert response.status_code == 200 and "vient de lui être renvoyé" in response.get_data(
        as_text=True)
    assert [row.recipient for row in _outbox_rows()] == ["ana@example.org"]
    with smtp_listening(port) as mailbox:
        runner.invoke(args=["mail-outbox", "--send"])
        (message,) = mailbox.wait_for(1)
    assert message["To"] == "ana@example.org"
    assert _outbox_rows() == []
