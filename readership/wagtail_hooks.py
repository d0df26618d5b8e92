"""Readership in the Wagtail admin: the comment moderation queue with bulk actions, the
article views listing, and the Most read / pending comments dashboard panels."""

from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from news.models import ArticlePage
from readership.admin_views import ArticleViewsIndexView, MostReadPanel, PendingCommentsPanel
from readership.models import Comment


class CommentViewSet(SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = "Comments"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "body", "article", "status", "created_at"]
    list_filter = ["status", "created_at", "article"]
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    search_fields = ["name", "body"]
    copy_view_enabled = False
    inspect_view_enabled = True


register_snippet(CommentViewSet)


class ModerateBulkAction(SnippetBulkAction):
    """Set the status of the selected comments in one statement."""

    models = [Comment]
    status: str
    template_name = "readership/admin/confirm_bulk_moderate.html"

    def check_perm(self, obj):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", obj
        )

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        count = Comment.moderate_many([obj.pk for obj in objects], cls.status, user=user)
        return count, 0

    def get_execution_context(self):
        return {"user": self.request.user}

    def get_success_message(self, num_parent_objects, num_child_objects):
        return ngettext(
            "%(count)d comment marked as %(status)s.",
            "%(count)d comments marked as %(status)s.",
            num_parent_objects,
        ) % {"count": num_parent_objects, "status": Comment.Status(self.status).label.lower()}


@hooks.register("register_bulk_action")
class ApproveBulkAction(ModerateBulkAction):
    display_name = "Approve"
    action_type = "approve"
    aria_label = "Approve selected comments"
    status = Comment.Status.APPROVED
    action_priority = 10


@hooks.register("register_bulk_action")
class RejectBulkAction(ModerateBulkAction):
    display_name = "Reject"
    action_type = "reject"
    aria_label = "Reject selected comments"
    status = Comment.Status.REJECTED
    action_priority = 20


@hooks.register("register_bulk_action")
class SpamBulkAction(ModerateBulkAction):
    display_name = "Spam"
    action_type = "spam"
    aria_label = "Mark selected comments as spam"
    status = Comment.Status.SPAM
    action_priority = 25


class ArticleViewsViewSet(PageListingViewSet):
    model = ArticlePage
    index_view_class = ArticleViewsIndexView
    icon = "view"
    menu_label = "Article views"
    menu_order = 260
    add_to_admin_menu = True
    name = "article_views"


@hooks.register("register_admin_viewset")
def register_article_views():
    return ArticleViewsViewSet()


@hooks.register("construct_homepage_panels")
def add_readership_panels(request, panels):
    panels.append(MostReadPanel())
    if request.user.has_perm("readership.change_comment"):
        panels.append(PendingCommentsPanel(Comment.objects.pending().count()))
