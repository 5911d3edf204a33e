from facturier.exchange.tests.support import local_registry, seller_world  # noqa: F401  (fixtures)
