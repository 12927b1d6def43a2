"""The national pilots' dashboard: académies side by side, the country's total, no LP and no name,
cached and dated, computed in a fixed number of grouped queries whatever the number of académies."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from bilans.indicateurs import indicateurs_par_dispositif, total
from bilans.national import tableau_national
from bilans.tasks import rafraichir_indicateurs
from binomes.models import Eleve, Mentor
from binomes.tests.factories import BinomeFactory
from etablissements.models import Etablissement
from etablissements.tests.factories import (
    AcademieFactory,
    AffectationFactory,
    DispositifFactory,
    EtablissementFactory,
)
from seances.tests.factories import SeanceFactory
from socle.journal import ActionJournal
from socle.models import JournalAcces

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def pilote_national():
    return AffectationFactory(pilotage_national=True).user


def _lp_avec_activite(academie, binomes=1):
    lp = EtablissementFactory(academie=academie)
    dispositif = DispositifFactory(etablissement=lp)
    for _ in range(binomes):
        SeanceFactory(dispositif=dispositif, binome=BinomeFactory(dispositif=dispositif))
    return lp


def _ligne(reponse, academie):
    return next(ligne for ligne in reponse.context["tableau"].lignes if ligne.pk == academie.pk)


def test_une_ligne_par_academie_et_le_total_national_exacts(client, cast, pilote_national):
    grenoble = AcademieFactory(nom="Grenoble")
    _lp_avec_activite(grenoble, binomes=2)
    _lp_avec_activite(grenoble)
    BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(pilote_national)
    reponse = client.get(reverse("bilans:national"))
    assert reponse.status_code == 200
    tableau = reponse.context["tableau"]
    # Each académie's figures are those of its LPs added up (indicators of each dispositif, summed).
    annee = cast.dispositif_a.annee
    for academie in (cast.lp_a.academie, grenoble):
        ids = list(
            Etablissement.objects.filter(academie=academie, dispositifs__annee=annee).values_list(
                "dispositifs", flat=True
            )
        )
        attendu = total(indicateurs_par_dispositif(ids).values())
        assert list(_ligne(reponse, academie).indicateurs) == list(attendu.values()), academie
    assert _ligne(reponse, grenoble).etablissements == 2
    assert tableau.total["mentors"].valeur == Mentor.objects.filter(binomes__isnull=False).distinct().count() == 4
    assert tableau.etablissements == Etablissement.objects.count()
    contenu = reponse.content.decode()
    assert "Total national" in contenu and "Grenoble" in contenu


def test_aucun_nom_ni_aucun_lp(client, cast, pilote_national):
    academie = AcademieFactory(nom="Nantes")
    for _ in range(2):
        _lp_avec_activite(academie)
    BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(pilote_national)
    contenus = [
        client.get(reverse("bilans:national")).content.decode(),
        client.get(reverse("bilans:national_export")).content.decode("utf-8-sig"),
        client.get(reverse("accueil")).content.decode(),
    ]
    assert Eleve.objects.count() >= 3
    for contenu in contenus:
        for eleve in Eleve.objects.all():
            assert eleve.nom not in contenu and eleve.ine not in contenu, eleve.nom
        for mentor in Mentor.objects.all():
            assert mentor.nom not in contenu, mentor.nom
        for lp in Etablissement.objects.all():
            assert lp.nom not in contenu and lp.uai not in contenu, lp.nom


def test_reserve_au_pilotage_national(client, cast, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    admin_academique = AffectationFactory(admin_academique=True, academie=cast.lp_a.academie).user
    for user in (cast.pilotage, admin_academique, cast.chef_a, cast.referent_a, cast.coordonnateur_a, cast.sans_role):
        client.force_login(user)
        assert client.get(reverse("bilans:national")).status_code == 404, user
        assert client.get(reverse("bilans:national_export")).status_code == 404, user
    client.logout()
    assert client.get(reverse("bilans:national")).status_code == 302


def test_le_pilote_national_ne_voit_aucune_page_de_lp(client, cast, pilote_national):
    client.force_login(pilote_national)
    for nom in ("bilans:academie", "bilans:bilan", "binomes:eleves", "seances:liste", "etablissements:etablissement"):
        assert client.get(reverse(nom)).status_code in (403, 404), nom
    accueil = client.get(reverse("accueil"))
    assert accueil.wsgi_request.etablissement is None
    contenu = accueil.content.decode()
    assert reverse("bilans:national") in contenu
    assert "Aucun rôle pour le moment" not in contenu


def test_chiffres_dates_puis_rafraichis_par_la_tache(client, cast, pilote_national):
    client.force_login(pilote_national)
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), tick=False):
        BinomeFactory(dispositif=cast.dispositif_a)
        reponse = client.get(reverse("bilans:national"))
        assert reponse.context["tableau"].total["mentors"].valeur == 1
        assert "Chiffres calculés le 26 novembre 2026 à 10:00" in reponse.content.decode()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 4, tzinfo=PARIS), tick=False):
        BinomeFactory(dispositif=cast.dispositif_b)
        # From the cache: the figures of 10:00, said so.
        reponse = client.get(reverse("bilans:national"))
        assert reponse.context["tableau"].total["mentors"].valeur == 1
        assert "à 10:00" in reponse.content.decode()
        rafraichir_indicateurs()
        reponse = client.get(reverse("bilans:national"))
        assert reponse.context["tableau"].total["mentors"].valeur == 2
        assert "Chiffres calculés le 26 novembre 2026 à 10:04" in reponse.content.decode()


def test_export_csv_par_academie_avec_le_total_et_journalise(client, cast, pilote_national):
    AcademieFactory(nom="Amiens")
    BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(pilote_national)
    reponse = client.get(reverse("bilans:national_export"))
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/csv")
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8-sig")), delimiter=";"))
    assert lignes[0][:3] == ["Académie", "Établissements", "Dispositifs de l’année"]
    noms = [ligne[0] for ligne in lignes[1:]]
    assert "Amiens" in noms and cast.lp_a.academie.nom in noms
    assert noms[-1] == "Total national"
    assert JournalAcces.objects.filter(user=pilote_national, action=ActionJournal.EXPORT).count() == 1


def _academies_avec_lp(nombre, lp_par_academie):
    for n in range(nombre):
        academie = AcademieFactory(nom=f"Académie {n:02d}")
        for _ in range(lp_par_academie):
            _lp_avec_activite(academie)


@pytest.mark.parametrize(("academies", "lp_par_academie"), [(1, 1), (4, 3)])
def test_requetes_par_academie_jamais_par_lp(
    client, cast, pilote_national, academies, lp_par_academie, django_assert_num_queries
):
    _academies_avec_lp(academies, lp_par_academie)
    client.force_login(pilote_national)
    client.get(reverse("bilans:national"))
    # Warm (the usual case): the session, the user and their roles; the table is one cache read.
    with django_assert_num_queries(3):
        client.get(reverse("bilans:national"))
    # Cold, nothing computed yet: the dispositifs by académie, the figures kept by the beat job (none
    # here), each académie's LPs in four grouped queries (never LP by LP), the académies. The test's
    # fixture has an académie of its own (the cast's LPs) beside the ones made here.
    cache.clear()
    with django_assert_num_queries(3 + 3 + 4 * (academies + 1)):
        client.get(reverse("bilans:national"))


@pytest.mark.parametrize("academies", [1, 4])
def test_calcul_a_froid_quatre_requetes_par_academie(academies, django_assert_num_queries):
    _academies_avec_lp(academies, 2)
    annee = DispositifFactory._meta.model.objects.values_list("annee", flat=True).first()
    with django_assert_num_queries(3 + 4 * academies):
        tableau = tableau_national(annee)
    assert len(tableau.lignes) == academies


@pytest.mark.parametrize("academies", [1, 4])
def test_cache_perdu_les_chiffres_gardes_par_la_tache_servent_sans_recalcul(academies, django_assert_num_queries):
    """Redis keeps nothing on disk: after it restarts, the table is rebuilt from the figures the beat
    job kept in the database (one query), not by computing the country again."""
    _academies_avec_lp(academies, 2)
    annee = DispositifFactory._meta.model.objects.values_list("annee", flat=True).first()
    rafraichir_indicateurs()
    attendu = tableau_national(annee)
    cache.clear()
    # The dispositifs by académie, their kept figures, the académies: no indicator query.
    with django_assert_num_queries(3) as requetes:
        tableau = tableau_national(annee)
    assert not any("seances_participation" in q["sql"] for q in requetes.captured_queries)
    assert [list(ligne.indicateurs) for ligne in tableau.lignes] == [
        list(ligne.indicateurs) for ligne in attendu.lignes
    ]
    assert list(tableau.total.values()) == list(attendu.total.values())
    assert tableau.calcule_le == attendu.calcule_le


def test_tache_arretee_les_chiffres_gardes_servent_dates_et_un_calcul_est_demande(
    client, cast, pilote_national, monkeypatch, django_assert_max_num_queries
):
    """The beat job stopped an hour ago and Redis lost the table: the page reads the kept figures
    (no computation of the country), dates them with a warning, and asks the workers once."""
    from bilans import national

    demandes = []
    monkeypatch.setattr(national, "apres_commit", lambda tache, *a, **k: demandes.append(tache))
    client.force_login(pilote_national)
    with time_machine.travel(datetime.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), tick=False):
        BinomeFactory(dispositif=cast.dispositif_a)
        rafraichir_indicateurs()
    with time_machine.travel(datetime.datetime(2026, 11, 26, 11, 0, tzinfo=PARIS), tick=False):
        BinomeFactory(dispositif=cast.dispositif_b)  # after the last computation: not counted yet
        # An LP that joined since: never computed, so computed now (alone).
        nouveau = DispositifFactory(etablissement=EtablissementFactory(academie=cast.lp_a.academie))
        BinomeFactory(dispositif=nouveau)
        cache.clear()
        with django_assert_max_num_queries(15) as requetes:
            reponse = client.get(reverse("bilans:national"))
        participations = [q["sql"] for q in requetes.captured_queries if "seances_participation" in q["sql"]]
        assert len(participations) == 1 and str(nouveau.pk) in participations[0]
        assert reponse.context["tableau"].total["mentors"].valeur == 2
        contenu = " ".join(reponse.content.decode().split())
        assert "Ces chiffres datent du 26 novembre 2026 à 10:00 : leur calcul périodique semble arrêté." in contenu
        assert demandes == ["bilans.tasks.rafraichir_indicateurs"]
        # Asked once per period, however many views rebuild the table.
        cache.delete(national._cle(cast.dispositif_a.annee))
        client.get(reverse("bilans:national"))
        assert demandes == ["bilans.tasks.rafraichir_indicateurs"]
        # The job runs: fresh figures, no warning.
        rafraichir_indicateurs()
        reponse = client.get(reverse("bilans:national"))
        assert reponse.context["tableau"].total["mentors"].valeur == 3
        assert "semble arrêté" not in reponse.content.decode()


def test_premier_affichage_calcule_au_plus_le_plafond_le_reste_en_cours_aupres_des_workers(
    client, cast, pilote_national, monkeypatch
):
    """A deployment whose beat job never ran: the page computes whole académies up to the ceiling,
    shows the others « calcul en cours » (no partial national total), asks the workers once, and
    shows everything once they have computed it."""
    from bilans import national

    demandes = []
    monkeypatch.setattr(national, "apres_commit", lambda tache, *a, **k: demandes.append(tache))
    monkeypatch.setattr(national, "CALCUL_SUR_LA_PAGE", 3)
    _academies_avec_lp(1, 3)  # « Académie 00 », which fits under the ceiling with nothing else
    grande = AcademieFactory(nom="Académie grande")
    for _ in range(4):  # more than the ceiling on its own: always left to the workers
        _lp_avec_activite(grande)
    client.force_login(pilote_national)
    cache.clear()

    reponse = client.get(reverse("bilans:national"))

    tableau = reponse.context["tableau"]
    lignes = {ligne.nom: ligne for ligne in tableau.lignes}
    assert lignes["Académie grande"].en_attente
    calculees = [ligne for ligne in tableau.lignes if not ligne.en_attente and ligne.dispositifs]
    assert calculees and sum(ligne.dispositifs for ligne in calculees) <= 3
    assert tableau.total is None and tableau.en_attente >= 1
    contenu = " ".join(reponse.content.decode().split())
    assert "Calcul en cours" in contenu and "En attente du calcul de toutes les académies" in contenu
    assert f"Les chiffres de {tableau.en_attente} académie" in contenu
    assert demandes == ["bilans.tasks.rafraichir_indicateurs"]
    # The CSV says the same: empty cells for what is pending, the total included.
    csv_national = client.get(reverse("bilans:national_export")).content.decode("utf-8-sig")
    export = list(csv.reader(io.StringIO(csv_national), delimiter=";"))
    grande_csv = next(ligne for ligne in export if ligne[0] == "Académie grande")
    assert grande_csv[5:] == [""] * (len(grande_csv) - 5)
    assert set(export[-1][5:]) == {""}

    # The workers compute the country; the next table built has every académie and the total.
    rafraichir_indicateurs()
    reponse = client.get(reverse("bilans:national"))
    tableau = reponse.context["tableau"]
    assert tableau.en_attente == 0 and tableau.total["mentors"].valeur >= 7  # one per pair made here
    assert "Calcul en cours" not in reponse.content.decode()
