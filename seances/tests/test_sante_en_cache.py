"""The référent's dashboard keeps its health summary in the cache until something the health reads is
written: every kind of write shows on the next view, and nothing else costs a computation."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from binomes.evenements import ecrits_en_masse
from binomes.models import StatutBinome
from binomes.tests.factories import BinomeFactory
from seances import services, signalements
from seances.models import Continuer, Presence, Seance, StatutSeance
from seances.sante_en_cache import _cle_du_resume, resume_du_tableau
from seances.tests.factories import AvisEleveFactory, NoteMentorFactory, SeanceFactory

pytestmark = pytest.mark.django_db

AUJOURDHUI = datetime.date(2026, 11, 30)  # the tests' clock (tests/horloge.py)


def _seance(dispositif):
    return Seance(
        dispositif=dispositif,
        date=AUJOURDHUI,
        heure=datetime.time(14),
        duree=60,
        type="entretien",
        lieu="etablissement",
        statut=StatutSeance.TENUE,
    )


def _en_risque(dispositif):
    return [str(s.binome) for s in resume_du_tableau(dispositif)["en_risque"]]


@pytest.fixture
def binome(cast):
    # Started eight weeks ago without any séance: « en risque ».
    return BinomeFactory(dispositif=cast.dispositif_a, date_debut=datetime.date(2026, 10, 5))


def test_chaque_ecriture_lue_par_la_sante_se_voit_a_la_vue_suivante(cast, binome, django_assert_num_queries):
    d = cast.dispositif_a
    assert _en_risque(d) == [str(binome)]
    # Nothing written: the summary comes from the cache, without a query.
    with django_assert_num_queries(0):
        assert _en_risque(d) == [str(binome)]

    # A séance logged by the service (its participations written in bulk, without signals).
    seance = services.seance_enregistrer(
        seance=_seance(d),
        participants=[(binome.mentor, Presence.PRESENT), (binome.eleve, Presence.PRESENT)],
    )
    assert _en_risque(d) == []

    # The mentor's note flags a difficulty, then the référent handles it.
    note = NoteMentorFactory(seance=seance, mentor=binome.mentor, difficulte=True)
    assert _en_risque(d) == [str(binome)]
    note.besoin_traite_le = datetime.datetime(2026, 11, 30, 11, tzinfo=datetime.UTC)
    note.save(update_fields=["besoin_traite_le"])
    assert _en_risque(d) == []

    # The student's answer, then its removal.
    avis = AvisEleveFactory(binome=binome, recu_le=AUJOURDHUI, continuer=Continuer.NON)
    assert _en_risque(d) == [str(binome)]
    # The student renamed: the list names them as they are now.
    binome.eleve.nom = "Renommé"
    binome.eleve.save()
    assert "Renommé" in _en_risque(d)[0]
    avis.delete()
    assert _en_risque(d) == []

    # An attendance corrected on its own (the participation saved by itself).
    participation = seance.participations.get(eleve=binome.eleve)
    participation.presence = Presence.ABSENT_NON_EXCUSE
    assert resume_du_tableau(d)["a_surveiller"] == 0
    participation.save(update_fields=["presence"])
    assert resume_du_tableau(d)["a_surveiller"] == 1  # one unexcused absence out of one séance
    autre = SeanceFactory(dispositif=d, binome=binome, date=AUJOURDHUI - datetime.timedelta(days=1))
    autre.participations.filter(eleve=binome.eleve).update(presence=Presence.ABSENT_NON_EXCUSE)
    autre.save()  # the bulk update above sends no signal: its séance's save does
    assert _en_risque(d) == [str(binome)]

    # The chef suspends the mentor: the pair is no longer active (written in bulk by the service).
    signalements.mentor_suspendre(mentor=binome.mentor, par=cast.chef_a)
    binome.refresh_from_db()
    assert binome.statut == StatutBinome.SUSPENDU
    assert resume_du_tableau(d) == {"en_risque": [], "a_surveiller": 0}


def test_une_ecriture_ailleurs_ne_coute_aucun_calcul(cast, binome, django_assert_num_queries):
    resume_du_tableau(cast.dispositif_a)
    BinomeFactory(dispositif=cast.dispositif_b)
    SeanceFactory(dispositif=cast.dispositif_b)
    with django_assert_num_queries(0):
        resume_du_tableau(cast.dispositif_a)


def test_ecritures_en_masse_de_binomes_annoncees_par_leur_signal(cast, binome):
    """binomes writes pairs and students in bulk (year's end, SIECLE import) and says so by a signal."""
    assert _en_risque(cast.dispositif_a) == [str(binome)]
    type(binome).objects.filter(pk=binome.pk).update(statut=StatutBinome.TERMINE)
    ecrits_en_masse.send(sender=type(binome), etablissement_id=cast.lp_a.pk)
    assert _en_risque(cast.dispositif_a) == []


def test_un_resume_vu_avant_la_validation_n_est_pas_relu_apres(cast, binome, django_capture_on_commit_callbacks):
    """A view that read the data while a write was not yet committed may cache what it saw under the
    version the write set at once: the version changes again at the commit."""
    d = cast.dispositif_a
    vieux = resume_du_tableau(d)
    with django_capture_on_commit_callbacks() as rappels:
        services.seance_enregistrer(
            seance=_seance(d),
            participants=[(binome.mentor, Presence.PRESENT), (binome.eleve, Presence.PRESENT)],
        )
        # What a concurrent view, which still saw the data before the commit, would have cached.
        cache.set(_cle_du_resume(d, AUJOURDHUI), vieux)
        assert _en_risque(d) == [str(binome)]
    for rappel in rappels:
        rappel()
    assert _en_risque(d) == []


def test_sur_la_page_une_reponse_ecrite_apres_une_vue_se_voit_a_la_suivante(client, cast, binome):
    """Through the page (its query counts with and without the cache: seances/tests/test_sante_pages.py)."""
    client.force_login(cast.referent_a)
    client.get(reverse("accueil"))
    AvisEleveFactory(binome=binome, recu_le=AUJOURDHUI, continuer=Continuer.NON)
    contenu = client.get(reverse("accueil")).content.decode()
    assert "Les réponses de l’élève appellent l’attention" in contenu


def test_suppression_en_masse_une_version_changee_par_dispositif(cast, binome, monkeypatch):
    """`QuerySet.delete()` of many séances (a purge) changes each dispositif's version once, not per row."""
    from seances import sante_en_cache

    for jour in range(1, 6):
        SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=datetime.date(2026, 11, jour))
    SeanceFactory(dispositif=cast.dispositif_b)
    assert _en_risque(cast.dispositif_a) == []
    appels = []
    original = sante_en_cache.perimer
    monkeypatch.setattr(sante_en_cache, "perimer", lambda **portee: appels.append(portee) or original(**portee))
    Seance.objects.filter(dispositif__in=[cast.dispositif_a, cast.dispositif_b]).delete()
    assert sorted(appels, key=str) == sorted(
        [{"dispositif_id": cast.dispositif_a.pk}, {"dispositif_id": cast.dispositif_b.pk}], key=str
    )
    # Without its séances the pair is inactive again: the deletion shows.
    assert _en_risque(cast.dispositif_a) == [str(binome)]
