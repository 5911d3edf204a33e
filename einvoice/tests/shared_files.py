"""Where the shared specifications and corpus live, for tests that read them.

``FACTURIER_SHARED`` names the directory; by default it sits next to the
repository (or next to the folder of a git worktree). Tests that need it skip
with a message when it is absent.
"""

import os
from pathlib import Path

import pytest


def shared_dir():
    configured = os.environ.get("FACTURIER_SHARED")
    if configured:
        return Path(configured)
    checkout = Path(__file__).resolve().parents[2]
    candidates = (checkout.parent / "shared", checkout.parent.parent / "shared")
    return next((path for path in candidates if path.is_dir()), candidates[0])


def shared_path(*parts):
    """The path of a shared file or directory, skipping the test when it is missing."""
    path = shared_dir().joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (set FACTURIER_SHARED to the shared directory)")
    return path


def shared_files(pattern, *parts):
    """Shared files matching ``pattern`` (recursive glob) for parametrisation; empty when absent."""
    base = shared_dir().joinpath(*parts)
    return sorted(base.glob(pattern)) if base.exists() else []
