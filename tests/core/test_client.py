"""The test client commits nothing on a view's behalf, redirects included."""

from flask import redirect

from eventhub.extensions import db
from eventhub.programme.models import Organisation


def _count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Organisation))


def _add_forgetful_routes(app) -> None:
    def forgetful():
        db.session.add(Organisation(name="Forgotten"))
        return redirect("/test-count")

    def count():
        return {"count": _count()}

    app.add_url_rule("/test-forgetful", "forgetful", forgetful, methods=["POST"])
    app.add_url_rule("/test-count", "count", count)


def test_a_view_that_forgets_to_commit_writes_nothing(make_app):
    app = make_app()
    _add_forgetful_routes(app)
    with app.app_context():
        client = app.test_client()
        response = client.post("/test-forgetful", follow_redirects=True)
        assert response.json == {"count": 0}  # the redirect did not commit the POST's write
        assert client.post("/test-forgetful").status_code == 302
        assert _count() == 0
    with app.app_context():
        assert _count() == 0


def test_what_the_test_leaves_uncommitted_is_not_seen_by_requests(make_app):
    app = make_app()
    _add_forgetful_routes(app)
    with app.app_context():
        db.session.add(Organisation(name="Pending"))
        db.session.flush()
        assert app.test_client().get("/test-count").json == {"count": 0}
        assert _count() == 0
        db.session.add(Organisation(name="Committed"))
        db.session.commit()
        assert app.test_client().get("/test-count").json == {"count": 1}
