"""A reader counts a view, reacts and comments; a moderator approves; the comment appears."""

import re

from django.contrib.auth import get_user_model

import pytest
from playwright.sync_api import expect

from news.factories import ArticlePageFactory
from readership import counting
from readership.models import ArticleTotalViews, Comment, Reaction
from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Headless Chromium announces itself as "HeadlessChrome", which crawlerdetect rightly calls a
# bot; the reader in this test presents an ordinary desktop Chrome user agent.
READER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "user_agent": READER_UA}


def test_reader_views_reacts_and_comments_and_a_moderator_approves(
    live_server, page, site_tree, redis_client, axe, settings
):
    settings.READERSHIP_COMMENT_MIN_SECONDS = 1
    article = ArticlePageFactory(parent=site_tree["news"], title="Night buses return to the valley")
    ArticleTotalViews.objects.create(article=article, views=41)
    get_user_model().objects.create_superuser("chief", "chief@example.com", "a-long-test-password")
    url = f"{live_server.url}{article.url}"

    # The view: the beacon answers the fresh total and the page shows it in place.
    page.goto(url)
    expect(page.locator("[data-view-count]")).to_have_text("42")
    assert redis_client.hget(counting.BUFFER, article.pk) == b"1"
    assert_no_axe_violations(axe, page)

    # The reaction: counts appear after voting, without leaving the page.
    page.get_by_role("button", name="Informative", exact=True).click()
    expect(page.locator("[data-reaction-results]")).to_contain_text("Informative: 1 (your choice)")
    assert list(Reaction.objects.values_list("kind", flat=True)) == ["informative"]

    # The comment: a plain form post, pending until approved.
    expect(page.get_by_text("No comments yet. Be the first to comment!")).to_be_visible()
    page.get_by_label("Name").fill("Morgan")
    page.get_by_label("Email (optional)").fill("morgan@example.com")
    page.get_by_role("textbox", name="Comment").fill(
        "The 2 a.m. bus & the 3 a.m. one <3 are a lifeline for shift workers."
    )
    page.wait_for_timeout(1100)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments-status")).to_have_text(
        "Thank you! Your comment is awaiting moderation."
    )
    expect(page.get_by_text("lifeline for shift workers")).to_have_count(0)
    assert Comment.objects.get().status == "pending"

    # The moderator approves it from the queue with a bulk action.
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    expect(page.get_by_text("1 comment awaiting moderation")).to_be_visible()
    page.get_by_text("1 comment awaiting moderation").click()
    page.wait_for_load_state("networkidle")  # the bulk-action controller is connected
    page.get_by_role("checkbox", name=re.compile("Select")).last.check()
    approve = page.get_by_role("link", name="Approve selected comments")
    expect(approve).to_be_visible()
    approve.click()
    page.wait_for_url(re.compile(r"/admin/bulk/readership/comment/approve/"))
    page.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("1 comment marked as approved.")).to_be_visible()
    assert Comment.objects.get().status == "approved"

    # Back on the story, the comment is there, as text.
    page.goto(url)
    comment = page.locator(".comment__body")
    expect(comment).to_have_text(
        "The 2 a.m. bus & the 3 a.m. one <3 are a lifeline for shift workers."
    )
    expect(page.get_by_text("morgan@example.com")).to_have_count(0)
    assert_no_axe_violations(axe, page)
