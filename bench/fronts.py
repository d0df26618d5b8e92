"""Fronts (issue 25): a cold home page against today's, in the same run.

    make bench ARGS=fronts      (BENCH_FRONTS_ARTICLES, BENCH_FRONTS_ROUNDS, BENCH_FRONTS_REPEAT)

The baseline is the home page as it stood before fronts (commit afa29b9: the newest 13 stories,
topic sections, most read, the banner), its `get_context` and template kept below verbatim, on
the same database. Against it, in alternating rounds, the home front as `make run` shows it
(automatic: the lead and three beside it, live coverage, most read, a block per section, the
latest 12) and a front arranged with 30 section blocks. Each render is in-process with every
cache emptied before it (Wagtail's site root paths, the sections, view restrictions, settings:
what a cold page pays; renditions exist, as in production). Prints p50/mean per render, SQL
queries per render and the ratio of each front's p50 to the baseline's (goal ≤ 1.0 for the
automatic front: no slower than today).
Results: bench/results/fronts.json.
"""

import os

from bench import harness

ARTICLES = int(os.environ.get("BENCH_FRONTS_ARTICLES", "10000"))
ROUNDS = int(os.environ.get("BENCH_FRONTS_ROUNDS", "5"))
REPEAT = int(os.environ.get("BENCH_FRONTS_REPEAT", "20"))
EXTRA_SECTIONS = 30

LEGACY_TEMPLATE = """{% extends "base.html" %}
{% load wagtailimages_tags readership_tags %}
{% block body_class %}home{% endblock %}
{% block content %}
<div class="wrap">
  {% if breaking_news %}
    <aside class="breaking" aria-label="Breaking news">
      <strong>Breaking:</strong>
      {% if breaking_news.link %}<a href="{{ breaking_news.link.url }}">{{ breaking_news.headline }}</a>{% else %}{{ breaking_news.headline }}{% endif %}
    </aside>
  {% endif %}
  <h1 class="visually-hidden">{{ page.title }}</h1>
  {% if lead_story %}
    <section class="lead" aria-labelledby="lead-heading">
      {% if lead_story.lead_image %}{% srcset_image lead_story.lead_image fill-960x540 format-webp alt=lead_story.lead_image.alt_text class="lead__image" fetchpriority="high" %}{% endif %}
      <div class="lead__text">
        <h2 id="lead-heading" class="lead__title"><a href="{{ lead_story.url }}">{{ lead_story.title }}</a></h2>
        {% if lead_story.dek %}<p class="lead__dek">{{ lead_story.dek }}</p>{% endif %}
      </div>
    </section>
  {% endif %}
  <section aria-labelledby="latest-heading">
    <h2 id="latest-heading">Latest</h2>
    <ul class="card-grid">
      {% for article in latest_stories %}<li>{% include "components/article_card.html" with article=article show_image=True %}</li>{% empty %}<li class="empty-state">No stories yet.</li>{% endfor %}
    </ul>
  </section>
  {% most_read_articles days=1 limit=5 as most_read %}
{% if most_read %}
  <section class="most-read" aria-labelledby="most-read-heading">
    <h2 id="most-read-heading">Most read</h2>
    <ol class="article-list most-read__list">
      {% for article in most_read %}
        <li><a href="{{ article.url }}">{{ article.title }}</a> <span class="most-read__views">{{ article.recent_views }} view{{ article.recent_views|pluralize }}</span></li>
      {% endfor %}
    </ol>
  </section>
{% endif %}

  {% for section, articles in topic_sections %}
    <section aria-labelledby="topic-{{ forloop.counter }}">
      <h2 id="topic-{{ forloop.counter }}">{{ section.title }}</h2>
      <ul class="article-list">{% for article in articles %}<li>{% include "components/article_card.html" with article=article show_image=False %}</li>{% endfor %}</ul>
    </section>
  {% endfor %}
  {% if news_index %}<p><a class="button" href="{{ news_index.url }}">View all news</a></p>{% endif %}
</div>
{% endblock %}
"""


def legacy_render(home, request):
    """Today's home page (before fronts): its get_context, verbatim but for the topic sections
    (none in the demo, as below), rendered with its template."""
    from django.template import engines
    from django.template.response import TemplateResponse

    from taggit.models import Tag

    from news import structured_data
    from news.models import ArticlePage, BreakingNews, NewsIndexPage

    context = {"page": home, "self": home, "request": request}
    latest = list(
        ArticlePage.objects.published().newest_first().for_listing().only_card_fields()[:13]
    )
    lead = latest[0] if latest else None
    context["lead_story"] = lead
    context["latest_stories"] = [article for article in latest if article != lead][:12]
    # `self.topic_sections.select_related("tag")`: its table is gone, and the demo had no rows,
    # so a query on an empty set of tags stands for it (and latest_per_tag([]) ran none).
    list(Tag.objects.filter(pk=-1))
    context["topic_sections"] = []
    context["breaking_news"] = BreakingNews.objects.current().first()
    context["news_index"] = NewsIndexPage.objects.live().first()
    context["structured_data"] = structured_data.website(home, request=request)
    template = engines["django"].from_string(LEGACY_TEMPLATE)
    response = TemplateResponse(request, template, context)
    return response.render()


def extra_sections() -> list:
    """30 sections with four pictured stories each, for the front arranged with 30 blocks."""
    from news.factories import ArticlePageFactory, NewsIndexPageFactory
    from news.models import ArticlePage, NewsImage, NewsIndexPage

    news = NewsIndexPage.objects.live().filter(depth=3).first()
    image = NewsImage.objects.first()
    sections = []
    for n in range(EXTRA_SECTIONS):
        section = NewsIndexPage.objects.filter(slug=f"bench-desk-{n}").first()
        if section is None:
            section = NewsIndexPageFactory(parent=news, title=f"Desk {n}", slug=f"bench-desk-{n}")
        if not ArticlePage.objects.child_of(section).exists():
            for m in range(4):
                ArticlePageFactory(parent=section, title=f"Desk {n} story {m}", lead_image=image)
        sections.append(section)
    return sections


def main() -> None:
    harness.setup_django()
    count = harness.ensure_articles(ARTICLES)
    from django.contrib.auth.models import AnonymousUser
    from django.core.cache import cache
    from django.core.signals import request_started
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from news.models import HomePage

    sections = extra_sections()
    factory = RequestFactory(SERVER_NAME="localhost")

    def request():
        made = factory.get("/", {"bench": "cold"})
        made.user = AnonymousUser()
        return made

    automatic = HomePage.objects.get()
    automatic.front = []
    arranged = HomePage.objects.get()
    arranged.front = [
        {"type": "lead", "value": {}},
        {"type": "live_coverage", "value": {}},
        *({"type": "section", "value": {"section": s.pk}} for s in sections),
        {"type": "most_read", "value": {}},
        {"type": "latest", "value": {"count": 12}},
    ]

    def as_a_request(render):
        """What a request's start does first (per-request memos, e.g. view restrictions)."""

        def run():
            request_started.send(sender=None)
            return render()

        return run

    renders = {
        "today's home (baseline)": as_a_request(lambda: legacy_render(automatic, request())),
        "home front, automatic": as_a_request(lambda: automatic.serve(request()).render()),
        f"home front, {EXTRA_SECTIONS} section blocks": as_a_request(
            lambda: arranged.serve(request()).render()
        ),
    }
    rows = {name: {"render": name, "p50_ms": [], "mean_ms": []} for name in renders}
    with harness.plain_storages():
        for name, render in renders.items():
            render()  # renditions exist, as in production
            cache.clear()
            with CaptureQueriesContext(connection) as queries:
                render()
            rows[name]["queries"] = len(queries)
        for _ in range(ROUNDS):
            for name, render in renders.items():
                timed = harness.time_calls(render, repeat=REPEAT, warmup=1, before=cache.clear)
                rows[name]["p50_ms"].append(timed["p50_ms"])
                rows[name]["mean_ms"].append(timed["mean_ms"])
    baseline = sorted(rows["today's home (baseline)"]["p50_ms"])[ROUNDS // 2]
    table = []
    for row in rows.values():
        p50 = sorted(row["p50_ms"])[ROUNDS // 2]
        mean = sorted(row["mean_ms"])[ROUNDS // 2]
        table.append(
            {
                "render": row["render"],
                "queries": row["queries"],
                "p50_ms": p50,
                "mean_ms": mean,
                "vs_today": round(p50 / baseline, 2),
            }
        )
    harness.print_table(
        f"Cold home renders, {count:,} articles (median of {ROUNDS} alternating rounds "
        f"of {REPEAT})",
        table,
    )
    harness.write_results("fronts", {"articles": count, "rows": table})
