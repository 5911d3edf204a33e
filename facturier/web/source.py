"""The source code of the running platform, offered to every user as the AGPL asks
of a program used over a network (section 13)."""

import functools
import io
import tarfile
from pathlib import Path

import einvoice
import facturier

# Files of the project beside the packages: there in a checkout or an editable
# install, absent when the packages were installed into site-packages.
PROJECT_FILES = ("LICENSE", "README.md", "pyproject.toml", "Makefile", "requirements", "bench")


@functools.cache
def archive():
    """A tar.gz of the code this process runs: the packages as loaded, so local changes are in it."""
    packages = [Path(einvoice.__file__).parent, Path(facturier.__file__).parent]
    root = packages[-1].parent
    checkout = (root / "pyproject.toml").is_file()
    project = [root / name for name in PROJECT_FILES if checkout and (root / name).exists()]
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for path in packages + project:
            tar.add(path, arcname=f"facturier-{facturier.__version__}/{path.name}", filter=_without_caches)
    return buffer.getvalue()


def _without_caches(member):
    return None if "__pycache__" in member.name.split("/") else member
