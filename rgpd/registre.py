"""The record of processing activities (RGPD art. 30), pre-filled for one LP.

Durations come from the settings that the retention job and the log purge really apply,
so the record says what the application does.
"""

from django.conf import settings

from etablissements.models import Affectation, Dispositif
from socle.roles import Role


def _duree(jours: int) -> str:
    return f"{jours} jours"


def durees() -> dict:
    return {
        "eleves": (
            f"{_duree(settings.RETENTION_ELEVES_JOURS)} après la sortie de l’établissement, ou après le 31 août "
            "qui clôt la dernière année scolaire où l’élève avait un binôme ; puis anonymisation automatique "
            "(les indicateurs agrégés des années passées sont conservés)."
        ),
        "mentors": (
            f"{_duree(settings.RETENTION_MENTORS_JOURS)} après la fin du dernier binôme du mentor ; puis "
            "anonymisation automatique, faits d’honorabilité compris."
        ),
        "journal": f"{_duree(settings.JOURNAL_CONSERVATION_JOURS)}, puis suppression automatique.",
    }


def registre(etablissement) -> dict:
    """Everything the registre page shows for `etablissement`, in three queries."""
    personnes = Affectation.objects.filter(etablissement=etablissement, role__in=[Role.CHEF, Role.REFERENT])
    personnes = personnes.select_related("user").order_by("role", "user__nom", "user__email")
    chefs = [a.user for a in personnes if a.role == Role.CHEF]
    referents = [a.user for a in personnes if a.role == Role.REFERENT]
    dispositif = (
        Dispositif.objects.filter(etablissement=etablissement).select_related("partenaire").order_by("-annee").first()
    )
    partenaire = dispositif.partenaire if dispositif else None
    d = durees()
    destinataires_programme = [
        "le chef d’établissement, le référent mentorat, le DDFPT, le RBDE et le CPE du lycée (selon leur rôle)",
        "le coordonnateur des mentors de l’association partenaire"
        + (f" ({partenaire.nom})" if partenaire else "")
        + ", pour les élèves et mentors de ses binômes",
        "chaque mentor, pour son seul binôme",
        "le pilotage académique : indicateurs agrégés seulement, aucun nom",
        "le pilotage national : indicateurs agrégés par académie seulement, ni nom ni lycée",
    ]
    securite = [
        "accès nominatif par compte personnel, blocage après échecs de connexion, fin de session après inactivité",
        "cloisonnement par établissement et par rôle : un lycée ne voit jamais les données d’un autre",
        "journal des consultations de fiches, exports et téléchargements, lu par le chef d’établissement",
        "chiffrement des échanges (HTTPS), en-têtes de sécurité, aucune ressource chargée depuis l’extérieur",
        "honorabilité des mentors enregistrée comme un fait (statut, date, modalité), jamais d’extrait de casier",
        "anonymisation automatique à l’échéance des durées de conservation",
    ]
    traitements = [
        {
            "nom": "Conduite du dispositif de mentorat",
            "finalites": [
                "identifier les élèves volontaires et recueillir l’accord des responsables légaux",
                "recruter les mentors et vérifier leur honorabilité",
                "former les binômes, planifier et suivre les séances et les absences",
            ],
            "base_legale": "Mission d’intérêt public (article 6.1.e du RGPD) : accompagnement des élèves de voie "
            "professionnelle (fiche 3 du ministère).",
            "personnes": [
                "élèves du lycée (souvent mineurs)",
                "mentors bénévoles",
                "personnels du lycée et de l’association",
            ],
            "donnees": [
                "élèves : nom, prénom, sexe, date de naissance, INE, classe, formation, statut de volontaire, "
                "besoins exprimés, disponibilités, présences, entretiens après absence, notes des mentors après les "
                "séances (lues par le référent et le coordonnateur) — aucune donnée de santé "
                "ni de situation familiale",
                "mentors : nom, prénom, coordonnées, employeur, métier, compétences, disponibilités, faits "
                "d’honorabilité (statut, date, modalité, échéance)",
                "personnels : nom, adresse électronique professionnelle, rôle",
            ],
            "destinataires": destinataires_programme,
            "durees": [f"élèves : {d['eleves']}", f"mentors : {d['mentors']}"],
        },
        {
            "nom": "Bilan du dispositif",
            "finalites": [
                "calculer les indicateurs de la fiche (assiduité, abandons, réussite, insertion)",
                "produire le rapport annuel et les exports pour le pilotage",
            ],
            "base_legale": "Mission d’intérêt public (article 6.1.e du RGPD).",
            "personnes": ["élèves accompagnés", "mentors"],
            "donnees": [
                "résultats aux examens et situation après la formation des élèves accompagnés",
                "réponses anonymes aux enquêtes de satisfaction (aucun lien avec une personne)",
            ],
            "destinataires": [
                "l’équipe du lycée",
                "le pilotage académique : indicateurs et rapport sans aucun nom",
                "le pilotage national : indicateurs agrégés par académie, sans aucun nom ni chiffre de lycée",
            ],
            "durees": [f"résultats nominatifs : {d['eleves']}", "indicateurs agrégés : durée du dispositif"],
        },
        {
            "nom": "Signalements (protection des élèves)",
            "finalites": [
                "recueillir, sans compte, ce qu’un élève, un parent, un mentor ou un personnel signale "
                "d’inquiétant pour la sécurité d’un élève",
                "suspendre sans délai un mentor, jusqu’à une nouvelle vérification de son honorabilité",
            ],
            "base_legale": "Mission d’intérêt public (article 6.1.e du RGPD) : protection des mineurs accueillis.",
            "personnes": ["élèves", "responsables légaux", "mentors", "personnels"],
            "donnees": [
                "le texte du signalement, la qualité du déclarant (élève, parent…), un moyen de le recontacter "
                "s’il le donne, le mentor ou le binôme concerné, les dates",
                "la suspension d’un mentor : date, auteur, date de la nouvelle vérification qui l’a levée",
            ],
            "destinataires": [
                "le chef d’établissement et le référent mentorat seuls — jamais d’export, ni l’académie, "
                "ni le rapport annuel",
            ],
            "durees": [
                "aucune suppression automatique à ce jour : le chef d’établissement en décide ; un signalement "
                "transmis aux autorités relève de leurs propres règles",
            ],
        },
        {
            "nom": "Journal des accès aux données",
            "finalites": ["tracer qui a consulté ou exporté des données personnelles (responsabilité, art. 5.2)"],
            "base_legale": "Obligation légale de sécurité du traitement (article 32 du RGPD).",
            "personnes": ["personnels et partenaires utilisateurs de l’application"],
            "donnees": ["compte, date, action, objet consulté, adresse de la page"],
            "destinataires": ["le chef d’établissement"],
            "durees": [d["journal"]],
        },
    ]
    return {
        "etablissement": etablissement,
        "chefs": chefs,
        "referents": referents,
        "partenaire": partenaire,
        "traitements": traitements,
        "securite": securite,
    }
