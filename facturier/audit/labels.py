"""Readable names of the audit trail's actions."""

from facturier.audit.models import AuditAction


def action_label(action):
    """The action's label; an action no longer recorded keeps its stored name."""
    try:
        return AuditAction(action).label
    except ValueError:
        return action
