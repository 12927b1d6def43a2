"""`make run`'s demo data: loaded twice without duplicates, and every printed account signs in."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bilans.management.commands.charger_demo import COMPTES
from etablissements.models import Etablissement
from socle.models import User
from socle.roles import Role

pytestmark = pytest.mark.django_db


def _comptes_par_modele():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"mentorat", "etablissements", "binomes", "seances", "bilans"}
        and m._meta.label != "mentorat.JournalAcces"
    }


def test_demo_idempotente_et_comptes_utilisables(client, settings):
    settings.DEBUG = True  # as `make run` and `make demo` (DEBUG=1)
    sortie = io.StringIO()
    call_command("charger_demo", stdout=sortie)
    avant = _comptes_par_modele()
    call_command("charger_demo", stdout=io.StringIO())
    assert _comptes_par_modele() == avant
    # One account per role, each printed and usable.
    assert {role for _email, _prenom, _nom, role, _uai in COMPTES} == set(Role.values)
    for email, _prenom, _nom, role, _uai in COMPTES:
        assert email in sortie.getvalue()
        client.logout()
        reponse = client.post(reverse("login"), {"username": email, "password": settings.DEMO_PASSWORD})
        assert reponse.status_code == 302, email
        accueil = client.get(reverse("accueil"))
        if role in settings.DOUBLE_AUTHENTIFICATION_ROLES:
            # The académie's administrator enrols a second factor first.
            assert accueil.status_code == 302 and accueil["Location"] == reverse("securite"), email
        else:
            assert accueil.status_code == 200, email


def test_refuse_sans_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuse de s’exécuter quand DEBUG est désactivé.*--force-demo"):
        call_command("charger_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert not User.objects.exists()
    assert not Etablissement.objects.exists()


def test_force_demo_sans_debug_charge_et_previent(settings):
    settings.DEBUG = False
    erreurs = io.StringIO()
    call_command("charger_demo", "--force-demo", stdout=io.StringIO(), stderr=erreurs)
    assert "Attention : DEBUG est désactivé" in erreurs.getvalue()
    assert User.objects.filter(email="admin@demo.mentorat.fr", is_superuser=True).exists()
    assert Etablissement.objects.filter(uai="0691234S").exists()
