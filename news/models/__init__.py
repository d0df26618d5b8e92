from .images import NewsImage, NewsRendition
from .pages import (
    ArticleByline,
    ArticleCorrection,
    ArticlePage,
    ArticleTag,
    HomePage,
    NewsIndexPage,
    StaffIndexPage,
    StaffProfilePage,
)
from .related import (
    ArticleTerms,
    RelatedArticle,
    RelatedExclusion,
    RelatedLexeme,
    RelatedPass,
    RelatedPin,
    RelatedRefreshQueue,
)
from .settings import NewsroomSettings
from .snippets import BreakingNews, Source

__all__ = [
    "ArticleByline",
    "ArticleCorrection",
    "ArticlePage",
    "ArticleTag",
    "ArticleTerms",
    "BreakingNews",
    "HomePage",
    "NewsImage",
    "NewsIndexPage",
    "NewsRendition",
    "NewsroomSettings",
    "RelatedArticle",
    "RelatedExclusion",
    "RelatedLexeme",
    "RelatedPass",
    "RelatedPin",
    "RelatedRefreshQueue",
    "Source",
    "StaffIndexPage",
    "StaffProfilePage",
]
