"""Cloisonnement: the one mechanism by which every view reaches its objects.

`perimetre(user)` says which roles a user holds on which établissement, computed once
per request. Each scoped model declares the path to its établissement and the roles
that may read and write it; `Model.objects.for_user(user)` keeps only what those roles
reach, and `get_for_user()` answers 404 to outsiders and 403 to readers who write.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404

from socle.requetes import RequeteCompilee
from socle.roles import Role


def _affectations(user_id):
    # The affectation model through the user model's relation: this module imports no model class.
    affectations = get_user_model()._meta.get_field("affectations").related_model.objects
    return affectations.filter(user_id=user_id).values_list(
        "role", "etablissement_id", "partenaire_id", "academie_id", "partenaire__conventions__dispositif__etablissement"
    )


# Read on every signed-in page: compiled once (socle.requetes).
_AFFECTATIONS = RequeteCompilee(_affectations, int)


class Perimetre:
    """The établissements a user reaches, with the roles held on each."""

    def __init__(self, user):
        # Read through the user's affectations and their relations, not the model classes:
        # the models build their querysets from this module, which therefore imports none.
        self.roles: dict[int, set[str]] = {}
        # Roles held on partner associations and on académies, by id.
        self.roles_partenaires: dict[int, set[str]] = {}
        self.roles_academies: dict[int, set[str]] = {}
        # Roles held on the whole country (national pilots): aggregates per académie, no LP.
        self.roles_nationaux: set[str] = set()
        if not (user and user.is_authenticated and user.is_active):
            self.partenaires: set[int] = set()
            self.academies: set[int] = set()
            self.administration: set[int] = set()
            return
        # One query, on every signed-in page: each affectation, and for one on a partner association
        # the LPs where that association holds a convention (one row per convention: an outer join,
        # NULL for the other affectations and for an association without any convention yet).
        lps_des_partenaires = set()
        for role, etablissement_id, partenaire_id, academie_id, lp_servi in _AFFECTATIONS.lignes(user.pk):
            if etablissement_id:
                self.roles.setdefault(etablissement_id, set()).add(role)
            elif partenaire_id:
                self.roles_partenaires.setdefault(partenaire_id, set()).add(role)
                if lp_servi is not None:
                    lps_des_partenaires.add(lp_servi)
            elif academie_id:
                self.roles_academies.setdefault(academie_id, set()).add(role)
            else:
                self.roles_nationaux.add(role)
        # Coordinator or responsable: both follow the mentors of the LPs their association serves.
        self.partenaires = set(self.roles_partenaires)
        # Pilots read the académie's aggregates; administrators manage its LPs and accounts,
        # and read no nominative data.
        self.academies = {pk for pk, held in self.roles_academies.items() if Role.PILOTAGE in held}
        self.administration = {pk for pk, held in self.roles_academies.items() if Role.ADMIN_ACADEMIQUE in held}
        # A coordinator serves every LP where their association holds a convention.
        for etablissement_id in lps_des_partenaires:
            self.roles.setdefault(etablissement_id, set()).add(Role.COORDONNATEUR)
        if self.academies:
            for etablissement_id in user.affectations.filter(academie__in=self.academies).values_list(
                "academie__etablissements__pk", flat=True
            ):
                if etablissement_id is not None:  # an académie without any LP yet
                    self.roles.setdefault(etablissement_id, set()).add(Role.PILOTAGE)

    def roles_sur_partenaire(self, partenaire_id) -> set[str]:
        return self.roles_partenaires.get(partenaire_id, set())

    def roles_sur_academie(self, academie_id) -> set[str]:
        return self.roles_academies.get(academie_id, set())

    @property
    def roles_tenus(self) -> set[str]:
        """Every role the user holds anywhere (LPs, associations, académies)."""
        return self.tous_roles.union(
            *self.roles_partenaires.values(), *self.roles_academies.values(), self.roles_nationaux
        )

    def etablissements(self, roles) -> list[int]:
        """Ids of the établissements where the user holds at least one of `roles`."""
        roles = set(roles)
        return sorted(pk for pk, held in self.roles.items() if held & roles)

    def roles_sur(self, etablissement_id) -> set[str]:
        return self.roles.get(etablissement_id, set())

    @property
    def tous_roles(self) -> set[str]:
        return set().union(*self.roles.values()) if self.roles else set()


def perimetre(user) -> Perimetre:
    """The user's perimeter, cached on the user object for the rest of the request."""
    cached = getattr(user, "_perimetre", None)
    if cached is None:
        cached = Perimetre(user)
        if user is not None and user.is_authenticated:
            user._perimetre = cached
    return cached


class ScopedQuerySet(models.QuerySet):
    """QuerySet of a model that declares CHEMIN_ETABLISSEMENT, ROLES_LECTURE and ROLES_ECRITURE.

    A model may also declare ACCES_PERSONNEL = {role: lookup}: a user holding only `role`
    on the LP reads the rows where `lookup` is themself (a mentor their own binômes, a
    teacher the students they proposed), and nothing else of the LP.
    """

    def for_user(self, user, roles=None):
        chemin = f"{self.model.CHEMIN_ETABLISSEMENT}__in"
        p = perimetre(user)
        qs = self.filter(**{chemin: p.etablissements(self.model.ROLES_LECTURE if roles is None else roles)})
        if roles is None:
            for role, lookup in getattr(self.model, "ACCES_PERSONNEL", {}).items():
                # A subquery on the pk: a lookup across a to-many relation adds no duplicate row.
                siens = self.model._default_manager.filter(**{lookup: user, chemin: p.etablissements({role})})
                qs = qs | self.filter(pk__in=siens.values("pk"))
        return qs

    def peut_ecrire(self, user, etablissement_id) -> bool:
        """Whether the user's roles on that LP write this model: what a page's edit buttons show."""
        return peut_ecrire(user, self.model, etablissement_id)

    def with_etablissement_id(self):
        return self.annotate(_etablissement_scope=F(self.model.CHEMIN_ETABLISSEMENT))


def get_for_user(queryset, user, *, ecriture=False, **lookup):
    """Fetch one object through the user's scope.

    Out of scope or missing: 404, the same answer for both. In scope but the user's
    roles on that LP only read it and `ecriture` is asked: 403.
    """
    if isinstance(queryset, type):
        queryset = queryset.objects.all()
    model = queryset.model
    obj = get_object_or_404(queryset.for_user(user).with_etablissement_id(), **lookup)
    if ecriture:
        exiger_ecriture(user, model, obj._etablissement_scope)
    return obj


def lectures_sur(user, model, etablissement_id) -> tuple[str, ...] | None:
    """What `user` reads of `model`'s rows of that LP, as `for_user` reads them: None for all of them
    (a role of ROLES_LECTURE held there), else the ACCES_PERSONNEL lookups of the roles held there
    (the rows where the lookup is the user), () for none."""
    roles = perimetre(user).roles_sur(etablissement_id)
    if roles & set(model.ROLES_LECTURE):
        return None
    return tuple(lookup for role, lookup in getattr(model, "ACCES_PERSONNEL", {}).items() if role in roles)


def get_compile_for_user(requete: RequeteCompilee, user, pk: int, *, ecriture=False, roles=None):
    """`get_for_user` for a page read all day, whose object comes from a query compiled once
    (socle.requetes): `requete` looks the object up by its pk alone, annotated with its LP
    (`with_etablissement_id()`); the perimeter already read for the request then decides, in Python,
    what `for_user` would have said in SQL — 404 out of scope or missing, 403 to a reader asked to
    write. A user reaching the LP's rows through ACCES_PERSONNEL only (a mentor) costs one more query,
    whether the row names them. `roles`: as `for_user(user, roles=…)`, the LPs where the user holds one
    of them, and no personal access."""
    obj = next(iter(requete.objets(pk)), None)
    if obj is None:
        raise Http404
    model = type(obj)
    etablissement_id = obj._etablissement_scope
    if roles is not None:
        lookups = None if a_un_role(user, etablissement_id, roles) else ()
    else:
        lookups = lectures_sur(user, model, etablissement_id)
    if lookups is not None and not any(
        model._default_manager.filter(pk=pk, **{lookup: user}).exists() for lookup in lookups
    ):
        raise Http404
    if ecriture:
        exiger_ecriture(user, model, etablissement_id)
    return obj


def peut_ecrire(user, model, etablissement_id) -> bool:
    return a_un_role(user, etablissement_id, model.ROLES_ECRITURE)


# Rights that no model declares (validating a cadrage, reading the programme's nominative data):
# views ask these instead of reading the perimeter themselves.


def etablissements_ou(user, roles) -> list[int]:
    """Ids of the LPs where the user holds one of `roles`."""
    return perimetre(user).etablissements(roles)


def a_un_role(user, etablissement_id, roles) -> bool:
    """Whether the user holds one of `roles` on that LP."""
    return bool(perimetre(user).roles_sur(etablissement_id) & set(roles))


def exiger_role(user, etablissement_id, roles, message="Votre rôle ne permet pas de modifier cet élément."):
    """403 with `message` unless the user holds one of `roles` on that LP."""
    if not a_un_role(user, etablissement_id, roles):
        raise PermissionDenied(message)


def exiger_ecriture(user, model, etablissement_id, message="Votre rôle ne permet pas de modifier cet élément."):
    """403 with `message` unless the user's roles on that LP write `model` (a creation, before any object)."""
    exiger_role(user, etablissement_id, model.ROLES_ECRITURE, message)


def academies_de(user) -> set[int]:
    """Ids of the académies the user pilots (empty for everyone else)."""
    return perimetre(user).academies


def pilote_national(user) -> bool:
    """Whether the user reads the country's aggregates (per académie; never an LP's pages)."""
    return Role.PILOTAGE_NATIONAL in perimetre(user).roles_nationaux


def partenaires_de(user) -> set[int]:
    """Ids of the partners (associations) the user coordinates for."""
    return perimetre(user).partenaires


def academies_administrees(user) -> set[int]:
    """Ids of the académies the user administers (LPs, chefs, pilots, partners)."""
    return perimetre(user).administration


def a_un_role_partenaire(user, partenaire_id, roles) -> bool:
    return bool(perimetre(user).roles_sur_partenaire(partenaire_id) & set(roles))


def a_un_role_academie(user, academie_id, roles) -> bool:
    return bool(perimetre(user).roles_sur_academie(academie_id) & set(roles))
