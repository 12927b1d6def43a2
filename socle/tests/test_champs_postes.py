"""A posted form's fields read in one pass (socle.middleware.ChampsPostes): the same fields as Django's
QueryDict for any body, the same refusals, and the middleware leaving every other request to Django."""

import pytest
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, QueryDict
from django.test import RequestFactory
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from socle.middleware import ChampsPostes, ChampsPostesMiddleware

_caracteres = st.sampled_from(list("az09é&=;+%-_ .\u00ff\u2603") + ["%C3%A9", "%FF", "%2", "%%", "%26", "%3D"])


@hypothesis_settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=200), st.lists(_caracteres, max_size=60).map(lambda morceaux: "".join(morceaux).encode())
    )
)
def test_les_memes_champs_que_query_dict(corps):
    for encodage in ("utf-8", "iso-8859-1"):
        attendu, lu = QueryDict(corps, encoding=encodage), ChampsPostes(corps, encoding=encodage)
        assert list(lu.lists()) == list(attendu.lists())
        assert (lu.encoding, lu._mutable) == (attendu.encoding, attendu._mutable) == (encodage, False)


@hypothesis_settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.text(max_size=8), st.lists(st.text(max_size=8), min_size=1, max_size=3), max_size=8))
def test_un_formulaire_encode_relu_tel_quel(champs):
    donnees = QueryDict(mutable=True)
    for cle, valeurs in champs.items():
        donnees.setlist(cle, valeurs)
    corps = donnees.urlencode().encode()
    assert list(ChampsPostes(corps).lists()) == list(QueryDict(corps).lists())


def test_immuable_comme_query_dict_et_sa_copie_modifiable():
    champs = ChampsPostes(b"a=1&a=2")
    with pytest.raises(AttributeError):
        champs["a"] = "3"
    copie = champs.copy()
    copie["a"] = "3"
    assert (champs.getlist("a"), copie.getlist("a")) == (["1", "2"], ["3"])
    assert ChampsPostes(mutable=True).dict() == {} and ChampsPostes("a=1", mutable=True)._mutable


def test_trop_de_champs_refuse_comme_django(settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    for lecture in (QueryDict, ChampsPostes):
        lecture(b"a=1&b=2&c=3")
        with pytest.raises(TooManyFieldsSent):
            lecture(b"a=1&b=2&c=3&d=4")


def _traiter(requete):
    vus = {}

    def vue(requete):
        vus["POST"] = requete.POST
        return HttpResponse()

    ChampsPostesMiddleware(vue)(requete)
    return vus["POST"]


def test_le_middleware_lit_les_formulaires_postes_et_laisse_le_reste():
    fabrique = RequestFactory()
    lu = _traiter(
        fabrique.post("/", "p-0-presence=present&p-0-personne=e1", content_type="application/x-www-form-urlencoded")
    )
    assert type(lu) is ChampsPostes and lu.dict() == {"p-0-presence": "present", "p-0-personne": "e1"}
    # A multipart form (a file), a JSON body, a GET: Django's own reading.
    envoi = _traiter(fabrique.post("/", {"nom": "x"}))
    assert type(envoi) is QueryDict and envoi["nom"] == "x"
    assert type(_traiter(fabrique.post("/", "{}", content_type="application/json"))) is QueryDict
    assert type(_traiter(fabrique.get("/", {"a": "1"}))) is QueryDict
    # Another charset: Django refuses it for this content type, as before.
    latin = fabrique.post("/", "a=1", content_type="application/x-www-form-urlencoded; charset=latin-1")
    with pytest.raises(BadRequest, match="UTF-8"):
        _traiter(latin)


@pytest.mark.parametrize(
    ("reglage", "valeur", "erreur"),
    [("DATA_UPLOAD_MAX_MEMORY_SIZE", 10, RequestDataTooBig), ("DATA_UPLOAD_MAX_NUMBER_FIELDS", 2, TooManyFieldsSent)],
)
def test_un_corps_refuse_l_est_par_django_comme_avant(settings, reglage, valeur, erreur):
    """Too large, too many fields: left to Django, which refuses it when the fields are read (a 400)."""
    setattr(settings, reglage, valeur)
    requete = RequestFactory().post("/", "a=1&b=2&c=3&d=4", content_type="application/x-www-form-urlencoded")
    with pytest.raises(erreur):
        _traiter(requete)
