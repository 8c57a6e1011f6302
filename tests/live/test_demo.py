"""The live demo: stream, pre-moderation and questions on the live edition, idempotent."""

from eventhub.demo import Report
from eventhub.demo import live as live_demo
from eventhub.demo import programme as programme_demo
from eventhub.live import services
from eventhub.programme.services import find_event


def test_live_demo_is_idempotent_and_the_page_works_offline(client):
    programme_demo.load(Report())
    for _ in range(2):
        live_demo.load(Report())
    event = find_event(live_demo.LIVE_DEMO_SLUG)
    assert services.stream_for(event).provider == "peertube"
    assert services.settings_for(event).premoderation is True
    questions = services.questions_for(event, moderator=True).questions
    assert len(questions) == len(live_demo.QUESTIONS)
    assert services.pinned_question(event) is not None
    assert {q.status for q in questions} == {"approved", "pending"}
    html = client.get(f"/events/{live_demo.LIVE_DEMO_SLUG}/live").get_data(as_text=True)
    # Nothing from the video host is loaded until the viewer clicks.
    assert "<iframe" not in html and "framatube.org/videos/embed" in html
    assert "Quel débit minimum" in html and "aides à l&#39;installation" not in html


def test_live_demo_without_the_event_says_so(app):
    report = Report()
    live_demo.load(report)
    assert "missing" in report.lines[0]
