"""The order of the public list: the pinned question leads, whichever the sort."""

import pytest

from eventhub.extensions import db
from eventhub.live import services
from tests.live.helpers import live_event


@pytest.mark.parametrize("order", ["votes", "time"])
def test_the_pinned_question_leads_whichever_the_order(app, order):
    event = live_event(premoderation=False)
    first = services.ask(event, "a", "Première, peu votée ?")
    voted = services.ask(event, "b", "La plus votée ?")
    latest = services.ask(event, "c", "La plus récente ?")
    for viewer in ("v1", "v2", "v3"):
        services.vote(event, voted.id, viewer)
    services.vote(event, latest.id, "v1")
    services.moderate(event, first.id, "pin")
    db.session.expire_all()
    listed = [q.id for q in services.questions_for(event, "someone", order=order).questions]
    rest = [voted.id, latest.id] if order == "votes" else [latest.id, voted.id]
    assert listed == [first.id, *rest]
