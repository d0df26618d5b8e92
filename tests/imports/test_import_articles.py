"""`manage.py import_articles`: JSON Lines, CSV and WordPress exports, with malformed rows."""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

from taggit.models import Tag
from wagtail.models import Revision

import pytest

from news.models import ArticlePage, NewsImage, Source, StaffProfilePage

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run_import(name: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(FIXTURES / name), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot() -> dict:
    return {
        "articles": sorted(ArticlePage.objects.values_list("title", "first_published_at"), key=str),
        "profiles": sorted(StaffProfilePage.objects.values_list("title", flat=True)),
        "tags": sorted(Tag.objects.values_list("name", flat=True)),
        "sources": sorted(Source.objects.values_list("name", flat=True)),
        "images": NewsImage.objects.count(),
        "revisions": Revision.objects.count(),
    }


def test_jsonl_import_creates_published_stories_people_tags_and_sources(site_tree, reporter):
    out, err = run_import("articles.jsonl")

    ferry = ArticlePage.objects.get(title="Harbour ferry returns after winter repairs")
    assert ferry.live and ferry.get_parent().specific == site_tree["news"]
    assert ferry.import_key == "wire-1001"
    assert ferry.first_published_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert ferry.last_published_at == datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    assert ferry.dek == "The route reopens on Monday."
    assert [block.block_type for block in ferry.body] == ["paragraph"]
    assert (
        ferry.body[0].value.source
        == "<p>The ferry is back.</p><p>Commuters cheered at the quay.</p>"
    )
    assert sorted(tag.name for tag in ferry.tags.all()) == ["harbour", "transport"]
    # An existing profile is reused (case-insensitively by name); a missing one is created live.
    assert ferry.byline_profiles == [
        StaffProfilePage.objects.get(title="Nadia Quill"),
        reporter,
    ]
    assert StaffProfilePage.objects.get(title="Nadia Quill").live
    assert ferry.source.name == "Harbour Gazette"
    assert ferry.source.url == "https://gazette.example.org/"
    assert ferry.source_url == "https://gazette.example.org/ferry"
    assert ferry.lead_image.description == "A ferry at the quay"
    assert ferry.lead_image.width == 1600
    assert ArticlePage.objects.published().filter(pk=ferry.pk).exists()

    # HTML bodies keep only what the article body allows.
    lanes = ArticlePage.objects.get(title="Council approves new cycle lanes")
    assert lanes.body[0].value.source == "<p>Six <b>new</b> lanes.alert(1)</p><p><a>x</a></p>"
    assert lanes.first_published_at.isoformat() == "2026-11-21T14:00:00+00:00"  # Europe/London

    assert out.splitlines()[0] == (
        "Created 2 article(s), 1 staff profile(s), 3 tag(s), 1 source(s), 1 image(s); "
        "0 already imported; 8 skipped."
    )
    assert "Staff profiles created: Nadia Quill" in out
    assert "Tags created: transport, harbour, city" in out
    assert err.splitlines() == [
        "Skipped line 3: not valid JSON (Expecting value, column 45).",
        "Skipped line 4: title is required.",
        "Skipped line 5: published_at 'last Tuesday' is not an ISO 8601 date and time.",
        "Skipped line 6: published_at 2099-01-01T00:00:00+00:00 is in the future; "
        "schedule it in the admin instead.",
        "Skipped line 7: expected a JSON object.",
        "Skipped line 8: source_url 'javascript:alert(1)' is not an http(s) URL.",
        "Skipped line 9: image 'nowhere.jpg' not found next to the import file.",
        "Skipped line 10: image 'broken.jpg' is not a readable picture.",
    ]


def test_a_second_run_of_the_same_file_changes_nothing(site_tree, reporter):
    run_import("articles.jsonl")
    before = snapshot()

    out, _ = run_import("articles.jsonl")

    assert snapshot() == before
    assert out.splitlines()[0] == (
        "Created 0 article(s), 0 staff profile(s), 0 tag(s), 0 source(s), 0 image(s); "
        "2 already imported; 8 skipped."
    )


def test_csv_import_with_malformed_rows(site_tree):
    out, err = run_import("articles.csv")

    library = ArticlePage.objects.get(import_key="csv-1")
    assert library.title == "Library extends weekend hours"
    assert library.body[0].value.source == (
        "<p>Longer hours start in December.</p><p>Staff welcomed the change.</p>"
    )
    assert sorted(tag.name for tag in library.tags.all()) == ["books", "city"]
    stalls = ArticlePage.objects.get(import_key="csv-2")
    assert [p.title for p in stalls.byline_profiles] == ["Omar Reyes", "Nadia Quill"]
    assert stalls.first_published_at == datetime(2026, 11, 18, 17, 45, tzinfo=UTC)
    assert stalls.source.name == "City Herald"
    assert err.splitlines() == [
        "Skipped row 3: title is required.",
        "Skipped row 4: published_at '2026-13-45' is not an ISO 8601 date and time.",
        "Skipped row 5: more values than columns in the header.",
    ]
    assert out.splitlines()[0].startswith("Created 2 article(s), 2 staff profile(s), 3 tag(s)")

    before = snapshot()
    run_import("articles.csv")
    assert snapshot() == before


def test_wordpress_export_import(site_tree, client):
    out, err = run_import("export.xml")

    tram = ArticlePage.objects.get(title="Tram line survey opens to residents")
    assert tram.import_key == "https://oldblog.example.com/?p=11"
    assert tram.dek == "Residents can comment until January."
    assert tram.body[0].value.source == (
        "<p>The survey runs for <em>six weeks</em>.</p><p>Have your say.</p>"
    )
    assert [p.title for p in tram.byline_profiles] == ["Priya Jones"]
    assert [tag.name for tag in tram.tags.all()] == ["transport"]
    assert tram.first_published_at == datetime(2026, 11, 17, 12, 0, tzinfo=UTC)
    assert tram.source.name == "Old Blog"
    assert tram.get_parent().title == "City"  # its category, as a section
    # The draft is imported as a draft: nowhere on the public site. "About us" is not a story.
    draft = ArticlePage.objects.get(title="Draft that was never published")
    assert not draft.live
    assert client.get(draft.url).status_code == 404
    assert not ArticlePage.objects.filter(title="About us").exists()
    assert err.splitlines() == [
        "Skipped item 4 (Post with a broken date): its date 'yesterday' is not a date and time "
        "as WordPress writes them (2024-02-05 15:53:10).",
    ]
    assert out.splitlines()[0] == (
        "Created 2 article(s), 1 staff profile(s), 1 tag(s), 1 source(s), 0 image(s); "
        "0 already imported; 1 skipped."
    )
    assert (
        "item 2 (Draft that was never published): Imported as a draft: it was a draft in "
        "WordPress." in out
    )

    before = snapshot()
    run_import("export.xml")
    assert snapshot() == before


def test_xml_with_entity_declarations_is_refused_whole(site_tree):
    with pytest.raises(CommandError, match="not a readable WordPress export"):
        run_import("entities.xml")
    assert ArticlePage.objects.count() == 0


def test_unknown_format_and_missing_file_are_clear_errors(site_tree, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    with pytest.raises(CommandError, match=r"notes.txt: unknown format; use \.jsonl, \.csv"):
        call_command("import_articles", str(notes))
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_articles", str(tmp_path / "absent.jsonl"))
