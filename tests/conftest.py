"""Shared fixtures. Tests find the shipped files through the package, never the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from zjkg import resources
from zjkg.graph import load_graph
from zjkg.text import read_source

TESTS = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def tests_dir() -> Path:
    return TESTS


@pytest.fixture(scope="session")
def source() -> str:
    return read_source()


@pytest.fixture(scope="session")
def graph() -> Graph:
    """The shipped ontology and data, parsed once by rdflib."""
    return load_graph()


@pytest.fixture(scope="session")
def data_graph() -> Graph:
    """The shipped data alone."""
    return load_graph([resources.data_path()], ontology=False)
