"""The newsroom: roles installed on a site tree, one account per role, and admin helpers."""

from django.contrib.auth.models import Group, User

from wagtail.models import Collection
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

import pytest

from editorial.newsroom import CHIEF_EDITORS, EDITORS, WRITERS, install_newsroom
from news.factories import ArticlePageFactory, NewsImageFactory, StaffProfilePageFactory

ROLES = {"writer": WRITERS, "writer_b": WRITERS, "editor": EDITORS, "chief": CHIEF_EDITORS}


@pytest.fixture
def newsroom(site_tree):
    """The site tree with the roles and the News desk workflow on the news section.

    Transactional tests flush the tables migrations filled, the root collection included.
    """
    Collection.get_first_root_node() or Collection.add_root(name="Root")
    install_newsroom()
    return site_tree


@pytest.fixture
def staff(newsroom):
    """One user per role, each with a staff profile (so bylines follow the writer)."""
    people = {}
    for username, group in ROLES.items():
        user = User.objects.create_user(
            username, f"{username}@masthead.test", "pw", first_name=username.title()
        )
        user.groups.add(Group.objects.get(name=group))
        StaffProfilePageFactory(parent=newsroom["staff"], title=username.title(), user=user)
        people[username] = user
    return people


def client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def as_role(staff, client):
    """`as_role("writer")` is a test client logged in as that role's account."""
    from django.test import Client

    return lambda role: client_for(Client, staff[role])


def complete_article(news, owner, **kwargs):
    """A draft article owned by `owner` that passes the publication checklist."""
    article = ArticlePageFactory(
        parent=news,
        draft=True,
        owner=owner,
        lead_image=NewsImageFactory(description="Firefighters at the scene"),
        tags=["city"],
        authors=[owner.staff_profile],
        **kwargs,
    )
    article.save_revision(user=owner)
    return article


def edit_form(client, page):
    """The admin edit form of `page` as its user would submit it unchanged.

    The StreamField editor is drawn by JavaScript, so its fields are rebuilt from the latest
    revision's paragraphs, as the browser would post them.
    """
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    return edit_form_data(response.content.decode(), page)


def edit_form_data(html: str, page):
    """The edit form in `html` (an admin edit page of `page`) as a browser would post it."""
    data = querydict_from_html(html, form_id="page-edit-form")
    # A ticked checkbox without a value attribute is posted as "on" by browsers.
    for box in WagtailTestUtils.get_soup(html).select("#page-edit-form input[type=checkbox]"):
        if box.has_attr("checked") and not box.has_attr("value"):
            data[box["name"]] = "on"
    latest = page.specific.get_latest_revision_as_object()
    body = streamfield([("paragraph", rich_text(block.value.source)) for block in latest.body])
    data.update(nested_form_data({"body": body}))
    return data


def submit_for_review(client, page):
    data = edit_form(client, page)
    data["action-submit"] = "Submit"
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def current_task_state(page):
    page.refresh_from_db()
    return page.current_workflow_task_state


def workflow_action(client, page, action, comment=""):
    """Approve or reject the article's current step through the workflow action endpoint."""
    state = current_task_state(page)
    return client.post(
        f"/admin/pages/workflow/action/{page.pk}/{action}/{state.pk}/",
        {"comment": comment},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


@pytest.fixture
def celery_eager(settings):
    """Run tasks in-process when their on-commit callbacks fire (for mail.outbox checks)."""
    from config.celery import app

    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def assert_denied(response):
    """Wagtail refuses with a 403, or with a redirect to the dashboard and a message."""
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
