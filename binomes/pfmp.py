"""The PFMP periods of the LP's classes: entered one by one, or imported from a CSV.

The file has one period per line: classe ; début ; fin [; libellé], dates as dd/mm/yyyy
(the spreadsheet's usual French format). It is read like the other imports
(binomes/tableur.py: size, encodings, separators, headers), then applied all or nothing:
a single wrong line (a date, an end before a start, a period overlapping another of the
same class, in the file or already recorded) and nothing is written; every wrong line is
reported, in French.

The référent and the DDFPT (who organises the PFMP) manage them (PeriodePFMP.ROLES_ECRITURE).
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from etablissements.models import PeriodePFMP
from etablissements.models.dispositif import annee_scolaire_courante
from socle.validators import DATE_MIN, date_max_plausible

from . import tableur
from .models import Eleve
from .tableur import Erreur, FichierRefuse

MAX_LIGNES = 2000
ENTETES = {
    "classe": ("classe", "division", "codestructure", "structure"),
    "debut": ("debut", "datedebut", "datededebut", "du", "premierjour"),
    "fin": ("fin", "datefin", "datedefin", "au", "dernierjour"),
    "libelle": ("libelle", "intitule", "periode"),
}
LIBELLES = {"classe": "Classe", "debut": "Début", "fin": "Fin", "libelle": "Libellé"}
LONGUEUR_CLASSE = PeriodePFMP._meta.get_field("classe").max_length
LONGUEUR_LIBELLE = PeriodePFMP._meta.get_field("libelle").max_length

__all__ = ["FichierRefuse", "lire", "pfmp_enregistrer", "pfmp_importer", "pfmp_supprimer"]


@dataclass(frozen=True)
class Ligne:
    numero: int
    classe: str
    debut: date
    fin: date
    libelle: str


def _date(valeur: str) -> date | None:
    try:
        jour = datetime.strptime(valeur.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None
    return jour if DATE_MIN <= jour <= date_max_plausible() else None


def lire(contenu: bytes, *, etablissement) -> tuple[list[Ligne], list[Erreur]]:
    """The file's periods and its errors (each wrong line named); FichierRefuse for the whole file."""
    lignes, erreurs = [], []
    for numero, valeurs in tableur.lignes_csv(
        contenu,
        entetes=ENTETES,
        obligatoires=("classe", "debut", "fin"),
        libelles=LIBELLES,
        max_lignes=MAX_LIGNES,
        quoi="périodes",
        aide="La première ligne doit nommer les colonnes : Classe ; Début ; Fin ; Libellé (facultatif).",
    ):
        ici = f"ligne {numero}"
        avant = len(erreurs)
        classe, libelle = valeurs["classe"], valeurs["libelle"]
        if not classe:
            erreurs.append(Erreur(ici, "Classe", "La classe est obligatoire."))
        elif len(classe) > LONGUEUR_CLASSE:
            erreurs.append(Erreur(ici, "Classe", f"{LONGUEUR_CLASSE} caractères au plus."))
        if len(libelle) > LONGUEUR_LIBELLE:
            erreurs.append(Erreur(ici, "Libellé", f"{LONGUEUR_LIBELLE} caractères au plus."))
        debut, fin = _date(valeurs["debut"]), _date(valeurs["fin"])
        for champ, valeur, jour in (("Début", valeurs["debut"], debut), ("Fin", valeurs["fin"], fin)):
            if jour is None:
                erreurs.append(Erreur(ici, champ, f"« {valeur[:20]} » n’est pas une date jj/mm/aaaa plausible."))
        if debut and fin:
            if fin < debut:
                erreurs.append(Erreur(ici, "Fin", "Le dernier jour précède le premier."))
            elif annee_scolaire_courante(debut) != annee_scolaire_courante(fin):
                erreurs.append(Erreur(ici, "Fin", "Une PFMP tient dans une seule année scolaire."))
        if len(erreurs) == avant:
            lignes.append(Ligne(numero, classe, debut, fin, libelle))
    erreurs.extend(_chevauchements(lignes, etablissement))
    return lignes, erreurs


def _chevauchements(lignes: list[Ligne], etablissement) -> list[Erreur]:
    """Lines overlapping another line of the same class, or a period already recorded (one query)."""
    erreurs = []
    par_classe: dict[str, list[Ligne]] = {}
    for ligne in lignes:
        par_classe.setdefault(ligne.classe, []).append(ligne)
    if lignes:
        debut, fin = min(ligne.debut for ligne in lignes), max(ligne.fin for ligne in lignes)
        existantes = PeriodePFMP.objects.filter(
            etablissement=etablissement, classe__in=par_classe, debut__lte=fin, fin__gte=debut
        )
    else:
        existantes = []
    for periode in existantes:
        for ligne in par_classe[periode.classe]:
            if ligne.debut <= periode.fin and periode.debut <= ligne.fin:
                erreurs.append(
                    Erreur(f"ligne {ligne.numero}", "Début", f"Chevauche la période déjà saisie : {periode}.")
                )
    for classe, de_la_classe in par_classe.items():
        de_la_classe = sorted(de_la_classe, key=lambda ligne: ligne.debut)
        for avant, apres in zip(de_la_classe, de_la_classe[1:], strict=False):
            if apres.debut <= avant.fin:
                erreurs.append(
                    Erreur(
                        f"ligne {apres.numero}",
                        "Début",
                        f"Chevauche la ligne {avant.numero} (même classe {classe}).",
                    )
                )
    return sorted(erreurs, key=lambda e: int(e.ligne.split()[1]))


def pfmp_importer(*, etablissement, contenu: bytes) -> tuple[list[PeriodePFMP], list[Erreur]]:
    """Create every period of the file, or none: ([created], []) or ([], [errors]).

    Raises FichierRefuse for a file refused as a whole. The LP's periods are locked while
    they are checked and written, so two imports at once cannot overlap each other.
    """
    with transaction.atomic():
        # Serialise the imports of one LP: the overlap check reads what the other one writes.
        type(etablissement).objects.select_for_update().filter(pk=etablissement.pk).first()
        lignes, erreurs = lire(contenu, etablissement=etablissement)
        if erreurs:
            return [], erreurs
        if not lignes:
            raise FichierRefuse("Le fichier ne contient aucune période.")
        periodes = [
            PeriodePFMP(
                etablissement=etablissement,
                annee=annee_scolaire_courante(ligne.debut),
                classe=ligne.classe,
                debut=ligne.debut,
                fin=ligne.fin,
                libelle=ligne.libelle,
            )
            for ligne in lignes
        ]
        PeriodePFMP.objects.bulk_create(periodes)
    return periodes, []


def pfmp_enregistrer(*, periode: PeriodePFMP) -> PeriodePFMP:
    """Create or update one period, checked (overlaps included) under the LP's lock."""
    with transaction.atomic():
        type(periode.etablissement).objects.select_for_update().filter(pk=periode.etablissement_id).first()
        periode.full_clean()
        periode.save()
    return periode


def pfmp_supprimer(*, periode: PeriodePFMP) -> None:
    periode.delete()


def classes_connues(etablissement) -> list[str]:
    """The classes of the LP's students still there, suggested when a period is typed."""
    return list(
        Eleve.objects.filter(etablissement=etablissement, date_sortie__isnull=True)
        .exclude(classe="")
        .order_by("classe")
        .values_list("classe", flat=True)
        .distinct()
    )
