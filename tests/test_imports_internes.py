"""No import hidden inside a function of the product's code to dodge a cycle.

An import inside a function hides a dependency from the reader and from import-linter's
layers; a cycle it dodges is a design to fix (a service above both, a value handed down).
The few imports that must stay in a function are listed here with their reason.
"""

import ast
from pathlib import Path

from django.conf import settings

PAQUETS = ("mentorat", "socle", "etablissements", "binomes", "seances", "bilans", "rgpd")

# (file, function, imported module): why the import must run late.
JUSTIFIEES = {
    # AppConfig.ready runs once every app is loaded: signals and registrations need the models.
    ("socle/apps.py", "ready", "django.contrib.auth.signals"),
    ("socle/apps.py", "ready", ".middleware"),
    ("binomes/apps.py", "ready", "etablissements.frise"),
    ("binomes/apps.py", "ready", ".frise"),
    ("binomes/apps.py", "ready", "."),  # binomes.signaux: the receiver of accepted mentor invitations
    ("seances/apps.py", "ready", "etablissements.frise"),
    ("seances/apps.py", "ready", ".frise"),
    ("seances/apps.py", "ready", ".voix"),  # the binôme page's encart of the mentor's notes
    ("seances/apps.py", "ready", ".sante"),  # … and of the pair's health
    ("seances/apps.py", "ready", ".sante_en_cache"),  # the receivers keeping the dashboard's health summary fresh
    # The progress of the objectives, shown on the binôme's page (binomes.objectifs.enregistrer_historique).
    ("seances/apps.py", "ready", "binomes.objectifs"),
    ("seances/apps.py", "ready", ".objectifs"),
    ("bilans/apps.py", "ready", "etablissements.frise"),
    ("bilans/apps.py", "ready", ".frise"),
    ("bilans/apps.py", "ready", "etablissements.annee_suivante"),
    ("bilans/apps.py", "ready", ".ameliorations"),
    # WeasyPrint loads Pango and the fonts (~0.5 s, tens of MB): only processes that render a PDF pay it.
    ("socle/pdf.py", "rendre_pdf", "weasyprint"),
    ("socle/pdf.py", "rendre_pdf", "weasyprint.text.fonts"),
}


def imports_dans_des_fonctions():
    trouves = set()
    for paquet in PAQUETS:
        for fichier in sorted((Path(settings.BASE_DIR) / paquet).rglob("*.py")):
            relatif = fichier.relative_to(settings.BASE_DIR).as_posix()
            if "/tests/" in relatif or "/migrations/" in relatif:
                continue
            for fonction in ast.walk(ast.parse(fichier.read_text())):
                if not isinstance(fonction, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for noeud in ast.walk(fonction):
                    if isinstance(noeud, ast.Import):
                        trouves |= {(relatif, fonction.name, alias.name) for alias in noeud.names}
                    elif isinstance(noeud, ast.ImportFrom):
                        trouves.add((relatif, fonction.name, "." * noeud.level + (noeud.module or "")))
    return trouves


def test_aucun_import_cache_dans_une_fonction():
    assert imports_dans_des_fonctions() - JUSTIFIEES == set()


def test_les_exceptions_listees_existent_encore():
    # An exception that no longer exists must leave the list, so that the list stays true.
    assert JUSTIFIEES - imports_dans_des_fonctions() == set()
