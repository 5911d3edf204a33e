"""Reading the provider's claims through settings.OIDC_CLAIMS."""

import pytest

from facturier.firms.staff import ClaimsError, read_claims

CLAIMS = {"sub": "s-1", "email": "Claire@Cabinet.example", "name": "Claire", "chartered_accountant": True,
          "firms": [{"siren": "626 018 154", "name": "Cabinet Démo", "delegation": True},
                    {"siren": "418609137", "name": "Est", "delegation": False}]}


def test_claims_are_read_and_normalised():
    staff = read_claims(CLAIMS)
    assert staff.email == "claire@cabinet.example" and staff.chartered_accountant
    assert [(f.siren, f.delegation) for f in staff.firms] == [("626018154", True), ("418609137", False)]
    assert staff.has_delegation


def test_claim_names_come_from_settings(settings):
    settings.OIDC_CLAIMS = {**settings.OIDC_CLAIMS, "firms": "organisations", "chartered_accountant": "ec"}
    staff = read_claims({"sub": "s-1", "email": "a@b.example", "ec": True,
                         "organisations": [{"siren": "626018154", "name": "X", "delegation": True}]})
    assert staff.chartered_accountant and staff.firms[0].siren == "626018154"
    assert not read_claims(CLAIMS).firms  # the default names no longer apply


def test_no_delegation_anywhere():
    claims = {**CLAIMS, "firms": [{**CLAIMS["firms"][0], "delegation": "yes"}]}  # only JSON true counts
    assert not read_claims(claims).has_delegation


@pytest.mark.parametrize("overrides", [
    {"sub": ""}, {"email": "not-an-email"}, {"firms": "626018154"},
    {"firms": [{"siren": "123456789", "name": "Bad key"}]}, {"firms": ["626018154"]},
], ids=["no-subject", "bad-email", "firms-not-a-list", "bad-siren", "firm-not-an-object"])
def test_unusable_claims_are_refused(overrides):
    with pytest.raises(ClaimsError):
        read_claims({**CLAIMS, **overrides})
