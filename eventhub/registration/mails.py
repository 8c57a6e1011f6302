"""The e-mails of registration: confirmation (or waiting list) and promotion.

Each is written in the registrant's own language (the one they registered in), not in
the language of whoever triggered it: a cancellation from an English browser promotes a
French registrant in French.
"""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from eventhub import mail
from eventhub.programme import ical
from eventhub.programme.models import Slot
from eventhub.registration import tickets
from eventhub.registration.models import Registration, Status
from eventhub.urls import public_url

QR_CID = "ticket-qr@eventhub"


def ticket_url(registration: Registration) -> str:
    """The absolute link of a ticket page."""
    return public_url("registration.ticket", token=registration.token)


def agenda_slots(registration: Registration) -> list[Slot]:
    """The slots of a registrant's agenda: everything in plenary plus their workshops."""
    chosen = {choice.slot_id for choice in registration.choices}
    return [slot for slot in registration.event.slots
            if slot.rotation is None or slot.id in chosen]


def agenda_ics(registration: Registration) -> bytes:
    """The registrant's agenda as an iCalendar document."""
    event = registration.event
    return ical.calendar_for_slots(event, agenda_slots(registration),
                                   _("Mon agenda : %(title)s", title=event.title))


def _send(registration: Registration, subject: str, template: str) -> None:
    context = {"registration": registration, "event": registration.event,
               "ticket_url": ticket_url(registration), "qr_cid": QR_CID,
               "confirmed": registration.status == Status.CONFIRMED}
    mail.send_mail(
        registration.email, subject,
        render_template(f"registration/mail/{template}.txt", **context),
        html=render_template(f"registration/mail/{template}.html", **context),
        inline_images=(mail.InlineImage(QR_CID, tickets.qr_png(registration.code),
                                        "image/png"),),
        attachments=(mail.Attachment(f"{registration.event.slug}.ics",
                                     agenda_ics(registration), "text/calendar"),),
    )


def send_confirmation(registration: Registration) -> None:
    """Send the ticket: link, QR inline, agenda attached."""
    with force_locale(registration.language):
        if registration.status == Status.CONFIRMED:
            subject = _("Votre billet pour %(title)s", title=registration.event.title)
        else:
            subject = _("Liste d'attente pour %(title)s", title=registration.event.title)
        _send(registration, subject, "confirmation")


def send_promotion(registration: Registration) -> None:
    """Tell a waiting person that a place freed up for them."""
    with force_locale(registration.language):
        _send(registration,
              _("Une place s'est libérée : %(title)s", title=registration.event.title),
              "promotion")
