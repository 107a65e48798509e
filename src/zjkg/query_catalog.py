"""The canned queries in ``queries/*.rq`` and the header comment that describes each.

Header format: the comment lines before the query's first other line, one field a line::

    # title: Programs that concern a place
    # description: The programs linked to a place by dcterms:spatial, directly or
    #   through a place it contains.                  (more lines continue a field)
    # param: place (entity, class=schema:Place, required) the place, by IRI, slug or label
    # param: min (integer, default=2) the least number of shared paragraphs
    # columns: program, program_label, linked_place, linked_place_label, link
    # example: place=Zhejiang; min=2

``title`` and ``columns`` are required, ``description`` and ``example`` optional, ``param``
may repeat. A param reads ``NAME (TYPE[, class=CURIE|CURIE...][, required|optional|
default=VALUE]) DOC``; TYPE is ``entity`` (an IRI, slug or label, resolved to an IRI of one
of the classes, any entity class when no class is given), ``string``, ``integer``,
``decimal`` or ``iri``. A param without ``required`` or a default is optional: its variable
stays unbound, which the query reads as "all". ``example`` gives the parameters the tests
and benchmarks run the query with. A malformed header is an :class:`InputError` naming the
file and line, so a broken query never ships silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from zjkg.errors import InputError
from zjkg.results import PREFIXES

PARAM_TYPES = ("entity", "string", "integer", "decimal", "iri")
#: Names the API and command line use themselves, so a query cannot take them.
RESERVED = frozenset({"name", "engine", "endpoint", "format", "params"})
_FIELDS = ("title", "description", "param", "columns", "example")
_FIELD = re.compile(r"^#\s?(?P<key>[a-z]+):\s*(?P<value>.*)$")
_PARAM = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)\s*\((?P<spec>[^)]*)\)\s*(?P<doc>.*)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_FORM = re.compile(r"\b(?P<form>SELECT|CONSTRUCT|ASK|DESCRIBE)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Param:
    """One parameter of a canned query, as its header declares it."""

    name: str
    type: str
    required: bool = False
    default: str | None = None
    classes: tuple[str, ...] = ()
    doc: str = ""

    def signature(self) -> str:
        """The parameter as ``--list`` shows it: ``place (entity: schema:Place, required)``."""
        kind = self.type
        if self.classes:
            from zjkg.results import shorten

            kind += ": " + "|".join(shorten(c) for c in self.classes)
        if self.required:
            state = "required"
        elif self.default is not None:
            state = f"default {self.default}"
        else:
            state = "optional"
        return f"{self.name} ({kind}, {state})"


@dataclass(frozen=True)
class CannedQuery:
    """A query file: its name (the file's stem), header fields and SPARQL text."""

    name: str
    path: Path
    title: str
    text: str
    columns: tuple[str, ...]
    description: str = ""
    params: tuple[Param, ...] = ()
    example: dict[str, str] = field(default_factory=dict)
    form: str = "SELECT"

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def parse_query_file(path: Path) -> CannedQuery:
    """Read one ``.rq`` file and check its header against the format above."""
    text = path.read_text(encoding="utf-8")
    name = path.stem
    if not _NAME.match(name):
        raise InputError("a query file name must be lower-case words joined by hyphens",
                         path=str(path))
    fields: dict[str, list[str]] = {}
    params: list[tuple[int, str]] = []
    last: str | None = None
    body_start = 0
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#"):
            body_start = number - 1
            break
        match = _FIELD.match(line)
        if match and match.group("key") in _FIELDS:
            key, value = match.group("key"), match.group("value").strip()
            if key == "param":
                params.append((number, value))
            elif key in fields:
                raise InputError(f"field {key!r} given twice", path=str(path), line=number)
            else:
                fields[key] = [value]
            last = key
        elif match:
            raise InputError(f"unknown header field {match.group('key')!r}", path=str(path),
                             line=number, hint=f"use one of {', '.join(_FIELDS)}")
        elif line.strip("# ") and last in ("description", "param"):
            if last == "param":
                params[-1] = (params[-1][0], params[-1][1] + " " + line.strip("# "))
            else:
                fields[last].append(line.strip("# "))
        elif line.strip("# "):
            raise InputError("a header line must start a field (# key: value)",
                             path=str(path), line=number)
    else:
        body_start = len(lines)
    for required in ("title", "columns"):
        if required not in fields:
            raise InputError(f"the header lacks '# {required}: ...'", path=str(path))
    body = "\n".join(lines[body_start:])
    parsed = tuple(_parse_param(path, number, value) for number, value in params)
    for param in parsed:
        if not re.search(rf"[?$]{re.escape(param.name)}\b", body):
            raise InputError(f"parameter {param.name!r} is not a variable of the query",
                             path=str(path))
    if len({p.name for p in parsed}) != len(parsed):
        raise InputError("a parameter is declared twice", path=str(path))
    form = _FORM.search(_strip_comments(body))
    columns = tuple(c.strip() for c in fields["columns"][0].split(",") if c.strip())
    example = _parse_example(path, fields.get("example", [""])[0], parsed)
    return CannedQuery(name=name, path=path, title=fields["title"][0], text=text,
                       columns=columns, description=" ".join(fields.get("description", [])),
                       params=parsed, example=example,
                       form=form.group("form").upper() if form else "SELECT")


def _parse_param(path: Path, number: int, value: str) -> Param:
    match = _PARAM.match(value)
    if not match:
        raise InputError("a param reads 'NAME (TYPE[, class=...][, required|default=V]) doc'",
                         path=str(path), line=number)
    name = match.group("name")
    if name in RESERVED:
        raise InputError(f"parameter name {name!r} is reserved", path=str(path), line=number)
    parts = [part.strip() for part in match.group("spec").split(",")]
    kind, options = parts[0], parts[1:]
    if kind not in PARAM_TYPES:
        raise InputError(f"unknown parameter type {kind!r}", path=str(path), line=number,
                         hint=f"use one of {', '.join(PARAM_TYPES)}")
    required = False
    default: str | None = None
    classes: tuple[str, ...] = ()
    for option in options:
        if option == "required":
            required = True
        elif option == "optional":
            pass
        elif option.startswith("default="):
            default = option.removeprefix("default=")
        elif option.startswith("class=") and kind == "entity":
            classes = tuple(_expand(path, number, c) for c in option[6:].split("|"))
        else:
            raise InputError(f"unknown parameter option {option!r}", path=str(path),
                             line=number)
    if required and default is not None:
        raise InputError("a parameter cannot be both required and defaulted", path=str(path),
                         line=number)
    return Param(name, kind, required, default, classes, match.group("doc").strip())


def _expand(path: Path, number: int, curie: str) -> str:
    prefix, _, local = curie.partition(":")
    if prefix not in PREFIXES or not local:
        raise InputError(f"unknown class {curie!r}", path=str(path), line=number,
                         hint="write classes as prefixed names with zjkg's prefixes")
    return PREFIXES[prefix] + local


def _parse_example(path: Path, value: str, params: tuple[Param, ...]) -> dict[str, str]:
    example: dict[str, str] = {}
    names = {p.name for p in params}
    for item in filter(None, (part.strip() for part in value.split(";"))):
        key, sep, val = item.partition("=")
        if not sep or key.strip() not in names:
            raise InputError(f"example {item!r} does not name a parameter", path=str(path))
        example[key.strip()] = val.strip()
    return example


def _strip_comments(body: str) -> str:
    """The query without ``#`` comments (IRIs and strings may hold ``#``, so kept)."""
    return "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("#"))


@lru_cache(maxsize=4)
def load_catalog(folder: str | None = None) -> dict[str, CannedQuery]:
    """Every canned query in ``folder`` (default: the shipped ``queries/``), by name."""
    if folder is None:
        from zjkg.resources import queries_dir

        directory = queries_dir()
    else:
        directory = Path(folder)
    return {q.name: q for q in map(parse_query_file, sorted(directory.glob("*.rq")))}
