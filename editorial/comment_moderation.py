"""Who moderates which reader comments: an editor those on stories in their sections, a chief
every one, and a writer sees (never moderates) those on their own stories.

The groups hold the model permissions (view; change to moderate; delete for chiefs), given by
a data migration; this policy narrows them to the stories the person may edit: the sections
an editor or chief holds "change" on, and a writer's own stories (Wagtail's "add" lets owners
edit theirs). Registered for `readership.Comment` in `EditorialConfig.ready`; the comment
views and bulk actions ask it.
"""

from django.db.models import QuerySet

from wagtail.permission_policies.pages import PagePermissionPolicy

from readership.permissions import CommentPermissionPolicy


def stories_of(user) -> QuerySet:
    """The pages whose comments `user` may see: those they may edit."""
    return PagePermissionPolicy().instances_user_has_permission_for(user, "change")


class NewsroomCommentPermissionPolicy(CommentPermissionPolicy):
    """Readership's rules (nobody writes a comment in the admin), narrowed to the stories the
    person may edit. The one policy registered for comments."""

    def instances_user_has_any_permission_for(self, user, actions):
        comments = super().instances_user_has_any_permission_for(user, actions)
        if user.is_superuser:
            return comments
        return comments.filter(article__in=stories_of(user).values("pk"))

    def covers(self, user, instance) -> bool:
        return user.is_superuser or stories_of(user).filter(pk=instance.article_id).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.covers(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self.covers(user, instance)
