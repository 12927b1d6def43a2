"""Budget amounts, convention dates and costs, the mentoring duration of the cadrage: bounded at input
with a French message next to the field, and in the database."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.urls import reverse

from etablissements.models import LigneBudget
from etablissements.tests.factories import DispositifFactory, donnees_convention, rouvrir

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _date_fixe():
    with time_machine.travel(datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.parametrize(
    "montant, accepte",
    [
        ("-1", False),
        ("0", False),
        ("0.01", True),
        ("1000000", True),
        ("1000000.01", False),
        ("99999999.99", False),
        ("1e30", False),
    ],
)
def test_montant_d_une_ligne_de_budget(client, cast, montant, accepte):
    client.force_login(cast.referent_a)
    url = reverse("etablissements:ligne_budget_ajouter", args=[cast.dispositif_a.pk])
    reponse = client.post(url, {"type": "allocation", "source": "autre", "libelle": "Don", "montant": montant})
    assert (reponse.status_code == 302) is accepte
    assert LigneBudget.objects.exists() is accepte
    if not accepte:
        assert "montant" in reponse.context["form"].errors


@pytest.mark.parametrize(
    "date, accepte", [("1999-12-31", False), ("2000-01-01", True), ("2031-12-31", True), ("2032-01-01", False)]
)
def test_date_d_une_ligne_de_budget(client, cast, date, accepte):
    client.force_login(cast.referent_a)
    url = reverse("etablissements:ligne_budget_ajouter", args=[cast.dispositif_a.pk])
    data = {"type": "allocation", "source": "autre", "libelle": "Don", "montant": "10", "date": date}
    reponse = client.post(url, data)
    assert (reponse.status_code == 302) is accepte
    if not accepte:
        assert "Saisissez une date entre le 01/01/2000 et le 31/12/2031." in reponse.content.decode()


@pytest.mark.parametrize(
    "champs, champ_en_erreur",
    [
        ({"date_debut": "2027-09-01", "date_fin": "2027-08-31"}, "date_fin"),
        ({"date_fin": "2200-01-01"}, "date_fin"),
        ({"cout_estime": "-0.01"}, "cout_estime"),
        ({"cout_estime": "1000000.01"}, "cout_estime"),
    ],
)
def test_convention_hors_bornes(client, cast, champs, champ_en_erreur):
    convention = rouvrir(cast.dispositif_a.conventions.get())
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("etablissements:convention_modifier", args=[convention.pk]), donnees_convention(**champs)
    )
    assert reponse.status_code == 200
    assert champ_en_erreur in reponse.context["form"].errors


@pytest.mark.parametrize(
    "creer",
    [
        lambda d: LigneBudget.objects.create(
            dispositif=d, type="allocation", source="autre", libelle="X", montant=Decimal("1000000.01")
        ),
        lambda d: LigneBudget.objects.create(
            dispositif=d, type="allocation", source="autre", libelle="X", montant=1, date=datetime.date(1999, 1, 1)
        ),
        lambda d: d.conventions.update(date_debut=datetime.date(2027, 1, 2), date_fin=datetime.date(2027, 1, 1)),
        lambda d: d.conventions.update(cout_estime=-1),
        lambda d: d.versions_cadrage.create(numero=1, duree_mois=37),
        lambda d: d.jalons.update(debut=datetime.date(2027, 1, 2), fin=datetime.date(2027, 1, 1)),
        lambda d: DispositifFactory(etablissement=d.etablissement, annee=1999),
    ],
)
def test_la_base_refuse_ce_que_les_formulaires_refusent(cast, creer):
    with pytest.raises(IntegrityError), transaction.atomic():
        creer(cast.dispositif_a)
