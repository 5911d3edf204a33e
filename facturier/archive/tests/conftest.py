import pytest
from django.utils import timezone

from facturier.accounts.models import User
from facturier.dossiers.models import Assignment, Dossier, DossierMembership, DossierStatus
from facturier.firms.models import Firm, FirmMembership, Role


class World:
    """Two firms, their people and dossiers: enough to test who sees what."""

    def __init__(self):
        now = timezone.now()
        self.firm = Firm.objects.create(siren="732829320", name="Cabinet Durand", terms_accepted_at=now)
        self.other_firm = Firm.objects.create(siren="542051180", name="Cabinet Martin", terms_accepted_at=now)
        self.dossier = self.make_dossier(self.firm, "443061841", "BIOBURO")
        self.other_dossier = self.make_dossier(self.firm, "552032534", "PREMYS")
        self.foreign_dossier = self.make_dossier(self.other_firm, "572015246", "AILLEURS")
        self.pending_dossier = self.make_dossier(self.firm, "356000000", "EN ATTENTE", status=DossierStatus.INVITED)

        self.chartered = self.firm_member("ec@durand.example", role=Role.CHARTERED_ACCOUNTANT)
        self.delegated_admin = self.firm_member("admin@durand.example", is_admin=True)
        self.assigned_staff = self.firm_member("collab@durand.example")
        Assignment.objects.create(dossier=self.dossier, user=self.assigned_staff)
        self.unassigned_staff = self.firm_member("autre@durand.example")
        self.no_delegation = self.firm_member("sans@durand.example", has_delegation=False)
        self.other_firm_admin = self.firm_member(
            "ec@martin.example", firm=self.other_firm, role=Role.CHARTERED_ACCOUNTANT
        )
        self.client_user = self.client_of(self.dossier, "client@bioburo.example")
        self.other_client = self.client_of(self.other_dossier, "client@premys.example")

    @staticmethod
    def make_dossier(firm, siren, name, status=DossierStatus.ACTIVE):
        return Dossier.objects.create(
            firm=firm, siren=siren, name=name, fiscal_year_end_month=12, address="1 rue de la Paix",
            postal_code="75002", city="Paris", representative_name="Jeanne Dupont",
            representative_email=f"contact@{siren}.example", status=status,
        )

    def firm_member(self, email, *, firm=None, role=Role.STAFF, is_admin=False, has_delegation=True):
        user = User.objects.create_user(email, sso_subject=email)
        FirmMembership.objects.create(
            firm=firm or self.firm, user=user, role=role, is_admin=is_admin, has_delegation=has_delegation
        )
        return user

    @staticmethod
    def client_of(dossier, email):
        user = User.objects.create_user(email, password="correct horse battery")
        DossierMembership.objects.create(dossier=dossier, user=user, is_owner=True)
        return user


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def dossier(world):
    return world.dossier


@pytest.fixture
def signing_key(settings, tmp_path):
    """An Ed25519 key outside the database, as FACTURIER_ARCHIVE_SIGNING_KEY_FILE names it."""
    from facturier.archive.checkpoint import generate_key_file

    settings.ARCHIVE_SIGNING_KEY_FILE = str(generate_key_file(tmp_path / "signing-key.pem"))
    return settings.ARCHIVE_SIGNING_KEY_FILE
