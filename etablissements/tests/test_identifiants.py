"""UAI check letter and SIRET Luhn key, at the model and form level (acceptance 1).

The validators themselves are tested in mentorat/tests/test_validators.py.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from etablissements.forms import EntrepriseForm, EtablissementForm
from etablissements.models import Entreprise, Etablissement
from etablissements.tests.factories import AcademieFactory, EtablissementFactory

pytestmark = pytest.mark.django_db


def _etablissement(uai):
    return Etablissement(nom="LP Test", uai=uai, academie=AcademieFactory(nom="Paris"))


def test_uai_valide_accepte_par_le_modele():
    etab = _etablissement("0750654d")
    etab.full_clean()
    assert etab.uai == "0750654D"


def test_uai_mauvaise_lettre_dit_la_lettre_attendue():
    with pytest.raises(ValidationError) as erreur:
        _etablissement("0750654E").full_clean()
    assert erreur.value.message_dict["uai"] == [
        "La lettre clé du code UAI est incorrecte : pour 0750654, la lettre attendue est D."
    ]


@pytest.mark.parametrize("uai", ["075065D", "07506540D", "0750654"])
def test_uai_mauvaise_longueur(uai):
    with pytest.raises(ValidationError) as erreur:
        _etablissement(uai).full_clean()
    assert any("7 chiffres suivis d’une lettre" in m for m in erreur.value.message_dict["uai"])


def test_formulaire_etablissement_uai():
    etab = EtablissementFactory()
    form = EtablissementForm({"nom": "LP", "uai": " 0750654d "}, instance=etab)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uai"] == "0750654D"
    form = EtablissementForm({"nom": "LP", "uai": "0750654A"}, instance=etab)
    assert not form.is_valid()
    assert form.errors["uai"] == ["La lettre clé du code UAI est incorrecte : pour 0750654, la lettre attendue est D."]
    form = EtablissementForm({"nom": "LP", "uai": "075065"}, instance=etab)
    assert "7 chiffres suivis d’une lettre" in form.errors["uai"][0]


def _entreprise_form(siret):
    return EntrepriseForm({"nom": "Garage", "siret": siret}, instance=Entreprise(etablissement=EtablissementFactory()))


@pytest.mark.parametrize(
    "saisi,stocke", [("", ""), ("73282932000074", "73282932000074"), ("732 829 320 00074", "73282932000074")]
)
def test_siret_facultatif_ou_valide_par_luhn(saisi, stocke):
    form = _entreprise_form(saisi)
    assert form.is_valid(), form.errors
    assert form.save().siret == stocke


def test_siret_cle_de_luhn_fausse():
    form = _entreprise_form("73282932000075")
    assert not form.is_valid()
    assert "la clé de contrôle ne correspond pas" in form.errors["siret"][0]


@pytest.mark.parametrize("siret", ["7328293200007", "7328293200007A", "732829320000745"])
def test_siret_mauvaise_longueur(siret):
    form = _entreprise_form(siret)
    assert not form.is_valid()
    assert form.errors["siret"] == ["Le SIRET comporte 14 chiffres."]


def test_siret_faux_refuse_par_le_modele():
    with pytest.raises(ValidationError) as erreur:
        Entreprise(etablissement=EtablissementFactory(), nom="X", siret="73282932000075").full_clean()
    assert "siret" in erreur.value.message_dict


def test_page_entreprise_siret_faux_message_a_cote_du_champ(client, cast):
    client.force_login(cast.referent_a)
    reponse = client.post(reverse("etablissements:entreprise_ajouter"), {"nom": "Garage", "siret": "73282932000075"})
    assert reponse.status_code == 200
    assert "la clé de contrôle ne correspond pas" in reponse.content.decode()
    assert not Entreprise.objects.filter(nom="Garage").exists()
    reponse = client.post(reverse("etablissements:entreprise_ajouter"), {"nom": "Garage", "siret": "732 829 320 00074"})
    assert Entreprise.objects.get(nom="Garage", etablissement=cast.lp_a).siret == "73282932000074"
