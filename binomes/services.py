"""Writes of the binomes app: SIECLE import, pairing, binôme lifecycle.

Each service takes keyword-only arguments, runs in one transaction and raises
`ValidationError` with a French message when a rule forbids the change, whoever calls it.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from socle.formats import compte

from . import appariement, siecle, tableur
from .evenements import ecrits_en_masse
from .models import (
    STATUTS_VIVANTS,
    Binome,
    Eleve,
    ImportSiecle,
    Mentor,
    Proposition,
    ReunionAppariement,
    StatutBinome,
    StatutEleve,
    StatutHonorabilite,
    StatutProposition,
    Suspension,
)
from .objectifs import objectifs_depuis_texte

# --- Pairing rules ---------------------------------------------------------------------------


def raison_suspendu(mentor: Mentor) -> str | None:
    """Why a suspended mentor can take no student and no séance (one query), or None."""
    suspension = Suspension.objects.en_cours().filter(mentor=mentor).first()
    if suspension is None:
        return None
    return (
        f"{mentor} est suspendu par le chef d’établissement depuis le {suspension.date_debut:%d/%m/%Y} : "
        "aucun binôme ni aucune séance ne peut l’inclure tant que la suspension n’est pas levée."
    )


def raison_inapte(mentor: Mentor, *, le: date | None = None, ignorer: Binome | None = None) -> str | None:
    """Why `mentor` cannot take a new student today, or None when they can."""
    le = le or timezone.localdate()
    if mentor.honorabilite.statut == StatutHonorabilite.REFUSEE:
        return f"L’honorabilité de {mentor} a été refusée : aucun appariement n’est possible."
    if mentor.honorabilite.statut != StatutHonorabilite.VERIFIEE:
        return f"L’honorabilité de {mentor} n’est pas vérifiée : l’appariement attend cette vérification."
    if not mentor.honorabilite_valide(le=le):
        return f"La vérification d’honorabilité de {mentor} a expiré le {mentor.honorabilite.expiration:%d/%m/%Y}."
    if ignorer is None:
        occupees = mentor.places_occupees()
    else:
        occupees = mentor.binomes.filter(statut__in=STATUTS_VIVANTS).exclude(pk=ignorer.pk).count()
    if occupees >= mentor.capacite:
        return f"{mentor} accompagne déjà {compte(mentor.capacite, 'élève')}, sa capacité maximale."
    return None


@transaction.atomic
def binome_creer(*, dispositif, mentor: Mentor, eleve: Eleve, date_debut=None, date_fin_prevue=None, objectifs=""):
    """Create a proposed binôme; refuses a mentor without valid honorabilité or at capacity,
    and a student who is not eligible (`Eleve.objects.eligibles()`), whatever the entry point."""
    # Lock the mentor so two concurrent pairings cannot both take their last place.
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if not (mentor.etablissement_id == eleve.etablissement_id == dispositif.etablissement_id):
        raise ValidationError("Le mentor, l’élève et le dispositif doivent relever du même lycée.")
    raison = raison_suspendu(mentor) or raison_inapte(mentor)
    if raison:
        raise ValidationError(raison)
    # Read again: the agreement may have been withdrawn since the page was shown.
    eleve = Eleve.objects.get(pk=eleve.pk)
    if eleve.date_sortie:
        raise ValidationError(f"{eleve} a quitté l’établissement : pas de nouveau binôme.")
    raison = eleve.raison_non_eligible()
    if raison:
        raise ValidationError(raison)
    if Binome.objects.filter(eleve=eleve, statut__in=STATUTS_VIVANTS).exists():
        raise ValidationError(f"{eleve} a déjà un binôme en cours : terminez-le ou rompez-le d’abord.")
    binome = Binome.objects.create(
        dispositif=dispositif,
        mentor=mentor,
        eleve=eleve,
        statut=StatutBinome.PROPOSE,
        date_debut=date_debut,
        date_fin_prevue=date_fin_prevue,
    )
    # The objectives are followed one by one from now on (binomes.objectifs), one per line typed.
    objectifs_depuis_texte(binome=binome, texte=objectifs)
    return binome


# --- Binôme lifecycle --------------------------------------------------------------------------

TRANSITIONS = {
    "activer": ({StatutBinome.PROPOSE, StatutBinome.SUSPENDU}, StatutBinome.ACTIF),
    "suspendre": ({StatutBinome.ACTIF}, StatutBinome.SUSPENDU),
    "terminer": ({StatutBinome.ACTIF, StatutBinome.SUSPENDU}, StatutBinome.TERMINE),
    "rompre": ({StatutBinome.PROPOSE, StatutBinome.ACTIF, StatutBinome.SUSPENDU}, StatutBinome.ROMPU),
}


def _transition(binome: Binome, verbe: str) -> Binome:
    binome = Binome.objects.select_for_update().select_related("mentor").get(pk=binome.pk)
    depuis, vers = TRANSITIONS[verbe]
    if binome.statut not in depuis:
        raise ValidationError(
            f"Un binôme « {binome.get_statut_display().lower()} » ne peut pas passer à « {vers.label.lower()} »."
        )
    binome.statut = vers
    return binome


@transaction.atomic
def binome_activer(*, binome: Binome, date_debut: date | None = None) -> Binome:
    binome = _transition(binome, "activer")
    raison = raison_suspendu(binome.mentor)
    if raison:
        raise ValidationError(raison)
    if not binome.mentor.honorabilite_valide():
        raise ValidationError(raison_inapte(binome.mentor, ignorer=binome) or "Honorabilité non valide.")
    binome.date_debut = binome.date_debut or date_debut or timezone.localdate()
    binome.save(update_fields=["statut", "date_debut"])
    return binome


@transaction.atomic
def binome_suspendre(*, binome: Binome) -> Binome:
    binome = _transition(binome, "suspendre")
    binome.save(update_fields=["statut"])
    return binome


def _finir(binome, verbe, *, motif, le, par):
    binome = _transition(binome, verbe)
    binome.date_fin = le or timezone.localdate()
    binome.motif_fin = motif
    binome.fin_saisie_par = par
    binome.save(update_fields=["statut", "date_fin", "motif_fin", "fin_saisie_par"])
    return binome


@transaction.atomic
def binome_terminer(*, binome: Binome, par, le: date | None = None, motif: str = "") -> Binome:
    return _finir(binome, "terminer", motif=motif, le=le, par=par)


@transaction.atomic
def binome_rompre(*, binome: Binome, motif: str, par, le: date | None = None) -> Binome:
    """End a pair early. The row stays (history); a new pair may then be created."""
    if not (motif or "").strip():
        raise ValidationError("Indiquez le motif de la rupture.")
    return _finir(binome, "rompre", motif=motif.strip(), le=le, par=par)


# --- Pairing meeting ---------------------------------------------------------------------------


@transaction.atomic
def reunion_calculer_propositions(*, reunion: ReunionAppariement, eleves, mentors) -> list[Proposition]:
    """Replace the pending proposals of `reunion` by the optimal assignment of the group.

    Mentors who cannot be paired (honorabilité, capacity) are left out; decided proposals stay.
    A student who is not eligible is refused: nothing is proposed for them.
    """
    eleves = list(eleves)
    for eleve in eleves:
        raison = eleve.raison_non_eligible()
        if raison:
            raise ValidationError(raison)
    mentors = list(mentors)
    reunion.eleves.set(eleves)
    reunion.mentors.set(mentors)
    reunion.propositions.filter(statut=StatutProposition.PROPOSEE).delete()
    suspendus = set(Suspension.objects.en_cours().filter(mentor__in=mentors).values_list("mentor_id", flat=True))
    aptes = [m for m in mentors if m.pk not in suspendus and raison_inapte(m) is None]
    places = [m.places_restantes() for m in aptes]
    scores = [[appariement.score(e, m) for m in aptes] for e in eleves]
    choix = appariement.affectation_optimale([[s.points for s in ligne] for ligne in scores], places)
    return Proposition.objects.bulk_create(
        Proposition(
            reunion=reunion,
            eleve=eleves[i],
            mentor=aptes[j],
            score=scores[i][j].points,
            raisons=list(scores[i][j].raisons),
        )
        for i, j in choix
    )


def _decider(proposition: Proposition) -> Proposition:
    proposition = Proposition.objects.select_for_update().select_related("reunion__dispositif").get(pk=proposition.pk)
    if proposition.statut != StatutProposition.PROPOSEE:
        raise ValidationError("Cette proposition a déjà été traitée.")
    return proposition


@transaction.atomic
def proposition_accepter(*, proposition: Proposition) -> Binome:
    proposition = _decider(proposition)
    binome = binome_creer(dispositif=proposition.reunion.dispositif, mentor=proposition.mentor, eleve=proposition.eleve)
    proposition.statut, proposition.binome = StatutProposition.ACCEPTEE, binome
    proposition.save(update_fields=["statut", "binome"])
    return binome


@transaction.atomic
def proposition_changer(*, proposition: Proposition, mentor: Mentor) -> Binome:
    """Staff pick another mentor for the student; the proposal keeps the mentor first proposed."""
    proposition = _decider(proposition)
    binome = binome_creer(dispositif=proposition.reunion.dispositif, mentor=mentor, eleve=proposition.eleve)
    proposition.statut, proposition.binome = StatutProposition.MODIFIEE, binome
    proposition.save(update_fields=["statut", "binome"])
    return binome


@transaction.atomic
def proposition_rejeter(*, proposition: Proposition) -> Proposition:
    proposition = _decider(proposition)
    proposition.statut = StatutProposition.REJETEE
    proposition.save(update_fields=["statut"])
    return proposition


# --- Students ----------------------------------------------------------------------------------


@transaction.atomic
def eleve_proposer(*, eleve: Eleve, par, identifie_par: str, cadre_identification: str = "", retenir: bool) -> Eleve:
    """A member of staff identifies a student already known to the LP (SIECLE import) for mentoring.

    The référent's proposal retains the student at once (`retenir`); anyone else's waits for the
    référent's confirmation. Only a student not yet identified may be proposed.
    """
    eleve = Eleve.objects.select_for_update().get(pk=eleve.pk)
    if eleve.statut != StatutEleve.INSCRIT:
        raise ValidationError(f"{eleve} est déjà {eleve.statut_libelle.lower()}.")
    if eleve.date_sortie:
        raise ValidationError(f"{eleve} a quitté l’établissement.")
    eleve.statut = StatutEleve.RETENU if retenir else StatutEleve.PROPOSE
    eleve.propose_par = par
    eleve.identifie_par = identifie_par
    eleve.cadre_identification = cadre_identification
    eleve.save(update_fields=["statut", "propose_par", "identifie_par", "cadre_identification"])
    return eleve


@transaction.atomic
def eleve_confirmer(*, eleve: Eleve) -> Eleve:
    if eleve.statut != StatutEleve.PROPOSE:
        raise ValidationError("Seul un élève proposé peut être confirmé.")
    eleve.statut = StatutEleve.RETENU
    eleve.save(update_fields=["statut"])
    return eleve


# --- SIECLE import -----------------------------------------------------------------------------


@dataclass
class Apercu:
    creer: list[dict] = field(default_factory=list)
    mettre_a_jour: list[tuple[dict, list[str]]] = field(default_factory=list)
    inchanges: list[dict] = field(default_factory=list)
    sortis: list[dict] = field(default_factory=list)

    @property
    def nb_modifications(self):
        return len(self.creer) + len(self.mettre_a_jour)


CONSERVATION_APERCU = tableur.CONSERVATION_APERCU
CHAMPS_IMPORTES = ("nom", "prenom", "sexe", "date_naissance", "classe", "code_mef", "date_sortie")


def _valeurs(eleve: Eleve) -> dict:
    return {
        "nom": eleve.nom,
        "prenom": eleve.prenom,
        "sexe": eleve.sexe,
        "date_naissance": eleve.date_naissance.isoformat(),
        "classe": eleve.classe,
        "code_mef": eleve.code_mef,
        "date_sortie": eleve.date_sortie.isoformat() if eleve.date_sortie else "",
    }


def import_apercu(*, etablissement, lignes: list[dict]) -> Apercu:
    """What applying `lignes` would do, matched on INE: create, update, leave unchanged."""
    existants = {
        e.ine: e for e in Eleve.objects.filter(etablissement=etablissement, ine__in=[x["ine"] for x in lignes])
    }
    apercu = Apercu()
    for ligne in lignes:
        eleve = existants.get(ligne["ine"])
        if eleve is None:
            apercu.creer.append(ligne)
        else:
            actuel = _valeurs(eleve)
            changes = [siecle.LIBELLES[c] for c in CHAMPS_IMPORTES if actuel[c] != ligne[c]]
            if changes:
                apercu.mettre_a_jour.append((ligne, changes))
            else:
                apercu.inchanges.append(ligne)
        if ligne["date_sortie"]:
            apercu.sortis.append(ligne)
    return apercu


def import_lire(*, etablissement, annee: int, nom_fichier: str, contenu: bytes, user):
    """Parse an uploaded export and keep it for confirmation.

    Returns (ImportSiecle or None, errors). A refused file raises siecle.FichierRefuse;
    a file with any bad line is not kept (nothing to confirm) and its errors are returned.
    """
    lecture = siecle.lire(nom_fichier, contenu, annee=annee)
    if lecture.format == "xml" and not lecture.uai:
        raise siecle.FichierRefuse("Le fichier ne porte pas le code UAI de l’établissement (PARAMETRES/UAJ).")
    if lecture.uai and lecture.uai != etablissement.uai:
        raise siecle.FichierRefuse(
            f"Ce fichier est celui de l’établissement {lecture.uai}, pas de {etablissement} ({etablissement.uai})."
        )
    if lecture.format == "xml" and lecture.annee is None:
        raise siecle.FichierRefuse("Le fichier ne porte pas d’année scolaire lisible (PARAMETRES/ANNEE_SCOLAIRE).")
    if lecture.annee is not None and lecture.annee != annee:
        raise siecle.FichierRefuse(
            f"Ce fichier est celui de l’année scolaire {lecture.annee}-{lecture.annee + 1}, "
            f"pas de l’année en cours ({annee}-{annee + 1})."
        )
    if lecture.erreurs:
        return None, lecture.erreurs
    if not lecture.lignes:
        raise siecle.FichierRefuse("Le fichier ne contient aucun élève.")
    # Previews never confirmed should not keep students' data around (data minimisation).
    ImportSiecle.objects.filter(
        etablissement=etablissement, applique_le__isnull=True, cree_le__lt=timezone.now() - CONSERVATION_APERCU
    ).delete()
    import_siecle = ImportSiecle.objects.create(
        etablissement=etablissement,
        nom_fichier=nom_fichier[:255],
        empreinte=hashlib.sha256(contenu).hexdigest(),
        annee=annee,
        lignes=lecture.lignes,
        cree_par=user,
    )
    return import_siecle, []


@transaction.atomic
def import_appliquer(*, import_siecle: ImportSiecle) -> Apercu:
    """Apply a kept import, all or nothing; validated again since the preview was shown."""
    import_siecle = ImportSiecle.objects.select_for_update().get(pk=import_siecle.pk)
    if import_siecle.applique_le is not None:
        raise ValidationError("Cet import a déjà été appliqué.")
    lignes = []
    for ligne in import_siecle.lignes if isinstance(import_siecle.lignes, list) else [None]:
        propre, erreurs = siecle.valider_ligne(ligne if isinstance(ligne, dict) else {}, import_siecle.annee)
        if erreurs:
            raise ValidationError("L’import conservé n’est plus valide : déposez le fichier à nouveau.")
        lignes.append(propre)
    etablissement = import_siecle.etablissement
    apercu = import_apercu(etablissement=etablissement, lignes=lignes)

    def champs(ligne):
        valeurs = {c: ligne[c] for c in CHAMPS_IMPORTES}
        valeurs["date_naissance"] = date.fromisoformat(valeurs["date_naissance"])
        valeurs["date_sortie"] = date.fromisoformat(valeurs["date_sortie"]) if valeurs["date_sortie"] else None
        return valeurs

    Eleve.objects.bulk_create(
        Eleve(etablissement=etablissement, ine=ligne["ine"], statut=StatutEleve.INSCRIT, **champs(ligne))
        for ligne in apercu.creer
    )
    for ligne, _changes in apercu.mettre_a_jour:
        Eleve.objects.filter(etablissement=etablissement, ine=ligne["ine"]).update(**champs(ligne))
    # Every student the export lists is in the LP that school year (the year change reads it).
    Eleve.objects.filter(etablissement=etablissement, ine__in=[ligne["ine"] for ligne in lignes]).update(
        annee_siecle=import_siecle.annee
    )
    ecrits_en_masse.send(sender=Eleve, etablissement_id=etablissement.pk)
    import_siecle.applique_le = timezone.now()
    # Once applied, the copy of the file's rows has no more use.
    import_siecle.lignes = []
    import_siecle.save(update_fields=["applique_le", "lignes"])
    return apercu
