"""What a live entry may hold: text, an image, an embed, a quote (the article's own blocks)."""

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock

from news.blocks import FigureBlock, QuoteBlock


class LiveEntryBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        features=["bold", "italic", "link", "ol", "ul"],
        template="components/streamfield/blocks/paragraph_block.html",
    )
    image = FigureBlock()
    embed = EmbedBlock(icon="media", template="components/streamfield/blocks/embed_block.html")
    quote = QuoteBlock()
