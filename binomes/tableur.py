"""Reading a spreadsheet exported as CSV, for the imports (SIECLE students, mentors): pure functions.

What every import shares: the size limit checked before reading, the encoding guessed
(UTF-8 with or without BOM, cp1252, ISO-8859-1), the separator guessed (`;`, `,` or tab),
headers matched whatever their case, accents and punctuation, a bounded number of rows,
and errors reported per line and column, in French.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

TAILLE_MAX = 10 * 1024 * 1024  # bytes of an uploaded file
# A preview never confirmed is deleted after this delay (data minimisation).
CONSERVATION_APERCU = timedelta(days=1)


class FichierRefuse(Exception):
    """The whole file is refused (format, size, missing columns, too many rows…)."""


@dataclass(frozen=True)
class Erreur:
    ligne: str  # "ligne 4" or "élève ELEVE_ID=1234"
    champ: str
    raison: str


def verifier_taille(contenu: bytes) -> None:
    if len(contenu) > TAILLE_MAX:
        raise FichierRefuse(f"Le fichier dépasse la taille maximale ({TAILLE_MAX // (1024 * 1024)} Mo).")
    if not contenu.strip():
        raise FichierRefuse("Le fichier est vide.")


def normaliser_entete(entete: str) -> str:
    sans_accents = unicodedata.normalize("NFKD", entete).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", sans_accents.lower())


def decoder(contenu: bytes) -> str:
    """UTF-8 (BOM or not) when it decodes, else cp1252, else ISO-8859-1 (which decodes anything)."""
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            return contenu.decode(encodage)
        except UnicodeDecodeError:
            continue
    return contenu.decode("iso-8859-1")


def separateur(premiere_ligne: str) -> str:
    return max((";", ",", "\t"), key=premiere_ligne.count)


def lignes_csv(
    contenu: bytes,
    *,
    entetes: dict[str, tuple[str, ...]],
    obligatoires: tuple[str, ...],
    libelles: dict[str, str],
    max_lignes: int,
    quoi: str,
    aide: str = "Vérifiez la première ligne du fichier (voir les colonnes attendues).",
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of a CSV as (line number, {field: stripped value}), blank rows skipped.

    `entetes` maps each field to its accepted headers (already normalised). Raises
    FichierRefuse for the file as a whole: too big, empty, unreadable, a required column
    missing, more than `max_lignes` rows of `quoi`.
    """
    verifier_taille(contenu)
    texte = decoder(contenu).replace("\x00", "").lstrip("\ufeff")
    par_entete = {variante: champ for champ, variantes in entetes.items() for variante in variantes}
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur(texte.split("\n", 1)[0]))
    try:
        colonnes = {}
        for i, entete in enumerate(next(lecteur, [])):
            champ = par_entete.get(normaliser_entete(entete))
            if champ and champ not in colonnes:
                colonnes[champ] = i
        manquantes = [c for c in obligatoires if c not in colonnes]
        if manquantes:
            raise FichierRefuse(
                f"Colonnes obligatoires absentes de la première ligne : {', '.join(libelles[c] for c in manquantes)}. "
                + aide
            )
        for numero, valeurs in enumerate(lecteur, start=2):
            if not any(v.strip() for v in valeurs):
                continue
            if numero - 1 > max_lignes:
                raise FichierRefuse(f"Le fichier contient plus de {max_lignes} {quoi} : refusé.")
            yield (
                numero,
                {champ: valeurs[i].strip() if i < len(valeurs) else "" for champ, i in colonnes.items()}
                | {champ: "" for champ in entetes if champ not in colonnes},
            )
    except csv.Error as exc:
        raise FichierRefuse(f"Le fichier CSV est illisible ({exc}).") from None
