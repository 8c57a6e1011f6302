"""Gzip of text answers (Flask-Compress), in the embedded mode as behind a proxy."""

from __future__ import annotations

from flask import Flask, Response

from eventhub.extensions import compress


def init_app(app: Flask) -> None:
    """Compress answers (settings ``COMPRESS_*`` in ``eventhub.config``).

    A streamed answer (a static file) is compressed by a generator that replaces its
    body, and closing the answer then closes only that generator: the file it was read
    from would stay open until the garbage collector finds it. The hook below runs
    before Flask-Compress's (hooks run in reverse order) and closes it with the answer.
    """
    compress.init_app(app)

    @app.after_request
    def close_streamed_body_with_response(response: Response) -> Response:
        body = response.response
        if response.is_streamed and callable(getattr(body, "close", None)):
            response.call_on_close(body.close)
        return response
