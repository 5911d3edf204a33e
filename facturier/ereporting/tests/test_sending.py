"""Reports sent through the dossier's accredited platform, against a real one: another ``facturier serve``
with its own database (``facturier.accredited.tests.counterpart``), which takes FRR flows in as a PA does."""

import datetime
import gzip

import pytest

from facturier.accredited.client import PlatformClient, forget_tokens
from facturier.accredited.models import connection_for
from facturier.accredited.tests.counterpart import Counterpart
from facturier.ereporting import schedule
from facturier.ereporting.building import build
from facturier.ereporting.calendar import Family, period_of
from facturier.ereporting.models import Report, ReportKind, ReportStatus
from facturier.ereporting.sending import SendLater, _flow, send, tracking_id
from facturier.ereporting.tests.conftest import b2c
from facturier.testing.live import free_port

DAY = datetime.date(2026, 3, 2)  # each test declares other amounts: its own report content, its own trackingId


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    with Counterpart(tmp_path_factory.mktemp("counterpart")) as counterpart:
        yield counterpart


@pytest.fixture
def connected(shop, platform):
    """The shop's firm connected to the platform (its default connection)."""
    forget_tokens()
    platform.connect(shop.firm)
    return shop


def first_ten_days(dossier):
    return period_of(dossier.vat_regime, Family.TRANSACTIONS, DAY)


def platform_flows(platform, report):
    return [flow for flow in platform.state()["flows"] if flow["tracking_id"] == tracking_id(report)]


def test_a_report_is_sent_acknowledged_and_its_status_shows_on_both_sides(connected, platform):
    b2c(connected, DAY, "20", "1000", count=12)
    report = build(connected, ReportKind.B2C, first_ten_days(connected))

    sent = send(report)

    assert sent.status == ReportStatus.ACKNOWLEDGED and sent.flow_id and sent.sent_at and sent.acknowledged_at
    assert [(f["syntax"], f["type"], f["ack"]) for f in platform_flows(platform, report)] == [
        ("FRR", report.flow_type, "Ok")]
    with PlatformClient(connection_for(connected).connection) as client:
        metadata = client.get_flow(sent.flow_id)
    assert (metadata["flowType"], metadata["acknowledgement"]["status"]) == ("AggregatedCustomerTransactionReport",
                                                                             "Ok")


def test_a_report_the_platform_refuses_is_recorded_with_the_rule_it_breaks(connected, platform):
    b2c(connected, DAY, "20", "100")
    report = build(connected, ReportKind.B2C, first_ten_days(connected))
    wrong = report.xml.replace(b"<TaxPercent>20</TaxPercent>", b"<TaxPercent>19</TaxPercent>")
    Report.objects.filter(pk=report.pk).update(xml_gzip=gzip.compress(wrong))  # what a broken sender would send
    report.refresh_from_db()

    refused = send(report)

    assert refused.status == ReportStatus.REJECTED
    assert "G1.24" in refused.status_detail
    assert [f["ack"] for f in platform_flows(platform, report)] == ["Error"]


def test_a_send_cut_short_after_the_platform_took_the_report_is_not_sent_again(connected, platform):
    b2c(connected, DAY, "10", "300")
    report = build(connected, ReportKind.B2C, first_ten_days(connected))
    link = connection_for(connected)
    with PlatformClient(link.connection, organization_id=link.organization_id) as client:
        _flow(client, report)  # the platform has it, then the sender crashed before recording anything
    assert Report.objects.get(pk=report.pk).status == ReportStatus.READY

    sent = send(report)

    assert sent.status == ReportStatus.ACKNOWLEDGED
    assert len(platform_flows(platform, report)) == 1


def test_an_unavailable_platform_is_tried_again_by_the_worker(connected, platform):
    connection = connection_for(connected).connection
    real_urls = connection.flow_url, connection.token_url
    nowhere = f"http://127.0.0.1:{free_port()}"
    connection.flow_url, connection.token_url = f"{nowhere}/flow-service", f"{nowhere}/auth-service/token"
    connection.save()
    b2c(connected, DAY, "5.5", "80")
    report = build(connected, ReportKind.B2C, first_ten_days(connected))

    with pytest.raises(SendLater, match="automatiquement"):
        send(report)
    report.refresh_from_db()
    assert report.status == ReportStatus.READY and report.next_send_at is not None and report.send_error
    assert schedule.send_due(now=report.next_send_at - datetime.timedelta(seconds=1)) == 0  # not yet

    connection.flow_url, connection.token_url = real_urls
    connection.save()
    forget_tokens()
    assert schedule.send_due(now=report.next_send_at) == 1

    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED and report.next_send_at is None
    assert len(platform_flows(platform, report)) == 1


def test_the_command_sends_the_ready_reports(connected, platform, capsys):
    from django.core.management import call_command

    b2c(connected, DAY, "2.1", "70")
    report = build(connected, ReportKind.B2C, first_ten_days(connected))

    call_command("ereporting", "send", "--dossier", connected.siren, "--period", DAY.isoformat())

    report.refresh_from_db()
    assert report.status == ReportStatus.ACKNOWLEDGED
    assert f"10.3\t2026-03-01\t2026-03-10\tAccepté\t{report.flow_id}" in capsys.readouterr().out
    assert len(platform_flows(platform, report)) == 1


def test_a_rectifying_report_is_sent_and_replaces_the_one_that_left(connected, platform):
    b2c(connected, DAY, "20", "10.10")
    first = send(build(connected, ReportKind.B2C, first_ten_days(connected)))
    b2c(connected, DAY + datetime.timedelta(days=1), "20", "20.20")

    rectifying = send(build(connected, ReportKind.B2C, first_ten_days(connected)))

    assert (rectifying.revision, rectifying.type_code, rectifying.status) == (1, "RE", ReportStatus.ACKNOWLEDGED)
    assert Report.objects.get(pk=first.pk).status == ReportStatus.REPLACED
    assert [f["ack"] for f in platform_flows(platform, first) + platform_flows(platform, rectifying)] == ["Ok", "Ok"]
