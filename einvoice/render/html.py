"""The readable HTML view of an invoice, built from the semantic model.

Every business term present in the model is printed, nothing absent is: a
section without content is left out. Text is escaped once, in ``_e``. The
markup is also well-formed XML (void elements closed), so that the PDF path can
parse it with the C XML parser instead of an HTML5 parser.
"""

import html
import re
from pathlib import Path

from einvoice.render import formatting as fmt
from einvoice.render.labels import (
    DOCUMENT_TYPES,
    EXTRA_PARTY_ROLES,
    NOTE_SUBJECTS,
    PAYMENT_MEANS,
    SCHEMES,
    TAX_POINT_CODES,
    UNITS,
    VAT_CATEGORIES,
    code_name,
    label,
)

STYLESHEET = Path(__file__).with_name("invoice.css")


def build_html(invoice, lang="fr", *, inline_css=True):
    """The whole HTML document; ``inline_css=False`` leaves styling to a stylesheet passed separately."""
    if lang not in ("fr", "en"):
        raise ValueError(f"unsupported language {lang!r}")
    view = _View(invoice, lang)
    style = f"<style>{STYLESHEET.read_text()}</style>" if inline_css else ""
    title = f"{view.document_title()} {invoice.number}"
    body = "".join((
        view.header(), view.parties(), view.references(), view.notes(), view.preceding(), view.delivery(),
        view.lines(), view.allowances_charges(), view.summary(), view.payment(),
        view.attachments(),
    ))
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"/><title>{_e(title)}</title>'
            f"{style}</head><body>{body}</body></html>")



# Characters XML 1.0 forbids: a model built from a form may carry them, the page must not.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _e(value):
    return html.escape(_NOT_XML.sub("", str(value)), quote=True)


def _dl(pairs, flow=False):
    """A definition list of the ``(label, value)`` pairs whose value is present; values are raw HTML.

    ``flow`` runs the pairs on together instead of one per line.
    """
    items = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in pairs if v not in (None, ""))
    opening = '<dl class="flow">' if flow else "<dl>"
    return f"{opening}{items}</dl>" if items else ""


NUMERIC_COLUMNS = {"quantity", "unit_price", "vat", "net_amount", "base_amount", "percentage", "amount", "vat_rate",
                   "taxable_amount", "tax_amount"}


def _section(title, content, cls=""):
    if not content:
        return ""
    return f'<section class="{cls}"><h2>{_e(title)}</h2>{content}</section>'


class _View:
    def __init__(self, invoice, lang):
        self.inv = invoice
        self.lang = lang
        self.currency = invoice.currency
        self.sep = "\u00a0: " if lang == "fr" else ": "

    def head(self, *keys):
        cells = "".join(f'<th class="num">{_e(self.t(k))}</th>' if k in NUMERIC_COLUMNS else f"<th>{_e(self.t(k))}</th>"
                        for k in keys)
        return f"<thead><tr>{cells}</tr></thead>"

    def t(self, key, **values):
        return label(key, self.lang, **values)

    def code(self, table, code):
        """``code`` with its readable name when we know it, escaped."""
        if code is None:
            return None
        name = code_name(table, code, self.lang)
        return f"{_e(name)} ({_e(code)})" if name else _e(code)

    def money(self, value, currency=None):
        return None if value is None else _e(fmt.money(value, self.lang, currency))

    def date(self, value):
        return None if value is None else _e(fmt.date(value, self.lang))

    def period(self, period):
        if period is None or (period.start is None and period.end is None):
            return None
        start, end = fmt.date(period.start, self.lang), fmt.date(period.end, self.lang)
        key = "period_from_to" if period.start and period.end else "period_from" if period.start else "period_to"
        return _e(self.t(key, start=start, end=end))

    def identifier(self, ident):
        if ident is None:
            return None
        if not ident.scheme:
            return _e(ident.value)
        scheme = code_name(SCHEMES, ident.scheme, self.lang) or ident.scheme
        return f'{_e(ident.value)} <span class="scheme">{_e(scheme)}</span>'

    # --- sections ---------------------------------------------------------------------------

    def document_title(self):
        return self.t(DOCUMENT_TYPES.get(self.inv.type_code, "invoice"))

    def header(self):
        inv = self.inv
        tax_point = self.code(TAX_POINT_CODES, inv.tax_point_date_code)
        facts = _dl([
            (self.t("issue_date"), self.date(inv.issue_date)),
            (self.t("due_date"), self.date(inv.due_date)),
            (self.t("type_code"), _e(inv.type_code)),
            (self.t("currency"), _e(inv.currency)),
            (self.t("tax_currency"), _e(inv.tax_currency) if inv.tax_currency else None),
            (self.t("tax_point_date"), self.date(inv.tax_point_date)),
            (self.t("tax_point_date_code"), tax_point),
            (self.t("billing_frame"), _e(inv.business_process) if inv.business_process else None),
            (self.t("invoicing_period"), self.period(inv.invoicing_period)),
        ], flow=True)
        spec = f'<p class="spec">{_e(self.t("specification"))}{self.sep}{_e(inv.specification_id)}</p>'
        return (f'<header><h1>{_e(self.document_title())} <span class="number">{_e(inv.number)}</span></h1>'
                f"{facts}{spec}</header>")

    def party(self, title, party):
        if party is None:
            return ""
        address = self.address(party.address)
        contact = party.contact
        rows = _dl([
            (self.t("trading_name"), _e(party.trading_name) if party.trading_name else None),
            *((self.t("identifier"), self.identifier(i)) for i in party.identifiers),
            (self.t("legal_registration"), self.identifier(party.legal_registration)),
            (self.t("vat_id"), _e(party.vat_id) if party.vat_id else None),
            (self.t("tax_registration"), _e(party.tax_registration_id) if party.tax_registration_id else None),
            (self.t("electronic_address"), self.identifier(party.electronic_address)),
            (self.t("contact"), _e(contact.name) if contact and contact.name else None),
            (self.t("phone"), _e(contact.phone) if contact and contact.phone else None),
            (self.t("email"), _e(contact.email) if contact and contact.email else None),
            (self.t("legal_information"), _e(party.legal_information) if party.legal_information else None),
        ], flow=True)
        name = f'<p class="name">{_e(party.name)}</p>' if party.name else ""
        return f'<div class="party"><h2>{_e(title)}</h2>{name}{address}{rows}</div>'

    def address(self, address):
        if address is None:
            return ""
        city = " ".join(_e(v) for v in (address.postcode, address.city) if v)
        parts = [_e(v) for v in (address.line1, address.line2, address.line3) if v]
        parts += [v for v in (city, _e(address.country_subdivision or ""), _e(address.country_code or "")) if v]
        return f'<p class="address">{"<br/>".join(parts)}</p>' if parts else ""

    def parties(self):
        inv = self.inv
        cards = [self.party(self.t("seller"), inv.seller), self.party(self.t("buyer"), inv.buyer),
                 self.party(self.t("payee"), inv.payee),
                 self.party(self.t("tax_representative"), inv.tax_representative)]
        for extra in inv.extra_parties:
            role = code_name(EXTRA_PARTY_ROLES, extra.role, self.lang) or extra.role
            cards.append(self.party(role, extra.party))
        cards = [c for c in cards if c]
        rows = "".join(f"<tr><td>{cards[i]}</td><td>{cards[i + 1] if i + 1 < len(cards) else ''}</td></tr>"
                       for i in range(0, len(cards), 2))
        return f'<table class="parties">{rows}</table>'

    def references(self):
        inv = self.inv
        names = ["buyer_reference", "contract_reference", "purchase_order_reference", "sales_order_reference",
                 "receiving_advice_reference", "despatch_advice_reference", "tender_reference",
                 "buyer_accounting_reference", "payment_terms"]
        pairs = [(self.t(n), _e(getattr(inv, n)) if getattr(inv, n) else None) for n in names]
        project = " — ".join(_e(v) for v in (inv.project_reference, inv.project_name) if v)
        pairs.insert(1, (self.t("project_reference"), project))
        pairs.append((self.t("invoiced_object_identifier"), self.identifier(inv.invoiced_object_identifier)))
        return _section(self.t("references"), _dl(pairs, flow=True), "references")

    def notes(self):
        items = []
        for note in self.inv.notes:
            subject = code_name(NOTE_SUBJECTS, note.subject_code, self.lang) if note.subject_code else None
            head = f'<span class="subject">{_e(subject or "")} ({_e(note.subject_code)})</span> ' \
                if note.subject_code else ""
            items.append(f"<li>{head}{_e(note.text)}</li>")
        return _section(self.t("notes"), f"<ul>{''.join(items)}</ul>" if items else "", "notes")

    def preceding(self):
        items = []
        for ref in self.inv.preceding_invoices:
            dated = f" {_e(self.t('dated', date=fmt.date(ref.issue_date, self.lang)))}" if ref.issue_date else ""
            kind = f" ({_e(ref.type_code)})" if ref.type_code else ""
            items.append(f"<li>{_e(ref.number)}{dated}{kind}</li>")
        return _section(self.t("preceding_invoices"), f"<ul>{''.join(items)}</ul>" if items else "")

    def delivery(self):
        delivery = self.inv.delivery
        if delivery is None:
            return ""
        content = _dl([
            (self.t("deliver_to"), _e(delivery.party_name) if delivery.party_name else None),
            (self.t("location"), self.identifier(delivery.location_id)),
            (self.t("delivery_date"), self.date(delivery.date)),
        ], flow=True) + self.address(delivery.address)
        return _section(self.t("delivery"), content, "delivery")

    def lines(self):
        if not self.inv.lines:
            return ""
        head = self.head("line_id", "description", "quantity", "unit_price", "vat", "net_amount")
        rows = "".join(self.line(line) for line in self.inv.lines)
        return _section(self.t("lines"), f'<table class="lines">{head}<tbody>{rows}</tbody></table>', "lines")

    def line(self, line):
        item, price = line.item, line.price
        unit = code_name(UNITS, line.unit_code, self.lang) or line.unit_code
        details = [
            (self.t("seller_item_id"), item.seller_id), (self.t("buyer_item_id"), item.buyer_id),
            (self.t("origin_country"), item.origin_country), (self.t("order_line_reference"), line.order_line_reference),
            (self.t("accounting_reference"), line.accounting_reference), (self.t("parent_line"), line.parent_line_id),
            (self.t("line_status"), " ".join(v for v in (line.line_status_code, line.line_status_reason_code) if v)),
            (self.t("gross_price"), price.gross_price is not None and fmt.number(price.gross_price, self.lang, 2)),
            (self.t("price_discount"), price.discount is not None and fmt.number(price.discount, self.lang, 2)),
        ]
        html_details = [f"{_e(k)}{self.sep}{_e(v)}" for k, v in details if v]
        for key, ident in (("standard_item_id", item.standard_id), ("object_identifier", line.object_identifier)):
            if ident:
                html_details.append(f"{_e(self.t(key))}{self.sep}{self.identifier(ident)}")
        html_details += [f"{_e(self.t('classification'))}{self.sep}{self.identifier(c)}" for c in item.classifications]
        html_details += [f"{_e(a.name)}{self.sep}{_e(a.value)}" for a in item.attributes]
        if line.period and self.period(line.period):
            html_details.append(f"{_e(self.t('period'))}{self.sep}{self.period(line.period)}")
        for ac in (*line.allowances, *line.charges):
            html_details.append(self.allowance_charge_text(ac))
        description = f'<p class="item-description">{_e(item.description)}</p>' if item.description else ""
        note = f'<p class="line-note">{_e(line.note)}</p>' if line.note else ""
        detail = f'<p class="detail">{" · ".join(html_details)}</p>' if html_details else ""
        unit_price = _e(fmt.number(price.net_price, self.lang, 2))
        if price.base_quantity not in (None, 1):
            base_unit = code_name(UNITS, price.base_quantity_unit, self.lang) or price.base_quantity_unit or ""
            unit_price += " " + _e(self.t("per_base_quantity",
                                          quantity=f"{fmt.number(price.base_quantity, self.lang)} {base_unit}".strip()))
        vat = line.vat_category + (f" {fmt.percent(line.vat_rate, self.lang)}" if line.vat_rate is not None else "")
        return (f'<tr><td class="id">{_e(line.id)}</td><td><p class="item">{_e(item.name)}</p>{description}{note}'
                f"{detail}</td><td class=\"num\">{_e(fmt.number(line.quantity, self.lang))} {_e(unit)}</td>"
                f'<td class="num">{unit_price}</td><td class="num">{_e(vat)}</td>'
                f'<td class="num">{self.money(line.net_amount)}</td></tr>')

    def allowance_charge_text(self, ac):
        kind = _e(self.t("charge" if ac.is_charge else "allowance"))
        reason = " ".join(_e(v) for v in (ac.reason, f"({ac.reason_code})" if ac.reason_code else None) if v)
        rate = f" {_e(fmt.percent(ac.percentage, self.lang))}" if ac.percentage is not None else ""
        base = f" × {self.money(ac.base_amount)}" if ac.base_amount is not None else ""
        described = f" ({reason}{rate}{base})" if reason or rate or base else ""
        return f"{kind}{described}{self.sep}{self.money(ac.amount)}"

    def allowances_charges(self):
        rows = []
        for ac in (*self.inv.allowances, *self.inv.charges):
            vat = " ".join(v for v in (ac.vat_category, ac.vat_rate is not None and fmt.percent(ac.vat_rate, self.lang)) if v)
            reason = " ".join(v for v in (ac.reason, f"({ac.reason_code})" if ac.reason_code else None) if v)
            rows.append(
                f"<tr><td>{_e(self.t('charge' if ac.is_charge else 'allowance'))}</td><td>{_e(reason)}</td>"
                f'<td class="num">{self.money(ac.base_amount) or ""}</td>'
                f'<td class="num">{_e(fmt.percent(ac.percentage, self.lang)) if ac.percentage is not None else ""}</td>'
                f'<td class="num">{_e(vat)}</td><td class="num">{self.money(ac.amount)}</td></tr>')
        if not rows:
            return ""
        head = self.head("allowances_charges", "reason", "base_amount", "percentage", "vat", "amount")
        return _section(self.t("allowances_charges"),
                        f'<table class="grid charges">{head}<tbody>{"".join(rows)}</tbody></table>')

    def vat_breakdown(self):
        rows = []
        for vat in self.inv.vat_breakdown:
            reason = " ".join(v for v in (vat.exemption_reason, vat.exemption_reason_code and f"({vat.exemption_reason_code})") if v)
            rate = fmt.percent(vat.rate, self.lang) if vat.rate is not None else ""
            rows.append(f"<tr><td>{self.code(VAT_CATEGORIES, vat.category)}</td><td class=\"num\">{_e(rate)}</td>"
                        f'<td class="num">{self.money(vat.taxable_amount)}</td>'
                        f'<td class="num">{self.money(vat.tax_amount)}</td><td>{_e(reason)}</td></tr>')
        if not rows:
            return ""
        head = self.head("vat_category", "vat_rate", "taxable_amount", "tax_amount", "exemption_reason")
        return _section(self.t("vat_breakdown"), f'<table class="grid">{head}<tbody>{"".join(rows)}</tbody></table>')

    def summary(self):
        """VAT breakdown and totals side by side, as on a paper invoice."""
        return (f'<table class="summary"><tr><td class="vat">{self.vat_breakdown()}</td>'
                f'<td class="total">{self.totals()}</td></tr></table>')

    def totals(self):
        tot, cur = self.inv.totals, self.currency
        pairs = [
            ("line_total", tot.line_total, cur), ("allowance_total", tot.allowance_total, cur),
            ("charge_total", tot.charge_total, cur), ("tax_exclusive", tot.tax_exclusive, cur),
            ("tax_total", tot.tax_total, cur),
            ("tax_total_accounting", tot.tax_total_accounting, self.inv.tax_currency),
            ("tax_inclusive", tot.tax_inclusive, cur), ("prepaid", tot.prepaid, cur),
            ("rounding", tot.rounding, cur), ("payable", tot.payable, cur),
        ]
        rows = "".join(f'<tr class="{key}"><th>{_e(self.t(key))}</th><td class="num">{self.money(value, currency)}</td></tr>'
                       for key, value, currency in pairs if value is not None)
        return f'<table class="totals">{rows}</table>'

    def payment(self):
        pay = self.inv.payment_instructions
        if pay is None:
            return ""
        means = self.code(PAYMENT_MEANS, pay.means_code)
        pairs = [(self.t("payment_means"), means + (f" — {_e(pay.means_text)}" if pay.means_text else "")),
                 (self.t("remittance_information"), _e(pay.remittance_information or ""))]
        for transfer in pay.credit_transfers:
            pairs += [(self.t("account"), f'<span class="iban">{_e(fmt.grouped(transfer.account_id))}</span>'),
                      (self.t("account_name"), _e(transfer.account_name or "")),
                      (self.t("bic"), _e(transfer.service_provider_id or ""))]
        if pay.card:
            pairs += [(self.t("card"), _e(" ".join(v for v in (pay.card.network_id, pay.card.account_number) if v))),
                      (self.t("card_holder"), _e(pay.card.holder_name or ""))]
        if pay.direct_debit:
            debit = pay.direct_debit
            pairs += [(self.t("mandate_reference"), _e(debit.mandate_reference or "")),
                      (self.t("creditor_id"), _e(debit.creditor_id or "")),
                      (self.t("debited_account"), _e(fmt.grouped(debit.debited_account_id or "")))]
        return _section(self.t("payment"), _dl(pairs, flow=True), "payment")

    def attachments(self):
        items = []
        for att in self.inv.attachments:
            parts = [f"<strong>{_e(att.id)}</strong>"]
            parts += [_e(v) for v in (att.description, att.filename, att.mime_code) if v]
            if att.content is not None:
                parts.append(_e(self.t("bytes", size=fmt.number(len(att.content), self.lang))))
            if att.uri:
                parts.append(f"{_e(self.t('link'))}{self.sep}{_e(att.uri)}")
            items.append(f"<li>{' — '.join(parts)}</li>")
        return _section(self.t("attachments"), f"<ul>{''.join(items)}</ul>" if items else "", "attachments")
