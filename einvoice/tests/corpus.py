"""Where the shared test corpus lives (``../shared/corpus``), for tests that read it."""

import pytest

from einvoice.tests.shared_files import shared_dir

CORPUS = shared_dir() / "corpus"


def corpus_file(relative):
    """A file of the corpus, or skip the test with a message saying where it was looked for."""
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"shared corpus not found ({path}); set FACTURIER_SHARED to the shared/ directory")
    return path


def corpus_files(relative_dir, pattern="*.xml"):
    """Files under a corpus directory (sorted); empty when the corpus is absent."""
    directory = CORPUS / relative_dir
    return sorted(directory.rglob(pattern)) if directory.is_dir() else []
