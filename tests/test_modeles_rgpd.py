"""Every model field of the project, read once: no place for criminal-record content, and no
student field beyond the list documented in the README (RGPD data minimisation).

A new file field, a new free-text field about criminal records, or a new student field
fails here until it is justified below or documented in the README.
"""

import re
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models

APPS_DU_PROJET = {"mentorat", "etablissements", "binomes", "seances", "bilans"}

# Files the application generates itself, with no personal document in them.
FICHIERS_AUTORISES = {("bilans", "RapportAnnuel", "fichier")}  # the year-end report: aggregates only

# Free text that may name the procedure, never a person: the convention's clause on how
# honorabilité is checked (its help text forbids personal data).
TEXTES_AUTORISES = {("etablissements", "Convention", "verification_honorabilite")}

CASIER = re.compile(r"casier|judiciaire|condamn|p[ée]nal|d[ée]lit|infraction", re.IGNORECASE)


def _champs():
    for modele in apps.get_models():
        if modele._meta.app_label not in APPS_DU_PROJET:
            continue
        for champ in modele._meta.get_fields():
            if champ.concrete:
                yield modele, champ


def _cle(modele, champ):
    return (modele._meta.app_label, modele.__name__, champ.name)


def test_aucun_champ_fichier_hors_documents_generes():
    fichiers = {_cle(m, c) for m, c in _champs() if isinstance(c, models.FileField)}
    assert fichiers <= FICHIERS_AUTORISES, fichiers - FICHIERS_AUTORISES


def test_aucun_texte_libre_sur_le_casier_judiciaire():
    suspects = []
    for modele, champ in _champs():
        if not isinstance(champ, models.CharField | models.TextField) or champ.choices:
            continue
        texte = " ".join(str(x) for x in (champ.name, champ.verbose_name, champ.help_text))
        if (CASIER.search(texte) or "honorabilit" in texte.lower()) and _cle(modele, champ) not in TEXTES_AUTORISES:
            suspects.append(_cle(modele, champ))
    assert not suspects


def test_l_honorabilite_du_mentor_n_est_faite_que_de_faits():
    from binomes.models import Honorabilite

    # The person's address is the record's key (one record per person), not a fact about the check.
    for champ in Honorabilite._meta.concrete_fields:
        if champ.name not in ("id", "email"):
            assert champ.choices or isinstance(champ, models.DateField | models.ForeignKey), champ.name


def _champs_eleve_documentes():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    section = readme.split("## Données des élèves", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE))


def test_champs_eleve_tous_documentes():
    from binomes.models import Eleve

    documentes = _champs_eleve_documentes()
    assert documentes, "Le README doit lister les données des élèves."
    reels = {champ.name for champ in Eleve._meta.concrete_fields}
    assert reels - documentes == set(), "Champ d’élève non documenté dans le README"
    assert documentes - reels == set(), "Le README documente un champ d’élève qui n’existe plus"
