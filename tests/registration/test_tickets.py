"""Ticket codes: short, random, tamper-evident, impersonal; QR images cached."""

from __future__ import annotations

from eventhub.registration import services, tickets


def test_code_is_short_random_and_authentic(app):
    codes = {tickets.new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert len(code) <= 60
        assert tickets.is_authentic(code)
    assert tickets.RANDOM_BYTES * 8 >= 96


def test_tampered_or_foreign_codes_are_not_authentic(app, make_app):
    code = tickets.new_code()
    prefix, random_part, mac = code.split(".")
    flipped = random_part[:-1] + ("A" if random_part[-1] != "A" else "B")
    assert not tickets.is_authentic(f"{prefix}.{flipped}.{mac}")
    assert not tickets.is_authentic(code + "x")
    assert not tickets.is_authentic("")
    assert not tickets.is_authentic("T1." + "A" * 80)
    other = make_app(SECRET_KEY="another-key")
    with other.app_context():
        assert not tickets.is_authentic(code)


def test_code_names_nothing_personal(open_event):
    registration = services.register(open_event(), "Ana Martin", "ana@example.org", "onsite")
    assert "ana" not in registration.code.lower()
    assert registration.token != registration.code


def test_qr_images_are_cached(app):
    code = tickets.new_code()
    tickets.qr_png.cache_clear()
    first = tickets.qr_png(code)
    assert first.startswith(b"\x89PNG")
    assert tickets.qr_png(code) is first
    assert tickets.qr_png.cache_info().hits == 1
    assert tickets.qr_svg(code).lstrip().startswith(b"<?xml")
