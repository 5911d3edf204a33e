from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from facturier.mailbox.addresses import parse_rules
from facturier.mailbox.models import Mailbox

MAX_RULES = 200
DOMAIN = forms.RegexField(regex=r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class SendersForm(forms.ModelForm):
    """The allow and deny lists: addresses or domains, one a line."""

    class Meta:
        model = Mailbox
        fields = ["allowed_senders", "denied_senders"]
        widgets = {"allowed_senders": forms.Textarea(attrs={"rows": 4}),
                   "denied_senders": forms.Textarea(attrs={"rows": 4})}

    def clean_allowed_senders(self):
        return self._rules("allowed_senders")

    def clean_denied_senders(self):
        return self._rules("denied_senders")

    def _rules(self, name):
        rules = parse_rules(self.cleaned_data[name])
        if len(rules) > MAX_RULES:
            raise ValidationError(_("Au plus %(count)d lignes.") % {"count": MAX_RULES})
        wrong = [rule for rule in rules if not _is_rule(rule)]
        if wrong:
            raise ValidationError(
                _("Ni une adresse e-mail ni un domaine : %(lines)s") % {"lines": ", ".join(wrong[:5])})
        return "\n".join(dict.fromkeys(rules))


def _is_rule(rule):
    if "@" in rule:
        try:
            validate_email(rule)
        except ValidationError:
            return False
        return True
    try:
        DOMAIN.clean(rule)
    except ValidationError:
        return False
    return True
