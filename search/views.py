from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from news.models.pages import paginate
from ops.ratelimit import Limit, hit
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

RESULTS_PER_PAGE = 20
# Fails open: autocomplete is read-only, cheap and public; refusing every keystroke while Redis
# blips would break the search box for everyone, and the edge proxy still limits abusers.
AUTOCOMPLETE_PER_CLIENT = Limit("autocomplete", 30, 10)


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
        # The same page-number rule as every listing: junk or out-of-range numbers are a 404.
        page = paginate(
            request, search_articles(query, filters, sort=form.chosen_sort), RESULTS_PER_PAGE
        )
        for article in page:
            article.snippet = snippet([article.dek, article.body_text()], query.terms)
        context["results"] = page
        if page.number == 1:
            record_search(query.normalised)
            context["promotions"] = promotions_for(query)
        if not page.paginator.count:
            context["suggestions"] = suggestions(query)
    return TemplateResponse(request, "pages/search_page.html", context)


@require_GET
def search_autocomplete(request: HttpRequest) -> JsonResponse:
    if hit([(AUTOCOMPLETE_PER_CLIENT, request.META.get("REMOTE_ADDR", ""))], fail_open=True):
        response = JsonResponse({"error": "Too many requests; try again shortly."}, status=429)
        response["Retry-After"] = str(AUTOCOMPLETE_PER_CLIENT.window_seconds)
        return response
    query = clean_query(request.GET.get("q", ""), max_length=MAX_AUTOCOMPLETE_LENGTH)
    response = JsonResponse({"query": query.text, "suggestions": autocomplete(request, query)})
    response["Cache-Control"] = "private, max-age=60"
    return response
