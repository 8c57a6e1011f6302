"""Bearer tokens: issued by the CLI or the admin page, checked by the API, revocable."""

import pytest
import sqlalchemy as sa

from eventhub.accounts import services
from eventhub.accounts.auth import role_required
from eventhub.accounts.models import ApiToken
from eventhub.extensions import db
from tests.conftest import PASSWORD


@pytest.fixture
def probe_app(make_app):
    """An app with one API endpoint that needs the door role."""
    app = make_app()

    @app.get("/api/v1/_probe")
    @role_required("door")
    def probe():
        from flask_login import current_user

        return {"email": current_user.email}

    with app.app_context():
        yield app


def test_create_user_and_create_token_commands(runner, client, app):
    result = runner.invoke(
        args=["create-user", "door@example.org", "--role", "door", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["create-token", "door@example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    assert token.startswith("eh_") and len(token) > 40
    stored = db.session.scalar(sa.select(ApiToken))
    assert stored.token_hash != token and token not in stored.token_hash


def test_commands_refuse_bad_input(runner, app):
    bad_role = runner.invoke(args=["create-user", "x@example.org", "--role", "king",
                                   "--password", PASSWORD])
    assert bad_role.exit_code != 0 and "Rôle inconnu" in bad_role.output
    short = runner.invoke(args=["create-user", "x@example.org", "--role", "door",
                                "--password", "short"])
    assert short.exit_code != 0 and "au moins 10" in short.output
    unknown = runner.invoke(args=["create-token", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No user" in unknown.output
    assert services.list_users() == []


def test_bearer_token_authenticates_and_revocation_stops_it(probe_app, auth):
    client = probe_app.test_client()
    headers = auth.token("door")
    response = client.get("/api/v1/_probe", headers=headers)
    assert response.status_code == 200
    assert response.get_json() == {"email": "door@example.org"}
    services.revoke_token(db.session.scalar(sa.select(ApiToken.id)))
    response = client.get("/api/v1/_probe", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


@pytest.mark.parametrize("header", ["Bearer eh_wrong", "Bearer ", "Basic abc", "eh_token"])
def test_bad_tokens_are_refused_in_json(probe_app, header):
    response = probe_app.test_client().get("/api/v1/_probe", headers={"Authorization": header})
    assert response.status_code == 401
    body = response.get_json()
    assert set(body) == {"error", "message"}


def test_a_token_without_the_role_gets_403(probe_app, auth):
    response = probe_app.test_client().get("/api/v1/_probe", headers=auth.token("moderator"))
    assert response.status_code == 403
    assert response.get_json()["error"] == "forbidden"


def test_admin_lists_creates_and_revokes_tokens(client, auth):
    auth.login("admin")
    page = client.post("/admin/tokens", data={"label": "scanner entrée"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "scanner entrée" in text
    row = db.session.scalar(sa.select(ApiToken))
    assert f"{row.prefix}" in text
    response = client.post(f"/admin/tokens/{row.id}/revoke")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.revoked
    assert "révoqué le" in client.get("/admin/tokens").get_data(as_text=True)


def test_only_admins_manage_accounts_and_tokens(client, auth):
    auth.login("organiser")
    assert client.get("/admin/tokens").status_code == 403
    assert client.get("/admin/users").status_code == 403


def test_admin_creates_and_disables_an_account(client, auth):
    admin = auth.login("admin")
    response = client.post("/admin/users", data={
        "email": "New.Door@Example.org", "name": "Porte", "role": "door", "password": PASSWORD})
    assert response.status_code == 302
    user = services.find_user("new.door@example.org")
    assert user is not None and user.role == "door"
    duplicate = client.post("/admin/users", data={
        "email": "new.door@example.org", "role": "door", "password": PASSWORD})
    assert duplicate.status_code == 400
    assert "existe déjà" in duplicate.get_data(as_text=True)
    client.post(f"/admin/users/{user.id}", data={"role": "door"})
    db.session.refresh(user)
    assert user.active is False
    refused = client.post(f"/admin/users/{admin.id}", data={"role": "door", "active": "y"})
    assert refused.status_code == 400
    db.session.refresh(admin)
    assert admin.role == "admin"


def test_token_use_is_recorded_at_most_once_a_minute(app, auth):
    from datetime import timedelta

    headers = auth.token("door")
    token = headers["Authorization"].split()[1]
    assert services.user_for_token(token) is not None
    row = db.session.scalar(sa.select(ApiToken))
    first = row.last_used_at
    assert first is not None
    services.user_for_token(token)
    db.session.refresh(row)
    assert row.last_used_at == first
    row.last_used_at = first - timedelta(minutes=2)
    db.session.commit()
    services.user_for_token(token)
    db.session.refresh(row)
    assert row.last_used_at > first


def test_a_token_works_beside_a_session_cookie(probe_app, auth):
    client = probe_app.test_client()
    client.get("/lang/fr")  # any page that stores something in the session cookie
    headers = auth.token("door")
    for _ in range(2):
        assert client.get("/api/v1/_probe", headers=headers).status_code == 200
