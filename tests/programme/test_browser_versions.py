"""An organiser publishes two versions of a programme in a real browser; the public reads
what changed."""

from tests.conftest import browser_login


def test_organiser_publishes_versions_and_the_public_reads_the_changes(page, live_server, auth,
                                                                        make_event):
    event = make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "10:00", "title": "Fibre et territoires", "room": "Salle A"},
        {"start": "11:00", "end": "12:00", "title": "Tiers-lieux", "room": "Salle A"},
    ])
    browser_login(page, live_server, auth.create("organiser"))

    page.goto(f"{live_server}/manage/events/{event.id}/slots")
    page.get_by_role("link", name="Versions du programme").click()
    page.get_by_text("la première contiendra 2 créneaux").wait_for()
    page.get_by_role("button", name="Publier une nouvelle version").click()
    page.get_by_text("Version 1 du programme publiée.").wait_for()

    page.get_by_role("link", name="Créneaux", exact=True).click()
    page.get_by_role("link", name="Tiers-lieux").click()
    page.get_by_label("Début").fill("2030-10-28T14:00")
    page.get_by_label("Fin", exact=True).fill("2030-10-28T15:00")
    page.get_by_role("button", name="Enregistrer le créneau").click()
    page.get_by_text("Créneau enregistré").wait_for()

    page.get_by_role("link", name="Versions du programme").click()
    moved = ("Déplacé : « Tiers-lieux » passe du lundi 28 octobre, 11:00 au "
             "lundi 28 octobre, 14:00.")
    page.get_by_text(moved).wait_for()
    page.get_by_role("button", name="Publier une nouvelle version").click()
    page.get_by_text("Version 2 du programme publiée.").wait_for()
    page.get_by_role("button", name="Déconnexion").click()

    page.goto(f"{live_server}/events/aubrac/programme")
    page.get_by_role("link", name="Modifications du programme").click()
    version = page.locator("#version-2")
    assert version.locator("li").all_inner_texts() == [moved]
    assert page.locator("#version-1").get_by_text("2 créneaux").count() == 1
