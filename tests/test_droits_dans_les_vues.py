"""No view decides a right inline (issue 17).

Querysets say what a user reaches, services say what is allowed, views translate. A view
that reads the perimeter itself (`perimetre(...)`, `.roles_sur(...)`) or calls the bare
`peut_ecrire()` of the scoping module is a third way of deciding a right: this test finds it.
The scoping module and the decorators module are where these live, and they are not views.
"""

import io
import tokenize
from pathlib import Path

import pytest

RACINE = Path(__file__).resolve().parent.parent
APPS = ("socle", "etablissements", "binomes", "seances", "bilans", "rgpd")
MOTIFS = ("views.py", "views/*.py", "*_views.py", "views_*.py")


def modules_de_vues():
    trouves = set()
    for app in APPS:
        for motif in MOTIFS:
            trouves.update(p for p in (RACINE / app).rglob(motif) if "tests" not in p.parts)
    return sorted(trouves)


def droits_en_ligne(source):
    """(line, name) of each inline right check, read from the tokens: strings and comments do not count."""
    trouves = []
    precedent = None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        # `peut_ecrire` bare is the scoping function; `Modele.objects.peut_ecrire(...)` asks the queryset.
        methode = precedent is not None and precedent.string == "."
        if tok.type == tokenize.NAME and (
            tok.string in ("perimetre", "roles_sur") or (tok.string == "peut_ecrire" and not methode)
        ):
            trouves.append((tok.start[0], tok.string))
        if tok.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT):
            precedent = tok
    return trouves


def test_les_modules_de_vues_sont_trouves():
    noms = {str(p.relative_to(RACINE)) for p in modules_de_vues()}
    assert {"seances/views/seances.py", "bilans/views/rapport.py", "etablissements/views/dispositif.py"} <= noms
    assert {"binomes/views/appariement.py", "socle/views/securite.py"} <= noms


def test_le_detecteur_voit_un_controle_en_ligne():
    source = (
        "from x import peut_ecrire\n"
        "ok = perimetre(u).roles_sur(1)\n"
        'ctx = {"peut_ecrire": Seance.objects.peut_ecrire(u, 1)}  # perimetre(\n'
    )
    assert droits_en_ligne(source) == [(1, "peut_ecrire"), (2, "perimetre"), (2, "roles_sur")]


@pytest.mark.parametrize("module", modules_de_vues(), ids=lambda p: str(p.relative_to(RACINE)))
def test_aucun_droit_decide_dans_une_vue(module):
    trouves = droits_en_ligne(module.read_text())
    assert not trouves, f"{module.relative_to(RACINE)}: droits décidés dans la vue, lignes {trouves}"
