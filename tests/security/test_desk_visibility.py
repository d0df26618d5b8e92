"""The desk's dashboard panels and the Scheduled report show a writer only what that writer may
open: a colleague's embargoed story and a live story's pending headline edit stay out of sight,
while editors, who may open them, still see them there."""

from datetime import timedelta

from django.utils import timezone

import pytest

from tests.editorial.conftest import complete_article

pytestmark = pytest.mark.django_db

EMBARGO = "Embargoed-Quokka-7731"
PENDING = "Pending-Numbat-4410"


@pytest.fixture
def desk_secrets(newsroom, staff):
    news = newsroom["news"]
    embargoed = complete_article(news, staff["writer_b"], title=f"Minister resigns {EMBARGO}")
    embargoed.go_live_at = timezone.now() + timedelta(hours=3)
    embargoed.save_revision(user=staff["writer_b"]).publish()  # approved, waiting for its hour
    live = complete_article(news, staff["writer_b"], title="Harbour reopens")
    live.save_revision(user=staff["writer_b"]).publish()
    live.refresh_from_db()
    live.last_published_at = timezone.now()
    live.save(update_fields=["last_published_at"])
    live.title = f"Harbour reopens {PENDING}"
    live.save_revision(user=staff["writer_b"])  # an edit not yet published
    return embargoed, live


def test_a_writer_sees_no_colleagues_embargo_or_pending_headline(desk_secrets, as_role):
    # A writer's "published today" lists only their own stories (the editors' test below shows
    # the live headline there, never the pending one).
    writer = as_role("writer")
    for url in ("/admin/", "/admin/editorial/scheduled/", "/admin/editorial/scheduled/?span=week"):
        body = writer.get(url, follow=True).content.decode()
        assert EMBARGO not in body, url
        assert PENDING not in body, url


def test_editors_still_see_the_embargo_and_published_today_shows_the_live_headline(
    desk_secrets, as_role
):
    editor = as_role("editor")
    # The Scheduled report is part of the story budget now: its old address redirects there.
    assert EMBARGO in editor.get("/admin/editorial/scheduled/", follow=True).content.decode()
    dashboard = editor.get("/admin/").content.decode()
    assert EMBARGO in dashboard  # "Scheduled next 24 h"
    assert "Harbour reopens" in dashboard and PENDING not in dashboard
