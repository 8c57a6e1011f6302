"""Ticket codes and their QR images.

A code is ``T1.<random>.<mac>``: 15 random bytes (120 bits, base64url) and an HMAC of
them keyed by the application's SECRET_KEY, truncated to 10 bytes. It names nothing
personal, is 38 characters long, and a forged or altered code is recognised without
touching the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import secrets
from functools import lru_cache

import qrcode
import qrcode.image.svg
from flask import current_app

PREFIX = "T1"
RANDOM_BYTES = 15
MAC_BYTES = 10
# "T1", two dots, and base64url without padding: 20 characters for 15 bytes, 14 for 10.
CODE_LENGTH = 38


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _mac(random_part: str) -> str:
    key = hashlib.sha256(b"eventhub-ticket:" + current_app.config["SECRET_KEY"].encode()).digest()
    return _b64(hmac.new(key, random_part.encode(), hashlib.sha256).digest()[:MAC_BYTES])


def new_code() -> str:
    """A fresh ticket code for a QR image."""
    random_part = _b64(secrets.token_bytes(RANDOM_BYTES))
    return f"{PREFIX}.{random_part}.{_mac(random_part)}"


def is_authentic(code: str) -> bool:
    """Whether ``code`` was issued with this application's key (and not altered)."""
    if not isinstance(code, str):
        return False
    if len(code) != CODE_LENGTH:
        return False
    parts = code.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        return False
    return hmac.compare_digest(parts[2], _mac(parts[1]))


# No 0/O, 1/I/L: a code read aloud or copied by hand from paper has one spelling.
SHORT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_LENGTH = 8


def new_short_code() -> str:
    """A fresh short code, printed under the QR for typing at the door."""
    return "".join(secrets.choice(SHORT_ALPHABET) for _ in range(SHORT_LENGTH))


def normalise_short_code(text: str) -> str:
    """``text`` as a short code is stored: upper case, without spaces or dashes."""
    return "".join(text.split()).replace("-", "").upper()


def new_token() -> str:
    """The secret of a ticket page (distinct from the code shown at the door)."""
    return secrets.token_urlsafe(24)


def code_hash(code: str) -> str:
    """SHA-256 of a code, as the offline scanner stores and compares it."""
    return hashlib.sha256(code.encode()).hexdigest()


def _qr(code: str) -> qrcode.QRCode:
    # qrcode's defaults are what the door's scanners need: medium error correction, 10
    # pixels a module and the 4-module quiet zone (the tests decode all three).
    qr = qrcode.QRCode()
    qr.add_data(code)
    return qr


def _svg(code: str) -> qrcode.image.svg.SvgPathImage:
    return _qr(code).make_image(image_factory=qrcode.image.svg.SvgPathImage)


# Codes never change for a ticket, so their images can be cached for the process's life.
@lru_cache(maxsize=2048)
def qr_svg(code: str) -> bytes:
    """The QR image of ``code`` as SVG."""
    buffer = io.BytesIO()
    _svg(code).save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=2048)
def qr_png(code: str) -> bytes:
    """The QR image of ``code`` as PNG."""
    buffer = io.BytesIO()
    _qr(code).make_image().save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=2048)
def qr_svg_element(code: str) -> str:
    """The QR image of ``code`` as an ``<svg>`` element to place inside a page."""
    return _svg(code).to_string(encoding="unicode")
