"""Importing WordPress exports: namespaces and versions, statuses, people, sections, media,
comments, slugs and redirects, the report, and bad files. Exports are built in each test
(tests/imports/wxr.py); the shared 64-block sample has its own module."""

import csv
import functools
import http.server
import threading
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command
from django.db import DataError
from django.utils import timezone

from taggit.models import Tag
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

import pytest

from imports import saving
from imports.models import ImportedImage
from news.models import ArticlePage, NewsImage, NewsIndexPage, StaffProfilePage
from readership.models import Comment
from tests.imports import wxr
from tests.imports.wxr import Item

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


def run(path: Path, *options: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_articles", str(path), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def item_line(out: str, label_start: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(label_start))


def counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": NewsImage.objects.count(),
        "redirects": Redirect.objects.count(),
        "comments": Comment.objects.count(),
        "tags": Tag.objects.count(),
        "profiles": StaffProfilePage.objects.count(),
    }


@pytest.fixture
def media_server():
    """A real HTTP server on loopback serving the test fixtures, as a WordPress media host."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(FIXTURES))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


# --- Namespaces and versions ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "scheme"),
    [("1.2", "https"), ("1.2", "http"), ("1.1", "https"), ("1.1", "http"), ("1.0", "http")],
)
def test_every_export_namespace_imports_its_posts(site_tree, tmp_path, version, scheme):
    path = wxr.write(
        tmp_path,
        [Item(1, title="Bridge reopens", tags=["transport"], excerpt="Traffic flows again.")],
        version=version,
        scheme=scheme,
    )

    out, err = run(path)

    assert err == ""
    story = ArticlePage.objects.get()
    assert story.title == "Bridge reopens"
    assert story.live
    assert story.first_published_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert story.dek == "Traffic flows again."
    assert [tag.name for tag in story.tags.all()] == ["transport"]
    # WXR 1.0 has no author list: the login is the name.
    expected_author = "jdoe" if version == "1.0" else "Jane Doe"
    assert [profile.title for profile in story.byline_profiles] == [expected_author]
    assert "status missing" not in out
    assert out.splitlines()[0].startswith("Created 1 article(s)")


def test_wxr_1_0_tags_in_the_tag_domain_and_doubled_categories(site_tree, tmp_path):
    item = Item(1, tags=["Harbour"], tag_domain="tag", categories=[("city", "City")])
    xml = wxr.export([item], version="1.0").replace(
        '<category domain="category" nicename="city">',
        '<category><![CDATA[City]]></category><category domain="category" nicename="city">',
    )
    path = tmp_path / "old.xml"
    path.write_text(xml)

    run(path)

    story = ArticlePage.objects.get()
    assert [tag.name for tag in story.tags.all()] == ["Harbour"]
    assert story.get_parent().title == "City"
    assert NewsIndexPage.objects.filter(title="City").count() == 1


# --- Statuses -------------------------------------------------------------------------------


def test_statuses_map_to_live_drafts_and_skips(site_tree, tmp_path):
    future = (timezone.now() + timedelta(days=3)).astimezone(UTC).replace(microsecond=0)
    future_text = future.strftime("%Y-%m-%d %H:%M:%S")
    path = wxr.write(
        tmp_path,
        [
            Item(1, title="Live story"),
            Item(2, title="Half-written", status="draft", date_gmt="0000-00-00 00:00:00"),
            Item(3, title="Waiting for the desk", status="pending"),
            Item(4, title="Staff only", status="private"),
            Item(5, title="Embargoed", status="future", date=future_text, date_gmt=future_text),
            Item(6, title="Members only", password="s3cret"),
            Item(7, title="Thrown away", status="trash"),
        ],
    )

    out, err = run(path)

    assert err == ""
    live = ArticlePage.objects.get(title="Live story")
    assert live.live and live.first_published_at == datetime(2024, 3, 1, 9, 30, tzinfo=UTC)
    assert live.last_published_at == live.first_published_at
    for title in ("Half-written", "Waiting for the desk", "Staff only", "Members only"):
        draft = ArticlePage.objects.get(title=title)
        assert not draft.live and draft.first_published_at is None
        assert draft.latest_revision is not None  # editors can open and publish it
    embargoed = ArticlePage.objects.get(title="Embargoed")
    assert not embargoed.live
    assert embargoed.go_live_at == future
    assert embargoed.latest_revision.approved_go_live_at is None  # not scheduled by the import
    assert not ArticlePage.objects.filter(title="Thrown away").exists()
    assert ArticlePage.objects.published().get() == live

    assert item_line(out, "item 2 ") == (
        "item 2 (Half-written): Imported as a draft: it was a draft in WordPress."
    )
    assert item_line(out, "item 3 ") == (
        "item 3 (Waiting for the desk): Imported as a draft: it was waiting for review in "
        "WordPress."
    )
    assert "Imported as a draft: it was private in WordPress" in item_line(out, "item 4 ")
    assert item_line(out, "item 5 ") == (
        f"item 5 (Embargoed): Imported as a draft: it was scheduled in WordPress for "
        f"{future:%Y-%m-%d %H:%M} UTC, kept as its go-live time; publish it in the admin to "
        "schedule it."
    )
    assert item_line(out, "item 6 ") == (
        "item 6 (Members only): Imported as a draft: it was password-protected in WordPress. "
        "The password was not imported: decide who may read it before publishing."
    )
    assert (
        item_line(out, "item 7 ") == "item 7 (Thrown away): Skipped: it was in WordPress's trash."
    )
    assert out.splitlines()[1].startswith("1 published and 5 imported as drafts")

    # Drafts are not on the public site, and no old address leads to them.
    assert Redirect.objects.filter(redirect_page__title="Live story").count() == 3
    assert not Redirect.objects.exclude(redirect_page__title="Live story").exists()
    for draft in ArticlePage.objects.filter(live=False):
        assert Page.objects.get(pk=draft.pk).url_path.endswith(f"/{draft.slug}/")


def test_pages_menus_and_unknown_post_types_are_reported_not_imported(site_tree, tmp_path):
    path = wxr.write(
        tmp_path,
        [
            Item(1, title="About us", post_type="page"),
            Item(2, title="Main menu", post_type="nav_menu_item"),
            Item(3, title="Match report", post_type="sports_story"),
        ],
    )

    out, _ = run(path)
    assert ArticlePage.objects.count() == 0
    assert item_line(out, "item 1 ").startswith("item 1 (About us): Skipped: a WordPress page")
    assert item_line(out, "item 2 ") == "item 2 (Main menu): Skipped: a menu entry."
    assert item_line(out, "item 3 ") == (
        "item 3 (Match report): Skipped: a WordPress “sports_story” item, not a story (import "
        "these too with --post-types=post,sports_story)."
    )

    run(path, "--post-types=post,sports_story")
    assert ArticlePage.objects.get().title == "Match report"


# --- People, sections, tags -----------------------------------------------------------------


def test_authors_match_profiles_by_name_or_login_and_missing_ones_become_draft_profiles(
    site_tree, tmp_path, reporter
):
    path = wxr.write(
        tmp_path,
        [
            Item(1, title="By Ada", creator="ada"),
            Item(2, title="By a newcomer", creator="newbie"),
            Item(3, title="By the newcomer again", creator="newbie"),
        ],
        authors=[("ada", "Ada Byline"), ("newbie", "Nico Newcomer")],
    )

    out, _ = run(path)

    assert ArticlePage.objects.get(title="By Ada").byline_profiles == [reporter]
    newcomer = StaffProfilePage.objects.get(title="Nico Newcomer")
    assert not newcomer.live  # an editor completes and publishes it
    assert newcomer.bio == "<p>Writes about the city.</p>"
    assert ArticlePage.objects.get(title="By the newcomer again").byline_profiles == [newcomer]
    assert StaffProfilePage.objects.count() == 2
    assert "Staff profiles created as drafts (complete and publish them): Nico Newcomer" in out


def test_categories_become_nested_sections_or_tags(site_tree, tmp_path):
    items = [
        Item(1, title="Council news", categories=[("council", "Council"), ("city", "City")]),
        Item(2, title="No category", categories=[("uncategorized", "Uncategorized")]),
    ]
    categories = [("city", "City", ""), ("council", "Council", "city")]
    path = wxr.write(tmp_path, items, categories=categories)

    out, _ = run(path)

    story = ArticlePage.objects.get(title="Council news")
    council = story.get_parent().specific
    assert (council.title, council.get_parent().title) == ("Council", "City")
    assert council.get_parent().get_parent().specific == site_tree["news"]
    assert council.live and council.get_parent().live
    assert story.url == "/news/city/council/story-1/"
    assert [tag.name for tag in story.tags.all()] == ["City"]  # its second category
    assert ArticlePage.objects.get(title="No category").get_parent().specific == site_tree["news"]
    assert "Sections created: City, Council" in out

    ArticlePage.objects.all().delete()
    NewsIndexPage.objects.exclude(pk=site_tree["news"].pk).delete()
    run(path, "--categories=tags")
    story = ArticlePage.objects.get(title="Council news")
    assert story.get_parent().specific == site_tree["news"]
    assert sorted(tag.name for tag in story.tags.all()) == ["City", "Council"]
    assert NewsIndexPage.objects.count() == 1


# --- Media ----------------------------------------------------------------------------------


def media_export(tmp_path: Path, host: str) -> Path:
    content = (
        '<!-- wp:image {"id":50} -->\n<figure class="wp-block-image"><img src="'
        f'{host}/harbour-1024x768.jpg" alt="" class="wp-image-50"/><figcaption '
        'class="wp-element-caption">The quay at dawn</figcaption></figure>\n<!-- /wp:image -->\n'
        f'<!-- wp:image -->\n<figure class="wp-block-image"><img src="{host}/missing.jpg" '
        'alt="Lost"/></figure>\n<!-- /wp:image -->'
    )
    return wxr.write(
        tmp_path,
        [
            Item(
                50,
                title="Harbour at dawn",
                post_type="attachment",
                status="inherit",
                attachment_url=f"{host}/harbour.jpg",
                excerpt="Photo: the harbour master",
                meta={"_wp_attachment_image_alt": "Boats at the quay"},
            ),
            Item(
                51,
                title="Audio",
                post_type="attachment",
                status="inherit",
                attachment_url=f"{host}/interview.mp3",
            ),  # fmt: skip
            Item(1, title="Harbour story", content=content, meta={"_thumbnail_id": "50"}),
        ],
    )


def test_without_download_media_no_image_is_created_and_each_address_is_reported(
    site_tree, tmp_path
):
    path = media_export(tmp_path, "https://media.example.com")

    out, err = run(path)

    assert err == ""
    assert NewsImage.objects.count() == 0
    story = ArticlePage.objects.get()
    assert story.lead_image is None
    assert [block.block_type for block in story.body] == []
    assert item_line(out, "item 1 ") == (
        "item 1 (Harbour at dawn): Skipped: an attachment. Image not downloaded: run with "
        "--download-media to fetch https://media.example.com/harbour.jpg"
    )
    assert item_line(out, "item 2 ") == (
        "item 2 (Audio): Skipped: an attachment that is not an image; stories that use it "
        "link to https://media.example.com/interview.mp3."
    )
    notes = out.split("item 3 (Harbour story)")[1].splitlines()[1:]
    assert notes == [
        "    - Image not downloaded: run with --download-media to fetch "
        "https://media.example.com/harbour.jpg",
        "    - Image not downloaded: run with --download-media to fetch "
        "https://media.example.com/missing.jpg",
        "    - Featured image not downloaded: run with --download-media to fetch "
        "https://media.example.com/harbour.jpg",
    ]
    assert "2 image(s) not downloaded" in out.splitlines()[1]


def test_download_media_fetches_attachments_and_featured_images_once(
    site_tree, tmp_path, media_server, client
):
    (tmp_path / "media").mkdir()
    path = media_export(tmp_path / "media", media_server)

    out, _ = run(path, "--download-media")

    image = NewsImage.objects.get()
    assert (image.title, image.description, image.caption) == (
        "Harbour at dawn",
        "Boats at the quay",
        "Photo: the harbour master",
    )
    assert image.width == 1600
    assert ImportedImage.objects.get().source_url == f"{media_server}/harbour.jpg"
    story = ArticlePage.objects.get()
    assert story.lead_image == image
    # The resized copy in the body is the same attachment: no second download.
    figure = story.body[0]
    assert figure.block_type == "image"
    assert figure.value["image"].pk == image.pk
    assert figure.value["image"].contextual_alt_text == "Boats at the quay"
    assert figure.value["caption"] == "The quay at dawn"
    assert len(story.body) == 1
    assert f"Image not downloaded from {media_server}/missing.jpg: the server answered 404." in out
    assert item_line(out, "item 1 ") == (
        "item 1 (Harbour at dawn): Skipped: an attachment, imported as an image."
    )
    assert out.splitlines()[0].startswith(
        "Created 1 article(s), 1 staff profile(s), 0 tag(s), 0 source(s), 1 image(s)"
    )

    response = client.get(story.url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "The quay at dawn" in body
    assert 'alt="Boats at the quay"' in body

    before = counts()
    out, _ = run(path, "--download-media")
    assert counts() == before
    assert item_line(out, "item 1 ") == (
        "item 1 (Harbour at dawn): Unchanged: an attachment, already imported as an image."
    )


# --- Comments -------------------------------------------------------------------------------


def test_comments_become_moderated_comments(site_tree, tmp_path, client):
    comments = [
        wxr.Comment(10, "First!", approved="1", date_gmt="2024-03-01 10:00:00"),
        wxr.Comment(11, "<p>Agreed, <b>strongly</b>.</p>", approved="1", parent=10),
        wxr.Comment(12, "A reply to the reply", approved="0", parent=11),
        wxr.Comment(13, "Buy pills", approved="spam"),
        wxr.Comment(14, "Deleted", approved="trash"),
        wxr.Comment(15, "Linked to you", type="pingback"),
    ]
    path = wxr.write(tmp_path, [Item(1, comments=comments, comment_status="closed")])

    out, _ = run(path)

    story = ArticlePage.objects.get()
    assert not story.comments_enabled  # closed in WordPress
    first = Comment.objects.get(body="First!")
    assert first.status == Comment.Status.APPROVED and first.parent is None
    assert first.created_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)
    reply = Comment.objects.get(body="Agreed, strongly.")
    assert (reply.status, reply.parent) == (Comment.Status.APPROVED, first)
    nested = Comment.objects.get(body="A reply to the reply")
    assert (nested.status, nested.parent) == (Comment.Status.PENDING, first)
    assert Comment.objects.count() == 3
    notes = out.split("item 1 (A story)")[1]
    assert "Comments left out: 1, marked as spam in WordPress." in notes
    assert "Comments left out: 1, in WordPress's comment trash." in notes
    assert "Comments left out: 1, pingbacks or trackbacks from other sites" in notes
    assert "3 comment(s) (2 approved, 1 waiting for moderation)" in out

    page = client.get(story.url).content.decode()
    assert "Agreed, strongly." in page
    assert "A reply to the reply" not in page
    assert "Buy pills" not in page


# --- Slugs and old addresses ----------------------------------------------------------------


def test_slugs_are_kept_and_duplicates_numbered(site_tree, tmp_path):
    path = wxr.write(
        tmp_path,
        [
            Item(1, title="Budget", name="budget-vote"),
            Item(2, title="Budget again", name="budget-vote", link="https://old.example.com/b/"),
            Item(3, title="Caf\u00e9 opens", name="caf%c3%a9-opens"),
            Item(4, title="Untitled slug", name=""),
        ],
    )

    out, _ = run(path)

    assert [page.slug for page in ArticlePage.objects.order_by("pk")] == [
        "budget-vote",
        "budget-vote-2",
        "caf\u00e9-opens",
        "untitled-slug",
    ]
    assert (
        "Its WordPress address name “budget-vote” is taken in News, so it is “budget-vote-2”."
        in out
    )


def test_old_wordpress_addresses_redirect_to_the_new_page(site_tree, tmp_path, client):
    path = wxr.write(
        tmp_path,
        [Item(12, title="Tram survey", name="tram-survey", link="https://old.example.com/local/tram-survey/")],
        base="https://old.example.com",
    )  # fmt: skip

    run(path)

    story = ArticlePage.objects.get()
    assert sorted(Redirect.objects.values_list("old_path", flat=True)) == [
        "/2024/03/tram-survey",
        "/?p=12",
        "/local/tram-survey",
    ]
    for old in ("/2024/03/tram-survey/", "/local/tram-survey/", "/?p=12", "/?p=12&utm_source=x"):
        response = client.get(old)
        assert (response.status_code, response.headers["Location"]) == (301, story.url), old
    # The front page itself, and other ids, are untouched.
    assert client.get("/").status_code == 200
    assert client.get("/?p=999").status_code == 200
    assert client.get(story.url).status_code == 200


def test_redirects_under_a_blog_subfolder(site_tree, tmp_path, client):
    path = wxr.write(tmp_path, [Item(7, name="late-edition")], base="https://old.example.com/blog")

    run(path)

    story = ArticlePage.objects.get()
    assert client.get("/blog/?p=7").headers["Location"] == story.url
    assert client.get("/blog/2024/03/late-edition/").headers["Location"] == story.url


# --- Bad input ------------------------------------------------------------------------------


def test_a_truncated_export_imports_nothing(site_tree, tmp_path):
    xml = wxr.export([Item(1, title="First"), Item(2, title="Second")])
    path = tmp_path / "cut.xml"
    path.write_text(xml[: xml.index("<item>", xml.index("<item>") + 1) + 40])

    with pytest.raises(
        CommandError, match=r"cut.xml: not a readable WordPress export \(broken XML"
    ):
        run(path)
    assert ArticlePage.objects.count() == 0


def test_an_xml_bomb_is_refused(site_tree, tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(f'<!ENTITY lol{n} "{"&lol%s;" % (n - 1 or "") * 10}">' for n in range(1, 9))
        + ']>\n<rss xmlns:wp="https://wordpress.org/export/1.2/"><channel><item>'
        "<title>&lol8;</title></item></channel></rss>"
    )

    with pytest.raises(CommandError, match="declares XML entities"):
        run(path)
    assert ArticlePage.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(site_tree, tmp_path):
    path = wxr.write(tmp_path, [Item(1, content="<p>" + "x" * 1_100_000 + "</p>")])

    with pytest.raises(
        CommandError, match=r"export.xml is 1\.1\sMB, more than the 1\.0\sMB one import reads"
    ):
        run(path, "--max-size-mb=1")
    assert ArticlePage.objects.count() == 0


def test_not_a_wordpress_export(site_tree, tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text("<rss><channel><item><title>x</title></item></channel></rss>")
    with pytest.raises(CommandError, match="no WordPress export elements"):
        run(path)


def test_items_without_title_or_guid_are_skipped_and_the_rest_imports(site_tree, tmp_path):
    path = wxr.write(
        tmp_path,
        [
            Item(1, title=""),
            Item(2, title="Good story"),
            Item(0, title="No way to recognise it", guid=""),
            Item(4, title="Bad date", date_gmt="yesterday"),
        ],
    )
    xml = path.read_text().replace("<wp:post_id>0</wp:post_id>", "")
    path.write_text(xml)

    out, err = run(path)

    assert [page.title for page in ArticlePage.objects.all()] == ["Good story"]
    assert err.splitlines() == [
        "Skipped item 1: it has no title; give it one in WordPress and export again.",
        "Skipped item 3 (No way to recognise it): it has neither a <guid> nor a post id, so a "
        "second import could not recognise it.",
        "Skipped item 4 (Bad date): its date 'yesterday' is not a date and time as WordPress "
        "writes them (2024-02-05 15:53:10).",
    ]
    assert out.splitlines()[0].endswith("0 already imported; 3 skipped.")


def test_a_failing_item_leaves_nothing_behind(site_tree, tmp_path, monkeypatch):
    """The section, profile, tag and page an item creates go with it when it fails late (here
    the database refusing its comments), and the editor gets a sentence, not a traceback."""
    path = wxr.write(
        tmp_path,
        [
            Item(
                1,
                title="Fails at its comments",
                categories=[("brand-new", "Brand new")],
                tags=["fresh-tag"],
                creator="stranger",
                comments=[wxr.Comment(1, "Hello")],
            ),
            Item(2, title="Fine story"),
        ],
        authors=[("stranger", "Sam Stranger"), ("jdoe", "Jane Doe")],
    )

    save_comments = saving.save_comments

    def refuse(page, comments, **kwargs):
        if comments:
            raise DataError("value too long for type character varying(80)")
        return save_comments(page, comments, **kwargs)

    monkeypatch.setattr(saving, "save_comments", refuse)
    before = counts()

    out, err = run(path)

    assert err.splitlines() == [
        "Skipped item 1 (Fails at its comments): an unexpected error stopped it (DataError); "
        "nothing of it was imported, and the server log has the details."
    ]
    assert not NewsIndexPage.objects.filter(title="Brand new").exists()
    assert not StaffProfilePage.objects.filter(title="Sam Stranger").exists()
    assert not Tag.objects.filter(name="fresh-tag").exists()
    assert ArticlePage.objects.get().title == "Fine story"
    after = counts()
    assert after["pages"] == before["pages"] + 2  # the fine story and Jane Doe's profile
    assert "Sections created" not in out


def test_a_source_link_too_long_is_left_out_and_said(site_tree, tmp_path):
    long_link = "https://wire.example.com/" + "a" * 600
    path = wxr.write(tmp_path, [Item(1, meta={"source_name": "Wire", "source_url": long_link})])

    out, err = run(path)

    assert err == ""
    story = ArticlePage.objects.get()
    assert (story.source.name, story.source_url) == ("Wire", "")
    assert "Its source link was left out: not a web address of at most 500 characters." in out


def test_the_report_can_be_written_as_a_spreadsheet(site_tree, tmp_path):
    path = wxr.write(
        tmp_path,
        [Item(1, title="Live"), Item(2, title="Draft", status="draft"), Item(3, title="")],
    )
    report = tmp_path / "report.csv"

    out, _ = run(path, f"--report={report}")

    rows = list(csv.reader(report.open(encoding="utf-8")))
    assert rows[0] == ["item", "outcome", "what happened", "notes"]
    assert [row[:2] for row in rows[1:]] == [
        ["item 1 (Live)", "published"],
        ["item 2 (Draft)", "draft"],
        ["item 3", "failed"],
    ]
    assert rows[2][2] == "Imported as a draft: it was a draft in WordPress."
    assert rows[3][2] == "it has no title; give it one in WordPress and export again."
    assert out.splitlines()[-1] == f"Item-by-item report written to {report}."
