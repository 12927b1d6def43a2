"""The référent's dashboard summary of the pairs' health, cached per LP (issue 18).

The health is computed from the data, never stored (`seances.sante`): on the référent's dashboard,
the heaviest page people open all day, it was half the page's CPU and five of its queries, three now (150 pairs,
their séances, notes and answers matched in Python). The summary the dashboard shows (the pairs « en
risque » with their reasons, how many are « à surveiller ») is now kept in the cache under a key
holding the day and two *versions*, the LP's (its students and mentors) and the dispositif's (its
pairs, séances, notes and answers); every write the health reads changes one of them, so the next
view computes it again:
- a save or a delete of a séance, a binôme, a student, a mentor, a mentor's note or a student's answer,
  and a save of a participation (signals below); the services that write them in bulk without signals
  (`Participation` rows of `seance_enregistrer`, whose séance is saved in the same transaction; a
  mentor's suspension) call `perimer` themselves, and binomes, which does not import this app, sends
  `binomes.evenements.ecrits_en_masse` (the year's end of the leavers' pairs, the SIECLE import);
- the version changes at once (the same transaction reads its own writes) and once more after the
  commit: a view that read the data before the commit, and cached what it saw under the first new
  version, is not read after it.
The day is in the key (inactivity counts weeks up to today). A path that wrote without either would
leave a summary at most DUREE old, and so would a write made while Redis did not answer (frozen, then
back with its keys: the new version was not written). Redis stopped or restarted empty: versions are
drawn again, the summary is computed on each view while Redis is away, as before this cache.
"""

import uuid
import weakref
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from binomes.evenements import ecrits_en_masse
from binomes.models import Binome, Eleve, Mentor

from .models import AvisEleve, NoteMentor, Participation, Seance
from .sante import sante_des_binomes_du_dispositif

# A safety net for a write that would change a version by none of the ways above.
DUREE = 10 * 60


def _cle_version(portee, pk) -> str:
    return f"seances:sante:version:{portee}:{pk}"


def _versions(dispositif) -> tuple[str, str] | None:
    """The LP's version (its people) and the dispositif's (its pairs, séances, notes, answers)."""
    cles = [_cle_version("lp", dispositif.etablissement_id), _cle_version("dispositif", dispositif.pk)]
    trouvees = cache.get_many(cles)
    if len(trouvees) < len(cles):
        # Lost (Redis restarted, key evicted) or never set: new ones, so that no summary cached under
        # an older version is read again.
        for cle in cles:
            if cle not in trouvees:
                cache.add(cle, uuid.uuid4().hex, None)
        trouvees = cache.get_many(cles)
    return tuple(trouvees[cle] for cle in cles) if len(trouvees) == len(cles) else None


def perimer(*, etablissement_id=None, dispositif_id=None) -> None:
    """The health summary of the LP (every dispositif), or of one dispositif, is to be computed again:
    now, and again once the transaction commits."""
    cle = _cle_version("lp", etablissement_id) if dispositif_id is None else _cle_version("dispositif", dispositif_id)

    def nouvelle_version():
        cache.set(cle, uuid.uuid4().hex, None)

    nouvelle_version()
    transaction.on_commit(nouvelle_version)


def _cle_du_resume(dispositif, jour) -> str | None:
    versions = _versions(dispositif)
    return f"seances:sante:tableau:{dispositif.pk}:{jour.isoformat()}:{':'.join(versions)}" if versions else None


def resume_du_tableau(dispositif, jour: date | None = None) -> dict:
    """{"en_risque": [Sante…], "a_surveiller": n} of the dispositif's active pairs, from the cache when
    nothing the health reads changed today."""
    jour = jour or timezone.localdate()
    cle = _cle_du_resume(dispositif, jour)
    resume = cache.get(cle) if cle else None
    if resume is None:
        santes = sante_des_binomes_du_dispositif(dispositif, jour)
        resume = {
            "en_risque": [s for s in santes if s.en_risque],
            "a_surveiller": sum(s.niveau == "a_surveiller" for s in santes),
        }
        if cle:
            cache.set(cle, resume, DUREE)
    return resume


# The rows of a bulk delete (`QuerySet.delete()`, a purge) share their queryset as origin: what the
# delete already did is kept by origin, so that the dispositif of each parent is looked up, and each
# version changed, once per delete, not once per row ({("parent", model, pk): dispositif id,
# ("version", scope…): True}).
_suppressions_en_masse = weakref.WeakKeyDictionary()


def _dispositif_par(instance, nom, memo: dict) -> int | None:
    """The dispositif of a note or a participation (through its séance) or of an answer (its binôme):
    from the related object already loaded, else in one query."""
    parent = instance._state.fields_cache.get(nom)
    if parent is not None:
        return parent.dispositif_id
    champ = instance._meta.get_field(nom)
    cle = ("parent", nom, getattr(instance, champ.attname))
    if cle not in memo:
        memo[cle] = champ.related_model._default_manager.filter(pk=cle[2]).values_list("dispositif", flat=True).first()
    return memo[cle]


def _ecrit(sender, instance, **kwargs):
    origine = kwargs.get("origin")
    en_masse = origine is not None and origine is not instance
    if en_masse and getattr(origine, "model", None) is not sender:
        # Deleted in cascade: the object the deletion started from changed the version itself (a
        # séance, a pair, a student, a mentor), or took the whole dispositif or LP away.
        return
    memo = _suppressions_en_masse.setdefault(origine, {}) if en_masse else {}
    if sender in (Eleve, Mentor):
        portee = {"etablissement_id": instance.etablissement_id}
    elif sender in (Seance, Binome):
        portee = {"dispositif_id": instance.dispositif_id}
    else:
        dispositif_id = _dispositif_par(instance, "binome" if sender is AvisEleve else "seance", memo)
        if dispositif_id is None:
            return
        portee = {"dispositif_id": dispositif_id}
    cle = ("version", *portee.items())
    if cle not in memo:
        memo[cle] = True
        perimer(**portee)


def connecter():
    """Called by SeancesConfig.ready. Participations: saves only; they are deleted with or by a saved
    séance (its own signal), or by a mentor's suspension (which calls `perimer`), and a receiver on
    their deletion would make every cascade load them one by one."""
    for modele in (Seance, Binome, Eleve, Mentor, NoteMentor, AvisEleve):
        post_save.connect(_ecrit, sender=modele, dispatch_uid=f"sante_en_cache.{modele.__name__}.save")
        post_delete.connect(_ecrit, sender=modele, dispatch_uid=f"sante_en_cache.{modele.__name__}.delete")
    post_save.connect(_ecrit, sender=Participation, dispatch_uid="sante_en_cache.Participation.save")
    ecrits_en_masse.connect(_ecrits_en_masse, dispatch_uid="sante_en_cache.ecrits_en_masse")


def _ecrits_en_masse(sender, etablissement_id, **kwargs):
    perimer(etablissement_id=etablissement_id)
