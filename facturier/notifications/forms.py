from django import forms

from facturier.notifications.models import CLIENT_KINDS, DEFAULT_FREQUENCY, STAFF_KINDS, Frequency, Preference


def kinds_for(user):
    """The kinds a person can be told of: their dossiers' invoices as a client user, followed dossiers as staff."""
    kinds = list(CLIENT_KINDS) if user.dossier_memberships.exists() else []
    return kinds + list(STAFF_KINDS) if user.is_firm_staff else kinds


class PreferencesForm(forms.Form):
    """One choice per kind: e-mail at once, in the daily digest, or not at all."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "frequency"))
        for kind in kinds_for(user):
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Frequency.choices, widget=forms.RadioSelect,
                initial=chosen.get(kind.value, DEFAULT_FREQUENCY),
            )

    def save(self):
        """Store the choices that differ from before; those, by kind."""
        before = dict(Preference.objects.filter(user=self.user).values_list("kind", "frequency"))
        changed = {kind: frequency for kind, frequency in self.cleaned_data.items()
                   if before.get(kind, DEFAULT_FREQUENCY) != frequency}
        for kind, frequency in changed.items():
            Preference.objects.update_or_create(user=self.user, kind=kind, defaults={"frequency": frequency})
        return changed
