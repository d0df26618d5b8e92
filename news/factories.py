"""Factories for every page type, shared by the tests and the demo seed."""

import io
import random

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtail.rich_text import RichText

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from faker import Faker
from PIL import Image as PILImage
from PIL import ImageDraw

from news.models import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    HomePage,
    NewsImage,
    NewsIndexPage,
    Source,
    StaffIndexPage,
    StaffProfilePage,
)

fake = Faker()

PALETTE = [(11, 83, 148), (139, 0, 0), (34, 102, 68), (120, 80, 20), (70, 40, 110), (30, 30, 30)]


def make_image_file(
    *, width: int = 1600, height: int = 900, seed: int = 0, fmt: str = "JPEG"
) -> bytes:
    """A picture drawn locally (bands and circles), so demo content needs no network."""
    rng = random.Random(seed)
    base = PALETTE[seed % len(PALETTE)]
    picture = PILImage.new("RGB", (width, height), base)
    draw = ImageDraw.Draw(picture)
    for band in range(0, height, max(height // 12, 1)):
        shade = tuple(min(255, channel + rng.randint(0, 60)) for channel in base)
        draw.rectangle([0, band, width, band + height // 24], fill=shade)
    for _ in range(6):
        x, y, r = (
            rng.randint(0, width),
            rng.randint(0, height),
            rng.randint(height // 10, height // 3),
        )
        draw.ellipse([x - r, y - r, x + r, y + r], outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    picture.save(buffer, fmt, quality=80)
    return buffer.getvalue()


class NewsImageFactory(DjangoModelFactory):
    title = factory.Sequence(lambda n: f"Photo {n}")
    description = factory.Sequence(lambda n: f"A newsroom photograph, number {n}")
    caption = factory.Faker("sentence", nb_words=8)
    credit = factory.Faker("name")
    file = factory.LazyAttribute(
        lambda obj: ContentFile(make_image_file(seed=obj.seed), name=f"photo-{obj.seed}.jpg")
    )

    class Meta:
        model = NewsImage

    class Params:
        seed = factory.Sequence(lambda n: n)


class SourceFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Wire Service {n}")
    url = factory.LazyAttribute(
        lambda obj: f"https://{obj.name.lower().replace(' ', '-')}.example.com/"
    )

    class Meta:
        model = Source
        django_get_or_create = ("name",)


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Masthead"

    class Meta:
        model = HomePage


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    title = "News"
    slug = factory.LazyAttribute(lambda obj: obj.title.lower().replace(" ", "-"))

    class Meta:
        model = NewsIndexPage


class StaffIndexPageFactory(wagtail_factories.PageFactory):
    title = "Staff"
    slug = "staff"

    class Meta:
        model = StaffIndexPage


class StaffProfilePageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("name")
    role = "Reporter"
    bio = factory.LazyAttribute(lambda obj: f"<p>{obj.title} covers the city for Masthead.</p>")

    class Meta:
        model = StaffProfilePage


def paragraphs(texts: list[str]) -> list[tuple[str, object]]:
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in texts]


class ArticlePageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=7)
    dek = factory.Faker("sentence", nb_words=18)
    body = factory.LazyFunction(lambda: paragraphs(fake.paragraphs(nb=4)))
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = ArticlePage

    class Params:
        with_image = factory.Trait(lead_image=factory.SubFactory(NewsImageFactory))
        draft = factory.Trait(live=False, first_published_at=None)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if extracted and create:
            self.tags.add(*extracted)
            self.save()

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        for order, profile in enumerate(extracted or []):
            ArticleByline.objects.create(page=self, profile=profile, sort_order=order)


class ArticleCorrectionFactory(DjangoModelFactory):
    corrected_at = factory.LazyFunction(timezone.now)
    note = factory.Faker("sentence", nb_words=14)

    class Meta:
        model = ArticleCorrection


__all__ = [
    "ArticleCorrectionFactory",
    "ArticlePageFactory",
    "HomePageFactory",
    "NewsImageFactory",
    "NewsIndexPageFactory",
    "SourceFactory",
    "StaffIndexPageFactory",
    "StaffProfilePageFactory",
    "make_image_file",
    "paragraphs",
]
