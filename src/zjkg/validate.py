"""``zjkg validate``: the graph against the SHACL shapes, plus a vocabulary lint.

The default engine compiles the shapes to SPARQL over pyoxigraph (see :mod:`zjkg.shacl`);
``engine="pyshacl"`` runs pySHACL instead, slower but the reference implementation.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import click

from zjkg import resources
from zjkg.errors import EXIT_DATA_FAILS, DataError
from zjkg.graph import add_to_store
from zjkg.shacl import SHAPES_GRAPH, Violation, compile_shapes, run_checks, sorted_violations

DATA_GRAPH = "urn:zjkg:data"
ONTOLOGY_GRAPH = "urn:zjkg:ontology"
ENGINES = ("oxigraph", "pyshacl")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
ZJKG_NS = "https://w3id.org/zjkg/ontology#"


@dataclass(frozen=True, order=True)
class LintProblem:
    """A class or property the data uses that the ontology does not declare."""

    term: str
    role: str
    message: str


@dataclass
class ValidationReport:
    """What :func:`validate` found. ``conforms`` is true when both lists are empty."""

    violations: list[Violation] = field(default_factory=list)
    lint: list[LintProblem] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    engine: str = "oxigraph"

    @property
    def conforms(self) -> bool:
        return not self.violations and not self.lint

    def name(self, iri: str | None) -> str:
        if iri is None:
            return ""
        return self.names.get(iri, iri)


def validate(
    files: Sequence[Path | str] | None = None,
    *,
    engine: str = "oxigraph",
    shapes: Path | str | None = None,
    ontology: Path | str | None = None,
    lint: bool = True,
) -> ValidationReport:
    """Validate ``files`` (default: the shipped data) against the shapes and the ontology.

    Returns a :class:`ValidationReport`; raises :class:`~zjkg.errors.InputError` for a
    missing file or a syntax error (with its line).
    """
    import pyoxigraph as ox

    if engine not in ENGINES:
        raise DataError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    data_files = [Path(f) for f in files] if files else [resources.data_path()]
    store = ox.Store()
    add_to_store(store, data_files, graph=DATA_GRAPH)
    add_to_store(store, [Path(ontology) if ontology else resources.ontology_path()],
                 graph=ONTOLOGY_GRAPH)
    add_to_store(store, [Path(shapes) if shapes else resources.shapes_path()],
                 graph=SHAPES_GRAPH.value)
    graphs = [ox.NamedNode(DATA_GRAPH), ox.NamedNode(ONTOLOGY_GRAPH)]
    if engine == "oxigraph":
        violations = run_checks(store, compile_shapes(store), graphs)
    else:
        violations = _pyshacl_violations(store)
    report = ValidationReport(violations=violations, files=[str(f) for f in data_files],
                              engine=engine)
    if lint:
        report.lint = lint_vocabulary(store)
    report.names = _names(store, {v.focus for v in violations}, graphs)
    return report


def lint_vocabulary(store) -> list[LintProblem]:
    """Classes and properties in the data that the ontology neither defines nor reuses.

    The ontology declares each standard term it reuses, so a misspelt predicate
    (``schema:mention``) is reported with the declared terms it most resembles.
    """
    import pyoxigraph as ox

    declared = {
        row["term"].value
        for row in store.query(
            f"SELECT DISTINCT ?term WHERE {{ ?term <{RDF_TYPE}> ?type }}",
            default_graph=ox.NamedNode(ONTOLOGY_GRAPH),
        )
        if isinstance(row["term"], ox.NamedNode)
    }
    used = store.query(
        f"""SELECT DISTINCT ?term ?role WHERE {{
            {{ ?s ?term ?o . BIND("property" AS ?role) }}
            UNION {{ ?s <{RDF_TYPE}> ?term . BIND("class" AS ?role) }} }}""",
        default_graph=ox.NamedNode(DATA_GRAPH),
    )
    problems = []
    for row in used:
        term = row["term"]
        if not isinstance(term, ox.NamedNode) or term.value in declared:
            continue
        near = difflib.get_close_matches(term.value, sorted(declared), n=2, cutoff=0.8)
        hint = f"; did you mean {' or '.join(f'<{n}>' for n in near)}?" if near else ""
        where = "zjkg's own namespace" if term.value.startswith(ZJKG_NS) else "any vocabulary"
        problems.append(LintProblem(
            term.value, row["role"].value,
            f"{row['role'].value} <{term.value}> is not declared in the ontology ({where}){hint}",
        ))
    return sorted(problems)


def _names(store, focus: set[str], graphs) -> dict[str, str]:
    """A readable name for each focus node: its label, and an observation's quote."""
    import pyoxigraph as ox

    names: dict[str, str] = {}
    for iri in sorted(focus):
        node = ox.NamedNode(iri)
        query = """
            PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
            PREFIX prov: <http://www.w3.org/ns/prov#>
            PREFIX nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#>
            SELECT ?node ?label ?quote WHERE {
                OPTIONAL { ?node rdfs:label ?label }
                OPTIONAL { ?node prov:wasDerivedFrom/nif:anchorOf ?quote }
            } ORDER BY ?label LIMIT 1"""
        solutions = store.query(
            query, default_graph=graphs, substitutions={ox.Variable("node"): node}
        )
        for row in solutions:
            label = row["label"].value if row["label"] is not None else iri
            quote = row["quote"]
            names[iri] = f"{label} — “{quote.value}”" if quote is not None else label
    return names


def _pyshacl_violations(store) -> list[Violation]:
    """Run pySHACL on the same graphs and read its report back as :class:`Violation`s."""
    import pyshacl
    from rdflib import Graph, Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")

    def graph_of(name: str) -> Graph:
        import pyoxigraph as ox

        graph = Graph()
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    data = graph_of(DATA_GRAPH) + graph_of(ONTOLOGY_GRAPH)
    shapes = graph_of(SHAPES_GRAPH.value)
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True)
    owners = {str(p): str(n) for n, p in shapes.subject_objects(sh.property)}
    found = set()
    for result in results.subjects(sh.resultSeverity, sh.Violation):
        source = str(results.value(result, sh.sourceShape))
        path = results.value(result, sh.resultPath)
        value = results.value(result, sh.value)
        message = results.value(result, sh.resultMessage)
        found.add(Violation(
            owners.get(source, source), source, str(results.value(result, sh.focusNode)),
            None if path is None else str(path), None if value is None else value.n3(),
            str(message or ""), str(results.value(result, sh.sourceConstraintComponent)),
        ))
    return sorted_violations(found)


# -- output ---------------------------------------------------------------------------------

def _short(iri: str) -> str:
    from zjkg.ns import PREFIXES

    best = max((ns for ns in PREFIXES.values() if iri.startswith(ns)), key=len, default=None)
    if best is None:
        return f"<{iri}>" if "://" in iri else iri
    name = next(n for n, ns in PREFIXES.items() if ns == best)
    return f"{name}:{iri[len(best):]}"


def as_text(report: ValidationReport) -> str:
    """A report grouped by shape, naming each focus node by its label (and quote)."""
    lines = []
    status = "conforms" if report.conforms else "does not conform"
    lines.append(f"{', '.join(report.files)}: {status} "
                 f"({len(report.violations)} violations, {len(report.lint)} vocabulary problems;"
                 f" engine {report.engine})")
    groups: dict[str, list[Violation]] = {}
    for violation in report.violations:
        groups.setdefault(violation.node_shape, []).append(violation)
    for shape, items in sorted(groups.items()):
        lines.append(f"\n{_short(shape)}: {len(items)}")
        for v in items:
            detail = f" [{_short(v.path)}]" if v.path else ""
            value = f" value {v.value}" if v.value else ""
            lines.append(f"  - {report.name(v.focus)}{detail}: {v.message}{value}")
            lines.append(f"    {v.focus}")
    if report.lint:
        lines.append(f"\nvocabulary: {len(report.lint)}")
        lines.extend(f"  - {problem.message}" for problem in report.lint)
    return "\n".join(lines) + "\n"


def as_json(report: ValidationReport) -> str:
    payload = {
        "conforms": report.conforms,
        "engine": report.engine,
        "files": report.files,
        "violations": [
            {"shape": v.node_shape, "sourceShape": v.source_shape, "focusNode": v.focus,
             "focusName": report.name(v.focus), "path": v.path, "value": v.value,
             "message": v.message, "component": v.component}
            for v in report.violations
        ],
        "vocabulary": [
            {"term": p.term, "role": p.role, "message": p.message} for p in report.lint
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def as_turtle(report: ValidationReport) -> str:
    """A SHACL validation report; results get IRIs in report order, so output is stable."""
    from rdflib import Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, XSD

    from zjkg.turtle import serialize

    sh = Namespace("http://www.w3.org/ns/shacl#")
    graph = Graph()
    graph.bind("sh", str(sh))
    root = URIRef("urn:zjkg:validation-report")
    graph.add((root, RDF.type, sh.ValidationReport))
    graph.add((root, sh.conforms, Literal(report.conforms, datatype=XSD.boolean)))
    for index, v in enumerate(report.violations, start=1):
        node = URIRef(f"urn:zjkg:validation-report:result-{index}")
        graph.add((root, sh.result, node))
        graph.add((node, RDF.type, sh.ValidationResult))
        graph.add((node, sh.resultSeverity, sh.Violation))
        graph.add((node, sh.focusNode, URIRef(v.focus)))
        graph.add((node, sh.sourceShape, URIRef(v.source_shape)))
        graph.add((node, sh.sourceConstraintComponent, URIRef(v.component)))
        graph.add((node, sh.resultMessage, Literal(v.message, lang="en")))
        if v.path:
            graph.add((node, sh.resultPath, URIRef(v.path)))
    return serialize(graph)


FORMATTERS = {"text": as_text, "json": as_json, "turtle": as_turtle}


@click.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text",
              show_default=True, help="How to print the report.")
@click.option("--engine", type=click.Choice(ENGINES), default="oxigraph", show_default=True,
              help="oxigraph: shapes compiled to SPARQL (fast); pyshacl: the reference engine.")
@click.option("--shapes", type=click.Path(path_type=Path, dir_okay=False),
              help="Shapes file (default: the shipped ontology/shapes.ttl).")
@click.option("--no-lint", is_flag=True, help="Skip the vocabulary lint.")
def validate_command(files: tuple[Path, ...], fmt: str, engine: str, shapes: Path | None,
                     no_lint: bool) -> None:
    """Validate FILES (default: the shipped data) against the shapes and the ontology.

    Exit 0 when the data conforms, 1 when it does not, 2 for a missing file or bad syntax.
    """
    report = validate(list(files) or None, engine=engine, shapes=shapes, lint=not no_lint)
    click.echo(FORMATTERS[fmt](report), nl=False)
    if not report.conforms:
        raise click.exceptions.Exit(EXIT_DATA_FAILS)
