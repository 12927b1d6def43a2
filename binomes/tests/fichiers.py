"""SIECLE files built by the tests themselves, in every encoding and format."""

import io
import zipfile

ELEVES = [
    # ine, nom, prenom, sexe (1/2), naissance, classe, mef, sortie
    ("123456789AB", "Dupré", "Léa", "2", "02/04/2009", "2MELEC", "24723006310", ""),
    ("1234567890C", "Lefèvre", "Théo", "1", "15/11/2008", "1MELEC", "24723006320", ""),
    ("098765432DE", "Ben Saïd", "Inès", "2", "30/01/2010", "2MCV", "24731210310", "20/12/2026"),
]


def xml(uai, annee="2026", eleves=ELEVES, encodage="ISO-8859-1", extra=""):
    blocs, structures = [], []
    for i, (ine, nom, prenom, sexe, naissance, classe, mef, sortie) in enumerate(eleves, start=1):
        blocs.append(
            f'<ELEVE ELEVE_ID="{1000 + i}"><ID_NATIONAL>{ine}</ID_NATIONAL><NOM_DE_FAMILLE>{nom}</NOM_DE_FAMILLE>'
            f"<NOM_USAGE></NOM_USAGE><PRENOM>{prenom}</PRENOM><PRENOM2></PRENOM2><CODE_SEXE>{sexe}</CODE_SEXE>"
            f"<DATE_NAISS>{naissance}</DATE_NAISS><CODE_MEF>{mef}</CODE_MEF>"
            + (f"<DATE_SORTIE>{sortie}</DATE_SORTIE>" if sortie else "")
            + "</ELEVE>"
        )
        structures.append(
            f'<STRUCTURES_ELEVE ELEVE_ID="{1000 + i}"><STRUCTURE><CODE_STRUCTURE>{classe}</CODE_STRUCTURE>'
            "<TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE>"
            "<STRUCTURE><CODE_STRUCTURE>GR1</CODE_STRUCTURE><TYPE_STRUCTURE>G</TYPE_STRUCTURE></STRUCTURE>"
            "</STRUCTURES_ELEVE>"
        )
    texte = (
        f'<?xml version="1.0" encoding="{encodage}"?>\n{extra}<BEE_ELEVES VERSION="3.4"><PARAMETRES><UAJ>{uai}</UAJ>'
        f"<ANNEE_SCOLAIRE>{annee}</ANNEE_SCOLAIRE></PARAMETRES><DONNEES><ELEVES>{''.join(blocs)}</ELEVES>"
        f"<STRUCTURES>{''.join(structures)}</STRUCTURES></DONNEES></BEE_ELEVES>"
    )
    python = {"ISO-8859-1": "iso-8859-1", "UTF-8": "utf-8", "windows-1252": "cp1252"}[encodage]
    # Vietnamese letters do not exist in Latin-1: a real export would hold them as character references.
    return texte.encode(python, errors="xmlcharrefreplace")


def csv(eleves=ELEVES, encodage="cp1252", separateur=";", bom=False, entetes=None, uai=None, annee=None):
    entetes = entetes or ["Nom", "Prénom", "Sexe", "Date de naissance", "N° national", "Classe", "MEF", "Date sortie"]
    extra_entetes = (["UAI"] if uai else []) + (["Année scolaire"] if annee else [])
    lignes = [separateur.join(entetes + extra_entetes)]
    for ine, nom, prenom, sexe, naissance, classe, mef, sortie in eleves:
        valeurs = [nom, prenom, {"1": "M", "2": "F"}.get(sexe, sexe), naissance, ine, classe, mef, sortie]
        valeurs += ([uai] if uai else []) + ([annee] if annee else [])
        lignes.append(separateur.join(valeurs))
    texte = "\r\n".join(lignes) + "\r\n"
    donnees = texte.encode(encodage, errors="replace")
    return (b"\xef\xbb\xbf" + donnees) if bom else donnees


def zipper(nom, contenu):
    tampon = io.BytesIO()
    with zipfile.ZipFile(tampon, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(nom, contenu)
    return tampon.getvalue()
