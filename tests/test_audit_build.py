"""The audit of the source against the graph, and the build from the tables."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from zjkg import resources
from zjkg.audit import audit
from zjkg.build import BuildError, build_graph
from zjkg.commands import HEADER, build
from zjkg.tables import load_tables
from zjkg.turtle import serialize


def test_audit_leaves_nothing_unexplained() -> None:
    report = audit()
    assert report.unexplained == [], report.unexplained[:5]
    assert report.count("number") > 300
    assert report.count("number", "observation") > 200
    assert report.graph_share("number") > 0.7


def test_audit_reports_a_number_the_graph_drops(tmp_path: Path) -> None:
    text = resources.data_path().read_text(encoding="utf-8")
    dropped = re.sub(r'zjkg:numberText "3,474"', 'zjkg:numberText "3474-dropped"', text)
    assert dropped != text
    data = tmp_path / "dropped.ttl"
    data.write_text(dropped, encoding="utf-8")
    report = audit(data=data)
    assert [f.text for f in report.unexplained] == ["3,474"]
    assert report.unexplained[0].line == 36


def test_every_exclusion_has_a_reason() -> None:
    exclusions = load_tables().exclusions
    assert exclusions and all(row["reason"] for row in exclusions)


def test_build_is_deterministic_and_matches_the_shipped_file() -> None:
    first = serialize(build_graph(), header=HEADER)
    second = serialize(build_graph(), header=HEADER)
    assert first == second
    text, changed = build(check_only=True)
    assert not changed, "data/report2021.ttl is out of date: run `zjkg build`"
    assert text == first


def test_a_bad_quote_is_reported_with_file_and_row(tmp_path: Path) -> None:
    folder = tmp_path / "tables"
    shutil.copytree(resources.tables_dir(), folder)
    target = folder / "observations-lines-001-038.csv"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("The province's GDP reached 6461.3 billion yuan",
                                   "The province's GDP reached 6416.3 billion yuan", 1),
                      encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        build_graph(tables=load_tables(folder))
    assert f"{target}:2: quote not found in line 18" in str(caught.value)


def test_build_writes_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    text, changed = build(output=target)
    assert changed and target.read_text(encoding="utf-8") == text
    assert list(tmp_path.iterdir()) == [target]
