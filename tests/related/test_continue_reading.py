"""Publishing, unpublishing and editors' picks keep "Continue reading" right, via a real worker."""

from django.db.models import Q
from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from news.models import ArticlePage, RelatedArticle, RelatedExclusion, RelatedPin
from news.related import RELATED_COUNT
from tests.polling import wait_for

from .conftest import publish

pytestmark = pytest.mark.django_db(transaction=True)


def stored(article: ArticlePage) -> list[tuple[str, str]]:
    """An article's stored list as (headline, reason), in rank order."""
    return [
        (title, reason)
        for title, reason in RelatedArticle.objects.filter(article=article)
        .order_by("rank")
        .values_list("related__title", "reason")
    ]


def settled():
    """True once nothing is left queued for the worker (the default queue is empty)."""
    from config.celery import app

    with app.connection_for_write() as conn:
        return conn.default_channel.client.llen("default") == 0


def test_publishing_fills_its_list_and_its_neighbours(celery_worker_instance, write):
    lava = write("volcano", 0)
    match = write("football", 0)
    wait_for(lambda: stored(lava), [(match.title, "fallback")])

    ash = write("volcano", 1)

    expected = [(lava.title, "scored"), (match.title, "fallback")]
    assert wait_for(lambda: stored(ash), expected) == expected
    expected = [(ash.title, "scored"), (match.title, "fallback")]
    assert wait_for(lambda: stored(lava), expected) == expected
    expected = [(ash.title, "fallback"), (lava.title, "fallback")]
    assert wait_for(lambda: stored(match), expected) == expected


def test_unpublishing_removes_it_from_every_list_at_once(celery_worker_instance, write):
    lava = write("volcano", 0)
    ash = write("volcano", 1)
    dome = write("volcano", 2)
    wait_for(lambda: len(stored(lava)) == 2 and len(stored(ash)) == 2 and len(stored(dome)) == 2)

    lava.unpublish()

    assert not RelatedArticle.objects.filter(Q(related=lava) | Q(article=lava)).exists()
    expected = [(dome.title, "scored")]
    assert wait_for(lambda: stored(ash), expected) == expected
    expected = [(ash.title, "scored")]
    assert wait_for(lambda: stored(dome), expected) == expected
    assert stored(lava) == []


def test_expiry_takes_it_off_pages_before_the_scheduler_and_out_of_lists_after(
    celery_worker_instance, write, client
):
    from editorial.scheduling import run_schedule

    lava = write("volcano", 0)
    ash = write("volcano", 1)
    expected = [(ash.title, "scored")]
    assert wait_for(lambda: stored(lava), expected) == expected
    ArticlePage.objects.filter(pk=ash.pk).update(expire_at=timezone.now())

    assert lava.continue_reading() == []
    run_schedule()
    assert not RelatedArticle.objects.filter(related=ash).exists()
    assert stored(lava) == []


def test_never_suggests_drafts_embargoed_expired_or_private_stories(celery_worker_instance, write):
    write("budget", 0, draft=True)
    embargoed = write("budget", 1, draft=True)
    embargoed.go_live_at = timezone.now() + timezone.timedelta(days=1)
    embargoed.save_revision(approved_go_live_at=embargoed.go_live_at)
    private = write("budget", 2)
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    expired = write("budget", 0, slug="expired-budget")
    ArticlePage.objects.filter(pk=expired.pk).update(expire_at=timezone.now())
    visible = write("budget", 1, slug="visible-budget")

    reader = write("budget", 2, slug="reader-budget")

    expected = [(visible.title, "scored")]
    assert wait_for(lambda: stored(reader), expected) == expected
    expected = [(reader.title, "scored")]
    assert wait_for(lambda: stored(visible), expected) == expected
    assert wait_for(settled)
    suggested = set(RelatedArticle.objects.values_list("related_id", flat=True))
    assert suggested == {visible.pk, reader.pk}


def test_pins_come_first_and_exclusions_are_never_shown(celery_worker_instance, write):
    lava = write("volcano", 0)
    ash = write("volcano", 1)
    match = write("football", 0)
    budget = write("budget", 0)
    dome = write("volcano", 2)
    expected = sorted([ash.title, lava.title])
    assert wait_for(lambda: sorted(title for title, _ in stored(dome)[:2]), expected) == expected

    dome.related_pins.add(RelatedPin(related=budget))
    dome.related_exclusions.add(RelatedExclusion(related=ash))
    publish(dome)

    expected = [(budget.title, "pinned"), (lava.title, "scored"), (match.title, "fallback")]
    assert wait_for(lambda: stored(dome), expected) == expected

    budget.unpublish()
    assert stored(dome) == [(lava.title, "scored"), (match.title, "fallback")]
    publish(budget)
    expected = [(budget.title, "pinned")]
    assert wait_for(lambda: stored(dome)[:1], expected) == expected


def test_the_nightly_pass_rebuilds_every_list_in_batches(celery_worker_instance, write, settings):
    from news import tasks
    from news.models import ArticleTerms

    stories = [write(topic, variant) for topic in ("volcano", "budget") for variant in range(3)]
    wait_for(lambda: all(len(stored(article)) == 5 for article in stories))
    assert wait_for(settled)
    before = {article.pk: stored(article) for article in stories}
    RelatedArticle.objects.all().delete()
    ArticleTerms.objects.all().delete()

    tasks.NIGHTLY_BATCH = 2
    try:
        tasks.recompute_all_related.delay()
        assert wait_for(lambda: {a.pk: stored(a) for a in stories}, before) == before
    finally:
        tasks.NIGHTLY_BATCH = 500
    assert RelatedArticle.objects.count() == len(stories) * 5 < len(stories) * RELATED_COUNT


def test_making_a_story_private_takes_it_out_of_lists_and_lifting_it_brings_it_back(
    celery_worker_instance, write
):
    lava = write("volcano", 0)
    ash = write("volcano", 1)
    expected = [(ash.title, "scored")]
    assert wait_for(lambda: stored(lava), expected) == expected

    restriction = PageViewRestriction.objects.create(
        page=ash, restriction_type=PageViewRestriction.LOGIN
    )

    assert stored(lava) == []
    assert stored(ash) == []
    restriction.delete()
    assert wait_for(lambda: stored(lava), expected) == expected


def test_recomputing_one_list_twice_at_once_stores_it_once(write):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from news import related

    stories = [write(topic, variant) for topic in ("volcano", "budget") for variant in range(3)]
    for article in stories:
        related.index_article(article=article)

    def recompute(_):
        try:
            return related.recompute_list(article_id=stories[0].pk)[0]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(recompute, range(2))

    assert first == second
    assert [
        pk for (pk,) in RelatedArticle.objects.filter(article=stories[0]).values_list("related_id")
    ] == [s.related_id for s in first]
    assert len(first) == 5
