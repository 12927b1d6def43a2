"""The mentor's notes after the séances (free text about a student): in the right of access, and gone at retention."""

import datetime
import json

import pytest
from django.urls import reverse

from binomes.tests.factories import BinomeFactory, EleveFactory
from rgpd import export, retention
from seances.models import NoteMentor
from seances.tests.factories import NoteMentorFactory, SeanceFactory


@pytest.fixture
def binome(cast):
    return BinomeFactory(
        dispositif=cast.dispositif_a,
        eleve__nom="Zéphyrin",
        eleve__prenom="Anaïs",
        mentor__nom="Quenouille",
        mentor__prenom="Bérénice",
    )


@pytest.fixture
def note(binome):
    seance = SeanceFactory(dispositif=binome.dispositif, binome=binome, date=datetime.date(2026, 11, 2))
    return NoteMentorFactory(
        seance=seance,
        mentor=binome.mentor,
        fait="Anaïs Zéphyrin a préparé son entretien de stage.",
        suite="Appeler l’entreprise.",
        difficulte_eleve=True,
    )


def test_les_notes_sont_dans_l_export_du_mentor_et_de_l_eleve(client, cast, binome, note):
    donnees = export.donnees_mentor(binome.mentor)
    (ligne,) = donnees["notes après les séances"]
    assert ligne["ce que nous avons fait"] == note.fait and ligne["difficulté avec l’élève"] == "oui"
    assert ligne["séance"] == "Entretien individuel du 02/11/2026"
    (ligne,) = export.donnees_eleve(binome.eleve)["notes des mentors après les séances"]
    assert ligne["mentor"] == "Bérénice Quenouille" and ligne["la suite prévue"] == "Appeler l’entreprise."
    # Another student of the same mentor finds nothing of it in their own export.
    autre = BinomeFactory(
        dispositif=cast.dispositif_a, mentor=binome.mentor, eleve=EleveFactory(etablissement=cast.lp_a)
    )
    assert export.donnees_eleve(autre.eleve)["notes des mentors après les séances"] == []
    client.force_login(cast.referent_a)
    reponse = client.get(reverse("rgpd:export_mentor", args=[binome.mentor.pk]))
    assert note.fait in json.loads(reponse.content)["notes après les séances"][0]["ce que nous avons fait"]


def test_l_anonymisation_de_l_eleve_vide_les_notes_a_son_sujet(binome, note):
    retention.anonymiser_eleve(eleve=binome.eleve)
    note.refresh_from_db()
    # The words go, the facts stay (held, needs flagged) for the pair's history.
    assert note.fait == "" and note.suite == "" and note.difficulte_eleve


def test_l_anonymisation_du_mentor_vide_ses_notes(binome, note):
    retention.anonymiser_mentor(mentor=binome.mentor)
    assert NoteMentor.objects.filter(fait="", suite="", difficulte_eleve=True).count() == 1


def test_le_nom_copie_dans_une_autre_note_est_remplace(cast, binome, note):
    """A note of another mentor naming the student, on a séance of the LP: the name is replaced."""
    autre = BinomeFactory(dispositif=cast.dispositif_a, eleve=EleveFactory(etablissement=cast.lp_a))
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=autre)
    ailleurs = NoteMentorFactory(seance=seance, mentor=autre.mentor, fait="Croisé Anaïs Zéphyrin au CDI.")
    retention.anonymiser_eleve(eleve=binome.eleve)
    ailleurs.refresh_from_db()
    binome.eleve.refresh_from_db()
    assert "Zéphyrin" not in ailleurs.fait and str(binome.eleve) in ailleurs.fait
