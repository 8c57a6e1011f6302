"""Registration throughput with the mail outbox, next to the same with the mail sent inline.

Registrations are POSTed to ``/api/v1/events/<slug>/registrations`` over HTTP on
127.0.0.1 from CLIENTS threads, on PostgreSQL (``BENCH_DATABASE_URL``). Each
registration's ticket mail (QR image and agenda attached) goes to a local aiosmtpd server
that answers each message after ``BENCH_SMTP_LATENCY`` seconds (a remote server's round
trips). With the outbox the request only stores the mail, and the app's sender thread
delivers it meanwhile; inline (as before the outbox) the request hands it to SMTP itself.
The two take turns in ROUNDS rounds on the same app and database; the figures are the
medians, the ratio the median of the rounds' ratios. An outbox round also reports how
long after its last answer the last mail arrived.

    .venv/bin/python bench/mail_outbox.py
"""

from __future__ import annotations

import asyncio
import logging
import os
import statistics
import time
from unittest import mock

import checkin as common  # bench/checkin.py: app, event, server and client helpers
from aiosmtpd.controller import Controller

from eventhub import mail, smtp

REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "100"))
ROUNDS = 3
LATENCY = float(os.environ.get("BENCH_SMTP_LATENCY", "0.02"))


class Counter:
    """aiosmtpd handler: count the messages, after a server's latency."""

    def __init__(self):
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        """Accept the message."""
        await asyncio.sleep(LATENCY)
        self.count += 1
        return "250 OK"


def free_port() -> int:
    """A free local TCP port."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def register(port: int, slug: str) -> float:
    """REGISTRATIONS registrations to ``slug``; seconds taken (every answer must be 201)."""
    requests = [(f"/api/v1/events/{slug}/registrations",
                 {"name": f"Personne {i}", "email": f"p{i}@example.org",
                  "attendance": "onsite"}, {}) for i in range(REGISTRATIONS)]
    seconds, answers = common.fire(port, requests)
    bad = [status for status, _ in answers if status != 201]
    assert not bad, f"{len(bad)} registrations failed: {bad[:5]}"
    return seconds


def main() -> None:
    """Alternate the two ways on PostgreSQL and print the figures."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    if not common.postgres_available(common.PG_URL):
        print("PostgreSQL: no server at", common.PG_URL, "(skipped)")
        return
    smtp_port = free_port()
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    app = common.bench_app(common.PG_URL, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_port,
                           RATELIMIT_ENABLED=False, MAIL_SENDER_THREAD=True)
    port, stop = common.serve(app)
    inline_rates, outbox_rates, ratios, drains = [], [], [], []
    try:
        for n in range(ROUNDS):
            common.open_event(app, 100_000, slug=f"inline-{n}")
            expected = counter.count + REGISTRATIONS
            with mock.patch.object(mail, "send", smtp.transmit):
                inline = REGISTRATIONS / register(port, f"inline-{n}")
            assert counter.count == expected, "inline mails missing"

            common.open_event(app, 100_000, slug=f"outbox-{n}")
            expected = counter.count + REGISTRATIONS
            outbox = REGISTRATIONS / register(port, f"outbox-{n}")
            answered = time.perf_counter()
            while counter.count < expected:
                time.sleep(0.01)
            drains.append(time.perf_counter() - answered)
            inline_rates.append(inline)
            outbox_rates.append(outbox)
            ratios.append(outbox / inline)
    finally:
        stop()
        controller.stop()
    print(f"PostgreSQL, {REGISTRATIONS} registrations x {ROUNDS} rounds, "
          f"{common.CLIENTS} clients, SMTP latency {LATENCY * 1000:.0f} ms")
    print(f"  mail sent inline:   {statistics.median(inline_rates):7.1f} registrations/s")
    print(f"  mail outbox:        {statistics.median(outbox_rates):7.1f} registrations/s "
          f"(last mail {statistics.median(drains):.2f} s after the last answer)")
    print(f"  ratio outbox/inline: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
