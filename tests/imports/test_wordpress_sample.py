"""The shared sample: WordPress's own 64-block theme test export (`shared/data/`), imported as an
editor would, read back on the public site, and imported a second time."""

import json
import re
import time
from io import StringIO
from pathlib import Path

from django.core.management import call_command

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, Revision

import pytest
from bs4 import BeautifulSoup

from news.models import ArticlePage, NewsImage, NewsIndexPage, StaffProfilePage
from readership.models import Comment

# The project's shared/ folder sits beside the checkout (or beside a folder of worktrees).
SAMPLE = next(
    (
        folder / "shared" / "data" / "wp-block-sample.xml"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "data" / "wp-block-sample.xml").is_file()
    ),
    None,
)
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        SAMPLE is None, reason="shared/data/wp-block-sample.xml is not beside the checkout"
    ),
]
RICH_TEXT_TAGS = {"p", "b", "strong", "i", "em", "a", "ul", "ol", "li", "br"}
TAG = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def run() -> tuple[str, str, float]:
    out, err = StringIO(), StringIO()
    started = time.perf_counter()
    call_command("import_articles", str(SAMPLE), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue(), time.perf_counter() - started


def counts() -> dict:
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": NewsImage.objects.count(),
        "redirects": Redirect.objects.count(),
        "comments": Comment.objects.count(),
    }


def text_values(value):
    """Every string in a block's raw value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from text_values(item)
    elif isinstance(value, list):
        for item in value:
            yield from text_values(item)


@pytest.fixture
def imported(site_tree):
    out, err, seconds = run()
    print(f"\nimported the shared sample in {seconds:.1f} s")  # quoted in the closing note
    return out, err


def test_the_sample_imports_every_post_as_a_live_article(imported, site_tree):
    out, err = imported

    assert err == ""
    assert ArticlePage.objects.live().count() == 61
    assert out.splitlines()[0] == (
        "Created 61 article(s), 1 staff profile(s), 4 tag(s), 0 source(s), 0 image(s); "
        "0 already imported; 0 skipped."
    )
    assert sorted(NewsIndexPage.objects.child_of(site_tree["news"]).values_list("title", flat=True)) == [
        "Design", "Media", "Text", "Theme", "Widgets",
    ]  # fmt: skip
    paragraph = ArticlePage.objects.get(title="Paragraph")
    assert paragraph.url == "/news/text/paragraph/"
    assert str(paragraph.first_published_at) == "2024-02-05 15:53:10+00:00"
    assert [p.title for p in paragraph.byline_profiles] == ["Theme Reviewer"]
    assert not StaffProfilePage.objects.get(title="Theme Reviewer").live
    # Two posts share the name "footnotes": the second is numbered.
    assert ArticlePage.objects.get(title="Classic").slug == "footnotes-2"
    comments = ArticlePage.objects.get(title="Comments").comments.order_by("pk")
    assert [(c.body, c.status, c.parent_id) for c in comments] == [
        ("Example comment.", "approved", None),
        ("A reply to the example comment.", "approved", comments[0].pk),
    ]
    assert "item 13 (How to use the test data): Skipped: a WordPress page" in out
    assert "item 64 (Golden Gate Bridge): Skipped: an attachment. Image not downloaded: run " \
        "with --download-media to fetch https://wpthemetestdata.files.wordpress.com/2008/06/100_5540.jpg" in out  # fmt: skip


def test_bodies_are_our_blocks_with_no_block_comments_and_no_raw_html(imported):
    for page in ArticlePage.objects.all():
        raw = list(page.body.raw_data)
        assert "<!--" not in json.dumps(raw), page.title
        for block in raw:
            if block["type"] == "paragraph":
                soup = BeautifulSoup(block["value"], "html.parser")
                assert {tag.name for tag in soup.find_all()} <= RICH_TEXT_TAGS, page.title
                for tag in soup.find_all():
                    assert set(tag.attrs) <= ({"href"} if tag.name == "a" else set()), tag
            else:
                for text in text_values(block["value"]):
                    assert not TAG.search(text), (page.title, block)
        # What an editor opens in the admin validates as our body.
        page.body.stream_block.clean(page.body)
        page.full_clean()

    # And they read as the blocks they were.
    def blocks_of(title):
        return [(b.block_type, b.value) for b in ArticlePage.objects.get(title=title).body]

    heading = blocks_of("Paragraph")
    assert ("heading", {"text": "Color", "level": "h2"}) in [
        (kind, dict(value)) for kind, value in heading if kind == "heading"
    ]
    first_type, first_value = heading[0]
    assert first_type == "paragraph"
    assert first_value.source.startswith(
        "<p>A paragraph.</p><p>A paragraph with drop cap enabled. <strong>Note: There is a "
        "spacer block below, to clear the next block</strong>.</p>"
    )
    quotes = [dict(v) for kind, v in blocks_of("Quote") if kind == "quote"]
    assert quotes[0] == {
        "text": "Quote, default (no alignment)",
        "attribution": "Citation",
        "is_pull_quote": False,
    }
    pulls = [dict(v) for kind, v in blocks_of("Pullquote") if kind == "quote"]
    assert pulls[0] == {
        "text": "Pullquote, no alignment",
        "attribution": "Citation",
        "is_pull_quote": True,
    }
    facts = [v for kind, v in blocks_of("Details") if kind == "fact_box"]
    assert (facts[0]["title"], list(facts[0]["facts"])) == ("Summary", ["Paragraph block"])
    classic = blocks_of("Classic")
    assert [kind for kind, _ in classic] == ["heading"] * 6 + ["paragraph", "quote", "paragraph"]
    assert classic[8][1].source.startswith("<ul>\n<li>Bulleted list</li>")
    footnotes = blocks_of("Footnotes")
    assert footnotes[0][1].source.endswith("<p>A paragraph[1]</p><p>Another paragraph[2]</p>")
    assert footnotes[2][1].source == "<ol><li>A note</li><li>Another note</li></ol>"


def test_imported_pages_render_their_text_on_the_public_site(imported, client):
    for title, expected in [
        ("Paragraph", ["<h2>Color</h2>", "A paragraph with drop cap enabled."]),
        ("Classic", ["<h2>Heading 1</h2>", "A quote inside a classic block", "Bulleted list"]),
        ("Quote", ["Quote, default (no alignment)", "— Citation"]),
        ("Custom HTML", ["Hello World"]),
        ("Buttons", ['<a href="#">25%</a>']),
    ]:
        page = ArticlePage.objects.get(title=title)
        response = client.get(page.url)
        assert response.status_code == 200, title
        html = response.content.decode()
        body = html[html.index('<div class="article__body">') :]
        body = body[: body.index("</div>")]
        for text in expected:
            assert text in body, (title, text)
        assert "<!-- wp:" not in html
        assert "has-drop-cap" not in body and "style=" not in body and "<mark" not in body


def test_importing_the_sample_twice_changes_nothing(imported):
    before = counts()

    out, err, seconds = run()
    print(f"\nthe second import of the shared sample took {seconds:.1f} s")

    assert counts() == before
    assert err == ""
    assert out.splitlines()[0] == (
        "Created 0 article(s), 0 staff profile(s), 0 tag(s), 0 source(s), 0 image(s); "
        "61 already imported; 0 skipped."
    )
    assert "item 1 (Paragraph): Unchanged: already imported, at /news/text/paragraph/." in out
