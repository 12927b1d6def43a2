"""The chef's decisions (issue 14): cadrage sent back or validated, convention signed by the chef and
changed only by avenant, emails to the LP's chef only, history showing what was added and removed."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from etablissements import services
from etablissements.models import Convention
from etablissements.models.cadrage import StatutCadrage
from etablissements.models.convention import StatutConvention
from etablissements.tests.factories import AffectationFactory, VersionCadrageFactory, donnees_convention
from socle.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def brouillon(cast):
    convention = cast.dispositif_a.conventions.get()
    Convention.objects.filter(pk=convention.pk).update(
        statut=StatutConvention.BROUILLON,
        date_signature_etablissement=None,
        date_signature_partenaire=None,
        date_debut=cast.dispositif_a.date_debut,
        date_fin=cast.dispositif_a.date_fin,
    )
    convention.refresh_from_db()
    return convention


def test_seul_le_chef_du_lp_recoit_le_courriel_de_soumission(client, cast, django_capture_on_commit_callbacks):
    AffectationFactory(role=Role.CHEF, etablissement=cast.lp_b, user__email="chef.b@exemple.fr")
    version = VersionCadrageFactory(dispositif=cast.dispositif_a)
    client.force_login(cast.referent_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("etablissements:cadrage_soumettre", args=[version.pk]))
    (message,) = mail.outbox
    assert message.to == ["chef.a@exemple.fr"]
    assert "Document de cadrage à valider" in message.subject


def test_renvoyer_exige_un_commentaire_et_seul_le_chef_renvoie(client, cast):
    version = VersionCadrageFactory(dispositif=cast.dispositif_a, soumise=True)
    url = reverse("etablissements:cadrage_renvoyer", args=[version.pk])
    client.force_login(cast.referent_a)
    reponse = client.post(url, {"commentaire": "À revoir"})
    assert reponse.status_code == 403
    assert "Seul le chef d’établissement renvoie" in reponse.content.decode()
    client.force_login(cast.chef_a)
    reponse = client.post(url, {"commentaire": "  "})
    assert "le commentaire est obligatoire" in reponse.content.decode()
    version.refresh_from_db()
    assert version.statut == StatutCadrage.SOUMISE
    client.post(url, {"commentaire": "Ajoutez le calendrier."})
    version.refresh_from_db()
    assert version.statut == StatutCadrage.BROUILLON
    client.force_login(cast.referent_a)
    page = client.get(reverse("etablissements:cadrage", args=[cast.dispositif_a.pk])).content.decode()
    assert "Renvoyé pour modification" in page and "Ajoutez le calendrier." in page


def test_l_historique_montre_les_elements_ajoutes_et_retires(client, cast):
    version = VersionCadrageFactory(
        dispositif=cast.dispositif_a, indicateurs=["abandon", "absenteisme"], activites_precisions="Ligne A\nLigne B"
    )
    services.cadrage_modifier(
        version=version,
        valeurs={"indicateurs": ["abandon", "reussite"], "activites_precisions": "Ligne A\nLigne C"},
        comites=[],
        auteur=cast.referent_a,
    )
    changes = {c["champ"]: c for c in version.modifications.get().changements}
    assert changes["indicateurs de suivi"]["ajouts"] == ["Taux de réussite aux examens"]
    assert changes["indicateurs de suivi"]["retraits"] == ["Taux d’absentéisme"]
    assert changes["précisions sur les activités"]["ajouts"] == ["Ligne C"]
    assert changes["précisions sur les activités"]["retraits"] == ["Ligne B"]
    client.force_login(cast.referent_a)
    page = client.get(version.get_absolute_url()).content.decode()
    assert "Ajouté : <ins>Taux de réussite aux examens</ins>" in page
    assert "Retiré : <del>Taux d’absentéisme</del>" in page


def test_le_referent_ne_signe_pas_et_ne_modifie_pas_une_convention_signee(client, cast, brouillon):
    client.force_login(cast.referent_a)
    signer = reverse("etablissements:convention_signer", args=[brouillon.pk])
    client.post(reverse("etablissements:convention_soumettre", args=[brouillon.pk]))
    reponse = client.post(signer, {"date_signature": "2026-06-20"})
    assert reponse.status_code == 403
    assert "Seul le chef d’établissement signe la convention." in reponse.content.decode()
    brouillon.refresh_from_db()
    assert brouillon.statut == StatutConvention.SOUMISE

    client.force_login(cast.chef_a)
    reponse = client.post(
        signer,
        {
            "date_signature": "2026-06-20",
            "signataire_partenaire": "Amina Diallo",
            "date_signature_partenaire": "2026-06-22",
        },
    )
    assert reponse.status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.statut == StatutConvention.SIGNEE
    assert brouillon.date_signature_etablissement == date(2026, 6, 20)
    assert brouillon.signee_par == cast.chef_a

    client.force_login(cast.referent_a)
    modifier = reverse("etablissements:convention_modifier", args=[brouillon.pk])
    for reponse in (client.get(modifier), client.post(modifier, donnees_convention())):
        assert reponse.status_code == 403
        assert "ne se modifie plus que par un avenant" in reponse.content.decode()


def test_un_avenant_trace_le_changement_et_garde_le_texte_signe(client, cast, brouillon):
    services.convention_modifier(
        convention=brouillon, valeurs={"assurance": "Responsabilité civile"}, auteur=cast.referent_a
    )
    services.convention_soumettre(convention=brouillon, auteur=cast.referent_a)
    services.convention_signer(
        convention=brouillon,
        auteur=cast.chef_a,
        date_signature=date(2026, 6, 20),
        signataire_partenaire="Amina Diallo",
        date_signature_partenaire=date(2026, 6, 22),
    )
    client.force_login(cast.chef_a)
    url = reverse("etablissements:convention_avenant", args=[brouillon.pk])
    donnees = donnees_convention(objet="Assurance étendue", date_signature="2026-10-01")
    donnees["assurance"] = "Responsabilité civile et accidents"
    assert client.post(url, donnees).status_code == 302
    brouillon.refresh_from_db()
    avenant = brouillon.avenants.get()
    assert (avenant.numero, avenant.objet, avenant.date_signature) == (1, "Assurance étendue", date(2026, 10, 1))
    assert {"champ": "Assurance", "avant": "Responsabilité civile", "apres": "Responsabilité civile et accidents"} in [
        {k: c[k] for k in ("champ", "avant", "apres")} for c in avenant.changements
    ]
    assert brouillon.assurance == "Responsabilité civile et accidents"
    assert {"champ": "Assurance", "texte": "Responsabilité civile"} in brouillon.texte_signe
    page = client.get(brouillon.get_absolute_url()).content.decode()
    assert "Avenant n° 1 du 1 octobre 2026 : Assurance étendue" in page
    assert "tel que signé le 20 juin 2026" in page
    # The référent does not record avenants.
    client.force_login(cast.referent_a)
    assert client.post(url, donnees).status_code == 403


def test_le_chef_voit_la_convention_a_signer(client, cast, brouillon):
    services.convention_soumettre(convention=brouillon, auteur=cast.referent_a)
    client.force_login(cast.chef_a)
    assert f"Convention avec {cast.partenaire_a} soumise à votre signature" in client.get("/").content.decode()
    client.force_login(cast.referent_a)
    assert "soumise à votre signature" not in client.get("/").content.decode()


def test_le_responsable_du_partenaire_signe_pour_le_partenaire(client, cast, brouillon):
    responsable = AffectationFactory(role=Role.RESPONSABLE, etablissement=None, partenaire=cast.partenaire_a).user
    services.convention_soumettre(convention=brouillon, auteur=cast.referent_a)
    url = reverse("etablissements:convention_signer_partenaire", args=[brouillon.pk])
    client.force_login(cast.coordonnateur_a)
    assert client.post(url, {"date_signature": "2026-06-22"}).status_code == 403
    client.force_login(responsable)
    assert client.post(url, {"date_signature": "2026-06-22"}).status_code == 302
    brouillon.refresh_from_db()
    assert brouillon.date_signature_partenaire == date(2026, 6, 22)
    assert brouillon.signee_partenaire_par == responsable
    # The chef then signs without retyping the partner's signature.
    services.convention_signer(convention=brouillon, auteur=cast.chef_a, date_signature=date(2026, 6, 23))
    brouillon.refresh_from_db()
    assert brouillon.statut == StatutConvention.SIGNEE
