"""A viewer sees which questions they have voted for, after a reload too."""

from eventhub.live import services
from eventhub.live.viewer import COOKIE, viewer_id
from tests.live.helpers import live_event


def _button(html: str, question_id: int) -> str:
    item = html.split(f'id="q-{question_id}"', 1)[1].split("</li>", 1)[0]
    return item.split("<button", 1)[1].split("</button>", 1)[0]


def test_the_question_i_voted_for_shows_it_and_the_others_do_not(client):
    event = live_event(premoderation=False)
    mine = services.ask(event, "someone", "La fibre ?")
    other = services.ask(event, "someone", "Le coworking ?")
    client.get("/events/direct/live")
    response = client.post(f"/events/direct/live/questions/{mine.id}/vote")
    assert response.status_code == 302
    html = client.get("/events/direct/live").get_data(as_text=True)
    voted = _button(html, mine.id)
    assert "is-voted" in voted and "disabled" in voted
    assert "vous avez voté pour cette question" in voted
    votable = _button(html, other.id)
    assert "is-voted" not in votable and "disabled" not in votable
    viewer = viewer_id(client.get_cookie(COOKIE).value)
    assert services.voted_by(event, viewer) == {mine.id}
    assert services.voted_by(event, "somebody-else") == set()
