"""Conditional GETs of the programme's pages and exports, decided from the event row alone.

Every change to what a programme shows grows ``Event.programme_revision`` and touches
``Event.updated_at`` (see the models), so an export's ETag and Last-Modified are known
from that one row, before any slot is read: a client polling an unchanged programme
costs one query and a 304.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

from flask import Response, current_app, request
from werkzeug.http import is_resource_modified

import eventhub
from eventhub.programme.models import Event

# What the code that renders a programme is made of: a new release may render the same
# revision differently, so it must not validate the copies made by the previous one.
_RELEASE_SUFFIXES = {".py", ".html", ".xml", ".mo"}


@cache
def _release(*folders: str) -> str:
    """A fingerprint of the code and templates in ``folders``, the same in every worker."""
    digest = hashlib.blake2b(digest_size=8)
    for folder in folders:
        root = Path(folder)
        for path in sorted(root.rglob("*")):
            if path.suffix in _RELEASE_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(root)).encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()


def etag_of(event: Event, variant: str) -> str:
    """The ETag of the ``variant`` (an export, a page in a language) of ``event``'s programme.

    The request's host is no part of it: absolute links are built from ``PUBLIC_URL``.
    """
    release = _release(str(Path(eventhub.__file__).parent),
                       str(Path(current_app.root_path, current_app.template_folder)))
    key = "\x1f".join((str(event.id), str(event.programme_revision), variant, release))
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


def respond(event: Event, variant: str, build: Callable[[], Response]) -> Response:
    """``build()``'s response with the programme's validators, or a 304 without calling it
    when the client's copy (``If-None-Match``, else ``If-Modified-Since``) is current.

    ``If-Modified-Since`` is sound here because a deleted slot or a renamed room touches
    the event row too.
    """
    return _respond(etag_of(event, variant), event.updated_at, build)


def respond_across(events: Sequence[Event], variant: str,
                   build: Callable[[], Response]) -> Response:
    """``respond`` for an export drawn from several events' programmes (a speaker's talks):
    its ETag changes when any of them does, and it is as recent as the latest."""
    key = "\x1f".join(etag_of(event, variant) for event in events) or variant
    etag = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    last_modified = max((event.updated_at for event in events), default=None)
    return _respond(etag, last_modified, build)


def _respond(etag: str, last_modified, build: Callable[[], Response]) -> Response:
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        response = build()
    else:
        response = Response(status=304)
    response.set_etag(etag)
    response.last_modified = last_modified
    return response
