import datetime
import hashlib
import os

import pytest

from facturier.archive import chain
from facturier.archive.exceptions import ContentChanged, ContentMissing
from facturier.archive.models import ArchiveChainHead, ArchiveRecord, Kind
from facturier.archive.store import append, archive, clean_filename, open_content, prepare, records_for
from facturier.archive.verify import verify_chain

PDF = b"%PDF-1.7 facture FA-2026-001\n"


def test_archive_appends_sealed_records_to_the_dossier_chain(dossier, world):
    first = archive(dossier, PDF, kind=Kind.ORIGINAL_RECEIVED, filename="FA-2026-001.pdf",
                    media_type="application/pdf", period=datetime.date(2026, 3, 14))
    second = archive(dossier, b"<CDAR/>", kind=Kind.LIFECYCLE, filename="cdar-205.xml")
    elsewhere = archive(world.other_dossier, b"<CDAR/>", kind=Kind.LIFECYCLE, filename="cdar-205.xml")

    assert (first.sequence, second.sequence, elsewhere.sequence) == (1, 2, 1)
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.size == len(PDF)
    assert first.previous_hash == chain.genesis_hash(dossier.pk)
    assert second.previous_hash == first.chain_hash
    assert first.chain_hash == first.compute_chain_hash()
    assert first.period == datetime.date(2026, 3, 14)
    assert second.media_type == "application/xml"
    assert first.created_at.tzinfo is not None
    assert first.retain_until == first.created_at.replace(year=first.created_at.year + 10)
    head = ArchiveChainHead.objects.get(dossier=dossier)
    assert (head.last_sequence, head.last_hash) == (2, second.chain_hash)


def test_prepare_stores_the_bytes_and_leaves_the_chain_to_append(dossier, archive_dir, django_assert_num_queries):
    # No query: the bytes are written before the transaction locks the dossier's chain.
    with django_assert_num_queries(0):
        prepared = prepare(dossier, PDF, kind=Kind.ORIGINAL_ISSUED, filename="FA.pdf", period=datetime.date(2026, 3, 1))

    assert (archive_dir / prepared.storage_name).read_bytes() == PDF
    assert prepared.pk is None and not ArchiveRecord.objects.exists()


def test_prepared_records_are_appended_together_in_the_order_given(dossier):
    archive(dossier, PDF, kind=Kind.OTHER, filename="note.pdf")
    original = prepare(dossier, PDF, kind=Kind.ORIGINAL_ISSUED, filename="FA.pdf", period=datetime.date(2026, 3, 1))
    message = prepare(dossier, b"<CDAR/>", kind=Kind.LIFECYCLE, filename="cdar-200.xml")

    assert append(original, message) == [original, message]

    assert (original.sequence, message.sequence) == (2, 3)
    assert message.previous_hash == original.chain_hash
    assert original.period == datetime.date(2026, 3, 1) and message.period == message.created_at.date()
    assert list(records_for_dossier(dossier)) == [1, 2, 3]
    assert verify_chain(dossier).ok
    head = ArchiveChainHead.objects.get(dossier=dossier)
    assert (head.last_sequence, head.last_hash) == (3, message.chain_hash)


def test_one_append_is_for_one_dossier(dossier, world):
    records = [prepare(each, PDF, kind=Kind.OTHER, filename="note.pdf") for each in (dossier, world.other_dossier)]
    with pytest.raises(ValueError, match="one dossier"):
        append(*records)
    assert not ArchiveRecord.objects.exists()


def records_for_dossier(dossier):
    return ArchiveRecord.objects.chain(dossier).values_list("sequence", flat=True)


def test_stored_record_reads_back_identical_and_hashes_survive_the_database(dossier):
    record = archive(dossier, PDF, kind=Kind.ORIGINAL_ISSUED, filename="FA.pdf", media_type="application/pdf")
    stored = ArchiveRecord.objects.get(pk=record.pk)
    assert open_content(stored) == PDF
    assert stored.compute_chain_hash() == record.chain_hash
    assert stored.created_at == record.created_at


def test_identical_content_is_stored_once(dossier, world, archive_dir):
    one = archive(dossier, PDF, kind=Kind.ORIGINAL_ISSUED, filename="FA.pdf")
    two = archive(world.other_dossier, PDF, kind=Kind.ORIGINAL_RECEIVED, filename="achat.pdf")
    assert one.storage_name == two.storage_name
    files = [name for _, _, names in os.walk(archive_dir) for name in names]
    assert files == [one.sha256]


def test_stored_files_are_read_only_on_disk(dossier, archive_dir):
    record = archive(dossier, PDF, kind=Kind.OTHER, filename="note.pdf")
    mode = os.stat(archive_dir / record.storage_name).st_mode
    assert mode & 0o222 == 0


def test_reading_a_changed_or_missing_file_raises(dossier, archive_dir):
    record = archive(dossier, PDF, kind=Kind.OTHER, filename="note.pdf")
    path = archive_dir / record.storage_name
    os.chmod(path, 0o640)
    path.write_bytes(PDF.replace(b"001", b"002"))
    with pytest.raises(ContentChanged):
        open_content(record)
    path.unlink()
    with pytest.raises(ContentMissing):
        open_content(record)


def test_reference_links_records_to_the_archived_object(dossier, world):
    archive(dossier, PDF, kind=Kind.ORIGINAL_RECEIVED, filename="FA.pdf", reference=("invoices", "invoice", 42))
    archive(dossier, b"<CDAR/>", kind=Kind.LIFECYCLE, filename="205.xml", reference=("invoices", "invoice", 42))
    archive(dossier, b"other", kind=Kind.OTHER, filename="x.txt", reference=("invoices", "invoice", 43))
    archive(dossier, b"firm", kind=Kind.OTHER, filename="firm.txt", reference=world.firm)

    records = list(records_for(("invoices", "invoice", "42")))
    assert [r.filename for r in records] == ["FA.pdf", "205.xml"]
    assert records[0].reference == "invoices.invoice:42"
    assert records_for(world.firm).get().reference == f"firms.firm:{world.firm.pk}"


def test_bad_arguments_are_refused_before_anything_is_stored(dossier, archive_dir):
    with pytest.raises(ValueError, match="'invoice' is not a valid Kind"):
        archive(dossier, PDF, kind="invoice", filename="FA.pdf")
    with pytest.raises(TypeError):
        archive(dossier, "text", kind=Kind.OTHER, filename="FA.txt")
    with pytest.raises(ValueError, match=r"^An archived file needs a file name\.$"):
        archive(dossier, PDF, kind=Kind.OTHER, filename="../")
    assert not ArchiveRecord.objects.exists()
    assert not archive_dir.exists() or not any(archive_dir.iterdir())


def test_file_names_are_cleaned():
    assert clean_filename("C:\\Users\\x\\facture.pdf") == "facture.pdf"
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename("fac\nture\x00.pdf") == "facture.pdf"
    long_name = clean_filename("a" * 300 + ".pdf")
    assert len(long_name) == 255 and long_name.endswith(".pdf")


def test_retention_ends_ten_years_later_even_from_29_february():
    leap = datetime.datetime(2028, 2, 29, 12, tzinfo=datetime.UTC)
    assert chain.retention_end(leap) == datetime.datetime(2038, 2, 28, 12, tzinfo=datetime.UTC)


def test_a_datetime_period_is_filed_by_its_day_and_the_chain_holds(dossier):
    moment = datetime.datetime(2026, 3, 14, 23, 30, tzinfo=datetime.UTC)
    record = archive(dossier, PDF, kind=Kind.OTHER, filename="x.pdf", period=moment)
    assert ArchiveRecord.objects.get(pk=record.pk).period == datetime.date(2026, 3, 14)
    assert verify_chain(dossier).ok
    with pytest.raises(TypeError):
        archive(dossier, PDF, kind=Kind.OTHER, filename="x.pdf", period="2026-03-14")
