"""Partner and convention: adding the partner, every point of vigilance, signatures, history."""

from datetime import date

import pytest
from django.urls import reverse

from etablissements.models import Convention, Partenaire
from etablissements.models.convention import POINTS_DE_VIGILANCE, StatutConvention
from etablissements.tests.factories import DispositifFactory, PartenaireFactory, donnees_convention

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispositif_sans_partenaire(cast):
    return DispositifFactory(etablissement=cast.lp_a, annee=cast.dispositif_a.annee + 1, partenaire=None)


def test_ajouter_un_nouveau_partenaire_prepare_la_convention(client, cast, dispositif_sans_partenaire):
    d = dispositif_sans_partenaire
    client.force_login(cast.referent_a)
    url = reverse("etablissements:partenaire_ajouter", args=[d.pk])
    assert client.get(url).status_code == 200
    reponse = client.post(url, {"nom": "Association Nouvel Élan", "type": "association", "plan_1j1m": "on"})
    convention = Convention.objects.get(dispositif=d)
    assert reponse["Location"] == reverse("etablissements:convention_modifier", args=[convention.pk])
    d.refresh_from_db()
    assert d.partenaire.nom == "Association Nouvel Élan" and d.partenaire.plan_1j1m
    assert convention.statut == StatutConvention.BROUILLON
    assert (convention.date_debut, convention.date_fin) == (d.date_debut, d.date_fin)
    assert convention.modifications.get().auteur == cast.referent_a


def test_choisir_un_partenaire_connu(client, cast, dispositif_sans_partenaire):
    # The LP picks from its académie's list (see test_academie for the order and the labels).
    laureat = PartenaireFactory(nom="Lauréat national", plan_1j1m=True)
    inconnu = PartenaireFactory(nom="Association d’un autre lycée", plan_1j1m=False)
    cast.partenaire_a.academies.add(cast.lp_a.academie)
    laureat.academies.add(cast.lp_a.academie)
    client.force_login(cast.referent_a)
    url = reverse("etablissements:partenaire_ajouter", args=[dispositif_sans_partenaire.pk])
    page = client.get(url).content.decode()
    assert cast.partenaire_a.nom in page and laureat.nom in page
    assert inconnu.nom not in page  # not on the académie's list
    assert client.post(url, {"partenaire": inconnu.pk}).status_code == 200
    assert client.post(url, {"partenaire": cast.partenaire_a.pk}).status_code == 302
    assert dispositif_sans_partenaire.conventions.get().partenaire == cast.partenaire_a


def test_partenaire_ni_choisi_ni_nomme(client, cast, dispositif_sans_partenaire):
    cast.partenaire_a.academies.add(cast.lp_a.academie)
    client.force_login(cast.referent_a)
    url = reverse("etablissements:partenaire_ajouter", args=[dispositif_sans_partenaire.pk])
    reponse = client.post(url, {"nom": "  "})
    assert "Choisissez un partenaire connu" in reponse.content.decode()
    reponse = client.post(url, {"partenaire": cast.partenaire_a.pk, "nom": "Doublon"})
    assert "pas les deux" in reponse.content.decode()
    assert not Convention.objects.filter(dispositif=dispositif_sans_partenaire).exists()
    assert not Partenaire.objects.filter(nom="Doublon").exists()


@pytest.fixture
def brouillon(cast):
    convention = cast.dispositif_a.conventions.get()
    Convention.objects.filter(pk=convention.pk).update(
        statut=StatutConvention.BROUILLON, date_signature_etablissement=None, date_signature_partenaire=None
    )
    convention.refresh_from_db()
    return convention


def test_chaque_point_de_vigilance_est_un_champ_et_l_historique_dit_qui_a_change_quoi(client, cast, brouillon):
    convention = brouillon
    client.force_login(cast.referent_a)
    url = reverse("etablissements:convention_modifier", args=[convention.pk])
    formulaire = client.get(url).content.decode()
    for champ, _libelle, _aide in POINTS_DE_VIGILANCE:
        assert f'name="{champ}"' in formulaire, champ
    # Status and signatures are decisions, not fields the référent types.
    for champ in ("statut", "date_signature_etablissement", "signataire_partenaire"):
        assert f'name="{champ}"' not in formulaire, champ
    assert client.post(url, donnees_convention()).status_code == 302
    convention.refresh_from_db()
    for champ, libelle, _aide in POINTS_DE_VIGILANCE:
        assert getattr(convention, champ) == f"Clause : {libelle}"
    assert convention.points_manquants == []
    assert str(convention.cout_estime) == "1200.50"

    modification = convention.modifications.get()
    assert modification.auteur == cast.referent_a
    changes = {c["champ"]: c for c in modification.changements}
    assert changes["Assurance"]["apres"] == "Clause : Assurance"
    # Values as a person reads them: an amount in the French format.
    assert changes["coût estimé (€)"]["apres"] == "1\xa0200,50\xa0€"

    page = client.get(convention.get_absolute_url()).content.decode()
    assert "Historique des modifications" in page
    assert "Clause : Respect des valeurs de la République (laïcité, neutralité)" in page
    assert "1&nbsp;200,50&nbsp;€" in page or "1\xa0200,50\xa0€" in page
    # Saving the same values adds no history row.
    client.post(url, donnees_convention())
    assert convention.modifications.count() == 1


def test_dates_de_l_engagement_ordonnees(client, cast, brouillon):
    client.force_login(cast.referent_a)
    url = reverse("etablissements:convention_modifier", args=[brouillon.pk])
    reponse = client.post(url, donnees_convention(date_debut="2027-01-01", date_fin="2026-01-01"))
    assert "La fin de l’engagement doit suivre son début." in reponse.content.decode()


def test_convention_echue_une_fois_sa_fin_passee(cast):
    convention = cast.dispositif_a.conventions.get()
    convention.date_fin = date(2027, 8, 31)
    assert convention.statut_le(date(2027, 8, 31)) == StatutConvention.SIGNEE
    assert convention.statut_le(date(2027, 9, 1)) == StatutConvention.ECHUE


def test_fiche_partenaire_et_ses_coordonnateurs(client, cast):
    client.force_login(cast.chef_a)
    page = client.get(reverse("etablissements:partenaire", args=[cast.partenaire_a.pk])).content.decode()
    assert cast.coordonnateur_a.email in page
    assert cast.lp_a.nom in page and cast.lp_b.nom not in page
    assert "Modifier le partenaire" not in page
    client.force_login(cast.coordonnateur_a)
    url = reverse("etablissements:partenaire_modifier", args=[cast.partenaire_a.pk])
    assert client.post(url, {"nom": "Alpha Mentorat", "type": "association"}).status_code == 302
    cast.partenaire_a.refresh_from_db()
    assert cast.partenaire_a.nom == "Alpha Mentorat"


def test_liste_des_partenaires_filtree(client, cast):
    client.force_login(cast.referent_a)
    page = client.get(reverse("etablissements:partenaires")).content.decode()
    assert cast.partenaire_a.nom in page and cast.dispositif_b.partenaire.nom not in page
    page = client.get(reverse("etablissements:partenaires"), {"nom": "zzz"}).content.decode()
    assert cast.partenaire_a.nom not in page
