"""A séance's duration and the dates of the app's follow-up records stay within plausible bounds."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from binomes.tests.factories import EleveFactory
from seances.models import Seance
from seances.tests.conftest import donnees
from seances.tests.factories import SeanceFactory

URL = reverse("seances:nouvelle")


@pytest.fixture
def eleve(cast):
    return EleveFactory(etablissement=cast.lp_a)


@pytest.mark.parametrize("duree", ["0", "-5", "601", "5000000000"])
def test_duree_hors_bornes_refusee_pres_du_champ(client, cast, eleve, duree):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(URL, donnees([(f"e{eleve.pk}", "present")], duree=duree))
    assert reponse.status_code == 200
    form = reponse.context["form"]
    assert "duree" in form.errors
    assert not Seance.objects.exists()


@pytest.mark.parametrize("duree", [1, 600])
def test_duree_aux_bornes_acceptee(client, cast, eleve, duree):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(URL, donnees([(f"e{eleve.pk}", "present")], duree=str(duree)))
    assert reponse.status_code == 302
    assert Seance.objects.get().duree == duree


def test_message_de_duree_en_francais(client, cast, eleve):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(URL, donnees([(f"e{eleve.pk}", "present")], duree="601"))
    assert "La durée d’une séance va de 1 à 600 minutes" in reponse.content.decode()


@pytest.mark.parametrize("date", ["1999-12-31", "1800-01-01", "2200-01-01"])
def test_date_hors_bornes_refusee(client, cast, eleve, date):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(URL, donnees([(f"e{eleve.pk}", "present")], date=date))
    assert reponse.status_code == 200
    assert "Saisissez une date entre le 01/01/2000 et le" in str(reponse.context["form"].errors["date"])
    assert not Seance.objects.exists()


@pytest.mark.parametrize(
    "champs", [{"duree": 0}, {"duree": 601}, {"date": datetime.date(1999, 12, 31)}, {"date": datetime.date(2101, 1, 1)}]
)
def test_la_base_refuse_ce_que_le_formulaire_refuse(cast, champs):
    with pytest.raises(IntegrityError), transaction.atomic():
        SeanceFactory(dispositif=cast.dispositif_a, **champs)
