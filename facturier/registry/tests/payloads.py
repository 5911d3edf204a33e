"""Answers in the documented formats of the real services, for the local stub."""

import json


def recherche_result(siren="552100554", name="ACME INDUSTRIE", closed=False):
    """One result of the API Recherche d'entreprises (``GET /search``)."""
    return {
        "siren": siren,
        "nom_complet": name,
        "nom_raison_sociale": name,
        "sigle": None,
        "nombre_etablissements": 3,
        "nombre_etablissements_ouverts": 0 if closed else 2,
        "activite_principale": "62.01Z",
        "categorie_entreprise": "PME",
        "date_creation": "1998-04-01",
        "date_fermeture": "2023-06-30" if closed else None,
        "date_mise_a_jour": "2024-11-02T09:12:44",
        "etat_administratif": "C" if closed else "A",
        "nature_juridique": "5710",
        "section_activite_principale": "J",
        "siege": {
            "siret": siren + "00013",
            "adresse": "12 RUE DE LA PAIX 75002 PARIS",
            "code_postal": "75002",
            "commune": "75102",
            "libelle_commune": "PARIS",
            "date_creation": "1998-04-01",
            "etat_administratif": "F" if closed else "A",
            "est_siege": True,
            "latitude": "48.869",
            "longitude": "2.331",
        },
        "matching_etablissements": [],
        "complements": {"est_ess": False, "est_entrepreneur_individuel": False},
    }


def recherche_page(*results):
    return {"results": list(results), "total_results": len(results), "page": 1, "per_page": 5,
            "total_pages": 1 if results else 0}


def insee_unit(siren="552100554", closed=False):
    """``GET /siren/<siren>`` of the INSEE API Sirene 3.11."""
    current = {
        "dateFin": None,
        "dateDebut": "2023-07-01" if closed else "2019-01-01",
        "etatAdministratifUniteLegale": "C" if closed else "A",
        "changementEtatAdministratifUniteLegale": closed,
        "nomUniteLegale": None,
        "nomUsageUniteLegale": None,
        "denominationUniteLegale": "ACME INDUSTRIE",
        "categorieJuridiqueUniteLegale": "5499",
        "activitePrincipaleUniteLegale": "62.01Z",
        "nicSiegeUniteLegale": "00013",
    }
    older = dict(current, dateFin="2018-12-31", dateDebut="1998-04-01", etatAdministratifUniteLegale="A",
                 denominationUniteLegale="ACME")
    return {
        "header": {"statut": 200, "message": "OK"},
        "uniteLegale": {
            "siren": siren,
            "statutDiffusionUniteLegale": "O",
            "dateCreationUniteLegale": "1998-04-01",
            "prenomUsuelUniteLegale": None,
            "periodesUniteLegale": [current, older],
        },
    }


def insee_establishment(siret="55210055400013"):
    """``GET /siret/<siret>`` of the INSEE API Sirene 3.11."""
    return {
        "header": {"statut": 200, "message": "OK"},
        "etablissement": {
            "siren": siret[:9],
            "nic": siret[9:],
            "siret": siret,
            "adresseEtablissement": {
                "complementAdresseEtablissement": None,
                "numeroVoieEtablissement": "4",
                "indiceRepetitionEtablissement": "B",
                "typeVoieEtablissement": "AV",
                "libelleVoieEtablissement": "DES TERNES",
                "codePostalEtablissement": "75017",
                "libelleCommuneEtablissement": "PARIS 17",
                "codePaysEtrangerEtablissement": None,
            },
        },
    }


def insee_not_found(siren):
    return {"header": {"statut": 404, "message": f"Aucun élément trouvé pour le siren {siren}"}}


def bodacc_record(siren="552100554", nature="Jugement d'ouverture d'une procédure de liquidation judiciaire",
                  judged_on="2024-03-12", published_on="2024-03-20", family="collective"):
    """One record of the ``annonces-commerciales`` dataset (Explore API v2.1)."""
    spaced = f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    return {
        "id": "A202400561234",
        "publicationavis": "A",
        "publicationavis_facette": "Bodacc A",
        "parution": "20240056",
        "dateparution": published_on,
        "numeroannonce": 1234,
        "typeavis": "annonce",
        "typeavis_lib": "Avis initial",
        "familleavis": family,
        "familleavis_lib": "Procédures collectives" if family == "collective" else "Dépôts des comptes",
        "numerodepartement": "75",
        "departement_nom_officiel": "Paris",
        "tribunal": "TRIBUNAL DE COMMERCE DE PARIS",
        "commercant": "ACME INDUSTRIE",
        "ville": "Paris",
        "cp": "75002",
        "registre": [spaced, siren],
        "jugement": json.dumps({
            "type": "initial",
            "famille": "Jugement d'ouverture",
            "nature": nature,
            "date": judged_on,
            "complementJugement": f"{nature}, date de cessation des paiements le 1 mars 2024.",
        }),
        "acte": None,
        "listepersonnes": json.dumps({"personne": {"typePersonne": "pm", "denomination": "ACME INDUSTRIE"}}),
    }


def bodacc_page(*records):
    return {"total_count": len(records), "results": list(records)}
