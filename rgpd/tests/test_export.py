"""Right of access: one person's data as a readable JSON file, for the chef and the référent only."""

import json

import pytest
from django.urls import reverse

from bilans.models import ResultatEleve
from binomes.tests.factories import BinomeFactory, EleveFactory, PropositionFactory
from seances.models import DeclarationAbsence, Notification, Participation, Presence
from seances.tests.factories import EntretienAbsenceFactory, NoteMentorFactory, SeanceFactory
from socle.models import ActionJournal, JournalAcces


def _ajouter_dossier(binome):
    """One more séance with an announced absence, its notification, an interview and a proposal."""
    seance = SeanceFactory(dispositif=binome.dispositif, binome=binome)
    participation = Participation.objects.get(seance=seance, eleve=binome.eleve)
    participation.presence = Presence.ABSENT_EXCUSE
    participation.save()
    declaration = DeclarationAbsence.objects.create(participation=participation, motif="Rendez-vous médical")
    Notification.objects.create(
        type="absence_eleve",
        cle=f"absence:{declaration.pk}",
        destinataire=binome.mentor.email,
        seance=seance,
        donnees={"participation": participation.pk, "declaration": declaration.pk},
    )
    EntretienAbsenceFactory(seance=seance, eleve=binome.eleve)
    PropositionFactory(reunion__dispositif=binome.dispositif, eleve=binome.eleve, mentor=binome.mentor)
    NoteMentorFactory(seance=seance, mentor=binome.mentor)


@pytest.fixture
def binome(cast):
    b = BinomeFactory(dispositif=cast.dispositif_a, eleve__nom="Zéphyrin", eleve__prenom="Anaïs")
    _ajouter_dossier(b)
    ResultatEleve.objects.create(dispositif=cast.dispositif_a, eleve=b.eleve, presente=True, admis=True)
    return b


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["referent_a", "chef_a"])
def test_export_eleve(client, cast, binome, qui):
    client.force_login(getattr(cast, qui))
    reponse = client.get(reverse("rgpd:export_eleve", args=[binome.eleve.pk]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/json; charset=utf-8"
    assert f'filename="donnees-eleve-{binome.eleve.pk}.json"' in reponse["Content-Disposition"]
    texte = reponse.content.decode("utf-8")
    assert "Zéphyrin" in texte and "\n  " in texte  # UTF-8 kept as is, indented
    donnees = json.loads(texte)
    fiche = donnees["fiche de l’élève"]
    assert fiche["nom"] == "Zéphyrin" and fiche["INE"] == binome.eleve.ine
    assert fiche["date de naissance"] == "04/05/2009" and fiche["sexe"] in ("Masculin", "Féminin")
    assert donnees["binômes"][0]["mentor"] == str(binome.mentor)
    assert donnees["binômes"][0]["dispositif"] == cast.dispositif_a.annee_scolaire
    (presence,) = donnees["présences aux séances"]
    assert presence["absence annoncée"]["motif"] == "Rendez-vous médical"
    assert len(donnees["entretiens après une absence"]) == 1
    assert donnees["résultats et insertion"][0]["admis"] == "oui"
    assert len(donnees["propositions d’appariement"]) == 1
    assert donnees["notifications envoyées à son sujet"][0]["destinataire"] == binome.mentor.email
    assert "anonymes" in donnees["enquêtes de satisfaction"]
    entree = JournalAcces.objects.get(action=ActionJournal.EXPORT)
    assert entree.etablissement_id == cast.lp_a.pk and entree.user == getattr(cast, qui)
    assert entree.objet == f"Export des données personnelles de l’élève n° {binome.eleve.pk}"


@pytest.mark.django_db
def test_export_mentor(client, cast, binome):
    binome.mentor.user = cast.mentor_a
    binome.mentor.save()
    client.force_login(cast.referent_a)
    reponse = client.get(reverse("rgpd:export_mentor", args=[binome.mentor.pk]))
    assert reponse.status_code == 200
    donnees = json.loads(reponse.content)
    fiche = donnees["fiche du mentor"]
    assert fiche["nom"] == binome.mentor.nom and fiche["honorabilité"] == "Vérifiée"
    assert fiche["fin de validité de la vérification"] == "31/08/2027"
    assert donnees["compte de connexion"]["adresse électronique"] == cast.mentor_a.email
    assert donnees["binômes"][0]["élève"] == f"élève n° {binome.eleve.pk}"
    assert len(donnees["notifications envoyées"]) == 1
    assert "Zéphyrin" not in reponse.content.decode()  # the student's name is not the mentor's data
    assert JournalAcces.objects.filter(action=ActionJournal.EXPORT, objet__contains="mentor n°").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["cpe_a", "ddfpt_a", "coordonnateur_a"])
def test_roles_de_lecture_refuses(client, cast, binome, qui):
    client.force_login(getattr(cast, qui))
    for url in (
        reverse("rgpd:export_eleve", args=[binome.eleve.pk]),
        reverse("rgpd:export_mentor", args=[binome.mentor.pk]),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403
    assert not JournalAcces.objects.filter(action=ActionJournal.EXPORT).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("qui", ["referent_b", "sans_role", "personnel_a", "mentor_a", "pilotage"])
def test_hors_perimetre_404(client, cast, binome, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("rgpd:export_eleve", args=[binome.eleve.pk])).status_code == 404
    assert client.get(reverse("rgpd:export_mentor", args=[binome.mentor.pk])).status_code == 404


@pytest.mark.django_db
def test_eleve_propose_par_un_enseignant_sans_droit(client, cast):
    eleve = EleveFactory(etablissement=cast.lp_a, propose_par=cast.personnel_a, statut="propose")
    client.force_login(cast.personnel_a)
    assert client.get(reverse("rgpd:export_eleve", args=[eleve.pk])).status_code == 403


@pytest.mark.django_db
def test_requetes_constantes_eleve(client, cast, binome, requetes_constantes):
    client.force_login(cast.referent_a)
    nombre = requetes_constantes(
        reverse("rgpd:export_eleve", args=[binome.eleve.pk]),
        lambda: [_ajouter_dossier(BinomeFactory(dispositif=cast.dispositif_a, eleve=binome.eleve)) for _ in range(3)],
    )
    assert nombre == NB_ELEVE


@pytest.mark.django_db
def test_requetes_constantes_mentor(client, cast, binome, requetes_constantes):
    client.force_login(cast.referent_a)
    nombre = requetes_constantes(
        reverse("rgpd:export_mentor", args=[binome.mentor.pk]),
        lambda: [_ajouter_dossier(BinomeFactory(dispositif=cast.dispositif_a, mentor=binome.mentor)) for _ in range(3)],
    )
    assert nombre == NB_MENTOR


@pytest.mark.django_db
def test_liens_depuis_les_fiches(client, cast, binome):
    client.force_login(cast.chef_a)
    eleve = client.get(reverse("binomes:eleve", args=[binome.eleve.pk])).content.decode()
    assert reverse("rgpd:export_eleve", args=[binome.eleve.pk]) in eleve
    mentor = client.get(reverse("binomes:mentor", args=[binome.mentor.pk])).content.decode()
    assert reverse("rgpd:export_mentor", args=[binome.mentor.pk]) in mentor
    client.force_login(cast.cpe_a)
    assert "rgpd" not in client.get(reverse("binomes:eleve", args=[binome.eleve.pk])).content.decode()


# Session (read from the database, even warm: sessions do not depend on Redis), user, perimeter,
# current LP, the person, the journal entry, then one query per list.
NB_ELEVE = 14  # + the mentors' notes on their séances
NB_MENTOR = 14  # + the reminders, the notes, the suspensions
