"""Invoices the project makes for itself to measure recognition against: the truth is what it wrote.

    specimen = make_specimen(random.Random(7), layout="classique")
    specimen.truth["total_incl_vat"]       # Decimal, as printed
    pdf = render_pdf(specimen)             # a text PDF (WeasyPrint)
    scan_pdf(pdf, rng), photo_jpeg(pdf, rng)   # the same pages as a noisy, skewed scan or a photo

Data are random but consistent: valid SIREN, SIRET, VAT numbers and IBANs
(French, German, Belgian sellers, and American ones without an EU VAT number),
one to fifty lines at several VAT rates, totals that add up. Layouts differ in
place, wording (French, English), number and date formats; ``quirky`` uses
labels no generic rule knows, for the supplier layout memory.
"""

import datetime
import html
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from PIL import Image, ImageDraw, ImageFilter
from stdnum import luhn
from stdnum.iso7064 import mod_11_10, mod_97_10

from einvoice.recognition import pdftext

LAYOUTS = ("classique", "modern", "compact")
CENT = Decimal("0.01")
WORDS = ("Conseil", "Maintenance", "Licence", "Formation", "Audit", "Câble", "Papier", "Toner", "Serveur",
         "Écran", "Clavier", "Transport", "Installation", "Support", "Abonnement", "Étude", "Livraison")
QUALIFIERS = ("annuel", "mensuel", "premium", "standard", "sur site", "à distance", "A4", "HDMI", "24 pouces")
NAMES = ("Atelier", "Bureau", "Comptoir", "Maison", "Groupe", "Société", "Compagnie", "Studio", "Fabrique")
PLACES = ("Loire", "Provence", "Vercors", "Armor", "Morvan", "Jura", "Cévennes", "Vexin", "Bocage", "Quercy")
FORMS = ("SARL", "SAS", "SA", "EURL")
FOREIGN = {
    "DE": (("Schmidt", "Becker", "Wagner", "Hoffmann"), "GmbH", "Hauptstraße", "10115 Berlin"),
    "BE": (("Peeters", "Janssens", "Maes", "Dubois"), "SRL", "Rue Royale", "1000 Bruxelles"),
    "US": (("Franklin", "Harbor", "Summit", "Pioneer"), "Inc.", "Market Street", "San Francisco, CA 94105"),
}
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")


@dataclass
class Seller:
    name: str
    country: str
    address: str
    city: str
    siren: str = ""
    siret: str = ""
    vat: str = ""
    iban: str = ""
    currency: str = "EUR"
    rates: tuple = (Decimal("20"),)


@dataclass
class Specimen:
    seller: Seller
    layout: str
    truth: dict
    buyer: dict = field(default_factory=dict)


def digits(rng, count):
    return "".join(rng.choice("0123456789") for _ in range(count))


def french_seller(rng):
    siren = digits(rng, 8)
    siren += luhn.calc_check_digit(siren)
    nic = digits(rng, 4)
    siret = siren + nic + luhn.calc_check_digit(siren + nic)
    vat = f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
    bank, branch, account = digits(rng, 5), digits(rng, 5), digits(rng, 11)
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    name = f"{rng.choice(NAMES)} {rng.choice(PLACES)} {rng.choice(FORMS)}"
    rates = tuple(Decimal(r) for r in rng.sample(["20", "10", "5.5", "2.1"], rng.randint(1, 3)))
    return Seller(name, "FR", f"{rng.randint(1, 120)} rue {rng.choice(PLACES)}",
                  f"{rng.randint(10, 95)}{digits(rng, 3)} {rng.choice(PLACES)}-Ville", siren, siret, vat,
                  iban("FR", bban), "EUR", rates)


def foreign_seller(rng, country):
    names, form, street, city = FOREIGN[country]
    name = f"{rng.choice(names)} {rng.choice(('Systems', 'Trading', 'Partners', 'Labs'))} {form}"
    if country == "DE":
        number = digits(rng, 8)
        vat, account = "DE" + number + mod_11_10.calc_check_digit(number), iban("DE", digits(rng, 18))
    elif country == "BE":
        number = "0" + digits(rng, 7)
        vat, account = f"BE{number}{97 - int(number) % 97:02d}", ""
    else:
        vat, account = "", ""
    return Seller(name, country, f"{rng.randint(1, 99)} {street}", city, vat=vat, iban=account,
                  currency="USD" if country == "US" else "EUR", rates=(Decimal("0"),))


def iban(country, bban):
    check = mod_97_10.calc_check_digits(bban + country)
    return f"{country}{check}{bban}"


def make_seller(rng, foreign=None):
    """A French seller, or a foreign one (``"DE"``, ``"BE"``, ``"US"``); random when ``foreign`` is True."""
    if foreign is True:
        foreign = rng.choice(sorted(FOREIGN))
    return foreign_seller(rng, foreign) if foreign else french_seller(rng)


BUYER = {"name": "Bioburo SAS", "siren": "356000000", "vat": "FR89356000000",
         "address": "8 avenue de la Gare", "city": "69001 Lyon"}


def make_specimen(rng, *, seller=None, layout=None, lines=None, buyer=BUYER):
    seller = seller or make_seller(rng, foreign=rng.random() < 0.25)
    layout = layout or rng.choice(LAYOUTS)
    count = lines or rng.choice((1, 2, 3, 5, 8, 12, 20, 35, 50))
    rows = []
    for _ in range(count):
        quantity = Decimal(rng.choice((1, 1, 2, 3, 5, 10, 12, 25)))
        price = (Decimal(rng.randint(300, 250000)) / 100).quantize(CENT)
        rows.append({"description": f"{rng.choice(WORDS)} {rng.choice(QUALIFIERS)}", "quantity": quantity,
                     "unit_price": price, "vat_rate": rng.choice(seller.rates),
                     "amount": (quantity * price).quantize(CENT, ROUND_HALF_UP)})
    vat = []
    for rate in sorted({row["vat_rate"] for row in rows}, reverse=True):
        base = sum((row["amount"] for row in rows if row["vat_rate"] == rate), Decimal(0))
        vat.append({"rate": rate, "base": base, "amount": (base * rate / 100).quantize(CENT, ROUND_HALF_UP)})
    excl = sum((row["amount"] for row in rows), Decimal(0))
    total_vat = sum((row["amount"] for row in vat), Decimal(0))
    issued = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 300))
    prefix = rng.choice(("F", "FA", "INV", "FAC"))
    truth = {
        "seller_name": seller.name, "seller_siren": seller.siren, "seller_vat": seller.vat,
        "number": f"{prefix}-{issued.year}-{rng.randint(1, 9999):04d}", "issue_date": issued,
        "due_date": issued + datetime.timedelta(days=rng.choice((15, 30, 45, 60))), "currency": seller.currency,
        "iban": seller.iban, "total_excl_vat": excl, "total_vat": total_vat, "total_incl_vat": excl + total_vat,
        "vat": vat, "lines": rows,
    }
    return Specimen(seller, layout, truth, buyer)


def money(value, style, currency):
    text = f"{value:,.2f}"
    symbol = {"EUR": "€", "USD": "$"}[currency]
    if style == "en":
        return f"{symbol}{text}"
    if style == "dots":
        return text.replace(",", " ").replace(".", ",").replace(" ", ".") + f" {currency}"
    return text.replace(",", "\u202f").replace(".", ",") + f" {symbol}"


def day(value, style):
    if style == "en":
        return f"{MONTHS_EN[value.month - 1]} {value.day}, {value.year}"
    if style == "dots":
        return f"{value.day} {MONTHS_FR[value.month - 1]} {value.year}"
    return value.strftime("%d/%m/%Y")


def rate_text(rate):
    return f"{rate.normalize():f}".replace(".", ",") + " %"


STYLE = """@page { size: A4; margin: 14mm 14mm 18mm 14mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; color: #111; }
h1 { font-size: 16pt; margin: 0 0 4pt 0; } h2 { font-size: 20pt; margin: 0; }
table { border-collapse: collapse; } td, th { padding: 3pt 8pt; text-align: left; vertical-align: top; }
table.lines { width: 100%; margin-top: 14pt; } table.lines th { border-bottom: 1.5pt solid #333; }
table.lines td.n, table.lines th.n, table.totals td.n { text-align: right; }
table.totals { margin: 12pt 0 0 auto; } .foot { margin-top: 18pt; font-size: 8pt; color: #333; }
.row { display: flex; justify-content: space-between; } .right { text-align: right; }
.center { text-align: center; } table.info th { font-weight: normal; color: #555; }"""


def render_pdf(specimen):
    """The specimen as a text PDF, in its layout."""
    import weasyprint

    return weasyprint.HTML(string=render_html(specimen)).write_pdf()


def render_html(specimen):
    s, t, b = specimen.seller, specimen.truth, specimen.buyer
    e = html.escape
    style = {"modern": "en", "compact": "dots"}.get(specimen.layout, "fr")
    m = lambda v: money(v, style, t["currency"])  # noqa: E731
    ids = " – ".join(part for part in (
        f"SIRET {s.siret[:3]} {s.siret[3:6]} {s.siret[6:9]} {s.siret[9:]}" if s.siret else "",
        f"TVA intracommunautaire {s.vat}" if s.vat and style != "en" else (f"VAT No. {s.vat}" if s.vat else ""),
    ) if part)
    bank = f"IBAN {' '.join(t['iban'][i:i + 4] for i in range(0, len(t['iban']), 4))}" if t["iban"] else ""
    seller_block = f"<h1>{e(s.name)}</h1><div>{e(s.address)}<br>{e(s.city)}</div>"
    buyer_label = "Bill to" if style == "en" else "Client"
    buyer_block = (f"<div><b>{buyer_label}</b><br>{e(b['name'])}<br>{e(b['address'])}<br>{e(b['city'])}"
                   f"<br>{'VAT' if style == 'en' else 'TVA'} {b['vat']}</div>")
    labels = {
        "fr": ("Désignation", "Qté", "PU HT", "TVA", "Montant HT", "Total HT", "TVA", "Total TTC"),
        "en": ("Description", "Qty", "Unit price", "VAT", "Amount", "Subtotal", "VAT", "Total due"),
        "dots": ("Libellé", "Quantité", "Prix unitaire", "Taux TVA", "Total HT", "Montant HT", "TVA", "Net à payer"),
    }[style]
    rows = "".join(
        f"<tr><td>{e(r['description'])}</td><td class=n>{r['quantity']}</td><td class=n>{m(r['unit_price'])}</td>"
        f"<td class=n>{rate_text(r['vat_rate'])}</td><td class=n>{m(r['amount'])}</td></tr>" for r in t["lines"])
    lines = (f"<table class=lines><thead><tr><th>{labels[0]}</th><th class=n>{labels[1]}</th>"
             f"<th class=n>{labels[2]}</th><th class=n>{labels[3]}</th><th class=n>{labels[4]}</th></tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    vat_rows = "".join(f"<tr><td>{labels[6]} {rate_text(v['rate'])}</td><td class=n>{m(v['amount'])}</td></tr>"
                       for v in t["vat"])
    totals = (f"<table class=totals><tr><td>{labels[5]}</td><td class=n>{m(t['total_excl_vat'])}</td></tr>"
              f"{vat_rows}<tr><td><b>{labels[7]}</b></td><td class=n><b>{m(t['total_incl_vat'])}</b></td></tr></table>")
    issue, due = day(t["issue_date"], style), day(t["due_date"], style)
    if specimen.layout == "modern":
        head = (f"<h2>INVOICE</h2><div class=row><div style='margin-top:10pt'>{seller_block}</div>"
                f"<div style='margin-top:10pt'>{buyer_block}</div></div>"
                f"<table class=info style='margin-top:12pt'><tr><th>Invoice No.</th><th>Invoice date</th>"
                f"<th>Due date</th></tr><tr><td>{e(t['number'])}</td><td>{issue}</td><td>{due}</td></tr></table>")
    elif specimen.layout == "compact":
        head = (f"<div class=center>{seller_block}</div><div class=row style='margin-top:12pt'>"
                f"<table class=info><tr><th>N° facture</th><th>Date</th><th>Échéance</th></tr>"
                f"<tr><td>{e(t['number'])}</td><td>{issue}</td><td>{due}</td></tr></table>{buyer_block}</div>")
    elif specimen.layout == "quirky":
        head = (f"<div class=row><div>{seller_block}</div><div class=right><h2>FACTURE</h2>"
                f"<div>Réf. pièce {e(t['number'])}</div><div>Émise le {issue}</div><div>Échéance : {due}</div>"
                f"</div></div><div style='margin-top:10pt'>{buyer_block}</div>")
    else:
        head = (f"<div class=row><div>{seller_block}</div><div class=right><h2>FACTURE</h2>"
                f"<table class=info style='margin-left:auto'><tr><td>Facture n°</td><td>{e(t['number'])}</td></tr>"
                f"<tr><td>Date</td><td>{issue}</td></tr><tr><td>Échéance</td><td>{due}</td></tr></table>"
                f"</div></div><div style='margin-top:10pt'>{buyer_block}</div>")
    foot = f"<div class=foot>{e(s.name)} – {e(s.address)}, {e(s.city)}<br>{ids}<br>{bank}</div>"
    return (f"<html><head><meta charset=utf-8><style>{STYLE}</style></head>"
            f"<body>{head}{lines}{totals}{foot}</body></html>")


def pages_as_images(pdf, dpi):
    document = pdftext.open_pdf(pdf)
    try:
        return [pdftext.render(document[number], dpi).convert("L") for number in range(len(document))]
    finally:
        document.close()


def degrade(image, rng, *, max_skew, blur, noise, turn=0):
    """A page as a scanner or a phone would take it: skewed, blurred, grainy, maybe turned."""
    angle = rng.uniform(-max_skew, max_skew)
    image = image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=235)
    image = image.filter(ImageFilter.GaussianBlur(blur))
    grain = Image.effect_noise(image.size, noise).point(lambda v: v - 128)
    image = Image.blend(image, grain.convert("L"), 0.08) if noise else image
    shade = Image.linear_gradient("L").resize(image.size).point(lambda v: 255 - v // 6)
    image = Image.composite(image, shade, Image.new("L", image.size, 200))
    if turn:
        image = image.rotate(-turn, expand=True)
    ImageDraw.Draw(image)  # the image stays a plain greyscale page
    return image


def scan_pdf(pdf, rng, dpi=150):
    """The PDF's pages as a scanned, image-only PDF (no text layer)."""
    pages = [degrade(page, rng, max_skew=2.0, blur=0.5, noise=20) for page in pages_as_images(pdf, dpi)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=dpi, save_all=True, append_images=pages[1:])
    return out.getvalue()


def photo_jpeg(pdf, rng, dpi=160, turn=0):
    """The PDF's first page as a phone photo (JPEG): more skew, softer, uneven light, maybe turned."""
    page = degrade(pages_as_images(pdf, dpi)[0], rng, max_skew=4.0, blur=0.8, noise=30, turn=turn)
    out = io.BytesIO()
    page.save(out, "JPEG", quality=72)
    return out.getvalue()


HEADER_FIELDS = ("seller_name", "seller_siren", "seller_vat", "number", "issue_date", "due_date", "currency", "iban")
TOTAL_FIELDS = ("total_excl_vat", "total_vat", "total_incl_vat")
BUYER_IDS = {BUYER["siren"], BUYER["vat"]}


def exact_fields(result, truth):
    """{field: read exactly as printed?} over the header fields and totals (absent when absent counts as exact)."""
    from einvoice.recognition.fields import plain

    def same(name):
        read, expected = result.value(name), truth[name]
        if name == "seller_name":
            return plain(read or "") == plain(expected or "")
        return (read or "") == (expected or "")

    return {name: same(name) for name in HEADER_FIELDS + TOTAL_FIELDS}


def lines_exact(result, truth):
    """Whether every line was read with its amount, in order."""
    return [row.get("amount") for row in result.lines] == [row["amount"] for row in truth["lines"]]
