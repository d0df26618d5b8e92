from django import forms

from sharing.models import default_hours, max_hours


class ShareLinkForm(forms.Form):
    recipient = forms.CharField(
        max_length=150,
        help_text="Who the link is for: it is shown to them, and in the page's history.",
    )
    version = forms.ChoiceField(
        choices=[
            ("pinned", "This version: the page as saved now, whatever changes later"),
            ("latest", "The latest draft, whenever the link is opened"),
        ],
        initial="pinned",
        widget=forms.RadioSelect,
    )
    hours = forms.IntegerField(
        label="Valid for (hours)", min_value=1, help_text="The link stops working after this."
    )
    max_views = forms.IntegerField(
        label="View limit",
        min_value=1,
        required=False,
        help_text="Leave empty for no limit.",
    )
    allow_comments = forms.BooleanField(
        label="Let the recipient leave comments",
        required=False,
        help_text="Their comments arrive as admin comments on the page.",
    )
    embargo_cleared = forms.BooleanField(
        label="Cleared to read before the embargo",
        required=False,
        help_text="Only someone who may publish the page can clear a recipient.",
    )

    def __init__(self, *args, may_clear_embargo: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hours"].widget.attrs["max"] = max_hours()
        self.fields["hours"].initial = default_hours()
        self.fields["hours"].help_text = f"At most {max_hours()} hours."
        if not may_clear_embargo:
            del self.fields["embargo_cleared"]

    def clean_hours(self):
        hours = self.cleaned_data["hours"]
        if hours > max_hours():
            raise forms.ValidationError(f"A share link lasts at most {max_hours()} hours.")
        return hours
