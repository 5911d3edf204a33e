from facturier.testing.world import world  # noqa: F401  (fixture)
