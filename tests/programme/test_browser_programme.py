"""An organiser builds a small programme in a real browser; the public sees it side by side."""

from tests.conftest import browser_login


def test_organiser_builds_parallel_workshops_seen_side_by_side(page, live_server, auth):
    user = auth.create("organiser")
    browser_login(page, live_server, user)

    page.goto(live_server + "/manage/events")
    page.get_by_role("link", name="Nouvel événement").click()
    page.get_by_label("Titre", exact=True).fill("Étape rurale de Mende")
    page.get_by_label("Identifiant d'adresse").fill("mende-2030")
    page.get_by_label("Premier jour").fill("2030-10-09")
    page.get_by_label("Dernier jour").fill("2030-10-09")
    page.get_by_label("Lieu").fill("POLeN")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Événement créé").wait_for()

    page.get_by_role("link", name="Salles").click()
    for name in ("Salle Causses", "Salle Aubrac"):
        page.get_by_label("Nom de la salle").last.fill(name)
        page.get_by_role("button", name="Ajouter la salle").click()
        page.get_by_text("Salle ajoutée").wait_for()

    for title, room in (("S'installer en entrepreneur solo", "Salle Causses"),
                        ("Tiers lieux en milieu rural", "Salle Aubrac")):
        page.get_by_role("link", name="Créneaux", exact=True).click()
        page.get_by_role("link", name="Nouveau créneau").click()
        page.get_by_label("Type").select_option("workshop")
        page.get_by_label("Titre", exact=True).fill(title)
        page.get_by_label("Début").fill("2030-10-09T14:00")
        page.get_by_label("Fin", exact=True).fill("2030-10-09T16:00")
        page.get_by_label("Salle").select_option(label=room)
        page.get_by_role("button", name="Enregistrer le créneau").click()
        page.get_by_text("Créneau enregistré").wait_for()

    page.get_by_role("link", name="Informations").click()
    page.get_by_label("Publié").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Événement enregistré").wait_for()
    page.get_by_role("button", name="Déconnexion").click()

    page.goto(live_server + "/events/mende-2030")
    page.get_by_role("link", name="Voir le programme").click()
    solo = page.locator(".slot", has_text="entrepreneur solo").bounding_box()
    tiers = page.locator(".slot", has_text="Tiers lieux").bounding_box()
    assert abs(solo["y"] - tiers["y"]) < 1
    assert solo["x"] < tiers["x"]  # room order: Causses, then Aubrac
    assert page.locator(".draft-banner").count() == 0

    page.set_viewport_size({"width": 375, "height": 800})
    solo = page.locator(".slot", has_text="entrepreneur solo").bounding_box()
    tiers = page.locator(".slot", has_text="Tiers lieux").bounding_box()
    assert tiers["y"] > solo["y"] + solo["height"] - 1  # one column on a phone
