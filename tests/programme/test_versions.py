"""Published versions of a programme: numbering, changes, the changes page and its Atom feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import sqlalchemy as sa

from eventhub.errors import Refused
from eventhub.extensions import db
from eventhub.programme import services, versions
from eventhub.programme.models import ProgrammeVersion, Room
from eventhub.programme.versions import ChangeKind

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture
def event(make_event):
    """A published event of four slots in two rooms, the first with a speaker."""
    found = make_event(slug="aubrac", slots=[
        {"start": "09:00", "end": "10:00", "title": "Fibre et territoires", "room": "Grande salle"},
        {"start": "10:30", "end": "11:30", "title": "Tiers-lieux", "room": "Salle B"},
        {"start": "14:00", "end": "15:00", "title": "Coworking rural", "room": "Salle B"},
        {"start": "16:00", "end": "17:00", "title": "Clôture", "room": "Grande salle"},
    ])
    speaker = services.save_speaker({"name": "Gaëlle Ottan", "affiliation": "MDECS"})
    services.save_slot(found, _data(found.slots[0]), slot=found.slots[0],
                       speaker_ids=[speaker.id])
    return found


def _data(slot, **changes) -> dict:
    """The fields of ``slot`` as ``services.save_slot`` takes them (local times)."""
    data = {name: getattr(slot, name) for name in services.SLOT_FIELDS}
    data["starts_at"] = services.to_local(slot.starts_at, slot.event.timezone)
    data["ends_at"] = services.to_local(slot.ends_at, slot.event.timezone)
    return {**data, **changes}


def _change_everything(event) -> None:
    """Move a slot, give one another room, another a speaker; cancel one, add one."""
    fibre, tiers, coworking, closing = event.slots
    fibre.starts_at += timedelta(hours=1)
    fibre.ends_at += timedelta(hours=1)
    tiers.room = next(room for room in event.rooms if room.name == "Grande salle")
    newcomer = services.save_speaker({"name": "Jean Dupont"})
    services.save_slot(event, _data(coworking), slot=coworking, speaker_ids=[newcomer.id])
    services.delete_slot(closing)
    services.save_slot(event, {**_data(coworking), "title": "Apéritif", "kind": "break",
                               "room_id": None})
    db.session.refresh(event)


def _second_version(event):
    """Publish version 1, then change every kind of thing and publish version 2."""
    versions.publish(event)
    _change_everything(event)
    return versions.publish(event)


def test_versions_are_numbered_and_an_unchanged_programme_is_refused(event):
    first = versions.publish(event)
    assert (first.number, event.programme_version) == (1, 1)
    assert set(first.snapshot["slots"]) == {slot.uid for slot in event.slots}
    fibre = first.snapshot["slots"][event.slots[0].uid]
    assert fibre == {"title": "Fibre et territoires", "kind": "conference",
                     "starts_at": "2030-10-28T08:00:00+00:00",
                     "ends_at": "2030-10-28T09:00:00+00:00",
                     "room": "Grande salle", "speakers": ["Gaëlle Ottan"]}

    with pytest.raises(Refused) as refused:
        versions.publish(event)
    assert refused.value.code == "unchanged"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeVersion)) == 1

    _change_everything(event)
    second = versions.publish(event)
    assert (second.number, event.programme_version) == (2, 2)
    assert second.published_at >= first.published_at


def test_changes_name_each_slot_moved_cancelled_new_or_given_a_speaker_or_room(event):
    fibre, tiers, coworking, closing = event.slots
    uids = {"fibre": fibre.uid, "tiers": tiers.uid, "coworking": coworking.uid,
            "closing": closing.uid}
    _second_version(event)
    latest, first = versions.history(event)
    assert (latest.number, first.number, first.first, first.slot_count) == (2, 1, True, 4)
    assert first.changes == []
    found = {(change.kind, change.slot["title"]) for change in latest.changes}
    assert found == {
        (ChangeKind.MOVED, "Fibre et territoires"),
        (ChangeKind.ROOM, "Tiers-lieux"),
        (ChangeKind.SPEAKER_ADDED, "Coworking rural"),
        (ChangeKind.CANCELLED, "Clôture"),
        (ChangeKind.NEW, "Apéritif"),
    }
    by_kind = {change.kind: change for change in latest.changes}
    assert by_kind[ChangeKind.MOVED].uid == uids["fibre"]
    assert (by_kind[ChangeKind.MOVED].before, by_kind[ChangeKind.MOVED].after) == (
        "2030-10-28T08:00:00+00:00", "2030-10-28T09:00:00+00:00")
    assert (by_kind[ChangeKind.ROOM].before, by_kind[ChangeKind.ROOM].after) == (
        "Salle B", "Grande salle")
    assert by_kind[ChangeKind.SPEAKER_ADDED].after == ["Jean Dupont"]
    assert by_kind[ChangeKind.CANCELLED].uid == uids["closing"]
    assert by_kind[ChangeKind.NEW].uid not in uids.values()


def test_pending_changes_show_what_publishing_would_record(event):
    assert versions.pending_changes(event) is None
    versions.publish(event)
    assert versions.pending_changes(event) == []
    event.slots[1].title = "Tiers-lieux ruraux"
    db.session.commit()
    [change] = versions.pending_changes(event)
    assert (change.kind, change.before, change.after) == (
        ChangeKind.TITLE, "Tiers-lieux", "Tiers-lieux ruraux")


def test_changes_page_in_french_and_english(client, event):
    _second_version(event)
    page = client.get("/events/aubrac/changes").get_data(as_text=True)
    assert "Version 2" in page and "Version 1" in page
    assert "Première version publiée : 4 créneaux." in page
    assert ("Déplacé : « Fibre et territoires » passe du lundi 28 octobre, 09:00 au "
            "lundi 28 octobre, 10:00.") in page
    assert "Changement de salle : « Tiers-lieux » passe de « Salle B » à « Grande salle »." in page
    assert "Nouvel intervenant pour « Coworking rural » : Jean Dupont." in page
    assert "Annulé : « Clôture », prévu lundi 28 octobre, 16:00." in page
    assert "Nouveau : « Apéritif », lundi 28 octobre, 14:00." in page

    client.get("/lang/en")
    english = client.get("/events/aubrac/changes")
    text = english.get_data(as_text=True)
    assert "First published version: 4 slots." in text
    assert "Moved: “Fibre et territoires” from Monday 28 October, 09:00 to Monday 28 October, " \
           "10:00." in text
    assert "Room change: “Tiers-lieux” from “Salle B” to “Grande salle”." in text
    assert "New speaker for “Coworking rural”: Jean Dupont." in text
    assert "Cancelled: “Clôture”, planned Monday 28 October, 16:00." in text
    assert "New: “Apéritif”, Monday 28 October, 14:00." in text


def test_changes_atom_feed(client, event):
    _second_version(event)
    response = client.get("/events/aubrac/changes.atom")
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())  # noqa: S314 (our own output)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == versions.atom_id(event)
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == event.title
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"self": "http://localhost/events/aubrac/changes.atom",
                     "alternate": "http://localhost/events/aubrac/changes"}
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Version 2 du programme", "Version 1 du programme"]
    assert [entry.findtext(f"{ATOM}id") for entry in entries] == [
        versions.atom_id(event, 2), versions.atom_id(event, 1)]
    latest = db.session.scalar(sa.select(ProgrammeVersion).where(ProgrammeVersion.number == 2))
    assert entries[0].findtext(f"{ATOM}updated") == latest.published_at.strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")
    content = entries[0].find(f"{ATOM}content")
    assert content.get("type") == "xhtml"
    items = [li.text for li in content.iter(f"{XHTML}li")]
    assert len(items) == 5
    assert "Annulé : « Clôture », prévu lundi 28 octobre, 16:00." in items
    assert [p.text for p in entries[1].iter(f"{XHTML}p")] == [
        "Première version publiée : 4 créneaux."]


def test_titles_with_markup_stay_text_in_the_feed(client, event):
    versions.publish(event)
    event.slots[0].title = "<b>Fibre</b> & « réseaux »"
    db.session.commit()
    versions.publish(event)
    feed = ET.fromstring(  # noqa: S314 (our own output)
        client.get("/events/aubrac/changes.atom").get_data())
    [item] = [li.text for li in feed.iter(f"{XHTML}li")]
    assert item == ("Nouveau titre : « Fibre et territoires » devient "
                    "« <b>Fibre</b> & « réseaux » ».")


def test_a_draft_has_no_public_changes(client, auth, make_event):
    make_event(slug="brouillon", published=False)
    assert client.get("/events/brouillon/changes").status_code == 404
    assert client.get("/events/brouillon/changes.atom").status_code == 404
    auth.login("organiser")
    assert client.get("/events/brouillon/changes").status_code == 200


def test_organisers_publish_a_version_from_the_browser(client, auth, event):
    auth.login("organiser")
    page = client.get(f"/manage/events/{event.id}/versions")
    assert page.status_code == 200
    assert "Aucune version publiée : la première contiendra 4 créneaux." in page.get_data(
        as_text=True)

    published = client.post(f"/manage/events/{event.id}/versions", follow_redirects=True)
    assert published.status_code == 200
    assert "Version 1 du programme publiée." in published.get_data(as_text=True)
    assert event.programme_version == 1

    again = client.post(f"/manage/events/{event.id}/versions")
    assert again.status_code == 422
    assert "Le programme n&#39;a pas changé depuis la version 1." in again.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ProgrammeVersion)) == 1

    room = db.session.scalar(sa.select(Room).where(Room.name == "Salle B"))
    services.rename_room(room, "Salle Bonnal")
    page = client.get(f"/manage/events/{event.id}/versions").get_data(as_text=True)
    assert "Changement de salle : « Tiers-lieux » passe de « Salle B » à « Salle Bonnal »." in page
    client.post(f"/manage/events/{event.id}/versions")
    assert event.programme_version == 2


@pytest.mark.parametrize("role", ["door", "moderator"])
def test_only_organisers_publish(client, auth, event, role):
    auth.login(role)
    assert client.post(f"/manage/events/{event.id}/versions").status_code == 403
    assert client.get(f"/manage/events/{event.id}/versions").status_code == 403
    assert event.programme_version == 0
