from django.contrib.auth import get_user_model

import pytest

from news.factories import ArticlePageFactory
from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_logs_into_the_admin_and_sees_the_dashboard(live_server, page, wagtail_root):
    get_user_model().objects.create_superuser("chief", "chief@example.com", "a-long-test-password")

    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{live_server.url}/admin/")
    assert "Dashboard" in page.title()
    assert page.get_by_role("heading", name="Site summary").is_visible()


def test_reader_loads_the_home_page_and_follows_the_lead_story(live_server, page, site_tree, axe):
    ArticlePageFactory(parent=site_tree["news"], title="Harbour bridge reopens after repairs")

    page.goto(f"{live_server.url}/")
    assert page.get_by_role("heading", name="Harbour bridge reopens after repairs").is_visible()
    assert_no_axe_violations(axe, page)

    page.get_by_role("link", name="Harbour bridge reopens after repairs").first.click()
    page.wait_for_url("**/news/harbour-bridge-reopens-after-repairs/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Harbour bridge reopens after repairs"
    )
    assert_no_axe_violations(axe, page)
