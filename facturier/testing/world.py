"""Two firms and one person per role, shared by the firm and dossier tests.

Firm A holds a dossier in each state; firm B is the foreign tenant whose data
must never show. People sign in with ``client.force_login``.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import slugify

from facturier.accounts.models import User
from facturier.dossiers.models import Assignment, Dossier, DossierMembership, DossierStatus
from facturier.firms.models import Firm, FirmMembership, Role

ROLES = ["accountant", "admin", "staff_assigned", "staff_unassigned", "staff_no_delegation", "client", "anonymous"]


@dataclass
class World:
    firm: Firm
    foreign_firm: Firm
    people: dict
    own: Dossier
    new: Dossier
    invited: Dossier
    active: Dossier
    foreign: Dossier

    def user(self, role):
        return self.people.get(role)


def make_staff(email, name=None):
    return User.objects.create_user(email, full_name=name or email.split("@")[0].title(), sso_subject=f"sub-{email}")


def join(firm, user, *, role=Role.STAFF, has_delegation=True, is_admin=False):
    return FirmMembership.objects.create(firm=firm, user=user, role=role, has_delegation=has_delegation,
                                         is_admin=is_admin)


def make_dossier(firm, name, siren, status=DossierStatus.NOT_ACTIVATED, **fields):
    values = {
        "firm": firm, "name": name, "siren": siren, "status": status, "fiscal_year_end_month": 12,
        "address": "1 rue de la Paix", "postal_code": "75002", "city": "Paris",
        "representative_name": f"Dirigeant {name}", "representative_email": f"contact@{slugify(name)}.example",
    }
    values.update(fields)
    return Dossier.objects.create(**values)


def make_owner(dossier, user):
    DossierMembership.objects.create(dossier=dossier, user=user, is_owner=True, can_manage_users=True,
                                     can_issue_sales=True, can_handle_purchases=True)
    dossier.owner = user
    dossier.status = DossierStatus.ACTIVE
    dossier.activated_at = timezone.now()
    dossier.save()


def build_world():
    accountant = make_staff("ec@cabinet-a.example", "Claire Expert")
    firm = Firm.objects.create(siren="732829320", name="Cabinet Alpha", terms_accepted_at=timezone.now(),
                               terms_accepted_by=accountant)
    foreign_firm = Firm.objects.create(siren="552100554", name="Cabinet Bêta", terms_accepted_at=timezone.now())
    people = {
        "accountant": accountant,
        "admin": make_staff("admin@cabinet-a.example", "Bruno Admin"),
        "staff_assigned": make_staff("assigned@cabinet-a.example", "Sophie Affectée"),
        "staff_unassigned": make_staff("free@cabinet-a.example", "Hugo Libre"),
        "staff_no_delegation": make_staff("nodeleg@cabinet-a.example", "Nadia Sans"),
        "client": User.objects.create_user("owner@client-actif.example", full_name="Paul Client"),
    }
    join(firm, accountant, role=Role.CHARTERED_ACCOUNTANT)
    join(firm, people["admin"], is_admin=True)
    join(firm, people["staff_assigned"])
    join(firm, people["staff_unassigned"])
    join(firm, people["staff_no_delegation"], has_delegation=False)
    foreign_accountant = make_staff("ec@cabinet-b.example", "Victor Voisin")
    join(foreign_firm, foreign_accountant, role=Role.CHARTERED_ACCOUNTANT)

    own = make_dossier(firm, "Cabinet Alpha", firm.siren, is_firm_own=True, free_invoices=500)
    make_owner(own, accountant)
    new = make_dossier(firm, "Nouvelle Société", "443061841")
    invited = make_dossier(firm, "Société Invitée", "542065479", DossierStatus.INVITED)
    active = make_dossier(firm, "Société Active", "356000000")
    make_owner(active, people["client"])
    foreign = make_dossier(foreign_firm, "Secret Voisin", "775672272")
    foreign_owner = User.objects.create_user("owner@secret.example")
    make_owner(foreign, foreign_owner)
    for dossier in (new, invited, active):
        Assignment.objects.create(dossier=dossier, user=people["staff_assigned"])
        # Assigned without the delegation: the assignment alone opens nothing.
        Assignment.objects.create(dossier=dossier, user=people["staff_no_delegation"])
    return World(firm, foreign_firm, people, own, new, invited, active, foreign)



def sign_in(client, world, role):
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    return user
