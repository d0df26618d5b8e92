import hmac

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from ops.checks import readiness


@never_cache
def livez(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. No dependencies, so a Redis outage causes no restart storm."""
    return JsonResponse({"status": "ok"})


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Readiness for load balancers. Details only for callers holding HEALTHCHECK_TOKEN."""
    results = readiness()
    ready = results["database"] and results["broker"]
    body: dict[str, object] = {"status": "ok" if ready else "unavailable"}
    token = getattr(settings, "HEALTHCHECK_TOKEN", "")
    offered = request.headers.get("X-Health-Token", "")
    if token and hmac.compare_digest(token, offered):
        body["checks"] = results
    return JsonResponse(body, status=200 if ready else 503)
