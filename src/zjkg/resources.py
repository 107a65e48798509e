"""Where the shipped ontology, shapes, data and queries are, found through the package.

A wheel carries them under ``zjkg/_resources`` (see ``pyproject.toml``). An editable
install or a source checkout has no such folder; there the project's own top-level
folders are used, located from this file and never from the working directory.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from zjkg.prefixes import REPORT as REPORT_SLUG  # noqa: F401 - re-exported


@lru_cache(maxsize=1)
def root() -> Path:
    """The folder that holds ``ontology/``, ``data/`` and ``queries/``."""
    packaged = Path(str(files("zjkg"))) / "_resources"
    if (packaged / "ontology").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "ontology" / "zjkg.ttl").is_file():
        return checkout
    raise FileNotFoundError(
        "zjkg's resources are missing: reinstall the package with `pip install .`"
    )


def ontology_path() -> Path:
    return root() / "ontology" / "zjkg.ttl"


def shapes_path() -> Path:
    return root() / "ontology" / "shapes.ttl"


def context_path() -> Path:
    return root() / "ontology" / "context.jsonld"


def data_path() -> Path:
    return root() / "data" / "report2021.ttl"


def source_path() -> Path:
    return root() / "data" / "source" / "report2021.en.txt"


def tables_dir() -> Path:
    return root() / "data" / "tables"


def queries_dir() -> Path:
    return root() / "queries"
