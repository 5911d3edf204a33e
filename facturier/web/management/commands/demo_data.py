"""Demo firms, people and dossiers, from the development identity provider's roster.

Idempotent: what exists is left as it is (the demo may have moved a dossier
on), what is missing is created.

The firm's own dossier of Cabinet Démo is active with Claire Martin as owner:
she signs in through single sign-on and never has a password, so the demo
shows the invitation as completed rather than asking her to set one. Cabinet
Voisin's own dossier stays invited, to show that state too.

BIOBURO and PREMYS then get their invoices (``facturier.web.demo_invoices``):
both ways, every status, a refusal answered by a credit note, anomalies to
resolve and entries waiting for accounting, so every home page speaks at the
first sign-in.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum import luhn

from facturier.accounts.models import User
from facturier.audit.models import AuditAction, record
from facturier.devidp import people
from facturier.dossiers.last_used import last_dossier, remember
from facturier.dossiers.models import Assignment, Dossier, DossierMembership, DossierStatus, Invitation
from facturier.dossiers.receivers import create_own_dossier
from facturier.firms.models import Firm, FirmMembership, Role
from facturier.identifiers import french_vat_number
from facturier.web import demo_invoices

ACTIVE, INVITED, NOT_ACTIVATED = DossierStatus.ACTIVE, DossierStatus.INVITED, DossierStatus.NOT_ACTIVATED
SOPHIE, HUGO = "sophie.bernard@cabinet-demo.example", "hugo.petit@cabinet-demo.example"


def siren(base):
    """A valid SIREN from eight made-up digits (Luhn key appended)."""
    return base + luhn.calc_check_digit(base)


# name, SIREN (None: foreign company known by VAT), address, postal code, city, month,
# representative (name, e-mail), status, assigned staff
DEMO_CLIENTS = [
    ("BIOBURO", siren("50377687"), "12 rue des Tanneurs", "78250", "Meulan-en-Yvelines", 12,
     ("Pierre Conerardy", "pierre.conerardy@bioburo.example"), ACTIVE, [SOPHIE]),
    ("SCI Conerardy", siren("84213570"), "12 rue des Tanneurs", "78250", "Meulan-en-Yvelines", 12,
     ("Pierre Conerardy", "pierre.conerardy@bioburo.example"), ACTIVE, [SOPHIE]),
    ("PREMYS", siren("32359288"), "4 avenue Jean Jaurès", "69007", "Lyon", 12,
     ("Julie Morel", "julie.morel@premys.example"), ACTIVE, [HUGO]),
    ("Boulangerie Martin", siren("91245873"), "8 place du Marché", "21000", "Dijon", 9,
     ("Paul Martin", "paul.martin@boulangerie-martin.example"), INVITED, [SOPHIE]),
    ("Garage des Tilleuls", siren("77014526"), "35 route de Paris", "45000", "Orléans", 6,
     ("Karim Haddad", "karim.haddad@garage-tilleuls.example"), INVITED, [HUGO]),
    ("Menuiserie Dubois", siren("43861209"), "2 chemin des Scieries", "88100", "Saint-Dié-des-Vosges", 3,
     ("Élodie Dubois", "elodie.dubois@menuiserie-dubois.example"), NOT_ACTIVATED, [SOPHIE, HUGO]),
    ("Fromagerie du Vercors", siren("52198437"), "Le Village", "38250", "Villard-de-Lans", 2,
     ("Luc Arnaud", "luc.arnaud@fromagerie-vercors.example"), NOT_ACTIVATED, []),
    ("Brasserie Van Damme", None, "Rue de la Station 14", "1000", "Bruxelles", 12,
     ("Annelies Van Damme", "annelies@brasserie-vandamme.example"), NOT_ACTIVATED, [HUGO]),
]

NEIGHBOUR_CLIENTS = [
    ("Pharmacie du Port", siren("61530294"), "1 quai de la Fosse", "44000", "Nantes", 12,
     ("Anne Lefèvre", "anne.lefevre@pharmacie-port.example"), ACTIVE, []),
    ("Camping Les Pins", siren("39907218"), "Avenue de l'Océan", "40200", "Mimizan", 10,
     ("Thomas Garnier", "thomas.garnier@camping-lespins.example"), NOT_ACTIVATED, []),
]


class Command(BaseCommand):
    help = "Create the demo firms, people and dossiers if they are missing."

    def handle(self, *args, **options):
        with transaction.atomic():
            demo = self.people_and_dossiers()
        # Out of the transaction: each step commits, so deliveries and controls run before the next one.
        clients = Dossier.objects.filter(firm=demo, status=ACTIVE)
        obstacle = demo_invoices.obstacle()
        if obstacle:
            self.stdout.write(obstacle)
        elif demo_invoices.create_demo_invoices(clients.get(name="BIOBURO"), clients.get(name="PREMYS")):
            self.stdout.write("Demo invoices created for BIOBURO and PREMYS.")
        self.print_sign_ins()

    def people_and_dossiers(self):
        staff = {person["email"]: self.firm_person(person) for person in people.PEOPLE}
        claire = staff["claire.martin@cabinet-demo.example"]
        demo = self.firm(people.DEMO_FIRM, accepted_by=claire, own_owner=claire)
        self.firm(people.DEMO_FIRM_EAST, accepted_by=None)
        victor = staff["victor.blanc@cabinet-voisin.example"]
        neighbour = self.firm(people.NEIGHBOUR_FIRM, accepted_by=victor)
        for person in people.PEOPLE:
            self.memberships(person, staff[person["email"]])
        for client in DEMO_CLIENTS:
            self.client_dossier(demo, client, staff, by=claire)
        for client in NEIGHBOUR_CLIENTS:
            self.client_dossier(neighbour, client, staff, by=victor)
        return demo

    def firm_person(self, person):
        existing = User.objects.filter(email=person["email"]).first()
        return existing or User.objects.create_user(
            person["email"], full_name=person["name"], sso_subject=person["sub"]  # no password: SSO only
        )

    def memberships(self, person, user):
        for claim in person["firms"]:
            FirmMembership.objects.get_or_create(
                firm=Firm.objects.get(siren=claim["siren"]),
                user=user,
                defaults={
                    "role": Role.CHARTERED_ACCOUNTANT if person["chartered_accountant"] else Role.STAFF,
                    "has_delegation": claim["delegation"],
                    "is_admin": person["email"] in people.DELEGATED_ADMINS,
                },
            )

    def firm(self, claim, *, accepted_by, own_owner=None):
        firm, created = Firm.objects.get_or_create(siren=claim["siren"], defaults={"name": claim["name"]})
        if not created or accepted_by is None:
            return firm
        firm.terms_accepted_at, firm.terms_accepted_by = timezone.now(), accepted_by
        firm.save()
        record(accepted_by, AuditAction.TERMS_ACCEPTED, firm=firm, target=firm.name)
        own = create_own_dossier(firm, accepted_by)
        own.address, own.postal_code, own.city = "10 rue de la République", "75011", "Paris"
        own.save()
        if own_owner is not None:
            self.make_active(own, own_owner)
        else:
            self.make_invited(own, accepted_by)
        return firm

    def client_dossier(self, firm, client, staff, *, by):
        name, number, address, postal_code, city, month, (rep_name, rep_email), status, assigned = client
        lookup = {"siren": number} if number else {"name": name}
        dossier, created = Dossier.objects.get_or_create(firm=firm, **lookup, defaults={
            "name": name, "country": "FR" if number else "BE", "fiscal_year_end_month": month,
            "vat_number": french_vat_number(number) if number else "BE0417497106",
            "address": address, "postal_code": postal_code, "city": city,
            "representative_name": rep_name, "representative_email": rep_email,
        })
        if not created:
            return
        record(by, AuditAction.DOSSIER_CREATED, dossier=dossier, target=name)
        for email in assigned:
            Assignment.objects.create(dossier=dossier, user=staff[email])
            record(by, AuditAction.ASSIGNED, dossier=dossier, target=staff[email])
        if status == INVITED:
            self.make_invited(dossier, by)
        elif status == ACTIVE:
            owner = User.objects.filter(email=rep_email).first() or User.objects.create_user(
                rep_email, people.DEMO_CLIENT_PASSWORD, full_name=rep_name, gdpr_consent_at=timezone.now()
            )
            self.make_invited(dossier, by)
            self.make_active(dossier, owner)

    def make_invited(self, dossier, by):
        """The state right after "Activer"; the demo sends no e-mail (re-send it from the list)."""
        Invitation.issue(email=dossier.representative_email, dossier=dossier, invited_by=by, rights={"is_owner": True})
        dossier.status = INVITED
        dossier.save(update_fields=["status"])
        record(by, AuditAction.DOSSIER_ACTIVATED, dossier=dossier, target=dossier.name,
               email=dossier.representative_email)

    def make_active(self, dossier, owner):
        """The state once the owner completed the invitation."""
        Invitation.objects.filter(dossier=dossier, used_at__isnull=True).update(used_at=timezone.now())
        DossierMembership.objects.get_or_create(dossier=dossier, user=owner, defaults={
            "is_owner": True, "can_manage_users": True, "can_issue_sales": True, "can_handle_purchases": True,
        })
        dossier.status, dossier.owner, dossier.activated_at = ACTIVE, owner, timezone.now()
        dossier.save(update_fields=["status", "owner", "activated_at"])
        if last_dossier(owner) is None:
            remember(owner, dossier)

    def print_sign_ins(self):
        write = self.stdout.write
        write("Demo sign-ins")
        write("  Firm staff, through « Se connecter avec ComptExpert » (development identity provider):")
        for person in people.PEOPLE:
            note = " (chartered accountant)" if person["chartered_accountant"] else ""
            if person["email"] in people.DELEGATED_ADMINS:
                note = " (delegated admin)"
            if not all(firm["delegation"] for firm in person["firms"]):
                note = " (no delegation: refused)"
            write(f"    {person['name']}: {person['email']}{note}")
        write(f"  Client users, e-mail and password « {people.DEMO_CLIENT_PASSWORD} »:")
        owners = User.objects.filter(owned_dossiers__status=ACTIVE, sso_subject__isnull=True).distinct()
        for owner in owners.order_by("email"):
            names = ", ".join(owner.owned_dossiers.order_by("name").values_list("name", flat=True))
            write(f"    {owner.email} ({names})")
