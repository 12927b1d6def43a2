"""Students' birth dates, mentors' capacities and the pairs' dates stay within plausible bounds,
whether typed in a form or read from a SIECLE file."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from binomes.models import Eleve, ImportSiecle, Mentor, naissances_admises, valider_date_naissance
from binomes.services import import_lire

from . import fichiers
from .factories import BinomeFactory, EleveFactory, MentorFactory

pytestmark = pytest.mark.django_db
# Mid-November 2026: school year 2026-2027, whose students are 10 to 30 on 1 September 2026.
AUJOURD_HUI = datetime.datetime(2026, 11, 16, 10, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _date_fixe():
    with time_machine.travel(AUJOURD_HUI, tick=False):
        yield


def test_regle_d_age_aux_bornes():
    assert naissances_admises(2026) == (datetime.date(1995, 9, 2), datetime.date(2016, 9, 1))
    for admise in (datetime.date(1995, 9, 2), datetime.date(2016, 9, 1)):
        valider_date_naissance(admise)
    for refusee in (datetime.date(1995, 9, 1), datetime.date(2016, 9, 2), datetime.date(1800, 1, 1)):
        with pytest.raises(ValidationError) as erreur:
            valider_date_naissance(refusee)
        assert "entre 10 et 30 ans au 1er septembre 2026" in erreur.value.messages[0]
    valider_date_naissance(datetime.date(1994, 9, 2), annee=2025)  # the school year given wins


def donnees_eleve(**autres):
    return {
        "nom": "Martin",
        "prenom": "Zoé",
        "sexe": "F",
        "date_naissance": "2009-05-04",
        "ine": "123456789ZZ",
    } | autres


@pytest.mark.parametrize("naissance", ["1800-01-01", "1995-09-01", "2016-09-02", "2030-01-01"])
def test_formulaire_eleve_refuse_un_age_hors_bornes(client, cast, naissance):
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("binomes:eleve_nouveau"), donnees_eleve(date_naissance=naissance))
    assert reponse.status_code == 200
    assert "entre 10 et 30 ans" in str(reponse.context["form"].errors["date_naissance"])
    assert not Eleve.objects.exists()


@pytest.mark.parametrize("naissance", ["1995-09-02", "2016-09-01"])
def test_formulaire_eleve_accepte_les_bornes(client, cast, naissance):
    client.force_login(cast.referent_a)
    assert client.post(reverse("binomes:eleve_nouveau"), donnees_eleve(date_naissance=naissance)).status_code == 302
    assert Eleve.objects.get().date_naissance == datetime.date.fromisoformat(naissance)


@pytest.mark.parametrize("nom", ["e.csv", "e.xml"])
@pytest.mark.parametrize("naissance", ["01/01/1950", "01/09/1995", "02/09/2016", "01/01/2030"])
def test_import_siecle_nomme_la_ligne_dont_l_age_est_hors_bornes(cast, nom, naissance):
    lp = cast.lp_a
    eleves = [*fichiers.ELEVES, ("112233445FG", "Hors", "Bornes", "1", naissance, "2MCV", "", "")]
    contenu = fichiers.csv(eleves=eleves) if nom == "e.csv" else fichiers.xml(lp.uai, eleves=eleves)
    kept, erreurs = import_lire(etablissement=lp, annee=2026, nom_fichier=nom, contenu=contenu, user=None)
    assert kept is None
    assert [(e.champ, "entre 10 et 30 ans" in e.raison) for e in erreurs] == [("Date de naissance", True)]
    assert erreurs[0].ligne in ("ligne 5", "élève ELEVE_ID=1004")
    assert not Eleve.objects.exists() and not ImportSiecle.objects.exists()


def test_import_siecle_refuse_une_date_de_sortie_hors_bornes(cast):
    eleves = [("112233445FG", "Sortie", "Lointaine", "1", "01/01/2009", "2MCV", "", "01/01/2090")]
    kept, erreurs = import_lire(
        etablissement=cast.lp_a, annee=2026, nom_fichier="e.csv", contenu=fichiers.csv(eleves=eleves), user=None
    )
    assert kept is None and [e.champ for e in erreurs] == ["Date de sortie"]


@pytest.mark.parametrize("capacite, accepte", [("0", False), ("1", True), ("10", True), ("11", False), ("-1", False)])
def test_capacite_d_un_mentor(client, cast, capacite, accepte):
    client.force_login(cast.coordonnateur_a)
    data = {"nom": "Garnier", "prenom": "Paul", "recommande_par": "association", "capacite": capacite}
    reponse = client.post(reverse("binomes:mentor_nouveau"), data)
    assert (reponse.status_code == 302) is accepte
    assert Mentor.objects.exists() is accepte
    if not accepte:
        assert "capacite" in reponse.context["form"].errors


def test_expiration_avant_la_verification_refusee_pres_du_champ(client, cast):
    mentor = MentorFactory(etablissement=cast.lp_a)
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(
        reverse("binomes:mentor_honorabilite", args=[mentor.pk]),
        {
            "statut": "verifiee",
            "date": "2026-10-01",
            "methode": "association",
            "expiration": "2026-09-01",
        },
    )
    assert reponse.status_code == 200
    assert "expiration" in reponse.context["form"].errors


@pytest.mark.parametrize(
    "fabrique",
    [
        lambda cast: EleveFactory(etablissement=cast.lp_a, date_naissance=datetime.date(1960, 1, 1)),
        lambda cast: MentorFactory(etablissement=cast.lp_a, capacite=0),
        lambda cast: MentorFactory(etablissement=cast.lp_a, capacite=11),
        lambda cast: BinomeFactory(
            dispositif=cast.dispositif_a,
            date_debut=datetime.date(2026, 10, 1),
            date_fin_prevue=datetime.date(2026, 9, 1),
        ),
        lambda cast: BinomeFactory(dispositif=cast.dispositif_a, date_fin=datetime.date(1999, 1, 1)),
    ],
)
def test_la_base_refuse_ce_que_les_formulaires_refusent(cast, fabrique):
    with pytest.raises(IntegrityError), transaction.atomic():
        fabrique(cast)
