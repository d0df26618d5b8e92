from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Bringing a newsroom's archive in: JSONL, CSV and WordPress exports.

    `manage.py import_articles` turns each story of a file into an article (with its people,
    tags, sources, images, comments and old addresses), one transaction per story, and says
    what it did with every one of them. Nothing here runs while readers read.
    """

    name = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
