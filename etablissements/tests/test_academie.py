"""The académie's administration (LPs and their chefs, the list of partner associations), the
LP's choice of partner from that list, the responsable's association, and the operator's
command that starts an académie."""

from io import StringIO
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from etablissements.models import Academie, Affectation, Convention, Etablissement, Invitation, Partenaire
from etablissements.tests.factories import (
    AcademieFactory,
    AffectationFactory,
    DispositifFactory,
    PartenaireFactory,
)
from etablissements.tests.test_invitations import MOT_DE_PASSE, _chemin, lien_du_courriel
from socle.models import User
from socle.roles import Role
from socle.validators import lettre_cle_uai

pytestmark = pytest.mark.django_db

UAI_VALIDE = "0699999" + lettre_cle_uai("0699999")


@pytest.fixture
def admin(cast, settings):
    # The second factor of administrators has its own tests (socle); these are about the pages.
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    return AffectationFactory(admin_academique=True, academie=cast.lp_a.academie, user__email="admin@ac-lyon.fr").user


def _creer(client, admin, **donnees):
    client.force_login(admin)
    url = reverse("etablissements:lycee_creer", args=[admin.affectations.get().academie_id])
    valeurs = {"nom": "Lycée professionnel Gamma", "uai": UAI_VALIDE, "commune": "Vénissieux", **donnees}
    return client.post(url, valeurs)


def _accepter(client, lien, prenom="Claire", nom="Durand"):
    client.logout()
    return client.post(
        _chemin(lien), {"prenom": prenom, "nom": nom, "new_password1": MOT_DE_PASSE, "new_password2": MOT_DE_PASSE}
    )


# --- Administration: LPs and chefs ------------------------------------------------------------


def test_l_administrateur_arrive_sur_son_academie_par_le_menu(client, admin, cast):
    client.force_login(admin)
    accueil = client.get(reverse("accueil")).content.decode()
    assert reverse("etablissements:administration") in accueil
    reponse = client.get(reverse("etablissements:administration"))
    assert reponse["Location"] == reverse("etablissements:academie", args=[cast.lp_a.academie_id])
    page = client.get(reponse["Location"]).content.decode()
    for lp in (cast.lp_a, cast.lp_b):
        assert lp.nom in page and lp.uai in page
        assert reverse("etablissements:acces", args=["lycee", lp.pk]) in page
    assert reverse("etablissements:acces", args=["academie", cast.lp_a.academie_id]) in page
    assert (cast.chef_a.get_full_name() or cast.chef_a.email) in page  # LP A's chef
    assert "aucun chef" in page  # LP B has none


def test_sans_role_academique_pas_d_administration(client, cast):
    client.force_login(cast.pilotage)
    assert client.get(reverse("etablissements:administration")).status_code == 404
    assert "Administration" not in client.get(reverse("accueil")).content.decode()


def test_uai_invalide_erreur_en_francais_rien_cree(client, admin):
    reponse = _creer(
        client, admin, uai="0699999" + ("A" if lettre_cle_uai("0699999") != "A" else "B"), chef_email="chef@exemple.fr"
    )
    assert reponse.status_code == 200
    assert "La lettre clé du code UAI est incorrecte" in reponse.content.decode()
    assert not Etablissement.objects.filter(nom="Lycée professionnel Gamma").exists()
    assert not mail.outbox and not Invitation.objects.exists()


def test_uai_deja_pris_nomme_le_lycee(client, admin, cast):
    reponse = _creer(client, admin, uai=cast.lp_b.uai.lower())
    assert reponse.status_code == 200
    assert f"Ce code UAI est déjà celui du lycée {cast.lp_b.nom}" in reponse.content.decode()
    assert not Etablissement.objects.filter(nom="Lycée professionnel Gamma").exists()


def test_creer_un_lycee_invite_son_chef_qui_accepte(client, admin, cast):
    reponse = _creer(client, admin, chef_email="Proviseure.Gamma@ac-lyon.fr", chef_prenom="Claire", chef_nom="Durand")
    assert reponse.status_code == 302
    lp = Etablissement.objects.get(uai=UAI_VALIDE)
    assert lp.academie == cast.lp_a.academie and lp.commune == "Vénissieux"
    page = client.get(reponse["Location"]).content.decode()
    assert "Lycée professionnel Gamma" in page and "chef invité, en attente" in page
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["proviseure.gamma@ac-lyon.fr"]

    assert _accepter(client, lien_du_courriel(mail.outbox[0])).status_code == 302
    chef = User.objects.get(email="proviseure.gamma@ac-lyon.fr")
    assert Affectation.objects.filter(user=chef, role=Role.CHEF, etablissement=lp).exists()
    client.force_login(admin)
    page = client.get(reverse("etablissements:academie", args=[lp.academie_id])).content.decode()
    assert "Claire Durand" in page and "chef invité, en attente" not in page


def test_invitation_du_chef_impossible_rien_n_est_cree(client, admin, monkeypatch):
    def panne(**kwargs):
        raise SMTPException("serveur injoignable")

    monkeypatch.setattr("etablissements.invitations.envoyer_courriel", panne)
    reponse = _creer(client, admin, chef_email="chef.gamma@ac-lyon.fr")
    assert reponse.status_code == 200
    assert "Rien n’a été enregistré" in reponse.content.decode()
    assert not Etablissement.objects.filter(uai=UAI_VALIDE).exists()
    assert not Invitation.objects.exists()


def test_lycee_sans_chef_puis_invitation_depuis_sa_page_d_acces(client, admin):
    assert _creer(client, admin).status_code == 302
    lp = Etablissement.objects.get(uai=UAI_VALIDE)
    assert not mail.outbox
    url = reverse("etablissements:acces", args=["lycee", lp.pk])
    assert "Chef d’établissement" in client.get(url).content.decode()
    assert client.post(url, {"email": "chef.gamma@ac-lyon.fr", "role": Role.CHEF}).status_code == 302
    assert Invitation.objects.get().etablissement == lp


def test_administrateur_d_une_autre_academie_404(client, cast, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    autre = AffectationFactory(admin_academique=True, academie=AcademieFactory(nom="Grenoble")).user
    cast.partenaire_a.academies.add(cast.lp_a.academie)
    client.force_login(autre)
    pk, partenaire = cast.lp_a.academie_id, cast.partenaire_a.pk
    for nom, args in [
        ("etablissements:academie", [pk]),
        ("etablissements:lycee_creer", [pk]),
        ("etablissements:academie_partenaire_nouveau", [pk]),
        ("etablissements:academie_partenaire_inscrire", [pk]),
        ("etablissements:academie_partenaire_modifier", [pk, partenaire]),
        ("etablissements:academie_partenaire_retirer", [pk, partenaire]),
    ]:
        url = reverse(nom, args=args)
        assert client.get(url).status_code in (404, 405), nom
        assert client.post(url, {"nom": "X", "uai": UAI_VALIDE}).status_code == 404, nom
    assert not Etablissement.objects.filter(uai=UAI_VALIDE).exists()
    assert cast.partenaire_a.academies.filter(pk=pk).exists()
    # Their own académie: its page, without the other's LPs.
    page = client.get(reverse("etablissements:administration"), follow=True).content.decode()
    assert "Grenoble" in page and cast.lp_a.nom not in page


# --- The académie's list of partner associations ------------------------------------------------


def test_liste_des_partenaires_avec_le_badge_laureat(client, admin, cast):
    academie = cast.lp_a.academie
    PartenaireFactory(nom="Tremplin Lauréat", plan_1j1m=True).academies.add(academie)
    PartenaireFactory(nom="Coup de Pouce Local", plan_1j1m=False).academies.add(academie)
    PartenaireFactory(nom="Association d’ailleurs", plan_1j1m=True)
    client.force_login(admin)
    page = client.get(reverse("etablissements:academie", args=[academie.pk])).content.decode()
    assert page.count("Lauréat « 1 jeune, 1 mentor »") == 1
    assert (
        page.index("Tremplin Lauréat") < page.index("Lauréat « 1 jeune, 1 mentor »") < page.index("Coup de Pouce Local")
    )
    assert "Association d’ailleurs" not in page


def test_ajouter_modifier_retirer_un_partenaire(client, admin, cast):
    academie = cast.lp_a.academie
    client.force_login(admin)
    reponse = client.post(
        reverse("etablissements:academie_partenaire_nouveau", args=[academie.pk]),
        {"nom": "Élan Mentorat", "type": "association", "plan_1j1m": "on", "email": "contact@elan.fr"},
    )
    assert reponse.status_code == 302
    partenaire = Partenaire.objects.get(nom="Élan Mentorat")
    assert list(partenaire.academies.all()) == [academie] and partenaire.plan_1j1m

    page = client.get(reverse("etablissements:academie", args=[academie.pk])).content.decode()
    assert reverse("etablissements:acces", args=["association", partenaire.pk]) in page
    acces = client.get(reverse("etablissements:acces", args=["association", partenaire.pk])).content.decode()
    assert "Responsable de l’association" in acces and "Coordonnateur" in acces

    url = reverse("etablissements:academie_partenaire_modifier", args=[academie.pk, partenaire.pk])
    assert (
        client.post(url, {"nom": "Élan Mentorat Rhône", "type": "association", "email": "bonjour@elan.fr"}).status_code
        == 302
    )
    partenaire.refresh_from_db()
    assert (partenaire.nom, partenaire.plan_1j1m, partenaire.email) == ("Élan Mentorat Rhône", False, "bonjour@elan.fr")

    grenoble = AcademieFactory(nom="Grenoble")
    partenaire.academies.add(grenoble)
    url = reverse("etablissements:academie_partenaire_retirer", args=[academie.pk, partenaire.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert list(partenaire.academies.all()) == [grenoble]  # still on the other list, not deleted


def test_inscrire_une_association_d_une_autre_academie(client, admin, cast):
    academie = cast.lp_a.academie
    ailleurs = PartenaireFactory(nom="Réseau national")
    ailleurs.academies.add(AcademieFactory(nom="Grenoble"))
    inconnue = PartenaireFactory(nom="Sur aucune liste")
    client.force_login(admin)
    url = reverse("etablissements:academie_partenaire_inscrire", args=[academie.pk])
    page = client.get(url).content.decode()
    assert "Réseau national" in page and "Sur aucune liste" not in page
    assert client.post(url, {"partenaire": inconnue.pk}).status_code == 200
    assert client.post(url, {"partenaire": ailleurs.pk}).status_code == 302
    assert academie.partenaires.filter(pk=ailleurs.pk).exists()
    assert not academie.partenaires.filter(pk=inconnue.pk).exists()


# --- The LP picks its partner from the académie's list --------------------------------------------


def test_le_referent_choisit_son_partenaire_dans_la_liste_de_l_academie(client, cast):
    academie = cast.lp_a.academie
    dispositif = DispositifFactory(etablissement=cast.lp_a, annee=cast.dispositif_a.annee + 1, partenaire=None)
    local = PartenaireFactory(nom="Aaa Local", plan_1j1m=False)
    laureat = PartenaireFactory(nom="Zzz Lauréat", plan_1j1m=True)
    local.academies.add(academie)
    laureat.academies.add(academie)
    hors_liste = PartenaireFactory(nom="Lauréat d’une autre académie", plan_1j1m=True)
    hors_liste.academies.add(AcademieFactory(nom="Grenoble"))
    client.force_login(cast.referent_a)
    url = reverse("etablissements:partenaire_ajouter", args=[dispositif.pk])
    page = client.get(url).content.decode()
    assert "Zzz Lauréat — lauréat « 1 jeune, 1 mentor »" in page
    assert page.index("Zzz Lauréat") < page.index("Aaa Local")  # laureates first
    assert hors_liste.nom not in page
    assert client.post(url, {"partenaire": hors_liste.pk}).status_code == 200
    assert client.post(url, {"partenaire": laureat.pk}).status_code == 302
    assert Convention.objects.get(dispositif=dispositif).partenaire == laureat


def test_un_partenaire_cree_par_le_lp_rejoint_la_liste_de_l_academie(client, cast):
    dispositif = DispositifFactory(etablissement=cast.lp_a, annee=cast.dispositif_a.annee + 1, partenaire=None)
    client.force_login(cast.referent_a)
    url = reverse("etablissements:partenaire_ajouter", args=[dispositif.pk])
    assert "aucune association sur sa liste" in client.get(url).content.decode()
    assert client.post(url, {"nom": "Association Nouvel Élan", "type": "association"}).status_code == 302
    assert list(Partenaire.objects.get(nom="Association Nouvel Élan").academies.all()) == [cast.lp_a.academie]


# --- The association's responsable -----------------------------------------------------------------


def test_le_responsable_invite_un_coordonnateur_qui_voit_les_lp_servis(client, cast):
    responsable = AffectationFactory(responsable=True, partenaire=cast.partenaire_a).user
    client.force_login(responsable)
    accueil = client.get(reverse("accueil")).content.decode()
    assert reverse("etablissements:mon_association") in accueil
    reponse = client.get(reverse("etablissements:mon_association"))
    url = reverse("etablissements:acces", args=["association", cast.partenaire_a.pk])
    assert reponse["Location"] == url
    page = client.get(url).content.decode()
    assert cast.lp_a.nom in page and cast.lp_b.nom not in page  # the LPs it serves
    assert "coordonnateur.a@exemple.fr" in page
    assert client.post(url, {"email": "nouveau.coord@alpha.fr", "role": Role.COORDONNATEUR}).status_code == 302
    assert "nouveau.coord@alpha.fr" in client.get(url).content.decode()  # pending

    assert _accepter(client, lien_du_courriel(mail.outbox[0]), "Sam", "Coord").status_code == 302
    coordonnateur = User.objects.get(email="nouveau.coord@alpha.fr")
    client.force_login(coordonnateur)
    assert client.get(reverse("etablissements:detail", args=[cast.lp_a.pk])).status_code == 200
    assert client.get(reverse("etablissements:detail", args=[cast.lp_b.pk])).status_code == 404
    # A coordinator manages no accounts: no « Mon association ».
    assert client.get(reverse("etablissements:mon_association")).status_code == 404


def test_un_responsable_sans_convention_a_un_accueil_utile(client):
    responsable = AffectationFactory(responsable=True).user
    client.force_login(responsable)
    reponse = client.get(reverse("accueil"))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert reverse("etablissements:mon_association") in contenu and "Aucun rôle pour le moment" not in contenu


# --- The operator's command ---------------------------------------------------------------------


def test_inviter_administrateur_cree_l_academie_et_envoie_l_invitation(client, settings):
    settings.DOUBLE_AUTHENTIFICATION_ROLES = []
    sortie = StringIO()
    call_command("inviter_administrateur", academie="Lyon", email="Admin@AC-Lyon.fr", prenom="Ada", stdout=sortie)
    academie = Academie.objects.get(nom="Lyon")
    texte = sortie.getvalue()
    assert "Académie de Lyon créée" in texte and "valable 7 jours" in texte
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["admin@ac-lyon.fr"]
    lien = lien_du_courriel(mail.outbox[0])
    assert lien.split("/invitation/")[1] not in texte  # the secret link is not printed
    assert _accepter(client, lien).status_code == 302
    assert Affectation.objects.filter(
        user__email="admin@ac-lyon.fr", role=Role.ADMIN_ACADEMIQUE, academie=academie
    ).exists()

    sortie = StringIO()
    call_command("inviter_administrateur", academie="lyon", email="second@ac-lyon.fr", stdout=sortie)
    assert "existait déjà" in sortie.getvalue() and Academie.objects.count() == 1


def test_inviter_administrateur_refuse_sans_rien_creer(monkeypatch):
    with pytest.raises(CommandError, match="Adresse électronique invalide"):
        call_command("inviter_administrateur", academie="Lyon", email="pas-une-adresse", stdout=StringIO())

    def panne(**kwargs):
        raise SMTPException("serveur injoignable")

    monkeypatch.setattr("etablissements.invitations.envoyer_courriel", panne)
    with pytest.raises(CommandError, match="n’a pas pu être envoyé"):
        call_command("inviter_administrateur", academie="Nantes", email="a@ac-nantes.fr", stdout=StringIO())
    assert not Academie.objects.exists() and not Invitation.objects.exists()


def _menu(client):
    return [entree["libelle"] for entree in client.get(reverse("accueil")).context["menu"]]


def test_le_menu_mene_a_l_administration_et_a_l_association(client, admin, cast):
    client.force_login(admin)
    assert "Administration" in _menu(client) and "Mon association" not in _menu(client)
    client.force_login(AffectationFactory(responsable=True, partenaire=cast.partenaire_a).user)
    assert "Mon association" in _menu(client) and "Administration" not in _menu(client)
    client.force_login(cast.coordonnateur_a)
    assert "Mon association" not in _menu(client)
