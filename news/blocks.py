"""The article body's blocks: one story stream, each block with its own template."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=200)
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading"), ("h3", "Subheading")], default="h2"
    )

    class Meta:
        icon = "title"
        template = "components/streamfield/blocks/heading_block.html"


class PictureBlock(ImageBlock):
    """Wagtail's ImageBlock (the library image and its alt text), its chooser named for what it
    picks: nested in a photo block, Wagtail's labels read Image › Image › Image."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.child_blocks["image"].label = "Image file"


class FigureBlock(blocks.StructBlock):
    image = PictureBlock(label="Picture")
    caption = blocks.CharBlock(
        required=False, max_length=300, help_text="Empty: the image library's caption."
    )

    class Meta:
        icon = "image"
        template = "components/streamfield/blocks/figure_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)
    is_pull_quote = blocks.BooleanBlock(
        required=False, label="Pull quote", help_text="Display large, set apart from the text."
    )

    class Meta:
        icon = "openquote"
        template = "components/streamfield/blocks/quote_block.html"


class RelatedLinkBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(required=False, page_type="news.ArticlePage")
    url = blocks.URLBlock(required=False)
    title = blocks.CharBlock(max_length=200)

    class Meta:
        icon = "link"
        template = "components/streamfield/blocks/related_link_block.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=120)
    facts = blocks.ListBlock(blocks.CharBlock(max_length=300, label="Fact"), label="Facts")

    class Meta:
        icon = "list-ul"
        template = "components/streamfield/blocks/fact_box_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        template="components/streamfield/blocks/paragraph_block.html",
    )
    heading = HeadingBlock()
    image = FigureBlock(label="Photo")
    quote = QuoteBlock()
    embed = EmbedBlock(icon="media", template="components/streamfield/blocks/embed_block.html")
    related_link = RelatedLinkBlock()
    fact_box = FactBoxBlock()


# --- Fronts: the slots editors arrange on the home page and each section's page -------------
# Every slot names what it wants; anything left empty, or naming a story readers may not see
# (a draft, embargoed, expired, private), is filled from the newest stories (`news.fronts`).


def story_chooser(**kwargs) -> blocks.PageChooserBlock:
    return blocks.PageChooserBlock(page_type="news.ArticlePage", **kwargs)


class FrontLeadBlock(blocks.StructBlock):
    story = story_chooser(required=False, help_text="Leave empty to lead with the newest story.")
    beside = blocks.ListBlock(
        story_chooser(),
        max_num=3,
        default=[],
        label="Stories beside the lead",
        help_text="Up to three; empty places take the next newest stories.",
    )

    class Meta:
        icon = "pick"
        label = "Lead"
        template = "components/fronts/lead_block.html"


class FrontSectionBlock(blocks.StructBlock):
    section = blocks.PageChooserBlock(page_type="news.NewsIndexPage")
    title = blocks.CharBlock(
        required=False, max_length=80, help_text="Defaults to the section's title."
    )
    stories = blocks.ListBlock(
        story_chooser(),
        max_num=4,
        default=[],
        help_text="Pinned first (the first leads the block); empty places take the section's "
        "newest stories.",
    )

    class Meta:
        icon = "folder-open-inverse"
        label = "Section block"
        template = "components/fronts/section_block.html"


class FrontTopicBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80)
    tag = blocks.CharBlock(max_length=100, help_text="The tag's slug, e.g. elections.")

    class Meta:
        icon = "tag"
        label = "Topic"
        template = "components/fronts/topic_block.html"


class FrontLatestBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80, default="Latest")
    count = blocks.IntegerBlock(min_value=3, max_value=24, default=12)

    class Meta:
        icon = "time"
        label = "Latest stories"
        template = "components/fronts/latest_block.html"


class FrontMostReadBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80, default="Most read")
    days = blocks.ChoiceBlock(
        choices=[("1", "Last 24 hours"), ("7", "Last 7 days")],
        default="1",
        help_text="Counts are per day: 24 hours reads today and yesterday.",
    )

    class Meta:
        icon = "list-ol"
        label = "Most read"
        template = "components/fronts/most_read_block.html"


class FrontLiveBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=80, default="Live")

    class Meta:
        icon = "radio-full"
        label = "Live coverage"
        help_text = "Shows running live coverage, with its latest key events; hidden when none."
        template = "components/fronts/live_block.html"


class FrontBlock(blocks.StreamBlock):
    lead = FrontLeadBlock()
    live_coverage = FrontLiveBlock()
    section = FrontSectionBlock()
    topic = FrontTopicBlock()
    latest = FrontLatestBlock()
    most_read = FrontMostReadBlock()

    class Meta:
        block_counts = {
            "lead": {"max_num": 1},
            "live_coverage": {"max_num": 1},
            "latest": {"max_num": 1},
            "most_read": {"max_num": 1},
        }
