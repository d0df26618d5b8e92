"""`manage.py rebuild_search_index`: batches, stale entries, authors indexed without N+1."""

from io import StringIO

from django.core.management import CommandError, call_command

from wagtail.search.models import IndexEntry

import pytest

from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def titles_found(text):
    return sorted(a.title for a in ArticlePage.objects.published().search(text))


def test_rebuild_restores_a_wiped_index_in_batches(publish, profile):
    rivera = profile("Ana Rivera")
    for n in range(5):
        publish(f"Harbour report {n}", authors=[rivera])
    IndexEntry.objects.all().delete()
    assert titles_found("harbour") == []

    out = StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", "-v", "2", stdout=out)

    assert titles_found("harbour") == [f"Harbour report {n}" for n in range(5)]
    assert len(titles_found("rivera")) == 5
    lines = out.getvalue().splitlines()
    assert lines[:3] == ["  news.ArticlePage: 2", "  news.ArticlePage: 4", "  news.ArticlePage: 5"]
    assert lines[3].startswith("news.ArticlePage: 5 indexed in ")
    assert lines[-1].startswith("news.StaffProfilePage: 1 indexed in ")


def test_rebuild_drops_entries_of_deleted_articles(publish):
    kept = publish("Harbour report kept")
    gone = publish("Harbour report gone")
    ArticlePage.objects.filter(pk=gone.pk)._raw_delete(using="default")  # no signals: entry stays
    assert IndexEntry.objects.filter(object_id=str(gone.pk)).exists()

    call_command("rebuild_search_index", "--model", "news.ArticlePage", stdout=StringIO())

    assert list(
        IndexEntry.objects.values_list("object_id", flat=True).filter(
            content_type__model="articlepage"
        )
    ) == [str(kept.pk)]


def test_rebuild_indexes_authors_in_a_fixed_number_of_queries(
    publish, profile, django_assert_max_num_queries
):
    people = [profile(f"Reporter {n}") for n in range(3)]
    for n in range(12):
        publish(f"Harbour report {n}", authors=people[: 1 + n % 3], tags=["port"])

    with django_assert_max_num_queries(20):
        call_command(
            "rebuild_search_index",
            "--model",
            "news.ArticlePage",
            "--batch-size",
            "100",
            stdout=StringIO(),
        )


@pytest.mark.parametrize(
    "args", [["--batch-size", "0"], ["--model", "news.Nope"], ["--model", "x"]]
)
def test_bad_arguments_are_refused(args):
    with pytest.raises(CommandError):
        call_command("rebuild_search_index", *args, stdout=StringIO())
