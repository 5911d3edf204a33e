import csv
import datetime
import hashlib
import io
import json
import os
import zipfile

import pytest
from django.urls import reverse

from facturier.archive import checkpoint
from facturier.archive.models import Kind
from facturier.archive.store import archive
from facturier.audit.models import AuditEvent

MARCH = datetime.date(2026, 3, 14)
APRIL = datetime.date(2026, 4, 2)
LAST_YEAR = datetime.date(2025, 12, 31)


@pytest.fixture
def records(dossier):
    return [
        archive(dossier, b"%PDF facture mars", kind=Kind.ORIGINAL_RECEIVED, filename="Facture été.pdf",
                media_type="application/pdf", period=MARCH),
        archive(dossier, b"<CDAR>205</CDAR>", kind=Kind.LIFECYCLE, filename="cdar-205.xml", period=MARCH),
        archive(dossier, b"<Invoice>avril</Invoice>", kind=Kind.ORIGINAL_ISSUED, filename="FA-avril.xml",
                period=APRIL),
        archive(dossier, b"ancien", kind=Kind.EXPORT, filename="export-2025.csv", period=LAST_YEAR),
    ]


def urls(dossier, record=None):
    return [
        reverse("archive:files", args=[dossier.pk]),
        reverse("archive:download", args=[dossier.pk, 1]),
        reverse("archive:download_period", args=[dossier.pk]) + "?annee=2026",
    ]


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


ALLOWED = ["client_user", "chartered", "delegated_admin", "assigned_staff"]
DENIED = ["other_client", "unassigned_staff", "no_delegation", "other_firm_admin"]


@pytest.mark.parametrize("person", ALLOWED + DENIED)
def test_access_matrix(client, world, records, person):
    client.force_login(getattr(world, person))
    for url in urls(world.dossier):
        response = client.get(url)
        assert response.status_code == (200 if person in ALLOWED else 404), (person, url)


def test_anonymous_is_sent_to_sign_in(client, world, records, settings):
    settings.LOGIN_URL = "/connexion/"  # the sign-in page is the accounts app's business
    for url in urls(world.dossier):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/connexion/?next=")


@pytest.mark.parametrize("person", ["chartered", "delegated_admin", "unassigned_staff", "other_firm_admin"])
def test_nobody_opens_the_archive_of_a_dossier_not_yet_activated(client, world, person):
    client.force_login(getattr(world, person))
    assert client.get(reverse("archive:files", args=[world.pending_dossier.pk])).status_code == 404


def test_unknown_dossier_and_record_answer_404(client, world, records):
    client.force_login(world.chartered)
    assert client.get(reverse("archive:files", args=[999999])).status_code == 404
    assert client.get(reverse("archive:download", args=[world.dossier.pk, 99])).status_code == 404
    assert client.get(reverse("archive:download", args=[world.other_dossier.pk, 1])).status_code == 404


def test_page_lists_files_and_explains_retention(client, world, records):
    client.force_login(world.client_user)
    response = client.get(reverse("archive:files", args=[world.dossier.pk]))
    page = response.content.decode()
    for record in records:
        assert record.filename in page
    assert "10 ans" in page
    assert "supprim" in page and "<form method=\"post\"" not in page.split("<main>")[1].split("</main>")[0]
    assert '<option value="2026"' in page and '<option value="2025"' in page


def test_page_filters_by_period_and_kind(client, world, records):
    client.force_login(world.client_user)
    url = reverse("archive:files", args=[world.dossier.pk])
    march = client.get(url, {"annee": 2026, "mois": 3}).content.decode()
    assert "cdar-205.xml" in march and "FA-avril.xml" not in march and "export-2025.csv" not in march
    assert reverse("archive:download_period", args=[world.dossier.pk]) in march
    lifecycle = client.get(url, {"annee": 2026, "type": Kind.LIFECYCLE}).content.decode()
    assert "cdar-205.xml" in lifecycle and "Facture été.pdf" not in lifecycle


def test_bad_filters_get_a_message_not_an_error(client, world, records):
    client.force_login(world.client_user)
    url = reverse("archive:files", args=[world.dossier.pk])
    for params in [{"annee": "abc"}, {"mois": 3}, {"mois": 13, "annee": 2026}, {"type": "nope"}]:
        response = client.get(url, params)
        assert response.status_code == 200
        assert 'class="errorlist"' in response.content.decode()
        assert "cdar-205.xml" not in response.content.decode()
    response = client.get(reverse("archive:download_period", args=[world.dossier.pk]))
    assert response.status_code == 400
    assert "Choisissez une année" in response.content.decode()


def test_download_serves_the_original_with_its_name_and_type(client, world, records):
    client.force_login(world.assigned_staff)
    response = client.get(reverse("archive:download", args=[world.dossier.pk, 1]))
    assert response.content == b"%PDF facture mars"
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''Facture%20%C3%A9t%C3%A9.pdf" in response["Content-Disposition"]
    assert response["X-Content-SHA256"] == records[0].sha256
    event = AuditEvent.objects.get(action="archive.download")
    assert (event.actor, event.dossier, event.target) == (world.assigned_staff, world.dossier, "Facture été.pdf")


def test_a_tampered_file_is_not_served(client, world, records, archive_dir):
    path = archive_dir / records[0].storage_name
    os.chmod(path, 0o640)
    path.write_bytes(b"%PDF facture modifiee")
    client.force_login(world.client_user)
    response = client.get(reverse("archive:download", args=[world.dossier.pk, 1]))
    assert response.status_code == 500
    assert b"facture modifiee" not in response.content
    assert "ne correspond plus" in response.content.decode()
    assert AuditEvent.objects.filter(action="archive.integrity_failure", dossier=world.dossier).exists()


def test_period_zip_holds_the_files_and_a_manifest_of_their_hashes(client, world, records):
    client.force_login(world.chartered)
    response = client.get(reverse("archive:download_period", args=[world.dossier.pk]), {"annee": 2026, "mois": 3})
    assert response["Content-Type"] == "application/zip"
    assert f"archives-{world.dossier.siren}-2026-03.zip" in response["Content-Disposition"]
    bundle = zipfile.ZipFile(io.BytesIO(body(response)))
    assert bundle.testzip() is None
    manifest = list(csv.DictReader(io.StringIO(bundle.read("manifest.csv").decode())))
    assert [row["filename"] for row in manifest] == ["Facture été.pdf", "cdar-205.xml"]
    assert sorted(bundle.namelist()) == sorted(["manifest.csv", "000001-Facture été.pdf", "000002-cdar-205.xml"])
    for row, record in zip(manifest, records[:2], strict=True):
        assert hashlib.sha256(bundle.read(row["path"])).hexdigest() == row["sha256"] == record.sha256
        assert row["chain_hash"] == record.chain_hash
        assert row["previous_hash"] == record.previous_hash
        assert row["kind"] == record.kind
    assert AuditEvent.objects.filter(action="archive.download_period").count() == 1


def test_manifest_cells_never_become_spreadsheet_formulas(client, world):
    names = ["=HYPERLINK(A1).pdf", "+1.pdf", "-1.pdf", "@SUM(A1).pdf", "ok.pdf"]
    for name in names:
        archive(world.dossier, name.encode(), kind=Kind.EXPORT, filename=name, period=MARCH,
                reference=("=cmd|' /C calc'!A0", "x", "1"))
    client.force_login(world.chartered)
    response = client.get(reverse("archive:download_period", args=[world.dossier.pk]), {"annee": 2026})
    bundle = zipfile.ZipFile(io.BytesIO(body(response)))
    manifest = list(csv.DictReader(io.StringIO(bundle.read("manifest.csv").decode())))
    assert [row["filename"] for row in manifest] == ["'" + name for name in names[:-1]] + ["ok.pdf"]
    assert all(row["reference"].startswith("'=cmd") for row in manifest)
    for row in manifest:
        assert bundle.read(row["path"])  # the path column still names the zip entry


def test_period_zip_of_a_whole_year_by_kind(client, world, records):
    client.force_login(world.chartered)
    response = client.get(reverse("archive:download_period", args=[world.dossier.pk]),
                          {"annee": 2026, "type": Kind.ORIGINAL_ISSUED})
    bundle = zipfile.ZipFile(io.BytesIO(body(response)))
    assert sorted(bundle.namelist()) == ["000003-FA-avril.xml", "manifest.csv"]


def test_pages_refuse_writes(client, world, records):
    client.force_login(world.chartered)
    for url in urls(world.dossier):
        assert client.post(url).status_code == 405


@pytest.mark.parametrize("person", ALLOWED + DENIED)
def test_the_signed_checkpoint_is_downloaded_by_whoever_sees_the_archive(client, world, records, person, signing_key):
    checkpoint.make()
    client.force_login(getattr(world, person))
    response = client.get(reverse("archive:download_checkpoint", args=[world.dossier.pk]))
    if person not in ALLOWED:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert f"point-de-controle-{world.dossier.siren}" in response["Content-Disposition"]
    statement = checkpoint.open_signed(json.loads(response.content), checkpoint.public_key())
    assert (statement["dossier"], statement["sequence"], statement["hash"]) == (
        world.dossier.pk, len(records), records[-1].chain_hash)
    page = client.get(reverse("archive:files", args=[world.dossier.pk])).content.decode()
    assert reverse("archive:download_checkpoint", args=[world.dossier.pk]) in page


def test_no_checkpoint_yet_answers_404_and_no_link(client, world, records):
    client.force_login(world.client_user)
    assert client.get(reverse("archive:download_checkpoint", args=[world.dossier.pk])).status_code == 404
    page = client.get(reverse("archive:files", args=[world.dossier.pk])).content.decode()
    assert "point-de-controle" not in page
