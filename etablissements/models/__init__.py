"""The models of etablissements, one module per topic.

Django finds an app's models in its `models` module: every model is imported here, and only
the models (their choices, constants and helpers are imported from their own module).
"""

from .affectation import Affectation
from .budget import LigneBudget
from .cadrage import Comite, VersionCadrage
from .communication import PagePublique
from .convention import Avenant, Convention
from .diagnostic import Diagnostic
from .dispositif import Dispositif
from .equipe import MembreEquipe
from .etablissement import Academie, Etablissement, Formation
from .historique import Modification
from .invitation import Invitation
from .jalon import Jalon
from .partenaire import Entreprise, Partenaire
from .pfmp import PeriodePFMP

__all__ = [
    "Academie",
    "Affectation",
    "Avenant",
    "Comite",
    "Convention",
    "Diagnostic",
    "Dispositif",
    "Entreprise",
    "Etablissement",
    "Formation",
    "Invitation",
    "Jalon",
    "LigneBudget",
    "MembreEquipe",
    "Modification",
    "PagePublique",
    "Partenaire",
    "PeriodePFMP",
    "VersionCadrage",
]
