"""Stories on distinct topics, published the way editors publish them (revisions)."""

import pytest

from news.factories import ArticlePageFactory, paragraphs
from news.models import ArticlePage

TOPICS = {
    "volcano": (
        "Volcano eruption sends lava and ash over the island",
        "Geologists track magma, seismic tremors and a lava dome on the volcano's slopes.",
        [
            "The volcano erupted before dawn, and lava flowed towards the coastal villages.",
            "Ash clouds grounded flights while geologists measured sulphur and magma pressure.",
            "Seismic tremors under the crater suggest the lava dome is still growing.",
        ],
    ),
    "football": (
        "Striker scores twice as the league leaders win the derby",
        "The goalkeeper saved a penalty and the manager praised the midfield.",
        [
            "The striker scored twice in the derby, and the goalkeeper saved a late penalty.",
            "Supporters filled the stadium; the manager praised the midfield and the defence.",
            "The league leaders now top the table by five points after the football match.",
        ],
    ),
    "budget": (
        "Chancellor's budget raises taxes on fuel and tobacco",
        "Treasury figures show borrowing, inflation and the deficit shaping the budget.",
        [
            "The chancellor told parliament the budget would raise fuel duty and tobacco taxes.",
            "Treasury economists expect borrowing to fall as inflation eases and the deficit narrows.",
            "Opposition economists said the budget's taxes would squeeze household incomes.",
        ],
    ),
}


def story(topic: str, variant: int) -> dict:
    """A story on the topic: its headline and dek, and one paragraph of its own (variants with
    the same body would be near-copies of each other, which are never suggested together)."""
    headline, dek, body = TOPICS[topic]
    return {"title": f"{headline} ({variant})", "dek": dek, "body": paragraphs([body[variant % 3]])}


def publish(article: ArticlePage) -> ArticlePage:
    article.save_revision().publish()
    article.refresh_from_db()
    return article


@pytest.fixture
def write(site_tree):
    """A published story on a topic (a draft with `draft=True`), in the News section."""

    def write(topic: str, variant: int = 0, *, draft: bool = False, **fields) -> ArticlePage:
        article = ArticlePageFactory(
            parent=site_tree["news"], draft=True, **{**story(topic, variant), **fields}
        )
        return article if draft else publish(article)

    return write
