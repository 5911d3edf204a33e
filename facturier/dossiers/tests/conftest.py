from facturier.firms.tests.world import world  # noqa: F401  (fixture)
