"""Running the migrations to a point and back, for the tests of data migrations (each marked
``django_db(transaction=True)``: migrating changes the schema, which a test's transaction cannot hold)."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate the test database to ``targets`` (a list of (app, migration) pairs); the apps at that point."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    """Every app's last migration: where a test leaves the database for the tests after it."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
