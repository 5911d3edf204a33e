import json

import pytest


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_browser_reaches_health_check(page):
    page.goto("/healthz")
    assert json.loads(page.inner_text("body")) == {"status": "ok", "database": "ok"}
