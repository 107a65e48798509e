"""What the server knows about one IRI: its statements, labels, and the facts about it.

These lookups read the main process's own store with triple patterns, not SPARQL text, so
no request parameter is ever spliced into a query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from zjkg.ns import BASE, NIF, PREFIXES, QB, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, ZJKG

if TYPE_CHECKING:
    import pyoxigraph

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
#: Predicates whose value names a resource, best first.
LABELS = [
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
]


def prefixed(iri: str) -> str:
    """``iri`` as prefix:local where a package prefix fits, else whole."""
    best = ""
    for name, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            local = iri[len(namespace):]
            if local and all(c.isalnum() or c in "-_." for c in local):
                best = name
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


@dataclass
class Fact:
    """One observation about an entity, with its quote, ready to show."""

    observation: str
    label: str
    value: str
    unit: str | None
    period: str | None
    quote: str | None
    quote_text: str | None
    paragraph: str | None


@dataclass
class Entity:
    """Everything an entity page shows."""

    iri: str
    label: str
    other_labels: list[tuple[str, str]]
    types: list[str]
    outgoing: list[tuple[str, Any]]
    incoming: list[tuple[str, str]]
    facts: list[Fact] = field(default_factory=list)
    members: list[tuple[str, list[tuple[str, Any]]]] = field(default_factory=list)


class Lookup:
    """Label and statement lookups over a pyoxigraph store (all graphs together)."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        import pyoxigraph

        self._pyoxigraph = pyoxigraph
        self.store = store
        self.labels: dict[str, str] = {}
        self.all_labels: dict[str, list[tuple[str, str]]] = {}
        ranked: dict[str, tuple[int, int, str]] = {}
        for rank, predicate in enumerate(LABELS):
            for quad in store.quads_for_pattern(None, pyoxigraph.NamedNode(predicate), None):
                if not isinstance(quad.subject, pyoxigraph.NamedNode):
                    continue
                subject = quad.subject.value
                language = quad.object.language or ""
                key = (0 if language == "en" else 1 if not language else 2, rank,
                       quad.object.value)
                if subject not in ranked or key < ranked[subject]:
                    ranked[subject] = key
                pair = (quad.object.value, language)
                if pair not in self.all_labels.setdefault(subject, []):
                    self.all_labels[subject].append(pair)
        self.labels = {iri: key[2] for iri, key in ranked.items()}
        self._members: dict[str, set[str]] = {}
        for quad in store.quads_for_pattern(None, None, None):
            subject = quad.subject
            if isinstance(subject, pyoxigraph.NamedNode) and "#" in subject.value:
                document = subject.value.split("#", 1)[0]
                self._members.setdefault(document, set()).add(subject.value)

    def label(self, iri: str) -> str:
        """The best label of ``iri``: English first, then untagged, else its prefixed name."""
        return self.labels.get(iri) or prefixed(iri)

    def node(self, iri: str) -> pyoxigraph.NamedNode:
        return self._pyoxigraph.NamedNode(iri)

    def exists(self, iri: str) -> bool:
        """Whether the store says anything about ``iri`` or of a ``iri#...`` resource."""
        node = self.node(iri)
        for _ in self.store.quads_for_pattern(node, None, None):
            return True
        for _ in self.store.quads_for_pattern(None, None, node):
            return True
        return bool(self.hash_members(iri))

    def hash_members(self, iri: str) -> list[str]:
        """Subjects whose IRI is ``iri#fragment``: described by the same document."""
        if "#" in iri:
            return []
        return sorted(self._members.get(iri, ()), key=_offset_key)

    def values(self, iri: str, predicate: str) -> list[Any]:
        return [q.object for q in self.store.quads_for_pattern(
            self.node(iri), self.node(predicate), None)]

    def value(self, iri: str, predicate: str) -> Any | None:
        found = self.values(iri, predicate)
        return found[0] if found else None

    def outgoing(self, iri: str) -> list[tuple[str, Any]]:
        seen = set()
        out = []
        for quad in self.store.quads_for_pattern(self.node(iri), None, None):
            key = (quad.predicate.value, str(quad.object))
            if key not in seen:
                seen.add(key)
                out.append((quad.predicate.value, quad.object))
        return sorted(out, key=lambda pair: (pair[0] != RDF_TYPE, pair[0], str(pair[1])))

    def incoming(self, iri: str) -> list[tuple[str, str]]:
        out = set()
        for quad in self.store.quads_for_pattern(None, None, self.node(iri)):
            if isinstance(quad.subject, self._pyoxigraph.NamedNode):
                out.add((quad.predicate.value, quad.subject.value))
        return sorted(out)

    def is_a(self, iri: str, cls: str) -> bool:
        return any(True for _ in self.store.quads_for_pattern(
            self.node(iri), self.node(RDF_TYPE), self.node(cls)))

    # -- what a page shows -------------------------------------------------------------

    def entity(self, iri: str) -> Entity:
        """The page's content for ``iri`` (call :meth:`exists` first)."""
        outgoing = self.outgoing(iri)
        types = [str(o.value) for p, o in outgoing if p == RDF_TYPE]
        entity = Entity(
            iri=iri, label=self.label(iri),
            other_labels=[pair for pair in self.all_labels.get(iri, [])
                          if pair[0] != self.label(iri)],
            types=types, outgoing=[(p, o) for p, o in outgoing if p != RDF_TYPE],
            incoming=self.incoming(iri))
        entity.facts = [self.fact(obs) for obs in self.observations_about(iri)]
        entity.members = [(m, self.outgoing(m)) for m in self.hash_members(iri)]
        return entity

    def observations_about(self, iri: str) -> list[str]:
        """Observations that name ``iri``, draw on it, or quote from it (a paragraph)."""
        observation = str(QB.Observation)
        if self.is_a(iri, observation):
            return [iri]
        found = {s for _, s in self.incoming(iri) if self.is_a(s, observation)}
        quotes = [s for p, s in self.incoming(iri) if p == str(NIF.superString)]
        for quote in quotes:
            found.update(s for p, s in self.incoming(quote) if p == PROV_DERIVED)
        return sorted(found, key=self._fact_order)

    def _fact_order(self, observation: str) -> tuple[int, str]:
        quote = self.value(observation, PROV_DERIVED)
        begin = self.value(quote.value, str(NIF.beginIndex)) if quote is not None else None
        return (int(begin.value) if begin is not None else 1 << 30, observation)

    def fact(self, observation: str) -> Fact:
        value = self.value(observation, str(SDMX_MEASURE.obsValue))
        unit = self.value(observation, str(SDMX_ATTRIBUTE.unitMeasure))
        period = self.value(observation, str(SDMX_DIMENSION.refPeriod))
        quote = self.value(observation, PROV_DERIVED)
        quote_text = paragraph = None
        if quote is not None:
            anchor = self.value(quote.value, str(NIF.anchorOf))
            quote_text = anchor.value if anchor is not None else None
            container = self.value(quote.value, str(NIF.superString))
            paragraph = container.value if container is not None else None
        return Fact(
            observation=observation, label=self.label(observation),
            value=value.value if value is not None else "",
            unit=unit.value if unit is not None else None,
            period=period.value if period is not None else None,
            quote=quote.value if quote is not None else None,
            quote_text=quote_text, paragraph=paragraph)

    # -- what a machine gets -----------------------------------------------------------

    def describe(self, iri: str) -> list[pyoxigraph.Triple]:
        """The triples a machine gets for ``iri``: about it, about its ``#`` members and its
        observations' quotes, and the links into it."""
        pyoxigraph = self._pyoxigraph
        subjects = [iri, *self.hash_members(iri)]
        if self.is_a(iri, str(QB.Observation)):
            subjects += [q.value for q in self.values(iri, PROV_DERIVED)]
        triples: dict[str, pyoxigraph.Triple] = {}
        for subject in subjects:
            for quad in self.store.quads_for_pattern(self.node(subject), None, None):
                triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
                triples.setdefault(str(triple), triple)
        for quad in self.store.quads_for_pattern(None, None, self.node(iri)):
            triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
            triples.setdefault(str(triple), triple)
        return [triples[key] for key in sorted(triples)]


def _offset_key(iri: str) -> tuple[int, int, str]:
    """Orders ``...#char=B,E`` members by offset, others by IRI."""
    fragment = iri.rsplit("#", 1)[-1]
    if fragment.startswith("char="):
        try:
            begin, end = (int(n) for n in fragment[5:].split(","))
            return (begin, end, iri)
        except ValueError:
            pass
    return (1 << 30, 0, iri)


def is_local(iri: str) -> bool:
    """Whether ``iri`` is in the graph's own URI space (and so served here)."""
    return iri.startswith(BASE)


def zjkg_term(iri: str) -> bool:
    return iri.startswith(str(ZJKG))
