"""Right of access (RGPD art. 15): everything the application holds on one person, readable.

The export is a JSON document with French keys: every field of the person's record with
its label, then every related record. Each list is read in one query, so the export costs
the same number of queries however many records a person has.
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from bilans.models import ResultatEleve
from binomes.models import Binome, Eleve, Mentor, Proposition, Suspension
from seances.models import EntretienAbsence, JetonCalendrier, NoteMentor, Notification, Participation, Rappel

# A signalement's text is never exported, not even to the person it names: it speaks of a
# minor and of third parties, and may be passed to the authorities (art. 23 RGPD limits the
# right of access there). The export says that one exists nowhere; the chef, who controls the
# processing, answers a request about it in person, case by case.
NOTE_SIGNALEMENTS = (
    "Les signalements (canal de protection des élèves) ne figurent pas dans cet export : ils concernent "
    "des mineurs et des tiers. Une demande d’accès à leur sujet s’adresse au chef d’établissement, "
    "responsable de traitement, qui y répond au cas par cas."
)

NOTE_ENQUETES = (
    "Les réponses aux enquêtes de satisfaction sont anonymes : aucune n’est reliée à une personne, "
    "elles ne peuvent donc pas figurer dans cet export."
)


def _lisible(valeur):
    if isinstance(valeur, datetime):
        return timezone.localtime(valeur).strftime("%d/%m/%Y %H:%M") if timezone.is_aware(valeur) else str(valeur)
    if isinstance(valeur, date):
        return valeur.strftime("%d/%m/%Y")
    if isinstance(valeur, Decimal):
        return str(valeur)
    if isinstance(valeur, bool):
        return "oui" if valeur else "non"
    return valeur


def champs(obj, *, exclure=(), remplacer=None) -> dict:
    """Every concrete field of `obj` under its French label, with display values.

    A relation is shown by its text when it was fetched with the object (select_related),
    by its number otherwise: the export never runs one query per row.
    """
    remplacer = remplacer or {}
    donnees = {}
    for f in obj._meta.concrete_fields:
        if f.name in exclure:
            continue
        libelle = "numéro" if f.primary_key else str(f.verbose_name)
        if f.name in remplacer:
            valeur = remplacer[f.name](obj)
        elif f.choices:
            valeur = getattr(obj, f"get_{f.name}_display")() if getattr(obj, f.attname) not in ("", None) else ""
        elif f.is_relation:
            if f.is_cached(obj):
                lie = getattr(obj, f.name)
                valeur = str(lie) if lie is not None else None
            else:
                valeur = getattr(obj, f.attname)
        else:
            valeur = getattr(obj, f.attname)
        donnees[libelle] = _lisible(valeur)
    return donnees


def _dispositif(obj):
    return obj.dispositif.annee_scolaire


def _en_tete(personne, genre: str) -> dict:
    return {
        "document": f"Données personnelles détenues sur un {genre} (droit d’accès, article 15 du RGPD)",
        "établissement": f"{personne.etablissement.nom} ({personne.etablissement.uai})",
        "responsable de traitement": "Le chef d’établissement",
        "exporté le": _lisible(timezone.now()),
    }


def _participations(qs) -> list[dict]:
    lignes = []
    for p in qs.select_related("seance", "declaration_absence").order_by("seance__date", "pk"):
        ligne = {
            "séance": f"{p.seance.get_type_display()} du {p.seance.date:%d/%m/%Y}",
            "statut de la séance": p.seance.get_statut_display(),
            "présence": p.get_presence_display(),
        }
        declaration = getattr(p, "declaration_absence", None)
        if declaration is not None:
            ligne["absence annoncée"] = {
                "motif": declaration.motif,
                "déclarée le": _lisible(declaration.declaree_le),
            }
        lignes.append(ligne)
    return lignes


def _notifications(qs) -> list[dict]:
    return [
        champs(n, exclure=("seance", "donnees", "cle"), remplacer={})
        | {"séance": f"{n.seance.get_type_display()} du {n.seance.date:%d/%m/%Y}"}
        for n in qs.select_related("seance").order_by("creee_le", "pk")
    ]


def _notes(qs, *, exclure) -> list[dict]:
    return [
        champs(
            n,
            exclure=exclure,
            remplacer={"seance": lambda n: f"{n.seance.get_type_display()} du {n.seance.date:%d/%m/%Y}"},
        )
        for n in qs.select_related("seance", "mentor", "besoin_traite_par").order_by("seance__date", "pk")
    ]


def donnees_eleve(eleve: Eleve) -> dict:
    participations = Participation.objects.filter(eleve=eleve)
    return _en_tete(eleve, "élève") | {
        "fiche de l’élève": champs(eleve, exclure=("etablissement",)),
        "binômes": [
            champs(b, exclure=("eleve",), remplacer={"dispositif": _dispositif})
            for b in Binome.objects.filter(eleve=eleve).select_related("mentor", "dispositif", "fin_saisie_par")
        ],
        "présences aux séances": _participations(participations),
        # What the mentors of the student's binômes wrote after the séances the student attended.
        "notes des mentors après les séances": _notes(
            NoteMentor.objects.filter(seance__participations__eleve=eleve, mentor__binomes__eleve=eleve).distinct(),
            exclure=("besoin_traite_par",),
        ),
        "entretiens après une absence": [
            champs(e, exclure=("eleve",), remplacer={"seance": lambda e: f"séance du {e.seance.date:%d/%m/%Y}"})
            for e in EntretienAbsence.objects.filter(eleve=eleve).select_related("seance", "assigne_a")
        ],
        "résultats et insertion": [
            champs(r, exclure=("eleve",), remplacer={"dispositif": _dispositif})
            for r in ResultatEleve.objects.filter(eleve=eleve).select_related("dispositif")
        ],
        "propositions d’appariement": [
            champs(p, exclure=("eleve", "binome"), remplacer={"reunion": lambda p: str(p.reunion)})
            for p in Proposition.objects.filter(eleve=eleve).select_related("mentor", "reunion")
        ],
        "notifications envoyées à son sujet": _notifications(
            Notification.objects.filter(donnees__participation__in=list(participations.values_list("pk", flat=True)))
        ),
        "signalements": NOTE_SIGNALEMENTS,
        "enquêtes de satisfaction": NOTE_ENQUETES,
    }


def donnees_mentor(mentor: Mentor) -> dict:
    def eleve(obj):
        return f"élève n° {obj.eleve_id}"

    compte = mentor.user
    return _en_tete(mentor, "mentor") | {
        # With the facts of the person's one verification record (shared by the LPs they serve).
        "fiche du mentor": champs(mentor, exclure=("etablissement", "honorabilite"))
        | champs(mentor.honorabilite, exclure=("id", "email")),
        "compte de connexion": (
            {"adresse électronique": compte.email, "actif": _lisible(compte.is_active)} if compte else None
        ),
        "agenda personnel (lien iCalendar)": _lisible(JetonCalendrier.objects.filter(mentor=mentor).exists()),
        "binômes": [
            champs(b, exclure=("mentor",), remplacer={"dispositif": _dispositif, "eleve": eleve})
            for b in Binome.objects.filter(mentor=mentor).select_related("dispositif", "fin_saisie_par")
        ],
        "présences aux séances": _participations(Participation.objects.filter(mentor=mentor)),
        "notes après les séances": _notes(NoteMentor.objects.filter(mentor=mentor), exclure=("mentor",)),
        "propositions d’appariement": [
            champs(p, exclure=("mentor", "binome"), remplacer={"reunion": lambda p: str(p.reunion), "eleve": eleve})
            for p in Proposition.objects.filter(mentor=mentor).select_related("reunion")
        ],
        # Facts only (when, by whom, lifted when): never the signalement behind a suspension.
        "suspensions par le chef d’établissement": [
            champs(s, exclure=("mentor", "signalement"))
            for s in Suspension.objects.filter(mentor=mentor).select_related("par", "levee_par")
        ],
        "signalements": NOTE_SIGNALEMENTS,
        "notifications envoyées": _notifications(
            Notification.objects.filter(
                destinataire__iexact=mentor.email, seance__dispositif__etablissement_id=mentor.etablissement_id
            )
            if mentor.email
            else Notification.objects.none()
        ),
        "rappels de séance": [
            {
                "séance": f"{r.seance.get_type_display()} du {r.seance.date:%d/%m/%Y}",
                "destinataire": r.destinataire,
                "envoyé le": _lisible(r.envoye_le),
                "réponse": r.get_reponse_display() or "—",
            }
            for r in Rappel.objects.filter(mentor=mentor).select_related("seance").order_by("cree_le", "pk")
        ],
        "enquêtes de satisfaction": NOTE_ENQUETES,
    }
