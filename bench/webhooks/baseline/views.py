"""POST /bench/baseline/: read the body, INSERT one row, answer JSON. Nothing else."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from bench.webhooks.baseline.models import Hit


@csrf_exempt
@require_POST
def baseline_insert(request: HttpRequest) -> JsonResponse:
    hit = Hit.objects.create(size=len(request.body))
    return JsonResponse({"received": True, "id": hit.pk})
