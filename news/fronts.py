"""What a front shows: the home page's and each section's slots, filled.

A front is the list of slots editors arrange (`news.blocks.FrontBlock`, the `front` StreamField
of HomePage and NewsIndexPage). A slot names stories or a section; whatever it leaves empty, and
every named story readers may not see (a draft, embargoed, expired, private), is filled from the
newest stories of its scope, so a front is never empty or stale. A story appears once: each
slot skips what the slots above it show (the "Latest" river skips only the lead slot's). A front
nobody arranged shows `automatic_blocks()`, with the sections below it as section blocks.

Filling a front costs the same number of queries however many slots, sections and stories it
has: the sections (each with the ids of its newest stories, from a correlated subquery: see
`sections_with_latest`), the front's own newest ids, every story shown as a card (and their
images' renditions), and one each for most read, live coverage and its key events, a topic
block's stories, when the front has them.

The slots are read from the stream's raw data: the chooser blocks would load each named page
in full (bodies included) on their own.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Case, CharField, F, OuterRef, Q, Value, When, Window
from django.db.models.functions import Coalesce, Concat, RowNumber
from django.utils import timezone

from wagtail.models import Page

# Stories a section block and the lead slot show (the lead and three beside it).
BLOCK_STORIES = 4
# How many sections an automatic front shows as blocks.
AUTOMATIC_SECTIONS = 8
# Most read and live coverage: how many of each a slot lists.
MOST_READ_LIMIT = 5
LIVE_PAGES = 2
KEY_EVENTS = 3
# Up to this many children, a section reads its stories by tree path rather than by date.
SMALL_SECTION = 300
# Spare ids fetched per section beyond its four, for stories the slots above already show.
SPARE = 4


@dataclass
class Slot:
    """One filled slot: its block type (the template is `components/fronts/<type>.html`)."""

    type: str
    title: str = ""
    stories: list = field(default_factory=list)
    section: Page | None = None
    items: list = field(default_factory=list)  # most-read articles, or live pages
    tag_slug: str = ""

    @property
    def lead(self):
        return self.stories[0] if self.stories else None

    @property
    def rest(self) -> list:
        return self.stories[1:]


@dataclass
class Front:
    slots: list[Slot]
    # The soonest moment something shown changes with no publish to purge it (a story's expiry
    # before the scheduler takes it down): the page's shared cache lifetime ends there.
    changes_at: datetime | None = None

    def of_type(self, type_: str) -> list[Slot]:
        return [slot for slot in self.slots if slot.type == type_]


def item_ids(items) -> list[int]:
    """A ListBlock's raw items: `{"type": "item", "value": id}` dicts, or plain ids (old data)."""
    ids = []
    for item in items or []:
        value = item.get("value") if isinstance(item, dict) else item
        if isinstance(value, int):
            ids.append(value)
    return ids


def raw_blocks(front_page) -> list[dict]:
    """The editor's slots as raw stream data: `[{"type": ..., "value": {...}}]`."""
    return [
        {"type": block["type"], "value": block.get("value") or {}}
        for block in front_page.front.raw_data
    ]


def automatic_blocks(front_page) -> list[dict]:
    """The front nobody arranged: lead, live coverage, most read, a block per section below
    (expanded once the sections are loaded) and, on the home page, the latest stories."""
    from news.models import HomePage

    blocks = [{"type": "lead", "value": {}}, {"type": "live_coverage", "value": {}}]
    blocks.append({"type": "automatic_sections", "value": {}})
    if isinstance(front_page, HomePage):
        blocks += [{"type": "most_read", "value": {}}, {"type": "latest", "value": {}}]
    else:
        blocks.append({"type": "most_read", "value": {"title": f"Most read in {front_page.title}"}})
    return blocks


def named_page_ids(blocks: list[dict]) -> set[int]:
    """Every story and section the slots name: what, when it changes, changes this front."""
    ids = set()
    for block in blocks:
        value = block["value"]
        for key in ("story", "section"):
            if isinstance(value.get(key), int):
                ids.add(value[key])
        ids.update(item_ids(value.get("beside")))
        ids.update(item_ids(value.get("stories")))
    return ids


def automatic_section_depth(front_page) -> int:
    """The home page's sections are those of its "All news" section; a section's, its own."""
    from news.models import HomePage

    return front_page.depth + (2 if isinstance(front_page, HomePage) else 1)


def is_automatic_section(front_page, section) -> bool:
    return section.depth == automatic_section_depth(front_page) and section.path.startswith(
        front_page.path
    )


def sections_with_latest(q: Q, *, per_section: int, automatic: Q | None = None) -> list:
    """Live public sections matching `q` (and, with `automatic`, the first AUTOMATIC_SECTIONS
    of those matching it, in tree order), in tree order, each with `latest_ids`: the ids of its
    `per_section` newest published stories (at any depth below it), in one query.

    A section with many stories finds its newest by walking the publication-date index until
    it has enough; one with few would walk the whole index for them, so it reads its own
    stories by tree path (the path index) and sorts those instead. `numchild`, already on the
    row, tells them apart."""
    from news.models import ArticlePage, NewsIndexPage

    if automatic is not None:
        first = (
            NewsIndexPage.objects.live()
            .public()
            .filter(automatic)
            .order_by("path")
            .values("pk")[:AUTOMATIC_SECTIONS]
        )
        q |= Q(pk__in=first)
    published = ArticlePage.objects.published()
    by_date = published.filter(path__startswith=OuterRef("path")).newest_first()
    # Ordered by an expression the date index cannot serve, so PostgreSQL reads the section's
    # own rows by path range and sorts them (every published story has first_published_at).
    by_path = published.filter(
        path__gt=OuterRef("path"),
        path__lt=Concat(OuterRef("path"), Value("~"), output_field=CharField()),
    ).order_by(Coalesce("first_published_at", "latest_revision_created_at").desc(), "-pk")
    newest = Case(
        When(
            numchild__lte=SMALL_SECTION,
            then=ArraySubquery(by_path.values("pk")[:per_section]),
        ),
        default=ArraySubquery(by_date.values("pk")[:per_section]),
    )
    return list(
        NewsIndexPage.objects.live()
        .public()
        .filter(q)
        .only("title", "url_path", "path", "depth", "slug", "numchild")
        .annotate(latest_ids=newest)
        .order_by("path")
    )


def topic_stories(slugs: list[str], *, per_tag: int, scope: Page) -> dict[str, list]:
    """The newest stories of each tag (by slug), in one query; cards without images."""
    from news.models import ArticlePage

    slug = F("tagged_items__tag__slug")
    by_slug: dict[str, list] = {name: [] for name in slugs}
    for article in (
        ArticlePage.objects.published()
        .descendant_of(scope)
        .filter(tagged_items__tag__slug__in=slugs)
        .annotate(
            listed_slug=slug,
            rank_in_tag=Window(
                RowNumber(),
                partition_by=slug,
                order_by=[F("first_published_at").desc(), F("pk").desc()],
            ),
        )
        .filter(rank_in_tag__lte=per_tag)
        .order_by("listed_slug", "rank_in_tag")
        .select_related("lead_image")
        .with_author_names()
        .only_card_fields()
    ):
        by_slug[article.listed_slug].append(article)
    return by_slug


def live_coverage(scope: Page) -> list:
    """Coverage running now below the front, newest first, each with `front_key_events`."""
    from live.models import LiveEntry, LivePage

    pages = list(
        LivePage.objects.on_air()
        .descendant_of(scope)
        .select_related("lead_image")
        .only("title", "url_path", "summary", "coverage_start", "lead_image", "path", "depth")[
            :LIVE_PAGES
        ]
    )
    if not pages:
        return []
    events = (
        LiveEntry.objects.filter(page__in=pages)
        .for_readers()
        .key_events()
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("page_id"),
                order_by=[F("published_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=KEY_EVENTS)
        .order_by("page_id", "rank")
    )
    by_page: dict[int, list] = {page.pk: [] for page in pages}
    for entry in events:
        by_page[entry.page_id].append(entry)
    for page in pages:
        page.front_key_events = by_page[page.pk]
    return pages


class Filler:
    """Hands out cards to slots in order, each story once."""

    def __init__(self, cards: dict[int, object]):
        self.cards = cards
        self.shown: set[int] = set()

    def take(self, named: list[int], fallback: list[int], count: int) -> list:
        chosen = []
        for pk in [*named, *fallback]:
            if len(chosen) == count:
                break
            if pk in self.cards and pk not in self.shown:
                chosen.append(self.cards[pk])
                self.shown.add(pk)
        return chosen


def build_front(front_page, *, now=None) -> Front:
    """The filled slots of this front, in the editors' order."""
    from news.models import ArticlePage
    from news.models.pages import CARD_FIELDS

    now = now or timezone.now()
    blocks = raw_blocks(front_page) or automatic_blocks(front_page)
    picks = named_page_ids(blocks)
    spare = SPARE + len(picks)

    section_ids = [b["value"].get("section") for b in blocks if b["type"] == "section"]
    section_q = Q(pk__in=[pk for pk in section_ids if isinstance(pk, int)])
    automatic = None
    if any(block["type"] == "automatic_sections" for block in blocks):
        automatic = Q(path__startswith=front_page.path, depth=automatic_section_depth(front_page))
    sections = []
    if any(b["type"] in ("section", "automatic_sections") for b in blocks):
        sections = sections_with_latest(
            section_q, per_section=BLOCK_STORIES + spare, automatic=automatic
        )
    sections_by_id = {section.pk: section for section in sections}

    # The front's own newest stories feed the lead slot and the "Latest" river.
    latest_count = next(
        (int(b["value"].get("count") or 12) for b in blocks if b["type"] == "latest"), 0
    )
    river = BLOCK_STORIES + spare + latest_count
    newest_ids = list(
        ArticlePage.objects.published(now=now)
        .descendant_of(front_page)
        .newest_first()
        .values_list("pk", flat=True)[:river]
    )
    wanted = {pk for section in sections for pk in section.latest_ids} | picks | set(newest_ids)
    cards = {
        card.pk: card
        for card in ArticlePage.objects.published(now=now)
        .filter(pk__in=wanted)
        .for_listing()
        .only(*CARD_FIELDS, "path", "expire_at")
    }

    filler = Filler(cards)
    slots: list[Slot] = []
    lead_ids: set[int] = set()
    for block in blocks:
        kind, value = block["type"], block["value"]
        if kind == "lead":
            story = value.get("story")
            lead = filler.take([story] if isinstance(story, int) else [], newest_ids, 1)
            beside = filler.take(item_ids(value.get("beside")), newest_ids, BLOCK_STORIES - 1)
            slot = Slot("lead", stories=lead + beside)
            lead_ids = {card.pk for card in slot.stories}
            slots.append(slot)
        elif kind == "section":
            section = sections_by_id.get(value.get("section"))
            if section is not None:
                slots.append(section_slot(section, value, filler))
        elif kind == "automatic_sections":
            below = [section for section in sections if is_automatic_section(front_page, section)]
            for section in below[:AUTOMATIC_SECTIONS]:
                slots.append(section_slot(section, {}, filler))
        elif kind == "latest":
            river_cards = [cards[pk] for pk in newest_ids if pk not in lead_ids]
            count = int(value.get("count") or 12)
            slots.append(Slot("latest", value.get("title") or "Latest", river_cards[:count]))
        elif kind == "most_read":
            slots.append(most_read_slot(front_page, value, now=now))
        elif kind == "live_coverage":
            slots.append(Slot("live_coverage", value.get("title") or "Live"))
        elif kind == "topic":
            slots.append(Slot("topic", value.get("title") or "", tag_slug=value.get("tag") or ""))

    fill_live_and_topics(front_page, slots, filler)
    slots = [slot for slot in slots if slot.stories or slot.items]
    shown = [story for slot in slots for story in slot.stories]
    expiries = [story.expire_at for story in shown if story.expire_at]
    return Front(slots=slots, changes_at=min(expiries, default=None))


def section_slot(section, value: dict, filler: Filler) -> Slot:
    stories = filler.take(item_ids(value.get("stories")), section.latest_ids, BLOCK_STORIES)
    return Slot("section", value.get("title") or section.title, stories=stories, section=section)


def most_read_slot(front_page, value: dict, *, now) -> Slot:
    from news.models import HomePage
    from readership.counting import most_read

    within = None if isinstance(front_page, HomePage) else front_page
    days = int(value.get("days") or 1)
    articles = list(most_read(days=days, limit=MOST_READ_LIMIT, now=now, within=within))
    return Slot("most_read", value.get("title") or "Most read", items=articles)


def fill_live_and_topics(front_page, slots: list[Slot], filler: Filler) -> None:
    """Live coverage and topic blocks, each in one query for all their slots."""
    live = [slot for slot in slots if slot.type == "live_coverage"]
    if live:
        pages = live_coverage(front_page)
        for slot in live:
            slot.items = pages
    topics = [slot for slot in slots if slot.type == "topic"]
    if topics:
        by_slug = topic_stories(
            [slot.tag_slug for slot in topics], per_tag=BLOCK_STORIES + SPARE, scope=front_page
        )
        for slot in topics:
            candidates = by_slug.get(slot.tag_slug, [])
            filler.cards.update({card.pk: card for card in candidates})
            slot.stories = filler.take([], [card.pk for card in candidates], BLOCK_STORIES)
