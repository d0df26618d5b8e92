"""Factories for live coverage, shared by the tests, the benchmark and demo data."""

from django.utils import timezone

from wagtail.rich_text import RichText

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from live.models import LiveByline, LiveEntry, LivePage


def entry_text(text: str) -> list[tuple[str, object]]:
    return [("text", RichText(f"<p>{text}</p>"))]


class LivePageFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=6)
    summary = factory.Faker("sentence", nb_words=20)

    class Meta:
        model = LivePage
        skip_postgeneration_save = True

    @factory.post_generation
    def authors(self, create, extracted, **kwargs):
        for order, profile in enumerate(extracted or []):
            LiveByline.objects.create(page=self, profile=profile, sort_order=order)


class LiveEntryFactory(DjangoModelFactory):
    """A posted entry with the page's next sequence number (tests that exercise concurrency
    go through `live.coverage` instead)."""

    body = factory.LazyFunction(lambda: entry_text("An update from the scene."))
    state = LiveEntry.State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    sequence = factory.LazyAttribute(
        lambda obj: (
            (
                LiveEntry.objects.filter(page=obj.page)
                .order_by("-sequence")
                .values_list("sequence", flat=True)
                .first()
                or 0
            )
            + 1
        )
    )

    class Meta:
        model = LiveEntry
