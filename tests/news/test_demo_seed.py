"""`make run`'s demo looks alive: stories with views, a populated "Most read", a breaking banner
an editor can switch on, live coverage and section fronts with images; a second run adds
nothing it already added."""

import io
import re

from django.core.management import call_command
from django.db.models import Sum

import pytest

from live.models import LivePage
from news.models import ArticlePage, BreakingNews
from readership.models import ArticleDailyViews

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(wagtail_root, redis_client):
    call_command("seed_demo", "--articles", "15", stdout=io.StringIO())


def test_the_demo_front_has_views_most_read_live_coverage_and_images(client, seeded):
    html = client.get("/").content.decode()

    assert all(article.view_count > 0 for article in ArticlePage.objects.all())
    most_read = html.split('id="most-read-heading"')[1].split("</section>")[0]
    assert len(re.findall(r"<li>", most_read)) == 5
    assert 'id="front-live-heading"' in html
    assert "Storm Eunice: live updates" in html
    assert 'class="front-section__title"' in html
    world = client.get("/news/world/").content.decode()
    assert 'class="lead__image"' in world


def test_the_demo_banner_is_off_until_an_editor_switches_it_on(client, seeded):
    banner = BreakingNews.objects.get()
    assert "Storm warning" not in client.get("/?uncached=1").content.decode()

    banner.is_on = True
    banner.save()

    html = client.get("/?uncached=2").content.decode()
    assert f'<a href="{banner.link.url}">{banner.headline}</a>' in html


def test_a_second_seed_adds_nothing(seeded):
    views = ArticleDailyViews.objects.aggregate(total=Sum("views"))["total"]
    totals = dict(ArticlePage.objects.with_view_counts().values_list("pk", "view_count"))

    call_command("seed_demo", "--articles", "15", stdout=io.StringIO())

    assert ArticleDailyViews.objects.aggregate(total=Sum("views"))["total"] == views
    assert dict(ArticlePage.objects.with_view_counts().values_list("pk", "view_count")) == totals
    assert BreakingNews.objects.count() == 1
    assert LivePage.objects.count() == 1
