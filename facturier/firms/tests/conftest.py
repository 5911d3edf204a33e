import pytest


@pytest.fixture(autouse=True)
def _sign_in_settings(accounts_settings):
    """Every test here signs people in: files under a temporary directory, the test client credentials."""
