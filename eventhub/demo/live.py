"""Live demo: the live edition gets a placeholder stream, pre-moderation and a few questions.

The stream is only loaded when a viewer clicks the player, so the page works even when
the video host cannot be reached (offline demo).
"""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.extensions import db
from eventhub.live import services
from eventhub.live.models import Question
from eventhub.programme.models import Slot
from eventhub.programme.services import find_event

LIVE_DEMO_SLUG = "rencontres-teletravail-aujourdhui"
PLACEHOLDER_STREAM = "https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d"

# (viewer, name, text, moderation action or None to leave it pending, votes)
QUESTIONS = (
    ("demo-viewer-1", "Camille", "Quel débit minimum faut-il pour télétravailler depuis "
     "l'Aubrac ?", "approve", 4),
    ("demo-viewer-2", "", "Les télécentres proposent-ils des tarifs à la demi-journée ?",
     "pin", 2),
    ("demo-viewer-3", "Jean-Marc", "Comment convaincre mon employeur de me laisser "
     "travailler à distance deux jours par semaine ?", "approve", 1),
    ("demo-viewer-4", "Sophie", "Existe-t-il des aides à l'installation pour les familles ?",
     None, 0),
)


def load(report) -> None:
    """Give the live edition its stream, moderation and questions, once."""
    event = find_event(LIVE_DEMO_SLUG, include_drafts=True)
    if event is None:
        report.say(f"Live demo skipped: event {LIVE_DEMO_SLUG} is missing.")
        return
    if services.stream_for(event) is None:
        services.set_stream(event, PLACEHOLDER_STREAM)
        report.say(f"Live demo stream set for {LIVE_DEMO_SLUG} (placeholder PeerTube).")
    services.settings_for(event)
    if db.session.scalar(sa.select(Question.id).where(Question.event_id == event.id).limit(1)):
        report.say("Live demo questions already loaded.")
        return
    talks = db.session.scalars(
        sa.select(Slot).where(Slot.event_id == event.id, Slot.kind != "break")
        .order_by(Slot.starts_at, Slot.id)
    ).all()
    for index, (viewer, name, text, action, votes) in enumerate(QUESTIONS):
        slot = talks[min(index, len(talks) - 1)] if talks else None
        question = services.ask(event, viewer, text, name, slot_id=slot.id if slot else None)
        if action:
            services.moderate(event, question.id, action)
        for voter in range(votes):
            services.vote(event, question.id, f"demo-voter-{voter}")
    report.say(f"Live demo: {len(QUESTIONS)} questions added to {LIVE_DEMO_SLUG}.")
