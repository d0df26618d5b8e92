"""Readership in the Wagtail admin: the comment moderation queue with bulk actions, the
article views listing, and the Most read / pending comments dashboard panels."""

from django.http import Http404
from django.utils.translation import ngettext

from wagtail import hooks
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.snippets import SnippetViewSet

from news.models import ArticlePage
from readership.admin_views import ArticleViewsIndexView, MostReadPanel, PendingCommentsPanel
from readership.models import Comment


class InScope:
    """A comment outside what the registered permission policy gives the user for `scope`
    (editorial.comment_moderation: the stories they may edit) is a 404."""

    scope = ["view", "change"]

    def get_object(self, *args, **kwargs):
        comment = super().get_object(*args, **kwargs)
        policy = policy_registry.get_by_type(Comment)
        if not policy.user_has_any_permission_for_instance(self.request.user, self.scope, comment):
            raise Http404("No such comment.")
        return comment


class CommentIndexView(snippet_views.IndexView):
    def get_base_queryset(self):
        return policy_registry.get_by_type(Comment).instances_user_has_any_permission_for(
            self.request.user, ["view", "change"]
        )


class CommentEditView(InScope, snippet_views.EditView):
    scope = ["change"]


class CommentDeleteView(InScope, snippet_views.DeleteView):
    scope = ["delete"]


class CommentInspectView(InScope, snippet_views.InspectView):
    pass


class CommentHistoryView(InScope, snippet_views.HistoryView):
    pass


class CommentUsageView(InScope, snippet_views.UsageView):
    pass


class CommentViewSet(SnippetViewSet):
    model = Comment
    index_view_class = CommentIndexView
    edit_view_class = CommentEditView
    delete_view_class = CommentDeleteView
    inspect_view_class = CommentInspectView
    history_view_class = CommentHistoryView
    usage_view_class = CommentUsageView
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
        mine = policy_registry.get_by_type(Comment).instances_user_has_permission_for(
            request.user, "change"
        )
        panels.append(PendingCommentsPanel(mine.pending().count()))
