"""Account rules without HTTP: creating users, passwords, sessions, logins and tokens."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from eventhub.accounts import services
from eventhub.accounts.models import ApiToken, User
from eventhub.database import utcnow
from eventhub.errors import Refused
from eventhub.extensions import db
from tests.conftest import PASSWORD


def _stored(user_id: int) -> User:
    """The user as the database holds it, read in a fresh transaction: what another
    request would see, so a change that was never committed is not found."""
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(User, user_id)


def _refusal(call, *args) -> Refused:
    with pytest.raises(Refused) as refused:
        call(*args)
    return refused.value


# --- Creating accounts -----------------------------------------------------------------


def test_find_user_ignores_case_and_surrounding_spaces(app):
    door = services.create_user("door@example.org", PASSWORD, "door")
    services.create_user("moderator@example.org", PASSWORD, "moderator")
    assert services.find_user("  Door@Example.ORG \n") is door
    assert services.find_user("nobody@example.org") is None


def test_create_user_stores_a_normalised_account(app):
    user = services.create_user("  Lea.Door@Example.ORG ", PASSWORD, "door", name="  Léa  ")
    stored = _stored(user.id)
    assert (stored.email, stored.name, stored.role) == ("lea.door@example.org", "Léa", "door")
    # Only a hash is kept, and it is the one the login checks.
    assert stored.password_hash.startswith("scrypt:")
    assert check_password_hash(stored.password_hash, PASSWORD)


def test_an_account_created_without_a_name_shows_its_email(app):
    user = services.create_user("door@example.org", PASSWORD, "door")
    assert user.name == ""
    assert user.display_name == "door@example.org"


def test_an_unknown_role_is_refused(app):
    refused = _refusal(services.create_user, "x@example.org", PASSWORD, "king")
    assert (refused.code, refused.field) == ("invalid_field", "role")
    assert refused.message == "Rôle inconnu : king (admin, organiser, moderator, door)."
    assert services.list_users() == []


def test_a_password_needs_ten_characters(app):
    refused = _refusal(services.create_user, "short@example.org", "9 chars..", "door")
    assert (refused.code, refused.field) == ("invalid_field", "password")
    assert refused.message == "Le mot de passe doit compter au moins 10 caractères."
    assert services.list_users() == []
    exactly_ten = services.create_user("ten@example.org", "10 chars..", "door")
    assert check_password_hash(exactly_ten.password_hash, "10 chars..")


def test_an_address_already_used_is_refused_whatever_its_case(app):
    services.create_user("door@example.org", PASSWORD, "door")
    refused = _refusal(services.create_user, "DOOR@example.org", PASSWORD, "organiser")
    assert (refused.code, refused.field) == ("invalid_field", "email")
    assert refused.message == "Un compte existe déjà pour door@example.org."
    assert [(u.email, u.role) for u in services.list_users()] == [("door@example.org", "door")]


def test_users_are_listed_by_email(app):
    for email in ("organiser@example.org", "admin@example.org", "moderator@example.org"):
        services.create_user(email, PASSWORD, "door")
    assert [u.email for u in services.list_users()] == [
        "admin@example.org", "moderator@example.org", "organiser@example.org"]


# --- Passwords, sessions and logins ----------------------------------------------------


def test_set_password_replaces_the_hash_and_ends_the_sessions(app):
    user = services.create_user("door@example.org", PASSWORD, "door")
    stamp = user.session_stamp
    services.set_password(user, "10 chars..")
    stored = _stored(user.id)
    assert check_password_hash(stored.password_hash, "10 chars..")
    assert not check_password_hash(stored.password_hash, PASSWORD)
    assert stored.password_hash.startswith("scrypt:")
    assert stored.session_stamp not in (None, stamp)


def test_set_password_refuses_a_short_one_and_keeps_the_old(app):
    user = services.create_user("door@example.org", PASSWORD, "door")
    stamp = user.session_stamp
    refused = _refusal(services.set_password, user, "9 chars..")
    assert (refused.code, refused.field) == ("invalid_field", "password")
    assert refused.message == "Le mot de passe doit compter au moins 10 caractères."
    stored = _stored(user.id)
    assert check_password_hash(stored.password_hash, PASSWORD)
    assert stored.session_stamp == stamp


def test_end_sessions_renews_only_that_accounts_stamp(app):
    door = services.create_user("door@example.org", PASSWORD, "door")
    other = services.create_user("moderator@example.org", PASSWORD, "moderator")
    door_stamp, other_stamp = door.session_stamp, other.session_stamp
    services.end_sessions(door.id)
    assert _stored(door.id).session_stamp not in (None, door_stamp)
    assert _stored(other.id).session_stamp == other_stamp


@pytest.mark.parametrize(("role", "active", "ends_sessions"), [
    ("door", True, False), ("organiser", True, True), ("door", False, True),
])
def test_update_account_ends_the_sessions_only_when_something_changed(app, role, active,
                                                                     ends_sessions):
    user = services.create_user("door@example.org", PASSWORD, "door")
    stamp = user.session_stamp
    services.update_account(user, role, active)
    stored = _stored(user.id)
    assert (stored.role, stored.active) == (role, active)
    assert (stored.session_stamp != stamp) is ends_sessions
    assert stored.session_stamp is not None


def test_authenticate_needs_the_right_password_of_an_active_account(app):
    user = services.create_user("door@example.org", PASSWORD, "door")
    assert services.authenticate(" Door@Example.org ", PASSWORD) is user
    assert services.authenticate("door@example.org", "wrong password") is None
    assert services.authenticate("nobody@example.org", PASSWORD) is None
    services.update_account(user, "door", False)
    assert services.authenticate("door@example.org", PASSWORD) is None


# --- Bearer tokens ---------------------------------------------------------------------


def test_a_token_holds_32_random_bytes_and_only_its_hash_and_prefix_are_kept(app):
    user = services.create_user("door@example.org", PASSWORD, "door")
    token = services.issue_token(user, "  scanner entrée  ")
    # 32 bytes in URL-safe base64 are 43 characters, after the "eh_" marker.
    assert token.startswith("eh_") and len(token) == 3 + 43
    row = db.session.scalar(sa.select(ApiToken))
    assert (row.user_id, row.label, row.prefix) == (user.id, "scanner entrée", token[:10])
    assert token not in row.token_hash


def test_a_token_issued_without_a_label_has_none(app):
    user = services.create_user("door@example.org", PASSWORD, "door")
    services.issue_token(user)
    assert db.session.scalar(sa.select(ApiToken.label)) == ""


def test_each_token_opens_its_own_account(app):
    door = services.create_user("door@example.org", PASSWORD, "door")
    moderator = services.create_user("moderator@example.org", PASSWORD, "moderator")
    door_token = services.issue_token(door)
    moderator_token = services.issue_token(moderator)
    assert services.user_for_token(door_token) is door
    assert services.user_for_token(moderator_token) is moderator
    # Unknown, without the marker, or the marker alone: nobody.
    for wrong in ("eh_unknown", door_token[3:], "eh_"):
        assert services.user_for_token(wrong) is None


def test_a_revoked_token_or_a_disabled_account_opens_nothing(app):
    door = services.create_user("door@example.org", PASSWORD, "door")
    moderator = services.create_user("moderator@example.org", PASSWORD, "moderator")
    revoked = services.issue_token(door)
    services.revoke_token(db.session.scalar(sa.select(ApiToken.id)))
    disabled = services.issue_token(moderator)
    services.update_account(moderator, "moderator", False)
    assert services.user_for_token(revoked) is None
    assert services.user_for_token(disabled) is None


def test_a_use_is_recorded_again_only_once_more_than_a_minute_passed(app, monkeypatch):
    user = services.create_user("door@example.org", PASSWORD, "door")
    token = services.issue_token(user)
    start = utcnow()
    for now, recorded in [(start, start),
                          (start + timedelta(minutes=1), start),
                          (start + timedelta(minutes=1, seconds=1),
                           start + timedelta(minutes=1, seconds=1))]:
        monkeypatch.setattr(services, "utcnow", lambda now=now: now)
        assert services.user_for_token(token) is user
        assert _stored_token().last_used_at == recorded


def _stored_token() -> ApiToken:
    db.session.rollback()
    db.session.expire_all()
    return db.session.scalar(sa.select(ApiToken))


def test_revoking_twice_keeps_the_first_time(app, monkeypatch):
    user = services.create_user("door@example.org", PASSWORD, "door")
    services.issue_token(user)
    token_id = db.session.scalar(sa.select(ApiToken.id))
    first = utcnow()
    monkeypatch.setattr(services, "utcnow", lambda: first)
    assert services.revoke_token(token_id).revoked_at == first
    monkeypatch.setattr(services, "utcnow", lambda: first + timedelta(hours=3))
    services.revoke_token(token_id)
    assert _stored_token().revoked_at == first


def test_revoking_an_unknown_token_is_refused(app):
    refused = _refusal(services.revoke_token, 404)
    assert (refused.code, refused.message) == ("not_found", "Jeton introuvable.")


def test_tokens_are_listed_newest_first_with_their_user(app):
    door = services.create_user("door@example.org", PASSWORD, "door")
    moderator = services.create_user("moderator@example.org", PASSWORD, "moderator")
    services.issue_token(door, "first")
    services.issue_token(moderator, "second")
    services.issue_token(door, "third")
    assert [(t.label, t.user.email) for t in services.list_tokens()] == [
        ("third", "door@example.org"), ("second", "moderator@example.org"),
        ("first", "door@example.org")]
