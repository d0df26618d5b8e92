"""The search page's filters. A bad value never fails the search: it is dropped, with a message."""

from django import forms
from django.core.cache import cache

from search.query import RELEVANCE, SORTS, public_profiles, tags_in_use

TAG_CHOICES_CACHE_SECONDS = 300
# A date picker sends ISO dates (2026-12-03); a reader typing one (a browser without a picker,
# or a pasted date) writes it day first, as in the UK: 3/12/2026 is the 3rd of December.
# Month-first forms are never guessed, and Django's en-us defaults would read them month first.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",
    "%d/%m/%Y",
    "%d/%m/%y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
]


def date_field(label: str) -> forms.DateField:
    return forms.DateField(
        required=False,
        label=label,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


def tag_choices() -> list[tuple[str, str]]:
    """(slug, name) of tags in use, cached briefly: the list is costly and changes slowly."""
    choices = cache.get("search:tag-choices")
    if choices is None:
        choices = list(tags_in_use().order_by("name").values_list("slug", "name"))
        cache.set("search:tag-choices", choices, TAG_CHOICES_CACHE_SECONDS)
    return choices


class SearchFiltersForm(forms.Form):
    tag = forms.ChoiceField(required=False, label="Tag")
    author = forms.ChoiceField(required=False, label="Author")
    published_from = date_field("From")
    published_to = date_field("To")
    sort = forms.ChoiceField(
        required=False, choices=list(SORTS.items()), initial=RELEVANCE, label="Sort by"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "Any tag"), *tag_choices()]
        self.fields["author"].choices = [
            ("", "Any author"),
            *public_profiles().order_by("title").values_list("slug", "title"),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and start > end:
            self.add_error("published_to", "The end date is before the start date.")
        return cleaned

    def valid_filters(self) -> dict:
        """The values that passed validation; invalid ones are left out (see `errors`)."""
        self.is_valid()
        values = {name: value for name, value in self.cleaned_data.items() if value}
        for name in self.errors:
            values.pop(name, None)
        return values

    @property
    def chosen_sort(self) -> str:
        return self.valid_filters().get("sort") or RELEVANCE
