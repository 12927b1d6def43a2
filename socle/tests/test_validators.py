import pytest
from django.core.exceptions import ValidationError

from socle.validators import lettre_cle_uai, luhn_valide, valider_ine, valider_siret, valider_uai


def test_uai_valide():
    valider_uai("0750654D")
    valider_uai("0750654d")  # typed lower-case, stored upper-case by the forms


def test_uai_mauvaise_lettre_dit_la_lettre_attendue():
    with pytest.raises(ValidationError) as erreur:
        valider_uai("0750654E")
    assert "la lettre attendue est D" in str(erreur.value)


@pytest.mark.parametrize("valeur", ["075065D", "07506540D", "ABCDEFGD", "0750654", "", "0750654DD"])
def test_uai_mauvaise_longueur_ou_forme(valeur):
    with pytest.raises(ValidationError) as erreur:
        valider_uai(valeur)
    assert "7 chiffres suivis d’une lettre" in str(erreur.value)


def test_lettre_cle_sans_i_o_q():
    assert lettre_cle_uai("0000008") == "J"  # 8 % 23 = 8 -> 9th letter of the alphabet without I


def test_siret_luhn():
    valider_siret("73282932000074")
    valider_siret("732 829 320 00074")
    assert not luhn_valide("73282932000075")
    with pytest.raises(ValidationError, match="clé de contrôle"):
        valider_siret("73282932000075")
    with pytest.raises(ValidationError, match="14 chiffres"):
        valider_siret("7328293200007")


@pytest.mark.parametrize("ine", ["0701234567K", "070123456AB"])
def test_ine_valide(ine):
    valider_ine(ine)


@pytest.mark.parametrize("ine", ["070123456", "07012345AAB", "0701234567", "07012345678K"])
def test_ine_invalide(ine):
    with pytest.raises(ValidationError):
        valider_ine(ine)
