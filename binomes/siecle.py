"""Reading a SIECLE (BEE) student export: pure functions, no database.

Accepted files (cahier des charges §3.2):
- XML « Élèves sans adresses » (`ElevesSansAdresses.xml`), whatever its declared encoding;
- the same, zipped (`ExportXML_ElevesSansAdresses.zip`);
- CSV, separated by `;`, `,` or tab, encoded in UTF-8 (with or without BOM), cp1252 or ISO-8859-1.

CSV columns (first line = headers, case, accents and punctuation ignored):

| meaning | accepted headers |
|---|---|
| INE (required) | INE, N° national, Numéro national, ID national, Identifiant national |
| nom (required) | Nom, Nom de famille, Nom d'usage |
| prénom (required) | Prénom, Prénom 1 |
| sexe (required) | Sexe, Code sexe, Genre (1/M/H/Masculin, 2/F/Féminin) |
| date de naissance (required) | Date de naissance, Date naissance, Né(e) le (JJ/MM/AAAA or AAAA-MM-JJ) |
| classe | Classe, Division, Code structure |
| MEF | MEF, Code MEF |
| date de sortie | Date de sortie, Date sortie |
| UAI (optional, checked when present) | UAI, UAJ, RNE |
| année scolaire (optional, checked when present) | Année scolaire (2025 or 2025-2026) |

Hostile files are refused before they cost memory or time: the upload size is checked
before reading, a zip's member count, sizes and ratio are checked from its directory and
again while inflating (in chunks, with a cap), XML goes through defusedxml (no DTD, no
entities) and the number of students read is bounded.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as DefusedET
from django.core.exceptions import ValidationError

from etablissements.models.dispositif import annee_scolaire_courante
from socle.validators import DatePlausible, valider_ine

from . import tableur
from .models import valider_date_naissance
from .tableur import Erreur, FichierRefuse, decoder

TAILLE_MAX = tableur.TAILLE_MAX  # bytes of the uploaded file

TAILLE_DECOMPRESSEE_MAX = 20 * 1024 * 1024  # bytes of the XML or CSV inside a zip
RATIO_ZIP_MAX = 100  # compressed -> uncompressed, far above what a real export reaches
MEMBRES_ZIP_MAX = 20
ELEVES_MAX = 5000  # an LP has a few hundred students; bounds the work done per file
BLOC = 64 * 1024


@dataclass
class Lecture:
    format: str  # "xml" or "csv"
    uai: str = ""
    annee: int | None = None
    lignes: list[dict] = field(default_factory=list)
    erreurs: list[Erreur] = field(default_factory=list)
    ines: set[str] = field(default_factory=set, repr=False)


CHAMPS = ("ine", "nom", "prenom", "sexe", "date_naissance", "classe", "code_mef", "date_sortie")


def lire(nom_fichier: str, contenu: bytes, *, annee: int | None = None) -> Lecture:
    """Read an export; raises FichierRefuse for a file refused as a whole.

    Line errors do not raise: they are listed in `Lecture.erreurs`, and the caller writes
    nothing when there is any. Birth dates are checked against school year `annee`
    (the current one by default).
    """
    annee = annee if annee is not None else annee_scolaire_courante()
    tableur.verifier_taille(contenu)
    if contenu[:4] == b"PK\x03\x04" or nom_fichier.lower().endswith(".zip"):
        nom_fichier, contenu = _extraire_zip(contenu)
    if _ressemble_a_du_xml(contenu):
        return _lire_xml(contenu, annee)
    return _lire_csv(contenu, annee)


def _extraire_zip(contenu: bytes) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(contenu))
        membres = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise FichierRefuse("L’archive zip est illisible.") from None
    if len(archive.infolist()) > MEMBRES_ZIP_MAX:
        raise FichierRefuse("L’archive zip contient trop de fichiers.")
    candidats = [m for m in membres if m.filename.lower().endswith((".xml", ".csv"))]
    if len(candidats) != 1:
        raise FichierRefuse("L’archive zip doit contenir un seul fichier XML ou CSV d’export SIECLE.")
    membre = candidats[0]
    # The directory can lie: it is checked here, and the inflated size is capped below too.
    if membre.file_size > TAILLE_DECOMPRESSEE_MAX or membre.file_size > RATIO_ZIP_MAX * max(membre.compress_size, 1):
        raise FichierRefuse("L’archive zip est anormalement compressée (bombe de décompression) : refusée.")
    morceaux, total = [], 0
    try:
        with archive.open(membre) as flux:
            while bloc := flux.read(BLOC):
                total += len(bloc)
                if total > TAILLE_DECOMPRESSEE_MAX or total > RATIO_ZIP_MAX * max(membre.compress_size, 1):
                    raise FichierRefuse("L’archive zip est anormalement compressée (bombe de décompression) : refusée.")
                morceaux.append(bloc)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError):
        raise FichierRefuse("L’archive zip est illisible.") from None
    return membre.filename, b"".join(morceaux)


def _ressemble_a_du_xml(contenu: bytes) -> bool:
    debut = contenu[:200].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")
    return debut.startswith(b"<")


# --- XML ---------------------------------------------------------------------------------


def _texte(element, balise) -> str:
    enfant = element.find(balise)
    return (enfant.text or "").strip() if enfant is not None else ""


def _lire_xml(contenu: bytes, annee: int) -> Lecture:
    if b"encoding=" not in contenu[:200]:
        # Without a declaration XML means UTF-8; a hand-saved export may be Latin-1 or cp1252.
        contenu = decoder(contenu).lstrip("\ufeff").encode("utf-8")
    try:
        racine = DefusedET.fromstring(contenu, forbid_dtd=True)
    except DefusedXmlException:
        raise FichierRefuse(
            "Le fichier XML contient une déclaration de type ou des entités, interdites pour des raisons de sécurité."
        ) from None
    except (DefusedET.ParseError, ValueError, LookupError, UnicodeError):
        raise FichierRefuse("Le fichier XML est mal formé : ce n’est pas un export SIECLE lisible.") from None
    if racine.tag != "BEE_ELEVES":
        raise FichierRefuse("Ce fichier XML n’est pas un export SIECLE « Élèves sans adresses » (BEE_ELEVES).")
    lecture = Lecture(format="xml")
    lecture.uai = _texte(racine, "PARAMETRES/UAJ").upper()
    lecture.annee = _annee(_texte(racine, "PARAMETRES/ANNEE_SCOLAIRE"))
    classes = {}
    for structure in racine.iterfind("DONNEES/STRUCTURES/STRUCTURES_ELEVE"):
        for s in structure.iterfind("STRUCTURE"):
            if _texte(s, "TYPE_STRUCTURE") == "D":
                classes[structure.get("ELEVE_ID", "")] = _texte(s, "CODE_STRUCTURE")
    for numero, eleve in enumerate(racine.iterfind("DONNEES/ELEVES/ELEVE"), start=1):
        if numero > ELEVES_MAX:
            raise FichierRefuse(f"Le fichier contient plus de {ELEVES_MAX} élèves : refusé.")
        eleve_id = eleve.get("ELEVE_ID", "")
        repere = f"élève ELEVE_ID={eleve_id}" if eleve_id else f"élève n° {numero}"
        brut = {
            "ine": _texte(eleve, "ID_NATIONAL"),
            "nom": _texte(eleve, "NOM_DE_FAMILLE") or _texte(eleve, "NOM_USAGE"),
            "prenom": _texte(eleve, "PRENOM"),
            "sexe": _texte(eleve, "CODE_SEXE"),
            "date_naissance": _texte(eleve, "DATE_NAISS"),
            "classe": classes.get(eleve_id, ""),
            "code_mef": _texte(eleve, "CODE_MEF"),
            "date_sortie": _texte(eleve, "DATE_SORTIE"),
        }
        _ajouter(lecture, repere, brut, annee)
    return lecture


# --- CSV ---------------------------------------------------------------------------------


ENTETES = {
    "ine": ("ine", "nnational", "numeronational", "idnational", "identifiantnational", "ninenational"),
    "nom": ("nom", "nomdefamille", "nomdusage", "nomusage"),
    "prenom": ("prenom", "prenom1"),
    "sexe": ("sexe", "codesexe", "genre"),
    "date_naissance": ("datedenaissance", "datenaissance", "datenaiss", "nele", "neele", "nee"),
    "classe": ("classe", "division", "codestructure", "classedivision"),
    "code_mef": ("mef", "codemef"),
    "date_sortie": ("datedesortie", "datesortie"),
    "uai": ("uai", "uaj", "rne", "codeuai"),
    "annee": ("anneescolaire", "annee"),
}
OBLIGATOIRES = ("ine", "nom", "prenom", "sexe", "date_naissance")


def _lire_csv(contenu: bytes, annee_scolaire: int) -> Lecture:
    lecture = Lecture(format="csv")
    for numero, valeurs in tableur.lignes_csv(
        contenu,
        entetes=ENTETES,
        obligatoires=OBLIGATOIRES,
        libelles=LIBELLES,
        max_lignes=ELEVES_MAX,
        quoi="élèves",
        aide="Ce n’est pas un export SIECLE reconnu (voir les colonnes attendues).",
    ):
        uai, annee = valeurs["uai"].upper(), valeurs["annee"]
        if uai:
            if lecture.uai and uai != lecture.uai:
                raise FichierRefuse("Le fichier mêle plusieurs établissements (colonne UAI).")
            lecture.uai = uai
        if annee:
            lue = _annee(annee)
            if lue is None or (lecture.annee is not None and lue != lecture.annee):
                raise FichierRefuse("L’année scolaire du fichier est illisible ou n’est pas la même partout.")
            lecture.annee = lue
        _ajouter(lecture, f"ligne {numero}", {c: valeurs[c] for c in CHAMPS}, annee_scolaire)
    return lecture


# --- Validation of one student, common to both formats ------------------------------------

LIBELLES = {
    "ine": "INE",
    "nom": "Nom",
    "prenom": "Prénom",
    "sexe": "Sexe",
    "date_naissance": "Date de naissance",
    "classe": "Classe",
    "code_mef": "MEF",
    "date_sortie": "Date de sortie",
}
SEXES = {"1": "M", "m": "M", "h": "M", "masculin": "M", "2": "F", "f": "F", "feminin": "F"}


def _annee(valeur: str) -> int | None:
    m = re.fullmatch(r"\s*(\d{4})(?:\s*[-/]\s*(\d{4}))?\s*", valeur or "")
    if not m or (m.group(2) and int(m.group(2)) != int(m.group(1)) + 1):
        return None
    return int(m.group(1))


def _date(valeur: str) -> date:
    for motif in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            jour = datetime.strptime(valeur, motif).date()
        except ValueError:
            continue
        if 1900 <= jour.year <= 2100:
            return jour
    raise ValueError


def valider_ligne(brut: dict, annee: int) -> tuple[dict, list[tuple[str, str]]]:
    """Normalise one student of school year `annee`; returns (row, [(field label, reason), ...]).

    The row holds JSON-friendly values (dates as ISO strings) so a preview can be kept
    and validated again at confirmation. Dates are held to the bounds the model and the
    database hold, so a file never gets past the preview to fail at the write.
    """
    ligne, erreurs = {}, []
    ine = (brut.get("ine") or "").strip().upper()
    try:
        valider_ine(ine)
    except ValidationError as exc:
        erreurs.append((LIBELLES["ine"], exc.messages[0] if ine else "L’INE est obligatoire."))
    ligne["ine"] = ine
    for champ, longueur in (("nom", 150), ("prenom", 150)):
        valeur = " ".join((brut.get(champ) or "").split())
        if not valeur:
            erreurs.append((LIBELLES[champ], "Valeur obligatoire absente."))
        elif len(valeur) > longueur:
            erreurs.append((LIBELLES[champ], f"Plus de {longueur} caractères."))
        ligne[champ] = valeur
    sexe = SEXES.get(tableur.normaliser_entete(brut.get("sexe") or ""))
    if sexe is None:
        erreurs.append((LIBELLES["sexe"], "Valeur attendue : 1 ou M (masculin), 2 ou F (féminin)."))
    ligne["sexe"] = sexe or ""
    for champ, obligatoire in (("date_naissance", True), ("date_sortie", False)):
        valeur = (brut.get(champ) or "").strip()
        ligne[champ] = ""
        if not valeur:
            if obligatoire:
                erreurs.append((LIBELLES[champ], "Valeur obligatoire absente."))
            continue
        try:
            jour = _date(valeur)
        except ValueError:
            erreurs.append((LIBELLES[champ], f"Date illisible « {valeur[:20]} » (attendu JJ/MM/AAAA)."))
            continue
        try:
            if champ == "date_naissance":
                valider_date_naissance(jour, annee)
            else:
                DatePlausible()(jour)
        except ValidationError as exc:
            erreurs.append((LIBELLES[champ], exc.messages[0]))
            continue
        ligne[champ] = jour.isoformat()
    for champ, longueur in (("classe", 50), ("code_mef", 11)):
        valeur = (brut.get(champ) or "").strip()
        if len(valeur) > longueur:
            erreurs.append((LIBELLES[champ], f"Plus de {longueur} caractères."))
        ligne[champ] = valeur
    return ligne, erreurs


def _ajouter(lecture: Lecture, repere: str, brut: dict, annee: int) -> None:
    ligne, erreurs = valider_ligne(brut, annee)
    for champ, raison in erreurs:
        lecture.erreurs.append(Erreur(repere, champ, raison))
    if not erreurs:
        if ligne["ine"] in lecture.ines:
            lecture.erreurs.append(Erreur(repere, "INE", "Cet INE figure déjà plus haut dans le fichier."))
        else:
            lecture.ines.add(ligne["ine"])
            lecture.lignes.append(ligne)
