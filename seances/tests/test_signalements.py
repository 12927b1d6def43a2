"""The safeguarding channel: a student's or a parent's public link, filing from the app, the chef's
pages read by the chef and the référent only, the mentor's suspension and its lifting."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from binomes import services as binomes_services
from binomes.models import Canal, Signalement, StatutBinome, StatutSignalement, Suspension
from binomes.tests.factories import BinomeFactory, EleveFactory, MentorFactory, SignalementFactory
from etablissements.tests.factories import AffectationFactory
from seances import services, signalements
from seances.models import Alerte, Participation, Presence, Seance, StatutSeance, TypeAlerte
from seances.tests.conftest import donnees
from seances.tests.factories import SeanceFactory
from socle.models import ActionJournal, JournalAcces
from socle.roles import Role

MAINTENANT = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)
TEXTE = "Le mentor a proposé à Léa de la raccompagner en voiture après la séance, phrase unique 7Q4Z."

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def heure_fixe():
    with time_machine.travel(MAINTENANT, tick=False):
        yield


@pytest.fixture
def binome_a(cast):
    mentor = MentorFactory(etablissement=cast.lp_a, user=cast.mentor_a, verifie=True, email="nadia@entreprise.fr")
    return BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, statut=StatutBinome.ACTIF)


def _public(cast):
    return reverse("seances:signalement_public", args=[cast.lp_a.code_public])


# --- The public link ---------------------------------------------------------------------------------


def test_le_code_public_est_propre_a_chaque_lp_et_difficile_a_deviner(cast):
    assert cast.lp_a.code_public != cast.lp_b.code_public
    assert len(cast.lp_a.code_public) >= 16
    assert str(cast.lp_a.pk) != cast.lp_a.code_public
    ancien = cast.lp_a.code_public
    assert cast.lp_a.code_public_renouveler() != ancien


def test_un_code_inconnu_repond_404(client, cast):
    assert client.get(reverse("seances:signalement_public", args=["code-inconnu"])).status_code == 404
    assert client.get(reverse("seances:signalement_envoye", args=["code-inconnu"])).status_code == 404
    assert client.post(reverse("seances:signalement_public", args=[str(cast.lp_a.pk)]), {}).status_code == 404


def test_un_eleve_signale_sans_compte_et_le_chef_et_le_referent_sont_prevenus_sans_contenu(
    client, cast, django_capture_on_commit_callbacks
):
    page = client.get(_public(cast))
    assert page.status_code == 200
    contenu = page.content.decode()
    assert "119" in contenu and "17" in contenu and 'name="site_web"' in contenu
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(_public(cast), {"qualite": "eleve", "texte": TEXTE, "contact": "06 12 34 56 78"})
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("seances:signalement_envoye", args=[cast.lp_a.code_public])
    signalement = Signalement.objects.get()
    assert signalement.etablissement == cast.lp_a
    assert (signalement.canal, signalement.qualite) == (Canal.LIEN_PUBLIC, "eleve")
    assert signalement.statut == StatutSignalement.RECU and signalement.depose_par is None
    merci = client.get(reponse["Location"]).content.decode()
    assert "Votre signalement est envoyé" in merci and "119" in merci and "tel:17" in merci
    # One email to the chef and the référent, with nothing of the report in it.
    (courriel,) = mail.outbox
    assert sorted(courriel.to) == ["chef.a@exemple.fr", "referent.a@exemple.fr"]
    assert "Un signalement a été déposé" in courriel.body and "connectez-vous" in courriel.body.lower()
    html = courriel.alternatives[0][0]
    for morceau in ("7Q4Z", "raccompagner", "06 12 34 56 78", "Léa"):
        assert morceau not in courriel.body and morceau not in html and morceau not in courriel.subject
    # The in-app alert of each of them, already sent (the daily digest does not repeat it).
    alertes = Alerte.objects.filter(type=TypeAlerte.SIGNALEMENT)
    assert {a.destinataire for a in alertes} == {cast.chef_a, cast.referent_a}
    assert all(a.envoyee_le and "7Q4Z" not in a.message for a in alertes)
    assert alertes[0].lien == reverse("seances:signalement", args=[signalement.pk])
    # The creation is logged.
    entree = JournalAcces.objects.get(action=ActionJournal.SIGNALEMENT)
    assert entree.etablissement_id == cast.lp_a.pk and entree.utilisateur == "lien public du lycée"
    assert "7Q4Z" not in entree.objet


def test_le_pot_de_miel_ne_garde_rien(client, cast):
    reponse = client.post(_public(cast), {"qualite": "parent", "texte": TEXTE, "site_web": "http://spam.example"})
    assert reponse.status_code == 302
    assert not Signalement.objects.exists() and not mail.outbox


def test_au_dela_de_la_limite_le_lien_renvoie_vers_le_119(client, cast):
    SignalementFactory.create_batch(signalements.LIMITE_PUBLIQUE, etablissement=cast.lp_a)
    reponse = client.post(_public(cast), {"qualite": "parent", "texte": TEXTE})
    assert reponse.status_code == 429
    assert "119" in reponse.content.decode()
    assert Signalement.objects.count() == signalements.LIMITE_PUBLIQUE
    # The limit is per LP and per hour: an hour later, the form takes reports again.
    with time_machine.travel(MAINTENANT + datetime.timedelta(hours=1, minutes=1), tick=False):
        assert client.post(_public(cast), {"qualite": "parent", "texte": TEXTE}).status_code == 302


def test_le_formulaire_public_exige_le_jeton_csrf(cast):
    client = Client(enforce_csrf_checks=True)
    assert client.post(_public(cast), {"qualite": "eleve", "texte": TEXTE}).status_code == 403
    assert not Signalement.objects.exists()


# --- Filing from the app ---------------------------------------------------------------------------------


@pytest.mark.parametrize("qui", ["mentor_a", "personnel_a", "cpe_a", "coordonnateur_a", "chef_a"])
def test_tout_personnel_du_lp_depose_un_signalement(client, cast, binome_a, qui, django_capture_on_commit_callbacks):
    client.force_login(getattr(cast, qui))
    assert client.get(reverse("seances:signalement_nouveau")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("seances:signalement_nouveau"), {"texte": TEXTE})
    assert reponse.status_code == 302
    signalement = Signalement.objects.get()
    assert signalement.canal == Canal.APPLICATION and signalement.depose_par == getattr(cast, qui)
    assert len(mail.outbox) == 1 and "7Q4Z" not in mail.outbox[0].body
    assert JournalAcces.objects.filter(action=ActionJournal.SIGNALEMENT, user=getattr(cast, qui)).exists()


def test_le_mentor_ne_choisit_que_ses_propres_binomes(client, cast, binome_a):
    autre = BinomeFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.mentor_a)
    page = client.get(reverse("seances:signalement_nouveau")).content.decode()
    assert str(binome_a.eleve) in page and str(autre.eleve) not in page
    reponse = client.post(reverse("seances:signalement_nouveau"), {"texte": TEXTE, "binome": autre.pk})
    assert reponse.status_code == 200 and not Signalement.objects.exists()


# --- Reading: the chef and the référent only -------------------------------------------------------------------


def test_seuls_le_chef_et_le_referent_lisent_les_signalements(client, cast, binome_a):
    signalement = SignalementFactory(etablissement=cast.lp_a, texte=TEXTE)
    adjoint = AffectationFactory(role=Role.CHEF_ADJOINT, etablissement=cast.lp_a).user
    autre_mentor = AffectationFactory(role=Role.MENTOR, etablissement=cast.lp_a).user
    for user in (cast.chef_a, cast.referent_a):
        client.force_login(user)
        assert TEXTE in client.get(reverse("seances:signalement", args=[signalement.pk])).content.decode()
        assert client.get(reverse("seances:signalements")).status_code == 200
    for user in (
        adjoint,
        cast.cpe_a,
        cast.ddfpt_a,
        cast.personnel_a,
        cast.mentor_a,
        autre_mentor,
        cast.coordonnateur_a,
        cast.pilotage,
        cast.sans_role,
    ):
        client.force_login(user)
        assert client.get(reverse("seances:signalements")).status_code == 404, user
        assert client.get(reverse("seances:signalement", args=[signalement.pk])).status_code == 404, user
        assert client.post(reverse("seances:signalement", args=[signalement.pk]), {}).status_code == 404, user
        assert client.post(reverse("seances:signalement_suspendre", args=[signalement.pk])).status_code == 404, user
    # The référent of LP B reads the list of their own LP, where LP A's report is not.
    client.force_login(cast.referent_b)
    assert "7Q4Z" not in client.get(reverse("seances:signalements")).content.decode()
    assert client.get(reverse("seances:signalement", args=[signalement.pk])).status_code == 404


def test_chaque_lecture_est_journalisee(client, cast):
    signalement = SignalementFactory(etablissement=cast.lp_a, texte=TEXTE)
    client.force_login(cast.referent_a)
    client.get(reverse("seances:signalement", args=[signalement.pk]))
    client.get(reverse("seances:signalement", args=[signalement.pk]))
    client.get(reverse("seances:signalements"))
    lectures = JournalAcces.objects.filter(action=ActionJournal.CONSULTATION, user=cast.referent_a)
    assert lectures.count() == 3
    assert lectures.filter(objet="Liste des signalements", etablissement_id=cast.lp_a.pk).exists()
    lectures = lectures.exclude(objet="Liste des signalements")
    assert lectures.first().objet == str(signalement) and "7Q4Z" not in lectures.first().objet


def test_la_liste_coute_un_nombre_fixe_de_requetes(client, cast, django_assert_num_queries):
    SignalementFactory(etablissement=cast.lp_a, mentor=MentorFactory(etablissement=cast.lp_a))
    client.force_login(cast.chef_a)
    client.get(reverse("seances:signalements"))
    with django_assert_num_queries(7) as premiere:
        client.get(reverse("seances:signalements"))
    SignalementFactory.create_batch(3, etablissement=cast.lp_a, mentor=MentorFactory(etablissement=cast.lp_a))
    mentor = MentorFactory(etablissement=cast.lp_a)
    Suspension.objects.create(mentor=mentor, par=cast.chef_a)
    with django_assert_num_queries(len(premiere.captured_queries)):
        page = client.get(reverse("seances:signalements"))
    assert str(mentor) in page.content.decode()


def test_le_chef_suit_le_signalement(client, cast, binome_a):
    signalement = SignalementFactory(etablissement=cast.lp_a)
    client.force_login(cast.referent_a)
    reponse = client.post(
        reverse("seances:signalement", args=[signalement.pk]), {"statut": "en_cours", "binome": binome_a.pk}
    )
    assert reponse.status_code == 302
    signalement.refresh_from_db()
    assert signalement.statut == StatutSignalement.EN_COURS and signalement.mentor == binome_a.mentor
    autre_lp = MentorFactory(etablissement=cast.lp_b)
    url = reverse("seances:signalement", args=[signalement.pk])
    reponse = client.post(url, {"statut": "clos", "mentor": autre_lp.pk})
    assert reponse.status_code == 200
    signalement.refresh_from_db()
    assert signalement.statut == StatutSignalement.EN_COURS


# --- The suspension -------------------------------------------------------------------------------------------


def _seance_prevue(cast, binome, date, **kwargs):
    return SeanceFactory(dispositif=cast.dispositif_a, prevue=True, date=date, binome=binome, **kwargs)


def test_le_chef_suspend_le_mentor_a_l_instant(client, cast, binome_a):
    mentor = binome_a.mentor
    propose = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, statut=StatutBinome.PROPOSE)
    fini = BinomeFactory(dispositif=cast.dispositif_a, mentor=mentor, statut=StatutBinome.TERMINE)
    a_venir = _seance_prevue(cast, binome_a, datetime.date(2026, 12, 10))
    # A collective séance with another mentor goes on without the suspended one.
    collective = _seance_prevue(cast, binome_a, datetime.date(2026, 12, 11))
    autre_mentor = MentorFactory(etablissement=cast.lp_a, verifie=True)
    Participation.objects.create(seance=collective, mentor=autre_mentor, presence=Presence.ATTENDU)
    passee = SeanceFactory(dispositif=cast.dispositif_a, date=datetime.date(2026, 11, 2), binome=binome_a)
    signalement = SignalementFactory(etablissement=cast.lp_a, mentor=mentor)

    client.force_login(cast.referent_a)
    assert client.post(reverse("seances:signalement_suspendre", args=[signalement.pk])).status_code == 403
    assert not Suspension.objects.exists()

    client.force_login(cast.chef_a)
    page = client.get(reverse("seances:signalement", args=[signalement.pk])).content.decode()
    assert f"Suspendre {mentor}" in page
    reponse = client.post(reverse("seances:signalement_suspendre", args=[signalement.pk]))
    assert reponse.status_code == 302
    suspension = Suspension.objects.get()
    assert (suspension.mentor, suspension.par, suspension.signalement) == (mentor, cast.chef_a, signalement)
    assert suspension.debut == MAINTENANT and suspension.levee_le is None
    statuts = dict(mentor.binomes.values_list("pk", "statut"))
    assert statuts == {binome_a.pk: "suspendu", propose.pk: "suspendu", fini.pk: "termine"}
    a_venir.refresh_from_db()
    collective.refresh_from_db()
    assert a_venir.statut == StatutSeance.ANNULEE
    assert not a_venir.participations.filter(mentor=mentor).exists()
    assert collective.statut == StatutSeance.PREVUE
    assert list(collective.participations.exclude(mentor=None).values_list("mentor", flat=True)) == [autre_mentor.pk]
    # History stays: the séance held before the suspension keeps its mentor.
    assert passee.participations.filter(mentor=mentor).exists()
    assert JournalAcces.objects.filter(action=ActionJournal.SUSPENSION, user=cast.chef_a).exists()
    # Twice: refused, nothing changes.
    client.post(reverse("seances:signalement_suspendre", args=[signalement.pk]))
    assert Suspension.objects.count() == 1


def test_le_service_des_seances_refuse_le_mentor_suspendu(cast, binome_a):
    mentor = binome_a.mentor
    signalements.mentor_suspendre(mentor=mentor, par=cast.chef_a)
    with pytest.raises(ValidationError, match="suspendu par le chef d’établissement"):
        services.seance_enregistrer(
            seance=Seance(dispositif=cast.dispositif_a, date=datetime.date(2026, 12, 15)),
            participants=[(mentor, Presence.ATTENDU), (binome_a.eleve, Presence.ATTENDU)],
        )
    # The same day as the suspension, too.
    with pytest.raises(ValidationError):
        services.seance_enregistrer(
            seance=Seance(dispositif=cast.dispositif_a, date=datetime.date(2026, 11, 30)),
            participants=[(mentor, Presence.ATTENDU)],
        )
    assert not Seance.objects.exists()
    # A séance held before the suspension stays correctable (its attendance is history).
    passee = services.seance_enregistrer(
        seance=Seance(dispositif=cast.dispositif_a, date=datetime.date(2026, 11, 2), statut=StatutSeance.TENUE),
        participants=[(mentor, Presence.PRESENT)],
    )
    assert passee.pk
    # Nor a new binôme, nor the reactivation of a suspended one.
    with pytest.raises(ValidationError, match="suspendu"):
        binomes_services.binome_creer(
            dispositif=cast.dispositif_a, mentor=mentor, eleve=EleveFactory(etablissement=cast.lp_a, inscrit=True)
        )
    with pytest.raises(ValidationError, match="suspendu"):
        binomes_services.binome_activer(binome=binome_a)


def test_la_page_de_saisie_refuse_le_mentor_suspendu(client, cast, binome_a):
    signalements.mentor_suspendre(mentor=binome_a.mentor, par=cast.chef_a)
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(
        reverse("seances:nouvelle"),
        donnees([(f"m{binome_a.mentor.pk}", "attendu")], date="2026-12-15", statut="prevue"),
    )
    assert reponse.status_code == 200
    assert "suspendu par le chef d’établissement" in reponse.content.decode()
    assert not Seance.objects.exists()


def test_la_suspension_ne_se_leve_qu_apres_une_nouvelle_verification(client, cast, binome_a):
    mentor = binome_a.mentor
    signalement = SignalementFactory(etablissement=cast.lp_a, mentor=mentor)
    suspension = signalements.mentor_suspendre(mentor=mentor, par=cast.chef_a, signalement=signalement)
    client.force_login(cast.chef_a)
    lever = reverse("seances:suspension_lever", args=[suspension.pk])
    # The verification of September predates the suspension.
    client.post(lever)
    suspension.refresh_from_db()
    assert suspension.levee_le is None
    assert "datée d’après" in client.get(reverse("seances:signalement", args=[signalement.pk])).content.decode()
    # A check under way is no new check.
    honorabilite = mentor.honorabilite
    honorabilite.statut, honorabilite.date = "en_cours", datetime.date(2026, 12, 5)
    honorabilite.save()
    with time_machine.travel(datetime.datetime(2026, 12, 6, 9, 0, tzinfo=datetime.UTC), tick=False):
        client.post(lever)
        suspension.refresh_from_db()
        assert suspension.levee_le is None
        # The référent cannot lift it.
        honorabilite.statut = "verifiee"
        honorabilite.save()
        client.force_login(cast.referent_a)
        assert client.post(lever).status_code == 403
        client.force_login(cast.chef_a)
        assert client.post(lever).status_code == 302
        suspension.refresh_from_db()
        assert suspension.levee_par == cast.chef_a and suspension.verification_du == datetime.date(2026, 12, 5)
        # Séances are possible again; the binômes wait for the référent to reactivate them.
        services.seance_enregistrer(
            seance=Seance(dispositif=cast.dispositif_a, date=datetime.date(2026, 12, 15)),
            participants=[(mentor, Presence.ATTENDU)],
        )
        binome_a.refresh_from_db()
        assert binome_a.statut == StatutBinome.SUSPENDU
        binomes_services.binome_activer(binome=binome_a)


def test_la_suspension_est_un_fait_dans_l_export_rgpd_du_mentor_sans_le_signalement(client, cast, binome_a):
    signalement = SignalementFactory(etablissement=cast.lp_a, mentor=binome_a.mentor, texte=TEXTE)
    signalements.mentor_suspendre(mentor=binome_a.mentor, par=cast.chef_a, signalement=signalement)
    client.force_login(cast.chef_a)
    contenu = client.get(reverse("rgpd:export_mentor", args=[binome_a.mentor.pk])).content.decode()
    assert "suspensions par le chef" in contenu and "30/11/2026" in contenu
    assert "7Q4Z" not in contenu and "chef d’établissement, responsable de traitement" in contenu


def test_la_fiche_du_mentor_dit_qu_il_est_suspendu_sans_rien_du_signalement(client, cast, binome_a):
    signalement = SignalementFactory(etablissement=cast.lp_a, mentor=binome_a.mentor, texte=TEXTE)
    signalements.mentor_suspendre(mentor=binome_a.mentor, par=cast.chef_a, signalement=signalement)
    for user in (cast.coordonnateur_a, cast.referent_a, cast.mentor_a):
        client.force_login(user)
        page = client.get(reverse("binomes:mentor", args=[binome_a.mentor.pk])).content.decode()
        assert "suspendu par le chef d’établissement depuis le 30/11/2026" in page
        assert "7Q4Z" not in page
