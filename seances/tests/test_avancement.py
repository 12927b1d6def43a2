"""Noting the progress of the objectives at a séance, and its history on the binôme's page."""

import datetime

import pytest
from django.urls import reverse

from binomes.models import OBJECTIFS_MAX
from binomes.tests.factories import BinomeFactory, ObjectifBinomeFactory
from etablissements.tests.factories import AffectationFactory
from seances import objectifs as service
from seances.models import AvancementObjectif, Participation, Presence
from seances.tests.factories import SeanceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def binome(cast):
    return BinomeFactory(dispositif=cast.dispositif_a, mentor__user=cast.mentor_a)


def test_les_binomes_de_la_seance_sont_ceux_dont_mentor_et_eleve_y_sont(cast, binome):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome)
    # Same mentor, but their student is not at this séance: not one of its binômes.
    absent = BinomeFactory(dispositif=cast.dispositif_a, mentor=binome.mentor)
    seul = BinomeFactory(dispositif=cast.dispositif_a)
    Participation.objects.create(seance=seance, eleve=seul.eleve, presence=Presence.PRESENT)
    assert service.binomes_de_la_seance(seance) == [binome]
    assert absent not in service.binomes_de_la_seance(seance)


def test_le_coordonnateur_note_l_avancement_et_le_binome_le_montre(client, cast, binome):
    stage = ObjectifBinomeFactory(binome=binome, libelle="Trouver un stage")
    oral = ObjectifBinomeFactory(binome=binome, libelle="Parler en public")
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=datetime.date(2026, 11, 20))
    client.force_login(cast.coordonnateur_a)
    detail = client.get(seance.get_absolute_url()).content.decode()
    assert "Noter l’avancement des objectifs" in detail
    url = reverse("seances:avancement", args=[seance.pk])
    page = client.get(url).content.decode()
    assert "Trouver un stage" in page and "Parler en public" in page
    reponse = client.post(
        url,
        {
            f"statut_{stage.pk}": "atteint",
            f"note_{stage.pk}": "Convention signée avec le garage.",
            f"statut_{oral.pk}": "en_cours",
            f"note_{oral.pk}": "",
        },
    )
    assert reponse.status_code == 302
    # The objective left untouched (no note, same status) gets no row.
    assert list(AvancementObjectif.objects.values_list("objectif", "statut_apres", "note", "saisi_par")) == [
        (stage.pk, "atteint", "Convention signée avec le garage.", cast.coordonnateur_a.pk)
    ]
    stage.refresh_from_db()
    assert (stage.statut, stage.statut_le) == ("atteint", datetime.date(2026, 11, 20))
    client.force_login(cast.referent_a)
    fiche = client.get(reverse("binomes:binome", args=[binome.pk])).content.decode()
    assert "20/11/2026 — Atteint : Convention signée avec le garage." in fiche


def test_noter_une_seance_ancienne_ne_defait_pas_un_fait_plus_recent(cast, binome):
    objectif = ObjectifBinomeFactory(binome=binome)
    ancienne = SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=datetime.date(2026, 10, 10))
    recente = SeanceFactory(dispositif=cast.dispositif_a, binome=binome, date=datetime.date(2026, 11, 10))
    service.avancements_enregistrer(
        seance=recente, saisies=[service.Saisie(objectif, "Atteint !", "atteint")], auteur=cast.referent_a
    )
    service.avancements_enregistrer(
        seance=ancienne, saisies=[service.Saisie(objectif, "En route", "en_cours")], auteur=cast.referent_a
    )
    objectif.refresh_from_db()
    assert objectif.statut == "atteint"
    # Noted again at the same séance: corrected, not doubled.
    service.avancements_enregistrer(
        seance=recente, saisies=[service.Saisie(objectif, "Atteint, stage signé", "atteint")], auteur=cast.referent_a
    )
    assert AvancementObjectif.objects.filter(objectif=objectif).count() == 2


def test_un_objectif_d_un_autre_binome_est_ignore(cast, binome):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome)
    etranger = ObjectifBinomeFactory(binome=BinomeFactory(dispositif=cast.dispositif_a))
    assert (
        service.avancements_enregistrer(
            seance=seance, saisies=[service.Saisie(etranger, "x", "atteint")], auteur=cast.referent_a
        )
        == 0
    )
    assert not AvancementObjectif.objects.exists()


def test_droits_de_la_page(client, cast, binome):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome)
    url = reverse("seances:avancement", args=[seance.pk])
    client.force_login(cast.referent_b)
    assert client.get(url).status_code == 404
    client.force_login(cast.mentor_a)
    assert client.get(url).status_code == 403
    client.force_login(AffectationFactory(role="mentor", etablissement=cast.lp_a).user)
    assert client.get(url).status_code == 404
    client.force_login(cast.chef_a)
    assert client.get(url).status_code == 403


def test_requetes_de_la_page(client, cast, binome, django_assert_num_queries):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome)
    for _ in range(3):
        ObjectifBinomeFactory(binome=binome)
    autre = BinomeFactory(dispositif=cast.dispositif_a)
    Participation.objects.create(seance=seance, mentor=autre.mentor, presence=Presence.PRESENT)
    Participation.objects.create(seance=seance, eleve=autre.eleve, presence=Presence.PRESENT)
    ObjectifBinomeFactory(binome=autre)
    client.force_login(cast.coordonnateur_a)
    url = reverse("seances:avancement", args=[seance.pk])
    client.get(url)
    # Session, user, roles and the LPs of the coordinator's association (one query), the séance, its
    # binômes, their objectives (prefetched), the rows noted: the same count whatever the number of
    # binômes and objectives.
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_reprendre_un_objectif_abandonne_compte_dans_le_maximum(client, cast, binome):
    abandonne = ObjectifBinomeFactory(binome=binome, statut="abandonne")
    suivis = [ObjectifBinomeFactory(binome=binome) for _ in range(OBJECTIFS_MAX)]
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome)
    client.force_login(cast.coordonnateur_a)
    donnees = {f"statut_{o.pk}": o.statut for o in suivis} | {f"statut_{abandonne.pk}": "en_cours"}
    reponse = client.post(reverse("seances:avancement", args=[seance.pk]), donnees)
    assert reponse.status_code == 200 and "au plus" in reponse.content.decode()
    abandonne.refresh_from_db()
    assert abandonne.statut == "abandonne" and not AvancementObjectif.objects.exists()
