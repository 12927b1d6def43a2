"""The move of the shared core from `mentorat/` to `socle/` kept every table and row.

The app keeps its label "mentorat": an existing base has its migrations recorded under that
label and its rows in the `mentorat_*` tables; it must need no migration and read its rows.
"""

import pytest
from django.apps import apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from socle.models import JournalAcces, User


def test_le_socle_garde_le_label_des_tables_et_des_migrations():
    config = apps.get_app_config("mentorat")
    assert config.name == "socle"
    assert (User._meta.db_table, JournalAcces._meta.db_table) == ("mentorat_user", "mentorat_journalacces")


@pytest.mark.django_db
def test_une_base_migree_avant_le_deplacement_n_a_rien_a_migrer_et_garde_ses_lignes():
    executor = MigrationExecutor(connection)
    applique = executor.loader.applied_migrations
    # The history written before the move, under the label "mentorat", is the socle's history.
    assert ("mentorat", "0001_initial") in applique
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
    # A row written to the table as the old code did is read by the moved model.
    with connection.cursor() as curseur:
        curseur.execute(
            "INSERT INTO mentorat_user (password, is_superuser, email, prenom, nom, is_staff, is_active, date_joined)"
            " VALUES ('!', %s, 'ancienne@exemple.fr', 'Anne', 'Cienne', %s, %s, CURRENT_TIMESTAMP)",
            [False, False, True],
        )
    assert User.objects.get(email="ancienne@exemple.fr").get_full_name() == "Anne Cienne"
