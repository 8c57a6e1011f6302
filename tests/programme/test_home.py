"""The home page: events held today apart from those to come and those past."""

from datetime import date

from eventhub.programme import services


def test_events_are_grouped_by_the_day_in_paris(app, make_event):
    make_event(slug="hier", day=date(2030, 10, 27))
    make_event(slug="aujourdhui", day=date(2030, 10, 28))
    make_event(slug="deux-jours", day=date(2030, 10, 27), end_date=date(2030, 10, 28))
    make_event(slug="demain", day=date(2030, 10, 29))
    make_event(slug="apres", day=date(2030, 11, 3))
    listing = services.public_listing(today=date(2030, 10, 28))
    assert [e.slug for e in listing.today] == ["deux-jours", "aujourdhui"]
    assert [e.slug for e in listing.upcoming] == ["demain", "apres"]
    assert [e.slug for e in listing.past] == ["hier"]


def test_the_home_page_shows_today_s_events_under_their_own_heading(client, make_event):
    from zoneinfo import ZoneInfo

    from eventhub.database import utcnow

    paris_today = utcnow().astimezone(ZoneInfo("Europe/Paris")).date()
    make_event(slug="en-cours", title="Édition du jour", day=paris_today)
    html = client.get("/").get_data(as_text=True)
    today = html.split('id="today-title"', 1)[1].split("</section>", 1)[0]
    assert "Édition du jour" in today
    assert "Édition du jour" not in html.split('id="upcoming-title"', 1)[1]
