"""Outgoing e-mail: built here, queued in the outbox (``eventhub.outbox``) and delivered
through SMTP (``eventhub.smtp``) by its sender; printed to the console when no server
is configured."""

from __future__ import annotations

from dataclasses import dataclass
from email.header import Header
from email.headerregistry import Address, UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import make_msgid

from flask import current_app

from eventhub import outbox, smtp


class MailPolicy(EmailPolicy):
    """The standard policy, except that a free-text header with non-ASCII text (a subject)
    is encoded whole by ``email.header.Header``.

    The standard folder (CPython issue gh-144156) drops the space where a fold falls
    between two encoded words: "télétravail — nouvelle édition" arrived as "télétravail— …".
    ``Header`` keeps every space inside the encoded words, where no fold can lose it.
    """

    def _encoded(self, name: str, value) -> str | None:
        if not isinstance(value, UnstructuredHeader) or str(value).isascii():
            return None
        text = Header(str(value), "utf-8", header_name=name).encode(
            linesep=self.linesep, maxlinelen=self.max_line_length)
        return f"{name}: {text}{self.linesep}"

    def fold(self, name: str, value) -> str:
        """The header as text, folded (see the class)."""
        return self._encoded(name, value) or super().fold(name, value)

    def fold_binary(self, name: str, value) -> bytes:
        """The header as bytes, folded (see the class)."""
        encoded = self._encoded(name, value)
        return encoded.encode("ascii") if encoded else super().fold_binary(name, value)


POLICY = MailPolicy()


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
    message = EmailMessage(policy=POLICY)
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
    """Queue ``message`` in the outbox (committing the session), or print it at once when
    no SMTP server is configured (the demo: the console is never down)."""
    if not current_app.config.get("MAIL_SERVER"):
        smtp.print_mail(message)
        return
    outbox.enqueue(message)


def send_mail(to: str, subject: str, text: str, **parts) -> EmailMessage:
    """Build a message (see ``build_message`` for ``parts``) and send it (``send``);
    returns it."""
    message = build_message(to, subject, text, **parts)
    send(message)
    return message
