from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from search.autocomplete import MAX_AUTOCOMPLETE_LENGTH, autocomplete
from search.forms import SearchFiltersForm
from search.highlight import snippet
from search.promotions import promotions_for
from search.query import (
    MAX_QUERY_LENGTH,
    clean_query,
    resolve_filters,
    search_articles,
    suggestions,
)
from search.querylog import record_search
from search.ratelimit import allow

RESULTS_PER_PAGE = 20
AUTOCOMPLETE_LIMIT = 30  # requests per client per window
AUTOCOMPLETE_WINDOW_SECONDS = 10


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = clean_query(request.GET.get("q", ""))
    form = SearchFiltersForm(request.GET)
    filters = resolve_filters(form.valid_filters())
    context = {
        "search_query": query.text,
        "truncated": query.truncated,
        "max_length": MAX_QUERY_LENGTH,
        "form": form,
        "filters": filters,
    }
    if query.text:
        results = Paginator(
            search_articles(query, filters, sort=form.chosen_sort), RESULTS_PER_PAGE
        )
        page = results.get_page(request.GET.get("page"))
        for article in page:
            article.snippet = snippet([article.dek, article.body_text()], query.terms)
        context["results"] = page
        if page.number == 1:
            record_search(query.normalised)
            context["promotions"] = promotions_for(query)
        if not results.count:
            context["suggestions"] = suggestions(query)
    return TemplateResponse(request, "pages/search_page.html", context)


@require_GET
def search_autocomplete(request: HttpRequest) -> JsonResponse:
    if not allow(
        scope="autocomplete",
        client=request.META.get("REMOTE_ADDR", ""),
        limit=AUTOCOMPLETE_LIMIT,
        window_seconds=AUTOCOMPLETE_WINDOW_SECONDS,
    ):
        response = JsonResponse({"error": "Too many requests; try again shortly."}, status=429)
        response["Retry-After"] = str(AUTOCOMPLETE_WINDOW_SECONDS)
        return response
    query = clean_query(request.GET.get("q", ""), max_length=MAX_AUTOCOMPLETE_LENGTH)
    response = JsonResponse({"query": query.text, "suggestions": autocomplete(request, query)})
    response["Cache-Control"] = "private, max-age=60"
    return response
