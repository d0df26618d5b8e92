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


class FigureBlock(blocks.StructBlock):
    image = ImageBlock()
    caption = blocks.CharBlock(required=False, max_length=300)

    class Meta:
        icon = "image"
        template = "components/streamfield/blocks/figure_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=1000)
    attribution = blocks.CharBlock(required=False, max_length=200)
    is_pull_quote = blocks.BooleanBlock(
        required=False, help_text="Display large, set apart from the text."
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
    facts = blocks.ListBlock(blocks.CharBlock(max_length=300))

    class Meta:
        icon = "list-ul"
        template = "components/streamfield/blocks/fact_box_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        template="components/streamfield/blocks/paragraph_block.html",
    )
    heading = HeadingBlock()
    image = FigureBlock()
    quote = QuoteBlock()
    embed = EmbedBlock(icon="media", template="components/streamfield/blocks/embed_block.html")
    related_link = RelatedLinkBlock()
    fact_box = FactBoxBlock()
