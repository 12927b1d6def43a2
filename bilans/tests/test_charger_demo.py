"""`make run`'s demo data: loaded twice without duplicates, and every printed account signs in."""

import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from bilans.management.commands.charger_demo import COMPTES

pytestmark = pytest.mark.django_db


def _comptes_par_modele():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"mentorat", "etablissements", "binomes", "seances", "bilans"}
        and m._meta.label != "mentorat.JournalAcces"
    }


def test_demo_idempotente_et_comptes_utilisables(client):
    sortie = io.StringIO()
    call_command("charger_demo", stdout=sortie)
    avant = _comptes_par_modele()
    call_command("charger_demo", stdout=io.StringIO())
    assert _comptes_par_modele() == avant
    for email, *_reste in COMPTES:
        assert email in sortie.getvalue()
        client.logout()
        reponse = client.post(reverse("login"), {"username": email, "password": settings.DEMO_PASSWORD})
        assert reponse.status_code == 302, email
        assert client.get(reverse("accueil")).status_code == 200, email
