"""The order of the public list: the pinned question leads, whichever the sort."""

import pytest

from eventhub.extensions import db
from eventhub.live import services
from tests.live.helpers import live_event


@pytest.mark.parametrize("newest_first", [False, True])
def test_the_pinned_question_leads_whichever_the_order(app, newest_first):
    event = live_event(premoderation=False)
    first = services.ask(event, "a", "Première, peu votée ?")
    voted = services.ask(event, "b", "La plus votée ?")
    latest = services.ask(event, "c", "La plus récente ?")
    for viewer in ("v1", "v2", "v3"):
        services.vote(event, voted.id, viewer)
    services.vote(event, latest.id, "v1")
    services.moderate(event, first.id, "pin")
    db.session.expire_all()
    listing = services.questions_for(event, "someone", newest_first=newest_first)
    listed = [q.id for q in listing.questions]
    rest = [latest.id, voted.id] if newest_first else [voted.id, latest.id]
    assert listed == [first.id, *rest]
