"""The coverage desk's forms: a quick "Post update" (text, optionally a quote) and the full
entry editor (every block, with a correction note once the entry is out)."""

from django import forms
from django.utils.html import linebreaks

from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.rich_text import RichText

from live.models import LiveEntry


class QuickEntryForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    quote = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    attribution = forms.CharField(required=False, max_length=200)
    key_event = forms.BooleanField(required=False, label="Key event")
    pinned = forms.BooleanField(required=False, label="Pin to the top")

    def __init__(self, *args, may_mark: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_mark:
            del self.fields["key_event"]
            del self.fields["pinned"]

    def body(self) -> list[tuple[str, object]]:
        """The entry's blocks: the text as paragraphs, then the quote if there is one."""
        blocks = [("text", RichText(linebreaks(self.cleaned_data["text"], autoescape=True)))]
        if self.cleaned_data["quote"].strip():
            blocks.append(
                (
                    "quote",
                    {
                        "text": self.cleaned_data["quote"].strip(),
                        "attribution": self.cleaned_data["attribution"].strip(),
                        "is_pull_quote": False,
                    },
                )
            )
        return blocks


class EntryEditForm(WagtailAdminModelForm):
    correction_note = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required once the entry is out: readers see what was corrected, and when.",
    )
    expected_sequence = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = LiveEntry
        fields = ["body"]


class DeleteEntryForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Optional: readers see that the update was removed, with this note.",
    )
