"""The mail helper delivers to a real SMTP server, with inline images and attachments."""

import email
from email import policy

from eventhub.mail import Attachment, InlineImage, send_mail


def test_mail_reaches_the_smtp_server_with_its_parts(app, smtp_server):
    send_mail(
        "ada@example.org",
        "Votre billet",
        "Bonjour",
        html='<p>Bonjour <img src="cid:qr"></p>',
        inline_images=(InlineImage("qr", b"\x89PNG fake", "image/png"),),
        attachments=(Attachment("event.ics", b"BEGIN:VCALENDAR", "text/calendar"),),
        reply_to="bob@example.org",
    )
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Votre billet"
    assert message["Reply-To"] == "bob@example.org"
    assert message.get_body(("plain",)).get_content().strip() == "Bonjour"
    parts = {part.get_content_type(): part for part in message.walk()}
    assert parts["image/png"]["Content-ID"] == "<qr>"
    attachment = next(message.iter_attachments())
    assert attachment.get_filename() == "event.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_content() == "BEGIN:VCALENDAR"


def test_a_long_accented_subject_arrives_whole(app, smtp_server):
    subject = ("Liste d'attente : une place s'est libérée aux Rencontres du télétravail "
               "— nouvelle édition à Aumont-Aubrac")
    message = send_mail("ada@example.org", subject, "Bonjour")
    raw = message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
    assert raw.index(b"\r\n ") < raw.index(b"\r\n\r\n")  # the subject is folded
    assert email.message_from_bytes(raw, policy=policy.default)["Subject"] == subject
    (received,) = smtp_server.wait_for(1)
    assert received["Subject"] == subject
    short = "Votre inscription aux Rencontres du télétravail — nouvelle édition"
    send_mail("ada@example.org", short, "Bonjour")
    assert smtp_server.wait_for(2)[1]["Subject"] == short


def test_without_a_server_a_readable_summary_is_printed(app, capsys):
    app.config["MAIL_SERVER"] = None
    link = "https://rencontres.example.org/inscription/billet/" + "x" * 90 + "?lang=fr"
    send_mail(
        "ada@example.org",
        "Votre billet pour les Rencontres du télétravail — nouvelle édition à Aumont-Aubrac",
        f"Bonjour Ada,\n\nvotre billet : {link}\n\nÀ bientôt !\n",
        html=f'<p>Bonjour <a href="{link}">billet</a> <img src="cid:qr"></p>',
        inline_images=(InlineImage("qr", b"\x89PNG" + bytes(range(256)) * 4, "image/png"),),
        attachments=(Attachment("rencontres.ics", b"BEGIN:VCALENDAR", "text/calendar"),),
        reply_to="bob@example.org",
    )
    out = capsys.readouterr().out
    assert out == (
        "--- mail (no MAIL_SERVER configured) ---\n"
        "To: ada@example.org\n"
        "Reply-To: bob@example.org\n"
        "Subject: Votre billet pour les Rencontres du télétravail — nouvelle édition à "
        "Aumont-Aubrac\n"
        "Attachments: rencontres.ics\n"
        "\n"
        f"Bonjour Ada,\n\nvotre billet : {link}\n\nÀ bientôt !\n"
        "--- end of mail ---\n"
    )
