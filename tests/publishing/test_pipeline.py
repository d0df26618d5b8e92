"""One list of follow-up steps: the publish, the unpublish and the broker-outage recovery all
run it, and the recovery hands its work to the broker only once its transaction commits."""

import json
from datetime import timedelta

from django.db import connection
from django.utils import timezone

import pytest

from config.celery import app
from editorial.models import PublishFollowUp
from news import related
from news.factories import ArticlePageFactory
from news.models import ArticlePage
from publishing import pipeline, recovery
from tests.related.conftest import story


@pytest.fixture
def fake_step(monkeypatch):
    """A follow-up step someone adds to the pipeline; it records each publication it sees."""
    seen = []

    def record_publication(publication: pipeline.Publication) -> None:
        seen.append((publication.page.pk, publication.live))

    monkeypatch.setattr(pipeline, "STEPS", [*pipeline.STEPS, record_publication])
    return seen


def queued_tasks(redis_client) -> list[str]:
    return sorted(
        json.loads(raw)["headers"]["task"]
        for queue in app.conf.task_queues
        for raw in redis_client.lrange(queue.name, 0, -1)
    )


def a_moment_after_the_grace_period():
    return timezone.now() + recovery.grace_period() + timedelta(seconds=1)


@pytest.mark.django_db
def test_a_step_added_to_the_pipeline_runs_on_publish_and_unpublish(
    site_tree, fake_step, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=site_tree["news"], draft=True, **story("volcano", 0))
    assert fake_step == []

    article.save_revision().publish()
    ArticlePage.objects.get(pk=article.pk).unpublish()

    assert fake_step == [(article.pk, True), (article.pk, False)]


@pytest.mark.django_db
def test_a_step_added_to_the_pipeline_runs_when_recovery_redoes_a_lost_publication(
    site_tree, fake_step, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=site_tree["news"], draft=True, **story("volcano", 0))
    # The broker lost everything the publish sent: nothing ran after the commit.
    with django_capture_on_commit_callbacks(execute=False):
        article.save_revision().publish()
    fake_step.clear()
    assert PublishFollowUp.objects.filter(page_id=article.pk).exists()

    assert recovery.reconcile(now=a_moment_after_the_grace_period()) == [article.pk]

    assert fake_step == [(article.pk, True)]
    assert not PublishFollowUp.objects.filter(page_id=article.pk).exists()
    # Nothing left to redo: a second run does not run the step again.
    assert recovery.reconcile(now=a_moment_after_the_grace_period()) == []
    assert fake_step == [(article.pk, True)]


@pytest.mark.django_db
def test_recovery_does_not_redo_a_publication_since_withdrawn(
    site_tree, fake_step, django_capture_on_commit_callbacks
):
    article = ArticlePageFactory(parent=site_tree["news"], draft=True, **story("volcano", 0))
    with django_capture_on_commit_callbacks(execute=False):
        article.save_revision().publish()
    ArticlePage.objects.get(pk=article.pk).unpublish()
    fake_step.clear()

    recovery.reconcile(now=a_moment_after_the_grace_period())

    assert fake_step == []
    assert not PublishFollowUp.objects.filter(page_id=article.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_recovery_enqueues_nothing_before_its_transaction_commits(site_tree, redis_client):
    """Against the real broker: while the recovery's transaction is open (a last step looks),
    no message has reached any queue; once it commits, the whole follow-up is queued."""
    earlier = ArticlePageFactory(parent=site_tree["news"], draft=True, **story("volcano", 1))
    earlier.save_revision().publish()
    related.refresh_article(article_id=earlier.pk)  # a neighbour, whose list would follow
    PublishFollowUp.objects.filter(page_id=earlier.pk).delete()  # its follow-up went through
    article = ArticlePageFactory(parent=site_tree["news"], draft=True, **story("volcano", 0))
    article.save_revision().publish()
    redis_client.flushdb()  # the broker lost the publication's messages; its marker waits
    queued_while_open = []

    def look_at_the_broker(publication):
        assert connection.in_atomic_block
        queued_while_open.append(queued_tasks(redis_client))

    pipeline.STEPS.append(look_at_the_broker)
    try:
        done = recovery.reconcile(now=a_moment_after_the_grace_period())
    finally:
        pipeline.STEPS.remove(look_at_the_broker)

    assert done == [article.pk]
    assert queued_while_open == [[]]
    assert queued_tasks(redis_client) == [
        "editorial.send_publication_emails",
        "news.drain_related_queue",
        "news.purge_cached_paths",
        "search.update_article_index",
    ]
