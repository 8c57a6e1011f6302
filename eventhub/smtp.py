"""The SMTP side of outgoing mail: one connection for many messages, and the console
where no server is configured (the demo). The outbox's sender uses it; ``eventhub.mail``
builds and queues."""

from __future__ import annotations

import smtplib
import sys
from email.message import EmailMessage

from flask import current_app


def summary(message: EmailMessage) -> str:
    """What a reader needs of ``message``: its addresses, subject and attachments decoded,
    and its plain-text body whole (links unbroken), without the MIME encoding."""
    lines = [f"{name}: {message[name]}" for name in ("To", "Reply-To", "Subject")
             if message[name] is not None]
    attachments = [part.get_filename() for part in message.iter_attachments()]
    if attachments:
        lines.append(f"Attachments: {', '.join(attachments)}")
    body = message.get_body(("plain",))
    text = body.get_content().rstrip("\n") if body is not None else ""
    return "\n".join([*lines, "", text])


def print_mail(message: EmailMessage) -> None:
    """Print ``message`` to the console: the demo's mail, when no server is configured."""
    print(f"--- mail (no MAIL_SERVER configured) ---\n{summary(message)}\n--- end of mail ---",
          file=sys.stdout, flush=True)


class Transmitter:
    """Hands messages to the configured SMTP server over one connection, opened at the
    first message and again after a failure (or prints them when there is no server).

    Used as a context manager, which closes the connection.
    """

    def __init__(self):
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Transmitter:
        return self

    def __exit__(self, *exc_info) -> None:
        self._close()

    def send(self, message: EmailMessage) -> None:
        """Send ``message`` now; raises ``OSError`` or ``smtplib.SMTPException`` when the
        server fails."""
        config = current_app.config
        if not config.get("MAIL_SERVER"):
            print_mail(message)
            return
        try:
            if self._smtp is None:
                self._smtp = self._connect(config)
            self._smtp.send_message(message)
        except (OSError, smtplib.SMTPException):
            self._close()
            raise

    @staticmethod
    def _connect(config) -> smtplib.SMTP:
        smtp = smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10)
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def _close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


def transmit(message: EmailMessage) -> None:
    """Hand ``message`` alone to the configured SMTP server now (see ``Transmitter``)."""
    with Transmitter() as transmitter:
        transmitter.send(message)
