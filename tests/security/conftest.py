"""Fixtures of the attack tests, borrowed from the domains they attack."""

from tests.directory.conftest import make_teleworker, make_venue, moderator  # noqa: F401
from tests.registration.conftest import open_event  # noqa: F401
