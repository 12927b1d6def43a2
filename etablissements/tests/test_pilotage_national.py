"""The national pilot: a role held on the whole country (no LP, no association, no académie),
handed out by the operators only (the command, the Django admin), never in the app."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from etablissements import invitations
from etablissements.models import Affectation, Invitation
from etablissements.models.affectation import NATIONAL
from etablissements.scoping import perimetre, pilote_national
from etablissements.tests.factories import AcademieFactory, AffectationFactory
from etablissements.tests.test_academie import _accepter
from etablissements.tests.test_invitations import lien_du_courriel
from socle.journal import ActionJournal
from socle.models import JournalAcces
from socle.roles import Role
from socle.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_le_role_national_ne_se_tient_sur_aucun_lieu(cast):
    user = UserFactory()
    affectation = Affectation.objects.create(user=user, role=Role.PILOTAGE_NATIONAL)
    assert str(affectation.lieu) == "Échelon national"
    p = perimetre(user)
    assert p.roles_nationaux == {Role.PILOTAGE_NATIONAL} and pilote_national(user)
    # No LP, no académie: nothing of an LP is reachable through the perimeter.
    assert p.roles == {} and p.academies == set() and p.administration == set()
    # Held once per person.
    with pytest.raises(IntegrityError), transaction.atomic():
        Affectation.objects.create(user=user, role=Role.PILOTAGE_NATIONAL)
    # Nor on an académie, nor an LP; and an académie role still needs its académie.
    for lieu in ({"academie": cast.lp_a.academie}, {"etablissement": cast.lp_a}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Affectation.objects.create(user=UserFactory(), role=Role.PILOTAGE_NATIONAL, **lieu)
    with pytest.raises(IntegrityError), transaction.atomic():
        Affectation.objects.create(user=UserFactory(), role=Role.PILOTAGE)


def test_un_pilote_academique_n_est_pas_national(cast):
    assert not pilote_national(cast.pilotage)
    assert not pilote_national(cast.referent_a)


def test_personne_ne_l_attribue_dans_l_application(cast, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    admin_academique = AffectationFactory(admin_academique=True, academie=cast.lp_a.academie).user
    national = AffectationFactory(pilotage_national=True).user
    for user in (admin_academique, cast.pilotage, national, cast.chef_a):
        assert invitations.roles_invitables(user, NATIONAL) == []
        with pytest.raises(Http404):
            invitations.inviter(par=user, email="x@exemple.fr", role=Role.PILOTAGE_NATIONAL, lieu=NATIONAL)
    # Nor on an académie: the académie's administrator hands out only its own roles.
    assert Role.PILOTAGE_NATIONAL not in invitations.roles_invitables(admin_academique, cast.lp_a.academie)
    assert not Invitation.objects.exists()


def test_la_commande_invite_et_le_lien_donne_le_role(client, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    AcademieFactory(nom="Lyon")
    sortie = StringIO()
    call_command("inviter_pilote_national", email="Pilote@Education.gouv.fr", prenom="Ada", stdout=sortie)
    texte = sortie.getvalue()
    assert "pilotage national" in texte and "valable 7 jours" in texte
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["pilote@education.gouv.fr"]
    assert "Pilotage national (Échelon national)" in mail.outbox[0].body
    lien = lien_du_courriel(mail.outbox[0])
    assert lien.split("/invitation/")[1] not in texte  # the secret link is not printed
    assert _accepter(client, lien).status_code == 302
    affectation = Affectation.objects.get(user__email="pilote@education.gouv.fr")
    assert affectation.role == Role.PILOTAGE_NATIONAL
    assert (affectation.etablissement, affectation.partenaire, affectation.academie) == (None, None, None)
    assert JournalAcces.objects.filter(action=ActionJournal.INVITATION, objet__contains="Pilotage national").exists()
    # The new pilot lands on the national dashboard from the menu.
    menu = [entree["libelle"] for entree in client.get(reverse("accueil")).context["menu"]]
    assert "National" in menu and "Académie" not in menu
    assert client.get(reverse("bilans:national")).status_code == 200

    # Invited again once they hold it: refused, nothing sent.
    with pytest.raises(CommandError, match="déjà le rôle"):
        call_command("inviter_pilote_national", email="pilote@education.gouv.fr", stdout=StringIO())
    with pytest.raises(CommandError, match="Adresse électronique invalide"):
        call_command("inviter_pilote_national", email="pas-une-adresse", stdout=StringIO())
    assert len(mail.outbox) == 1
