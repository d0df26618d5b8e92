from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from news.models import ArticlePage
from news.models.pages import paginate

MAX_QUERY_LENGTH = 200


def search(request: HttpRequest) -> HttpResponse:
    raw_query = request.GET.get("q", "").replace("\x00", "").strip()
    query = raw_query[:MAX_QUERY_LENGTH]
    results = None
    if query:
        results = paginate(
            request, ArticlePage.objects.published().for_listing().search(query), per_page=20
        )
    return TemplateResponse(
        request,
        "pages/search_page.html",
        {"search_query": query, "results": results, "truncated": len(raw_query) > MAX_QUERY_LENGTH},
    )
