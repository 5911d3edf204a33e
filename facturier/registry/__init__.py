"""Company registries: SIRENE (who a company is, whether it is closed) and BODACC
(collective proceedings), behind one cached service.

Callers use ``facturier.registry.service``::

    lookup_company(siren) -> CompanyRecord | None      # None: unknown to SIRENE
    insolvency_proceedings(siren) -> list[Proceeding]  # most recent first

and catch ``facturier.registry.exceptions.RegistryUnavailable`` to mark a
check pending. ``providers/`` holds one module per source.
"""
