"""Where a member of staff starts a new story, and what they may create in a section.

A writer starts in the section of their last story (or the top news section); the dashboard
and each section's listing offer "New article" straight to the form. Sections themselves are
the desk's: creating one takes the right to edit the section it goes in (editors, chiefs).
"""

from django.urls import reverse

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from news.models import ArticlePage, NewsIndexPage


def sections_to_write_in(user) -> list[NewsIndexPage]:
    """The sections `user` may add a story to, top section first, then in tree order."""
    allowed = PagePermissionPolicy().instances_user_has_permission_for(user, "add")
    return list(NewsIndexPage.objects.filter(pk__in=allowed.values("pk")).order_by("path"))


def default_section(user, sections: list[NewsIndexPage] | None = None) -> NewsIndexPage | None:
    """The section of the story `user` last worked on, if they may still write there; else
    the top one they may write in."""
    sections = sections_to_write_in(user) if sections is None else sections
    if not sections:
        return None
    last_story = (
        ArticlePage.objects.filter(owner=user)
        .order_by("-latest_revision_created_at", "-pk")
        .only("path", "depth")
        .first()
    )
    if last_story is not None:
        parent_path = last_story.path[: -Page.steplen]
        for section in sections:
            if section.path == parent_path:
                return section
    return min(sections, key=lambda section: (section.depth, section.path))


def new_article_url(section: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=["news", "articlepage", section.pk])


def may_create(user, *, parent: Page, page_model: type[Page]) -> bool:
    """Whether `user` may create a `page_model` under `parent`: a section needs the right to
    edit the section it goes in; anything else, Wagtail's "add"."""
    if issubclass(page_model, NewsIndexPage):
        return parent.permissions_for_user(user).can_edit()
    return True
