"""Turning what a user types for an entity parameter into the one IRI it names.

A value may be the IRI (bare or in ``<...>``), a prefixed name (``place:hangzhou``,
``paragraph:10``), a path under the base IRI or the report (``place/hangzhou``,
``part-1/item-5``), a slug (``hangzhou``), any label in any language (``rdfs:label``,
``skos:prefLabel``, ``skos:altLabel``, ``skos:notation``: ``Hangzhou``, ``杭州市``), or for a
section its number (``I``, ``I.5``, ``paragraph 10``). Matching ignores case, repeated
spaces and the difference between straight and curly quotes.

Candidates are looked up in tiers - identifiers, then paths and slugs, then labels - and
the first tier with a match decides; two entities in that tier make the value ambiguous.
A parameter may be limited to classes, or for codes (``zjkg:Code``) to code lists: a code's
``skos:inScheme`` counts as a class of it. The index is one query per engine, built on
first use and kept.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from zjkg.errors import InputError
from zjkg.query_engines import Engine
from zjkg.results import PREFIXES, REPORT_PREFIXES, shorten

BASE = "https://w3id.org/zjkg/"
REPORT_ROOT = REPORT_PREFIXES["r"]
#: The classes an entity parameter may name, and what to call one in a message.
ENTITY_CLASSES: dict[str, str] = {
    PREFIXES["zjkg"] + "Program": "program",
    PREFIXES["schema"] + "Place": "place",
    PREFIXES["schema"] + "Organization": "organization",
    PREFIXES["schema"] + "Event": "event",
    PREFIXES["schema"] + "Person": "person",
    PREFIXES["zjkg"] + "PolicyDocument": "policy document",
    PREFIXES["zjkg"] + "Indicator": "indicator",
    PREFIXES["zjkg"] + "Period": "period",
    PREFIXES["zjkg"] + "Code": "code",
    PREFIXES["qudt"] + "Unit": "unit",
    PREFIXES["schema"] + "Report": "report",
    PREFIXES["zjkg"] + "Part": "part",
    PREFIXES["zjkg"] + "Item": "item",
    PREFIXES["nif"] + "Paragraph": "paragraph",
}
_CODE = PREFIXES["zjkg"] + "Code"
_SECTIONS = {PREFIXES["zjkg"] + "Part", PREFIXES["zjkg"] + "Item", PREFIXES["nif"] + "Paragraph"}
_ROMAN = re.compile(r"^[IVXLC]+(\.\d+)?$")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_LIST_ALL = 40


def normalize(text: str) -> str:
    """The form two spellings of one name share: NFKC, case-folded, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    return " ".join(text.split())


@dataclass
class _Entity:
    iri: str
    classes: set[str] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)

    @property
    def display(self) -> str:
        label = next((x for x in self.labels if x.isascii()), self.labels[0] if self.labels
                     else "")
        return f"{label} ({shorten(self.iri)})" if label else shorten(self.iri)


class _Index:
    """The entities of some classes by every name the module docstring lists."""

    def __init__(self, engine: Engine, classes: frozenset[str]) -> None:
        self.entities: dict[str, _Entity] = {}
        self.by_path: dict[str, set[str]] = defaultdict(set)
        self.by_label: dict[str, set[str]] = defaultdict(set)
        skos, rdfs = PREFIXES["skos"], PREFIXES["rdfs"]
        values = " ".join(f"<{c}>" for c in sorted(classes))
        text = (f"SELECT ?entity ?class ?label WHERE {{ VALUES ?class {{ {values} }} "
                f"{{ ?entity a ?class }} UNION {{ ?entity a <{_CODE}> ; "
                f"<{skos}inScheme> ?class }} OPTIONAL {{ ?entity <{rdfs}label>|"
                f"<{skos}prefLabel>|<{skos}altLabel>|<{skos}notation> ?label }} }}")
        for entity, cls, label in engine.run(text, {}).terms:
            if entity is None or cls is None or entity.kind != "uri":
                continue
            record = self.entities.setdefault(entity.value, _Entity(entity.value))
            record.classes.add(cls.value)
            if label is not None and label.value not in record.labels:
                record.labels.append(label.value)
        for record in self.entities.values():
            for path in _paths(record.iri):
                self.by_path[normalize(path)].add(record.iri)
            names = set(record.labels)
            if record.classes & _SECTIONS:
                names |= {form for label in record.labels for form in _section_forms(label)}
            for name in names:
                self.by_label[normalize(name)].add(record.iri)


class Resolver:
    """Resolves names on one engine's graph, indexing each set of classes once."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.indexes: dict[frozenset[str], _Index] = {}

    def resolve(self, value: str, *, classes: tuple[str, ...] = (), param: str = "entity"
                ) -> str:
        """The IRI ``value`` names among entities of ``classes`` (any entity when empty)."""
        key = frozenset(classes or ENTITY_CLASSES)
        if key not in self.indexes:
            self.indexes[key] = _Index(self.engine, key)
        index = self.indexes[key]
        what = _describe(classes)
        text = value.strip()
        iri = _as_iri(text)
        tiers = [{iri} if iri else set(), index.by_path.get(normalize(text), set()),
                 index.by_label.get(normalize(text), set())]
        for tier in tiers:
            found = sorted(tier & index.entities.keys())
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                names = "; ".join(index.entities[i].display for i in found)
                raise InputError(
                    f"parameter {param}: {value!r} names {len(found)} {_plural(what)}: {names}",
                    hint="give the IRI, a prefixed name or a longer path to pick one")
        raise InputError(f"parameter {param}: no {what} is called {value!r}",
                         hint=_choices(index, text, what))


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _choices(index: _Index, text: str, what: str) -> str:
    """All the valid names when they are few, else the closest ones and how to find more."""
    import difflib

    entities = index.entities
    if len(entities) <= _LIST_ALL:
        names = sorted(e.display for e in entities.values())
        return f"valid choices: {'; '.join(names)}"
    keys: dict[str, str] = {}
    for iri, entity in sorted(entities.items()):
        for name in [*entity.labels, iri.rsplit("/", 1)[-1]]:
            keys.setdefault(normalize(name), iri)
    close = difflib.get_close_matches(normalize(text), list(keys), n=8, cutoff=0.6)
    seen = list(dict.fromkeys(keys[k] for k in close))
    suggestion = ("did you mean: " + "; ".join(entities[i].display for i in seen)
                  + "? ") if seen else ""
    return (f"{suggestion}there are {len(entities)} {_plural(what)}; find one with "
            f"`zjkg query search --param text=WORD`")


def _as_iri(text: str) -> str | None:
    """The IRI ``text`` spells outright: ``<iri>``, ``http(s)://...`` or ``prefix:local``."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if re.match(r"^https?://", text):
        return text
    prefix, sep, local = text.partition(":")
    namespaces = {**PREFIXES, **REPORT_PREFIXES}
    if sep and prefix in namespaces and local and " " not in local:
        return namespaces[prefix] + local
    return None


def _paths(iri: str) -> list[str]:
    """Every trailing run of path segments of ``iri`` under the base: slug, ``a/slug``..."""
    for root in (REPORT_ROOT, BASE):
        if iri.startswith(root):
            parts = re.split(r"[/#]", iri[len(root):])
            return ["/".join(parts[i:]) for i in range(len(parts)) if parts[i]]
    return [re.split(r"[/#]", iri)[-1]]


def _section_forms(label: str) -> set[str]:
    """Short names of a section from its label: ``Part I``, ``I``, ``I.5``, ``paragraph 10``."""
    forms = set()
    if ": " in label:
        forms.add(label.split(": ", 1)[0])
    for token in label.split()[:2]:
        token = token.rstrip(":")
        if _ROMAN.match(token):
            forms.add(token)
    return forms


def _describe(classes: tuple[str, ...]) -> str:
    """What to call an entity of ``classes`` in a message: ``place``, ``theme``..."""
    if len(classes) == 1:
        if classes[0].startswith(PREFIXES["code"]):  # a code list: theme, kind ...
            return classes[0].rstrip("/").rsplit("/", 1)[-1]
        return ENTITY_CLASSES.get(classes[0], "entity")
    if classes and set(classes) <= _SECTIONS | {PREFIXES["schema"] + "Report"}:
        return "section"
    return "entity"


_RESOLVERS: dict[int, Resolver] = {}


def resolver_for(engine: Engine) -> Resolver:
    """The resolver of ``engine``'s graph, built once per engine."""
    key = id(engine)
    if key not in _RESOLVERS:
        _RESOLVERS[key] = Resolver(engine)
    return _RESOLVERS[key]
