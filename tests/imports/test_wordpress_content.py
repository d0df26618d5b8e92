"""What a WordPress post's content becomes: classic-editor HTML and Gutenberg blocks, read back
as our body's blocks and on the public page."""

from io import StringIO
from pathlib import Path

from django.core.management import call_command

import pytest

from news.models import ArticlePage
from tests.imports import wxr
from tests.imports.wxr import Item

pytestmark = pytest.mark.django_db


def import_post(tmp_path: Path, content: str, **item) -> tuple[ArticlePage, str]:
    path = wxr.write(tmp_path, [Item(1, title="Story", content=content, **item)])
    out = StringIO()
    call_command("import_articles", str(path), stdout=out, stderr=StringIO())
    return ArticlePage.objects.get(), out.getvalue()


def blocks(page: ArticlePage) -> list[tuple[str, object]]:
    result = []
    for block in page.body:
        value = block.value
        if block.block_type == "paragraph":
            value = value.source
        elif block.block_type == "fact_box":
            value = {"title": value["title"], "facts": list(value["facts"])}
        elif hasattr(value, "items"):
            value = dict(value)
        result.append((block.block_type, value))
    return result


CLASSIC = """<h2>Council votes</h2>
The council met on <strong>Tuesday</strong>.
It voted twice.

<span style="color: red">Colour is presentation.</span><script>steal()</script>

<blockquote>We will build it.</blockquote>

[caption id="attachment_9" align="alignnone" width="300"]<img class="wp-image-9" src="https://old.example.com/wp-content/uploads/site.jpg" alt="The site" /> The site today[/caption]

https://www.youtube.com/watch?v=abc123

[contact-form-7 id="5" title="Tips"]

A footnote [sic] stays.
<ul>
 \t<li>First</li>
 \t<li>Second</li>
</ul>
<!--more-->
<p onclick="x()">Last <a href="javascript:alert(1)">word</a> and <a href="https://example.org/">link</a>.</p>"""


def test_a_classic_editor_post(site_tree, tmp_path, client):
    page, out = import_post(tmp_path, CLASSIC)

    assert blocks(page) == [
        ("heading", {"text": "Council votes", "level": "h2"}),
        (
            "paragraph",
            "<p>The council met on <strong>Tuesday</strong>.<br/>It voted twice.</p>"
            "<p>Colour is presentation.</p>",
        ),
        ("quote", {"text": "We will build it.", "attribution": "", "is_pull_quote": False}),
        (
            "paragraph",
            '<p><a href="https://www.youtube.com/watch?v=abc123">'
            "https://www.youtube.com/watch?v=abc123</a></p>"
            "<p>A footnote [sic] stays.</p><ul>\n<li>First</li>\n<li>Second</li>\n</ul>"
            '<p>Last <a>word</a> and <a href="https://example.org/">link</a>.</p>',
        ),
    ]
    notes = out.split("item 1 (Story)")[1]
    assert "Left out scripts in the post's HTML." in notes
    assert "Left out the WordPress shortcode [contact-form-7], which we cannot read." in notes
    assert "Embed kept as a link, not embedded: https://www.youtube.com/watch?v=abc123" in notes
    assert (
        "Image not downloaded: run with --download-media to fetch "
        "https://old.example.com/wp-content/uploads/site.jpg" in notes
    )
    html = client.get(page.url).content.decode()
    assert "<h2>Council votes</h2>" in html
    assert "steal()" not in html and "onclick" not in html and "javascript:" not in html


BLOCKS = """<!-- wp:columns -->
<div class="wp-block-columns"><!-- wp:column {"width":"66%"} -->
<div class="wp-block-column" style="flex-basis:66%"><!-- wp:paragraph {"textColor":"vivid-red"} -->
<p class="has-vivid-red-color has-text-color">Left column.</p>
<!-- /wp:paragraph --></div>
<!-- /wp:column -->

<!-- wp:column -->
<div class="wp-block-column"><!-- wp:heading {"level":4} -->
<h4 class="wp-block-heading">Right column</h4>
<!-- /wp:heading --></div>
<!-- /wp:column --></div>
<!-- /wp:columns -->

<!-- wp:spacer {"height":"40px"} -->
<div style="height:40px" aria-hidden="true" class="wp-block-spacer"></div>
<!-- /wp:spacer -->

<!-- wp:embed {"url":"https://twitter.com/newsroom/status/1","type":"rich","providerNameSlug":"twitter"} -->
<figure class="wp-block-embed is-type-rich is-provider-twitter"><div class="wp-block-embed__wrapper">
https://twitter.com/newsroom/status/1
</div><figcaption class="wp-element-caption">The mayor's post</figcaption></figure>
<!-- /wp:embed -->

<!-- wp:core-embed/youtube {"url":"https://youtu.be/old"} -->
<figure class="wp-block-embed-youtube"><div class="wp-block-embed__wrapper">https://youtu.be/old</div></figure>
<!-- /wp:core-embed/youtube -->

<!-- wp:jetpack/markdown {"source":"**Bold** claim"} -->
<div class="wp-block-jetpack-markdown"><p><strong>Bold</strong> claim</p></div>
<!-- /wp:jetpack/markdown -->

<!-- wp:html -->
<div onmouseover="evil()"><iframe src="https://ads.example.com"></iframe>Sponsored <b>note</b></div>
<!-- /wp:html -->

<!-- wp:latest-posts {"postsToShow":3} /-->

<!-- wp:details -->
<details class="wp-block-details"><summary>Key facts</summary><!-- wp:list -->
<ul><!-- wp:list-item -->
<li>Cost: £2m</li>
<!-- /wp:list-item -->

<!-- wp:list-item -->
<li>Opens: May</li>
<!-- /wp:list-item --></ul>
<!-- /wp:list --></details>
<!-- /wp:details -->

<!-- wp:pullquote -->
<figure class="wp-block-pullquote"><blockquote><p>It will change the city.</p><cite>The mayor</cite></blockquote></figure>
<!-- /wp:pullquote -->

<!-- wp:buttons -->
<div class="wp-block-buttons"><!-- wp:button {"backgroundColor":"vivid-red"} -->
<div class="wp-block-button"><a class="wp-block-button__link has-vivid-red-background-color wp-element-button" href="https://example.org/donate">Support us</a></div>
<!-- /wp:button --></div>
<!-- /wp:buttons -->"""


def test_gutenberg_blocks(site_tree, tmp_path, client):
    page, out = import_post(tmp_path, BLOCKS)

    assert blocks(page) == [
        ("paragraph", "<p>Left column.</p>"),
        ("heading", {"text": "Right column", "level": "h3"}),
        (
            "paragraph",
            '<p><a href="https://twitter.com/newsroom/status/1">The mayor&#x27;s post</a></p>'
            '<p><a href="https://youtu.be/old">https://youtu.be/old</a></p>'
            "<p>Bold claim</p><p>Sponsored note</p>",
        ),
        ("fact_box", {"title": "Key facts", "facts": ["Cost: £2m", "Opens: May"]}),
        (
            "quote",
            {"text": "It will change the city.", "attribution": "The mayor", "is_pull_quote": True},
        ),
        ("paragraph", '<p><a href="https://example.org/donate">Support us</a></p>'),
    ]
    notes = out.split("item 1 (Story)")[1]
    assert "Kept only the text of a “jetpack/markdown” block, which we have no match for." in notes
    assert "Custom HTML kept as text only." in notes
    assert (
        "Left out a WordPress “latest-posts” block: it shows other site content, not this "
        "story's." in notes
    )
    html = client.get(page.url).content.decode()
    body = html[html.index('<div class="article__body">') :]
    assert "<h3>Right column</h3>" in body
    assert '<aside class="fact-box" aria-label="Key facts">' in body
    assert "quote--pull" in body
    assert "evil()" not in html and "ads.example.com" not in html and "<!-- wp:" not in html


def test_a_reusable_block_is_expanded_where_it_is_used(site_tree, tmp_path):
    reusable = Item(
        90,
        title="Newsletter plug",
        post_type="wp_block",
        content="<!-- wp:paragraph -->\n<p>Sign up for the morning briefing.</p>\n<!-- /wp:paragraph -->",
    )
    story = Item(
        1,
        title="Story",
        content='<!-- wp:paragraph -->\n<p>Body.</p>\n<!-- /wp:paragraph -->\n<!-- wp:block {"ref":90} /-->',
    )
    path = wxr.write(tmp_path, [story, reusable])
    out = StringIO()

    call_command("import_articles", str(path), stdout=out)

    page = ArticlePage.objects.get()
    assert blocks(page) == [
        ("paragraph", "<p>Body.</p><p>Sign up for the morning briefing.</p>"),
    ]
    assert (
        "item 2 (Newsletter plug): Skipped: a reusable block; its content is kept in the "
        "stories that use it." in out.getvalue()
    )


def test_long_quotes_and_headings_keep_their_text(site_tree, tmp_path):
    long_quote = "word " * 250
    content = (
        f"<blockquote><p>{long_quote}</p><cite>Someone</cite></blockquote>"
        f"<h2>{'Very long heading ' * 15}</h2>"
    )
    page, out = import_post(tmp_path, content)

    kinds = [kind for kind, _ in blocks(page)]
    assert kinds == ["paragraph"]
    source = blocks(page)[0][1]
    assert source.startswith("<p>word word")
    assert "<p>— Someone</p><p><b>Very long heading" in source
    assert "A quote longer than a quote block holds (1,000 characters)" in out
    assert "A heading longer than 200 characters was kept as a bold paragraph." in out
    page.body.stream_block.clean(page.body)
