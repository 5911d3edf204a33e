"""Every word the invoice view prints, in French and English, and the names of common codes.

Kept in one place so that a missing translation is one missing tuple, and so
the HTML builder never holds a sentence.
"""

LANGUAGES = ("fr", "en")

LABELS = {
    # document
    "invoice": ("Facture", "Invoice"),
    "credit_note": ("Avoir", "Credit note"),
    "corrective_invoice": ("Facture rectificative", "Corrective invoice"),
    "prepayment_invoice": ("Facture d'acompte", "Prepayment invoice"),
    "self_billed_invoice": ("Autofacture", "Self-billed invoice"),
    "number": ("Numéro", "Number"),
    "issue_date": ("Date d'émission", "Issue date"),
    "due_date": ("Échéance", "Due date"),
    "type_code": ("Type de document", "Document type"),
    "currency": ("Devise", "Currency"),
    "tax_currency": ("Devise de TVA", "VAT currency"),
    "tax_point_date": ("Date d'exigibilité de la TVA", "VAT point date"),
    "tax_point_date_code": ("Exigibilité de la TVA", "VAT due on"),
    "billing_frame": ("Cadre de facturation", "Billing frame"),
    "specification": ("Spécification", "Specification"),
    "page": ("Page", "Page"),
    # parties
    "seller": ("Vendeur", "Seller"),
    "buyer": ("Acheteur", "Buyer"),
    "payee": ("Bénéficiaire du paiement", "Payee"),
    "tax_representative": ("Représentant fiscal du vendeur", "Seller's tax representative"),
    "trading_name": ("Nom commercial", "Trading name"),
    "identifier": ("Identifiant", "Identifier"),
    "legal_registration": ("Immatriculation", "Legal registration"),
    "vat_id": ("N° TVA", "VAT number"),
    "tax_registration": ("Enregistrement fiscal", "Tax registration"),
    "legal_information": ("Informations juridiques", "Legal information"),
    "electronic_address": ("Adresse électronique", "Electronic address"),
    "contact": ("Contact", "Contact"),
    "phone": ("Téléphone", "Phone"),
    "email": ("Courriel", "E-mail"),
    # references
    "references": ("Références", "References"),
    "buyer_reference": ("Référence acheteur", "Buyer reference"),
    "project_reference": ("Projet", "Project"),
    "contract_reference": ("Contrat", "Contract"),
    "purchase_order_reference": ("Bon de commande", "Purchase order"),
    "sales_order_reference": ("Commande client", "Sales order"),
    "receiving_advice_reference": ("Avis de réception", "Receiving advice"),
    "despatch_advice_reference": ("Avis d'expédition", "Despatch advice"),
    "tender_reference": ("Appel d'offres ou lot", "Tender or lot"),
    "invoiced_object_identifier": ("Objet facturé", "Invoiced object"),
    "buyer_accounting_reference": ("Référence comptable de l'acheteur", "Buyer accounting reference"),
    "invoicing_period": ("Période de facturation", "Invoicing period"),
    "period_from_to": ("du {start} au {end}", "from {start} to {end}"),
    "period_from": ("à partir du {start}", "from {start}"),
    "period_to": ("jusqu'au {end}", "until {end}"),
    "payment_terms": ("Conditions de paiement", "Payment terms"),
    "notes": ("Notes", "Notes"),
    "preceding_invoices": ("Factures antérieures", "Preceding invoices"),
    "dated": ("du {date}", "dated {date}"),
    # delivery
    "delivery": ("Livraison", "Delivery"),
    "deliver_to": ("Livré à", "Deliver to"),
    "location": ("Lieu", "Location"),
    "delivery_date": ("Date de livraison", "Delivery date"),
    # lines
    "lines": ("Lignes", "Lines"),
    "line_id": ("N°", "No."),
    "description": ("Désignation", "Description"),
    "quantity": ("Quantité", "Quantity"),
    "unit_price": ("Prix unitaire HT", "Unit price excl. VAT"),
    "vat": ("TVA", "VAT"),
    "net_amount": ("Montant HT", "Net amount"),
    "gross_price": ("Prix brut", "Gross price"),
    "price_discount": ("Remise sur prix", "Price discount"),
    "per_base_quantity": ("pour {quantity}", "per {quantity}"),
    "seller_item_id": ("Réf. vendeur", "Seller's item id"),
    "buyer_item_id": ("Réf. acheteur", "Buyer's item id"),
    "standard_item_id": ("Identifiant standard", "Standard id"),
    "classification": ("Classification", "Classification"),
    "origin_country": ("Pays d'origine", "Country of origin"),
    "line_note": ("Note", "Note"),
    "object_identifier": ("Objet", "Object"),
    "order_line_reference": ("Ligne de commande", "Order line"),
    "accounting_reference": ("Imputation", "Accounting reference"),
    "period": ("Période", "Period"),
    "parent_line": ("Sous-ligne de", "Sub-line of"),
    "line_status": ("Statut de ligne", "Line status"),
    # allowances, charges, VAT, totals
    "allowance": ("Remise", "Allowance"),
    "charge": ("Frais", "Charge"),
    "allowances_charges": ("Remises et frais", "Allowances and charges"),
    "reason": ("Motif", "Reason"),
    "base_amount": ("Assiette", "Base amount"),
    "percentage": ("Taux", "Percentage"),
    "amount": ("Montant", "Amount"),
    "vat_breakdown": ("Récapitulatif de TVA", "VAT breakdown"),
    "vat_category": ("Catégorie", "Category"),
    "vat_rate": ("Taux", "Rate"),
    "taxable_amount": ("Base HT", "Taxable amount"),
    "tax_amount": ("Montant de TVA", "VAT amount"),
    "exemption_reason": ("Motif d'exonération", "Exemption reason"),
    "totals": ("Totaux", "Totals"),
    "line_total": ("Total des lignes HT", "Sum of line net amounts"),
    "allowance_total": ("Total des remises", "Sum of allowances"),
    "charge_total": ("Total des frais", "Sum of charges"),
    "tax_exclusive": ("Total HT", "Total excl. VAT"),
    "tax_total": ("Total TVA", "Total VAT"),
    "tax_total_accounting": ("Total TVA en devise de comptabilisation", "Total VAT in accounting currency"),
    "tax_inclusive": ("Total TTC", "Total incl. VAT"),
    "prepaid": ("Déjà payé", "Paid amount"),
    "rounding": ("Arrondi", "Rounding amount"),
    "payable": ("Net à payer", "Amount due"),
    # payment
    "payment": ("Paiement", "Payment"),
    "payment_means": ("Moyen de paiement", "Payment means"),
    "remittance_information": ("Référence de paiement", "Remittance information"),
    "account": ("Compte", "Account"),
    "account_name": ("Titulaire", "Account name"),
    "bic": ("BIC", "BIC"),
    "card": ("Carte", "Card"),
    "card_holder": ("Titulaire de la carte", "Card holder"),
    "mandate_reference": ("Référence du mandat", "Mandate reference"),
    "creditor_id": ("Identifiant créancier SEPA", "SEPA creditor id"),
    "debited_account": ("Compte débité", "Debited account"),
    # attachments
    "attachments": ("Pièces jointes", "Attachments"),
    "file": ("Fichier", "File"),
    "link": ("Lien", "Link"),
    "bytes": ("{size} octets", "{size} bytes"),
    "yes": ("oui", "yes"),
}

# UNTDID 1001 document types.
DOCUMENT_TYPES = {
    "380": "invoice", "381": "credit_note", "384": "corrective_invoice", "386": "prepayment_invoice",
    "389": "self_billed_invoice", "261": "credit_note", "262": "credit_note", "396": "credit_note",
    "502": "self_billed_invoice", "471": "corrective_invoice", "472": "corrective_invoice",
    "473": "corrective_invoice", "500": "prepayment_invoice", "501": "self_billed_invoice",
    "503": "credit_note",
}

# ISO 6523 ICD / EAS schemes seen on French invoices.
SCHEMES = {
    "0002": "SIREN", "0009": "SIRET", "0225": ("adresse de facturation électronique", "e-invoicing address"),
    "0224": ("code de routage", "routing code"), "0088": "GLN", "0060": "DUNS", "0160": "GTIN",
    "0204": "Leitweg-ID", "0208": "BCE/KBO", "9957": ("TVA (FR)", "VAT (FR)"), "EM": ("courriel", "e-mail"),
    "VA": ("TVA", "VAT"), "FC": ("n° fiscal", "tax number"),
}

# UNTDID 4451 note subjects used in France.
NOTE_SUBJECTS = {
    "PMT": ("Indemnité forfaitaire de recouvrement", "Fixed recovery fee"),
    "PMD": ("Pénalités de retard", "Late payment penalties"),
    "AAB": ("Escompte", "Early payment discount"),
    "BAR": ("Traitement", "Processing"),
    "REG": ("Mentions réglementaires", "Regulatory information"),
    "ABL": ("Mentions légales", "Legal information"),
    "AAI": ("Informations générales", "General information"),
    "TXD": ("Mention fiscale", "Tax declaration"),
    "SUR": ("Remarques du vendeur", "Supplier remarks"),
    "CUS": ("Douane", "Customs"),
}

# UNTDID 4461 payment means.
PAYMENT_MEANS = {
    "1": ("Non défini", "Not defined"), "10": ("Espèces", "Cash"), "20": ("Chèque", "Cheque"),
    "30": ("Virement", "Credit transfer"), "31": ("Virement", "Debit transfer"),
    "42": ("Paiement sur compte bancaire", "Payment to bank account"), "48": ("Carte bancaire", "Bank card"),
    "49": ("Prélèvement", "Direct debit"), "57": ("Accord permanent", "Standing agreement"),
    "58": ("Virement SEPA", "SEPA credit transfer"), "59": ("Prélèvement SEPA", "SEPA direct debit"),
    "97": ("Compensation", "Clearing between partners"),
}

# UNCL 5305 VAT categories.
VAT_CATEGORIES = {
    "S": ("Taux normal", "Standard rate"), "Z": ("Taux zéro", "Zero rated"), "E": ("Exonéré", "Exempt"),
    "AE": ("Autoliquidation", "Reverse charge"), "K": ("Livraison intracommunautaire", "Intra-community supply"),
    "G": ("Exportation hors UE", "Export outside the EU"), "O": ("Hors champ de la TVA", "Outside the scope of VAT"),
    "L": ("IGIC (Canaries)", "Canary Islands tax"), "M": ("IPSI (Ceuta et Melilla)", "Ceuta and Melilla tax"),
}

# UNTDID 2005 (BT-8): when VAT becomes due; 72 and 432 mean VAT on payment.
TAX_POINT_CODES = {
    "3": ("à la date de facture", "on the invoice date"), "35": ("à la livraison", "on delivery"),
    "432": ("au paiement", "on payment"), "5": ("à la date de facture", "on the invoice date"),
    "29": ("à la livraison", "on delivery"), "72": ("au paiement", "on payment"),
}

# UN/ECE recommendation 20 units, the common ones.
UNITS = {
    "C62": ("unité", "unit"), "H87": ("pièce", "piece"), "EA": ("unité", "each"), "HUR": ("h", "h"),
    "DAY": ("jour", "day"), "WEE": ("semaine", "week"), "MON": ("mois", "month"), "ANN": ("an", "year"),
    "MIN": ("min", "min"), "KGM": ("kg", "kg"), "GRM": ("g", "g"), "TNE": ("t", "t"), "MTR": ("m", "m"),
    "KMT": ("km", "km"), "MTK": ("m²", "m²"), "MTQ": ("m³", "m³"), "LTR": ("l", "l"), "KWH": ("kWh", "kWh"),
    "SET": ("lot", "set"), "XPK": ("colis", "package"), "LS": ("forfait", "lump sum"), "E48": ("service", "service"),
}

# Parties of EXTENDED profiles, by their CII role name.
EXTRA_PARTY_ROLES = {
    "Invoicer": ("Émetteur de la facture", "Invoicer"), "Invoicee": ("Facturé à", "Invoicee"),
    "Payer": ("Payeur", "Payer"), "SalesAgent": ("Agent commercial", "Sales agent"),
    "BuyerAgent": ("Mandataire de l'acheteur", "Buyer's agent"),
    "BuyerRequisitioner": ("Demandeur chez l'acheteur", "Buyer requisitioner"),
    "BuyerAssignedAccountant": ("Comptable de l'acheteur", "Buyer's accountant"),
    "SellerAssignedAccountant": ("Comptable du vendeur", "Seller's accountant"),
    "BuyerTaxRepresentative": ("Représentant fiscal de l'acheteur", "Buyer's tax representative"),
    "ProductEndUser": ("Utilisateur final", "Product end user"),
    "ShipFrom": ("Expédié de", "Ship from"), "UltimateShipTo": ("Destinataire final", "Ultimate ship to"),
}


def label(key, lang, **values):
    """The label ``key`` in ``lang``, with ``values`` substituted."""
    text = LABELS[key][LANGUAGES.index(lang)]
    return text.format(**values) if values else text


def code_name(table, code, lang):
    """The readable name of ``code`` in a code table, or ``None`` when unknown."""
    name = table.get(code)
    if name is None:
        return None
    return name if isinstance(name, str) else name[LANGUAGES.index(lang)]
