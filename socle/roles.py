"""The vocabulary of roles (cahier des charges §1) and what each may do.

Only values live here: who holds which role where is stored by the `etablissements`
app (Affectation), which sits above this one.
"""

from django.db import models


class Role(models.TextChoices):
    REFERENT = "referent", "Référent mentorat"
    CHEF = "chef", "Chef d’établissement"
    CHEF_ADJOINT = "chef_adjoint", "Chef d’établissement adjoint"
    DDFPT = "ddfpt", "DDFPT"
    RBDE = "rbde", "Responsable du bureau des entreprises (RBDE)"
    CPE = "cpe", "CPE / vie scolaire"
    PERSONNEL = "personnel", "Autre personnel (enseignant, AED, assistante sociale, infirmière…)"
    COORDONNATEUR = "coordonnateur", "Coordonnateur des mentors (partenaire)"
    RESPONSABLE = "responsable", "Responsable de l’association partenaire"
    MENTOR = "mentor", "Mentor"
    PILOTAGE = "pilotage", "Pilotage académique"
    ADMIN_ACADEMIQUE = "admin_academique", "Administrateur académique"
    PILOTAGE_NATIONAL = "pilotage_national", "Pilotage national"


# Roles held on one établissement (the others are held on a partenaire, an académie or the country).
ROLES_ETABLISSEMENT = frozenset(
    {Role.REFERENT, Role.CHEF, Role.CHEF_ADJOINT, Role.DDFPT, Role.RBDE, Role.CPE, Role.PERSONNEL, Role.MENTOR}
)
# Roles held on a partner association, and on an académie.
ROLES_PARTENAIRE = frozenset({Role.COORDONNATEUR, Role.RESPONSABLE})
ROLES_ACADEMIE = frozenset({Role.PILOTAGE, Role.ADMIN_ACADEMIQUE})
# Roles held on the whole country: no LP, no association, no académie (aggregates per académie only).
ROLES_NATIONAUX = frozenset({Role.PILOTAGE_NATIONAL})

# Who reads the programme's nominative data of an LP.
LECTURE_PROGRAMME = frozenset(
    {Role.REFERENT, Role.CHEF, Role.CHEF_ADJOINT, Role.DDFPT, Role.RBDE, Role.CPE, Role.COORDONNATEUR}
)
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
# Who hands out the attestations of a pair (the student's) and the référent's summary for the PACTE.
ATTESTATIONS = frozenset({Role.REFERENT, Role.CHEF})
# Who sees an LP's dashboard (aggregates).
TABLEAU_DE_BORD = frozenset(
    {Role.REFERENT, Role.CHEF, Role.CHEF_ADJOINT, Role.DDFPT, Role.RBDE, Role.CPE, Role.COORDONNATEUR}
)

# Who brings staff into an LP (invitations, withdrawals), and which roles they hand out there.
# The chef is brought in by the académie's administrator; mentors by the partner's coordinators
# (with their mentor record) or the référent; coordinators by their association's responsable.
GESTION_ACCES_LP = frozenset({Role.CHEF, Role.CHEF_ADJOINT, Role.REFERENT})
ROLES_INVITES_PAR_LE_LP = (
    Role.REFERENT,
    Role.CHEF_ADJOINT,
    Role.DDFPT,
    Role.RBDE,
    Role.CPE,
    Role.PERSONNEL,
)

# Who reads the safeguarding reports (signalements) of an LP and handles them: the chef and
# the référent only. Not the chef adjoint: the issue names two people, and a report about a
# minor's safety goes to as few readers as possible (the chef delegates in person if absent).
SIGNALEMENTS = frozenset({Role.CHEF, Role.REFERENT})
# Who suspends a mentor at once, and lifts the suspension after a new honorabilité check.
SUSPENSION_MENTOR = VALIDATION
# Who files a signalement from the app: anyone working with the LP's students.
DEPOT_SIGNALEMENT = ROLES_ETABLISSEMENT | {Role.COORDONNATEUR}
