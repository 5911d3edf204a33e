"""The whole exchange between two real installations (issue 11): a dossier of the firm issues an invoice to a
company that is a dossier only on the accredited platform; it arrives there; the buyer approves (205) and pays
(211) there; the firm sees both statuses in the lifecycle; the seller records 212 and the buyer sees it."""

from facturier.accredited.receiving.tests.pair import BUYER_SIREN, DOSSIER_SIREN, Pair

FIRM_ISSUES = """
from facturier.dossiers.models import Dossier
from facturier.exchange.tests.support import customer, draft
from facturier.invoices.issuing import issue as issuing
seller = Dossier.objects.get(siren="%(seller)s", status="active")
buyer = customer(seller, siren="%(buyer)s", email="", output_format="cii")
invoice = issuing.save_draft(seller, draft(buyer), customer=buyer)
issuing.issue(invoice)
invoice.refresh_from_db()
print_json({"number": invoice.number, "delivery": invoice.delivery_state, "amount": str(invoice.amount_due)})
"""
BUYER_DECIDES = """
from facturier.invoices.decisions import record_decision
from facturier.invoices.models import Invoice
invoice = Invoice.objects.get(dossier__siren="%(buyer)s", direction="purchase", number="%(number)s")
record_decision(invoice, 205, confirmed=True)
record_decision(invoice, 211)
print_json(True)
"""
SELLER_RECORDS_PAYMENT = """
from decimal import Decimal
from facturier.invoices.decisions import record_decision
from facturier.invoices.models import Invoice
invoice = Invoice.objects.get(dossier__siren="%(seller)s", direction="sales", number="%(number)s")
record_decision(invoice, 212, amount=Decimal("%(amount)s"))
print_json(True)
"""
BUYER_SIDE = """
from facturier.invoices.models import Invoice
invoice = Invoice.objects.get(dossier__siren="%(buyer)s", direction="purchase", number="%(number)s")
print_json({"statuses": list(invoice.events.order_by("at", "pk").values_list("status", flat=True)),
            "paid": str(invoice.amount_paid)})
"""


def test_an_invoice_and_its_statuses_travel_both_ways_through_the_platform(tmp_path):
    with Pair(tmp_path) as pair:
        pair.start_platform()
        pair.start_firm()
        issued = pair.firm.django(FIRM_ISSUES % {"seller": DOSSIER_SIREN, "buyer": BUYER_SIREN})
        assert issued["delivery"] == "delivered"
        number = issued["number"]
        values = {"buyer": BUYER_SIREN, "seller": DOSSIER_SIREN, "number": number, "amount": issued["amount"]}
        assert pair.platform.django(BUYER_SIDE % values)["statuses"][:2] == [202, 203], "it arrived at the buyer's"

        pair.platform.django(BUYER_DECIDES % values)
        pair.firm_command("accredited", "pull")
        statuses = pair.firm_state()["statuses"][number]
        assert statuses.count(205) == 1 and statuses.count(211) == 1, statuses

        pair.firm_command("accredited", "pull")  # pulled again: nothing new, nothing twice
        assert pair.firm_state()["statuses"][number] == statuses

        pair.firm.django(SELLER_RECORDS_PAYMENT % values)
        buyer_side = pair.platform.django(BUYER_SIDE % values)
        assert buyer_side["statuses"].count(212) == 1 and buyer_side["statuses"][-1] == 212, buyer_side
        assert buyer_side["paid"] == issued["amount"]
