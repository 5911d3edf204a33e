"""The audit trail records only actions of the enumeration, each with its label."""

import ast
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from facturier.audit.labels import action_label
from facturier.audit.models import AuditAction, AuditEvent, record

ROOT = Path(__file__).resolve().parents[2]


def test_every_action_has_a_label_of_its_own():
    labels = [str(action.label) for action in AuditAction]
    assert all(label and label != action.value for label, action in zip(labels, AuditAction, strict=True))
    assert len(set(labels)) == len(labels)


def test_one_naming_style():
    assert all(action.value.isidentifier() and action.value.islower() for action in AuditAction)


@pytest.mark.django_db
def test_record_refuses_an_action_outside_the_enumeration():
    with pytest.raises(ValueError, match="is not a valid AuditAction"):
        record(None, "invoice.teleported", target="F-1")
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_record_stores_the_value():
    event = record(None, AuditAction.ARCHIVE_VERIFIED, target="*")
    event.refresh_from_db()
    assert event.action == "archive_verified"


def recorded_actions():
    """(file, line, action argument) of every ``record(...)`` / ``audit(...)`` call of the platform."""
    for path in ROOT.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("record", "audit") \
                    and len(node.args) >= 2:
                yield path.relative_to(ROOT), node.lineno, node.args[1]


def test_callers_name_actions_by_their_member():
    """A literal would only fail when its line runs; a member fails at import."""
    literals = [(str(path), line) for path, line, argument in recorded_actions()
                if any(isinstance(n, ast.Constant) and isinstance(n.value, str) for n in ast.walk(argument))]
    assert literals == []
    assert sum(1 for _ in recorded_actions()) > 40  # the walk really finds the calls


def test_the_audit_page_filter_shows_the_label():
    template = Template("{% load audit %}{{ action|action_label }}")
    with translation.override("fr"):
        assert template.render(Context({"action": "invoice_issued"})) == "Facture émise"
    assert action_label("retired_action") == "retired_action"
