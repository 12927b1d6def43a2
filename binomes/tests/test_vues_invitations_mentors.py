"""Inviting mentors from the mentors' pages: the record and the invitation together, the person's
one account and one honorabilité across LPs, the link once accepted, and who may do it where."""

import re
from smtplib import SMTPException

import pytest
from django.core import mail
from django.http import Http404
from django.urls import reverse

from binomes import mentors as service
from binomes.models import Honorabilite, Mentor
from binomes.tests.factories import MentorFactory
from etablissements import invitations
from etablissements.middleware import SESSION_KEY
from etablissements.models import Affectation, Invitation
from etablissements.tests.factories import AffectationFactory
from socle.roles import Role

INVITER = reverse("binomes:mentor_inviter")
LISTE = reverse("binomes:mentors")

pytestmark = pytest.mark.django_db


def _fiche(**extra):
    return {"nom": "Martin", "prenom": "Paul", "email": "Paul.Martin@Exemple.fr", "capacite": "2", **extra}


@pytest.mark.parametrize("qui,voit", [("coordonnateur_a", True), ("referent_a", True), ("cpe_a", False)])
def test_bouton_inviter_selon_le_role(client, cast, qui, voit):
    client.force_login(getattr(cast, qui))
    assert ("Inviter un mentor" in client.get(LISTE).content.decode()) is voit


def test_le_coordonnateur_invite_un_nouveau_mentor(client, cast):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(INVITER, _fiche(metier="Électricien"))
    mentor = Mentor.objects.get(etablissement=cast.lp_a)
    assert reponse.status_code == 302 and reponse["Location"] == reverse("binomes:mentor", args=[mentor.pk])
    assert (mentor.nom, mentor.metier, mentor.capacite, mentor.user) == ("Martin", "Électricien", 2, None)
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.etablissement, invitation.email) == (
        Role.MENTOR,
        cast.lp_a,
        "paul.martin@exemple.fr",
    )
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["paul.martin@exemple.fr"]
    assert "créer son compte" in client.get(reponse["Location"]).content.decode()


def test_courriel_obligatoire_et_rien_d_ecrit(client, cast):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(INVITER, _fiche(email=""))
    assert reponse.status_code == 200 and "email" in reponse.context["form"].errors
    assert not Mentor.objects.exists() and not mail.outbox


def test_fiche_existante_du_lycee_reprise(client, cast):
    existant = MentorFactory(etablissement=cast.lp_a, email="paul.martin@exemple.fr", metier="Plombier")
    client.force_login(cast.referent_a)
    reponse = client.post(INVITER, _fiche(metier="Électricien"), follow=True)
    assert Mentor.objects.filter(etablissement=cast.lp_a).count() == 1
    existant.refresh_from_db()
    assert existant.metier == "Plombier"
    assert "La fiche existante de" in reponse.content.decode() and len(mail.outbox) == 1


def test_deja_mentor_du_lycee_avec_un_compte_relie_sans_invitation(client, cast):
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(INVITER, _fiche(email=cast.mentor_a.email.upper()), follow=True)
    mentor = Mentor.objects.get(etablissement=cast.lp_a)
    assert mentor.user == cast.mentor_a
    assert "a déjà un compte de mentor sur ce lycée" in reponse.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_mentor_d_un_autre_lycee_garde_sa_verification_et_son_compte(client, cast):
    autre = MentorFactory(etablissement=cast.lp_b, email="paul.martin@exemple.fr", verifie=True)
    client.force_login(cast.coordonnateur_a)
    client.post(INVITER, _fiche())
    nouveau = Mentor.objects.get(etablissement=cast.lp_a)
    assert nouveau.honorabilite_id == autre.honorabilite_id and nouveau.honorabilite_valide()
    assert Honorabilite.objects.count() == 1


def test_l_acceptation_relie_le_compte_a_la_fiche(client, cast):
    autre_lp = MentorFactory(etablissement=cast.lp_b, email="paul.martin@exemple.fr")
    client.force_login(cast.coordonnateur_a)
    client.post(INVITER, _fiche())
    invitation = Invitation.objects.get()
    user = invitations.creer_compte_et_accepter(invitation=invitation, password="Un mot de passe solide 2026 !")
    mentor = Mentor.objects.get(etablissement=cast.lp_a)
    assert mentor.user == user
    autre_lp.refresh_from_db()
    assert autre_lp.user is None and autre_lp.honorabilite_id == mentor.honorabilite_id
    # Only this LP's records are linked, and only those with no account yet.
    assert Affectation.objects.filter(user=user, role=Role.MENTOR, etablissement=cast.lp_a).exists()


def test_courriel_impossible_rien_n_est_ecrit(client, cast, monkeypatch):
    def panne(*args, **kwargs):
        raise SMTPException("injoignable")

    monkeypatch.setattr(invitations, "envoyer_courriel", panne)
    client.force_login(cast.coordonnateur_a)
    reponse = client.post(INVITER, _fiche())
    assert reponse.status_code == 200
    assert "n’a pas pu être envoyé" in reponse.content.decode()
    assert not Mentor.objects.exists() and not Invitation.objects.exists()


def test_inviter_a_creer_son_compte_depuis_la_fiche(client, cast):
    mentor = MentorFactory(etablissement=cast.lp_a, email="jeanne@exemple.fr")
    client.force_login(cast.referent_a)
    page = client.get(reverse("binomes:mentor", args=[mentor.pk])).content.decode()
    assert "Inviter à créer son compte" in page
    reponse = client.post(reverse("binomes:mentor_inviter_compte", args=[mentor.pk]), follow=True)
    assert "Invitation envoyée à jeanne@exemple.fr" in reponse.content.decode()
    assert mail.outbox[0].to == ["jeanne@exemple.fr"]
    assert re.search(r"/invitation/\S+/", mail.outbox[0].body)
    # A mentor with an account has no such button.
    mentor.user = cast.mentor_a
    mentor.save()
    assert "Inviter à créer son compte" not in client.get(reverse("binomes:mentor", args=[mentor.pk])).content.decode()


def test_le_coordonnateur_d_une_autre_association_est_refuse(client, cast):
    """The coordinator of LP B's partner cannot invite a mentor into LP A, whatever they post."""
    coordonnateur_b = AffectationFactory(coordonnateur=True, partenaire=cast.dispositif_b.partenaire).user
    mentor_a = MentorFactory(etablissement=cast.lp_a, email="jeanne@exemple.fr")
    client.force_login(coordonnateur_b)
    assert client.post(reverse("binomes:mentor_inviter_compte", args=[mentor_a.pk])).status_code == 404
    # Pretending LP A is their current LP: the middleware keeps them on LP B.
    session = client.session
    session[SESSION_KEY] = cast.lp_a.pk
    session.save()
    client.post(INVITER, _fiche(email="autre@exemple.fr"))
    assert not Mentor.objects.filter(etablissement=cast.lp_a).exclude(pk=mentor_a.pk).exists()
    assert not Invitation.objects.filter(etablissement=cast.lp_a).exists()
    assert Mentor.objects.filter(etablissement=cast.lp_b, email="autre@exemple.fr").exists()
    # And the service itself answers "not found".
    with pytest.raises(Http404):
        service.mentor_inviter(par=coordonnateur_b, etablissement=cast.lp_a, valeurs=_fiche())
    with pytest.raises(Http404):
        service.mentor_inviter_compte(par=coordonnateur_b, mentor=mentor_a)
    assert [m.to for m in mail.outbox] == [["autre@exemple.fr"]]  # the LP B invitation only
