"""The translations of patient wording, as FHIR's translation extension.

The questionnaire's wording is declared once with its translations (`intake.questionnaire`'s
`Text`, English and each other language); other wording here is a ``gettext_lazy`` string or a
plain one with a catalogue entry. Either way, a translation is what the wording says with one
of the other languages the site offers (``settings.LANGUAGES``) active: a `Text` or a lazy
string says itself, a plain string is looked up in the gettext catalogues.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation

from interop.codes import TRANSLATION


def bcp47(language_code: str) -> str:
    """Django's ``en-us`` or ``pt_BR`` as a BCP-47 tag: ``en-US``, ``pt-BR``."""
    language, _, region = language_code.replace("_", "-").partition("-")
    return f"{language.lower()}-{region.upper()}" if region else language.lower()


def source_language() -> str:
    return bcp47(settings.LANGUAGE_CODE)


def source_text(text: object) -> str:
    """The wording in the site's own language, whatever language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def translations(text: object) -> dict[str, str]:
    """Each other offered language's translation of `text`, where it has one (its own, for
    a declaration's `Text`; a catalogue's, for other wording)."""
    source = source_text(text)
    found: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        tag = bcp47(code)
        if tag == source_language() or tag.split("-")[0] == source_language().split("-")[0]:
            continue
        with translation.override(code):
            translated = translation.gettext(text) if isinstance(text, str) else str(text)
        if translated and translated != source:
            found[tag] = translated
    return found


def translated(element: dict[str, Any], name: str, text: object) -> dict[str, Any]:
    """Set ``element[name]`` to the wording and, when translations exist, ``element[_name]``
    to their extensions; returns the element."""
    element[name] = source_text(text)
    found = translations(text)
    if found:
        element[f"_{name}"] = {
            "extension": [
                {
                    "url": TRANSLATION,
                    "extension": [
                        {"url": "lang", "valueCode": tag},
                        {"url": "content", "valueString": value},
                    ],
                }
                for tag, value in sorted(found.items())
            ]
        }
    return element
