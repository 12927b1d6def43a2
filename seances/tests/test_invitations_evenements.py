"""Invitations to the launch and the ceremony: emails to staff, mentors and the association, printed
letters for the families, answers without an account until the day, attendance ticked on the day."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from binomes.tests.factories import BinomeFactory
from etablissements.tests.factories import AffectationFactory
from seances import communication as service
from seances.models import CategorieInvite, InvitationEvenement, ReponseInvitation, TypeEvenement
from seances.tests.factories import EvenementFactory

MAINTENANT = datetime.datetime(2026, 11, 30, 10, 0, tzinfo=datetime.UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _heure():
    with time_machine.travel(MAINTENANT, tick=False):
        yield


@pytest.fixture
def ceremonie(cast):
    return EvenementFactory(
        dispositif=cast.dispositif_a, type=TypeEvenement.CEREMONIE, date=datetime.date(2027, 6, 18), lieu="Préau"
    )


@pytest.fixture
def binome(cast):
    return BinomeFactory(
        dispositif=cast.dispositif_a, mentor__email="nadia@entreprise.fr", eleve__prenom="Inès", eleve__nom="Durand"
    )


def _liens(texte):
    return re.findall(r"/invitation-evenement/([\w-]+)/", texte)


def test_le_referent_invite_par_courriel_et_imprime_les_lettres_des_familles(
    client, cast, ceremonie, binome, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(cast.referent_a)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            reverse("seances:invitations", args=[ceremonie.pk]),
            {"categories": ["personnel", "mentor", "partenaire", "famille"]},
        )

    assert reponse.status_code == 200  # the letters to print
    texte = reponse.content.decode()
    assert "À l’attention des responsables légaux de inès durand" in texte
    assert len(_liens(texte)) == 1 and "<svg" in texte
    adresses = sorted(m.to[0] for m in mailoutbox)
    # Staff of LP A (not LP B's référent), the pair's mentor, the association's coordinator.
    assert "nadia@entreprise.fr" in adresses and "coordonnateur.a@exemple.fr" in adresses
    assert "referent.a@exemple.fr" in adresses and "cpe.a@exemple.fr" in adresses
    assert "referent.b@exemple.fr" not in adresses
    assert all(len(_liens(m.body)) == 1 for m in mailoutbox)
    assert InvitationEvenement.objects.filter(evenement=ceremonie).count() == len(adresses) + 1


def test_refaire_l_envoi_n_invite_personne_deux_fois(cast, ceremonie, binome, mailoutbox):
    premier = service.invitations_envoyer(evenement=ceremonie, categories=["mentor", "famille"])
    AffectationFactory(role="mentor", etablissement=cast.lp_a, user__email="NADIA@entreprise.fr")
    second = service.invitations_envoyer(evenement=ceremonie, categories=["mentor", "famille", "personnel"])
    assert (premier.courriels, len(premier.lettres)) == (1, 1)
    assert second.deja_invites == 2 and second.lettres == []
    assert InvitationEvenement.objects.filter(email__iexact="nadia@entreprise.fr").count() == 1


def test_une_categorie_est_obligatoire(client, cast, ceremonie):
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("seances:invitations", args=[ceremonie.pk]), {})
    assert reponse.status_code == 200
    assert "Ce champ est obligatoire" in reponse.content.decode()
    assert not InvitationEvenement.objects.exists()


def test_l_invite_repond_sans_compte_et_peut_changer_d_avis_jusqu_au_jour(client, ceremonie, binome):
    (invitation, jeton) = service.invitations_envoyer(evenement=ceremonie, categories=["famille"]).lettres[0]
    url = reverse("seances:invitation_repondre", args=[jeton])

    assert client.get(url).status_code == 200
    assert client.post(url, {"reponse": "viendra", "nombre": "3"}).status_code == 200
    invitation.refresh_from_db()
    assert (invitation.reponse, invitation.nombre) == (ReponseInvitation.VIENDRA, 3)
    client.post(url, {"reponse": "ne_viendra_pas", "nombre": "3"})
    invitation.refresh_from_db()
    assert (invitation.reponse, invitation.nombre) == (ReponseInvitation.NE_VIENDRA_PAS, 1)

    refus = client.post(url, {"reponse": "viendra", "nombre": "40"})
    assert "Assurez-vous que cette valeur est inférieure ou égale à 10" in refus.content.decode()

    with time_machine.travel(datetime.datetime(2027, 6, 19, 8, 0, tzinfo=datetime.UTC), tick=False):
        assert client.get(url).status_code == 410
        assert client.post(url, {"reponse": "viendra", "nombre": "1"}).status_code == 410
    assert client.get(reverse("seances:invitation_repondre", args=["inconnu"])).status_code == 404


def test_reimprimer_les_lettres_change_les_liens_des_familles_sans_reponse(client, cast, ceremonie, binome):
    (_invitation, ancien) = service.invitations_envoyer(evenement=ceremonie, categories=["famille"]).lettres[0]
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("seances:invitations_lettres", args=[ceremonie.pk]))
    (nouveau,) = _liens(reponse.content.decode())
    assert nouveau != ancien
    assert client.get(reverse("seances:invitation_repondre", args=[ancien])).status_code == 404
    assert client.get(reverse("seances:invitation_repondre", args=[nouveau])).status_code == 200


def test_le_jour_meme_le_referent_coche_les_presents(client, cast, ceremonie, binome):
    service.invitations_envoyer(evenement=ceremonie, categories=["personnel", "famille"])
    venus = list(
        InvitationEvenement.objects.filter(categorie__in=[CategorieInvite.FAMILLE, CategorieInvite.PERSONNEL])
    )[:2]
    client.force_login(cast.referent_a)
    client.post(reverse("seances:invitations_presences", args=[ceremonie.pk]), {"presents": [i.pk for i in venus]})
    assert set(InvitationEvenement.objects.filter(present=True)) == set(venus)
    page = client.get(reverse("seances:invitations", args=[ceremonie.pk])).content.decode()
    assert "2 présents" in page


def test_le_ddfpt_lit_les_invitations_sans_inviter(client, cast, ceremonie):
    client.force_login(cast.ddfpt_a)
    assert client.get(reverse("seances:invitations", args=[ceremonie.pk])).status_code == 200
    assert (
        client.post(reverse("seances:invitations", args=[ceremonie.pk]), {"categories": ["mentor"]}).status_code == 403
    )


def test_un_autre_lp_recoit_404(client, cast, ceremonie):
    client.force_login(cast.referent_b)
    for nom in ("seances:invitations", "seances:invitations_lettres", "seances:invitations_presences"):
        assert client.post(reverse(nom, args=[ceremonie.pk])).status_code == 404
    assert not InvitationEvenement.objects.exists()
