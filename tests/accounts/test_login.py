"""Login, logout, roles and the account pages."""

import pytest

from tests.conftest import PASSWORD


def test_login_page_renders_in_french_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Connexion" in response.get_data(as_text=True)


def test_login_with_good_password_then_logout(client, auth):
    auth.login("organiser")
    assert client.get("/manage/events").status_code == 200
    client.post("/logout")
    response = client.get("/manage/events")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_wrong_password_is_refused_with_a_message(client, auth):
    user = auth.create("organiser")
    response = client.post("/login", data={"email": user.email, "password": "wrong password"})
    assert response.status_code == 400
    assert "E-mail ou mot de passe incorrect" in response.get_data(as_text=True)
    assert client.get("/manage/events").status_code == 302


def test_unknown_email_gets_the_same_answer(client):
    response = client.post("/login", data={"email": "nobody@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "E-mail ou mot de passe incorrect" in response.get_data(as_text=True)


def test_disabled_account_cannot_log_in(client, auth, app):
    from eventhub.extensions import db

    user = auth.create("organiser")
    user.active = False
    db.session.commit()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/manage/events").status_code == 302


def test_login_redirects_to_a_local_next_only(client, auth):
    user = auth.create("door")
    response = client.post(
        "/login?next=https://evil.example/", data={"email": user.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post(
        "/login?next=/manage/events/rencontres/scanner",
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/manage/events/rencontres/scanner"


@pytest.mark.parametrize(
    ("role", "landing"),
    [("organiser", "/manage/events"), ("admin", "/manage/events"), ("moderator", "/"),
     ("door", "/")],
)
def test_login_lands_on_the_dashboard_of_an_account_that_organises(client, auth, role,
                                                                     landing):
    user = auth.create(role)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == landing


def test_an_organiser_with_an_unsafe_next_lands_on_the_dashboard(client, auth):
    user = auth.create("organiser")
    for target in ("https://evil.example/", "/\\evil.example", "/live/x"):
        response = client.post(f"/login?next={target}",
                               data={"email": user.email, "password": PASSWORD})
        expected = target if target == "/live/x" else "/manage/events"
        assert response.headers["Location"] == expected, target
        client.post("/logout")


@pytest.mark.parametrize(
    ("role", "status"), [("door", 403), ("moderator", 403), ("organiser", 200), ("admin", 200)]
)
def test_programme_management_needs_the_organiser_role(client, auth, role, status):
    auth.login(role)
    assert client.get("/manage/events").status_code == status


def test_login_is_rate_limited(make_app):
    app = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    bad = {"email": "x@example.org", "password": "x"}
    for _ in range(3):
        assert client.post("/login", data=bad).status_code == 400
    response = client.post("/login", data=bad)
    assert response.status_code == 429
    assert "Trop de demandes" in response.get_data(as_text=True)


def test_forms_are_csrf_protected(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from eventhub.accounts.services import create_user

        create_user("csrf@example.org", PASSWORD, "admin")
    client = app.test_client()
    response = client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "formulaire a expiré" in response.get_data(as_text=True)
