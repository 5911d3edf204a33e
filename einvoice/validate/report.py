"""What a validation says: plain frozen objects, easy to store, print or send as JSON."""

from dataclasses import dataclass, field

# Severities as the official artefacts flag them. "fatal" and "error" make an
# invoice invalid; "warning" and "information" do not.
BLOCKING = frozenset({"fatal", "error"})


@dataclass(frozen=True)
class Issue:
    """One fired rule: its id, severity, message and where (an XPath) it fired."""

    rule: str
    severity: str
    message: str
    location: str | None = None
    layer: str = ""  # "input", "xsd", "profile" or "br-fr": which check found it

    @property
    def blocking(self):
        return self.severity in BLOCKING

    def as_dict(self):
        return {"rule": self.rule, "severity": self.severity, "message": self.message, "location": self.location}


@dataclass(frozen=True)
class Report:
    """The verdict on one document under one rule set."""

    syntax: str | None
    profile: str | None
    rules: str
    errors: tuple = field(default_factory=tuple)
    warnings: tuple = field(default_factory=tuple)

    @property
    def valid(self):
        return not self.errors

    @classmethod
    def from_issues(cls, syntax, profile, rules, issues):
        issues = list(issues)
        return cls(
            syntax=syntax,
            profile=profile,
            rules=rules,
            errors=tuple(issue for issue in issues if issue.blocking),
            warnings=tuple(issue for issue in issues if not issue.blocking),
        )

    @classmethod
    def from_error(cls, error, rules):
        """The report on a file that could not be validated at all (an engine error)."""
        issue = Issue(rule=report_rule(error), severity="fatal", message=str(error), layer="input")
        return cls(syntax=None, profile=None, rules=rules, errors=(issue,))

    def as_dict(self):
        return {
            "syntax": self.syntax,
            "profile": self.profile,
            "valid": self.valid,
            "errors": [issue.as_dict() for issue in self.errors],
            "warnings": [issue.as_dict() for issue in self.warnings],
        }


def report_rule(error):
    """The rule id a report gives an engine error.

    The CLI contract knows two: ``unreadable`` and ``unsupported-format``. A file
    over the size limits cannot be read by us, so it is reported as
    ``unreadable`` (its message says which limit it exceeded).
    """
    return "unsupported-format" if error.rule == "unsupported-format" else "unreadable"
