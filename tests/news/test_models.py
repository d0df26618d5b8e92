import pytest

from news.factories import ArticlePageFactory

pytestmark = pytest.mark.django_db


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
