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
from .snippets import BreakingNews, Source

__all__ = [
    "ArticleByline",
    "ArticleCorrection",
    "ArticlePage",
    "ArticleTag",
    "BreakingNews",
    "HomePage",
    "NewsImage",
    "NewsIndexPage",
    "NewsRendition",
    "Source",
    "StaffIndexPage",
    "StaffProfilePage",
]
