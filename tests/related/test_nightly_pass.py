"""The nightly pass scores whole batches at once and stores exactly what one-by-one recomputes
would, once, whatever runs beside it."""

from django.utils import timezone

import pytest

from news import related, tasks
from news.factories import StaffProfilePageFactory
from news.models import (
    ArticleByline,
    ArticlePage,
    RelatedArticle,
    RelatedExclusion,
    RelatedPass,
    RelatedPin,
)
from tests.polling import wait_for

from .conftest import publish

pytestmark = pytest.mark.django_db(transaction=True)


def every_list() -> dict[int, list[tuple[int, float, str]]]:
    """Every stored list as (suggested id, score, reason) in rank order, by article."""
    lists: dict[int, list[tuple[int, float, str]]] = {}
    for article_id, related_id, score, reason in RelatedArticle.objects.order_by(
        "article_id", "rank"
    ).values_list("article_id", "related_id", "score", "reason"):
        lists.setdefault(article_id, []).append((related_id, score, reason))
    return lists


def pass_is_done() -> bool:
    return RelatedPass.objects.filter(phase=RelatedPass.Phase.DONE).exists()


def run_nightly_pass(*, batch_size: int, runs: int = 1) -> None:
    """Start the pass `runs` times at once (as two beats would) and wait for the worker."""
    RelatedPass.objects.all().delete()
    tasks.NIGHTLY_BATCH = batch_size
    try:
        for _ in range(runs):
            tasks.recompute_all_related.delay()
        assert wait_for(pass_is_done, timeout=60)
    finally:
        tasks.NIGHTLY_BATCH = 500


@pytest.fixture
def newsroom(celery_worker_instance, write, site_tree):
    """Nine stories on three topics from two reporters, some tagged, with a pin and an
    exclusion; every list computed by the publish path and the worker idle."""
    reporters = [StaffProfilePageFactory(parent=site_tree["staff"]) for _ in range(2)]
    stories = []
    for number, (topic, variant) in enumerate(
        (topic, variant) for variant in range(3) for topic in ("volcano", "football", "budget")
    ):
        article = write(topic, variant, slug=f"{topic}-{variant}", draft=True)
        article.bylines.add(ArticleByline(profile=reporters[number % 2]))
        if variant < 2:
            article.tags.add(topic)
        stories.append(publish(article))
    lava, _, budget = stories[:3]
    lava.related_pins.add(RelatedPin(related=budget))
    lava.related_exclusions.add(RelatedExclusion(related=stories[3]))
    stories[0] = publish(lava)
    wait_for(lambda: len(every_list()) == len(stories))
    assert wait_for(lambda: tasks_left() == 0)
    return stories


def tasks_left() -> int:
    from config.celery import app

    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return sum(client.llen(queue) for queue in ("default", "bulk"))


def test_the_batched_pass_stores_what_one_by_one_recomputes_store(newsroom):
    for article in newsroom:
        related.recompute_list(article_id=article.pk)
    one_by_one = every_list()
    RelatedArticle.objects.all().delete()

    run_nightly_pass(batch_size=4)

    assert every_list() == one_by_one
    assert len(one_by_one) == len(newsroom)
    lava_list = one_by_one[newsroom[0].pk]
    assert lava_list[0] == (newsroom[2].pk, 1.0, "pinned")
    assert newsroom[3].pk not in [related_id for related_id, _, _ in lava_list]


def test_running_the_pass_twice_and_twice_at_once_stores_the_same_lists(newsroom):
    run_nightly_pass(batch_size=4)
    once = every_list()

    run_nightly_pass(batch_size=4)
    assert every_list() == once
    run_nightly_pass(batch_size=4, runs=2)
    assert every_list() == once
    assert wait_for(lambda: tasks_left() == 0)
    assert RelatedArticle.objects.count() == sum(len(items) for items in once.values())


def test_drafts_and_stories_unpublished_behind_its_back_never_appear(newsroom, write):
    draft = write("volcano", 1, slug="volcano-draft", draft=True)
    gone = newsroom[6]  # a volcano story, in other lists
    assert RelatedArticle.objects.filter(related=gone).exists()
    # Unpublished without a signal (as if its task were lost): the pass must notice.
    ArticlePage.objects.filter(pk=gone.pk).update(live=False)

    run_nightly_pass(batch_size=4)

    listed = set(RelatedArticle.objects.values_list("related_id", flat=True))
    assert draft.pk not in listed
    assert gone.pk not in listed
    assert not RelatedArticle.objects.filter(article_id__in=[draft.pk, gone.pk]).exists()
    assert set(every_list()) == {a.pk for a in newsroom} - {gone.pk}


def test_a_list_stored_by_a_publish_during_the_pass_is_not_overwritten(newsroom):
    dome = newsroom[6]
    budget = newsroom[2]
    started = timezone.now()
    stale = related.compute_lists(article_ids=[dome.pk])  # the pass read dome's list here
    assert stale[dome.pk][0].reason != "pinned"

    dome.related_pins.add(RelatedPin(related=budget))
    publish(dome)
    pinned = (budget.pk, 1.0, "pinned")
    assert wait_for(lambda: every_list().get(dome.pk, [None])[0], pinned) == pinned
    fresh = every_list()[dome.pk]

    related.replace_lists(lists=stale, computed_at=started)  # the pass writes its batch

    assert every_list()[dome.pk] == fresh
