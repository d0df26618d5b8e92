"""WordPress post content (Gutenberg blocks or classic HTML) to our article body.

WordPress stores a block post as HTML with its blocks marked by comments
(`<!-- wp:image {"id":12} --> … <!-- /wp:image -->`); a classic post is HTML with WordPress's
line-break conventions and shortcodes. Both come out as the raw data of our `ArticleBodyBlock`
(`news/blocks.py`): paragraphs and lists (one rich-text block per run), headings, quotes and pull
quotes, figures with captions, fact boxes (from "details" blocks whose content is short facts),
and links in place of embeds, videos, audio and files.

What is kept and what is not:
- Meaning is kept, presentation dropped: colours, fonts, alignment, spacers, separators,
  columns, groups and covers (their content stays, in reading order), buttons' styling (their
  link stays).
- Rich text goes only through Wagtail's own rich-text conversion with the article body's
  features (bold, italic, links, lists); every other value is plain text, escaped where it is
  shown. No HTML from the export is ever passed through.
- Blocks that show other site content (latest posts, archives, search, navigation, comments,
  the post's own title or date) have nothing of the story in them: they are left out and named.
- Blocks we do not know keep their text and are named, as are custom HTML, shortcodes we
  cannot read, tables (kept as lists of rows) and images we could not bring in.
"""

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.utils.html import escape

from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter

from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from bs4.element import CData, Declaration, Doctype, ProcessingInstruction

from news.blocks import ArticleBodyBlock

BODY_FEATURES = ArticleBodyBlock.base_blocks["paragraph"].features
HEADING_MAX = ArticleBodyBlock.base_blocks["heading"].child_blocks["text"].field.max_length
QUOTE_MAX = 1000
ATTRIBUTION_MAX = 200
CAPTION_MAX = 300
FACT_BOX_TITLE_MAX = 120
FACT_MAX = 300
MAX_REUSABLE_DEPTH = 3

# `<!-- wp:name {attrs} -->`, `<!-- /wp:name -->` and `<!-- wp:name /-->`, as WordPress's own
# block parser reads them (wp-includes/class-wp-block-parser.php).
BLOCK_DELIMITER = re.compile(
    r"<!--\s+(?P<closer>/)?wp:(?P<namespace>[a-z][a-z0-9_-]*/)?(?P<name>[a-z][a-z0-9_-]*)"
    r"\s+(?P<attrs>\{.*?\}\s+)?(?P<void>/)?-->",
    re.DOTALL,
)

# Blocks whose only content is presentation.
PRESENTATION_BLOCKS = {"spacer", "separator", "more", "nextpage"}
# Blocks that lay other blocks out: their content is kept, in reading order.
LAYOUT_BLOCKS = {"group", "columns", "column", "row", "stack", "buttons", "media-text", "cover"}
# Blocks whose HTML, inner blocks included, says what they are.
CONTENT_BLOCKS = {
    "paragraph",
    "heading",
    "list",
    "list-item",
    "quote",
    "pullquote",
    "image",
    "gallery",
    "table",
    "code",
    "preformatted",
    "verse",
    "details",
    "file",
    "video",
    "audio",
    "button",
    "freeform",
}
# Blocks that show the site's other content, not the story's.
SITE_WIDGET_BLOCKS = {
    "archives",
    "avatar",
    "calendar",
    "categories",
    "latest-comments",
    "latest-posts",
    "loginout",
    "page-list",
    "page-list-item",
    "pattern",
    "read-more",
    "rss",
    "search",
    "social-link",
    "social-links",
    "tag-cloud",
    "template-part",
    "term-description",
    "legacy-widget",
    "widget-group",
    "home-link",
}
SITE_WIDGET_PREFIXES = ("post-", "query", "comment", "site-", "navigation")

INLINE_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr",
}  # fmt: skip
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Never content: removed with everything in them before anything else is read.
REMOVED_TAGS = {
    "script", "style", "noscript", "template", "form", "input", "button", "select", "textarea",
    "head", "meta", "link", "title", "svg", "math", "canvas", "object", "embed", "map", "nav",
    "hr",
}  # fmt: skip
NOTED_REMOVALS = {"script": "scripts", "style": "style sheets", "form": "forms", "object": "plug-in objects", "embed": "plug-in objects"}  # fmt: skip
BLOCK_LEVEL = HEADING_TAGS | {
    "p", "div", "ul", "ol", "li", "blockquote", "figure", "table", "pre", "details", "img",
    "iframe", "video", "audio", "section", "article", "aside", "header", "footer", "main",
    "dl", "dt", "dd", "address", "center", "figcaption",
}  # fmt: skip
AUTOP_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|"
    r"blockquote|address|p|h[1-6]|hr|fieldset|legend|section|article|aside|header|footer|nav|"
    r"figure|figcaption|details|summary|iframe|video|audio)"
)
AUTOP_OPENING = re.compile(rf"(<{AUTOP_BLOCKS}[\s/>])", re.IGNORECASE)
AUTOP_CLOSING = re.compile(rf"(</{AUTOP_BLOCKS}>)", re.IGNORECASE)
AUTOP_BLOCK_START = re.compile(rf"^\s*</?{AUTOP_BLOCKS}[\s/>]", re.IGNORECASE)
PRE_ELEMENT = re.compile(r"<pre[\s>].*?</pre>", re.IGNORECASE | re.DOTALL)
KEPT_PRE = re.compile(r"<pre data-kept='(\d+)'></pre>")
LONE_URL = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$")
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
SHORTCODE = re.compile(
    r"\[(?P<name>[a-zA-Z][\w-]*)(?P<attrs>\s[^\]]*)?\](?:(?P<inner>.*?)\[/(?P=name)\])?",
    re.DOTALL,
)
SHORTCODE_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br/?>)*</p>")
TRAILING_BREAKS = re.compile(r"(?:\s*<br\s*/?>)+\s*$")
WHITESPACE = re.compile(r"\s+")


@dataclass
class Block:
    """One block of a post: its name (`core/paragraph`), attributes and inner content, HTML
    strings and inner blocks in their order."""

    name: str
    attrs: dict
    inner: list["Block | str"] = field(default_factory=list)

    @property
    def short_name(self) -> str:
        return self.name.removeprefix("core/")

    @property
    def inner_blocks(self) -> list["Block"]:
        return [part for part in self.inner if isinstance(part, Block)]

    def html(self) -> str:
        """The block's HTML with its inner blocks' HTML in place and no block comments."""
        return "".join(part if isinstance(part, str) else part.html() for part in self.inner)


def parse_blocks(content: str) -> list[Block | str]:
    """The top-level blocks of a post; HTML outside any block (a classic post, or stray text)
    comes back as strings. Unbalanced delimiters are forgiven as WordPress forgives them: a
    stray closer is ignored, an unclosed block ends with the content."""
    top: list[Block | str] = []
    stack: list[Block] = []
    position = 0

    def add(part: "Block | str") -> None:
        if isinstance(part, str) and not part:
            return
        (stack[-1].inner if stack else top).append(part)

    for match in BLOCK_DELIMITER.finditer(content):
        add(content[position : match.start()])
        position = match.end()
        name = (match["namespace"] or "core/") + match["name"]
        if match["closer"]:
            if any(block.name == name for block in stack):
                while stack:
                    block = stack.pop()
                    add(block)
                    if block.name == name:
                        break
            continue
        try:
            attrs = json.loads(match["attrs"]) if match["attrs"] else {}
        except ValueError:
            attrs = {}
        block = Block(name=name, attrs=attrs if isinstance(attrs, dict) else {})
        if match["void"]:
            add(block)
        else:
            stack.append(block)
    add(content[position:])
    while stack:
        block = stack.pop()
        add(block)
    return top


@dataclass
class ImageLookup:
    """What became of an image the body shows: the Wagtail image's id, or why there is none."""

    image_id: int | None = None
    alt_text: str = ""
    title: str = ""
    problem: str = ""


ImageResolver = Callable[..., ImageLookup]  # (attachment_id=str, url=str) -> ImageLookup


class Notes:
    """What an editor should know about one body, each thing said once with its count."""

    def __init__(self):
        self._counts: Counter[str] = Counter()

    def add(self, message: str) -> None:
        self._counts[message] += 1

    def lines(self) -> list[str]:
        return [
            message if count == 1 else f"{message} (×{count})"
            for message, count in self._counts.items()
        ]


@dataclass
class Conversion:
    body: list[dict]
    notes: list[str]


def convert(
    content: str,
    *,
    images: ImageResolver,
    base_url: str = "",
    footnotes: str = "",
    reusable_blocks: dict[str, str] | None = None,
) -> Conversion:
    """Convert one post's content. `images` resolves an image by attachment id or address;
    `footnotes` is the post's `footnotes` meta (JSON, for the footnotes block);
    `reusable_blocks` maps a reusable block's id to its content."""
    builder = BodyBuilder(
        images=images,
        base_url=base_url,
        footnotes=footnotes,
        reusable_blocks=reusable_blocks or {},
    )
    builder.parts(parse_blocks(content))
    return Conversion(body=builder.finish(), notes=builder.notes.lines())


def plain_text(html: str) -> str:
    """The text of an HTML fragment (titles, excerpts, comments), whitespace collapsed."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(REMOVED_TAGS):
        tag.decompose()
    return clean_text(soup.get_text(" "))


def paragraphs_of_text(html: str) -> str:
    """An HTML fragment as plain-text paragraphs separated by blank lines (comment bodies)."""
    soup = BeautifulSoup(html.replace("\r\n", "\n"), "html.parser")
    for tag in soup.find_all(REMOVED_TAGS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(["p", "div", "li", "blockquote"] + sorted(HEADING_TAGS)):
        tag.insert_after("\n\n")
    text = soup.get_text()
    parts = [clean_text(part) for part in re.split(r"\n\s*\n", text)]
    return "\n\n".join(part for part in parts if part)


def clean_text(text: str) -> str:
    return WHITESPACE.sub(" ", unescape(text)).strip()


def shorten(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return (cut or text[: limit - 1]) + "…"


def wpautop(html: str) -> str:
    """Paragraphs from a classic post's line breaks, as WordPress adds them when it shows one
    (`wpautop`): block elements stand apart, a blank line ends a paragraph, a single line break
    inside one is a `<br>`, a URL alone on a line is an embed. `<pre>` is left as written."""
    html = html.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match[0])
        return f"<pre data-kept='{len(kept) - 1}'></pre>"

    html = PRE_ELEMENT.sub(keep, html)
    html = AUTOP_OPENING.sub(r"\n\n\1", html)
    html = AUTOP_CLOSING.sub(r"\1\n\n", html)
    out = []
    for chunk in re.split(r"\n\s*\n", html):
        if not chunk.strip():
            continue
        if lone := LONE_URL.match(chunk):
            out.append(embed_figure(lone[1]))
        elif AUTOP_BLOCK_START.match(chunk):
            out.append(chunk.strip())
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br/>", chunk.strip()) + "</p>")
    return KEPT_PRE.sub(lambda match: kept[int(match[1])], "\n".join(out))


def embed_figure(url: str, caption: str = "") -> str:
    caption_html = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">{escape(url)}'
        f"</div>{caption_html}</figure>"
    )


def shortcode_attrs(raw: str | None) -> dict[str, str]:
    return {
        match[1].lower(): unescape(match[2] or match[3] or match[4] or "")
        for match in SHORTCODE_ATTR.finditer(raw or "")
    }


class BodyBuilder:
    """Walks a post's blocks and HTML and builds our body's raw stream data.

    Inline content collects into a paragraph; paragraphs and lists collect into one rich-text
    block until a block of another kind (heading, figure, quote…) ends it.
    """

    def __init__(self, *, images: ImageResolver, base_url: str, footnotes: str, reusable_blocks):
        self.images = images
        self.base_url = base_url
        self.footnotes = footnotes
        self.reusable_blocks = reusable_blocks
        self.notes = Notes()
        self.converter = EditorHTMLConverter(features=BODY_FEATURES)
        self.blocks: list[dict] = []
        self._rich: list[str] = []
        self._inline: list[str] = []
        self._caption: str | None = None  # the enclosing figure's caption, until an image takes it
        self._reusable_depth = 0

    # --- Output -----------------------------------------------------------------------------

    def finish(self) -> list[dict]:
        self.end_rich()
        return self.blocks

    def inline(self, html: str) -> None:
        self._inline.append(html)

    def inline_text(self, text: str) -> None:
        text = WHITESPACE.sub(" ", text)
        if text.strip() or (self._inline and text):
            self._inline.append(escape(text))

    def end_inline(self) -> None:
        html = TRAILING_BREAKS.sub("", "".join(self._inline)).strip()
        self._inline.clear()
        if html:
            self._rich.append(f"<p>{html}</p>")

    def rich(self, html: str) -> None:
        self.end_inline()
        self._rich.append(html)

    def end_rich(self) -> None:
        self.end_inline()
        if not self._rich:
            return
        cleaned = self.converter.to_database_format("".join(self._rich))
        self._rich.clear()
        cleaned = EMPTY_PARAGRAPH.sub("", cleaned).strip()
        if BeautifulSoup(cleaned, "html.parser").get_text().strip():
            self.blocks.append({"type": "paragraph", "value": cleaned})

    def add_block(self, block_type: str, value) -> None:
        self.end_rich()
        self.blocks.append({"type": block_type, "value": value})

    def text_paragraphs(self, html: str) -> None:
        """Only the text of `html`, as escaped paragraphs."""
        for part in paragraphs_of_text(html).split("\n\n"):
            if part:
                self.rich(f"<p>{escape(part)}</p>")

    # --- Blocks -----------------------------------------------------------------------------

    def parts(self, parts: list["Block | str"]) -> None:
        for part in parts:
            if isinstance(part, str):
                if part.strip():
                    self.classic(part)
            else:
                self.block(part)

    def block(self, block: Block) -> None:
        name = block.short_name
        if name in PRESENTATION_BLOCKS:
            return
        if block.name.startswith("core/") and (
            name in SITE_WIDGET_BLOCKS or name.startswith(SITE_WIDGET_PREFIXES)
        ):
            self.notes.add(
                f"Left out a WordPress “{name}” block: it shows other site content, "
                "not this story's."
            )
            return
        if name == "embed" or block.name.startswith("core-embed/"):
            self.embed(block)
        elif name == "html":
            self.notes.add("Custom HTML kept as text only.")
            self.text_paragraphs(block.html())
        elif name == "shortcode":
            self.html(self.expand_shortcodes(block.html()))
        elif name == "footnotes":
            self.footnote_list()
        elif name == "block":
            self.reusable(str(block.attrs.get("ref", "")))
        elif name == "cover":
            # The cover's own HTML is its background; what it says is in its inner blocks.
            self.parts(block.inner_blocks)
        elif name in LAYOUT_BLOCKS:
            for part in block.inner:
                if isinstance(part, Block):
                    self.block(part)
                else:
                    self.html(part)
        elif name in CONTENT_BLOCKS and block.name.startswith("core/"):
            if name == "file" and (href := block.attrs.get("href")):
                self.notes.add(f"File kept as a link, not copied: {href}")
            self.html(block.html(), pull_quote=name == "pullquote")
        else:
            self.unknown(block)

    def unknown(self, block: Block) -> None:
        self.notes.add(f"Kept only the text of a “{block.name}” block, which we have no match for.")
        for part in block.inner:
            if isinstance(part, Block):
                self.block(part)
            elif part.strip():
                self.text_paragraphs(part)

    def embed(self, block: Block) -> None:
        soup = BeautifulSoup(block.html(), "html.parser")
        caption_tag = soup.find("figcaption")
        caption = clean_text(caption_tag.get_text(" ")) if caption_tag else ""
        if caption_tag:
            caption_tag.decompose()
        url = str(block.attrs.get("url") or clean_text(soup.get_text(" ")))
        self.media_link(url, caption, kind="Embed")

    def reusable(self, ref: str) -> None:
        content = self.reusable_blocks.get(ref)
        if content is None or self._reusable_depth >= MAX_REUSABLE_DEPTH:
            self.notes.add(
                f"Left out a reusable block (WordPress id {ref or '?'}) the export does not "
                "contain."
            )
            return
        self._reusable_depth += 1
        self.parts(parse_blocks(content))
        self._reusable_depth -= 1

    def footnote_list(self) -> None:
        try:
            notes = json.loads(self.footnotes or "[]")
        except ValueError:
            notes = []
        items = [
            f"<li>{note['content']}</li>"
            for note in notes
            if isinstance(note, dict) and isinstance(note.get("content"), str)
        ]
        if items:
            self.add_block("heading", {"text": "Notes", "level": "h3"})
            self.rich("<ol>" + "".join(items) + "</ol>")

    def classic(self, html: str) -> None:
        self.html(wpautop(self.expand_shortcodes(html)))

    def expand_shortcodes(self, html: str) -> str:
        """WordPress shortcodes as the HTML they stand for; those we cannot read are dropped.
        Bracketed words without attributes (`[sic]`, `[1]`) are text, not shortcodes."""

        def replace(match: re.Match) -> str:
            name = match["name"].lower()
            attrs = shortcode_attrs(match["attrs"])
            inner = match["inner"] or ""
            if name in ("caption", "wp_caption"):
                soup = BeautifulSoup(inner, "html.parser")
                link = soup.find("a")
                media = link if link is not None and link.find("img") else soup.find("img")
                caption = attrs.get("caption", "")
                if media is not None:
                    media.extract()
                    caption = caption or soup.get_text(" ")
                return (
                    f"<figure>{media or ''}<figcaption>{escape(clean_text(caption))}"
                    "</figcaption></figure>"
                )
            if name == "gallery":
                ids = [part.strip() for part in attrs.get("ids", "").split(",") if part.strip()]
                images = "".join(f'<img class="wp-image-{escape(id_)}" src="">' for id_ in ids)
                return f"<div>{images}</div>"
            if name == "embed":
                return embed_figure(clean_text(inner))
            if name in ("video", "audio"):
                src = attrs.get("src") or next(
                    (value for key, value in attrs.items() if key in ("mp4", "m4v", "webm", "ogv", "mp3", "m4a", "ogg", "wav")),
                    "",
                )  # fmt: skip
                return f'<{name} src="{escape(src)}"></{name}>' if src else ""
            if match["attrs"] is None and match["inner"] is None:
                return match[0]  # `[sic]`: a bracketed word, not a shortcode
            self.notes.add(f"Left out the WordPress shortcode [{name}], which we cannot read.")
            return inner  # what it enclosed is the post's own content

        return SHORTCODE.sub(replace, html)

    # --- HTML -------------------------------------------------------------------------------

    def html(self, fragment: str, *, pull_quote: bool = False) -> None:
        soup = BeautifulSoup(fragment, "html.parser")
        for tag in soup.find_all(REMOVED_TAGS):
            if tag.name in NOTED_REMOVALS:
                self.notes.add(f"Left out {NOTED_REMOVALS[tag.name]} in the post's HTML.")
            tag.decompose()
        # Footnote markers (`<sup data-fn>`) become "[1]"; their notes come with the footnotes
        # block. A file block's "Download" button repeats its link.
        for marker in soup.select("sup[data-fn], sup.fn"):
            marker.replace_with(f"[{clean_text(marker.get_text())}]")
        for button in soup.select("a.wp-block-file__button"):
            button.decompose()
        for anchor in soup.find_all("a"):
            if not anchor.get("href"):
                anchor.unwrap()
        if pull_quote:
            for quote in soup.find_all("blockquote"):
                quote["data-pull-quote"] = "1"
        self.nodes(soup.contents)
        self.end_inline()

    def nodes(self, nodes) -> None:
        for node in list(nodes):
            self.node(node)

    def node(self, node) -> None:
        if isinstance(node, Comment | Doctype | Declaration | ProcessingInstruction):
            return
        if isinstance(node, CData):
            self.inline_text(str(node))
            return
        if isinstance(node, NavigableString):
            self.inline_text(str(node))
            return
        if not isinstance(node, Tag):
            return
        name = node.name
        if name == "br":
            self.inline("<br/>")
        elif name == "img":
            self.image(node)
        elif name in ("iframe", "video", "audio"):
            self.embedded_media(node)
        elif name in HEADING_TAGS:
            self.heading(node)
        elif name == "blockquote":
            self.quote(node)
        elif name == "figure":
            self.figure(node)
        elif name == "table":
            self.table(node, caption="")
        elif name in ("ul", "ol"):
            self.list(node)
        elif name == "pre":
            self.preformatted(node)
        elif name == "details":
            self.details(node)
        elif name == "p" or name == "li" or name == "dt" or name == "dd":
            self.end_inline()
            self.nodes(node.contents)
            self.end_inline()
        elif name in INLINE_TAGS:
            self.inline_tag(node)
        elif name in BLOCK_LEVEL:
            self.end_inline()
            self.nodes(node.contents)
            self.end_inline()
        else:  # an element we do not know: its content counts, the element does not
            self.nodes(node.contents)

    def inline_tag(self, tag: Tag) -> None:
        if tag.find(BLOCK_LEVEL):
            # An image in a link, a paragraph in a span: the block matters, the wrapper not.
            self.nodes(tag.contents)
            return
        if tag.name == "a" and not tag.get_text(strip=True):
            return
        # Whitelisted, with the rest of the paragraph, by Wagtail's converter (`end_rich`).
        self.inline(str(tag))

    def heading(self, tag: Tag) -> None:
        text = clean_text(tag.get_text(" "))
        for image in tag.find_all("img"):
            self.image(image)
        if not text:
            return
        if len(text) > HEADING_MAX:
            self.notes.add(
                f"A heading longer than {HEADING_MAX} characters was kept as a bold paragraph."
            )
            self.rich(f"<p><b>{escape(text)}</b></p>")
            return
        level = "h2" if tag.name in ("h1", "h2") else "h3"
        self.add_block("heading", {"text": text, "level": level})

    def quote(self, tag: Tag) -> None:
        pull = tag.get("data-pull-quote") == "1" or self._in_pull_quote_figure(tag)
        cite = tag.find("cite")
        attribution = clean_text(cite.get_text(" ")) if cite else ""
        if cite:
            cite.decompose()
        for image in tag.find_all("img"):
            image.extract()
            self.image(image)
        paragraphs = [
            clean_text(part.get_text(" ")) for part in tag.find_all(["p", "li"], recursive=True)
        ]
        text = "\n\n".join(part for part in paragraphs if part) or clean_text(tag.get_text(" "))
        if not text:
            return
        if len(text) > QUOTE_MAX:
            self.notes.add(
                f"A quote longer than a quote block holds ({QUOTE_MAX:,} characters) was kept "
                "as ordinary paragraphs."
            )
            for part in text.split("\n\n"):
                self.rich(f"<p>{escape(part)}</p>")
            if attribution:
                self.rich(f"<p>— {escape(attribution)}</p>")
            return
        self.add_block(
            "quote",
            {
                "text": text,
                "attribution": shorten(attribution, ATTRIBUTION_MAX),
                "is_pull_quote": pull,
            },
        )

    @staticmethod
    def _in_pull_quote_figure(tag: Tag) -> bool:
        figure = tag.find_parent("figure")
        return bool(figure and "wp-block-pullquote" in (figure.get("class") or []))

    def figure(self, tag: Tag) -> None:
        classes = tag.get("class") or []
        caption_tag = tag.find("figcaption", recursive=False)
        caption = clean_text(caption_tag.get_text(" ")) if caption_tag else ""
        if caption_tag:
            caption_tag.decompose()
        if "wp-block-embed" in classes:
            self.media_link(clean_text(tag.get_text(" ")), caption, kind="Embed")
            return
        if (table := tag.find("table")) is not None:
            self.table(table, caption=caption)
            return
        outer_caption, self._caption = self._caption, caption
        self.end_inline()
        self.nodes(tag.contents)
        self.end_inline()
        leftover, self._caption = self._caption, outer_caption
        if leftover:
            self.rich(f"<p>{escape(leftover)}</p>")

    def take_caption(self) -> str:
        caption, self._caption = (self._caption or ""), None
        return caption

    def image(self, tag: Tag) -> None:
        classes = tag.get("class") or []
        if any("cover__image-background" in name for name in classes):
            return
        if "wp-smiley" in classes or "emoji" in classes:
            self.inline_text(tag.get("alt", ""))
            return
        src = (tag.get("src") or tag.get("data-src") or "").strip()
        if src.startswith("data:"):
            src = ""
        if src and self.base_url:
            src = urljoin(self.base_url + "/", src)
        attachment = WP_IMAGE_CLASS.search(" ".join(classes))
        caption = self.take_caption()
        lookup = self.images(attachment_id=attachment[1] if attachment else "", url=src)
        if lookup.image_id is None:
            self.notes.add(lookup.problem)
            return
        alt = clean_text(tag.get("alt", "")) or lookup.alt_text
        if not alt:
            alt = lookup.title
            self.notes.add("An image had no alt text in WordPress: its title stands in; review it.")
        self.add_block(
            "image",
            {
                "image": {"image": lookup.image_id, "decorative": False, "alt_text": alt},
                "caption": shorten(caption, CAPTION_MAX),
            },
        )

    def embedded_media(self, tag: Tag) -> None:
        src = tag.get("src") or ""
        if not src and (source := tag.find("source")) is not None:
            src = source.get("src") or ""
        kind = {"iframe": "Embed", "video": "Video", "audio": "Audio"}[tag.name]
        self.media_link(src, self.take_caption() or tag.get("title", ""), kind=kind)

    def media_link(self, url: str, caption: str, *, kind: str) -> None:
        """An embed, video, audio or file as a link: our body shows no players, and a link
        needs nothing from the provider to render."""
        url = url.strip()
        if url and self.base_url:
            url = urljoin(self.base_url + "/", url)
        if urlsplit(url).scheme not in ("http", "https"):
            self.notes.add(f"Left out {kind.lower()} content with no web address.")
            return
        self.notes.add(f"{kind} kept as a link, not embedded: {url}")
        text = caption or url
        self.rich(f'<p><a href="{escape(url)}">{escape(text)}</a></p>')

    def table(self, tag: Tag, *, caption: str) -> None:
        rows = [
            " | ".join(
                text
                for cell in row.find_all(["td", "th"])
                if (text := clean_text(cell.get_text(" ")))
            )
            for row in tag.find_all("tr")
        ]
        rows = [row for row in rows if row]
        if not rows:
            return
        self.notes.add("A table was kept as a list of its rows: our article body has no tables.")
        heading = f"<p><b>{escape(caption)}</b></p>" if caption else ""
        self.rich(heading + "<ul>" + "".join(f"<li>{escape(row)}</li>" for row in rows) + "</ul>")

    def list(self, tag: Tag) -> None:
        for image in tag.find_all("img"):
            image.extract()
            self.image(image)
        for nested in tag.find_all(["blockquote", "table", "figure", "pre", *HEADING_TAGS]):
            nested.unwrap()
        if tag.get_text(strip=True):
            self.rich(str(tag))

    def preformatted(self, tag: Tag) -> None:
        html = tag.decode_contents().strip("\n").replace("\n", "<br/>")
        self.rich(f"<p>{html}</p>")

    def details(self, tag: Tag) -> None:
        summary_tag = tag.find("summary")
        title = clean_text(summary_tag.get_text(" ")) if summary_tag else ""
        if summary_tag:
            summary_tag.decompose()
        pieces = tag.find_all(["p", "li"]) or [tag]
        facts = [text for piece in pieces if (text := clean_text(piece.get_text(" ")))]
        if (
            title
            and facts
            and len(title) <= FACT_BOX_TITLE_MAX
            and all(len(fact) <= FACT_MAX for fact in facts)
        ):
            self.add_block("fact_box", {"title": title, "facts": facts})
            return
        if title:
            self.add_block("heading", {"text": shorten(title, HEADING_MAX), "level": "h3"})
        self.end_inline()
        self.nodes(tag.contents)
        self.end_inline()
