"""Issue 12, item 5: the owner's edit of a published directory entry waits for a
moderator; the published version stays public meanwhile; erasure stays immediate."""

from __future__ import annotations

import sqlalchemy as sa

from eventhub.directory import services
from eventhub.directory.models import Teleworker
from eventhub.extensions import db
from tests.directory.conftest import teleworker_fields

SPAM = {"name": "Achetez Maintenant", "presentation": "Promotions incroyables",
        "website": "https://spam.example/offre"}


def _owned_link(person) -> str:
    token = services._new_token()[0]
    person.edit_token_hash = services._hash(token)
    db.session.commit()
    return f"/annuaire/modifier/{token}"


def _public_texts(client, slug: str) -> str:
    page = client.get(f"/annuaire/membres/{slug}").get_data(as_text=True)
    api = client.get("/api/v1/directory/teleworkers").get_data(as_text=True)
    return page + api


def test_owner_rewrite_of_an_approved_entry_waits_for_a_moderator(client, auth,
                                                                  make_teleworker):
    person, _ = make_teleworker()
    slug = person.slug
    link = _owned_link(person)
    response = client.post(link, data=teleworker_fields(**SPAM))
    assert response.status_code == 302
    public = _public_texts(client, slug)
    assert "Camille Exemple" in public and "Traductions techniques." in public
    assert "spam.example" not in public and "Achetez" not in public

    auth.login("moderator", email="relecture@example.org")
    page = client.get(f"/manage/annuaire/membres/{person.id}").get_data(as_text=True)
    for old, new in (("Camille Exemple", "Achetez Maintenant"),
                     ("Traductions techniques.", "Promotions incroyables"),
                     ("", "https://spam.example/offre")):
        assert new in page and (not old or old in page)
    accepted = client.post(f"/manage/annuaire/membres/{person.id}/changes/accept")
    assert accepted.status_code == 302
    db.session.refresh(person)
    assert (person.name, person.website) == ("Achetez Maintenant", "https://spam.example/offre")
    assert person.pending_changes is None


def test_moderator_discards_proposed_changes(client, auth, make_teleworker):
    person, _ = make_teleworker()
    client.post(_owned_link(person), data=teleworker_fields(**SPAM))
    auth.login("moderator", email="relecture@example.org")
    client.post(f"/manage/annuaire/membres/{person.id}/changes/discard")
    db.session.refresh(person)
    assert (person.name, person.pending_changes) == ("Camille Exemple", None)
    assert "Achetez" not in _public_texts(client, person.slug)


def test_erasure_with_changes_pending_is_immediate(client, make_teleworker):
    person, _ = make_teleworker()
    link = _owned_link(person)
    client.post(link, data=teleworker_fields(**SPAM))
    assert client.post(f"{link}/effacer", data={"confirm": "y"}).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Teleworker)) == 0
