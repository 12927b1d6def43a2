"""The Django admin: every staff account needs its second factor, and operators manage the
accounts, their roles, the académies, LPs and partners there (issue 12, "Operators")."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from etablissements.models import Affectation, Etablissement
from etablissements.tests.factories import (
    AcademieFactory,
    AffectationFactory,
    EtablissementFactory,
    InvitationFactory,
    PartenaireFactory,
)
from socle.models import ActionJournal, JournalAcces, User
from socle.roles import Role
from socle.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "mot-de-passe-de-test"


def _code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def operateur():
    return UserFactory(email="operateur@exemple.fr", is_staff=True, is_superuser=True)


@pytest.fixture
def appareil(operateur):
    return TOTPDevice.objects.create(user=operateur, name="Téléphone", confirmed=True)


@pytest.fixture
def verifie(client, operateur, appareil):
    """The operator signed in on the admin with email, password and code."""
    reponse = client.post(
        reverse("admin:login"),
        {"username": operateur.email, "password": MOT_DE_PASSE, "otp_token": _code(appareil), "next": "/admin/"},
    )
    assert reponse.status_code == 302, reponse.content.decode()
    return client


def test_en_francais(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert "Administration de Mentorat LP" in page
    assert "Code de l’application d’authentification" in page
    assert "OTP" not in page


def test_compte_staff_sans_appareil_aucune_page(client, operateur):
    client.force_login(operateur)
    for url in (reverse("admin:index"), reverse("admin:mentorat_user_changelist")):
        reponse = client.get(url)
        assert reponse.status_code == 302
        assert reponse["Location"].startswith(reverse("admin:login"))
    page = client.get(reverse("admin:login")).content.decode()
    assert "votre compte ne l’a pas encore activée" in page
    assert reverse("securite") in page
    assert (
        "operateur@exemple.fr"
        not in client.get(reverse("admin:mentorat_user_changelist"), follow=True).content.decode()
    )


def test_compte_staff_sans_appareil_refuse_au_formulaire(client, operateur):
    reponse = client.post(
        reverse("admin:login"), {"username": operateur.email, "password": MOT_DE_PASSE, "otp_token": "123456"}
    )
    assert reponse.status_code == 200
    assert "ce compte ne l’a pas encore activée" in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def test_appareil_sans_code_donne_le_formulaire_du_code(client, operateur, appareil):
    client.force_login(operateur)
    # The app's middleware asks the code first on any admin page…
    reponse = client.get(reverse("admin:mentorat_user_changelist"))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("code_otp"))
    # …and the admin's sign-in asks for it too.
    page = client.get(reverse("admin:login")).content.decode()
    assert 'name="otp_token"' in page
    assert f'href="{reverse("code_otp")}?next=/admin/"' in page


def test_compte_sans_acces_a_l_administration(client):
    client.force_login(UserFactory(email="chef@exemple.fr"))
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("admin:login"))
    assert "n’a pas accès à l’administration" in client.get(reverse("admin:login")).content.decode()


def test_mauvais_code_refuse(client, operateur, appareil):
    reponse = client.post(
        reverse("admin:login"), {"username": operateur.email, "password": MOT_DE_PASSE, "otp_token": "000000"}
    )
    assert reponse.status_code == 200
    assert "Code incorrect" in reponse.content.decode()
    assert "_auth_user_id" not in client.session


def test_code_donne_dans_l_application_ouvre_l_administration(client, operateur, appareil):
    UserFactory(email="quelqu.un@exemple.fr")
    client.force_login(operateur)
    reponse = client.post(f"{reverse('code_otp')}?next=/admin/", {"code": _code(appareil)})
    assert reponse.status_code == 302 and reponse["Location"] == "/admin/"
    page = client.get(reverse("admin:mentorat_user_changelist")).content.decode()
    assert "quelqu.un@exemple.fr" in page


def test_liste_des_comptes_apres_le_code(verifie):
    UserFactory(email="quelqu.un@exemple.fr")
    page = verifie.get(reverse("admin:mentorat_user_changelist")).content.decode()
    assert "quelqu.un@exemple.fr" in page
    assert "Administration de Mentorat LP" in page


def test_pages_d_administration(verifie):
    lp = EtablissementFactory(nom="Lycée professionnel Gamma", uai="0691234S")
    partenaire = PartenaireFactory(nom="Association Gamma", plan_1j1m=True)
    compte = UserFactory(email="chef@exemple.fr")
    AffectationFactory(user=compte, role=Role.CHEF, etablissement=lp)
    AffectationFactory(user=compte, role=Role.COORDONNATEUR, etablissement=None, partenaire=partenaire)
    for nom, attendu in (
        ("admin:etablissements_affectation_changelist", "chef@exemple.fr"),
        ("admin:etablissements_etablissement_changelist", "0691234S"),
        ("admin:etablissements_partenaire_changelist", "Association Gamma"),
        ("admin:etablissements_academie_changelist", "Lyon"),
        ("admin:mentorat_journalacces_changelist", "journal"),
    ):
        reponse = verifie.get(reverse(nom))
        assert reponse.status_code == 200, nom
        assert attendu in reponse.content.decode(), nom
    # The account's page shows its roles inline.
    page = verifie.get(reverse("admin:mentorat_user_change", args=[compte.pk])).content.decode()
    assert "Lycée professionnel Gamma" in page and "Association Gamma" in page
    assert 'href="../password/"' in page
    assert verifie.get(reverse("admin:auth_user_password_change", args=[compte.pk])).status_code == 200
    for nom in (
        "admin:mentorat_user_add",
        "admin:etablissements_affectation_add",
        "admin:etablissements_etablissement_add",
    ):
        assert verifie.get(reverse(nom)).status_code == 200, nom


def test_creer_un_compte(verifie):
    reponse = verifie.post(
        reverse("admin:mentorat_user_add"),
        {
            "email": " Nouveau@Exemple.fr ",
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
            "affectations-TOTAL_FORMS": "0",
            "affectations-INITIAL_FORMS": "0",
        },
    )
    assert reponse.status_code == 302, reponse.content.decode()
    assert User.objects.get(email="nouveau@exemple.fr").check_password("un-mot-de-passe-solide-2026")


def test_createsuperuser_sans_question(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "un-mot-de-passe-solide-2026")
    call_command("createsuperuser", "--noinput", "--email", "premier@exemple.fr", stdout=io.StringIO())
    premier = User.objects.get(email="premier@exemple.fr")
    assert premier.is_staff and premier.is_superuser
    assert premier.check_password("un-mot-de-passe-solide-2026")


def test_parcours_du_premier_operateur(client, monkeypatch):
    """README « Premier opérateur »: createsuperuser, sign in on the app, enrol, open the admin."""
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "un-mot-de-passe-solide-2026")
    call_command("createsuperuser", "--noinput", "--email", "premier@exemple.fr", stdout=io.StringIO())
    reponse = client.post(
        reverse("login"), {"username": "premier@exemple.fr", "password": "un-mot-de-passe-solide-2026"}
    )
    assert reponse.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 302
    assert client.post(reverse("securite"), {"commencer": "1"}).status_code == 302
    appareil = TOTPDevice.objects.get(user__email="premier@exemple.fr", confirmed=False)
    assert client.post(reverse("securite"), {"code": _code(appareil)}).status_code == 302
    page = client.get(reverse("admin:mentorat_user_changelist"))
    assert page.status_code == 200
    assert "premier@exemple.fr" in page.content.decode()


def test_creer_un_etablissement_et_une_affectation(verifie):
    academie = EtablissementFactory().academie
    reponse = verifie.post(
        reverse("admin:etablissements_etablissement_add"),
        {"nom": "Lycée professionnel Delta", "uai": "0750654d", "academie": academie.pk, "labels": ["cmq"]},
    )
    assert reponse.status_code == 302, reponse.content.decode()
    lp = Etablissement.objects.get(uai="0750654D")
    assert lp.labels == ["cmq"]
    compte = UserFactory(email="referent@exemple.fr")
    # A role on the wrong kind of place is refused by the model's constraint, as a form error.
    reponse = verifie.post(
        reverse("admin:etablissements_affectation_add"),
        {"user": compte.pk, "role": Role.REFERENT, "academie": academie.pk},
    )
    assert reponse.status_code == 200
    reponse = verifie.post(
        reverse("admin:etablissements_affectation_add"),
        {"user": compte.pk, "role": Role.REFERENT, "etablissement": lp.pk},
    )
    assert reponse.status_code == 302
    assert compte.affectations.get().etablissement == lp
    # Given by an operator, the role is in the access log with who gave it; so is its withdrawal.
    attribution = JournalAcces.objects.get(action=ActionJournal.ATTRIBUTION)
    assert attribution.user.is_staff
    assert attribution.etablissement_id == lp.pk and "referent@exemple.fr" in attribution.objet
    affectation = compte.affectations.get()
    reponse = verifie.post(reverse("admin:etablissements_affectation_delete", args=[affectation.pk]), {"post": "yes"})
    assert reponse.status_code == 302
    retrait = JournalAcces.objects.get(action=ActionJournal.RETRAIT)
    assert retrait.user.is_staff and "referent@exemple.fr" in retrait.objet


def test_les_invitations_se_lisent_sans_s_ajouter(verifie):
    invitation = InvitationFactory(email="invitee@exemple.fr")
    page = verifie.get(reverse("admin:etablissements_invitation_changelist")).content.decode()
    assert "invitee@exemple.fr" in page
    assert verifie.get(reverse("admin:etablissements_invitation_add")).status_code == 403
    assert verifie.get(reverse("admin:etablissements_invitation_change", args=[invitation.pk])).status_code == 200


def test_l_admin_django_attribue_le_role_sans_lieu(verifie):
    user = UserFactory(email="nationale@exemple.fr")
    reponse = verifie.post(
        reverse("admin:etablissements_affectation_add"), {"user": user.pk, "role": Role.PILOTAGE_NATIONAL}
    )
    assert reponse.status_code == 302, reponse.content.decode()[:3000]
    assert user.affectations.get().role == Role.PILOTAGE_NATIONAL
    assert JournalAcces.objects.filter(action=ActionJournal.ATTRIBUTION, objet__contains="Échelon national").exists()
    # With a place, the admin refuses it (the model's constraint, checked by the form).
    autre = UserFactory()
    reponse = verifie.post(
        reverse("admin:etablissements_affectation_add"),
        {"user": autre.pk, "role": Role.PILOTAGE_NATIONAL, "academie": AcademieFactory().pk},
    )
    assert reponse.status_code == 200 and not Affectation.objects.filter(user=autre).exists()
