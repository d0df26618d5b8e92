from django.conf import settings

from ops.db_routers import reading_from_replica


class ReaderReplicaMiddleware:
    """Anonymous GET/HEAD requests read from the replica; everyone else from the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        anonymous_read = (
            request.method in {"GET", "HEAD"}
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
        with reading_from_replica(anonymous_read):
            return self.get_response(request)
