"""Who may see which article in the admin.

Wagtail lets anyone with a page permission in a section list, preview, compare and read the
history of every page there. In a newsroom a writer's draft is theirs until they submit it:
an article is visible in the admin only to people who may edit it (its owner, with "add";
editors and chiefs, with "change") or who review it at its current workflow step.
"""

from django.db.models import Q, QuerySet

from wagtail.models import Page, TaskState
from wagtail.permission_policies.pages import PagePermissionPolicy

from news.models import ArticlePage


def may_open_in_admin(user, page: Page) -> bool:
    if user.is_superuser or not issubclass(page.specific_class or Page, ArticlePage):
        return True
    if page.permissions_for_user(user).can_edit():
        return True
    task = page.current_workflow_task
    return task is not None and task.specific.user_can_access_editor(page, user)


def _reviewable_page_ids(user) -> list[int]:
    object_ids = TaskState.objects.reviewable_by(user).values_list(
        "workflow_state__object_id", flat=True
    )
    return [int(object_id) for object_id in object_ids]


def visible_in_admin(pages: QuerySet, user) -> QuerySet:
    """`pages` without the articles `user` may neither edit nor review."""
    if user.is_superuser:
        return pages
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    hidden = Q(pk__in=ArticlePage.objects.values("pk")) & ~Q(pk__in=editable.values("pk"))
    return pages.exclude(hidden & ~Q(pk__in=_reviewable_page_ids(user)))


class NewsroomPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page policy, except that the explorer and admin search skip other people's
    articles (registered for all pages in `EditorialConfig.ready`)."""

    def explorable_instances(self, user):
        return visible_in_admin(super().explorable_instances(user), user)
