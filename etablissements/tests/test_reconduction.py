"""Next year's convention continued from last year's signed one by an avenant de reconduction."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from etablissements import frise, reconduction, services
from etablissements.models import Avenant, Convention
from etablissements.models.convention import StatutConvention
from etablissements.tests.factories import (
    AffectationFactory,
    ConventionFactory,
    DispositifFactory,
    PartenaireFactory,
)

pytestmark = pytest.mark.django_db

AVENANT_LE = date(2027, 6, 12)


@pytest.fixture(autouse=True)
def _juin_2027():
    # Next year opens from June: the référent has just opened 2027-2028.
    with time_machine.travel("2027-06-15 10:00 +0200", tick=False):
        yield


@pytest.fixture
def lp(cast):
    """An LP whose 2026-2027 convention is signed, and its 2027-2028 dispositif opened by copy."""
    referent = AffectationFactory(role="referent").user
    etab = referent.affectations.get().etablissement
    chef = AffectationFactory(role="chef", etablissement=etab).user
    ancien = DispositifFactory(etablissement=etab, annee=2026, partenaire=cast.partenaire_a)
    ancienne = ConventionFactory(
        dispositif=ancien,
        date_debut=date(2026, 9, 1),
        date_fin=date(2027, 8, 31),
        assurance="Assurance de l’association",
        signataire_partenaire="Mme Présidente",
        date_signature_etablissement=date(2026, 6, 20),
    )
    nouveau = services.dispositif_creer(etablissement=etab, annee=2027, auteur=referent, copier=True)
    return type(
        "LP",
        (),
        {
            "referent": referent,
            "chef": chef,
            "ancienne": ancienne,
            "nouveau": nouveau,
            "convention": nouveau.conventions.get(),
        },
    )


def _statut_partenaire(dispositif):
    return next(e.statut for e in frise.frise(dispositif) if e.jalon.code == "partenaire")


def test_une_convention_signee_se_reconduit_par_avenant(lp, mailoutbox, django_capture_on_commit_callbacks):
    Avenant.objects.create(
        convention=lp.ancienne, numero=1, objet="Frais de repas", date_signature=date(2027, 1, 10), changements=[]
    )
    assert lp.convention.statut == StatutConvention.BROUILLON
    assert reconduction.convention_a_reconduire(lp.convention) == lp.ancienne
    assert _statut_partenaire(lp.nouveau) == frise.EN_COURS

    with django_capture_on_commit_callbacks(execute=True):
        avenant = reconduction.convention_reconduire(
            convention=lp.convention, auteur=lp.chef, date_signature=AVENANT_LE
        )

    assert (avenant.convention, avenant.numero, avenant.objet, avenant.signe_par) == (
        lp.ancienne,
        2,
        "Reconduction pour l’année 2027-2028",
        lp.chef,
    )
    # The avenant lists the period of the new year; nothing else changed in the copied text.
    assert [(c["champ"], c["avant"], c["apres"]) for c in avenant.changements] == [
        ("début de l’engagement", "01/09/2026", "01/09/2027"),
        ("fin de l’engagement", "31/08/2027", "31/08/2028"),
    ]
    c = lp.convention
    c.refresh_from_db()
    assert (c.statut, c.reconduite_par, c.date_signature_etablissement, c.date_signature_partenaire) == (
        StatutConvention.SIGNEE,
        avenant,
        AVENANT_LE,
        AVENANT_LE,
    )
    assert c.signee_par == lp.chef and c.signataire_partenaire == "Mme Présidente"
    assert {"champ": "Assurance", "texte": "Assurance de l’association"} in c.texte_signe
    # Last year's convention keeps its text; it carries the avenant in its history.
    lp.ancienne.refresh_from_db()
    assert (lp.ancienne.date_debut, lp.ancienne.statut) == (date(2026, 9, 1), StatutConvention.SIGNEE)
    assert lp.ancienne.modifications.filter(action="avenant").get().commentaire.startswith("Avenant n° 2 signé le")
    # The new year's frise sees its convention signed; nothing is left to reconduct.
    assert _statut_partenaire(lp.nouveau) == frise.FAIT
    assert reconduction.convention_a_reconduire(c) is None
    with pytest.raises(ValidationError, match="déjà signée"):
        reconduction.convention_reconduire(convention=c, auteur=lp.chef, date_signature=AVENANT_LE)
    # The référent, who prepared the draft, learns it is signed.
    assert [m.to for m in mailoutbox] == [[lp.referent.email]]
    assert "reconduit la convention" in mailoutbox[0].body


def test_une_convention_non_signee_reste_un_brouillon_a_signer(lp):
    Convention.objects.filter(pk=lp.ancienne.pk).update(
        statut=StatutConvention.SOUMISE, date_signature_etablissement=None
    )
    assert reconduction.convention_a_reconduire(lp.convention) is None
    with pytest.raises(ValidationError, match="Aucune convention signée"):
        reconduction.convention_reconduire(convention=lp.convention, auteur=lp.chef, date_signature=AVENANT_LE)
    lp.convention.refresh_from_db()
    assert lp.convention.statut == StatutConvention.BROUILLON and not Avenant.objects.exists()


def test_un_nouveau_partenaire_signe_une_nouvelle_convention(lp):
    autre = services.convention_creer(dispositif=lp.nouveau, partenaire=PartenaireFactory(), auteur=lp.referent)
    assert reconduction.convention_a_reconduire(autre) is None
    with pytest.raises(ValidationError, match="Aucune convention signée"):
        reconduction.convention_reconduire(convention=autre, auteur=lp.chef, date_signature=AVENANT_LE)
    assert autre.statut == StatutConvention.BROUILLON


def test_une_convention_d_il_y_a_deux_ans_ne_se_reconduit_pas(cast):
    etab = AffectationFactory(role="referent").etablissement
    ConventionFactory(dispositif=DispositifFactory(etablissement=etab, annee=2025, partenaire=cast.partenaire_a))
    c = ConventionFactory(
        dispositif=DispositifFactory(etablissement=etab, annee=2027, partenaire=cast.partenaire_a), brouillon=True
    )
    assert reconduction.convention_a_reconduire(c) is None


def test_le_chef_reconduit_depuis_la_page_de_la_convention(client, lp):
    url = reverse("etablissements:convention_reconduire", args=[lp.convention.pk])
    client.force_login(lp.chef)
    page = client.get(lp.convention.get_absolute_url()).content.decode()
    assert "Reconduire la convention 2026-2027" in page and url in page

    # French errors next to the field; nothing recorded.
    reponse = client.post(url, {"date_signature": "2027-07-01"})
    assert reponse.status_code == 200
    assert "Une date de signature ne peut pas être dans le futur." in reponse.content.decode()
    reponse = client.post(url, {"date_signature": "2026-05-01"})
    assert "L’avenant ne peut pas précéder la signature de la convention 2026-2027" in reponse.content.decode()
    assert not Avenant.objects.exists()

    reponse = client.post(url, {"date_signature": "2027-06-12"})
    assert reponse["Location"] == lp.convention.get_absolute_url()
    page = client.get(lp.convention.get_absolute_url()).content.decode()
    assert "Reconduite par l’avenant n° 1 du 12/06/2027 à la" in page
    assert f'href="{lp.ancienne.get_absolute_url()}">convention 2026-2027</a>' in page
    assert "Reconduire la convention" not in page
    # Last year's convention lists the avenant.
    assert "Reconduction pour l’année 2027-2028" in client.get(lp.ancienne.get_absolute_url()).content.decode()
    # Posting again changes nothing.
    client.post(url, {"date_signature": "2027-06-12"})
    assert Avenant.objects.count() == 1


def test_le_referent_voit_la_reconduction_mais_seul_le_chef_la_signe(client, lp):
    client.force_login(lp.referent)
    page = client.get(lp.convention.get_absolute_url()).content.decode()
    assert "Reconduire la convention 2026-2027" in page
    url = reverse("etablissements:convention_reconduire", args=[lp.convention.pk])
    assert url not in page
    assert client.post(url, {"date_signature": "2027-06-12"}).status_code == 403
    assert not Avenant.objects.exists()


def test_un_autre_lp_ne_trouve_pas_la_reconduction(client, cast, lp):
    url = reverse("etablissements:convention_reconduire", args=[lp.convention.pk])
    for intrus in (cast.referent_b, cast.chef_a):
        client.force_login(intrus)
        assert client.post(url, {"date_signature": "2027-06-12"}).status_code == 404
    assert not Avenant.objects.exists()


def test_sans_convention_a_reconduire_le_chef_est_renvoye_a_la_convention(client, cast):
    client.force_login(cast.chef_a)
    c = cast.dispositif_a.conventions.get()
    reponse = client.post(
        reverse("etablissements:convention_reconduire", args=[c.pk]), {"date_signature": "2027-06-12"}
    )
    assert reponse["Location"] == c.get_absolute_url()
    assert not Avenant.objects.exists()


def test_la_vue_d_ensemble_de_la_nouvelle_annee_propose_la_reconduction(client, lp):
    client.force_login(lp.referent)
    lien = f'<a href="{lp.convention.get_absolute_url()}">à reconduire par avenant</a>'
    assert lien in client.get(lp.nouveau.get_absolute_url()).content.decode()
    reconduction.convention_reconduire(convention=lp.convention, auteur=lp.chef, date_signature=AVENANT_LE)
    page = client.get(lp.nouveau.get_absolute_url()).content.decode()
    assert "à reconduire par avenant" not in page and "signée" in page
