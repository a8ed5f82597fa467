"""One application error type, and the handler that turns every API error into JSON.

Services raise `ApplicationError` (or Django's `ValidationError`); the API answers with
`{"message": ..., "code": ..., "fields": {...}}` and a 4xx status. A 500 is always a bug.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    """A rule of the domain was broken; the message is safe to show to the user."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        fields: dict[str, list[str]] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = fields or {}
        if status_code is not None:
            self.status_code = status_code


class Conflict(ApplicationError):
    """The request clashes with the current state (an illegal transition, a duplicate)."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, message: str, *, code: str = "conflict", **kwargs: Any) -> None:
        super().__init__(message, code=code, **kwargs)


class Forbidden(ApplicationError):
    """The caller is known but may not do this (a role it lacks, a conflict of interest)."""

    status_code = status.HTTP_403_FORBIDDEN

    def __init__(self, message: str, *, code: str = "forbidden", **kwargs: Any) -> None:
        super().__init__(message, code=code, **kwargs)


def _django_validation_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for e in errs for m in e.messages] for field, errs in
                error.error_dict.items()}  # fmt: skip
    return {"non_field_errors": [str(m) for m in error.messages]}


def _first_message(fields: Any) -> str:
    """The first human message in DRF's nested error detail."""
    if isinstance(fields, dict):
        for key, value in fields.items():
            text = _first_message(value)
            if text:
                return text if key in ("non_field_errors", "detail") else f"{key}: {text}"
    elif isinstance(fields, list):
        for value in fields:
            text = _first_message(value)
            if text:
                return text
    elif fields:
        return str(fields)
    return ""


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body = {"message": exc.message, "code": exc.code, "fields": exc.fields}
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = _django_validation_fields(exc)
        body = {"message": _first_message(fields), "code": "invalid", "fields": fields}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = response.data if isinstance(response.data, dict) else {
            "non_field_errors": response.data}  # fmt: skip
        message = _first_message(fields) or _("Invalid input.")
        response.data = {"message": message, "code": "invalid", "fields": fields}
    else:
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        code = getattr(exc, "default_code", "error")
        response.data = {"message": str(detail), "code": code, "fields": {}}
    return response


# --- Django's error pages, for the API's addresses --------------------------------------
# A path under /api/ that no route matches, or a view that crashed, still answers an API
# client in the API's shape: JSON `{"message", "code", "fields"}`, never an HTML page. Every
# other address gets the site's own 404.html / 500.html. (Set as handler404/handler500 in
# fundraising/urls.py; Django uses them when DEBUG is off.)
API_PREFIXES = ("/api/", "/webhooks/")


def _is_api(request: Any) -> bool:
    return request.path_info.startswith(API_PREFIXES)


def page_not_found(request: Any, exception: Exception) -> Any:
    if _is_api(request):
        body = {"message": _("Not found."), "code": "not_found", "fields": {}}
        return JsonResponse(body, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: Any) -> Any:
    if _is_api(request):
        message = _("Something went wrong on our side; it has been logged. Try again later.")
        return JsonResponse({"message": message, "code": "server_error", "fields": {}},
                            status=500)  # fmt: skip
    return defaults.server_error(request)
