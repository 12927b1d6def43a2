"""django-dsfr's head and script tags, rendered once per process (issue 18).

`{% dsfr_css %}`, `{% dsfr_favicon %}` and `{% dsfr_js %}` render three small templates on every page,
with nine `{% static %}` lookups: ≈ 1 ms of CPU per page on a slow machine, for markup that does not
change while the process runs, the scripts' nonce aside. `{% dsfr_entete %}` and
`{% dsfr_scripts nonce=… %}` render the same templates with django-dsfr's own context once, then reuse
them (the nonce written in at each page); a test compares their output with django-dsfr's tags.
"""

from functools import cache

from django import template
from django.core.signals import setting_changed
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from dsfr.templatetags import dsfr_tags

register = template.Library()

# Where the nonce goes in the scripts rendered once: a text no escaping changes and no page holds.
_NONCE = "nonce-a-remplacer-0f3c9e"


@cache
def _entete() -> str:
    return render_to_string("dsfr/global_css.html", dsfr_tags.dsfr_css()) + render_to_string("dsfr/favicon.html")


@cache
def _scripts(avec_nonce: bool) -> str:
    return render_to_string("dsfr/global_js.html", dsfr_tags.dsfr_js({}, **({"nonce": _NONCE} if avec_nonce else {})))


@register.simple_tag
def dsfr_entete():
    """django-dsfr's `{% dsfr_css %}{% dsfr_favicon %}`."""
    return mark_safe(_entete())  # django-dsfr's templates, rendered by Django (escaped there)


@register.simple_tag
def dsfr_scripts(nonce=None):
    """django-dsfr's `{% dsfr_js nonce=… %}`."""
    if nonce:
        return mark_safe(_scripts(True).replace(_NONCE, escape(nonce)))  # the nonce escaped here
    return mark_safe(_scripts(False))


def _oublier(**kwargs):
    # A setting changed (tests: STATIC_URL, the storage, DSFR_USE_INTEGRITY_CHECKSUMS): rendered again.
    _entete.cache_clear()
    _scripts.cache_clear()


setting_changed.connect(_oublier, dispatch_uid="socle.dsfr_fige")
