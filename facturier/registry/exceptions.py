"""What can go wrong when asking a company registry.

    RegistryError
     ├── RegistryUnavailable   the registry could not answer: timeout, refused
     │                         connection, 5xx, 429, malformed answer. Callers
     │                         mark their check pending and try again later.
     └── InvalidSiren          the question itself is wrong (not 9 digits).

"Company not found" is not an error: ``lookup_company`` answers None.
"""


class RegistryError(Exception):
    pass


class RegistryUnavailable(RegistryError):
    pass


class InvalidSiren(RegistryError, ValueError):
    pass
