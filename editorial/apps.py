from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """What staff do in the admin: roles and page permissions, workflows, scheduling, the desk
    and its reports, and workflow emails."""

    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from wagtail.models import AbstractPage, Page, get_page_models
        from wagtail.permissions import register_permission_policy

        from editorial.access import NewsroomPagePermissionPolicy
        from editorial.comment_moderation import NewsroomCommentPermissionPolicy
        from editorial.forms import NewsroomPageForm
        from editorial.signals import route_notifications_through_celery
        from readership.models import Comment

        register_permission_policy(AbstractPage, NewsroomPagePermissionPolicy(Page))
        # wagtail.admin sets Page.base_form_class after us; each page type's own attribute wins.
        for model in get_page_models():
            if "base_form_class" not in vars(model):
                model.base_form_class = NewsroomPageForm
        register_permission_policy(Comment, NewsroomCommentPermissionPolicy(Comment))
        route_notifications_through_celery()
