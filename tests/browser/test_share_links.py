"""Share links in Chromium: an editor shares a draft, an anonymous reader reads it through the
link, the editor revokes it and the same address then answers 404 with nothing of the draft;
an expired link likewise."""

from datetime import timedelta

from django.contrib.auth.models import Group, User
from django.utils import timezone

from wagtail.models import Collection

import pytest

from editorial.newsroom import EDITORS, install_newsroom
from news.factories import ArticlePageFactory, StaffProfilePageFactory, paragraphs
from sharing.models import ShareLink

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
# Headless Chromium says "HeadlessChrome", which share links turn away like any link previewer
# (sharing/views.py); the recipient's browser is an ordinary one.
RECIPIENT_BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
HEADLINE = "Minister's adviser paid by the contractor"
SECRET_LINE = "Invoices seen by this newsroom show Marmot-Ledger-4417 payments."


@pytest.fixture
def shared_draft(site_tree):
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    install_newsroom()
    editor = User.objects.create_user("edna", "edna@masthead.test", PASSWORD, first_name="Edna")
    editor.groups.add(Group.objects.get(name=EDITORS))
    StaffProfilePageFactory(parent=site_tree["staff"], title="Edna", user=editor)
    draft = ArticlePageFactory(
        parent=site_tree["news"],
        draft=True,
        title=HEADLINE,
        owner=editor,
        body=paragraphs([SECRET_LINE]),
    )
    draft.save_revision(user=editor)
    return draft


def log_in(browser, live_server, username):
    tab = browser.new_context().new_page()
    tab.goto(f"{live_server.url}/admin/login/")
    tab.get_by_label("Username").fill(username)
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{live_server.url}/admin/")
    return tab


def create_share_link(editor, live_server, page, *, recipient: str) -> str:
    """From the page's editor, through its header's "Share links"; the address shown once."""
    editor.goto(f"{live_server.url}/admin/pages/{page.pk}/edit/")
    actions = editor.get_by_role("navigation", name="Actions", exact=True)
    editor.get_by_role("button", name="Actions", exact=True).click()
    actions.get_by_role("link", name="Share links").click()
    editor.wait_for_url(f"{live_server.url}/admin/sharing/pages/{page.pk}/")
    editor.get_by_role("textbox", name="Recipient").fill(recipient)
    editor.get_by_label("The latest draft, whenever the link is opened").check()
    editor.get_by_role("button", name="Create share link").click()
    return editor.locator("#share-link-url").input_value()


def assert_gone(response, tab):
    assert response.status == 404
    text = tab.content()
    assert HEADLINE not in text
    assert "Marmot-Ledger-4417" not in text
    assert tab.get_by_role("heading", name="This link is not available").is_visible()


def test_editor_shares_a_draft_then_revokes_it(live_server, browser, shared_draft):
    editor = log_in(browser, live_server, "edna")
    url = create_share_link(editor, live_server, shared_draft, recipient="Ines Okafor, lawyer")
    assert url.startswith(f"{live_server.url}/share/")

    outsider = browser.new_context(user_agent=RECIPIENT_BROWSER).new_page()
    response = outsider.goto(url)
    assert response.status == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["x-robots-tag"].startswith("noindex")
    assert response.headers["referrer-policy"] == "no-referrer"
    assert outsider.get_by_role("heading", name=HEADLINE).is_visible()
    assert outsider.get_by_text("Marmot-Ledger-4417").is_visible()
    assert outsider.get_by_text("shared with Ines Okafor, lawyer").is_visible()

    editor.goto(f"{live_server.url}/admin/sharing/pages/{shared_draft.pk}/")
    row = editor.locator("tr", has_text="Ines Okafor, lawyer")
    assert row.locator("[data-share-link-state]").inner_text() == "active"
    row.get_by_role("button", name="Revoke").click()
    row = editor.locator("tr", has_text="Ines Okafor, lawyer")
    assert row.locator("[data-share-link-state]").inner_text() == "revoked"

    assert_gone(outsider.goto(url), outsider)
    history = editor.goto(f"{live_server.url}/admin/pages/{shared_draft.pk}/history/")
    assert history.status == 200
    assert editor.get_by_text("Share link for Ines Okafor, lawyer revoked").is_visible()


def test_an_expired_link_answers_404(live_server, browser, shared_draft):
    editor = log_in(browser, live_server, "edna")
    url = create_share_link(editor, live_server, shared_draft, recipient="Partner desk")
    outsider = browser.new_context(user_agent=RECIPIENT_BROWSER).new_page()
    assert outsider.goto(url).status == 200

    # Its time runs out (as 48 hours later).
    ShareLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    assert_gone(outsider.goto(url), outsider)
    editor.goto(f"{live_server.url}/admin/sharing/pages/{shared_draft.pk}/")
    assert editor.locator("[data-share-link-state]").inner_text() == "expired"
