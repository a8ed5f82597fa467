"""Refusing a request body too large to take, before anything reads it.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE does not count uploaded files: without this a 60 MB
"logo" would be read, spooled to disk and parsed before a field said no. The declared
Content-Length is enough under WSGI (gunicorn, runserver): Django never reads past it, and a
request without one is read as empty. (Under ASGI Django reads the whole body before any
middleware runs; put the same limit in front of it, in the web server.)

The limit is MAX_REQUEST_BYTES, or the MAX_REQUEST_BYTES_BY_PATH entry whose prefix the path
starts with (the treasurer's CSV imports take more). The webhook receiver keeps its own,
tighter WEBHOOK_MAX_BODY_BYTES inside this one, so that it can count the rejection.

NulCharacterMiddleware refuses, the same way, an address with a NUL character in it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def request_limit(path: str) -> int:
    """The largest body, in bytes, that a request to this path may declare."""
    for prefix, limit in settings.MAX_REQUEST_BYTES_BY_PATH.items():
        if path.startswith(prefix):
            return limit
    return settings.MAX_REQUEST_BYTES


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django reads such a body as empty


def _too_large(request: HttpRequest, limit: int) -> HttpResponse:
    message = _("The request is larger than %(size)s MB, the most this address takes.") % {
        "size": f"{limit / (1024 * 1024):g}"
    }
    if request.path_info.startswith(API_PREFIX):
        body = {"message": message, "code": "request_too_large", "fields": {}}
        return JsonResponse(body, status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")


class RequestSizeLimitMiddleware:
    """413 for a request whose declared body is larger than its path's limit (unread)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = request_limit(request.path_info)
        if _declared_length(request) > limit:
            return _too_large(request, limit)
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path_info:
        return True
    return any("\x00" in key or any("\x00" in v for v in values)
               for key, values in request.GET.lists())  # fmt: skip


class NulCharacterMiddleware:
    """400 for an address (path or query) with a NUL character (%00) in it.

    No address of ours has one, and PostgreSQL refuses it in text: a slug, an account code
    or a filter passed on to a query failed there as a DataError (a 500) in every view, the
    admin's included. The API's bodies are checked by its parsers (common.parsers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _has_nul(request):
            return self.get_response(request)
        message = _("The address may not contain NUL characters.")
        if request.path_info.startswith(API_PREFIX):
            return JsonResponse({"message": message, "code": "invalid", "fields": {}}, status=400)
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
