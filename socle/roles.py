"""The vocabulary of roles (cahier des charges §1) and what each may do.

Only values live here: who holds which role where is stored by the `etablissements`
app (Affectation), which sits above this one.
"""

from django.db import models


class Role(models.TextChoices):
    REFERENT = "referent", "Référent mentorat"
    CHEF = "chef", "Chef d’établissement"
    DDFPT = "ddfpt", "DDFPT"
    RBDE = "rbde", "Responsable du bureau des entreprises (RBDE)"
    CPE = "cpe", "CPE / vie scolaire"
    PERSONNEL = "personnel", "Autre personnel (enseignant, AED, assistante sociale, infirmière…)"
    COORDONNATEUR = "coordonnateur", "Coordonnateur des mentors (partenaire)"
    MENTOR = "mentor", "Mentor"
    PILOTAGE = "pilotage", "Pilotage académique"


# Roles held on one établissement (the others are held on a partenaire or an académie).
ROLES_ETABLISSEMENT = frozenset(
    {Role.REFERENT, Role.CHEF, Role.DDFPT, Role.RBDE, Role.CPE, Role.PERSONNEL, Role.MENTOR}
)

# Who reads the programme's nominative data of an LP.
LECTURE_PROGRAMME = frozenset({Role.REFERENT, Role.CHEF, Role.DDFPT, Role.RBDE, Role.CPE, Role.COORDONNATEUR})
# Who manages the programme (the référent "may do everything about the programme of their LP").
GESTION_PROGRAMME = frozenset({Role.REFERENT})
# Who validates the cadrage and the convention.
VALIDATION = frozenset({Role.CHEF})
# Who manages the companies of the LP's network.
GESTION_ENTREPRISES = frozenset({Role.REFERENT, Role.DDFPT, Role.RBDE})
# Who declares student absences and holds absence interviews.
VIE_SCOLAIRE = frozenset({Role.REFERENT, Role.CPE})
# Who logs séances, attendance and mentors for the partner.
SUIVI_PARTENAIRE = frozenset({Role.REFERENT, Role.COORDONNATEUR})
# Who sees an LP's dashboard (aggregates).
TABLEAU_DE_BORD = frozenset({Role.REFERENT, Role.CHEF, Role.DDFPT, Role.RBDE, Role.CPE, Role.COORDONNATEUR})
