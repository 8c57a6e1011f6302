"""Live tests: no vote or viewer-count sending may outlive its test (it would use a
disposed engine)."""

import pytest

from eventhub.live.sockets import viewer_counts, vote_counts


@pytest.fixture(autouse=True)
def _counts_drained(make_app):
    """After each test, before its app's tables and engine go, let the sendings finish."""
    yield
    assert vote_counts.wait_idle() and viewer_counts.wait_idle(), "live counts still sending"
