"""The Mentor model has no place for criminal-record content (acceptance 3, RGPD art. 10)."""

from django.db import models

from binomes.models import Binome, Eleve, Honorabilite, Mentor

MOTS_INTERDITS = ("casier", "judiciaire", "condamnation", "honorabilit")
# The facts allowed about honorabilité: choices, dates and the user who recorded them.
# On Mentor, only the link to the person's one record; on that record, facts and the person's address.
FAITS_AUTORISES = {"honorabilite", "statut", "date", "methode", "saisie_par", "expiration"}


def _texte_libre(champ):
    return isinstance(champ, (models.CharField, models.TextField, models.JSONField)) and not champ.choices


def test_aucun_fichier_ni_texte_libre_sur_l_honorabilite():
    for modele in (Mentor, Honorabilite, Eleve, Binome):
        for champ in modele._meta.get_fields():
            assert not isinstance(champ, (models.FileField, models.ImageField)), (modele, champ.name)
            if not getattr(champ, "concrete", False):
                continue
            designation = f"{champ.name} {getattr(champ, 'verbose_name', '')} {getattr(champ, 'help_text', '')}"
            mentionne = any(mot in designation.lower() for mot in MOTS_INTERDITS)
            if mentionne:
                assert champ.name in FAITS_AUTORISES, (modele, champ.name)
                assert not _texte_libre(champ), (modele, champ.name)


def test_les_faits_autorises_sont_des_choix_des_dates_ou_un_compte():
    assert {c.name for c in Honorabilite._meta.concrete_fields} == FAITS_AUTORISES - {"honorabilite"} | {"id", "email"}
    for nom in FAITS_AUTORISES - {"honorabilite"}:
        champ = Honorabilite._meta.get_field(nom)
        assert champ.choices or isinstance(champ, (models.DateField, models.ForeignKey)), nom
