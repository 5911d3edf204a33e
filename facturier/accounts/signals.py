"""What the accounts app asks the apps above it, without knowing them.

- ``two_factor_required(user)``: does a firm require two-factor sign-in of this client user
  (for a dossier they belong to)? Each receiver answers True or False; any True wins.
"""

from django.dispatch import Signal

two_factor_required = Signal()
