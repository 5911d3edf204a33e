"""Interchangeable registries, in the shape of httpx's transports.

``base`` defines the two interfaces; each other module implements one or both
for one source. Adding a registry means adding a module and its dotted path to
``settings.REGISTRY_PROVIDERS``, not a branch.
"""
