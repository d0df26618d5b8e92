"""Index updates run on a real Celery worker after the commit, never in the editor's request."""

import functools

from wagtail.search.models import IndexEntry

import pytest

from news.factories import ArticlePageFactory, paragraphs
from news.models import ArticlePage
from search.indexing import update_article_index
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def found(client, text) -> list[str]:
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    return [article.title for article in response.context["results"]]


def indexed_titles(text) -> list[str]:
    return sorted(a.title for a in ArticlePage.objects.search(text))


@pytest.fixture
def draft(site_tree):
    return ArticlePageFactory(
        parent=site_tree["news"],
        title="Harbour gala cancelled",
        body=paragraphs(["The organisers blamed the weather."]),
        draft=True,
    )


def test_a_published_article_is_found_once_the_worker_has_indexed_it(
    client, draft, celery_worker_instance
):
    IndexEntry.objects.all().delete()

    draft.save_revision().publish()

    assert wait_for(lambda: found(client, "gala"), ["Harbour gala cancelled"]) == [
        "Harbour gala cancelled"
    ]


def test_an_edited_headline_replaces_the_old_one_in_the_index(
    client, draft, celery_worker_instance
):
    draft.save_revision().publish()
    wait_for(lambda: found(client, "gala"), ["Harbour gala cancelled"])

    article = ArticlePage.objects.get(pk=draft.pk)
    article.title = "Harbour gala postponed"
    article.save_revision().publish()

    assert wait_for(lambda: found(client, "postponed"), ["Harbour gala postponed"]) == [
        "Harbour gala postponed"
    ]
    assert found(client, "cancelled") == []


def test_unpublished_article_leaves_reader_results_at_once_and_the_index_follows(
    client, draft, celery_worker_instance
):
    draft.save_revision().publish()
    wait_for(lambda: found(client, "gala"), ["Harbour gala cancelled"])

    ArticlePage.objects.get(pk=draft.pk).unpublish()

    # Readers' visibility is checked at query time: no wait for the worker.
    assert found(client, "gala") == []
    # The entry stays for the admin's draft search, refreshed by the worker.
    assert wait_for(lambda: indexed_titles("gala"), ["Harbour gala cancelled"]) == [
        "Harbour gala cancelled"
    ]


@pytest.mark.django_db
def test_a_deleted_article_leaves_the_index_in_the_same_request(draft):
    draft.save_revision().publish()
    update_article_index(draft.pk)
    assert IndexEntry.objects.filter(object_id=str(draft.pk)).exists()

    ArticlePage.objects.get(pk=draft.pk).delete()

    assert not IndexEntry.objects.filter(object_id=str(draft.pk)).exists()


def enqueued_index_updates(callbacks) -> list[int]:
    return [
        callback.args[0][0]
        for callback in callbacks
        if isinstance(callback, functools.partial)
        and getattr(getattr(callback.func, "__self__", None), "name", "")
        == "search.update_article_index"
    ]


@pytest.mark.django_db
def test_publishing_enqueues_one_update_and_saving_a_draft_none(
    draft, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as on_publish:
        draft.save_revision().publish()
    article = ArticlePage.objects.get(pk=draft.pk)
    article.title = "Harbour gala: a draft headline"
    with django_capture_on_commit_callbacks() as on_draft_save:
        article.save_revision()

    assert enqueued_index_updates(on_publish) == [draft.pk]
    assert enqueued_index_updates(on_draft_save) == []
