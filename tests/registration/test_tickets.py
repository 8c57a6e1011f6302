"""Ticket codes: short, random, tamper-evident, impersonal; QR images cached."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import re

import cairosvg
import zxingcpp
from PIL import Image

from eventhub.registration import services, tickets

CODE = re.compile(r"T1\.([A-Za-z0-9_-]{20})\.([A-Za-z0-9_-]{14})")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(random_part: bytes) -> str:
    """The documented MAC: SHA-256 HMAC of the random part, keyed by a hash of the
    application's key, cut to 10 bytes. Tickets already printed depend on it."""
    key = hashlib.sha256(b"eventhub-ticket:test-secret-key").digest()
    text = base64.urlsafe_b64encode(random_part).decode()
    mac = hmac.new(key, text.encode(), hashlib.sha256).digest()[:10]
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def test_codes_are_short_random_and_authentic(app):
    codes = [tickets.new_code() for _ in range(1000)]
    assert len(set(codes)) == 1000
    random_parts, macs = [], []
    for code in codes:
        assert len(code) == 38
        match = CODE.fullmatch(code)
        assert match, code
        assert tickets.is_authentic(code)
        random_parts.append(_unb64(match[1]))
        macs.append(match[2])
    assert {len(part) for part in random_parts} == {15}  # 120 random bits
    assert [match[2] for match in map(CODE.fullmatch, codes[:3])] == [
        _mac(part) for part in random_parts[:3]]
    assert len(set(macs)) == 1000
    # Uniform bytes set half their bits, and 1000 of them take about 251 of the 256
    # values at each position (a counter or a constant byte takes far fewer).
    ones = sum(bin(byte).count("1") for part in random_parts for byte in part)
    assert 0.48 < ones / (1000 * 15 * 8) < 0.52
    for position in range(15):
        assert len({part[position] for part in random_parts}) > 200


def test_tampered_or_foreign_codes_are_not_authentic(app, make_app):
    code = tickets.new_code()
    prefix, random_part, mac = code.split(".")
    flipped = random_part[:-1] + ("A" if random_part[-1] != "A" else "B")
    assert not tickets.is_authentic(f"{prefix}.{flipped}.{mac}")
    assert not tickets.is_authentic(code + "x")
    assert not tickets.is_authentic("")
    assert not tickets.is_authentic("T1." + "A" * 80)
    assert not tickets.is_authentic(f"T2.{random_part}.{mac}")
    assert not tickets.is_authentic(f"T1.{random_part}.{mac}.")
    assert not tickets.is_authentic(None)
    assert not tickets.is_authentic(12345)
    other = make_app(SECRET_KEY="another-key")
    with other.app_context():
        assert not tickets.is_authentic(code)


def test_code_names_nothing_personal(open_event):
    registration = services.register(open_event(), "Ana Martin", "ana@example.org", "onsite")
    assert "ana" not in registration.code.lower()
    assert registration.token != registration.code
    assert len(_unb64(registration.token)) == 24  # the ticket page's secret: 192 bits


def _decoded(image: Image.Image) -> list[str]:
    return [(barcode.format.name, barcode.text) for barcode in zxingcpp.read_barcodes(image)]


def test_qr_images_decode_to_the_code(app):
    code = tickets.new_code()
    png = Image.open(io.BytesIO(tickets.qr_png(code)))
    assert _decoded(png) == [("QRCode", code)]
    # Medium error correction, 10 pixels a module and the 4-module quiet zone that
    # scanners need around the symbol.
    (barcode,) = zxingcpp.read_barcodes(png)
    assert barcode.ec_level == "M"
    corner, far = barcode.position.top_left, barcode.position.bottom_right
    assert (corner.x, corner.y) == (40, 40)
    assert png.size == (far.x + 40, far.y + 40)
    modules = (far.x - corner.x) / 10
    assert modules == int(modules) and (modules - 17) % 4 == 0
    rasterised = cairosvg.svg2png(bytestring=tickets.qr_svg(code), output_width=400,
                                  background_color="white")
    assert _decoded(Image.open(io.BytesIO(rasterised))) == [("QRCode", code)]
    element = tickets.qr_svg_element(code)
    assert element.startswith("<svg")
    rasterised = cairosvg.svg2png(bytestring=element.encode(), output_width=400,
                                  background_color="white")
    assert _decoded(Image.open(io.BytesIO(rasterised))) == [("QRCode", code)]


def test_qr_images_are_cached(app):
    code = tickets.new_code()
    tickets.qr_png.cache_clear()
    first = tickets.qr_png(code)
    assert first.startswith(b"\x89PNG")
    assert tickets.qr_png(code) is first
    assert tickets.qr_png.cache_info().hits == 1
    assert tickets.qr_svg(code).lstrip().startswith(b"<?xml")


def test_short_codes_are_random_in_an_unambiguous_alphabet(app):
    codes = [tickets.new_short_code() for _ in range(1000)]
    assert len(set(codes)) == 1000
    assert all(len(code) == 8 for code in codes)
    used = set("".join(codes))
    assert used == set("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
    assert not used & set("01OIL")


def test_a_typed_short_code_is_read_whatever_its_case_spaces_and_dashes():
    assert tickets.normalise_short_code(" ab2c d3-ef\t") == "AB2CD3EF"
