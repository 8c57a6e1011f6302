"""Signed-cookie sessions: a rotated key still reads the sessions it signed."""

STATS = "/api/v1/events/nulle-part/stats"


def _signed_in_client(app, auth_email="door@example.org"):
    from eventhub.accounts.services import create_user

    create_user(auth_email, "mot de passe solide", "door")
    client = app.test_client()
    response = client.post("/login", data={"email": auth_email,
                                           "password": "mot de passe solide"})
    assert response.status_code == 302
    return client


def test_a_rotated_key_still_reads_sessions_it_signed_but_a_new_key_alone_does_not(make_app):
    app = make_app(WTF_CSRF_ENABLED=False)
    with app.app_context():
        client = _signed_in_client(app)
        # Signed in: an unknown event (404), not "sign in first" (401).
        assert client.get(STATS).status_code == 404
        old_key = app.secret_key
        app.secret_key = "the new key"
        assert client.get(STATS).status_code == 401  # the cookie's key is unknown now
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]
        assert client.get(STATS).status_code == 404
