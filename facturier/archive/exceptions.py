"""What can go wrong with the legal archive.

    ArchiveError
     ├── WriteOnceError      an archived record cannot be changed
     ├── RetentionError      an archived record cannot be removed before its term
     └── ArchiveIntegrityError
          ├── ContentMissing  the stored file is gone
          └── ContentChanged  the stored file no longer matches its SHA-256
"""


class ArchiveError(Exception):
    pass


class WriteOnceError(ArchiveError):
    pass


class RetentionError(ArchiveError):
    pass


class ArchiveIntegrityError(ArchiveError):
    pass


class ContentMissing(ArchiveIntegrityError):
    pass


class ContentChanged(ArchiveIntegrityError):
    pass
