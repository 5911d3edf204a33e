"""What the firms app announces, so the apps above it react without firms knowing them.

- ``terms_accepted(firm, signatory)``: a chartered accountant accepted the terms of use
  for ``firm``; sent after the acceptance is committed. The dossiers app opens the
  firm's own dossier. A receiver's ``OSError`` (an e-mail that could not leave)
  reaches the caller, which tells the person.
"""

from django.dispatch import Signal

terms_accepted = Signal()
