"""Bundles in the admin: an editor or chief adds pages (each recording its latest revision and
who added it); a writer cannot open the bundles at all; a refused bundle shows why."""

from datetime import timedelta

from django.utils import timezone

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from releases.models import ReleaseBundle
from tests.editorial.conftest import assert_denied
from tests.releases.conftest import make_bundle

pytestmark = pytest.mark.django_db

BUNDLES = "/admin/snippets/releases/releasebundle/"


def bundle_form(name, release_at, pages):
    return nested_form_data(
        {
            "name": name,
            "release_at": timezone.localtime(release_at).strftime("%Y-%m-%d %H:%M"),
            "items": inline_formset([{"page": page.pk} for page in pages]),
        }
    )


@pytest.mark.parametrize("role", ["editor", "chief"])
def test_an_editor_or_chief_makes_a_bundle_of_pages_with_their_approved_revisions(
    role, five_stories, staff, as_role
):
    client = as_role(role)
    release_at = timezone.now() + timedelta(hours=3)

    response = client.post(
        f"{BUNDLES}add/", bundle_form("Budget day", release_at, five_stories[:2])
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    bundle = ReleaseBundle.objects.get(name="Budget day")
    assert bundle.status == ReleaseBundle.Status.SCHEDULED
    assert bundle.created_by == staff[role]
    assert [
        (item.page_id, item.revision_id, item.added_by_id)
        for item in bundle.items.order_by("sort_order")
    ] == [(story.pk, story.latest_revision_id, staff[role].pk) for story in five_stories[:2]]
    listing = client.get(BUNDLES).content.decode()
    assert "Budget day" in listing and "Scheduled" in listing


def test_a_writer_cannot_open_or_make_bundles(five_stories, as_role):
    client = as_role("writer")

    assert_denied(client.get(BUNDLES))
    assert_denied(client.post(f"{BUNDLES}add/", bundle_form("Sneak", timezone.now(), five_stories)))
    assert not ReleaseBundle.objects.exists()


def test_the_listing_says_why_a_bundle_was_not_released(five_stories, staff, as_role):
    bundle = make_bundle(five_stories, added_by=staff["chief"])
    ReleaseBundle.objects.filter(pk=bundle.pk).update(
        status=ReleaseBundle.Status.FAILED, failure="“Budget story 3” is still in review."
    )

    listing = as_role("chief").get(BUNDLES).content.decode()

    assert "Not released: “Budget story 3” is still in review." in listing
