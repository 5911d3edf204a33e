"""Messages for the French rules: invoices (BR-FR, Flux 2) and lifecycle messages (BR-FR-CDV).

Keyed by the rule's own number (``BR-FR-05``); the artefacts' variants of one
rule (``BR-FR-05_BT-22_PMT``, ``BR-FR-05_BT-22-1``…) are keyed only where
they say something different. The multi-vendor (S8/B8/M8, ``BR-FR-MV``) and
two-way (S9/B9/M9, ``BR-FR-BD``) billing frames have one message per family:
they concern marketplaces' invoicing software, never a form of this platform.
"""

COMPANY = ("Corrigez-le dans Paramètres › Société.", "Correct it in Settings › Company.")
CUSTOMER = ("Complétez la fiche du client (bouton « Modifier le client » du formulaire de facture).",
            "Complete the customer's record (\"Edit customer\" on the invoice form).")
NOTES = ("Renseignez les mentions légales dans le formulaire de facture (rubrique Mentions).",
         "Fill in the legal mentions on the invoice form (Mentions section).")
LINES = ("Corrigez la ligne concernée dans le formulaire de facture.", "Correct the line on the invoice form.")

_PMT = ("La mention obligatoire sur l'indemnité forfaitaire de recouvrement (40 €) manque.",
        "The mandatory mention of the fixed recovery fee (EUR 40) is missing.", *NOTES)
_PMD = ("La mention obligatoire sur les pénalités de retard manque.",
        "The mandatory mention of late-payment penalties is missing.", *NOTES)
_AAB = ("La mention obligatoire sur l'escompte (ou son absence) manque.",
        "The mandatory mention of the early-payment discount (or its absence) is missing.", *NOTES)
_TWICE = ("Une mention légale (recouvrement, pénalités, escompte ou taxe) figure deux fois : gardez-en une seule.",
          "A legal mention (recovery fee, penalties, discount or tax) appears twice: keep only one.", *NOTES)

MESSAGES = {
    "BR-FR-01": (("Un numéro de facture (celui-ci ou une facture référencée) dépasse 35 caractères ou contient des "
                 "caractères interdits."), ("An invoice number (this one or a referenced one) is longer than 35 "
                 "characters or contains forbidden characters."),
                 "Raccourcissez le préfixe de numérotation dans Paramètres › Société.",
                 "Shorten the numbering prefix in Settings › Company."),
    "BR-FR-02": (("Un numéro de facture contient des caractères interdits (seuls lettres, chiffres et + - _ / sont "
                 "admis)."), ("An invoice number contains forbidden characters (only letters, digits and + - _ / "
                 "are allowed)."), "Corrigez le préfixe de numérotation dans Paramètres › Société.",
                 "Correct the numbering prefix in Settings › Company."),
    "BR-FR-03": ("Une date de la facture n'est pas une date valide entre 2000 et 2099.",
                 "A date on the invoice is not a valid date between 2000 and 2099.",
                 "Vérifiez les dates saisies dans le formulaire de facture.", "Check the dates on the invoice form."),
    "BR-FR-04": ("Ce type de document n'est pas admis en France.", "This document type is not allowed in France."),
    "BR-FR-05": ("Une mention légale obligatoire (recouvrement, pénalités de retard ou escompte) manque.",
                 "A mandatory legal mention (recovery fee, late penalties or discount) is missing.", *NOTES),
    "BR-FR-05_BT-22_PMT": _PMT, "BR-FR-05_BT-22-1": _PMT,
    "BR-FR-05_BT-22_PMD": _PMD, "BR-FR-05_BT-22-2": _PMD,
    "BR-FR-05_BT-22_AAB": _AAB, "BR-FR-05_BT-22-3": _AAB,
    "BR-FR-06": _TWICE,
    "BR-FR-08": ("Le cadre de facturation (B1, S1, M1…) manque ou n'est pas un code admis.",
                 "The billing frame (B1, S1, M1…) is missing or not an allowed code.",
                 "Choisissez le cadre de facturation dans le formulaire de facture.",
                 "Choose the billing frame on the invoice form."),
    "BR-FR-08_BT-151-2": (("Les catégories de TVA « L » et « M » (Canaries, Ceuta, Melilla) ne s'appliquent pas en "
                          "France."), ("VAT categories \"L\" and \"M\" (Canaries, Ceuta, Melilla) do not apply in "
                          "France."), *LINES),
    "BR-FR-09": ("Un SIRET n'a pas 14 chiffres ou ne commence pas par le SIREN de la même entreprise.",
                 "A SIRET does not have 14 digits or does not start with the same company's SIREN."),
    "BR-FR-10": ("Le SIREN du vendeur manque ou n'a pas 9 chiffres.", ("The seller's SIREN is missing or is not "
                 "9 digits long."), "Renseignez le SIREN de l'entreprise dans Paramètres › Société.",
                 "Enter the company's SIREN in Settings › Company."),
    "BR-FR-11": ("Le SIREN du client manque ou n'a pas 9 chiffres (obligatoire entre entreprises).",
                 "The customer's SIREN is missing or is not 9 digits long (mandatory between businesses).",
                 "Renseignez le SIREN dans la fiche du client.", "Enter the SIREN in the customer's record."),
    "BR-FR-12": ("L'adresse électronique de facturation du client manque.",
                 "The customer's electronic invoicing address is missing.",
                 "Renseignez l'adresse électronique dans la fiche du client (par défaut, son SIREN).",
                 "Enter the electronic address in the customer's record (by default, their SIREN)."),
    "BR-FR-13": ("L'adresse électronique de facturation du vendeur manque.",
                 "The seller's electronic invoicing address is missing.",
                 "Renseignez le SIREN de l'entreprise dans Paramètres › Société.",
                 "Enter the company's SIREN in Settings › Company."),
    "BR-FR-15": ("Une catégorie de TVA n'est pas admise en France (codes admis : S, E, AE, K, G, O, Z).",
                 "A VAT category is not allowed in France (allowed: S, E, AE, K, G, O, Z).", *LINES),
    "BR-FR-16": ("Un taux de TVA n'est pas un taux français admis (20, 10, 8,5, 5,5, 2,1…).",
                 "A VAT rate is not an allowed French rate (20, 10, 8.5, 5.5, 2.1…).", *LINES),
    "BR-FR-17": ("Une pièce jointe porte une qualification inconnue.", "An attachment has an unknown qualifier."),
    "BR-FR-18": (("Plusieurs pièces jointes se présentent comme la version lisible de la facture : une seule est "
                 "admise."), ("Several attachments claim to be the readable copy of the invoice: only one is "
                 "allowed.")),
    "BR-FR-20": ("Le type d'opération (B2B, B2C, international…) indiqué dans les notes n'est pas une valeur admise.",
                 "The kind of transaction (B2B, B2C, international…) given in the notes is not an allowed value."),
    "BR-FR-21": ("L'adresse électronique du client doit commencer par son SIREN et être du type 0225.",
                 "The customer's electronic address must start with their SIREN and use scheme 0225.",
                 "Corrigez l'adresse électronique dans la fiche du client.",
                 "Correct the electronic address in the customer's record."),
    "BR-FR-22": (("Pour une autofacture, l'adresse électronique du vendeur doit commencer par son SIREN et être du "
                 "type 0225."), ("On a self-billed invoice, the seller's electronic address must start with their "
                 "SIREN and use scheme 0225.")),
    "BR-FR-23": (("Une adresse électronique de facturation contient des caractères interdits (seuls lettres, "
                 "chiffres et - _ . sont admis)."), ("An electronic invoicing address contains forbidden "
                 "characters (only letters, digits and - _ . are allowed)."), *CUSTOMER),
    "BR-FR-24": ("Un identifiant d'entreprise contient des caractères interdits.",
                 "A company identifier contains forbidden characters."),
    "BR-FR-25": ("Une adresse électronique de facturation dépasse 125 caractères.",
                 "An electronic invoicing address is longer than 125 characters.", *CUSTOMER),
    "BR-FR-26": ("Un identifiant d'entreprise dépasse 100 caractères.", ("A company identifier is longer than "
                 "100 characters.")),
    "BR-FR-27": ("Une caractéristique d'article n'a ni nom ni code.", "An item attribute has neither name nor code."),
    "BR-FR-28": ("Une caractéristique d'article doit avoir une valeur ou une quantité, pas les deux.",
                 "An item attribute must have either a value or a quantity, not both."),
    "BR-FR-29": ("La référence de l'objet facturé (type AFL) est vide.", ("The invoiced object reference (AFL) is "
                 "empty.")),
    "BR-FR-30": ("La référence de l'objet facturé (type AFL) est vide.", ("The invoiced object reference (AFL) is "
                 "empty.")),
    "BR-FR-31": ("Le type d'opération (B2B, B2C…) est indiqué plusieurs fois avec des valeurs différentes.",
                 "The kind of transaction (B2B, B2C…) is given several times with different values."),
    "BR-FR-32": ("Un SIREN indiqué dans la facture n'a pas 9 chiffres.", ("A SIREN on the invoice is not 9 digits "
                 "long.")),
    "BR-FR-CO-03": ("Un avoir de remise globale doit indiquer le numéro de contrat et la période concernée.",
                    "A global discount credit note must give the contract number and the period covered."),
    "BR-FR-CO-04": ("Une facture rectificative doit citer une, et une seule, facture d'origine avec sa date.",
                    "A corrective invoice must reference one, and only one, original invoice with its date."),
    "BR-FR-CO-05": ("Un avoir doit citer la facture qu'il corrige, avec sa date.",
                    "A credit note must reference the invoice it corrects, with its date.",
                    "Créez l'avoir depuis la page de la facture d'origine (bouton « Créer un avoir »).",
                    "Create the credit note from the original invoice's page (\"Create a credit note\")."),
    "BR-FR-CO-07": ("La date d'échéance précède la date de la facture.", "The due date is before the invoice date.",
                    "Corrigez la date d'échéance dans le formulaire de facture.",
                    "Correct the due date on the invoice form."),
    "BR-FR-CO-08": (("Une facture définitive après acompte (cadre B4, S4, M4) ne peut pas être une facture "
                    "d'acompte."), ("A final invoice after a down payment (frame B4, S4, M4) cannot be a down "
                    "payment invoice."), "Changez le cadre de facturation dans le formulaire de facture.",
                    "Change the billing frame on the invoice form."),
    "BR-FR-CO-09": ("Une facture déjà payée (cadre B2, S2, M2) doit indiquer un montant payé égal au total TTC.",
                    ("An already paid invoice (frame B2, S2, M2) must show an amount paid equal to the total with "
                    "VAT."), "Changez le cadre de facturation dans le formulaire de facture.",
                    "Change the billing frame on the invoice form."),
    "BR-FR-CO-10": ("Un identifiant du vendeur est donné sans son type.", ("A seller identifier is given without its "
                    "scheme.")),
    "BR-FR-CO-12": ("Une facture dans une autre devise que l'euro doit aussi donner la TVA en euros.",
                    "An invoice in a currency other than the euro must also give the VAT in euros."),
    "BR-FR-CO-14": (("Le vendeur est membre d'un assujetti unique : la mention « MEMBRE_ASSUJETTI_UNIQUE » est "
                    "requise."), ("The seller belongs to a single VAT group: the \"MEMBRE_ASSUJETTI_UNIQUE\" mention "
                    "is required.")),
    "BR-FR-CO-15": (("Le vendeur est membre d'un assujetti unique : le numéro de TVA du groupe doit figurer comme "
                    "représentant fiscal."), ("The seller belongs to a single VAT group: the group's VAT number must "
                    "be given as tax representative.")),
    "BR-FR-DEC-01": ("Un montant est mal écrit : deux décimales au plus, un point comme séparateur.",
                     "An amount is badly written: at most two decimals, a dot as separator."),
    "BR-FR-DEC-02": ("Une quantité est mal écrite : quatre décimales au plus.",
                     "A quantity is badly written: at most four decimals.", *LINES),
    "BR-FR-DEC-03": ("Un prix unitaire est négatif ou a plus de six décimales.",
                     "A unit price is negative or has more than six decimals.", *LINES),
    "BR-FR-DEC-04": ("Un taux de TVA est négatif ou mal écrit.", "A VAT rate is negative or badly written.", *LINES),
    "BR-FR-MV": (("La facture multi-vendeurs (cadre S8, B8 ou M8) n'est pas construite comme l'exige la règle "
                 "française (lignes de regroupement, vendeur et numéro par ligne, totaux)."),
                 ("The multi-vendor invoice (frame S8, B8 or M8) is not built as the French rule requires (group "
                 "lines, seller and number per line, totals).")),
    "BR-FR-BD": (("La facture bidirectionnelle (cadre S9, B9 ou M9) n'est pas construite comme l'exige la règle "
                 "française (deux lignes de regroupement, type d'autofacture, références)."),
                 ("The two-way invoice (frame S9, B9 or M9) is not built as the French rule requires (two group "
                 "lines, self-billing type, references).")),

    # Lifecycle messages (CDAR): statuses exchanged between platforms.
    "BR-FR-CDV-01": ("Le message de statut n'indique pas le cadre d'échange français.",
                     "The status message does not state the French exchange framework."),
    "BR-FR-CDV-02": ("Le message de statut n'indique pas le bon cadre d'échange français.",
                     "The status message states the wrong French exchange framework."),
    "BR-FR-CDV-03": ("Le message de statut n'a pas d'identifiant.", "The status message has no identifier."),
    "BR-FR-CDV-04": ("Le message de statut n'a pas de date.", "The status message has no date."),
    "BR-FR-CDV-05": ("Le message de statut n'indique pas qui l'envoie.", ("The status message does not say who sends "
                     "it.")),
    "BR-FR-CDV-06": ("Le message de statut n'indique pas le rôle de son expéditeur.",
                     "The status message does not give its sender's role."),
    "BR-FR-CDV-07": ("Le message de statut identifie à tort la plateforme qui fixe un statut de transmission.",
                     "The status message wrongly identifies the platform setting a transmission status."),
    "BR-FR-CDV-08": ("Le message de statut n'a pas l'adresse électronique de son destinataire.",
                     "The status message lacks its recipient's electronic address."),
    "BR-FR-CDV-09": ("Le message de statut n'indique pas s'il vient d'une plateforme ou d'une entreprise.",
                     "The status message does not say whether a platform or a company sets it."),
    "BR-FR-CDV-10": ("Le message de statut n'indique pas le numéro de la facture concernée.",
                     "The status message does not give the invoice number."),
    "BR-FR-CDV-11": ("Le message de statut n'indique pas la date de la facture concernée.",
                     "The status message does not give the invoice date."),
    "BR-FR-CDV-12": ("Le message de statut n'indique pas le statut.", ("The status message does not give the "
                     "status.")),
    "BR-FR-CDV-13": ("Le message de statut n'identifie pas le vendeur de la facture.",
                     "The status message does not identify the invoice's seller."),
    "BR-FR-CDV-14": ("Le statut « Encaissée » doit donner le montant encaissé, par taux de TVA.",
                     "The \"Payment received\" status must give the amount received, per VAT rate."),
    "BR-FR-CDV-15": ("Ce statut (refus, litige, suspension, approbation partielle, rejet) exige un motif.",
                     "This status (refusal, dispute, suspension, partial approval, rejection) requires a reason."),
    "BR-FR-CDV-16": ("Un détail du statut n'est pas numéroté.", "A status detail is not numbered."),
    "BR-FR-CDV-CL-01": ("Le type d'opération du message de statut n'est pas une valeur admise.",
                        "The status message's kind of transaction is not an allowed value."),
    "BR-FR-CDV-CL-06": ("Le code de statut n'est pas un statut français connu (200 à 228, 501).",
                        "The status code is not a known French status (200 to 228, 501)."),
    "BR-FR-CDV-CL-09": ("Le motif du statut n'est pas dans la liste officielle des motifs.",
                        "The status reason is not in the official list of reasons."),
    "BR-FR-CDV-CL-10": ("L'action demandée n'est pas dans la liste officielle.",
                        "The requested action is not in the official list."),
    "BR-FR-CDV-CL-11": ("Un montant du statut a un type inconnu.", "An amount of the status has an unknown type."),
    "BR-FR-CDV-CL": ("Un rôle ou un code du message de statut n'est pas dans la liste officielle.",
                     "A role or code of the status message is not in the official list."),
}
