"""Forms of the import pages."""

from django import forms
from django.conf import settings

from register.models import Organisation

from .readers.workbook import MAX_BYTES

UPLOAD_EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".csv")


def checked_upload(upload, extensions: tuple[str, ...], wrong_kind: str):
    """Return the uploaded file if it is within ``IMPORT_MAX_BYTES`` and its name ends with one
    of ``extensions``; else raise a ValidationError (``wrong_kind`` says which files to choose)."""
    limit = getattr(settings, "IMPORT_MAX_BYTES", MAX_BYTES)
    if upload.size > limit:
        raise forms.ValidationError(
            "Filen är för stor (%(size).1f MB). Största tillåtna storlek är %(limit)d MB.",
            code="too_large",
            params={"size": upload.size / 1024 / 1024, "limit": limit // (1024 * 1024)},
        )
    if not upload.name.lower().endswith(extensions):
        raise forms.ValidationError(wrong_kind, code="extension")
    return upload


class UploadForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Organisation",
        queryset=Organisation.objects.none(),
        help_text="Den organisation vars lista filen är.",
        empty_label=None,
    )
    file = forms.FileField(
        label="Excel-fil (.xlsx, .xls eller CSV)",
        help_text="Högst 20 MB och 100 000 rader. Rubrikraden får ligga under titelrader och "
        "sträcka sig över upp till tre rader.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,.xlsm,.xls,.csv,application/vnd.openxmlformats-officedocument."
                "spreadsheetml.sheet,application/vnd.ms-excel,text/csv"
            }
        ),
    )
    all_or_nothing = forms.BooleanField(
        label="Allt eller inget: spara ingenting om någon rad är ogiltig",
        required=False,
        initial=True,
    )

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations.order_by("name")
        if organisations.count() > 1:
            self.fields["organisation"].empty_label = "Välj organisation"

    def clean_file(self):
        return checked_upload(
            self.cleaned_data["file"],
            UPLOAD_EXTENSIONS,
            "Välj en Excel-arbetsbok (.xlsx eller .xls) eller en CSV-fil. Spara listan i ett "
            "av de formaten i Excel först.",
        )


class CommitForm(forms.Form):
    all_or_nothing = forms.BooleanField(
        label="Allt eller inget: spara ingenting om någon rad är ogiltig", required=False
    )


MEETING_EXTENSIONS = (".ics", ".ical", ".icalendar", ".ifb", ".xlsx", ".xlsm")


class MeetingImportForm(forms.Form):
    file = forms.FileField(
        label="Sammanträdeskalender (.ics) eller dagordningslista (.xlsx)",
        help_text="Högst 20 MB.",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".ics,.xlsx,text/calendar,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        return checked_upload(
            self.cleaned_data["file"],
            MEETING_EXTENSIONS,
            "Välj organets sammanträdeskalender som iCalendar-fil (.ics) eller en "
            "dagordningslista som Excel-arbetsbok (.xlsx).",
        )
