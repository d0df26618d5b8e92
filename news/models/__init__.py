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
from .settings import NewsroomSettings
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
    "NewsroomSettings",
    "Source",
    "StaffIndexPage",
    "StaffProfilePage",
]
