from facturier.accounts.tests.fixtures import accounts_settings, idp, visitor  # noqa: F401
