from django.core.exceptions import ValidationError

import pytest

from news.factories import ArticlePageFactory
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_an_aggregated_story_must_link_to_its_source(site_tree):
    story = ArticlePageFactory(parent=site_tree["news"], slug="agg")
    story.is_aggregated = True
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert error.value.message_dict["source_url"] == [
        "A story based on another outlet's reporting must link to it."
    ]
    assert ArticlePage.objects.get(pk=story.pk).is_aggregated is False

    story.source_url = "https://wire.example.com/original"
    story.full_clean()


def test_reading_time_counts_the_dek_and_body(site_tree):
    body = [("paragraph", "<p>" + "word " * 460 + "</p>")]
    story = ArticlePageFactory(parent=site_tree["news"], slug="long", dek="one two", body=body)
    assert story.reading_time_minutes == 3  # 462 words at 230 a minute, rounded up


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("Ada Byline", "AB"),
        ("Chloé Martin-Ruiz", "CM"),
        ("Prince", "P"),
        ("Jean de la Fontaine", "JF"),
        ("@@@", "?"),
    ],
)
def test_initials_avatar(site_tree, name, initials):
    from news.factories import StaffProfilePageFactory

    assert (
        StaffProfilePageFactory(parent=site_tree["staff"], title=name, slug="person").initials
        == initials
    )
