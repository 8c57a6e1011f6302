"""The moderation console is a queue: each question in the list of its state, with the
actions that fit that state and no others."""

import re

from eventhub.live import services
from tests.live.helpers import live_event


def _ask_four(event):
    waiting_first = services.ask(event, "a", "Première en attente")
    waiting_second = services.ask(event, "b", "Seconde en attente")
    popular = services.ask(event, "c", "Populaire")
    pinned = services.ask(event, "d", "Épinglée")
    answered = services.ask(event, "e", "Répondue")
    hidden = services.ask(event, "f", "Masquée")
    for question in (popular, answered):
        services.moderate(event, question.id, "approve")
    services.moderate(event, pinned.id, "pin")
    services.moderate(event, answered.id, "answer")
    services.moderate(event, hidden.id, "hide")
    for voter in ("v1", "v2", "v3"):
        services.vote(event, popular.id, voter)
    services.vote(event, pinned.id, "v1")
    return waiting_first, waiting_second, popular, pinned, answered, hidden


def test_each_state_offers_the_actions_that_fit_it(app):
    event = live_event()
    first, _second, popular, pinned, answered, hidden = _ask_four(event)
    listing = {q.id: q for q in services.questions_for(event, moderator=True).questions}
    assert services.actions_for(listing[first.id]) == ["approve", "hide"]
    assert services.actions_for(listing[popular.id]) == ["answer", "pin", "hide"]
    assert services.actions_for(listing[pinned.id]) == ["answer", "unpin", "hide"]
    assert services.actions_for(listing[answered.id]) == ["approve"]
    assert services.actions_for(listing[hidden.id]) == ["approve"]


def test_the_queue_puts_waiting_questions_oldest_first_and_the_pinned_one_on_top(app):
    event = live_event()
    _ask_four(event)
    queue = services.console_queue(services.questions_for(event, moderator=True).questions)
    texts = {status: [q.text for q in questions] for status, questions in queue.items()}
    assert texts == {"pending": ["Première en attente", "Seconde en attente"],
                     "approved": ["Épinglée", "Populaire"],
                     "answered": ["Répondue"], "hidden": ["Masquée"]}


def test_the_console_page_lists_each_state_with_its_own_buttons(client, auth):
    event = live_event()
    first, *_ = _ask_four(event)
    auth.login("moderator")
    html = client.get("/manage/events/direct/questions").get_data(as_text=True)
    pending = html.split('id="list-pending"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'action-(\w+)', pending) == ["approve", "hide"] * 2
    approved = html.split('id="list-approved"', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'action-(\w+)', approved) == ["answer", "unpin", "hide",
                                                      "answer", "pin", "hide"]
    assert '<span class="console-count" id="count-pending">2</span>' in html
    assert "3</span> votes" in approved and "1</span> vote<" in approved
    response = client.post(f"/manage/events/direct/questions/{first.id}/approve")
    assert response.status_code == 302
    html = client.get("/manage/events/direct/questions").get_data(as_text=True)
    assert "Première en attente" in html.split('id="list-approved"', 1)[1].split("</ol>")[0]
