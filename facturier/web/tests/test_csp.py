"""Every page of the platform carries a strict Content-Security-Policy and no inline code.

The URL list comes from the resolver itself, so a page added later is checked
without touching this test; each URL is requested by an anonymous visitor, the
firm's chartered accountant, a firm administrator and the client owner.
"""

import random
from html.parser import HTMLParser

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from einvoice.recognition.specimens import make_specimen, render_pdf
from facturier.dossiers.models import DossierMembership, Invitation
from facturier.exchange.tests.support import customer, issued_invoice
from facturier.invoices.models import Direction, InvoiceState
from facturier.invoices.receiving.intake import receive_file
from facturier.invoices.tests.screens_data import make_invoice
from facturier.recognition import service as recognition

pytestmark = pytest.mark.django_db

ROLES = (None, "accountant", "admin", "client")
# The invoice rendering is a sandboxed document with its own policy (no script at all,
# its inline styles allowed): see invoices.views.screens.RENDERING_POLICY.
OWN_POLICY = {"invoices:rendering"}
# Pages that must really render (200) for at least one of the roles: the crawl is not
# allowed to pass on a world where every page answers 404.
MUST_RENDER = {
    "accounts:login", "accounts:password_reset", "accounts:password_reset_done", "accounts:terms",
    "dossiers:accept_invitation", "dossiers:dossier_users", "dashboard:firms", "dashboard:clients", "firms:team",
    "dashboard:staff", "firms:audit", "dossiers:new", "dossiers:detail", "dossiers:import",
    "archive:files", "invoices:sales", "invoices:purchases", "invoices:detail", "invoices:rendering",
    "invoices:usage", "invoices:my_tasks", "issuing:new", "issuing:edit",
    "receiving:upload", "ledger:pending", "ledger:settings", "dashboard:home", "dashboard:settings",
    "dossiers:company", "thirdparties:customers", "thirdparties:suppliers", "thirdparties:detail",
    "web:privacy", "web:security", "web:help",
    "mailbox:settings", "mailbox:messages",
    "recognition:review",
    "accredited:connections", "accredited:dossier_platform",
}


def named_patterns(patterns=None, namespace=""):
    """(route name, pattern) for every view of the URL configuration."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.pattern


@pytest.fixture
def samples(seller_world):
    """One object of each kind the URLs name, in the world's active dossier."""
    world = seller_world
    sale = issued_invoice(world.active, customer(world.active))
    draft = make_invoice(world.active, Direction.SALES, "BROUILLON", state=InvoiceState.DRAFT)
    purchase = make_invoice(world.active, Direction.PURCHASE, "A-1")
    invitation, token = Invitation.issue(email="nouveau@client.example", dossier=world.invited,
                                         invited_by=world.user("accountant"), rights={"is_owner": True})
    unstructured = receive_file(world.active, "scan.pdf", render_pdf(make_specimen(random.Random(1), lines=2)))
    recognised = recognition.read(recognition.start(incoming=unstructured).pk)  # read here: no commit in this test
    client = world.user("client")
    membership = DossierMembership.objects.get(dossier=world.active, user=client)
    common = {
        "pk": world.active.pk, "dossier_id": world.active.pk, "firm_id": world.firm.pk,
        "invoice_id": sale.pk, "membership_pk": membership.pk, "invitation_pk": invitation.pk,
        "user_id": world.user("admin").pk, "token": token, "sequence": 1, "export_id": 1,
        "siren": "356000000", "uidb64": urlsafe_base64_encode(force_bytes(client.pk)),
        "siret": "35600000000048", "routing_identifier": "SERVICE", "addressing_identifier": "356000000",
        "file_id": 1,
        "flow_id": "00000000-0000-4000-8000-000000000000", "uid": "00000000-0000-4000-8000-000000000000",
        "number": 0,
    }
    by_route = {
        "accounts:password_reset_confirm": {"token": default_token_generator.make_token(client)},
        "invoices:decide": {"pk": purchase.pk},
        "issuing:edit": {"pk": draft.pk},
        "issuing:issued": {"pk": sale.pk}, "issuing:credit_note": {"pk": sale.pk},
        "issuing:resend": {"pk": sale.pk},
        "thirdparties:detail": {"pk": sale.third_party_id},
        "thirdparties:confirm_creation": {"pk": sale.third_party_id},
        "recognition:review": {"pk": recognised.pk}, "recognition:page": {"pk": recognised.pk},
        "accredited_receiving:webhook": {"token": "00000000-0000-4000-8000-000000000000"},
    }
    return world, common, by_route


def urls(common, by_route):
    for name, pattern in named_patterns():
        params = {**common, **by_route.get(name, {})}
        yield name, reverse(name, kwargs={key: params[key] for key in pattern.converters})


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts, on* handlers, inline styles."""

    def __init__(self):
        super().__init__()
        self.found = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.found += [f"<{tag} {name}=…>" for name in attrs if name.startswith("on") or name == "style"]
        self.found += [f"<{tag} href=javascript:…>" for value in [attrs.get("href") or ""]
                       if value.strip().lower().startswith("javascript:")]
        if tag == "style":
            self.found.append("<style>")
        # json_script's data block is not code; any other script must come from a file.
        self._in_script = tag == "script" and "src" not in attrs and attrs.get("type") != "application/json"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:40]}")


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def directives(policy):
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_strict(name, response):
    policy = directives(response["Content-Security-Policy"])
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, name
    if name in OWN_POLICY and response.status_code == 200:
        assert policy["default-src"] == ["'none'"] and "sandbox" in policy, name
        return
    assert policy["default-src"] == ["'self'"], name
    assert "'unsafe-inline'" not in policy.get("style-src", policy["default-src"]), name
    assert policy["object-src"] == ["'none'"], name


def test_every_page_is_served_under_a_strict_policy_without_inline_code(samples):
    world, common, by_route = samples
    rendered = set()
    for role in ROLES:
        browser = Client()
        if role:
            browser.force_login(world.user(role))
        for name, url in urls(common, by_route):
            if name == "accounts:logout":
                continue  # POST only; signing out would end this role's crawl
            response = browser.get(url)
            # 503: the single sign-on provider is not running here; its page says so.
            assert response.status_code < 500 or response.status_code == 503, (role, name, url)
            assert_strict(name, response)
            if response.status_code in (200, 503) and response["Content-Type"].startswith("text/html"):
                rendered.add(name)
                found = inline_code(response.content.decode())
                if name in OWN_POLICY:  # its styles are inline by design; still never a script
                    found = [item for item in found if item != "<style>" and "style=" not in item]
                assert found == [], (role, name, url)
    assert MUST_RENDER - rendered == set()


def test_error_pages_are_strict_too(client):
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert_strict("404", response)
    assert inline_code(response.content.decode()) == []


def test_the_checker_finds_what_the_policy_would_block():
    assert inline_code('<select onchange="this.form.submit()"></select>') == ["<select onchange=…>"]
    assert inline_code("<script>alert(1)</script>") == ["<script>alert(1)"]
    assert inline_code('<p style="color:red">') == ["<p style=…>"]
    assert inline_code('<script src="/static/web/behaviours.js" defer></script>') == []
    assert inline_code('<script id="x" type="application/json">{"a": 1}</script>') == []
