"""The footer offers the running code to every user, as the AGPL asks of a network service."""

import io
import tarfile

import pytest
from django.urls import reverse

from facturier.web import source

pytestmark = pytest.mark.django_db


def test_the_footer_links_to_the_platforms_own_source_download(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'<a href="{reverse("web:source")}">Code source</a>' in page


def test_a_configured_source_url_replaces_the_download_in_the_footer(client, settings):
    settings.SOURCE_URL = "https://code.example/facturier"
    page = client.get(reverse("accounts:login")).content.decode()
    assert '<a href="https://code.example/facturier">Code source</a>' in page


def test_anyone_can_download_the_running_code_with_its_licence(client):
    response = client.get(reverse("web:source"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"].startswith('attachment; filename="facturier-')
    with tarfile.open(fileobj=io.BytesIO(response.content)) as tar:
        names = tar.getnames()
    top = names[0].split("/")[0]
    assert f"{top}/facturier/web/source.py" in names
    assert f"{top}/einvoice/__init__.py" in names
    assert f"{top}/LICENSE" in names  # tests run from a checkout
    assert not [name for name in names if "__pycache__" in name]


def test_the_download_holds_the_code_as_loaded_not_a_copy_made_elsewhere():
    with tarfile.open(fileobj=io.BytesIO(source.archive())) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith("/facturier/web/source.py"))
        shipped = tar.extractfile(member).read()
    with open(source.__file__, "rb") as running:
        assert shipped == running.read()
