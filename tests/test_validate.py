"""``zjkg validate``: exit codes, report formats, syntax errors and the vocabulary lint."""

from __future__ import annotations

import contextlib
import json
from io import StringIO
from pathlib import Path

import pytest
from rdflib import Graph

from zjkg import resources
from zjkg.cli import main
from zjkg.validate import validate

MINI = Path(__file__).resolve().parent / "shapes" / "mini-report.ttl"


def run(*args: str) -> tuple[int, str]:
    """Run the command line in-process; return its exit code and everything it printed."""
    out, err = StringIO(), StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


def test_shipped_data_conforms() -> None:
    report = validate()
    assert report.conforms, report.violations[:3]


def test_validate_exits_0_on_shipped_data() -> None:
    code, out = run("validate")
    assert code == 0 and "conforms" in out


def broken(tmp_path: Path) -> Path:
    text = MINI.read_text(encoding="utf-8").replace(
        'skos:prefLabel "Testland"@en', 'skos:prefLabel "Testland"@en, "Testland again"@en', 1)
    target = tmp_path / "broken.ttl"
    text = text.replace("zjkg:placeKind place-kind:province",
                        "zjkg:placeKind place-kind:province, place-kind:country")
    target.write_text(text, encoding="utf-8")
    return target


def test_violations_exit_1_and_name_the_focus_node(tmp_path: Path) -> None:
    code, out = run("validate", str(broken(tmp_path)))
    assert code == 1
    assert "shapes:PlaceShape" in out and "Testland" in out
    assert "exactly one zjkg:placeKind" in out


def test_observation_is_named_by_its_quote(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace(
        'zjkg:numberText "100"', 'zjkg:numberText "101"')
    target = tmp_path / "quote.ttl"
    target.write_text(text, encoding="utf-8")
    code, out = run("validate", str(target))
    assert code == 1 and "Testland's GDP reached 100 billion yuan" in out


def test_json_and_turtle_reports(tmp_path: Path) -> None:
    code, out = run("validate", "--format", "json", str(broken(tmp_path)))
    payload = json.loads(out)
    assert code == 1 and payload["conforms"] is False and payload["violations"]
    code, out = run("validate", "--format", "turtle", str(broken(tmp_path)))
    graph = Graph().parse(data=out, format="turtle")
    assert code == 1 and len(graph) > 5


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n',
                   encoding="utf-8")
    code, out = run("validate", str(bad))
    assert code == 2
    assert f"{bad}:3" in out and "how to fix" in out


def test_missing_file_exits_2(tmp_path: Path) -> None:
    code, out = run("validate", str(tmp_path / "nope.ttl"))
    assert code == 2 and "nope.ttl" in out and "no such file" in out


def test_unknown_option_exits_2() -> None:
    code, _ = run("validate", "--format", "yaml")
    assert code == 2


def test_a_misspelt_predicate_is_a_vocabulary_error(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8").replace("schema:mentions", "schema:mention", 1)
    target = tmp_path / "typo.ttl"
    target.write_text(text, encoding="utf-8")
    report = validate([target])
    assert [p.term for p in report.lint] == ["https://schema.org/mention"]
    assert "did you mean <https://schema.org/mentions>" in report.lint[0].message
    code, _ = run("validate", str(target))
    assert code == 1


def test_an_undeclared_class_in_zjkgs_namespace_is_an_error(tmp_path: Path) -> None:
    target = tmp_path / "class.ttl"
    target.write_text(MINI.read_text(encoding="utf-8")
                      + "\n<https://w3id.org/zjkg/x> a zjkg:Programme .\n", encoding="utf-8")
    report = validate([target])
    assert any(p.role == "class" and p.term.endswith("#Programme") for p in report.lint)


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_engines_agree_on_a_broken_file(tmp_path: Path, engine: str) -> None:
    report = validate([broken(tmp_path)], engine=engine)
    assert {(v.focus, v.source_shape) for v in report.violations} == {
        ("https://w3id.org/zjkg/place/testland", "https://w3id.org/zjkg/shapes#Place-placeKind"),
        ("https://w3id.org/zjkg/place/testland", "https://w3id.org/zjkg/shapes#PrefLabel"),
    }


def test_validate_works_from_any_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert validate().conforms
    assert resources.data_path().is_file()
