import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET

from news.models.pages import paginate
from ops.client import client_ip
from ops.ratelimit import Limit, hit
from search.autocomplete import MAX_AUTOCOMPLETE_LENGTH, autocomplete
from search.forms import SearchFiltersForm
from search.highlight import snippet
from search.promotions import promotions_for
from search.query import (
    MAX_QUERY_LENGTH,
    NO_FILTERS,
    clean_query,
    resolve_filters,
    search_articles,
    suggestions,
)
from search.querylog import record_search

RESULTS_PER_PAGE = 20
NOT_FOUND_RESULTS = 5
NOT_FOUND_MAX_WORDS = 6
_SLUG_WORD = re.compile(r"[^\W\d_]{3,30}")
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
    if hit([(AUTOCOMPLETE_PER_CLIENT, client_ip(request))], fail_open=True):
        response = JsonResponse({"error": "Too many requests; try again shortly."}, status=429)
        response["Retry-After"] = str(AUTOCOMPLETE_PER_CLIENT.window_seconds)
        return response
    query = clean_query(request.GET.get("q", ""), max_length=MAX_AUTOCOMPLETE_LENGTH)
    response = JsonResponse({"query": query.text, "suggestions": autocomplete(request, query)})
    response["Cache-Control"] = "private, max-age=60"
    return response


def words_of_path(path: str) -> list[str]:
    """The words of an address's last part (`/news/flood-barrier-holdz/` → flood, barrier,
    holdz): a mistyped or moved story's slug is its headline. Numbers, short words and the
    sections above it are left out."""
    last = next((part for part in reversed(path.split("/")) if part), "")
    return _SLUG_WORD.findall(last.lower())[:NOT_FOUND_MAX_WORDS]


def stories_like_path(path: str) -> tuple[str, list]:
    """The words searched for and the stories found for a page that is not there: all the
    words first, then all but the last (a typo, or a word the editor changed), at most two
    queries."""
    words = words_of_path(path)
    attempts = [words, words[:-1]] if len(words) > 1 else [words]
    for attempt in attempts:
        if not attempt:
            continue
        query = clean_query(" ".join(attempt))
        found = search_articles(query, NO_FILTERS)[:NOT_FOUND_RESULTS]
        if found:
            return query.text, found
    return " ".join(words), []


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    """Django's 404 handler: the not-found page, with the stories the address's words find."""
    words, found = stories_like_path(request.path)
    context = {"request_path": request.path, "not_found_words": words, "not_found_results": found}
    response = TemplateResponse(request, "404.html", context, status=404)
    response.render()
    return response
