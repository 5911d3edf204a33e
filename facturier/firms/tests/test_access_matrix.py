"""Every page and action × every role × the foreign firm: who gets what.

200/302: allowed; 403: the person sees the object but lacks the right; 404:
outside the person's scope, and nothing of it shows; "login": anonymous people
are sent to sign in.
"""

import pytest
from django.urls import reverse

from facturier.testing.world import ROLES, sign_in

OK, MOVED, DENIED, HIDDEN, LOGIN = 200, 302, 403, 404, "login"


def row(accountant, admin, assigned, unassigned, no_delegation, client, anonymous=LOGIN):
    return dict(zip(ROLES, (accountant, admin, assigned, unassigned, no_delegation, client, anonymous), strict=True))


FIRM_PAGE = row(OK, OK, OK, OK, HIDDEN, HIDDEN)
FOREIGN = row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)
ADMIN_PAGE = row(OK, OK, DENIED, DENIED, HIDDEN, HIDDEN)

# name: (method, url builder, POST data builder, expectations)
CASES = {
    "firm list": ("get", lambda w: reverse("dashboard:firms"), None, row(OK, OK, OK, OK, OK, OK)),
    "client list": ("get", lambda w: reverse("dashboard:clients", args=[w.firm.pk]), None, FIRM_PAGE),
    "client list, foreign firm": (
        "get", lambda w: reverse("dashboard:clients", args=[w.foreign_firm.pk]), None, FOREIGN),
    "staff dashboard": ("get", lambda w: reverse("dashboard:staff", args=[w.firm.pk]), None, FIRM_PAGE),
    "staff dashboard, foreign firm": (
        "get", lambda w: reverse("dashboard:staff", args=[w.foreign_firm.pk]), None, FOREIGN),
    "team": ("get", lambda w: reverse("firms:team", args=[w.firm.pk]), None, ADMIN_PAGE),
    "team, foreign firm": ("get", lambda w: reverse("firms:team", args=[w.foreign_firm.pk]), None, FOREIGN),
    "audit trail": ("get", lambda w: reverse("firms:audit", args=[w.firm.pk]), None, ADMIN_PAGE),
    "audit trail, foreign firm": ("get", lambda w: reverse("firms:audit", args=[w.foreign_firm.pk]), None, FOREIGN),
    "grant admin": ("post", lambda w: reverse("firms:set_admin", args=[w.firm.pk, w.people["staff_unassigned"].pk]),
                    lambda w: {"admin": "1"}, row(MOVED, DENIED, DENIED, DENIED, HIDDEN, HIDDEN)),
    "accept terms of foreign firm": ("post", lambda w: reverse("firms:accept_terms"),
                                     lambda w: {"firm": w.foreign_firm.pk}, FOREIGN),
    "new client form": ("get", lambda w: reverse("dossiers:new", args=[w.firm.pk]), None, FIRM_PAGE),
    "new client form, foreign firm": ("get", lambda w: reverse("dossiers:new", args=[w.foreign_firm.pk]), None,
                                      FOREIGN),
    "client detail": ("get", lambda w: reverse("dossiers:detail", args=[w.firm.pk, w.new.pk]), None,
                      row(OK, OK, OK, HIDDEN, HIDDEN, HIDDEN)),
    "client detail, foreign dossier": (
        "get", lambda w: reverse("dossiers:detail", args=[w.foreign_firm.pk, w.foreign.pk]), None, FOREIGN),
    "client detail, foreign dossier through own firm": (
        "get", lambda w: reverse("dossiers:detail", args=[w.firm.pk, w.foreign.pk]), None, FOREIGN),
    "save client": ("post", lambda w: reverse("dossiers:detail", args=[w.firm.pk, w.foreign.pk]),
                    lambda w: {"name": "Piraté"}, FOREIGN),
    "assign staff": ("post", lambda w: reverse("dossiers:toggle_assignment", args=[w.firm.pk, w.new.pk]),
                     lambda w: {"user": w.people["staff_unassigned"].pk},
                     row(MOVED, MOVED, DENIED, HIDDEN, HIDDEN, HIDDEN)),
    "assign staff of the foreign firm": (
        "post", lambda w: reverse("dossiers:toggle_assignment", args=[w.firm.pk, w.new.pk]),
        lambda w: {"user": w.foreign_firm.memberships.get().user_id},
        row(HIDDEN, HIDDEN, DENIED, HIDDEN, HIDDEN, HIDDEN)),
    "assign on foreign dossier": (
        "post", lambda w: reverse("dossiers:toggle_assignment", args=[w.foreign_firm.pk, w.foreign.pk]),
        lambda w: {"user": w.people["staff_unassigned"].pk}, FOREIGN),
    "activate": ("post", lambda w: reverse("dossiers:activate", args=[w.firm.pk, w.new.pk]), lambda w: {},
                 row(MOVED, MOVED, MOVED, HIDDEN, HIDDEN, HIDDEN)),
    "activate foreign dossier": ("post", lambda w: reverse("dossiers:activate", args=[w.foreign_firm.pk, w.foreign.pk]),
                                 lambda w: {}, FOREIGN),
    "activate all": ("post", lambda w: reverse("dossiers:activate_all", args=[w.firm.pk]), lambda w: {"confirmed": "1"},
                     row(MOVED, MOVED, MOVED, MOVED, HIDDEN, HIDDEN)),
    "activate all, foreign firm": ("post", lambda w: reverse("dossiers:activate_all", args=[w.foreign_firm.pk]),
                                   lambda w: {}, FOREIGN),
    "delete confirmation": ("get", lambda w: reverse("dossiers:delete", args=[w.firm.pk, w.new.pk]), None,
                            row(OK, OK, DENIED, HIDDEN, HIDDEN, HIDDEN)),
    "delete": ("post", lambda w: reverse("dossiers:delete", args=[w.firm.pk, w.new.pk]), lambda w: {},
               row(MOVED, MOVED, DENIED, HIDDEN, HIDDEN, HIDDEN)),
    "delete foreign dossier": ("post", lambda w: reverse("dossiers:delete", args=[w.foreign_firm.pk, w.foreign.pk]),
                               lambda w: {}, FOREIGN),
    "open active dossier": ("get", lambda w: reverse("dashboard:home", args=[w.active.pk]), None,
                            row(OK, OK, OK, HIDDEN, HIDDEN, OK)),
    "open invited dossier": ("get", lambda w: reverse("dashboard:home", args=[w.invited.pk]), None,
                             row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    "open not activated dossier": ("get", lambda w: reverse("dashboard:home", args=[w.new.pk]), None,
                                   row(HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN, HIDDEN)),
    "open foreign dossier": ("get", lambda w: reverse("dashboard:home", args=[w.foreign.pk]), None, FOREIGN),
    "switch to foreign dossier": ("post", lambda w: reverse("dossiers:switch"),
                                  lambda w: {"dossier": w.foreign.pk}, FOREIGN),
    "switch to active dossier": ("post", lambda w: reverse("dossiers:switch"), lambda w: {"dossier": w.active.pk},
                                 row(MOVED, MOVED, MOVED, HIDDEN, HIDDEN, MOVED)),
}

PARAMS = [pytest.param(case, role, id=f"{case} / {role}") for case in CASES for role in ROLES]


@pytest.mark.parametrize(("case", "role"), PARAMS)
def test_access(client, settings, world, case, role):
    method, url, data, expectations = CASES[case]
    expected = expectations[role]
    login_url = login_page(settings)
    sign_in(client, world, role)
    target = url(world)
    response = client.post(target, data(world)) if method == "post" else client.get(target)
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(login_url + "?next=")
        return
    assert response.status_code == expected
    body = response.content.decode()
    # The foreign tenant's data never shows, whatever the answer.
    assert "Secret Voisin" not in body
    assert "Cabinet Bêta" not in body
    assert world.foreign.siren not in body
    if expected in (HIDDEN, DENIED) and method == "post":
        world.foreign.refresh_from_db()
        assert world.foreign.name == "Secret Voisin" and world.foreign.status == "active"


def login_page(settings):
    return reverse("accounts:login")
