"""Dashboards of many LPs read their figures from the cache: recent, dated, refreshed by a beat job."""

import datetime
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from bilans.indicateurs import DUREE_CACHE, indicateurs_par_dispositif, tableau_recent
from bilans.models import ChiffresDispositif
from bilans.tasks import rafraichir_indicateurs
from bilans.views.tableau_de_bord import PAR_PAGE
from binomes.tests.factories import BinomeFactory
from etablissements.models import Etablissement, LigneBudget
from etablissements.models.budget import TypeLigneBudget
from etablissements.tests.factories import DispositifFactory, EtablissementFactory, LigneBudgetFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _mentors_du_lp_a(reponse, cast):
    ligne = next(ligne for ligne in reponse.context["lignes"] if ligne.pk == cast.lp_a.pk)
    return ligne.indicateurs["mentors"].valeur


def test_les_valeurs_recentes_sont_les_valeurs_exactes(cast):
    BinomeFactory(dispositif=cast.dispositif_a)
    BinomeFactory(dispositif=cast.dispositif_b)
    BinomeFactory(dispositif=cast.dispositif_b)
    ids = [cast.dispositif_a.pk, cast.dispositif_b.pk]
    exactes = indicateurs_par_dispositif(ids)
    for _ in range(2):  # computed, then read back from the cache
        lignes, somme, calcule_le = tableau_recent([cast.lp_a.pk, cast.lp_b.pk], cast.dispositif_a.annee)
        assert calcule_le is not None
        assert {ligne.dispositif_id: list(ligne.indicateurs) for ligne in lignes} == {
            pk: list(exactes[pk]) for pk in ids
        }
        assert somme["mentors"].valeur == 3


def test_academie_montre_des_chiffres_dates_puis_rafraichis_par_la_tache(client, cast):
    client.force_login(cast.pilotage)
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), tick=False):
        BinomeFactory(dispositif=cast.dispositif_a)
        reponse = client.get(reverse("bilans:academie"))
        assert _mentors_du_lp_a(reponse, cast) == 1
        assert "Chiffres calculés le 26 novembre 2026 à 10:00" in reponse.content.decode()

    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 4, tzinfo=PARIS), tick=False):
        BinomeFactory(dispositif=cast.dispositif_a)
        reponse = client.get(reverse("bilans:academie"))
        # Four minutes later, the page still shows the figures of 10:00, and says so.
        assert _mentors_du_lp_a(reponse, cast) == 1
        assert "à 10:00" in reponse.content.decode()
        # The beat job recomputes them.
        assert rafraichir_indicateurs() >= 2
        reponse = client.get(reverse("bilans:academie"))
        assert _mentors_du_lp_a(reponse, cast) == 2
        assert "Chiffres calculés le 26 novembre 2026 à 10:04" in reponse.content.decode()


def test_sans_la_tache_les_chiffres_expires_sont_recalcules(client, cast):
    client.force_login(cast.pilotage)
    debut = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    with time_machine.travel(debut, tick=False):
        client.get(reverse("bilans:academie"))
        BinomeFactory(dispositif=cast.dispositif_a)
    with time_machine.travel(debut + datetime.timedelta(seconds=DUREE_CACHE + 1), tick=False):
        reponse = client.get(reverse("bilans:academie"))
        assert _mentors_du_lp_a(reponse, cast) == 1
        assert "à 10:15" in reponse.content.decode()


def test_le_coordonnateur_voit_aussi_l_heure_du_calcul(client, cast):
    client.force_login(cast.coordonnateur_a)
    with time_machine.travel(datetime.datetime(2026, 11, 26, 9, 30, tzinfo=PARIS), tick=False):
        contenu = client.get(reverse("accueil")).content.decode()
    assert "Chiffres calculés le 26 novembre 2026 à 09:30" in contenu


def test_la_tache_est_planifiee_toutes_les_dix_minutes():
    planification = settings.CELERY_BEAT_SCHEDULE["rafraichir-indicateurs"]
    assert planification["task"] == rafraichir_indicateurs.name
    assert planification["schedule"].minute == set(range(0, 60, 10))


def test_academie_paginee_tri_et_total_sur_tous_les_lp(client, cast):
    for n in range(PAR_PAGE + 3):
        lp = EtablissementFactory(academie=cast.lp_a.academie, nom=f"Lycée {n:03d}")
        dispositif = DispositifFactory(etablissement=lp)
        if n == PAR_PAGE + 2:  # the last by name, the first by number of mentors
            for _ in range(3):
                BinomeFactory(dispositif=dispositif)
        else:
            BinomeFactory(dispositif=dispositif)
    nombre = Etablissement.objects.filter(academie=cast.lp_a.academie).count()
    client.force_login(cast.pilotage)

    page1 = client.get(reverse("bilans:academie"))
    page2 = client.get(reverse("bilans:academie"), {"page": 2})
    lignes = [*page1.context["lignes"], *page2.context["lignes"]]
    assert len(page1.context["lignes"]) == PAR_PAGE
    assert sorted(e.pk for e in lignes) == sorted(
        Etablissement.objects.filter(academie=cast.lp_a.academie).values_list("pk", flat=True)
    )
    contenu = page1.content.decode()
    assert f"Indicateurs par établissement ({nombre}), et total" in contenu
    assert "Page suivante" in contenu
    # The total covers every LP, not only the page: PAR_PAGE + 2 LPs with 1 mentor, one with 3.
    ligne_total = re.search(r"<tfoot>.*?</tfoot>", contenu, re.S).group(0)
    mentors = re.findall(r"<td>([^<]*)</td>", ligne_total)[2]
    assert mentors == str(PAR_PAGE + 2 + 3)

    triee = client.get(reverse("bilans:academie"), {"tri": "mentors"})
    assert triee.context["lignes"][0].nom == f"Lycée {PAR_PAGE + 2:03d}"
    assert "tri=mentors&amp;page=2" in triee.content.decode()


def test_cache_perdu_l_academie_relit_les_chiffres_gardes_par_la_tache(client, cast, django_assert_num_queries):
    """Redis restarted (it keeps nothing on disk): the figures come back from the rows the beat job
    kept, with their date and their exact sums of money, without computing anything."""
    BinomeFactory(dispositif=cast.dispositif_a)
    LigneBudgetFactory(dispositif=cast.dispositif_a, montant=Decimal("1234.56"))
    client.force_login(cast.pilotage)
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), tick=False):
        rafraichir_indicateurs()
        avant = tableau_recent([cast.lp_a.pk, cast.lp_b.pk], cast.dispositif_a.annee)
    assert ChiffresDispositif.objects.filter(dispositif=cast.dispositif_a).exists()
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 7, tzinfo=PARIS), tick=False):
        with django_assert_num_queries(3) as requetes:  # the LPs' dispositifs, their kept figures, the LPs
            apres = tableau_recent([cast.lp_a.pk, cast.lp_b.pk], cast.dispositif_a.annee)
        reponse = client.get(reverse("bilans:academie"))
    assert not any("binomes_binome" in q["sql"] for q in requetes.captured_queries)
    assert [list(ligne.indicateurs) for ligne in apres[0]] == [list(ligne.indicateurs) for ligne in avant[0]]
    assert apres[1] == avant[1] and apres[2] == avant[2]
    ligne_a = next(ligne for ligne in apres[0] if ligne.pk == cast.lp_a.pk)
    alloue = LigneBudget.objects.filter(dispositif=cast.dispositif_a, type=TypeLigneBudget.ALLOCATION)
    assert ligne_a.indicateurs["alloue"].valeur == sum(alloue.values_list("montant", flat=True))
    assert isinstance(ligne_a.indicateurs["alloue"].valeur, Decimal)
    assert "Chiffres calculés le 26 novembre 2026 à 10:00" in reponse.content.decode()


def test_des_chiffres_gardes_trop_anciens_sont_recalcules(cast):
    """Kept rows older than the cache's entries would be (the beat job stopped) are not served."""
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), tick=False):
        rafraichir_indicateurs()
    BinomeFactory(dispositif=cast.dispositif_a)
    cache.clear()
    plus_tard = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS) + datetime.timedelta(seconds=DUREE_CACHE + 1)
    with time_machine.travel(plus_tard, tick=False):
        lignes, _, calcule_le = tableau_recent([cast.lp_a.pk], cast.dispositif_a.annee)
    assert lignes[0].indicateurs["mentors"].valeur == 1
    assert calcule_le == plus_tard


def test_une_page_n_ecrit_pas_les_chiffres_gardes(client, cast):
    BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.pilotage)
    client.get(reverse("bilans:academie"))
    assert not ChiffresDispositif.objects.exists()
