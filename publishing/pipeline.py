"""Every follow-up step of a publish or unpublish, listed once.

A publication commits first and hands its follow-up work to Celery afterwards. `STEPS` is the
one list of that work; `follow_up()` runs it. The page_published / page_unpublished receivers
(publishing/signals.py) call it, and so does the broker-outage recovery
(publishing/recovery.py), so a step added here is redone after an outage without anyone
remembering to list it twice.

Each step is a small function of the `Publication`. Whatever a step enqueues goes to the broker
on commit (`delay_on_commit`), never inside the open transaction, so a worker never reads the
state from before the publication. Steps are idempotent: running them again costs time, not
correctness.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from wagtail.models import Page

from editorial.tasks import send_publication_emails
from news import listing_counts, navigation, related, sections
from news.models import ArticlePage
from news.purging import purge_pages_showing
from news.tasks import drain_related_queue, recompute_related_lists
from search.tasks import update_article_index_task


@dataclass(frozen=True)
class Publication:
    """One publish (`live`) or unpublish of `page` (its specific instance)."""

    page: Page
    live: bool
    # Publication log entries written at or after this moment belong to this publication (the
    # emails find them after commit: Wagtail writes its log entry after page_published).
    since: datetime = field(default_factory=timezone.now)

    @property
    def is_article(self) -> bool:
        return isinstance(self.page, ArticlePage)


Step = Callable[[Publication], None]


def forget_listing_counts(publication: Publication) -> None:
    listing_counts.start_new_generation()


def forget_sections(publication: Publication) -> None:
    if sections.is_section(publication.page):
        sections.forget_sections()


def forget_menu(publication: Publication) -> None:
    """The header's sections (news.navigation): a section or home page going live or away."""
    if navigation.may_change_menu(publication.page):
        navigation.forget_menu()


def purge_pages(publication: Publication) -> None:
    """Our page cache and the CDN: the page, its listings, feeds and sitemaps."""
    purge_pages_showing(publication.page)


def update_search_index(publication: Publication) -> None:
    # Once per transaction: the save inside the publish has usually enqueued it already
    # (search/signals.py), and the recovery has no save to rely on.
    if publication.is_article:
        update_article_index_task.delay_on_commit_once(publication.page.pk)


def update_related_lists(publication: Publication) -> None:
    """Publish: the article is queued for its "Continue reading" list, then its neighbours'. Unpublish: it
    leaves every list now, and the lists it left are recomputed after commit."""
    if not publication.is_article:
        return
    if publication.live:
        # Queued in this transaction (survives a lost message), drained in batches after it.
        related.queue_refresh(article_ids=[publication.page.pk])
        drain_related_queue.delay_on_commit()
    else:
        recompute_related_lists.delay_on_commit(
            related.withdraw_article(article_id=publication.page.pk)
        )


def email_publication(publication: Publication) -> None:
    """The owner and bylined staff hear of it; keyed by log entry, so never twice."""
    if publication.live:
        send_publication_emails.delay_on_commit(publication.page.pk, publication.since.isoformat())


# In this order: the caches are forgotten first, because the work enqueued after them reads
# those caches once it runs (after commit).
STEPS: list[Step] = [
    forget_listing_counts,
    forget_sections,
    forget_menu,
    purge_pages,
    update_search_index,
    update_related_lists,
    email_publication,
]


def follow_up(publication: Publication) -> None:
    """Run every step of a publication's follow-up work (inside its transaction)."""
    for step in STEPS:
        step(publication)
