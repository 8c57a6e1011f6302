"""Outgoing e-mail through SMTP; printed to the console when no server is configured."""

from __future__ import annotations

import smtplib
import sys
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    content: bytes
    mimetype: str  # "type/subtype"


@dataclass(frozen=True)
class InlineImage:
    """An image shown inside the HTML body, referenced as ``cid:<cid>``."""

    cid: str
    content: bytes
    mimetype: str


def build_message(
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    inline_images: tuple[InlineImage, ...] = (),
    reply_to: Address | None = None,
    sender: str | None = None,
) -> EmailMessage:
    """Assemble a message: plain text, optional HTML with inline images, attachments."""
    message = EmailMessage()
    message["From"] = sender or current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="eventhub.localhost")
    if reply_to:
        message["Reply-To"] = reply_to
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
        html_part = message.get_payload()[-1]
        for image in inline_images:
            maintype, subtype = image.mimetype.split("/", 1)
            html_part.add_related(
                image.content, maintype=maintype, subtype=subtype, cid=f"<{image.cid}>"
            )
    for attachment in attachments:
        maintype, subtype = attachment.mimetype.split("/", 1)
        message.add_attachment(
            attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message


def send(message: EmailMessage) -> None:
    """Send through the configured SMTP server, or print when there is none (the demo)."""
    config = current_app.config
    if not config.get("MAIL_SERVER"):
        print(f"--- mail (no MAIL_SERVER configured) ---\n{message}\n--- end of mail ---",
              file=sys.stdout, flush=True)
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.send_message(message)


def send_mail(to: str, subject: str, text: str, **parts) -> EmailMessage:
    """Build and send a message (see ``build_message`` for ``parts``); returns it."""
    message = build_message(to, subject, text, **parts)
    send(message)
    return message
