"""Error pages and logging that Django's defaults do not give us.

The 400, 403, 404 and 500 pages are the templates of the same names (Django's
default handlers find them); only the CSRF failure needs a view of its own, because
Django renders ``403_csrf.html`` without the request and so without the page frame.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.shortcuts import render


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check, usually an expired page: say how to try again.

    Django has already logged the reason (django.security.csrf).
    """
    return render(request, "403_csrf.html", status=403)


class PermissionDeniedOneLine(logging.Filter):
    """Drop the traceback Django attaches to a refused request (PermissionDenied).

    A refusal is the access rules doing their job: one warning line with the path
    is what the operator needs; every other error keeps its traceback.
    """

    def filter(self, record):
        if record.exc_info and isinstance(record.exc_info[1], PermissionDenied):
            record.exc_info = None
            record.exc_text = None
        return True
