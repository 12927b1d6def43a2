"""The school calendar: the LP's zone, school days and weeks, the frise's holidays and PFMP."""

import datetime

import pytest
from django.urls import reverse

from etablissements.calendrier import FERIE, PFMP, VACANCES, WEEK_END, Calendrier, subdivision
from etablissements.frise import calendrier_de_l_annee
from etablissements.models import Etablissement, PeriodePFMP
from etablissements.models.etablissement import zone_de_l_academie
from etablissements.tests.factories import AcademieFactory, EtablissementFactory, PeriodePFMPFactory


@pytest.mark.parametrize(
    ("academie", "zone"),
    [
        ("Lyon", "A"),
        ("Académie de Créteil", "C"),
        ("Aix-Marseille", "B"),
        ("académie d’Orléans-Tours", "B"),
        ("Normandie", "B"),
        ("Corse", "autre"),
        ("La Réunion", "autre"),
        ("Atlantide", ""),
    ],
)
def test_zone_deduite_de_l_academie(academie, zone):
    assert zone_de_l_academie(academie) == zone


def test_un_nouveau_lp_recoit_la_zone_de_son_academie_et_le_referent_la_change(client, cast):
    assert EtablissementFactory(academie=AcademieFactory(nom="Paris")).zone_vacances == "C"
    assert EtablissementFactory(academie=AcademieFactory(nom="Atlantide")).zone_vacances == ""
    client.force_login(cast.referent_a)
    url = reverse("etablissements:modifier", args=[cast.lp_a.pk])
    assert "zone de vacances scolaires" in client.get(url).content.decode().lower()
    donnees = {"nom": cast.lp_a.nom, "uai": cast.lp_a.uai, "zone_vacances": "B", "commune": "Lyon"}
    assert client.post(url, donnees).status_code == 302
    assert Etablissement.objects.get(pk=cast.lp_a.pk).zone_vacances == "B"


def test_le_chef_ne_change_pas_la_zone_et_un_autre_lp_recoit_404(client, cast):
    url = reverse("etablissements:modifier", args=[cast.lp_a.pk])
    client.force_login(cast.chef_a)
    assert client.post(url, {"nom": "x", "uai": cast.lp_a.uai, "zone_vacances": "B"}).status_code == 403
    client.force_login(cast.referent_b)
    assert client.post(url, {"nom": "x", "uai": cast.lp_a.uai, "zone_vacances": "B"}).status_code == 404
    assert Etablissement.objects.get(pk=cast.lp_a.pk).zone_vacances == "A"


def lp(zone="A", code_postal="69001"):
    return Etablissement(zone_vacances=zone, code_postal=code_postal)


@pytest.mark.parametrize(
    ("jour", "genre"),
    [
        (datetime.date(2026, 12, 15), None),  # a Tuesday of classes
        (datetime.date(2026, 12, 12), WEEK_END),
        (datetime.date(2026, 12, 21), VACANCES),  # Christmas holidays, zone A
        (datetime.date(2026, 11, 11), FERIE),
        (datetime.date(2027, 2, 15), VACANCES),  # winter holidays, zone A: 13–28 February 2027
    ],
)
def test_motif_d_un_jour(jour, genre):
    motif = Calendrier(lp()).motif(jour)
    assert (motif[0] if motif else None) == genre


def test_les_zones_n_ont_pas_les_memes_vacances_d_hiver():
    # Winter 2027: zone C from 6 to 21 February, zone A from 13 to 28, zone B from 20 February to 7 March.
    lundi_8, lundi_1er_mars = datetime.date(2027, 2, 8), datetime.date(2027, 3, 1)
    assert not Calendrier(lp("C")).est_jour_de_classe(lundi_8)
    assert Calendrier(lp("A")).est_jour_de_classe(lundi_8)
    assert Calendrier(lp("A")).est_jour_de_classe(lundi_1er_mars)
    assert not Calendrier(lp("B")).est_jour_de_classe(lundi_1er_mars)


def test_vacances_inconnues_ignorees_plutot_que_devinees():
    for zone in ("autre", ""):
        assert Calendrier(lp(zone)).est_jour_de_classe(datetime.date(2026, 12, 21))
    # Beyond the package's official dates, no holiday is assumed either.
    assert Calendrier(lp()).est_jour_de_classe(datetime.date(2031, 12, 23))


def test_jours_feries_d_alsace_moselle_et_d_outre_mer():
    vendredi_saint = datetime.date(2027, 3, 26)
    assert subdivision("57000") == "57" and subdivision("67000") == "6AE" and subdivision("97400") == "974"
    assert Calendrier(lp(code_postal="57000")).motif(vendredi_saint)[0] == FERIE
    assert Calendrier(lp(code_postal="69001")).est_jour_de_classe(vendredi_saint)
    # Abolition of slavery in La Réunion, 20 December: in the holidays there, so use 2027's date (a Monday).
    assert Calendrier(lp("autre", "97400")).motif(datetime.date(2027, 12, 20))[0] == FERIE


def test_pfmp_de_la_classe_seulement():
    periode = PeriodePFMP(classe="1MELEC", debut=datetime.date(2027, 1, 11), fin=datetime.date(2027, 1, 29))
    calendrier = Calendrier(lp(), [periode])
    jour = datetime.date(2027, 1, 12)
    assert calendrier.motif(jour, "1MELEC")[0] == PFMP
    assert calendrier.est_jour_de_classe(jour, "2MELEC") and calendrier.est_jour_de_classe(jour)


def test_semaines_de_classe():
    calendrier = Calendrier(
        lp(), [PeriodePFMP(classe="1MELEC", debut=datetime.date(2027, 1, 13), fin=datetime.date(2027, 1, 29))]
    )
    jeudi = datetime.date(2026, 11, 26)
    # Weeks of 30 Nov, 7 and 14 Dec; the Christmas weeks do not count; the week of 4 Jan does.
    assert calendrier.semaines_de_classe(jeudi, datetime.date(2026, 12, 19)) == 2
    assert calendrier.semaines_de_classe(jeudi, datetime.date(2026, 12, 20)) == 3
    assert calendrier.semaines_de_classe(jeudi, datetime.date(2027, 1, 3)) == 3
    assert calendrier.semaines_de_classe(jeudi, datetime.date(2027, 1, 10)) == 4
    # A PFMP from a Wednesday: that week still had two days in the LP, the next two had none.
    assert calendrier.semaines_de_classe(jeudi, datetime.date(2027, 1, 31), "1MELEC") == 5
    assert calendrier.semaines_de_classe(jeudi, datetime.date(2027, 1, 31), "2MELEC") == 7
    assert calendrier.semaines_de_classe(jeudi, jeudi) == 0


def test_la_frise_montre_vacances_feries_et_pfmp_de_l_annee(client, cast):
    PeriodePFMPFactory(etablissement=cast.lp_a, classe="2MELEC", libelle="PFMP 1")
    PeriodePFMPFactory(etablissement=cast.lp_a, classe="2CAP", libelle="PFMP 1")
    PeriodePFMPFactory(etablissement=cast.lp_b, classe="2AUTRE", libelle="Ailleurs")
    client.force_login(cast.referent_a)
    page = client.get(reverse("etablissements:frise", args=[cast.dispositif_a.pk])).content.decode()
    assert "Calendrier scolaire" in page
    assert "Vacances de Noël" in page and "19/12/2026" in page and "03/01/2027" in page
    assert "PFMP 1 – 2CAP, 2MELEC" in page and "Ailleurs" not in page
    assert "Armistice" in page


def test_la_frise_dit_quand_les_vacances_sont_inconnues(cast):
    Etablissement.objects.filter(pk=cast.lp_a.pk).update(zone_vacances="autre")
    cast.dispositif_a.refresh_from_db()
    calendrier = calendrier_de_l_annee(cast.dispositif_a)
    assert not calendrier["vacances_connues"]
    assert {p["genre"] for p in calendrier["periodes"]} == {FERIE}
