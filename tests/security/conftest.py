"""Fixtures of the attack tests: the registration domain's open event."""

from tests.registration.conftest import open_event  # noqa: F401
