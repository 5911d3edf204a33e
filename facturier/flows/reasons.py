"""The ``reasonCode`` of an acknowledgement detail.

The documents define ``ReasonCode`` as ``oneOf: [ReasonCodeEnum, string]``: a
member of the enumeration matches both branches, so the documents as published
refuse every one of them. This platform sends each member's name in upper snake
case (``INVALID_SCHEMA`` for ``InvalidSchema``), which matches only the string
branch, and one extension, ``BUSINESS_RULE_ERROR``, for an invoice that breaks a
business rule (EN 16931, BR-FR): the detail's ``item`` names the rule.
"""

EMPTY_FLOW = "EMPTY_FLOW"
INVALID_SCHEMA = "INVALID_SCHEMA"
BUSINESS_RULE_ERROR = "BUSINESS_RULE_ERROR"
FLOW_TYPE_ERROR = "FLOW_TYPE_ERROR"
ALREADY_EXISTING_FLOW = "ALREADY_EXISTING_FLOW"
CHECKSUM_MISMATCH = "CHECKSUM_MISMATCH"
OTHER_TECHNICAL_ERROR = "OTHER_TECHNICAL_ERROR"
INVOICE_LC_INVALID_STATUS = "INVOICE_LC_INVALID_STATUS"
INVOICE_LC_STATUS_ERROR = "INVOICE_LC_STATUS_ERROR"
INVOICE_LC_RULE_ERROR = "INVOICE_LC_RULE_ERROR"
INVOICE_LC_ACCESS_DENIED = "INVOICE_LC_ACCESS_DENIED"
