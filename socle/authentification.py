"""Django's password backend, loading the signed-in user of each request by a query compiled once
(`socle.requetes`, issue 18). Sign-in, permissions and the checks on the loaded user are Django's."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as ModelBackendDjango
from django.db import router

from .requetes import RequeteCompilee


def _champs():
    return tuple(f.attname for f in get_user_model()._meta.concrete_fields)


_UTILISATEUR = RequeteCompilee(lambda pk: get_user_model()._default_manager.filter(pk=pk).values_list(*_champs()), int)


def utilisateur(user_id):
    """The user of that id, loaded as `ModelBackend.get_user` loads them (None if there is none); the
    backend then refuses a deactivated account."""
    modele = get_user_model()
    alias = router.db_for_read(modele)
    for ligne in _UTILISATEUR.lignes(user_id, using=alias):
        return modele.from_db(alias, _champs(), ligne)
    return None


class ModelBackend(ModelBackendDjango):
    def get_user(self, user_id):
        if type(user_id) is not int:
            return super().get_user(user_id)
        user = utilisateur(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
