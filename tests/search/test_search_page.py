"""The public search page on real PostgreSQL full text: ranking, filters, snippets, visibility."""

import datetime as dt
import re

from django.utils import timezone

from wagtail.models import PageViewRestriction

import pytest

from tests.search.conftest import days_ago

pytestmark = pytest.mark.django_db


def result_titles(response) -> list[str]:
    return [article.title for article in response.context["results"]]


def search(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    return response


@pytest.fixture
def corpus(publish, profile):
    """A small fixed newsroom: one word ("harbour") placed in each field in turn."""
    rivera = profile("Ana Rivera")
    return {
        "headline": publish(
            "Harbour bridge reopens after repairs",
            dek="Traffic returns to the old crossing.",
            body=["Engineers finished the work a week early."],
            first_published_at=days_ago(3),
        ),
        "dek": publish(
            "Ferry timetable changes in spring",
            dek="Fewer sailings from the harbour on Sundays.",
            body=["The operator blamed staff shortages."],
            first_published_at=days_ago(2),
        ),
        "body": publish(
            "Council approves the annual budget",
            dek="Spending rises on schools and roads.",
            body=["A late amendment funds dredging at the harbour mouth."],
            first_published_at=days_ago(1),
            authors=[rivera],
        ),
        "phrase": publish(
            "City marathon route announced",
            dek="Runners will pass the town hall.",
            body=["The new route avoids the bridge and has no harbour views this year."],
            first_published_at=days_ago(10),
            tags=["sport"],
        ),
        "rivera": rivera,
    }


def test_headline_match_outranks_dek_which_outranks_body(client, corpus):
    response = search(client, q="harbour")

    titles = result_titles(response)
    assert titles[:2] == [
        "Harbour bridge reopens after repairs",
        "Ferry timetable changes in spring",
    ]
    # Two body matches of equal weight: their order is the tie-break, not asserted.
    assert sorted(titles[2:]) == [
        "City marathon route announced",
        "Council approves the annual budget",
    ]
    assert response.context["results"].paginator.count == 4


def test_all_words_are_required_and_stemmed(client, corpus):
    response = search(client, q="harbours bridges")

    assert result_titles(response) == [
        "Harbour bridge reopens after repairs",
        "City marathon route announced",
    ]


def test_quoted_phrase_matches_words_in_order_only(client, corpus):
    assert result_titles(search(client, q='"harbour bridge"')) == [
        "Harbour bridge reopens after repairs"
    ]
    assert result_titles(search(client, q='"bridge harbour"')) == []


def test_author_name_and_tag_are_searchable(client, corpus):
    assert result_titles(search(client, q="rivera")) == ["Council approves the annual budget"]
    assert result_titles(search(client, q="sport")) == ["City marathon route announced"]


def test_newest_first_sort(client, corpus):
    response = search(client, q="harbour", sort="newest")

    assert result_titles(response) == [
        "Council approves the annual budget",
        "Ferry timetable changes in spring",
        "Harbour bridge reopens after repairs",
        "City marathon route announced",
    ]


def test_filters_by_tag_author_and_dates(client, corpus):
    assert result_titles(search(client, q="harbour", tag="sport")) == [
        "City marathon route announced"
    ]
    assert result_titles(search(client, q="harbour", author=corpus["rivera"].slug)) == [
        "Council approves the annual budget"
    ]
    from_day = (timezone.localdate() - dt.timedelta(days=3)).isoformat()
    to_day = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    assert result_titles(
        search(client, q="harbour", published_from=from_day, published_to=to_day)
    ) == ["Harbour bridge reopens after repairs", "Ferry timetable changes in spring"]


@pytest.mark.parametrize(
    "params",
    [
        {"tag": "no-such-tag"},
        {"author": "nobody"},
        {"published_from": "yesterday"},
        {"published_to": "2026-02-31"},
        {"published_from": "99999-01-01"},
        {"sort": "random()"},
    ],
)
def test_bad_filter_values_are_ignored_with_a_message(client, corpus, params):
    response = search(client, q="harbour", **params)

    assert len(result_titles(response)) == 4
    if "page" not in params:
        assert "This filter was ignored." in response.content.decode()


def test_reversed_date_range_is_reported(client, corpus):
    response = search(client, q="harbour", published_from="2026-05-02", published_to="2026-05-01")

    assert "The end date is before the start date." in response.content.decode()
    assert len(result_titles(response)) == 4


def test_pagination_keeps_the_query(client, publish):
    for n in range(23):
        publish(f"Harbour report {n}", first_published_at=days_ago(n))

    first = search(client, q="harbour", sort="newest")
    second = search(client, q="harbour", sort="newest", page="2")

    assert first.context["results"].paginator.count == 23
    assert len(result_titles(first)) == 20
    assert result_titles(second) == ["Harbour report 20", "Harbour report 21", "Harbour report 22"]
    assert 'href="?q=harbour&amp;sort=newest&amp;page=2"' in first.content.decode()


def test_snippet_marks_matched_words_and_escapes_the_text(client, publish):
    publish(
        "Port <b>authority</b> statement",
        dek="Officials say <script>alert(1)</script> the harbour is open & busy.",
    )

    html = search(client, q="harbours").content.decode()

    assert (
        "Officials say &lt;script&gt;alert(1)&lt;/script&gt; the <mark>harbour</mark> is open "
        "&amp; busy." in html
    )
    assert "<script>alert(1)" not in html
    assert "Port &lt;b&gt;authority&lt;/b&gt; statement" in html


def test_query_text_is_escaped_in_the_page(client, corpus):
    html = search(client, q='<img src=x onerror=alert(1)> "harbour').content.decode()

    assert "<img src=x" not in html
    assert "for “&lt;img src=x onerror=alert(1)&gt; &quot;harbour”" in html


def test_result_pages_are_not_indexed_by_search_engines(client, corpus):
    html = search(client, q="harbour").content.decode()

    assert '<meta name="robots" content="noindex">' in html


def test_no_results_suggests_the_closest_tag_and_headline(client, publish):
    publish("Marathon route announced", tags=["Marathon"])

    response = search(client, q="marathn")

    assert response.context["results"].paginator.count == 0
    assert [(s.text, s.kind) for s in response.context["suggestions"]] == [
        ("Marathon", "tag"),
        ("Marathon route announced", "headline"),
    ]
    assert 'href="/search/?q=Marathon%20route%20announced"' in response.content.decode()


def test_only_published_public_unexpired_articles_are_found(client, publish, site_tree):
    publish("Harbour story that is live")
    publish("Harbour draft", draft=True)
    publish("Harbour story that expired", expire_at=timezone.now() - dt.timedelta(minutes=1))
    private = publish("Harbour story behind a password")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    embargoed = publish("Harbour story under embargo", draft=True)
    embargoed.go_live_at = timezone.now() + dt.timedelta(days=1)
    embargoed.save_revision().publish()  # a future go-live only schedules it

    response = search(client, q="harbour")

    assert result_titles(response) == ["Harbour story that is live"]
    assert response.context["results"].paginator.count == 1
    html = response.content.decode()
    for hidden in ("draft", "expired", "password", "embargo"):
        assert f"Harbour story {hidden}" not in html


def test_hidden_is_exactly_what_readers_may_not_see(publish, site_tree):
    from news.models import ArticlePage

    live = publish("Harbour story that is live")
    publish("Harbour draft", draft=True)
    publish("Harbour story that expired", expire_at=timezone.now() - dt.timedelta(minutes=1))
    private = publish("Harbour story behind a password")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )

    every = set(ArticlePage.objects.values_list("pk", flat=True))
    published = set(ArticlePage.objects.published().values_list("pk", flat=True))
    hidden = set(ArticlePage.objects.hidden().values_list("pk", flat=True))

    assert published == {live.pk}
    assert hidden == every - published


def test_every_word_must_appear_but_each_may_be_in_headline_or_body(client, publish, site_tree):
    publish("Harbour plan approved", body=["Ferries will run every hour."])
    publish("Harbour plan delayed", body=["Buses replace the service."])
    publish("Ferry timetable", body=["Nothing about the port."])

    response = search(client, q="harbour ferries")

    assert result_titles(response) == ["Harbour plan approved"]
    assert response.context["results"].paginator.count == 1


def test_staff_profiles_are_indexed(profile):
    from news.models import StaffProfilePage

    profile("Ana Rivera", role="Transport correspondent")

    found = StaffProfilePage.objects.live().public().search("transport")

    assert [person.title for person in found] == ["Ana Rivera"]


def test_search_page_runs_a_fixed_number_of_queries(client, publish, django_assert_max_num_queries):
    for n in range(25):
        publish(f"Harbour report {n}")
    search(client, q="harbour")  # warm per-process caches (site root paths, content types)

    with django_assert_max_num_queries(12) as captured:
        response = search(client, q="harbour")

    assert len(result_titles(response)) == 20
    writes = [
        q["sql"] for q in captured.captured_queries if re.match(r"\s*(UPDATE|INSERT)", q["sql"])
    ]
    assert writes == []


@pytest.mark.parametrize("page", ["-1", "a lot", "999999999999999999999", "0", "2"])
def test_page_numbers_outside_the_results_are_not_found(client, corpus, page):
    # The same rule as every listing: junk or out-of-range page numbers are a 404.
    assert client.get("/search/", {"q": "harbour", "page": page}).status_code == 404
