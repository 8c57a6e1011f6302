"""Exports for the written restitution: CSV (formula-safe) and Markdown, by slot."""

import csv
import io

from eventhub.live import services
from eventhub.spreadsheet import safe_cell
from tests.live.helpers import live_event


def _questions(event):
    later = next(s for s in event.slots if s.title == "Atelier suivant")
    formula = services.ask(event, "a", "=HYPERLINK(\"http://evil\")", "@Bob")
    services.ask(event, "b", "Et l'atelier ?", slot_id=later.id)
    top = services.ask(event, "c", "**Fibre** <b>?</b>")
    services.moderate(event, top.id, "approve")
    services.vote(event, top.id, "v1")
    services.moderate(event, formula.id, "hide")


def test_safe_cell():
    for dangerous in ("=1+1", "+33 6", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("Bonjour") == "Bonjour" and safe_cell(3) == "3"


def test_csv_export(client, auth):
    event = live_event()
    _questions(event)
    auth.login("moderator")
    response = client.get("/manage/events/direct/questions.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Créneau", "Début", "Question"]
    by_text = {row[2]: row for row in rows[1:]}
    assert "'=HYPERLINK(\"http://evil\")" in by_text
    assert by_text["'=HYPERLINK(\"http://evil\")"][3] == "'@Bob"
    assert by_text["'=HYPERLINK(\"http://evil\")"][5] == "Masquée"
    assert by_text["**Fibre** <b>?</b>"][4] == "1"
    assert by_text["Et l'atelier ?"][0] == "Atelier suivant"
    assert [row[0] for row in rows[1:]] == ["Table ronde en cours", "Table ronde en cours",
                                            "Atelier suivant"]


def test_markdown_export(client, auth):
    event = live_event()
    _questions(event)
    auth.login("moderator")
    text = client.get("/manage/events/direct/questions.md").get_data(as_text=True)
    assert text.index("## Table ronde en cours") < text.index("## Atelier suivant")
    assert "\\*\\*Fibre\\*\\* \\<b\\>?\\</b\\>" in text
    assert "1 vote(s), Publiée" in text
    assert "<b>" not in text


def test_exports_need_a_moderator(client):
    live_event()
    assert client.get("/manage/events/direct/questions.csv").status_code == 302
    assert client.get("/manage/events/direct/questions.md").status_code == 302


def test_markdown_export_exact_output(client, auth, make_event):
    from datetime import date

    event = make_event(slug="direct", day=date(2026, 12, 1), title="Rencontres (2e édition)",
                       slots=[{"start": "09:00", "end": "09:30",
                               "title": "Accueil des participants"},
                              {"start": "10:00", "end": "11:00", "title": "Atelier n°2 : C#"}])
    welcome, workshop = sorted(event.slots, key=lambda slot: slot.starts_at)
    services.set_premoderation(event, False)
    services.ask(event, "a", "Où est le café ? (à l'étage...)", "Léa", slot_id=welcome.id)
    top = services.ask(event, "b", "- 1. *Fibre* ou 4G ?", slot_id=welcome.id)
    services.vote(event, top.id, "v1")
    services.vote(event, top.id, "v2")
    services.ask(event, "c", "3. Et   [après](http://evil) ?", slot_id=workshop.id)
    auth.login("moderator")
    text = client.get("/manage/events/direct/questions.md").get_data(as_text=True)
    assert text == (
        "# Rencontres (2e édition) — questions du public\n"
        "\n"
        "## Accueil des participants (1 déc. 2026, 09:00:00)\n"
        "\n"
        "- \\- 1. \\*Fibre\\* ou 4G ? (2 vote(s), Publiée)\n"
        "- Où est le café ? (à l'étage...) — Léa (0 vote(s), Publiée)\n"
        "\n"
        "## Atelier n°2 : C\\# (1 déc. 2026, 10:00:00)\n"
        "\n"
        "- 3\\. Et \\[après\\](http://evil) ? (0 vote(s), Publiée)\n"
    )
