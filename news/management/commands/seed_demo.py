"""Believable demo content for `make run`: sections, staff, sources and ~60 published stories.

Runs once: if a front page already exists it only makes sure the admin login works.
"""

import os
import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from wagtail.models import Page, Site
from wagtail.rich_text import RichText

from news.factories import NewsImageFactory, SourceFactory
from news.models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    HomePage,
    NewsIndexPage,
    StaffIndexPage,
    StaffProfilePage,
)

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
            return
        with transaction.atomic():
            self.seed(options["articles"])

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
