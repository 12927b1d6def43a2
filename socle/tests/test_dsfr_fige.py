"""The DSFR head and scripts rendered once per process say exactly what django-dsfr's tags say."""

import pytest
from django.template import Context, Template
from django.test import override_settings

from socle.templatetags import dsfr_fige


def _rendu(source, **contexte):
    return Template(source).render(Context(contexte))


@pytest.mark.parametrize("integrite", [True, False])
def test_memes_balises_que_django_dsfr(settings, integrite):
    with override_settings(DSFR_USE_INTEGRITY_CHECKSUMS=integrite):
        entete = _rendu("{% load dsfr_fige %}{% dsfr_entete %}")
        assert entete == _rendu("{% load dsfr_tags %}{% dsfr_css %}{% dsfr_favicon %}")
        assert ("integrity=" in entete) is integrite
        assert _rendu("{% load dsfr_fige %}{% dsfr_scripts %}") == _rendu("{% load dsfr_tags %}{% dsfr_js %}")
        for nonce in ("Zm9vYmFy", 'a"<b>&c'):
            fige = _rendu("{% load dsfr_fige %}{% dsfr_scripts nonce=n %}", n=nonce)
            assert fige == _rendu("{% load dsfr_tags %}{% dsfr_js nonce=n %}", n=nonce)
        assert "Zm9vYmFy" not in _rendu("{% load dsfr_fige %}{% dsfr_scripts nonce=n %}", n="autre")


def test_rendues_une_fois_puis_reprises(settings):
    dsfr_fige._oublier()
    _rendu("{% load dsfr_fige %}{% dsfr_entete %}")
    assert dsfr_fige._entete.cache_info().misses == 1
    for _ in range(3):
        _rendu("{% load dsfr_fige %}{% dsfr_entete %}")
    assert dsfr_fige._entete.cache_info().hits == 3
    # A changed setting (the static files' address) is seen.
    settings.STATIC_URL = "/autres-statiques/"
    assert "/autres-statiques/" in _rendu("{% load dsfr_fige %}{% dsfr_entete %}")
