"""Django's database sessions, read by a query compiled once (`socle.requetes`): every signed-in
request reads its session first (issue 18). Writes, expiry and sign-out are Django's own."""

from django.contrib.sessions.backends.db import SessionStore as SessionStoreBase
from django.utils import timezone

from .requetes import RequeteCompilee


def _session(cle):
    return SessionStore.get_model_class().objects.filter(session_key=cle).values_list("session_data", "expire_date")


_SESSION = RequeteCompilee(_session, str)


class SessionStore(SessionStoreBase):
    def _get_session_from_db(self):
        # As Django's: the session whose key the cookie holds, unless it expired; else no key.
        cle = self.session_key
        if isinstance(cle, str):
            for donnees, expire_le in _SESSION.lignes(cle):
                if expire_le > timezone.now():
                    return self.model(session_key=cle, session_data=donnees, expire_date=expire_le)
        self._session_key = None
        return None
