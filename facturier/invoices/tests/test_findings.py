"""Findings grouped for people; statuses, reasons, channels and tasks named in the reader's language."""

import pytest
from django.utils import translation

from einvoice.validate.report import Issue
from facturier.invoices import findings
from facturier.invoices.models import Anomaly, Task
from facturier.invoices.tests.screens_data import make_invoice
from facturier.web.templatetags.labels import channel_label, reason_label, status_label

IBAN = {"rule": "CII-SR-470", "severity": "fatal", "location": "/x[1]",
        "message": "[CII-SR-470]-Either the IBAN or a Proprietary ID (BT-84) shall be used."}


def test_one_rule_fired_thirteen_times_is_one_finding_counted_thirteen_times():
    issues = [{**IBAN, "location": f"/line[{n}]"} for n in range(13)]
    [finding] = findings.grouped(issues, language="fr")
    assert finding.count == 13 and finding.blocking
    assert finding.message.startswith("Le compte bancaire à créditer")
    assert finding.details[0].text == "Either the IBAN or a Proprietary ID (BT-84) shall be used."
    assert [detail.location for detail in finding.details] == [f"/line[{n}]" for n in range(13)]


def test_details_are_distinct_and_capped():
    same = [IBAN] * 5
    many = [{**IBAN, "location": f"/x[{n}]"} for n in range(findings.MAX_DETAILS + 10)]
    assert len(findings.grouped(same)[0].details) == 1 and findings.grouped(same)[0].count == 5
    assert len(findings.grouped(many)[0].details) == findings.MAX_DETAILS


def test_the_fix_is_for_the_dossiers_own_invoices_only():
    assert "Paramètres › Société" in findings.grouped([IBAN], with_fix=True, language="fr")[0].fix
    assert findings.grouped([IBAN], language="fr")[0].fix == ""
    assert "Settings › Company" in findings.grouped([IBAN], with_fix=True, language="en")[0].fix


def test_engine_issues_and_stored_ones_read_alike_and_keep_their_order():
    issues = [Issue("BR-CO-10", "error", "[BR-CO-10]-Sum", "/a"), Issue("BR-16", "warning", "[BR-16]-No line")]
    grouped = findings.grouped(issues, language="en")
    assert [finding.rule for finding in grouped] == ["BR-CO-10", "BR-16"]
    assert grouped[0].message == "The sum of lines does not match the line amounts." and not grouped[1].blocking


def test_a_rule_unknown_to_the_catalogue_is_still_said_plainly():
    with translation.override("en"):
        [finding] = findings.grouped([{"rule": "XX-99", "severity": "error", "message": "raw"}])
    assert finding.message == "The invoice breaks a rule of the standard (see the details)."
    assert finding.details[0].text == "raw"


@pytest.mark.parametrize("language, status, reason, channel", [
    ("fr", "Approuvée", "Quantité erronée", "Facturier (directement dans le dossier du destinataire)"),
    ("en", "Approved", "Wrong quantity", "Facturier (straight into the recipient's file)"),
])
def test_codes_are_shown_as_labels_in_the_readers_language(language, status, reason, channel):
    with translation.override(language):
        assert status_label(205) == status and status_label("205") == status
        assert reason_label("QTE_ERR") == reason and channel_label("platform") == channel
    assert status_label(None) == "" and status_label(999) == "999" and channel_label("fax") == "fax"


@pytest.mark.django_db
def test_a_task_about_an_anomaly_is_named_in_the_readers_language(world):
    invoice = make_invoice(world.active, number="F-7", seller_name="Papeterie Martin")
    anomaly = Anomaly.objects.create(invoice=invoice, kind=Anomaly.Kind.CLOSED)
    task = Task.objects.create(dossier=world.active, invoice=invoice, anomaly=anomaly, title="Entreprise fermée : F-7")
    with translation.override("en"):
        assert task.label == "Company closed : F-7 (Papeterie Martin)"
    with translation.override("fr"):
        assert task.label == "Entreprise fermée : F-7 (Papeterie Martin)"
    assert Task(dossier=world.active, title="Compléter le dossier").label == "Compléter le dossier"
