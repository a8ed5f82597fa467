"""POST /webhooks/stripe/: verify, store once, answer fast. Processing happens in a task."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from webhooks.providers import get_provider
from webhooks.providers.base import SignatureError
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
def stripe_webhook(request: HttpRequest) -> JsonResponse:
    body = _read_body(request, settings.WEBHOOK_MAX_BODY_BYTES)
    if body is None:
        rejection_count("stripe", "oversized")
        return JsonResponse({"error": "payload too large"}, status=413)
    headers = {k.lower(): v for k, v in request.headers.items()}
    provider = get_provider("stripe")
    try:
        event = provider.verify_webhook(body, headers)
    except SignatureError as exc:
        rejection_count("stripe", exc.reason, detail=str(exc))
        return JsonResponse({"error": "invalid signature"}, status=400)
    created = event_receive(provider="stripe", event=event, headers=headers)
    return JsonResponse({"received": True, "duplicate": not created})
