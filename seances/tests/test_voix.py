"""The mentor's note after a séance: who writes it, who reads it, the alerts and the référent's list."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from binomes.tests.factories import BinomeFactory, MentorFactory
from etablissements.tests.factories import AffectationFactory
from seances import voix
from seances.models import Alerte, NoteMentor, Participation, Presence, StatutSeance, TypeAlerte
from seances.tests.factories import SeanceFactory
from socle.roles import Role
from tests.outils import requetes_constantes

# A Friday after the séances of the factories (2 November 2026).
MAINTENANT = datetime.datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo("Europe/Paris"))
NOTE = {
    "a_eu_lieu": True,
    "fait": "Nous avons relu le CV de Léa.",
    "suite": "Simulation d’entretien le 27.",
    "besoin_aide_referent": False,
    "difficulte_eleve": False,
    "absence_non_prevenue": False,
}
FORMULAIRE = {"a_eu_lieu": "oui", "fait": NOTE["fait"], "suite": NOTE["suite"]}


@pytest.fixture(autouse=True)
def vendredi():
    with time_machine.travel(MAINTENANT, tick=False):
        yield


@pytest.fixture
def seance(cast, binome_a):
    return SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)


def _ecrire(seance, mentor, **champs):
    return voix.note_mentor_enregistrer(seance=seance, mentor=mentor, auteur=mentor.user, **(NOTE | champs))


# --- The service ----------------------------------------------------------------------------


def test_le_mentor_ecrit_puis_complete_sa_note(seance, binome_a):
    note = _ecrire(seance, binome_a.mentor)
    assert note.fait == NOTE["fait"] and note.a_eu_lieu
    _ecrire(seance, binome_a.mentor, suite="Rendez-vous en entreprise.")
    assert NoteMentor.objects.get().suite == "Rendez-vous en entreprise."
    # No need flagged: nobody is alerted.
    assert not Alerte.objects.exists()


def test_le_mentor_de_la_seance_est_celui_qui_y_participe(cast, seance, binome_a):
    mentor = binome_a.mentor
    assert voix.mentor_de_la_seance(seance=seance, user=mentor.user) == mentor
    # The same person also mentors in LP B: their record there takes no part in this séance.
    MentorFactory(etablissement=cast.lp_b, user=mentor.user)
    assert voix.mentor_de_la_seance(seance=seance, user=mentor.user) == mentor
    autre = MentorFactory(
        etablissement=cast.lp_a, user=AffectationFactory(role=Role.MENTOR, etablissement=cast.lp_a).user
    )
    assert voix.mentor_de_la_seance(seance=seance, user=autre.user) is None
    assert voix.mentor_de_la_seance(seance=SeanceFactory(dispositif=cast.dispositif_a), user=mentor.user) is None
    assert voix.mentor_de_la_seance(seance=seance, user=cast.referent_a) is None


def test_seul_un_mentor_de_la_seance_ecrit(cast, seance, binome_a):
    autre = MentorFactory(
        etablissement=cast.lp_a, user=AffectationFactory(role=Role.MENTOR, etablissement=cast.lp_a).user
    )
    with pytest.raises(PermissionDenied):
        _ecrire(seance, autre)
    # Nor does anyone write in the mentor's name (the référent, say).
    with pytest.raises(PermissionDenied):
        voix.note_mentor_enregistrer(seance=seance, mentor=binome_a.mentor, auteur=cast.referent_a, **NOTE)
    assert not NoteMentor.objects.exists()


def test_pas_de_note_avant_le_jour_de_la_seance(cast, binome_a):
    demain = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True, date=datetime.date(2026, 11, 21))
    with pytest.raises(ValidationError, match="à partir de ce jour-là"):
        _ecrire(demain, binome_a.mentor)
    # The day itself, it is possible.
    aujourdhui = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, date=datetime.date(2026, 11, 20))
    assert _ecrire(aujourdhui, binome_a.mentor).pk


def test_pas_de_note_sur_une_seance_annulee(cast, binome_a):
    annulee = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, statut=StatutSeance.ANNULEE)
    with pytest.raises(ValidationError, match="annulée"):
        _ecrire(annulee, binome_a.mentor)


def test_un_besoin_previent_referents_et_coordonnateurs_une_fois(cast, seance, binome_a):
    _ecrire(seance, binome_a.mentor, besoin_aide_referent=True)
    alertes = Alerte.objects.filter(type=TypeAlerte.BESOIN_MENTOR).all
    assert {a.destinataire for a in alertes()} == {cast.referent_a, cast.coordonnateur_a}
    assert all("besoin d’aide du référent" in a.message for a in alertes())
    # The note's words stay out of the alert (it goes out by email in the daily digest).
    assert not any("CV" in a.message for a in alertes())
    # Saved again with the same need: nobody is told twice.
    _ecrire(seance, binome_a.mentor, besoin_aide_referent=True, fait="Autre chose.")
    assert alertes().count() == 2
    # A second need, and a séance that did not take place: one more alert each, per recipient.
    _ecrire(seance, binome_a.mentor, besoin_aide_referent=True, difficulte_eleve=True, a_eu_lieu=False)
    assert alertes().count() == 6
    # Nobody of another LP, nor the chef, nor the CPE.
    assert not alertes().exclude(destinataire__in=[cast.referent_a, cast.coordonnateur_a]).exists()


def test_marquer_traite_puis_rouvert_par_un_nouveau_besoin(cast, seance, binome_a):
    note = _ecrire(seance, binome_a.mentor, difficulte_eleve=True)
    assert list(voix.besoins_a_traiter(user=cast.referent_a, etablissement=cast.lp_a)) == [note]
    with pytest.raises(PermissionDenied):
        voix.besoin_marquer_traite(note=note, auteur=cast.mentor_a)
    voix.besoin_marquer_traite(note=note, auteur=cast.referent_a)
    note.refresh_from_db()
    assert note.besoin_traite_par == cast.referent_a and note.besoin_traite_le
    assert not voix.besoins_a_traiter(user=cast.referent_a, etablissement=cast.lp_a).exists()
    # The same need saved again stays handled; a new one reopens the note.
    _ecrire(seance, binome_a.mentor, difficulte_eleve=True)
    assert not voix.besoins_a_traiter(user=cast.referent_a, etablissement=cast.lp_a).exists()
    _ecrire(seance, binome_a.mentor, difficulte_eleve=True, absence_non_prevenue=True)
    assert list(voix.besoins_a_traiter(user=cast.referent_a, etablissement=cast.lp_a)) == [note]


def test_une_note_sans_besoin_ne_se_traite_pas(cast, seance, binome_a):
    note = _ecrire(seance, binome_a.mentor)
    with pytest.raises(ValidationError):
        voix.besoin_marquer_traite(note=note, auteur=cast.referent_a)


# --- The note's page ----------------------------------------------------------------------------


def test_le_mentor_ecrit_sa_note_depuis_la_page(client, cast, seance, binome_a):
    client.force_login(cast.mentor_a)
    url = reverse("seances:note_mentor", args=[seance.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Besoin d’aide du référent" in page.content.decode()
    reponse = client.post(url, FORMULAIRE | {"absence_non_prevenue": "on"})
    assert reponse.status_code == 302
    note = NoteMentor.objects.get()
    assert note.absence_non_prevenue and not note.besoin_aide_referent and note.fait == NOTE["fait"]
    # The form comes back filled in.
    assert NOTE["fait"] in client.get(url).content.decode()


def test_la_page_refuse_une_note_avant_la_seance(client, cast, binome_a):
    a_venir = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True)
    client.force_login(cast.mentor_a)
    url = reverse("seances:note_mentor", args=[a_venir.pk])
    assert "Séance à venir" in client.get(url).content.decode()
    reponse = client.post(url, FORMULAIRE)
    assert reponse.status_code == 200 and not NoteMentor.objects.exists()


@pytest.mark.parametrize("qui", ["referent_a", "coordonnateur_a", "chef_a", "referent_b", "sans_role", "autre_mentor"])
def test_la_page_de_note_404_pour_tout_autre(client, cast, seance, binome_a, qui):
    if qui == "autre_mentor":
        user = AffectationFactory(role=Role.MENTOR, etablissement=cast.lp_a).user
        MentorFactory(etablissement=cast.lp_a, user=user, verifie=True)
    else:
        user = getattr(cast, qui)
    _ecrire(seance, binome_a.mentor, besoin_aide_referent=True)
    client.force_login(user)
    url = reverse("seances:note_mentor", args=[seance.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, FORMULAIRE).status_code == 404
    assert NoteMentor.objects.get().fait == NOTE["fait"]


def test_seance_collective_chaque_mentor_ne_lit_que_sa_note(client, cast, seance, binome_a):
    """Two mentors at one séance: each writes their own note and never reads the other's."""
    user = AffectationFactory(role=Role.MENTOR, etablissement=cast.lp_a).user
    second = MentorFactory(etablissement=cast.lp_a, user=user, verifie=True)
    Participation.objects.create(seance=seance, mentor=second, presence=Presence.PRESENT)
    _ecrire(seance, binome_a.mentor, fait="Texte du premier mentor.")
    client.force_login(user)
    assert "Texte du premier mentor." not in client.get(seance.get_absolute_url()).content.decode()
    page = client.get(reverse("seances:note_mentor", args=[seance.pk])).content.decode()
    assert "Texte du premier mentor." not in page
    assert (
        client.post(reverse("seances:note_mentor", args=[seance.pk]), FORMULAIRE | {"fait": "Le second."}).status_code
        == 302
    )
    assert NoteMentor.objects.get(mentor=binome_a.mentor).fait == "Texte du premier mentor."
    # The staff read both, on the séance's page.
    client.force_login(cast.coordonnateur_a)
    page = client.get(seance.get_absolute_url()).content.decode()
    assert "Texte du premier mentor." in page and "Le second." in page
    # The chef and the CPE read the séance, not the notes.
    client.force_login(cast.chef_a)
    assert "Texte du premier mentor." not in client.get(seance.get_absolute_url()).content.decode()


def test_la_page_du_binome_montre_les_notes_a_l_equipe(client, cast, seance, binome_a):
    _ecrire(seance, binome_a.mentor, fait="Visite de l’atelier.")
    # A note of the same mentor on a séance without this student is not the pair's.
    autre_binome = BinomeFactory(dispositif=cast.dispositif_a, mentor=binome_a.mentor)
    ailleurs = SeanceFactory(dispositif=cast.dispositif_a, binome=autre_binome)
    _ecrire(ailleurs, binome_a.mentor, fait="Avec un autre élève.")
    url = reverse("binomes:binome", args=[binome_a.pk])
    for qui in ("referent_a", "coordonnateur_a", "mentor_a"):
        client.force_login(getattr(cast, qui))
        page = client.get(url).content.decode()
        assert "Visite de l’atelier." in page and "Avec un autre élève." not in page, qui
    client.force_login(cast.chef_a)
    page = client.get(url).content.decode()
    assert "Visite de l’atelier." not in page and "Notes du mentor" not in page


# --- The mentor's home and the référent's dashboard ---------------------------------------------


def test_l_accueil_du_mentor_liste_les_notes_a_ecrire(client, cast, seance, binome_a):
    SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True)  # to come: no note yet
    client.force_login(cast.mentor_a)
    page = client.get(reverse("accueil")).content.decode()
    assert page.count(reverse("seances:note_mentor", args=[seance.pk])) == 1
    assert "Écrire ma note" in page
    _ecrire(seance, binome_a.mentor)
    assert "Écrire ma note" not in client.get(reverse("accueil")).content.decode()


def test_le_referent_voit_et_traite_les_besoins(client, cast, seance, binome_a):
    _ecrire(seance, binome_a.mentor, difficulte_eleve=True)
    client.force_login(cast.referent_a)
    page = client.get(reverse("accueil")).content.decode()
    assert "Besoins signalés par les mentors" in page and "Difficulté avec l’élève" in page
    note = NoteMentor.objects.get()
    reponse = client.post(reverse("seances:besoin_traiter", args=[note.pk]), {"suivant": reverse("accueil")})
    assert reponse.status_code == 302 and reponse["Location"] == reverse("accueil")
    assert "Aucun besoin en attente." in client.get(reverse("accueil")).content.decode()
    # The chef's dashboard has no such block: the notes are not theirs to read.
    client.force_login(cast.chef_a)
    assert "Besoins signalés par les mentors" not in client.get(reverse("accueil")).content.decode()


def test_traiter_un_besoin(client, cast, seance, binome_a):
    note = _ecrire(seance, binome_a.mentor, besoin_aide_referent=True)
    url = reverse("seances:besoin_traiter", args=[note.pk])
    client.force_login(cast.mentor_a)
    assert client.post(url).status_code == 403
    client.force_login(cast.referent_b)
    assert client.post(url).status_code == 404
    client.force_login(cast.coordonnateur_a)
    assert client.get(url).status_code == 405
    # An address elsewhere is not followed.
    reponse = client.post(url, {"suivant": "https://ailleurs.example/"})
    assert reponse["Location"] == seance.get_absolute_url()
    note.refresh_from_db()
    assert note.besoin_traite_par == cast.coordonnateur_a


def test_tableau_du_referent_requetes_constantes(client, cast, seance, binome_a):
    _ecrire(seance, binome_a.mentor, difficulte_eleve=True)

    def plus():
        for _ in range(5):
            binome = BinomeFactory(dispositif=cast.dispositif_a, mentor=binome_a.mentor)
            _ecrire(SeanceFactory(dispositif=cast.dispositif_a, binome=binome), binome_a.mentor, a_eu_lieu=False)

    client.force_login(cast.referent_a)
    # The référent's dashboard reads much (indicators, timeline, to-dos): the needs cost one query.
    client.get(reverse("accueil"))
    plus()
    # 12 (the frise's evidence read with the dispositif's row), and the health of the LP's pairs
    # (3, seances.sante), computed again since notes were written (seances.sante_en_cache).
    with CaptureQueriesContext(connection) as apres:
        reponse = client.get(reverse("accueil"))
    assert len(apres) == 12 + 3
    assert len(reponse.context["lp"]["besoins_mentors"]) == 6


def test_accueil_du_mentor_requetes_constantes(client, cast, seance, binome_a):
    def plus():
        for _ in range(5):
            SeanceFactory(
                dispositif=cast.dispositif_a, binome=BinomeFactory(dispositif=cast.dispositif_a, mentor=binome_a.mentor)
            )

    client.force_login(cast.mentor_a)
    nombre, reponse = requetes_constantes(client, reverse("accueil"), plus)
    # The séances without a note cost one query, whatever their number; the mentor's records (for the
    # attestation of hours) one more.
    assert nombre == 8
    assert len(reponse.context["notes_a_ecrire"]) == 6


def test_detail_avec_notes_requetes_constantes(client, cast, seance, binome_a):
    def plus():
        for _ in range(3):
            user = AffectationFactory(role=Role.MENTOR, etablissement=cast.lp_a).user
            mentor = MentorFactory(etablissement=cast.lp_a, user=user, verifie=True)
            Participation.objects.create(seance=seance, mentor=mentor, presence=Presence.PRESENT)
            _ecrire(seance, mentor, besoin_aide_referent=True)

    _ecrire(seance, binome_a.mentor, besoin_aide_referent=True)
    client.force_login(cast.referent_a)
    nombre, reponse = requetes_constantes(client, seance.get_absolute_url(), plus)
    # The reader's mentor record (none for the référent) and the notes: two queries, whatever the notes;
    # the reminders' answers one more.
    assert nombre == 9
    assert len(reponse.context["notes"]) == 4
