"""Answer the view beacon before sessions, authentication and URL routing.

The beacon is the one reader endpoint that every article view calls, and its work is one
Redis round trip; the middleware stack below it (sessions, CSRF, auth, second factor,
messages, CSP, redirects, lockouts) would cost more than the count itself. A beacon that
carries a session cookie goes the long way, because only then can it come from staff whose
views may not count.
"""

from functools import cached_property

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from readership import views


class ViewBeaconMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @cached_property
    def beacon_path(self) -> str:
        return reverse("readership:view")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == self.beacon_path and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return views.view_beacon(request)
        return self.get_response(request)
