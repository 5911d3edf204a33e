from django.apps import AppConfig
from django.db import connections
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "facturier.accounts"
    verbose_name = _("Comptes")

    def ready(self):
        # The lowest app: every later one may sort names in French order (see facturier.collation).
        from facturier.collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation, dispatch_uid="collation.register_sqlite")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:  # opened before the apps were ready
                register_sqlite_collation(None, connection)
