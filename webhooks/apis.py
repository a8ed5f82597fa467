"""POST /webhooks/<provider>/: verify, store once, answer fast. Processing happens in a task.

One view serves every provider under payments/: the provider verifies the signature on the
raw body and parses it (JSON nested too deeply is not an event: a 400, as a bad signature
is); a provider we do not have is a 404."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments.registry import get_provider, provider_names
from payments.types import SignatureError
from webhooks.services import event_receive, rejection_count


def _read_body(request: HttpRequest, limit: int) -> bytes | None:
    """The raw body, or None when it is larger than the limit (read no further than that)."""
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        return None
    body = request.read(limit + 1)
    return None if len(body) > limit else body


@csrf_exempt
@require_POST
def provider_webhook(request: HttpRequest, provider: str) -> JsonResponse:
    if provider not in provider_names():
        raise Http404("No such payment provider.")
    body = _read_body(request, settings.WEBHOOK_MAX_BODY_BYTES)
    if body is None:
        rejection_count(provider, "oversized")
        return JsonResponse({"error": "payload too large"}, status=413)
    headers = {k.lower(): v for k, v in request.headers.items()}
    try:
        event = get_provider(provider).verify_webhook(body, headers)
    except SignatureError as exc:
        rejection_count(provider, exc.reason, detail=str(exc))
        return JsonResponse({"error": "invalid signature"}, status=400)
    if any("\x00" in value for value in (event.id, event.type, event.object_id)):
        # Stored as text, which PostgreSQL refuses a NUL in: no provider's id has one.
        rejection_count(provider, "not_event", detail="a NUL character in the event's ids")
        return JsonResponse({"error": "invalid event"}, status=400)
    created = event_receive(provider=provider, event=event, body=body, headers=headers)
    return JsonResponse({"received": True, "duplicate": not created})
