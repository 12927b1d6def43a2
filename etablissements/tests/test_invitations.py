"""Invitations to a role: sending, accepting (new or existing account), resending, cancelling,
withdrawing a role, the last chef, the access log, and the rights of each role."""

import re
from datetime import timedelta
from smtplib import SMTPException

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from etablissements import invitations as service
from etablissements.models import Affectation, Invitation
from etablissements.models.invitation import StatutInvitation
from etablissements.tests.factories import AcademieFactory, AffectationFactory, EtablissementFactory, PartenaireFactory
from socle.models import ActionJournal, JournalAcces, User
from socle.roles import Role
from socle.tests.factories import UserFactory

MOT_DE_PASSE = "Un mot de passe solide 2026 !"


def lien_du_courriel(message) -> str:
    return re.search(r"http://\S+/invitation/\S+/", message.body).group(0)


def _chemin(lien):
    return "/" + lien.split("://", 1)[1].split("/", 1)[1]


def inviter_par_la_page(client, auteur, lp, email, role=Role.CPE, **extra):
    client.force_login(auteur)
    return client.post(
        reverse("etablissements:acces", args=["lycee", lp.pk]),
        {"email": email, "role": role, "prenom": "Camille", "nom": "Martin", **extra},
    )


@pytest.mark.django_db
def test_le_chef_invite_un_cpe_qui_cree_son_compte_et_ne_voit_que_son_lp(client, cast):
    reponse = inviter_par_la_page(client, cast.chef_a, cast.lp_a, "Nouvelle.CPE@Exemple.fr")
    assert reponse.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["nouvelle.cpe@exemple.fr"]
    lien = lien_du_courriel(mail.outbox[0])
    invitation = Invitation.objects.get()
    assert invitation.jeton_empreinte not in lien  # only the hash is stored
    assert invitation.expire_le - timezone.now() > timedelta(days=6, hours=23)

    client.logout()
    page = client.get(_chemin(lien))
    assert page.status_code == 200 and "Créer votre compte" in page.content.decode()
    reponse = client.post(
        _chemin(lien),
        {"prenom": "Camille", "nom": "Martin", "new_password1": MOT_DE_PASSE, "new_password2": MOT_DE_PASSE},
    )
    assert reponse.status_code == 302
    cpe = User.objects.get(email="nouvelle.cpe@exemple.fr")
    assert cpe.check_password(MOT_DE_PASSE)
    assert list(cpe.affectations.values_list("role", "etablissement")) == [(Role.CPE, cast.lp_a.pk)]
    # Signed in at once, on LP A's CPE pages; LP B's objects stay out of reach.
    assert client.get(reverse("seances:entretiens")).status_code == 200
    assert client.get(reverse("etablissements:detail", args=[cast.lp_b.pk])).status_code == 404

    journal = JournalAcces.objects.order_by("date")
    assert [(j.action, j.utilisateur) for j in journal] == [
        (ActionJournal.INVITATION, cast.chef_a.email),
        (ActionJournal.ACCEPTATION, "nouvelle.cpe@exemple.fr"),
    ]
    assert all(j.etablissement_id == cast.lp_a.pk for j in journal)

    # The link served once.
    client.logout()
    deuxieme = client.get(_chemin(lien))
    assert deuxieme.status_code == 410
    assert "déjà été utilisé" in deuxieme.content.decode()


@pytest.mark.django_db
def test_un_lien_expire_apres_7_jours(client, cast):
    inviter_par_la_page(client, cast.chef_a, cast.lp_a, "cpe2@exemple.fr")
    lien = _chemin(lien_du_courriel(mail.outbox[0]))
    client.logout()
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(lien).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        page = client.get(lien)
        assert page.status_code == 410
        assert "a expiré" in page.content.decode() and "chef.a@exemple.fr" in page.content.decode()
        reponse = client.post(
            lien, {"prenom": "A", "nom": "B", "new_password1": MOT_DE_PASSE, "new_password2": MOT_DE_PASSE}
        )
        assert reponse.status_code == 410
    assert not User.objects.filter(email="cpe2@exemple.fr").exists()


@pytest.mark.django_db
def test_un_lien_inconnu_ou_remplace_par_un_renvoi_est_refuse(client, cast):
    inviter_par_la_page(client, cast.chef_a, cast.lp_a, "cpe3@exemple.fr")
    ancien = _chemin(lien_du_courriel(mail.outbox[0]))
    invitation = Invitation.objects.get()
    client.post(reverse("etablissements:invitation_renvoyer", args=[invitation.pk]))
    assert len(mail.outbox) == 2
    nouveau = _chemin(lien_du_courriel(mail.outbox[1]))
    assert nouveau != ancien
    client.logout()
    assert client.get(ancien).status_code == 404
    assert "n’est pas valable" in client.get(ancien).content.decode()
    assert client.get(nouveau).status_code == 200
    assert client.get("/invitation/nimporte-quoi/").status_code == 404


@pytest.mark.django_db
def test_une_invitation_annulee_ne_sert_plus(client, cast):
    inviter_par_la_page(client, cast.chef_a, cast.lp_a, "cpe4@exemple.fr")
    lien = _chemin(lien_du_courriel(mail.outbox[0]))
    invitation = Invitation.objects.get()
    client.post(reverse("etablissements:invitation_annuler", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.statut == StatutInvitation.ANNULEE
    client.logout()
    page = client.get(lien)
    assert page.status_code == 410 and "annulée" in page.content.decode()
    assert JournalAcces.objects.filter(action=ActionJournal.ANNULATION, utilisateur=cast.chef_a.email).exists()


@pytest.mark.django_db
def test_un_compte_existant_sous_une_autre_casse_recoit_le_role_sans_doublon(client, cast):
    existant = UserFactory(email="camille.durand@exemple.fr")
    existant.set_password(MOT_DE_PASSE)
    existant.save()
    inviter_par_la_page(client, cast.referent_a, cast.lp_a, "Camille.DURAND@exemple.fr", role=Role.DDFPT)
    lien = _chemin(lien_du_courriel(mail.outbox[0]))
    client.logout()
    page = client.get(lien)
    assert "Un compte existe déjà" in page.content.decode()
    connexion = client.post(
        reverse("login") + f"?next={lien}", {"username": "CAMILLE.durand@exemple.fr", "password": MOT_DE_PASSE}
    )
    assert connexion.status_code == 302 and connexion.url == lien
    assert "Accepter l’invitation" in client.get(lien).content.decode()
    assert client.post(lien).status_code == 302
    assert User.objects.filter(email__iexact="camille.durand@exemple.fr").count() == 1
    assert existant.affectations.get().role == Role.DDFPT


@pytest.mark.django_db
def test_un_autre_compte_connecte_ne_peut_pas_accepter(client, cast):
    inviter_par_la_page(client, cast.chef_a, cast.lp_a, "cpe5@exemple.fr")
    lien = _chemin(lien_du_courriel(mail.outbox[0]))
    client.force_login(cast.referent_b)
    assert "La session ouverte est celle de referent.b@exemple.fr" in client.get(lien).content.decode()
    client.post(lien)
    assert not Affectation.objects.filter(user=cast.referent_b, etablissement=cast.lp_a).exists()
    assert Invitation.objects.get().statut == StatutInvitation.EN_ATTENTE


@pytest.mark.django_db
def test_retirer_un_role_coupe_l_acces_a_la_requete_suivante(client, cast):
    client.force_login(cast.cpe_a)
    assert client.get(reverse("seances:entretiens")).status_code == 200
    affectation = cast.cpe_a.affectations.get()
    client.force_login(cast.chef_a)
    assert client.post(reverse("etablissements:affectation_retirer", args=[affectation.pk])).status_code == 302
    client.force_login(cast.cpe_a)
    assert client.get(reverse("seances:entretiens")).status_code in (403, 404)
    retrait = JournalAcces.objects.get(action=ActionJournal.RETRAIT)
    assert retrait.utilisateur == cast.chef_a.email and "cpe.a@exemple.fr" in retrait.objet


@pytest.mark.django_db
def test_le_dernier_chef_ne_peut_pas_etre_retire(client, cast):
    moi = cast.chef_a.affectations.get()
    client.force_login(cast.chef_a)
    reponse = client.post(reverse("etablissements:affectation_retirer", args=[moi.pk]), follow=True)
    assert "seul chef d’établissement" in reponse.content.decode()
    assert Affectation.objects.filter(pk=moi.pk).exists()
    # With a successor in place, the role can go.
    AffectationFactory(role=Role.CHEF, etablissement=cast.lp_a)
    client.post(reverse("etablissements:affectation_retirer", args=[moi.pk]))
    assert not Affectation.objects.filter(pk=moi.pk).exists()


@pytest.mark.django_db
def test_chaque_role_n_attribue_que_ses_roles(cast):
    # The LP's managers hand out staff roles, never chef; readers hand out nothing.
    assert Role.CHEF not in service.roles_invitables(cast.referent_a, cast.lp_a)
    assert Role.CPE in service.roles_invitables(cast.chef_a, cast.lp_a)
    assert service.roles_invitables(cast.cpe_a, cast.lp_a) == []
    assert service.roles_invitables(cast.referent_b, cast.lp_a) == []
    # The coordinator brings mentors only, on the LPs their association serves.
    assert service.roles_invitables(cast.coordonnateur_a, cast.lp_a) == [Role.MENTOR]
    assert service.roles_invitables(cast.coordonnateur_a, cast.lp_b) == []
    # The académie's administrator brings the chef; another académie's administrator nothing.
    admin = AffectationFactory(admin_academique=True, academie=cast.lp_a.academie).user
    assert Role.CHEF in service.roles_invitables(admin, cast.lp_a)
    autre = AffectationFactory(admin_academique=True, academie=AcademieFactory(nom="Dijon")).user
    assert service.roles_invitables(autre, cast.lp_a) == []
    assert service.roles_invitables(admin, cast.lp_a.academie) == [Role.ADMIN_ACADEMIQUE, Role.PILOTAGE]
    # A partner's responsable brings its coordinators.
    responsable = AffectationFactory(responsable=True, partenaire=cast.partenaire_a).user
    assert Role.COORDONNATEUR in service.roles_invitables(responsable, cast.partenaire_a)
    assert service.roles_invitables(responsable, PartenaireFactory()) == []


@pytest.mark.django_db
def test_le_formulaire_refuse_un_role_que_l_auteur_ne_donne_pas(client, cast):
    reponse = inviter_par_la_page(client, cast.referent_a, cast.lp_a, "chef2@exemple.fr", role=Role.CHEF)
    assert reponse.status_code == 200
    assert "Sélectionnez un choix valide" in reponse.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


@pytest.mark.django_db
def test_inviter_quelqu_un_qui_a_deja_le_role(client, cast):
    reponse = inviter_par_la_page(client, cast.chef_a, cast.lp_a, "CPE.A@exemple.fr")
    assert reponse.status_code == 200
    assert "a déjà le rôle « CPE / vie scolaire » ici" in reponse.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_inviter_deux_fois_renvoie_la_meme_invitation(client, cast):
    inviter_par_la_page(client, cast.chef_a, cast.lp_a, "cpe6@exemple.fr")
    inviter_par_la_page(client, cast.chef_a, cast.lp_a, "CPE6@exemple.fr")
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 2
    client.logout()
    assert client.get(_chemin(lien_du_courriel(mail.outbox[0]))).status_code == 404
    assert client.get(_chemin(lien_du_courriel(mail.outbox[1]))).status_code == 200


@pytest.mark.django_db
def test_serveur_de_messagerie_en_panne_rien_n_est_enregistre(client, cast, monkeypatch):
    def panne(*args, **kwargs):
        raise SMTPException("connexion refusée")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", panne)
    reponse = inviter_par_la_page(client, cast.chef_a, cast.lp_a, "cpe7@exemple.fr")
    assert reponse.status_code == 200
    assert "n’a pas pu être envoyé" in reponse.content.decode()
    assert not Invitation.objects.exists()
    assert not JournalAcces.objects.filter(action=ActionJournal.INVITATION).exists()


@pytest.mark.django_db
def test_la_page_equipe_montre_les_comptes_et_les_invitations(client, cast):
    inviter_par_la_page(client, cast.chef_a, cast.lp_a, "cpe8@exemple.fr")
    page = client.get(reverse("etablissements:equipe", args=[cast.dispositif_a.pk])).content.decode()
    assert "Comptes et accès au lycée" in page
    assert "cpe8@exemple.fr" in page and "cpe.a@exemple.fr" in page
    assert "Renvoyer" in page and "Retirer le rôle" in page
    # A reader of the programme sees the team, not the accounts.
    client.force_login(cast.ddfpt_a)
    page = client.get(reverse("etablissements:equipe", args=[cast.dispositif_a.pk])).content.decode()
    assert "cpe8@exemple.fr" not in page and "Comptes et accès" not in page


@pytest.mark.django_db
def test_un_lp_neuf_sans_dispositif_a_sa_page_d_acces(client):
    lp = EtablissementFactory()
    chef = AffectationFactory(role=Role.CHEF, etablissement=lp).user
    client.force_login(chef)
    page = client.get(reverse("etablissements:detail", args=[lp.pk])).content.decode()
    assert reverse("etablissements:acces", args=["lycee", lp.pk]) in page
    assert client.get(reverse("etablissements:acces", args=["lycee", lp.pk])).status_code == 200
