"""Sections that higher apps add to the binôme page, without binomes importing them.

An app above (séances: the pair's health and the student's answers) registers a function from its
`AppConfig.ready()`; the page shows what each answers, in the order they were registered.
"""

from collections.abc import Callable

from django.http import HttpRequest

# fonction(request, binome) -> the section's HTML, or "" when the user has nothing to see there.
Section = Callable[[HttpRequest, object], str]
_SECTIONS: dict[str, Section] = {}


def enregistrer_section(nom: str, fonction: Section) -> None:
    """Register `fonction` as the section `nom` of the binôme page (registering the name again replaces it).

    `fonction(request, binome)` renders its part of the page, already escaped, for the user of
    `request`, who reads `binome` (the page fetched it through their scope): it decides itself what
    of its data that user may read, and costs a bounded number of queries.
    """
    _SECTIONS[nom] = fonction


def sections(request, binome) -> list[str]:
    return [html for fonction in _SECTIONS.values() if (html := fonction(request, binome))]
