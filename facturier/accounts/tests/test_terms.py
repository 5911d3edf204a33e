import io

import pytest
from django.urls import reverse
from pypdf import PdfReader


@pytest.mark.django_db
def test_terms_page_is_public_and_readable(client):
    page = client.get(reverse("accounts:terms"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Conditions générales d'utilisation de Facturier" in html and "RGPD" in html
    assert reverse("accounts:terms_download") in html


@pytest.mark.django_db
def test_terms_download_is_a_pdf_file(client):
    response = client.get(reverse("accounts:terms_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="facturier-cgu-fr.pdf"'
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Données personnelles" in text
