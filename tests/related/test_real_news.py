"""Real news stories (a labelled subset of AG's news corpus) imported untagged, the way an
archive arrives: the real worker gives each one "Continue reading" on its own topic, never its
own near-copy, and a story published afterwards gets its list too."""

import csv
import io
from collections import Counter
from pathlib import Path

from django.core.management import call_command

import pytest

from news.factories import ArticlePageFactory, paragraphs
from news.models import ArticlePage, RelatedArticle
from tests.polling import wait_for

from .conftest import publish

pytestmark = pytest.mark.django_db(transaction=True)

FIXTURE = Path(__file__).parent / "fixtures" / "ag-news-subset.csv"


def topics() -> dict[str, str]:
    """Import key → AG topic (World, Sports, Business, Sci/Tech) of each story in the file."""
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["topic"] for row in csv.DictReader(handle)}


def import_archive(path: Path) -> None:
    call_command("import_articles", str(path), stdout=io.StringIO())


def every_story_has_suggestions() -> bool:
    return not ArticlePage.objects.published().exclude(related_links__isnull=False).exists()


def shown_keys(article: ArticlePage) -> list[str]:
    """The import keys of the stories under an article's "Continue reading", in order."""
    return [card.import_key for card in article.continue_reading()]


@pytest.fixture
def archive(celery_worker_instance, site_tree):
    """The 100 stories imported with no tags and no authors, once the worker has listed all."""
    import_archive(FIXTURE)
    assert wait_for(every_story_has_suggestions, timeout=120)
    return {page.import_key: page for page in ArticlePage.objects.published()}


def test_a_sports_story_is_followed_mostly_by_sports(archive):
    labels = topics()
    sports = sorted(key for key, topic in labels.items() if topic == "Sports")

    shown = Counter(labels[key] for story in sports for key in shown_keys(archive[story])[:5])

    assert len(sports) == 25
    assert shown["Sports"] > 0.5 * sum(shown.values())
    assert shown["Sports"] > 2 * max(shown[other] for other in ("World", "Business", "Sci/Tech"))


def test_a_near_copy_is_never_suggested_under_its_original_nor_beside_it(
    celery_worker_instance, site_tree, tmp_path
):
    with FIXTURE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    original = next(row for row in rows if row["id"] == "ag-1")  # Allstate and Hurricane Charley
    copy = {
        **original,
        "id": "ag-1-update",
        "title": f"UPDATE 1-{original['title']}",
        "body": original["body"] + " Officials declined to comment.",
        "published_at": original["published_at"].replace("08:37", "09:05"),
    }
    path = tmp_path / "with-copy.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(original))
        writer.writeheader()
        writer.writerows([*rows, copy])
    import_archive(path)
    assert wait_for(every_story_has_suggestions, timeout=120)
    stories = {page.import_key: page for page in ArticlePage.objects.published()}

    assert "ag-1-update" not in shown_keys(stories["ag-1"])
    assert "ag-1" not in shown_keys(stories["ag-1-update"])
    lists_showing_either = [
        shown_keys(page)
        for page in stories.values()
        if {"ag-1", "ag-1-update"} & set(shown_keys(page))
    ]
    assert lists_showing_either  # the story is suggested somewhere…
    assert all({"ag-1", "ag-1-update"} - set(keys) for keys in lists_showing_either)  # …once


def test_a_story_published_after_the_import_gets_suggestions_on_its_topic(archive, site_tree):
    labels = topics()
    article = ArticlePageFactory(
        parent=site_tree["news"],
        draft=True,
        title="Red Sox rally past Yankees as pitcher strikes out ten",
        dek="",
        body=paragraphs(
            ["The Boston Red Sox beat the New York Yankees in baseball on Sunday night, "
             "their pitcher striking out ten as the team moved up the league standings."]
        ),
    )  # fmt: skip
    assert not RelatedArticle.objects.filter(article=article).exists()

    publish(article)

    assert wait_for(lambda: len(shown_keys(article)) >= 5, timeout=60)
    assert Counter(labels[key] for key in shown_keys(article)[:5])["Sports"] >= 3
