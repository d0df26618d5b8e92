"""Fast creation of many published articles, for benchmarks (`manage.py seed_bulk`).

Wagtail's page API saves one page at a time (tree locking, revisions, signals, index updates):
fine for a newsroom, minutes per thousand for a benchmark. Here pages are inserted set-wise:
treebeard paths are computed directly, the page and article tables are filled with bulk
inserts, and the search index is written in batches through the search backend's bulk path.
Pages get no revisions; an editor's first edit creates one.
"""

import math
import random
import uuid
from datetime import datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from news import listing_counts
from news.models import ArticleByline, ArticlePage, ArticleTag, NewsIndexPage, StaffProfilePage
from news.models.pages import WORDS_PER_MINUTE

TOPICS: dict[str, list[str]] = {
    "climate": "flood drought emissions carbon glacier heatwave rainfall coastline wildfire adaptation"
    " renewables methane warming reservoir storm".split(),
    "elections": "ballot turnout polling candidate campaign constituency manifesto recount voters"
    " coalition referendum debate incumbent swing majority".split(),
    "markets": "shares bonds inflation interest dividend investors earnings currency index rally"
    " recession yields trading merger valuation".split(),
    "health": "hospital patients vaccine nurses waiting surgery clinic outbreak doctors treatment"
    " prescription ambulance diagnosis trial pandemic".split(),
    "space": "rocket satellite orbit launch telescope astronauts lunar mars probe asteroid"
    " spacecraft mission galaxy payload countdown".split(),
    "courts": "judge verdict appeal jury prosecution defendant sentencing testimony lawsuit ruling"
    " tribunal barrister evidence acquittal bail".split(),
    "housing": "rent mortgage landlords tenants planning homeless developers eviction council"
    " affordability construction leasehold squatters zoning deposit".split(),
    "football": "striker goalkeeper penalty league transfer manager stadium derby relegation"
    " midfielder fixture referee supporters trophy tactics".split(),
    "energy": "pipeline turbines nuclear grid batteries solar tariff refinery blackout hydrogen"
    " substation megawatt fracking offshore utility".split(),
    "education": "teachers pupils exams curriculum university tuition classroom headteacher"
    " scholarship literacy nursery graduates ofsted lecturers apprenticeships".split(),
}
COMMON = (
    "the a of and to in said on for with was by that officials week year new after from people"
    " report city government plans local country told months statement expected figures public"
    " national minister spokesperson spending latest announced including several according"
    " region future support review services program data following months decision working"
).split()


def _sentence(rng: random.Random, topic_words: list[str], length: int, topical: float) -> str:
    words = [
        rng.choice(topic_words) if rng.random() < topical else rng.choice(COMMON)
        for _ in range(length)
    ]
    return " ".join(words).capitalize() + "."


def _article_text(rng: random.Random, topic: str) -> tuple[str, str, list[str]]:
    words = TOPICS[topic]
    headline = " ".join(
        rng.choice(words if rng.random() < 0.6 else COMMON) for _ in range(rng.randint(6, 10))
    ).capitalize()
    dek = _sentence(rng, words, rng.randint(14, 24), 0.4)
    paragraphs = [
        " ".join(_sentence(rng, words, rng.randint(10, 22), 0.3) for _ in range(rng.randint(3, 5)))
        for _ in range(rng.randint(3, 7))
    ]
    return headline, dek, paragraphs


def _ensure_tags(names: list[str]) -> dict[str, Tag]:
    existing = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    missing = [Tag(name=name, slug=slugify(name)) for name in names if name not in existing]
    Tag.objects.bulk_create(missing, ignore_conflicts=True)
    return {tag.name: tag for tag in Tag.objects.filter(name__in=names)}


def seed_articles(
    *, count: int, seed: int = 1, batch_size: int = 2000, now: datetime | None = None
) -> int:
    """Insert `count` published articles spread over the existing news sections.

    Needs the site tree from `seed_demo` (sections and staff). Returns the number created.
    """
    rng = random.Random(seed)
    now = now or timezone.now()
    sections = list(NewsIndexPage.objects.filter(depth__gte=4).order_by("path")) or list(
        NewsIndexPage.objects.order_by("path")
    )
    if not sections:
        raise ValueError("No news section exists: run `manage.py seed_demo` first.")
    profile_ids = list(StaffProfilePage.objects.values_list("pk", flat=True))
    tags = _ensure_tags(
        [*TOPICS, *(f"{topic}-{word}" for topic in TOPICS for word in TOPICS[topic][:3])]
    )
    content_type = ContentType.objects.get_for_model(ArticlePage)
    locale_id = sections[0].locale_id
    backend = get_search_backend()
    topics = list(TOPICS)
    created = 0
    run = uuid.uuid4().hex[:6]

    while created < count:
        size = min(batch_size, count - created)
        with transaction.atomic():
            # Lock the sections so concurrent tree edits cannot take the same child paths.
            sections = list(
                NewsIndexPage.objects.select_for_update()
                .filter(pk__in=[s.pk for s in sections])
                .order_by("path")
            )
            next_child = {section.pk: section.numchild for section in sections}
            pages, details = [], []
            for offset in range(size):
                number = created + offset
                section = sections[number % len(sections)]
                topic = topics[rng.randrange(len(topics))]
                headline, dek, paragraphs = _article_text(rng, topic)
                next_child[section.pk] += 1
                published = now - timedelta(minutes=number * 7 + rng.randint(0, 6))
                slug = f"{slugify(headline)[:60]}-{run}-{number}"
                words = len(dek.split()) + sum(len(p.split()) for p in paragraphs)
                pages.append(
                    Page(
                        title=headline,
                        draft_title=headline,
                        slug=slug,
                        content_type=content_type,
                        path=Page._get_path(
                            section.path, section.depth + 1, next_child[section.pk]
                        ),
                        depth=section.depth + 1,
                        numchild=0,
                        url_path=f"{section.url_path}{slug}/",
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=published,
                        last_published_at=published,
                        latest_revision_created_at=published,
                        locale_id=locale_id,
                        translation_key=uuid.uuid4(),
                    )
                )
                tag_names = [
                    topic,
                    *rng.sample([f"{topic}-{w}" for w in TOPICS[topic][:3]], k=rng.randint(0, 2)),
                ]
                details.append(
                    {
                        "dek": dek,
                        "body": [
                            {
                                "type": "paragraph",
                                "value": f"<p>{paragraph}</p>",
                                "id": str(uuid.uuid4()),
                            }
                            for paragraph in paragraphs
                        ],
                        "reading_time_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
                        "tags": tag_names,
                        "authors": rng.sample(
                            profile_ids, k=min(len(profile_ids), 1 + (number % 5 == 0))
                        ),
                    }
                )
            Page.objects.bulk_create(pages, batch_size=1000)
            articles = []
            for page, detail in zip(pages, details, strict=True):
                article = ArticlePage(page_ptr_id=page.pk, dek=detail["dek"], body=detail["body"])
                article.__dict__.update(
                    {f.attname: getattr(page, f.attname) for f in Page._meta.concrete_fields}
                )
                article.reading_time_minutes = detail["reading_time_minutes"]
                articles.append(article)
            local_fields = list(ArticlePage._meta.local_concrete_fields)
            for start in range(0, len(articles), 1000):
                ArticlePage.objects._insert(articles[start : start + 1000], fields=local_fields)
            ArticleTag.objects.bulk_create(
                [
                    ArticleTag(content_object_id=a.pk, tag=tags[name])
                    for a, d in zip(articles, details, strict=True)
                    for name in d["tags"]
                ],
                batch_size=5000,
            )
            ArticleByline.objects.bulk_create(
                [
                    ArticleByline(page_id=a.pk, profile_id=profile_id, sort_order=order)
                    for a, d in zip(articles, details, strict=True)
                    for order, profile_id in enumerate(d["authors"])
                ],
                batch_size=5000,
            )
            for section in sections:
                if next_child[section.pk] != section.numchild:
                    NewsIndexPage.objects.filter(pk=section.pk).update(
                        numchild=next_child[section.pk]
                    )
        indexed = (
            ArticlePage.objects.filter(pk__in=[a.pk for a in articles])
            .prefetch_related("tags", "bylines__profile")
            .select_related("source")
        )
        backend.add_bulk(ArticlePage, list(indexed))
        created += size
    listing_counts.start_new_generation()  # bulk inserts send no publish signals
    return created
