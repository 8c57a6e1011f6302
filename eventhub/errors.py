"""Error answers: JSON ``{"error", "message"}`` under ``/api/``, a friendly page elsewhere.

No traceback ever reaches a visitor: unexpected exceptions are logged and answered 500.
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError


class Refused(Exception):
    """The one refusal a service raises: a stable ``code``, a message for people, and the
    ``field`` at fault when there is one. Services know nothing of HTTP: views and socket
    handlers map the code to a status (``status_of``) or an acknowledgement."""

    def __init__(self, code: str, message: str, field: str | None = None, **details):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.details = details

    @classmethod
    def fields(cls, errors: Mapping[str, str]) -> Refused:
        """Several fields refused at once (a form checked whole), as ``invalid_field``: the
        first names ``field`` and ``message``, and ``details["errors"]`` holds them all."""
        field, message = next(iter(errors.items()))
        return cls("invalid_field", message, field=field, errors=dict(errors))

    @property
    def errors(self) -> dict[str | None, str]:
        """Each field at fault and its message; ``None`` stands for the whole input."""
        return dict(self.details.get("errors") or {self.field: self.message})

    def as_json(self) -> dict:
        """The body of a JSON error or a socket acknowledgement."""
        body = {"error": self.code, "message": self.message, **self.details}
        if self.field is not None:
            body["field"] = self.field
        return body


# The HTTP status of each refusal code that is not a plain invalid input (422).
_STATUS_BY_CODE = {
    "bad_request": 400,
    "bad_status": 400,
    "nul_character": 400,
    "unauthorized": 401,
    "forbidden": 403,
    "registration_closed": 403,
    "not_found": 404,
    "conflict": 409,
    "duplicate_email": 409,
    "cancelled": 409,
    "unsupported_media_type": 415,
    "rate_limited": 429,
}


def status_of(refusal: Refused) -> int:
    """The HTTP status that answers ``refusal``."""
    return _STATUS_BY_CODE.get(refusal.code, 422)


class ApiError(Exception):
    """An HTTP error raised by a view with its own status; services raise ``Refused``."""

    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def wants_json() -> bool:
    """Whether the current request is answered in JSON (the API)."""
    return request.path.startswith("/api/")


def _code_name(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def _messages() -> dict[int, str]:
    return {
        400: _("La demande est incomplète ou mal formée."),
        401: _("Connectez-vous pour accéder à cette page."),
        403: _("Vous n'avez pas accès à cette page."),
        404: _("Cette page n'existe pas, ou plus."),
        405: _("Cette action n'est pas possible ici."),
        413: _("Le contenu envoyé est trop volumineux."),
        415: _("Le contenu doit être envoyé en JSON."),
        429: _("Trop de demandes en peu de temps : réessayez dans un instant."),
        500: _("Une erreur inattendue s'est produite. L'équipe a été prévenue."),
    }


def error_response(status: int, code: str, message: str, **extra):
    """Answer an error in the form the current request expects."""
    if wants_json():
        return jsonify({"error": code, "message": message, **extra}), status
    return render_template("errors/error.html", status=status, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Install the handlers on ``app``."""

    @app.errorhandler(ApiError)
    def handle_api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, **exc.extra)

    @app.errorhandler(Refused)
    def handle_refused(exc: Refused):
        body = exc.as_json()
        body.pop("error")
        body.pop("message")
        return error_response(status_of(exc), exc.code, exc.message, **body)

    @app.errorhandler(CSRFError)
    def handle_csrf(exc: CSRFError):
        return error_response(
            400,
            "csrf_failed",
            _("Le formulaire a expiré ou n'a pas été envoyé depuis ce site. "
              "Rechargez la page et recommencez."),
        )

    @app.errorhandler(HTTPException)
    def handle_http(exc: HTTPException):
        status = exc.code or 500
        message = _messages().get(status) or exc.description or ""
        if status == 429 and exc.description:
            message = f"{message} ({exc.description})"
        response = error_response(status, _code_name(exc), message)
        if status == 405 and hasattr(exc, "valid_methods") and exc.valid_methods:
            body, code = response
            body = app.make_response((body, code))
            body.headers["Allow"] = ", ".join(exc.valid_methods)
            return body
        return response

    @app.errorhandler(Exception)
    def handle_unexpected(exc: Exception):
        if isinstance(exc, HTTPException):
            return handle_http(exc)
        app.logger.exception("Unhandled exception on %s %s", request.method, request.path)
        return error_response(500, "internal_error", _messages()[500])

    # Registered so that ``abort(500)`` uses the same page.
    app.register_error_handler(InternalServerError, handle_http)
