"""Readership in the Wagtail admin: moderation queue, bulk actions, dashboard, views listing."""

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from wagtail.models import GroupPagePermission

import pytest

from news.factories import ArticlePageFactory
from readership.models import ArticleDailyViews, ArticleTotalViews, Comment, Reaction

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator(django_user_model, site_tree):
    """A moderator of the news section's comments (comments are moderated section by section:
    editorial.comment_moderation)."""
    group = Group.objects.create(name="Comment moderators")
    GroupPagePermission.objects.create(
        group=group,
        page=site_tree["news"],
        permission=Permission.objects.get(codename="change_page"),
    )
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="readership", codename__endswith="comment"
        ),
    )
    user = django_user_model.objects.create_user("mod", password="pw")
    user.groups.add(group)
    return user


@pytest.fixture
def comments(article):
    return [
        Comment.objects.create(article=article, name=f"Reader {n}", body=f"Comment body {n}")
        for n in range(3)
    ]


def test_the_queue_lists_pending_comments_escaped_and_filters_by_status(
    client, moderator, article, comments
):
    Comment.objects.create(
        article=article, name="<b>Bold</b>", body="<script>x</script>", status="approved"
    )
    client.force_login(moderator)

    pending = client.get("/admin/snippets/readership/comment/?status=pending")
    assert pending.status_code == 200
    assert [f"Reader {n}" in pending.text for n in range(3)] == [True, True, True]
    assert "&lt;b&gt;Bold&lt;/b&gt;" not in pending.text

    approved = client.get("/admin/snippets/readership/comment/?status=approved")
    assert "&lt;b&gt;Bold&lt;/b&gt;" in approved.text
    assert "<script>x</script>" not in approved.text
    assert "Reader 0" not in approved.text


@pytest.mark.parametrize(
    ("action", "status"), [("approve", "approved"), ("reject", "rejected"), ("spam", "spam")]
)
def test_bulk_moderation(client, moderator, comments, action, status):
    client.force_login(moderator)
    chosen = comments[:2]
    url = f"/admin/bulk/readership/comment/{action}/?" + "&".join(f"id={c.pk}" for c in chosen)

    confirm = client.get(url)
    assert confirm.status_code == 200
    response = client.post(url)

    assert response.status_code == 302
    assert dict(Comment.objects.values_list("name", "status")) == {
        "Reader 0": status,
        "Reader 1": status,
        "Reader 2": "pending",
    }
    assert Comment.objects.get(pk=chosen[0].pk).moderated_by == moderator


def test_bulk_delete(client, moderator, comments):
    client.force_login(moderator)
    url = f"/admin/bulk/readership/comment/delete/?id={comments[0].pk}"
    assert client.post(url).status_code == 302
    assert Comment.objects.count() == 2


def test_an_editor_without_comment_permissions_cannot_moderate(client, django_user_model, comments):
    group = Group.objects.create(name="Comment-less writers")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    writer = django_user_model.objects.create_user("writer")
    writer.groups.add(group)
    client.force_login(writer)

    client.post(f"/admin/bulk/readership/comment/approve/?id={comments[0].pk}")

    assert client.get("/admin/snippets/readership/comment/").status_code == 302
    assert Comment.objects.filter(status="pending").count() == 3
    assert "awaiting moderation" not in client.get("/admin/").text


def test_moderators_see_the_pending_count_on_the_dashboard(client, moderator, comments):
    client.force_login(moderator)
    html = client.get("/admin/").text
    assert "3 comments awaiting moderation" in html


def test_the_dashboard_shows_most_read(client, admin_user, site_tree):
    article = ArticlePageFactory(parent=site_tree["news"], title="Ferry timetable changes")
    ArticleDailyViews.objects.create(article=article, day=timezone.localdate(), views=12)
    client.force_login(admin_user)

    html = client.get("/admin/").text

    assert "Most read" in html
    assert "Ferry timetable changes</a>: 12 views" in html


def test_the_article_views_listing_shows_views_and_reactions(client, admin_user, site_tree):
    popular = ArticlePageFactory(parent=site_tree["news"], title="Popular story")
    quiet = ArticlePageFactory(parent=site_tree["news"], title="Quiet story")
    ArticleTotalViews.objects.create(article=popular, views=4321)
    ArticleTotalViews.objects.create(article=quiet, views=7)
    ArticleDailyViews.objects.create(article=popular, day=timezone.localdate(), views=321)
    Reaction.objects.create(article=popular, visitor="a", kind="informative")
    Reaction.objects.create(article=popular, visitor="b", kind="want_more")
    client.force_login(admin_user)

    response = client.get("/admin/article_views/")

    assert response.status_code == 200
    html = response.text
    assert html.index("Popular story") < html.index("Quiet story")
    assert "4321" in html and "321" in html
    ordered = client.get("/admin/article_views/?ordering=view_count").text
    assert ordered.index("Quiet story") < ordered.index("Popular story")


def test_nobody_adds_a_comment_in_the_admin_and_the_form_cannot_fail_with_500(
    admin_client, site_tree
):
    """A comment needs an article, which only the reader's form on the page gives it."""
    listing = admin_client.get("/admin/snippets/readership/comment/")
    assert listing.status_code == 200
    assert "/admin/snippets/readership/comment/add/" not in listing.content.decode()
    for method in ("get", "post"):
        response = getattr(admin_client, method)(
            "/admin/snippets/readership/comment/add/",
            **(
                {"data": {"status": "approved", "name": "Staff", "body": "Hello"}}
                if method == "post"
                else {}
            ),
        )
        assert response.status_code in (302, 403), (method, response.status_code)
    assert not Comment.objects.exists()
