"""Believable demo content for `make run`: sections, staff, sources and ~60 published stories.

The newsroom is seeded once: if a front page already exists it is left as it is. What makes the
demo look alive is topped up on every run, idempotently: readers' views for each day since a
story was published (so "Most read" is populated whatever day `make run` starts), a breaking
banner (off, for an editor to switch on) and live coverage running on the World desk.
"""

import math
import os
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from live.factories import LiveEntryFactory, LivePageFactory, entry_text
from live.models import LivePage
from news.factories import NewsImageFactory, SourceFactory
from news.models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    BreakingNews,
    HomePage,
    NewsIndexPage,
    StaffIndexPage,
    StaffProfilePage,
)
from readership.counting import record_past_views

# How far back readers' views are seeded, and how many a new story draws on its first day.
VIEW_DAYS = 30
FIRST_DAY_VIEWS = 2400
BANNER = "Storm warning: coastal roads closed as gales reach 90 mph"
LIVE_SLUG = "storm-eunice-live"
LIVE_EVENTS = [
    ("Met Office issues a red warning for the coast from 10:00.", True),
    ("Ferries between the islands are cancelled for the rest of the day.", True),
    ("Our reporter at the harbour: waves are breaking over the sea wall.", False),
    ("Schools in three districts will close at noon.", True),
    ("Power cuts reported in 4,000 homes, the grid operator says.", False),
]

SECTIONS = {
    "World": ["climate", "diplomacy", "elections", "migration"],
    "Politics": ["parliament", "elections", "budget", "courts"],
    "Business": ["markets", "energy", "jobs", "startups"],
    "Science": ["climate", "space", "health", "research"],
    "Culture": ["film", "books", "music", "festivals"],
}
STAFF = [
    ("Amara Okafor", "Editor-in-chief"),
    ("Ben Hartley", "Politics editor"),
    ("Chloé Martin", "Science correspondent"),
    ("Dev Patel", "Business reporter"),
    ("Elena Rossi", "Culture critic"),
    ("Farid Haddad", "World affairs reporter"),
    ("Grace Liu", "Data journalist"),
    ("Hugo Schmidt", "Courts reporter"),
    ("Ines Duarte", "Climate reporter"),
    ("Jonah Webb", "Photographer"),
    ("Kira Novak", "Copy editor"),
    ("Luis Ortega", "Night editor"),
]
SOURCES = [
    "Associated Wire",
    "City Herald",
    "Northern Gazette",
    "Science Daily Post",
    "Market Ledger",
]
SUBJECTS = {
    "climate": ("flood defences", "carbon targets", "heatwave", "river levels"),
    "diplomacy": ("summit talks", "trade envoy", "ceasefire plan", "embassy"),
    "elections": ("polling stations", "turnout", "campaign pledges", "ballot count"),
    "migration": ("border policy", "asylum hearings", "labour shortages", "visa rules"),
    "parliament": ("committee vote", "select committee", "late-night session", "new bill"),
    "budget": ("spending review", "tax changes", "council budgets", "deficit"),
    "courts": ("appeal ruling", "jury verdict", "high court", "sentencing"),
    "markets": ("share prices", "bond yields", "currency swings", "index record"),
    "energy": ("wind farm", "grid upgrade", "fuel prices", "battery plant"),
    "jobs": ("hiring freeze", "wage growth", "strike ballot", "apprenticeships"),
    "startups": ("seed funding", "founders", "tech hub", "acquisition"),
    "space": ("satellite launch", "lunar probe", "telescope images", "rocket test"),
    "health": ("hospital waiting lists", "vaccine trial", "GP surgeries", "nurses"),
    "research": ("university lab", "grant funding", "peer review", "new study"),
    "film": ("box office", "festival premiere", "director", "streaming deal"),
    "books": ("prize shortlist", "debut novel", "library closures", "memoir"),
    "music": ("album release", "stadium tour", "orchestra", "grassroots venues"),
    "festivals": ("line-up", "ticket sales", "street parade", "food market"),
}


class Command(BaseCommand):
    help = "Seed a believable demo newsroom (idempotent) and make sure the admin login works."

    def add_arguments(self, parser):
        parser.add_argument("--admin-username", default="admin")
        parser.add_argument("--articles", type=int, default=60)

    def handle(self, *args, **options):
        self.ensure_admin(options["admin_username"], os.environ.get("MASTHEAD_ADMIN_PASSWORD", ""))
        if HomePage.objects.exists():
            self.stdout.write("Demo content already present; leaving it as it is.")
        else:
            with transaction.atomic():
                self.seed(options["articles"])
        with transaction.atomic():
            self.enliven()

    # --- What makes the demo look alive (topped up on every run) -----------------------------

    def enliven(self) -> None:
        added = self.seed_views()
        live = self.seed_live_coverage()
        banner = self.seed_banner()
        self.stdout.write(
            f"Demo readership: {added} views added; breaking banner "
            f"{'on' if banner.is_on else 'off (switch it on in Snippets → Breaking news)'}; "
            f"live coverage {'running' if live else 'not seeded'}."
        )

    def seed_views(self) -> int:
        """Views for each day since each story ran (at most VIEW_DAYS): a story draws most on
        its first days, some stories far more than others; days already counted stay as they
        are, so a second run adds only the days since the last."""
        today = timezone.localdate()
        daily = {}
        for article in ArticlePage.objects.published().only("pk", "first_published_at"):
            rng = random.Random(article.pk)
            pull = rng.lognormvariate(0, 0.9)  # how much this story interests readers
            published = timezone.localdate(article.first_published_at or timezone.now())
            for age in range(min((today - published).days, VIEW_DAYS) + 1):
                day = published + timedelta(days=age)
                noise = random.Random(f"{article.pk}:{day.isoformat()}").uniform(0.7, 1.3)
                views = FIRST_DAY_VIEWS * pull * noise * math.exp(-age / 2.5)
                daily[(article.pk, day)] = max(1, round(views))
        return record_past_views(daily)

    def seed_banner(self) -> BreakingNews:
        """A banner that links to the live coverage: off, for an editor to switch on."""
        banner, _ = BreakingNews.objects.get_or_create(
            headline=BANNER,
            defaults={"is_on": False, "link": LivePage.objects.filter(slug=LIVE_SLUG).first()},
        )
        return banner

    def seed_live_coverage(self) -> LivePage | None:
        """Coverage running on the World desk, with key events, unless it already exists."""
        existing = LivePage.objects.filter(slug=LIVE_SLUG).first()
        if existing is not None:
            return existing
        world = NewsIndexPage.objects.live().filter(slug="world").first()
        if world is None:
            return None
        page = LivePageFactory.build(
            title="Storm Eunice: live updates",
            slug=LIVE_SLUG,
            summary="Gales and flooding along the coast; roads, ferries and schools closed.",
            coverage_start=timezone.now() - timedelta(hours=3),
        )
        pictured = ArticlePage.objects.exclude(lead_image=None).select_related("lead_image")
        page.lead_image = next((article.lead_image for article in pictured[:1]), None)
        world.add_child(instance=page)
        page.save_revision().publish()
        page = LivePage.objects.get(pk=page.pk)
        for number, (text, key_event) in enumerate(LIVE_EVENTS):
            LiveEntryFactory(
                page=page,
                body=entry_text(text),
                key_event=key_event,
                published_at=timezone.now() - timedelta(minutes=170 - number * 35),
            )
        return page

    def ensure_admin(self, username: str, password: str) -> None:
        if not password:
            return
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@masthead.local"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()

    def seed(self, article_count: int) -> None:
        rng = random.Random(2026)
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Masthead", slug="masthead"))
        for site in Site.objects.all():
            old_root = site.root_page
            site.root_page = home
            site.save()
            if old_root.specific_class is Page and old_root.pk != home.pk:
                old_root.delete()
        if not Site.objects.exists():
            Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True)
        home.save_revision().publish()

        news = home.add_child(
            instance=NewsIndexPage(title="News", slug="news", intro="Every story, newest first.")
        )
        news.save_revision().publish()
        sections = {}
        for name in SECTIONS:
            section = news.add_child(instance=NewsIndexPage(title=name, slug=name.lower()))
            section.save_revision().publish()
            sections[name] = section

        images = [NewsImageFactory(seed=n) for n in range(14)]
        staff_index = home.add_child(
            instance=StaffIndexPage(
                title="Staff", slug="staff", intro="The people behind the stories."
            )
        )
        staff_index.save_revision().publish()
        profiles = []
        for number, (name, role) in enumerate(STAFF):
            profile = staff_index.add_child(
                instance=StaffProfilePage(
                    title=name,
                    role=role,
                    photo=images[number] if number % 3 else None,
                    bio=f"<p>{name.split()[0]} joined Masthead as {role.lower()} and writes about the stories that shape the region.</p>",
                )
            )
            profile.save_revision().publish()
            profiles.append(profile)

        sources = [SourceFactory(name=name) for name in SOURCES]
        now = timezone.now()
        for number in range(article_count):
            section_name = list(SECTIONS)[number % len(SECTIONS)]
            tags = rng.sample(SECTIONS[section_name], k=rng.randint(1, 3))
            subject = rng.choice(SUBJECTS[tags[0]])
            published = now - timedelta(hours=number * 7 + rng.randint(0, 5))
            article = ArticlePage(
                title=f"{subject.capitalize()}: {rng.choice(['what changes now', 'the questions that remain', 'a week that changed the debate', 'inside the decision', 'what we know so far'])}",
                dek=f"Reporters follow the {subject} story as {tags[-1]} takes centre stage in {section_name.lower()} coverage.",
                lead_image=rng.choice(images),
                body=self.body(rng, subject, tags),
                first_published_at=published,
                source=rng.choice(sources) if number % 4 == 0 else None,
                source_url="https://wire.example.com/story" if number % 4 == 0 else "",
                is_aggregated=number % 4 == 0,
            )
            sections[section_name].add_child(instance=article)
            article.tags.add(*tags)
            for order, profile in enumerate(rng.sample(profiles, k=1 if number % 5 else 2)):
                ArticleByline(page=article, profile=profile, sort_order=order).save()
            if number % 9 == 0:
                ArticleCorrection(
                    page=article, note="An earlier version misstated a date; it has been corrected."
                ).save()
            article.save()
            revision = article.save_revision()
            revision.publish()
            ArticlePage.objects.filter(pk=article.pk).update(
                first_published_at=published, last_published_at=published
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {article_count} articles, {len(profiles)} staff, {len(sections)} sections."
            )
        )

    def body(self, rng: random.Random, subject: str, tags: list[str]) -> list:
        sentences = [
            f"Officials confirmed new details about the {subject} on Tuesday.",
            f"People affected by the {subject} described a fast-moving week.",
            f"Analysts said the {tags[-1]} angle will matter for months.",
            "Documents seen by Masthead show the plan was discussed last year.",
            "Critics argue the timetable leaves little room for scrutiny.",
            "A spokesperson declined to comment on the figures.",
        ]
        blocks = []
        for paragraph in range(rng.randint(4, 9)):
            rng.shuffle(sentences)
            blocks.append(("paragraph", RichText("<p>" + " ".join(sentences[:4]) + "</p>")))
            if paragraph == 1:
                blocks.append(
                    (
                        "quote",
                        {
                            "text": f"This {subject} is the test of the year.",
                            "attribution": "A senior official",
                            "is_pull_quote": True,
                        },
                    )
                )
            if paragraph == 2:
                blocks.append(
                    (
                        "fact_box",
                        {
                            "title": "Key facts",
                            "facts": [f"Topic: {subject}", f"Tags: {', '.join(tags)}"],
                        },
                    )
                )
        return blocks
