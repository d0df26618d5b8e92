"""Route anonymous readers' reads to a replica, when one is configured.

Editors (any request with a session cookie), every write, every non-GET request, Celery tasks
and management commands use the primary, so a person who changed something always reads it
back. The replica is only ever read through this router.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

REPLICA = "replica"
_reads_from_replica: ContextVar[bool] = ContextVar("reads_from_replica", default=False)

# Read right after a write by the same request (Wagtail renders an image rendition on first view
# and reads it back), so a lagging replica would miss the row just written.
PRIMARY_ONLY_MODELS = {"news.NewsRendition", "wagtailimages.Rendition"}


@contextmanager
def reading_from_replica(enabled: bool = True):
    token = _reads_from_replica.set(enabled and REPLICA in settings.DATABASES)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


class ReaderReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and model._meta.label not in PRIMARY_ONLY_MODELS:
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
