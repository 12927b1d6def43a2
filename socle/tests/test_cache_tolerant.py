"""A cache entry that this version of the code cannot unpickle is a miss, not a 500 (issue 18: seen in
the load test, an older process reading a summary pickled by a newer one). Checked on the production
settings, against a real Redis of the test's own."""

import json
import shutil
import subprocess
import sys

from django.conf import settings

from conftest import manque
from tests.pile import RedisPrive, environnement

LIRE = r"""
import json, django
django.setup()
from django.core.cache import cache
client = cache.client.get_client(write=True)
# Pickles naming a class that does not exist here: in a module that does, in a module that does not.
client.set(cache.make_key("classe_disparue"), b"cseances.sante\nClasseDisparue\n)\x81.")
client.set(cache.make_key("module_disparu"), b"cmodule_disparu\nClasse\n)\x81.")
cache.set("lisible", {"en_risque": [], "a_surveiller": 2})
print(json.dumps({
    "serialiseur": django.conf.settings.CACHES["default"]["OPTIONS"]["SERIALIZER"],
    "classe_disparue": cache.get("classe_disparue"),
    "module_disparu": cache.get("module_disparu"),
    "plusieurs": cache.get_many(["classe_disparue", "lisible"]),
}))
"""


def test_une_entree_illisible_est_absente(tmp_path):
    if not shutil.which("redis-server"):
        manque("redis-server introuvable : ce test démarre son propre Redis.")
    redis = RedisPrive(tmp_path).demarrer()
    try:
        resultat = subprocess.run(
            [sys.executable, "-c", LIRE],
            cwd=settings.BASE_DIR,
            env=environnement(redis_url=redis.url, dossier=tmp_path),
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        redis.arreter()
    assert resultat.returncode == 0, resultat.stderr
    lu = json.loads(resultat.stdout.strip().splitlines()[-1])
    assert lu["serialiseur"] == "socle.cache.SerialiseurTolerant"
    assert lu["classe_disparue"] is None and lu["module_disparu"] is None
    assert lu["plusieurs"]["lisible"] == {"en_risque": [], "a_surveiller": 2}
    assert "Entrée du cache illisible" in resultat.stderr
