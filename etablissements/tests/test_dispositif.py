"""Dispositif: creation and copy of last year, the LP hub with past years, diagnostic, équipe, budget."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from etablissements.models import Diagnostic, Dispositif, LigneBudget
from etablissements.models.cadrage import StatutCadrage
from etablissements.models.convention import StatutConvention
from etablissements.tests.factories import (
    AffectationFactory,
    ComiteFactory,
    ConventionFactory,
    DispositifFactory,
    FormationFactory,
    LigneBudgetFactory,
    MembreEquipeFactory,
    VersionCadrageFactory,
)

pytestmark = pytest.mark.django_db


@time_machine.travel("2027-06-15 10:00 +0200", tick=False)
def test_creer_l_annee_suivante_en_copiant_comme_brouillons(client, cast):
    referent = AffectationFactory(role="referent").user
    lp = referent.affectations.get().etablissement
    precedent = DispositifFactory(etablissement=lp, annee=2026, partenaire=cast.partenaire_a)
    ConventionFactory(
        dispositif=precedent,
        assurance="Assurance de l’association",
        date_debut=date(2026, 9, 1),
        date_signature_etablissement=date(2026, 6, 1),
    )
    MembreEquipeFactory(dispositif=precedent, role="referent", user=referent, mission_pacte=True)
    MembreEquipeFactory(dispositif=precedent, role="coordonnateur")
    v = VersionCadrageFactory(dispositif=precedent, validee=True, objectifs="Objectifs 2026")
    ComiteFactory(version=v)
    VersionCadrageFactory(dispositif=precedent, objectifs="Brouillon jamais validé")

    client.force_login(referent)
    url = reverse("etablissements:dispositif_creer")
    page = client.get(url).content.decode()
    assert "2027-2028" in page and "Reprendre l’équipe" in page
    reponse = client.post(url, {"annee": "2027", "copier": "on"})
    nouveau = Dispositif.objects.get(etablissement=lp, annee=2027)
    assert reponse["Location"] == nouveau.get_absolute_url()
    assert nouveau.partenaire == cast.partenaire_a
    assert nouveau.jalons.count() == 13
    assert set(nouveau.equipe.values_list("role", "mission_pacte")) == {("referent", True), ("coordonnateur", False)}
    copie = nouveau.conventions.get()
    assert (copie.statut, copie.assurance, copie.date_signature_etablissement, copie.date_debut) == (
        StatutConvention.BROUILLON,
        "Assurance de l’association",
        None,
        date(2027, 9, 1),
    )
    cadrage = nouveau.versions_cadrage.get()
    assert (cadrage.numero, cadrage.statut, cadrage.objectifs) == (1, StatutCadrage.BROUILLON, "Objectifs 2026")
    assert cadrage.comites.count() == 1
    assert cadrage.modifications.get().auteur == referent
    # Both years exist now: nothing more to create.
    assert client.post(url, {"annee": "2027"})["Location"] == reverse("etablissements:etablissement")
    assert Dispositif.objects.filter(etablissement=lp).count() == 2


@time_machine.travel("2027-06-15 10:00 +0200", tick=False)
def test_creer_sans_copie(client, cast):
    annee = cast.dispositif_a.annee + 1
    client.force_login(cast.referent_a)
    client.post(reverse("etablissements:dispositif_creer"), {"annee": str(annee)})
    nouveau = Dispositif.objects.get(etablissement=cast.lp_a, annee=annee)
    assert nouveau.partenaire is None and not nouveau.conventions.exists() and not nouveau.equipe.exists()


@time_machine.travel("2027-06-15 10:00 +0200", tick=False)
def test_annee_hors_choix_refusee(client, cast):
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("etablissements:dispositif_creer"), {"annee": "1999"})
    assert reponse.status_code == 200
    assert not Dispositif.objects.filter(annee=1999).exists()


def test_page_du_lp_montre_l_annee_courante_et_garde_les_annees_passees(client, cast):
    passe = DispositifFactory(etablissement=cast.lp_a, annee=cast.dispositif_a.annee - 1, partenaire=None)
    client.force_login(cast.chef_a)
    reponse = client.get(reverse("etablissements:etablissement"))
    assert reponse.context["dispositif"] == cast.dispositif_a
    page = reponse.content.decode()
    assert passe.annee_scolaire in page  # in the year selector
    reponse = client.get(reverse("etablissements:etablissement"), {"annee": passe.annee})
    assert reponse.context["dispositif"] == passe
    assert reverse("etablissements:frise", args=[passe.pk]) in reponse.content.decode()
    page = client.get(reverse("etablissements:dispositif", args=[passe.pk])).content.decode()
    assert f"Vous consultez le dispositif de l’année scolaire {passe.annee_scolaire}" in page
    assert client.get(reverse("etablissements:etablissement"), {"annee": "abc"}).status_code == 200


def test_diagnostic(client, cast):
    formation = FormationFactory(etablissement=cast.lp_a, specialite="Métiers de l’électricité")
    autre_lp = FormationFactory(etablissement=cast.lp_b)
    d = cast.dispositif_a
    client.force_login(cast.referent_a)
    url = reverse("etablissements:diagnostic_modifier", args=[d.pk])
    page = client.get(url).content.decode()
    assert "Enquêtes locales de climat scolaire" in page and "Contrat d’objectifs" in page
    assert formation.specialite in page and autre_lp.specialite not in page
    reponse = client.post(
        url,
        {
            "date_reflexion": "2026-05-12",
            "sources": ["climat_scolaire", "qualeduc", "volet_orientation"],
            "besoins": "Trouver des lieux de stage.",
            "types_mentorat": ["insertion", "orientation"],
            "public_cible": "Premières bac pro.",
            "formations_ciblees": [formation.pk],
        },
    )
    assert reponse.status_code == 302
    diagnostic = Diagnostic.objects.get(dispositif=d)
    assert diagnostic.est_complet
    assert list(diagnostic.formations_ciblees.all()) == [formation]
    page = client.get(reverse("etablissements:diagnostic", args=[d.pk])).content.decode()
    assert "Démarche Qualéduc" in page and "Insertion professionnelle" in page
    assert client.post(url, {"sources": ["inconnue"], "formations_ciblees": [autre_lp.pk]}).status_code == 200


def test_equipe(client, cast):
    d = cast.dispositif_a
    client.force_login(cast.referent_a)
    url = reverse("etablissements:membre_ajouter", args=[d.pk])
    page = client.get(url).content.decode()
    assert cast.chef_a.email in page and cast.coordonnateur_a.email in page and cast.referent_b.email not in page
    assert client.post(url, {"role": "referent", "user": cast.referent_a.pk, "mission_pacte": "on"}).status_code == 302
    membre = d.equipe.get()
    assert (membre.user, membre.mission_pacte, membre.nom_complet) == (cast.referent_a, True, str(cast.referent_a))
    reponse = client.post(url, {"role": "cpe", "nom": "Chevalier", "mission_pacte": "on"})
    assert "Seule la mission du référent" in reponse.content.decode()
    reponse = client.post(url, {"role": "ddfpt"})
    assert "Indiquez le nom" in reponse.content.decode()
    assert client.post(url, {"role": "ddfpt", "user": cast.referent_b.pk, "nom": "X"}).status_code == 200
    page = client.get(reverse("etablissements:equipe", args=[d.pk])).content.decode()
    assert "Mission PACTE" in page
    assert client.post(reverse("etablissements:membre_supprimer", args=[membre.pk])).status_code == 302
    assert not d.equipe.exists()


def test_budget_totaux_par_source_et_par_nature(client, cast):
    d = cast.dispositif_a
    client.force_login(cast.referent_a)
    url = reverse("etablissements:ligne_budget_ajouter", args=[d.pk])
    assert client.post(url, {"type": "allocation", "source": "plan_1j1m", "libelle": "Subvention", "montant": "1500"})[
        "Location"
    ]
    client.post(url, {"type": "allocation", "source": "etablissement", "libelle": "Fonds", "montant": "250.50"})
    client.post(
        url, {"type": "engagement", "nature": "remboursement_frais", "libelle": "Déplacements", "montant": "300"}
    )
    # A commitment without nature, a negative sum: refused, nothing written.
    reponse = client.post(url, {"type": "engagement", "libelle": "Sans nature", "montant": "10"})
    assert "Indiquez la nature de cette dépense." in reponse.content.decode()
    assert (
        client.post(url, {"type": "allocation", "source": "autre", "libelle": "N", "montant": "-5"}).status_code == 200
    )
    assert d.lignes_budget.count() == 3
    # A source given with a commitment is dropped, not stored.
    client.post(
        url, {"type": "engagement", "source": "mecenat", "nature": "evenements", "libelle": "Fête", "montant": "99.5"}
    )
    assert LigneBudget.objects.get(libelle="Fête").source == ""
    assert d.lignes_budget.totaux() == {
        "alloue": Decimal("1750.50"),
        "engage": Decimal("399.50"),
        "reste": Decimal("1351.00"),
    }
    reponse = client.get(reverse("etablissements:budget", args=[d.pk]))
    assert reponse.context["totaux"]["alloue"] == Decimal("1750.50")
    assert dict(reponse.context["par_source"]) == {
        "Plan « 1 jeune, 1 mentor »": Decimal("1500"),
        "Budget de l’établissement": Decimal("250.50"),
    }
    assert dict(reponse.context["par_nature"]) == {
        "Remboursement de frais": Decimal("300"),
        "Évènements": Decimal("99.5"),
    }
    ligne = LigneBudgetFactory(dispositif=d, engagement=True)
    assert client.post(reverse("etablissements:ligne_budget_supprimer", args=[ligne.pk])).status_code == 302
    assert not LigneBudget.objects.filter(pk=ligne.pk).exists()


def test_vue_d_ensemble_resume_chaque_section(client, cast):
    d = cast.dispositif_a
    MembreEquipeFactory(dispositif=d)
    MembreEquipeFactory(dispositif=d, role="coordonnateur")
    LigneBudgetFactory(dispositif=d, montant=Decimal("120.50"))
    LigneBudgetFactory(dispositif=d, engagement=True, montant=Decimal("20"))
    VersionCadrageFactory(dispositif=d, validee=True)
    VersionCadrageFactory(dispositif=d, soumise=True)
    LigneBudgetFactory(dispositif=cast.dispositif_b, montant=Decimal("999"))
    client.force_login(cast.cpe_a)
    page = client.get(reverse("etablissements:dispositif", args=[d.pk])).content.decode()
    assert "2 membres" in page
    assert "120,50\xa0€ alloués, 20,00\xa0€ engagés" in page
    assert "Version 2 : soumise à validation" in page
    assert f"{cast.partenaire_a.nom} : signée" in page
