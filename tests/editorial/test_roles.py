"""The roles' reach outside the page tree: images, snippets, staff profiles."""

import pytest

from news.factories import NewsImageFactory, SourceFactory
from tests.editorial.conftest import assert_denied

pytestmark = pytest.mark.django_db


def test_installing_the_newsroom_twice_changes_nothing(newsroom):
    from django.contrib.auth.models import Group

    from wagtail.models import GroupPagePermission, WorkflowTask

    from editorial.newsroom import install_newsroom

    def snapshot():
        return (
            sorted(Group.objects.values_list("name", "permissions__codename")),
            sorted(
                GroupPagePermission.objects.values_list("group__name", "page_id", "permission_id")
            ),
            sorted(WorkflowTask.objects.values_list("workflow__name", "task__name", "sort_order")),
        )

    before = snapshot()
    install_newsroom()
    assert snapshot() == before
    assert ("News desk", "Copy edit", 0) in before[2]
    assert ("News desk", "Publication approval", 1) in before[2]


def test_chief_edits_image_alt_text_writer_cannot(newsroom, staff, as_role):
    image = NewsImageFactory(description="")

    assert_denied(as_role("writer").post(f"/admin/images/{image.pk}/", {"title": "x"}))
    assert as_role("chief").get(f"/admin/images/{image.pk}/").status_code == 200

    image.refresh_from_db()
    assert image.title != "x"


def test_writer_can_choose_images_and_sources(newsroom, staff, as_role):
    NewsImageFactory(title="Harbour at dawn")
    SourceFactory(name="City Herald")
    writer = as_role("writer")

    assert "Harbour at dawn" in writer.get("/admin/images/chooser/").json()["html"]
    assert "City Herald" in writer.get("/admin/snippets/choose/news/source/").json()["html"]


def test_only_the_chief_edits_staff_profiles(newsroom, staff, as_role):
    profile = staff["writer"].staff_profile

    assert as_role("chief").get(f"/admin/pages/{profile.pk}/edit/").status_code == 200
    assert_denied(as_role("editor").get(f"/admin/pages/{profile.pk}/edit/"))
    assert_denied(as_role("writer").get(f"/admin/pages/{profile.pk}/edit/"))
