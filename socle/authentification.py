"""Django's password backend, loading the signed-in user of each request by a query compiled once
(`socle.requetes`, issue 18). Sign-in, permissions and the checks on the loaded user are Django's."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as ModelBackendDjango

from .requetes import RequeteCompilee

_UTILISATEUR = RequeteCompilee(lambda pk: get_user_model()._default_manager.filter(pk=pk), int)


def utilisateur(user_id):
    """The user of that id, loaded as `ModelBackend.get_user` loads them (None if there is none); the
    backend then refuses a deactivated account."""
    return next(iter(_UTILISATEUR.objets(user_id)), None)


class ModelBackend(ModelBackendDjango):
    def get_user(self, user_id):
        if type(user_id) is not int:
            return super().get_user(user_id)
        user = utilisateur(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
