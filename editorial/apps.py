from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from wagtail.models import AbstractPage, Page
        from wagtail.permissions import register_permission_policy

        from editorial import signals  # noqa: F401 - connects the receivers
        from editorial.access import NewsroomPagePermissionPolicy
        from editorial.notifications import route_notifications_through_celery

        register_permission_policy(AbstractPage, NewsroomPagePermissionPolicy(Page))
        route_notifications_through_celery()
