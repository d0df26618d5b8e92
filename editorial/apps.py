from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self):
        from editorial.notifications import route_notifications_through_celery

        route_notifications_through_celery()
