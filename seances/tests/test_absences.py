"""Absences declared in advance: the right person gets exactly one email, from the outbox."""

import pytest
from django.conf import settings
from django.urls import reverse

from binomes.models import Eleve
from binomes.tests.factories import EleveFactory, MentorFactory
from seances import services
from seances.models import DeclarationAbsence, Notification, Participation, Presence, StatutNotification
from seances.tasks import envoyer_notifications, relayer_notifications
from seances.tests.factories import SeanceFactory


@pytest.fixture
def seance_prevue(cast, binome_a):
    return SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a, prevue=True)


def url(seance):
    return reverse("seances:declarer_absence", args=[seance.pk])


def test_le_cpe_declare_l_absence_d_un_eleve_et_le_mentor_est_prevenu(
    client, cast, binome_a, seance_prevue, mailoutbox, django_capture_on_commit_callbacks
):
    Eleve.objects.filter(pk=binome_a.eleve_id).update(sexe="M")
    participation = seance_prevue.participations.get(eleve=binome_a.eleve)
    client.force_login(cast.cpe_a)
    assert client.get(url(seance_prevue)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url(seance_prevue), {"participation": participation.pk, "motif": "Rendez-vous"})
    assert reponse.status_code == 302
    participation.refresh_from_db()
    assert participation.presence == Presence.ABSENT_EXCUSE
    declaration = DeclarationAbsence.objects.get()
    assert (declaration.participation, declaration.declaree_par, declaration.motif) == (
        participation,
        cast.cpe_a,
        "Rendez-vous",
    )
    assert len(mailoutbox) == 1
    courriel = mailoutbox[0]
    assert courriel.to == ["nadia@entreprise.fr"]
    assert courriel.subject == "[Mentorat LP] Absence prévue à la séance du 10/12/2026"
    assert str(binome_a.eleve) in courriel.body
    assert settings.SITE_URL + seance_prevue.get_absolute_url() in courriel.body
    html, type_mime = courriel.alternatives[0]
    assert type_mime == "text/html" and seance_prevue.get_absolute_url() in html
    assert courriel.from_email == settings.DEFAULT_FROM_EMAIL
    assert Notification.objects.get().statut == StatutNotification.ENVOYEE
    # The séance shows who is expected to be missing.
    page = client.get(seance_prevue.get_absolute_url()).content.decode()
    assert "Absent prévu" in page


@pytest.mark.parametrize(
    ("sexe", "absent", "prevu"), [("F", "absente", "Absente prévue"), ("M", "absent", "Absent prévu")]
)
def test_le_courriel_et_la_seance_accordent_avec_l_eleve(
    client, cast, binome_a, seance_prevue, mailoutbox, django_capture_on_commit_callbacks, sexe, absent, prevu
):
    Eleve.objects.filter(pk=binome_a.eleve_id).update(sexe=sexe)
    participation = seance_prevue.participations.get(eleve=binome_a.eleve)
    with django_capture_on_commit_callbacks(execute=True):
        services.absence_declarer(participation=participation, motif="", auteur=cast.referent_a)
    (courriel,) = mailoutbox
    assert f"{binome_a.eleve} sera {absent} à la séance" in " ".join(courriel.body.split())
    assert f"sera {absent} à la séance" in courriel.alternatives[0][0]
    client.force_login(cast.referent_a)
    page = client.get(seance_prevue.get_absolute_url()).content.decode()
    assert prevu in page
    assert ("Absente excusée" in page) == (sexe == "F")


def test_la_tache_lancee_deux_fois_n_envoie_qu_un_courriel(
    cast, binome_a, seance_prevue, mailoutbox, django_capture_on_commit_callbacks
):
    participation = seance_prevue.participations.get(eleve=binome_a.eleve)
    with django_capture_on_commit_callbacks(execute=False):
        services.absence_declarer(participation=participation, motif="", auteur=cast.referent_a)
    ids = list(Notification.objects.values_list("pk", flat=True))
    envoyer_notifications.delay(ids)
    envoyer_notifications.delay(ids)
    relayer_notifications.delay()
    assert len(mailoutbox) == 1


def test_le_mentor_declare_sa_propre_absence_et_le_referent_est_prevenu(
    client, cast, binome_a, seance_prevue, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.mentor_a)
    formulaire = client.get(url(seance_prevue)).context["form"]
    # The mentor only announces their own absence, not the student's.
    assert [str(c[0]) for c in formulaire.fields["participation"].choices][1:] == [
        str(seance_prevue.participations.get(mentor=binome_a.mentor).pk)
    ]
    eleve = seance_prevue.participations.get(eleve=binome_a.eleve)
    assert client.post(url(seance_prevue), {"participation": eleve.pk}).status_code == 200
    assert not DeclarationAbsence.objects.exists()
    moi = seance_prevue.participations.get(mentor=binome_a.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(seance_prevue), {"participation": moi.pk, "motif": "Déplacement"})
    assert [m.to for m in mailoutbox] == [["referent.a@exemple.fr"]]
    assert "Le mentor" in mailoutbox[0].body


def test_seance_collective_tous_les_mentors_sont_prevenus(cast, mailoutbox, django_capture_on_commit_callbacks):
    seance = SeanceFactory(dispositif=cast.dispositif_a, prevue=True)
    m1, m2 = MentorFactory.create_batch(2, etablissement=cast.lp_a, verifie=True)
    for m in (m1, m2):
        Participation.objects.create(seance=seance, mentor=m, presence=Presence.ATTENDU)
    eleve = Participation.objects.create(seance=seance, eleve=EleveFactory(etablissement=cast.lp_a))
    with django_capture_on_commit_callbacks(execute=True):
        services.absence_declarer(participation=eleve, motif="", auteur=cast.cpe_a)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([m1.email, m2.email])


def test_pas_de_declaration_sur_une_seance_tenue(client, cast, binome_a):
    seance = SeanceFactory(dispositif=cast.dispositif_a, binome=binome_a)
    client.force_login(cast.cpe_a)
    reponse = client.get(url(seance))
    assert reponse.status_code == 302
    assert not DeclarationAbsence.objects.exists()


def test_deja_declaree(cast, binome_a, seance_prevue, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    participation = seance_prevue.participations.get(eleve=binome_a.eleve)
    services.absence_declarer(participation=participation, motif="", auteur=cast.cpe_a)
    participation.refresh_from_db()
    with pytest.raises(ValidationError):
        services.absence_declarer(participation=participation, motif="", auteur=cast.cpe_a)


@pytest.mark.parametrize("qui", ["chef_a", "ddfpt_a", "mentor_a", "referent_b"])
def test_le_service_refuse_qui_ne_peut_pas_declarer(cast, binome_a, seance_prevue, qui):
    """The rule lives in the service: a reader, a mentor for someone else, another LP's référent."""
    from django.core.exceptions import PermissionDenied

    participation = seance_prevue.participations.get(eleve=binome_a.eleve)
    with pytest.raises(PermissionDenied):
        services.absence_declarer(participation=participation, motif="", auteur=getattr(cast, qui))
    assert not DeclarationAbsence.objects.exists()


@pytest.mark.parametrize("qui", ["chef_a", "ddfpt_a"])
def test_lecteurs_403(client, cast, seance_prevue, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(url(seance_prevue)).status_code == 403
    assert client.post(url(seance_prevue), {}).status_code == 403


@pytest.mark.parametrize("qui", ["personnel_a", "referent_b", "sans_role"])
def test_hors_perimetre_404(client, cast, seance_prevue, qui):
    client.force_login(getattr(cast, qui))
    assert client.get(url(seance_prevue)).status_code == 404


def test_choix_invalide_sans_erreur(client, cast, seance_prevue):
    client.force_login(cast.cpe_a)
    for data in ({}, {"participation": "999999"}, {"participation": "abc"}):
        assert client.post(url(seance_prevue), data).status_code == 200
    assert not DeclarationAbsence.objects.exists()
