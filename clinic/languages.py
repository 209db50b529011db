"""The language of each page: the patient site speaks the patient's language, the staff pages
English.

A patient's language is the one they picked with the switcher on every page (Django's
``set_language`` view, kept in a cookie for the browser session), else the first of
``settings.LANGUAGES`` their browser asks for, else English. Staff pages, the FHIR API and the
SMS provider's callbacks stay in English whatever the browser asks: staff read every patient's
answers there, in the words the patient wrote.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

# Everything else is the patient site.
STAFF_PREFIXES = ("/admin/", "/fhir/", "/sms/", "/healthz")


def patient_language(code: str | None) -> str:
    """One of ``settings.LANGUAGES``' codes for a Django language code ("es-mx" is "es"),
    the site's own language when it is none of them."""
    offered = [language for language, _name in settings.LANGUAGES]
    if code:
        code = code.lower().replace("_", "-")
        for candidate in (code, code.split("-")[0]):
            if candidate in offered:
                return candidate
        for language in offered:
            if language.split("-")[0] == code.split("-")[0]:
                return language
    return settings.LANGUAGE_CODE


class PatientLocaleMiddleware(LocaleMiddleware):
    """Django's locale middleware on the patient site; English on the staff side."""

    def process_request(self, request: HttpRequest) -> None:
        if request.path_info.startswith(STAFF_PREFIXES):
            translation.activate(settings.LANGUAGE_CODE)
            request.LANGUAGE_CODE = settings.LANGUAGE_CODE
            return
        super().process_request(request)
        # "es-MX" from a browser is our "es".
        language = patient_language(translation.get_language())
        translation.activate(language)
        request.LANGUAGE_CODE = language
