"""Absences known by the vie scolaire: the day's export of the school software, or the CPE's daily list.

Both mark the absent students' participations in the séances of that day through
`services.absence_declarer`, so that their mentors are warned at once by the outbox. Only a
participation still expected and not yet declared absent is marked: importing the same file
twice, or a file overlapping the daily list, warns nobody a second time.

The export (Pronote, EcoleDirecte, another school software) is a CSV whose columns differ
from one software to the other: the CPE says once which column holds what, and the LP keeps
that mapping (by header) for the next files. Encodings, separators and size limits are the
SIECLE import's (binomes.tableur).
"""

import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from datetime import date, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from binomes.models import Eleve
from binomes.tableur import (
    CONSERVATION_APERCU,
    Erreur,
    FichierRefuse,
    decoder,
    normaliser_entete,
    separateur,
    verifier_taille,
)
from socle.validators import DatePlausible

from . import services
from .models import (
    CorrespondanceAbsences,
    ImportAbsences,
    Notification,
    Participation,
    Presence,
    Seance,
    StatutSeance,
)

LIGNES_MAX = 5000  # a day of absences in an LP is a few hundred rows at most
COLONNES_MAX = 100
CELLULE_MAX = 300  # characters kept of a cell; longer names are reported, not silently cut

LIBELLES = {
    "ine": "INE",
    "nom": "Nom",
    "prenom": "Prénom",
    "date_naissance": "Date de naissance",
    "classe": "Classe",
    "date": "Date de l’absence",
    "heure_debut": "Heure de début",
    "heure_fin": "Heure de fin",
    "justifiee": "Absence justifiée",
}
CHAMPS = tuple(LIBELLES)

# Headers recognised without a mapping (normalised: lower case, no accent, no punctuation).
ENTETES = {
    "ine": ("ine", "nnational", "numeronational", "idnational", "identifiantnational", "ineeleve"),
    "nom": ("nom", "nomdefamille", "nomdusage", "nomeleve"),
    "prenom": ("prenom", "prenom1", "prenomeleve"),
    "date_naissance": ("datedenaissance", "datenaissance", "nele", "neele", "nee"),
    "classe": ("classe", "division", "classes"),
    "date": ("date", "dateabsence", "datedelabsence", "jour", "datedebut", "du", "le"),
    "heure_debut": ("heuredebut", "heurededebut", "hdebut", "de", "debut"),
    "heure_fin": ("heurefin", "heuredefin", "hfin", "a", "fin", "au", "datefin"),
    "justifiee": ("justifiee", "justifie", "justification", "absencejustifiee", "reglee", "regle", "justif"),
}

OUI = {"oui", "o", "1", "x", "vrai", "true", "yes", "justifiee", "justifie", "j", "reglee", "regle"}
NON = {"", "non", "n", "0", "faux", "false", "no", "nonjustifiee", "nonjustifie", "nj", "nonreglee", "nonregle"}

# Control characters outside tab and line ends: a binary file (a spreadsheet saved as .xlsx, a PDF).
BINAIRE = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
DATE_FR = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
DATE_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
HEURE = re.compile(r"(?<![\d/.-])(\d{1,2})\s*[:hH]\s*(\d{2})?(?!\d)")

MOTIF_IMPORT = "Absence signalée par la vie scolaire (export du logiciel de vie scolaire)."
MOTIF_LISTE = "Absence signalée par la vie scolaire (appel du jour)."


# --- Reading the file ----------------------------------------------------------------------


def lire(contenu: bytes) -> tuple[list[str], list[list]]:
    """The headers and the non-blank rows ([line number, [cells]]) of an export; raises FichierRefuse."""
    verifier_taille(contenu)
    texte = decoder(contenu).lstrip("\ufeff")
    if "\x00" in texte or BINAIRE.search(texte):
        raise FichierRefuse(
            "Ce fichier n’est pas un fichier texte CSV (tableur .xlsx, PDF ?) : "
            "exportez les absences au format CSV depuis le logiciel de vie scolaire."
        )
    lecteur = csv.reader(io.StringIO(texte, newline=""), delimiter=separateur(texte.split("\n", 1)[0]))
    try:
        entetes = [" ".join(e.split())[:CELLULE_MAX] for e in next(lecteur, [])]
        if not any(entetes):
            raise FichierRefuse("La première ligne du fichier doit porter le nom des colonnes.")
        if len(entetes) > COLONNES_MAX:
            raise FichierRefuse(f"Le fichier a plus de {COLONNES_MAX} colonnes : ce n’est pas un export d’absences.")
        lignes = []
        for numero, valeurs in enumerate(lecteur, start=2):
            if not any(v.strip() for v in valeurs):
                continue
            if len(lignes) >= LIGNES_MAX:
                raise FichierRefuse(f"Le fichier contient plus de {LIGNES_MAX} absences : refusé.")
            lignes.append([numero, [v.strip()[:CELLULE_MAX] for v in valeurs[: len(entetes)]]])
    except csv.Error as exc:
        raise FichierRefuse(f"Le fichier CSV est illisible ({exc}).") from None
    if not lignes:
        raise FichierRefuse("Le fichier ne contient aucune absence (seulement la ligne des en-têtes).")
    return entetes, lignes


# --- The column mapping --------------------------------------------------------------------


def colonnes_proposees(entetes: list[str], correspondance: CorrespondanceAbsences | None) -> dict[str, int | None]:
    """Which column holds each field: the LP's remembered mapping first, else the usual headers."""
    normalises = [normaliser_entete(e) for e in entetes]
    retenues = correspondance.colonnes if correspondance and isinstance(correspondance.colonnes, dict) else {}
    colonnes = {}
    for champ in CHAMPS:
        memorise = retenues.get(champ)
        if memorise == "":
            colonnes[champ] = None  # the CPE said: no such column
        elif isinstance(memorise, str) and memorise in normalises:
            colonnes[champ] = normalises.index(memorise)
        else:
            # Nothing remembered, or a header this file does not have: the usual names.
            colonnes[champ] = next((i for i, n in enumerate(normalises) if n in ENTETES[champ]), None)
    return colonnes


def colonnes_manquantes(colonnes: dict[str, int | None]) -> dict[str, str]:
    """{field: reason} when the mapping cannot identify a student or a date."""
    manquantes = {}
    if colonnes.get("date") is None:
        manquantes["date"] = "Choisissez la colonne de la date de l’absence."
    if colonnes.get("ine") is None and (colonnes.get("nom") is None or colonnes.get("prenom") is None):
        manquantes["ine"] = "Choisissez la colonne de l’INE, ou celles du nom et du prénom."
    return manquantes


@transaction.atomic
def correspondance_enregistrer(*, etablissement, entetes: list[str], colonnes: dict[str, int | None]):
    """Remember the mapping for the LP's next files, by normalised header ("" for no column)."""
    valeurs = {
        champ: normaliser_entete(entetes[index]) if index is not None and 0 <= index < len(entetes) else ""
        for champ, index in colonnes.items()
    }
    correspondance, _ = CorrespondanceAbsences.objects.update_or_create(
        etablissement=etablissement, defaults={"colonnes": valeurs}
    )
    return correspondance


# --- Reading each absence ------------------------------------------------------------------


@dataclass
class Absence:
    repere: str
    eleve: Eleve
    jour: date
    debut: time | None
    fin: time | None
    justifiee: bool


@dataclass
class Analyse:
    erreurs: list[Erreur] = field(default_factory=list)
    inconnus: list[tuple[str, str, str]] = field(default_factory=list)  # (line, who, why)
    absences: list[Absence] = field(default_factory=list)
    a_marquer: list[tuple[Participation, str]] = field(default_factory=list)


def _date(valeur: str) -> date:
    if m := DATE_FR.search(valeur):
        jour, mois, annee = (int(x) for x in m.groups())
    elif m := DATE_ISO.search(valeur):
        annee, mois, jour = (int(x) for x in m.groups())
    else:
        raise ValueError
    return date(annee, mois, jour)


def _heure(valeur: str) -> time | None:
    if not valeur:
        return None
    m = HEURE.search(valeur)
    if not m:
        raise ValueError
    return time(int(m.group(1)), int(m.group(2) or 0))


def _cle_nom(nom: str, prenom: str) -> tuple[str, str]:
    return normaliser_entete(nom), normaliser_entete(prenom)


def _lire_ligne(valeurs, colonnes, repere, erreurs):
    """The cells of one row by field, checked; None when the row has an error (added to `erreurs`)."""

    def cellule(champ):
        index = colonnes.get(champ)
        return valeurs[index].strip() if index is not None and index < len(valeurs) else ""

    avant = len(erreurs)
    lu = {"ine": cellule("ine").upper(), "nom": " ".join(cellule("nom").split())}
    lu["prenom"] = " ".join(cellule("prenom").split())
    lu["classe"] = cellule("classe")
    for champ, longueur in (("ine", 11), ("nom", 150), ("prenom", 150), ("classe", 50)):
        if len(lu[champ]) > longueur:
            erreurs.append(Erreur(repere, LIBELLES[champ], f"Plus de {longueur} caractères."))
    if not lu["ine"] and not (lu["nom"] and lu["prenom"]):
        erreurs.append(Erreur(repere, "Élève", "Ni INE, ni nom et prénom : l’élève ne peut être reconnu."))
    for champ, obligatoire in (("date", True), ("date_naissance", False)):
        valeur = cellule(champ)
        lu[champ] = None
        if not valeur:
            if obligatoire:
                erreurs.append(Erreur(repere, LIBELLES[champ], "Valeur obligatoire absente."))
            continue
        try:
            lu[champ] = _date(valeur)
            if champ == "date":
                DatePlausible()(lu[champ])
        except ValueError:
            erreurs.append(Erreur(repere, LIBELLES[champ], f"Date illisible « {valeur[:20]} » (attendu JJ/MM/AAAA)."))
        except ValidationError as exc:
            erreurs.append(Erreur(repere, LIBELLES[champ], exc.messages[0]))
    for champ in ("heure_debut", "heure_fin"):
        valeur = cellule(champ)
        try:
            lu[champ] = _heure(valeur)
        except ValueError:
            lu[champ] = None
            erreurs.append(Erreur(repere, LIBELLES[champ], f"Heure illisible « {valeur[:20]} » (attendu HH:MM)."))
    if lu["heure_debut"] and lu["heure_fin"] and lu["heure_fin"] <= lu["heure_debut"]:
        erreurs.append(Erreur(repere, LIBELLES["heure_fin"], "L’heure de fin précède l’heure de début."))
    justifiee = normaliser_entete(cellule("justifiee"))
    if justifiee not in OUI | NON or (cellule("justifiee") and not justifiee):
        erreurs.append(
            Erreur(repere, LIBELLES["justifiee"], f"Valeur « {cellule('justifiee')[:20]} » : attendu oui ou non.")
        )
    lu["justifiee"] = justifiee in OUI
    return lu if len(erreurs) == avant else None


def _minutes(heure: time) -> int:
    return heure.hour * 60 + heure.minute


def _couvre(absence: Absence, seance: Seance) -> bool:
    """Whether the absence overlaps the séance (a séance without time, or an absence without times: the day)."""
    if seance.heure is None:
        return True
    debut = _minutes(absence.debut) if absence.debut else 0
    fin = _minutes(absence.fin) if absence.fin else 24 * 60
    seance_debut = _minutes(seance.heure)
    return debut < seance_debut + seance.duree and fin > seance_debut


def participations_absentes(*, etablissement, absences: list[Absence], verrouiller=False):
    """The participations to mark absent: the student's, at a séance planned that day their absence
    covers, still expected and not yet declared absent. Excused only if every absence covering it is."""
    if not absences:
        return []
    participations = (
        Participation.objects.filter(
            seance__dispositif__etablissement=etablissement,
            seance__statut=StatutSeance.PREVUE,
            seance__date__in={a.jour for a in absences},
            eleve__in={a.eleve.pk for a in absences},
            presence=Presence.ATTENDU,
            declaration_absence__isnull=True,
        )
        .select_related("seance__dispositif", "eleve")
        .order_by("seance__date", "seance__heure", "pk")
    )
    if verrouiller:
        participations = participations.select_for_update(of=("self",))
    a_marquer = []
    for participation in participations:
        couvrantes = [
            a
            for a in absences
            if a.eleve.pk == participation.eleve_id
            and a.jour == participation.seance.date
            and _couvre(a, participation.seance)
        ]
        if couvrantes:
            excusee = all(a.justifiee for a in couvrantes)
            a_marquer.append((participation, Presence.ABSENT_EXCUSE if excusee else Presence.ABSENT_NON_EXCUSE))
    return a_marquer


def analyser(*, etablissement, lignes, colonnes, verrouiller=False) -> Analyse:
    """Read every row with the mapping, match the students of the LP, and find the séances to mark.

    Students are matched by INE first, else by nom and prénom (with the birth date, then the
    class, to tell namesakes apart); an unknown student is listed, not an error.
    """
    analyse = Analyse()
    eleves = list(
        Eleve.objects.filter(etablissement=etablissement).only(
            "pk", "ine", "nom", "prenom", "date_naissance", "classe", "sexe"
        )
    )
    par_ine = {e.ine: e for e in eleves}
    par_nom, par_nom_complet = {}, {}
    for eleve in eleves:
        par_nom.setdefault(_cle_nom(eleve.nom, eleve.prenom), []).append(eleve)
        # One column « DUPRÉ Léa » (or « Léa Dupré ») for both, as some software exports it.
        for complet in {normaliser_entete(eleve.nom + eleve.prenom), normaliser_entete(eleve.prenom + eleve.nom)}:
            par_nom_complet.setdefault(complet, []).append(eleve)
    une_colonne = colonnes.get("nom") is not None and colonnes.get("nom") == colonnes.get("prenom")
    for ligne in lignes if isinstance(lignes, list) else []:
        numero, valeurs = ligne if isinstance(ligne, list) and len(ligne) == 2 else (0, [])
        repere = f"ligne {numero}"
        lu = _lire_ligne(valeurs if isinstance(valeurs, list) else [], colonnes, repere, analyse.erreurs)
        if lu is None:
            continue
        noms = (lu["nom"],) if une_colonne else (lu["nom"], lu["prenom"])
        qui = " ".join(x for x in (*noms, lu["ine"] and f"({lu['ine']})") if x)
        eleve = par_ine.get(lu["ine"]) if lu["ine"] else None
        if eleve is None and lu["nom"] and lu["prenom"]:
            if une_colonne:
                homonymes = par_nom_complet.get(normaliser_entete(lu["nom"]), [])
            else:
                homonymes = par_nom.get(_cle_nom(lu["nom"], lu["prenom"]), [])
            if lu["date_naissance"]:
                homonymes = [e for e in homonymes if e.date_naissance == lu["date_naissance"]]
            if len(homonymes) > 1 and lu["classe"]:
                homonymes = [e for e in homonymes if e.classe == lu["classe"]]
            if len(homonymes) > 1:
                analyse.inconnus.append((repere, qui, "Plusieurs élèves du lycée portent ce nom."))
                continue
            eleve = homonymes[0] if homonymes else None
        if eleve is None:
            analyse.inconnus.append((repere, qui, "Aucun élève du lycée ne correspond."))
            continue
        analyse.absences.append(Absence(repere, eleve, lu["date"], lu["heure_debut"], lu["heure_fin"], lu["justifiee"]))
    if not analyse.erreurs:
        analyse.a_marquer = participations_absentes(
            etablissement=etablissement, absences=analyse.absences, verrouiller=verrouiller
        )
    return analyse


# --- Writes --------------------------------------------------------------------------------


def _marquer(a_marquer, *, auteur, motif) -> tuple[int, int]:
    """Declare each absence through the séances' own path; returns (absences, emails queued)."""
    declarations = [
        services.absence_declarer(participation=participation, motif=motif, auteur=auteur, presence=presence)
        for participation, presence in a_marquer
    ]
    alertes = Notification.objects.filter(cle__in=[f"absence:{d.pk}" for d in declarations]).count()
    return len(declarations), alertes


def import_lire(*, etablissement, nom_fichier: str, contenu: bytes, user) -> ImportAbsences:
    """Read an export and keep it for the preview; raises FichierRefuse for a file refused whole."""
    entetes, lignes = lire(contenu)
    # Previews never confirmed should not keep students' data around (data minimisation).
    ImportAbsences.objects.filter(
        etablissement=etablissement, applique_le__isnull=True, cree_le__lt=timezone.now() - CONSERVATION_APERCU
    ).delete()
    return ImportAbsences.objects.create(
        etablissement=etablissement,
        nom_fichier=nom_fichier[:255],
        empreinte=hashlib.sha256(contenu).hexdigest(),
        entetes=entetes,
        lignes=lignes,
        cree_par=user,
    )


def colonnes_de(import_absences: ImportAbsences) -> dict[str, int | None]:
    correspondance = CorrespondanceAbsences.objects.filter(etablissement=import_absences.etablissement_id).first()
    entetes = import_absences.entetes if isinstance(import_absences.entetes, list) else []
    return colonnes_proposees([str(e) for e in entetes], correspondance)


@transaction.atomic
def import_appliquer(*, import_absences: ImportAbsences, auteur) -> dict:
    """Apply a kept export with the LP's mapping, all or nothing: one bad row and nothing is written.

    Returns the counts shown to the CPE (also kept on the import once its rows are emptied).
    """
    import_absences = ImportAbsences.objects.select_for_update().get(pk=import_absences.pk)
    if import_absences.applique_le is not None:
        raise ValidationError("Cet import a déjà été appliqué.")
    colonnes = colonnes_de(import_absences)
    if colonnes_manquantes(colonnes):
        raise ValidationError("Choisissez d’abord les colonnes de l’élève et de la date.")
    analyse = analyser(
        etablissement=import_absences.etablissement, lignes=import_absences.lignes, colonnes=colonnes, verrouiller=True
    )
    if analyse.erreurs:
        raise ValidationError("Le fichier contient des erreurs : rien n’a été enregistré.")
    absences, alertes = _marquer(analyse.a_marquer, auteur=auteur, motif=MOTIF_IMPORT)
    import_absences.resultat = {
        "lignes": len(import_absences.lignes),
        "inconnus": len(analyse.inconnus),
        "absences": absences,
        "alertes": alertes,
    }
    import_absences.applique_le = timezone.now()
    # Once applied, the copy of the file's rows has no more use.
    import_absences.lignes = []
    import_absences.save(update_fields=["resultat", "applique_le", "lignes"])
    return import_absences.resultat


def imports_oublier_eleve(*, etablissement_id, ine: str, nom: str, prenom: str) -> None:
    """Drop a student's rows from the LP's exports not yet applied (their anonymisation, RGPD).

    The mapping is not known yet for such a file: a row goes when one of its cells is the INE,
    or when its cells hold both the nom and the prénom.
    """
    ine, cle = ine.upper(), _cle_nom(nom, prenom)
    for kept in ImportAbsences.objects.filter(etablissement_id=etablissement_id, applique_le__isnull=True):
        gardees = []
        for ligne in kept.lignes if isinstance(kept.lignes, list) else []:
            cellules = [str(c) for c in ligne[1]] if isinstance(ligne, list) and len(ligne) == 2 else []
            normalisees = {normaliser_entete(c) for c in cellules}
            if ine in {c.strip().upper() for c in cellules} or {cle[0], cle[1]} <= normalisees:
                continue
            gardees.append(ligne)
        if gardees != kept.lignes:
            kept.lignes = gardees
            kept.save(update_fields=["lignes"])


# --- The daily list ------------------------------------------------------------------------


def seances_du_jour(seances, *, jour):
    """The séances planned on `jour` among `seances` (already scoped), with their students."""
    return (
        seances.filter(date=jour, statut=StatutSeance.PREVUE)
        .select_related("dispositif")
        .prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.filter(eleve__isnull=False)
                .select_related("eleve", "declaration_absence")
                .order_by("eleve__nom", "eleve__prenom", "pk"),
                to_attr="eleves",
            )
        )
        .order_by("heure", "pk")
    )


def appelables(seances) -> list[Participation]:
    """The students still expected (not declared absent) at these séances, whom the CPE may tick."""
    return [
        p
        for seance in seances
        for p in seance.eleves
        if p.presence == Presence.ATTENDU and not hasattr(p, "declaration_absence")
    ]


@transaction.atomic
def liste_valider(*, participations, absents: set[int], justifiees: set[int], auteur) -> tuple[int, int]:
    """Mark the ticked students absent (excused when ticked justified); returns (absences, emails queued).

    Rows are read again under lock: ticked twice (two tabs, a double click), an absence is declared once.
    """
    ids = [p.pk for p in participations if p.pk in absents]
    a_jour = (
        Participation.objects.select_for_update(of=("self",))
        .filter(pk__in=ids, presence=Presence.ATTENDU, declaration_absence__isnull=True)
        .select_related("seance__dispositif", "eleve")
        .order_by("pk")
    )
    a_marquer = [(p, Presence.ABSENT_EXCUSE if p.pk in justifiees else Presence.ABSENT_NON_EXCUSE) for p in a_jour]
    return _marquer(a_marquer, auteur=auteur, motif=MOTIF_LISTE)
