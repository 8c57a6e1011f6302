"""Issue 3's "Done when": register in a browser, read the ticket's QR, check in twice."""

from __future__ import annotations

DECODE_QR_IN_PAGE = """async () => {
  const svg = document.querySelector('.ticket-qr svg');
  const source = new XMLSerializer().serializeToString(svg);
  const image = new Image();
  image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(source);
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 400;
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, 400, 400);
  context.drawImage(image, 0, 0, 400, 400);
  const pixels = context.getImageData(0, 0, 400, 400);
  const found = window.jsQR(pixels.data, 400, 400);
  return found && found.data;
}"""


def test_register_read_the_qr_and_check_in(page, live_server, auth, open_event):
    open_event()
    door = auth.token("door")
    page.goto(live_server + "/events/rencontres/register")
    page.get_by_label("Nom et prénom").fill("Ana Martin")
    page.get_by_label("Adresse e-mail").fill("ana@example.org")
    page.get_by_label("Sur place").check()
    page.get_by_label("J'accepte").check()
    page.get_by_role("button", name="M'inscrire").click()
    page.wait_for_url("**/tickets/*")
    assert page.get_by_text("Ana Martin").first.is_visible()

    # The decoder the door scanner uses (vendored jsQR) reads the QR image of the page.
    page.add_script_tag(url=live_server + "/static/vendor/jsqr-1.4.0/jsQR.js")
    code = page.evaluate(DECODE_QR_IN_PAGE)
    assert code and code.startswith("T1.")

    url = live_server + "/api/v1/events/rencontres/checkin"
    first = page.request.post(url, data={"code": code}, headers=door)
    assert first.json()["result"] == "ok"
    second = page.request.post(url, data={"code": code}, headers=door)
    assert second.json()["result"] == "already_checked_in"
    assert second.json()["checked_in_at"] == first.json()["checked_in_at"]


def test_scanner_online_then_offline_then_sync(page, live_server, auth, open_event):
    from eventhub.extensions import db
    from eventhub.registration import figures, services
    from tests.conftest import browser_login

    event = open_event()
    ana = services.register(event, "Ana Martin", "ana@example.org", "onsite")
    bob = services.register(event, "Bob Durand", "bob@example.org", "onsite")
    user = auth.create("door")
    browser_login(page, live_server, user)
    page.goto(live_server + "/manage/events/rencontres/scanner")
    result = page.locator("#scan-result")

    page.get_by_label("Code du billet").fill(ana.code)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_selector("#scan-result.scan-ok")
    assert "Ana Martin" in result.inner_text()
    page.get_by_label("Code du billet").fill(ana.code)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_selector("#scan-result.scan-warn")

    page.wait_for_function("() => localStorage.getItem('eh-codes-rencontres') !== null")
    page.context.set_offline(True)
    page.get_by_label("Code du billet").fill(bob.code)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_selector("#scan-result.scan-ok")
    assert "hors ligne" in result.inner_text()
    assert "1 scans en attente" in page.locator("#queue-state").inner_text()
    page.get_by_label("Code du billet").fill("T1.forged.code")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_selector("#scan-result.scan-error")

    page.context.set_offline(False)
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('eh-queue-rencontres')).length === 0")
    db.session.commit()  # end this thread's read snapshot; the server wrote meanwhile
    assert figures.stats(event).checked_in == 2


def test_offline_the_name_search_and_typed_short_codes_still_work_and_conflicts_name_people(
        page, live_server, auth, open_event):
    from eventhub.extensions import db
    from eventhub.registration import checkin, services
    from tests.conftest import browser_login

    event = open_event(remote_capacity=1)
    ana = services.register(event, "Ana Martin", "ana@example.org", "onsite", "MDECS")
    bob = services.register(event, "Bob Durand", "bob@example.org", "onsite")
    services.register(event, "Rémi Martin", "remi@example.org", "remote")
    browser_login(page, live_server, auth.create("door"))
    page.goto(live_server + "/manage/events/rencontres/scanner")
    page.wait_for_function("() => localStorage.getItem('eh-names-rencontres') !== null"
                           " && localStorage.getItem('eh-codes-rencontres') !== null")
    result = page.locator("#scan-result")

    # Online, the search is the server's page, e-mail included.
    page.get_by_role("searchbox", name="Nom ou e-mail").fill("durand")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/scanner?q=durand")
    assert "Bob Durand · bob@example.org" in page.locator("ul.found").last.inner_text()

    page.context.set_offline(True)
    page.get_by_role("searchbox", name="Nom ou e-mail").fill("martin")
    page.get_by_role("button", name="Rechercher").click()
    found = page.locator("#offline-found li")
    found.first.wait_for()
    # The remote Rémi Martin has no place at the door: only Ana is offered.
    assert found.all_inner_texts() == [
        f"Ana Martin · MDECS · {ana.printed_short_code} Enregistrer l'arrivée"]
    assert "Hors ligne" in page.locator("#offline-search").inner_text()
    found.get_by_role("button", name="Enregistrer l'arrivée").click()
    page.wait_for_selector("#scan-result.scan-ok")
    assert "hors ligne" in result.inner_text()

    typed = f"{bob.short_code[:4].lower()}-{bob.short_code[4:].lower()}"
    page.get_by_label("Code du billet").fill(typed)
    page.get_by_role("button", name="Valider").click()
    page.wait_for_function("() => JSON.parse(localStorage.getItem('eh-queue-rencontres'))"
                           ".length === 2")
    assert "2 scans en attente" in page.locator("#queue-state").inner_text()

    # Meanwhile another door, still online, let Ana in: her offline scan is a conflict.
    assert checkin.scan(event.slug, ana.code, None).result == "ok"
    db.session.commit()
    page.context.set_offline(False)
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('eh-queue-rencontres')).length === 0")
    page.wait_for_selector("#scan-result.scan-error")
    assert page.locator("#queue-state").inner_text() == (
        "Refusé(s) à la synchronisation : Ana Martin (Déjà entré(e))")
    assert "Bienvenue" not in result.inner_text()
    assert "Ana Martin (Déjà entré(e))" in result.inner_text()
    db.session.commit()
    db.session.refresh(bob)
    assert bob.checked_in_at is not None
