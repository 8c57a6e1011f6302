"""Live tests: no vote/viewer tick may outlive its test (it would use a disposed engine)."""

import pytest

from eventhub.live.sockets import ticker


@pytest.fixture(autouse=True)
def _ticker_drained(make_app):
    """After each test, before its app's tables and engine go, let the ticker finish."""
    yield
    assert ticker.wait_idle(), "the live ticker did not stop"
