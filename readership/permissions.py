"""Who may do what to reader comments in the admin."""

from wagtail.permission_policies.base import ModelPermissionPolicy


class CommentPermissionPolicy(ModelPermissionPolicy):
    """Comments come from readers, through the article page: staff moderate, edit and delete
    them, but nobody writes one in the admin (its form has no article to attach it to)."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a != "add"])
