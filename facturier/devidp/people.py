"""The people of the demo, as the development identity provider describes them.

The same roster feeds the provider's claims and the demo data, so signing in as
one of them in the demo lands in a firm that already knows them.
"""

DEMO_FIRM = {"siren": "626018154", "name": "Cabinet Démo"}
DEMO_FIRM_EAST = {"siren": "418609137", "name": "Cabinet Démo Est"}  # terms not yet accepted
NEIGHBOUR_FIRM = {"siren": "183016617", "name": "Cabinet Voisin"}


def _firm(firm, delegation=True):
    return {**firm, "delegation": delegation}


# Claims as the provider sends them (see settings.OIDC_CLAIMS for the mapping).
PEOPLE = [
    {
        "sub": "ce-claire-martin",
        "email": "claire.martin@cabinet-demo.example",
        "name": "Claire Martin",
        "chartered_accountant": True,
        "firms": [_firm(DEMO_FIRM), _firm(DEMO_FIRM_EAST)],
    },
    {
        "sub": "ce-bruno-leroy",  # staff member the chartered accountant made an admin
        "email": "bruno.leroy@cabinet-demo.example",
        "name": "Bruno Leroy",
        "chartered_accountant": False,
        "firms": [_firm(DEMO_FIRM)],
    },
    {
        "sub": "ce-sophie-bernard",
        "email": "sophie.bernard@cabinet-demo.example",
        "name": "Sophie Bernard",
        "chartered_accountant": False,
        "firms": [_firm(DEMO_FIRM)],
    },
    {
        "sub": "ce-hugo-petit",
        "email": "hugo.petit@cabinet-demo.example",
        "name": "Hugo Petit",
        "chartered_accountant": False,
        "firms": [_firm(DEMO_FIRM)],
    },
    {
        "sub": "ce-nadia-roux",  # no platform delegation: refused at sign-in
        "email": "nadia.roux@cabinet-demo.example",
        "name": "Nadia Roux",
        "chartered_accountant": False,
        "firms": [_firm(DEMO_FIRM, delegation=False)],
    },
    {
        "sub": "ce-victor-blanc",
        "email": "victor.blanc@cabinet-voisin.example",
        "name": "Victor Blanc",
        "chartered_accountant": True,
        "firms": [_firm(NEIGHBOUR_FIRM)],
    },
]

DELEGATED_ADMINS = {"bruno.leroy@cabinet-demo.example"}

# Client users sign in with e-mail and password.
DEMO_CLIENT_PASSWORD = "demo-facturier-2026"


def find(subject):
    return next((person for person in PEOPLE if person["sub"] == subject), None)
