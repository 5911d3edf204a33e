"""In headless Chromium: the invited owner opens the link, fills the onboarding page, lands on the dossier."""

import base64
import io

import pytest
from django.urls import reverse
from PIL import Image

from facturier.accounts.models import User
from facturier.accounts.tests.fixtures import make_dossier, make_firm
from facturier.dossiers.models import DossierStatus, Invitation

DROP_PHOTO = """([zone, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "moi.png", {type: "image/png"}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


def png_base64():
    data = io.BytesIO()
    Image.new("RGB", (80, 80), (29, 79, 145)).save(data, "PNG")
    return base64.b64encode(data.getvalue()).decode()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_invited_owner_onboards_in_the_browser(page, live_server):
    dossier = make_dossier(make_firm(), "Bioburo", status=DossierStatus.INVITED)
    _, token = Invitation.issue(email="pierre@bioburo.example", dossier=dossier, invited_by=None,
                                rights={"is_owner": True}, name="Pierre Conerardy")

    page.goto(reverse("dossiers:accept_invitation", args=[token]))
    assert page.input_value("#id_email") == "pierre@bioburo.example"
    assert page.input_value("#id_full_name") == "Pierre Conerardy"
    page.fill("#id_mobile", "06 12 34 56 78")
    page.select_option("#id_language", "fr")
    zone = page.locator("[data-photo-drop]")
    page.evaluate(DROP_PHOTO, [zone.element_handle(), png_base64()])
    assert page.locator("[data-photo-preview]").is_visible()
    page.fill("#id_password1", "Tournesol-Bleu-77")
    page.fill("#id_password2", "Tournesol-Bleu-77")
    page.check("#id_consent")
    page.click("button:has-text('Suivant')")

    page.wait_for_url(live_server.url + reverse("dashboard:home", args=[dossier.pk]))
    assert "Bioburo" in page.inner_text("h1")
    user = User.objects.get(email="pierre@bioburo.example")
    assert user.photo.name.endswith(".png") and user.gdpr_consent_at is not None
