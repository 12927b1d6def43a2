"""In Chromium: a coordinator invites for LP A a person who already mentors in LP B (same address,
other case); the person signs in with their password and accepts. One account, one honorabilité."""

import re

import pytest
from django.core import mail

from binomes.models import Honorabilite, Mentor
from binomes.tests.factories import MentorFactory
from etablissements.models import Affectation
from etablissements.tests.factories import AffectationFactory
from socle.models import User
from socle.roles import Role
from socle.tests.factories import UserFactory

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

MOT_DE_PASSE = "mot-de-passe-de-test"


def se_connecter(page, email, mot_de_passe=MOT_DE_PASSE):
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(mot_de_passe)
    page.get_by_role("button", name="Se connecter").click()


def test_mentor_d_un_autre_lycee_invite_accepte_avec_son_compte(page, live_server, cast):
    paul = UserFactory(email="paul.martin@exemple.fr", prenom="Paul", nom="Martin")
    paul.set_password(MOT_DE_PASSE)
    paul.save()
    AffectationFactory(user=paul, role=Role.MENTOR, etablissement=cast.lp_b)
    mentor_b = MentorFactory(
        etablissement=cast.lp_b, user=paul, email="paul.martin@exemple.fr", nom="Martin", prenom="Paul", verifie=True
    )
    mentor_b.honorabilite.expiration = mentor_b.honorabilite.date.replace(year=2099)
    mentor_b.honorabilite.save()

    # The coordinator of LP A's association invites him from the mentors' page.
    page.goto("/connexion/")
    se_connecter(page, "coordonnateur.a@exemple.fr")
    page.goto("/binomes/mentors/")
    page.get_by_role("link", name="Inviter un mentor").click()
    page.get_by_role("textbox", name="Nom", exact=True).fill("Martin")
    page.get_by_label(re.compile(r"^\s*Prénom")).fill("Paul")
    page.get_by_label(re.compile(r"^\s*Adresse électronique")).fill("Paul.Martin@Exemple.fr")
    page.get_by_label(re.compile(r"^\s*Métier")).fill("Électricien")
    page.get_by_role("button", name="Enregistrer et envoyer l’invitation").click()
    page.get_by_text("cette personne a déjà un compte").wait_for()
    # His verification, recorded in LP B, already counts here: no pairing warning on his record.
    assert page.get_by_text("Vérifiée").first.is_visible()
    assert not page.get_by_text("n’est pas vérifiée").count()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/connexion/")

    # Paul opens the emailed link, signs in with his existing password, and accepts.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["paul.martin@exemple.fr"]
    chemin = re.search(r"https?://[^/\s]+(/invitation/\S+/)", mail.outbox[0].body).group(1)
    page.goto(chemin)
    page.get_by_text("Un compte existe déjà pour cette adresse").wait_for()
    page.get_by_role("link", name="Se connecter pour accepter").click()
    se_connecter(page, "paul.martin@exemple.fr")
    page.get_by_role("button", name="Accepter l’invitation").click()
    page.get_by_text("Vous êtes désormais Mentor").wait_for()

    assert User.objects.filter(email__iexact="paul.martin@exemple.fr").count() == 1
    lps = set(Affectation.objects.filter(user=paul, role=Role.MENTOR).values_list("etablissement", flat=True))
    assert lps == {cast.lp_a.pk, cast.lp_b.pk}
    mentor_a = Mentor.objects.get(etablissement=cast.lp_a)
    assert mentor_a.user == paul
    assert Honorabilite.objects.filter(mentors__user=paul).distinct().count() == 1
    assert mentor_a.honorabilite_id == mentor_b.honorabilite_id
    assert mentor_a.honorabilite_valide()  # immediately pairable
