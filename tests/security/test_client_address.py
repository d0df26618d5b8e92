"""Behind the shipped proxy every reader and every member of staff is their own address: a
lockout or a rate limit holds one client, not everyone behind the proxy; and a forged
X-Forwarded-For from a peer that is not the proxy changes nothing.

Runs the app under gunicorn behind a reverse proxy in its own process
(tests/security/forwarding_proxy.py, which sets the header as deploy/nginx.conf does), with
clients connecting from distinct loopback addresses.
"""

import re

from django.contrib.auth import get_user_model

import pytest
from axes.models import AccessAttempt

from search.views import AUTOCOMPLETE_PER_CLIENT
from tests.security.servers import AppServer, ForwardingProxy, database_url, session_from

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-test-password"
READER_A, READER_B, STRANGER = "127.0.0.2", "127.0.0.3", "127.0.0.4"


@pytest.fixture
def behind_proxy(tmp_path, redis_client):
    app = AppServer(
        env={
            "DATABASE_URL": database_url(),
            "TRUSTED_PROXIES": "127.0.0.1",  # the proxy's address, as the app sees it
            "ADMIN_REQUIRE_2FA": "0",
        },
        log_path=tmp_path / "gunicorn.log",
    )
    app.start()
    proxy = ForwardingProxy(upstream=app.url, log_path=tmp_path / "proxy.log")
    proxy.start()
    yield app, proxy
    proxy.stop()
    app.stop()


def sign_in(session, base: str, password: str, **headers):
    form = session.get(f"{base}/admin/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    return session.post(
        f"{base}/admin/login/",
        data={"username": "chief", "password": password, "csrfmiddlewaretoken": token},
        headers=headers,
        allow_redirects=False,
        timeout=10,
    )


def test_a_lockout_holds_one_client_behind_the_proxy_and_a_forged_header_is_ignored(
    behind_proxy, wagtail_root
):
    app, proxy = behind_proxy
    get_user_model().objects.create_superuser("chief", "chief@example.com", PASSWORD)
    attacker, chief = session_from(READER_A), session_from(READER_B)

    for _ in range(4):
        assert sign_in(attacker, proxy.url, "guess").status_code == 200
    assert sign_in(attacker, proxy.url, "guess").status_code == 429  # the fifth locks
    assert sign_in(attacker, proxy.url, PASSWORD).status_code == 429
    # The chief, through the same proxy from her own address, is not locked out.
    assert sign_in(chief, proxy.url, PASSWORD).status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {READER_A}

    # A peer talking to the app directly cannot claim the chief's address, or a fresh one.
    stranger = session_from(STRANGER)
    for n in range(5):
        sign_in(stranger, app.url, "guess", **{"X-Forwarded-For": f"198.51.100.{n}"})
    assert AccessAttempt.objects.get(ip_address=STRANGER).failures_since_start == 5
    assert sign_in(stranger, app.url, PASSWORD, **{"X-Forwarded-For": READER_B}).status_code == 429
    assert not AccessAttempt.objects.filter(ip_address__startswith="198.51.100.").exists()


def test_readers_behind_the_proxy_each_have_their_own_autocomplete_limit(behind_proxy):
    app, proxy = behind_proxy
    busy, other = session_from(READER_A), session_from(READER_B)

    def suggest(session, base, **headers):
        url = f"{base}/search/autocomplete/?q=harb"
        return session.get(url, headers=headers, timeout=10).status_code

    assert [suggest(busy, proxy.url) for _ in range(AUTOCOMPLETE_PER_CLIENT.max_hits)] == [
        200
    ] * AUTOCOMPLETE_PER_CLIENT.max_hits
    assert suggest(busy, proxy.url) == 429
    assert suggest(other, proxy.url) == 200

    # Direct, a new forged address per request does not reset the stranger's own limit.
    stranger = session_from(STRANGER)
    answers = [
        suggest(stranger, app.url, **{"X-Forwarded-For": f"198.51.100.{n}"})
        for n in range(AUTOCOMPLETE_PER_CLIENT.max_hits + 1)
    ]
    assert answers[-1] == 429
