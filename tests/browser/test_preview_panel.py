"""The writer opens the preview panel in the editor: the draft renders inside the editor's
iframe, and Chromium reports no framing violation of the Content Security Policy (the
gravatar images the admin's avatars ask for are another matter, the admin wording's)."""

from django.contrib.auth.models import Group, User

from wagtail.models import Collection

import pytest

from editorial.newsroom import WRITERS, install_newsroom
from news.factories import (
    ArticlePageFactory,
    NewsImageFactory,
    StaffProfilePageFactory,
    paragraphs,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"
SENTINEL = "Heron-Draft-8812"


def test_the_preview_panel_renders_the_draft_inside_the_editor(site_tree, live_server, browser):
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    install_newsroom()
    writer = User.objects.create_user("wren", "wren@masthead.test", PASSWORD)
    writer.groups.add(Group.objects.get(name=WRITERS))
    profile = StaffProfilePageFactory(parent=site_tree["staff"], title="Wren", user=writer)
    story = ArticlePageFactory(
        parent=site_tree["news"],
        draft=True,
        owner=writer,
        title="Heron colony returns to the estuary",
        body=paragraphs([f"The herons came back at dawn. {SENTINEL}"]),
        lead_image=NewsImageFactory(description="Herons on the mudflats"),
        authors=[profile],
    )
    story.save_revision(user=writer)

    context = browser.new_context()
    tab = context.new_page()
    violations = []
    tab.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "frame-ancestors" in message.text or "Framing" in message.text
            else None
        ),
    )
    tab.goto(f"{live_server.url}/admin/login/")
    tab.get_by_label("Username").fill("wren")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.wait_for_url(f"{live_server.url}/admin/")
    tab.goto(f"{live_server.url}/admin/pages/{story.pk}/edit/")

    tab.locator('[data-side-panel-toggle="preview"]').click()

    frame = tab.frame_locator("#w-preview-iframe")
    frame.get_by_text(SENTINEL).wait_for(timeout=20_000)
    assert frame.locator("h1").first.inner_text() == "Heron colony returns to the estuary"
    assert violations == []
    context.close()
