from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The public search page and its query logic on PostgreSQL, and keeping the index current."""

    name = "search"
    verbose_name = "Search"

    def ready(self):
        from search import signals  # noqa: F401 - connects the receivers
