"""Which focus nodes to validate: a :class:`FocusFilter` restricts the target nodes of every shape (and so the value
nodes of the nested shapes reached from them) inside the queries, so that the nodes it leaves out cost no more than
finding the shape's targets.

The build uses it to validate report graphs independently (:func:`report_focus` in a worker that holds one report,
:func:`shared_focus` in the parent that holds everything); the two partition the focus nodes of a build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox


def _literal(s: str) -> str:
    return str(ox.Literal(s))


@dataclass(frozen=True)
class FocusFilter:
    """Which focus nodes to validate (the default keeps every one).

    An IRI ``x`` is kept when it is not in ``exclude_iris``, and it is in ``include_iris`` or it both
      * starts with one of ``include_prefixes`` (or ``include_prefixes`` is empty), and
      * starts with none of ``exclude_prefixes``;
    that is, the exact IRIs override the prefixes (``exclude_iris`` first). A blank node has no IRI: it is kept
    exactly when ``blank_nodes`` is true. (A literal, which no target of ours yields, is tested as an IRI would be
    on its lexical form.) The filter applies to the targets of the shapes; the results found from a kept target
    (also the sh:node details about its value nodes) are all kept.
    """
    include_prefixes: tuple[str, ...] = ()
    exclude_prefixes: tuple[str, ...] = ()
    include_iris: frozenset[str] = frozenset()
    exclude_iris: frozenset[str] = frozenset()
    blank_nodes: bool = True

    def keeps(self, node) -> bool:
        """Whether the focus node ``node`` (a pyoxigraph or rdflib term, or an IRI as a string) is kept."""
        if isinstance(node, ox.BlankNode) or type(node).__name__ == "BNode":
            return self.blank_nodes
        iri = node.value if isinstance(node, (ox.NamedNode, ox.Literal)) else str(node)
        if iri in self.exclude_iris:
            return False
        if iri in self.include_iris:
            return True
        if self.include_prefixes and not iri.startswith(self.include_prefixes):
            return False
        return not iri.startswith(self.exclude_prefixes) if self.exclude_prefixes else True

    @property
    def everything(self) -> bool:
        return not (self.include_prefixes or self.exclude_prefixes or self.exclude_iris) and self.blank_nodes

    def condition(self, var: str) -> str:
        """A SPARQL expression true exactly for the values of ``?var`` that :meth:`keeps` keeps. Many prefixes (or
        IRIs) are tested with one regular expression each, so the cost per node does not grow with their number."""
        v = f"?{var}"

        def starts(prefixes) -> str:
            if len(prefixes) > 2:
                return f"REGEX(STR({v}), {_literal('^(?:' + '|'.join(_escape(p) for p in prefixes) + ')')})"
            return " || ".join(f"STRSTARTS(STR({v}), {_literal(p)})" for p in prefixes)

        def among(iris) -> str:
            if len(iris) > 4:
                return f"REGEX(STR({v}), {_literal('^(?:' + '|'.join(_escape(i) for i in sorted(iris)) + ')$')})"
            return f"{v} IN ({', '.join(f'<{i}>' for i in sorted(iris))})"

        test = "true"
        if self.include_prefixes:
            test = f"({starts(self.include_prefixes)})"
        if self.exclude_prefixes:
            test = f"{test} && !({starts(self.exclude_prefixes)})"
        if self.include_iris:
            test = f"{among(self.include_iris)} || ({test})"
        if self.exclude_iris:
            test = f"!({among(self.exclude_iris)}) && ({test})"
        if self.blank_nodes:
            return f"(isBlank({v}) || ({test}))"
        return f"(!isBlank({v}) && ({test}))"


_META = set("\\.+*?()|[]{}^$#&-~")


def _escape(text: str) -> str:
    """``text`` as a regular expression matching it literally (oxigraph's Rust regex syntax and Python's alike)."""
    return "".join("\\" + ch if ch in _META else ch for ch in text)


def _check_slug(slug: str) -> str:
    if not slug or "/" in slug or any(ch in slug for ch in '<>"{}|^`\\ '):
        raise ValueError(f"not a report slug: {slug!r}")
    return slug


def report_prefixes(base: str, slug: str) -> tuple[str, str]:
    """The IRI prefixes of the nodes a report's graph is about (its sections, footnotes, entries and their parts)."""
    slug = _check_slug(slug)
    return f"{base}id/report/{slug}/", f"{base}id/programme/{slug}/"


def report_nodes(base: str, slug: str) -> frozenset[str]:
    """The report node and its reporting period: the dataset description (built after the reports) says things
    about them too, so the parent validates them."""
    slug = _check_slug(slug)
    return frozenset({f"{base}id/report/{slug}", f"{base}id/report/{slug}/period"})


def report_focus(base: str, slug: str) -> FocusFilter:
    """The focus nodes a worker validates in a store holding one report: every IRI under ``<base>id/report/<slug>/``
    or ``<base>id/programme/<slug>/`` except the reporting period ``<base>id/report/<slug>/period`` (the report node
    ``<base>id/report/<slug>`` is not under the prefix); no blank node."""
    return FocusFilter(include_prefixes=report_prefixes(base, slug),
                       exclude_iris=frozenset({f"{base}id/report/{slug}/period"}), blank_nodes=False)


def shared_focus(base: str, slugs: Iterable[str]) -> FocusFilter:
    """The focus nodes the parent validates (in the store of the whole build): every node no :func:`report_focus`
    of ``slugs`` keeps — the shared ones (agencies, organisations, objectives, concepts, the dataset description,
    blank nodes, IRIs of reports not in ``slugs``) and the report and period nodes of every slug."""
    slugs = sorted(set(slugs))
    prefixes = tuple(p for s in slugs for p in report_prefixes(base, s))
    iris = frozenset(i for s in slugs for i in report_nodes(base, s))
    return FocusFilter(exclude_prefixes=prefixes, include_iris=iris, blank_nodes=True)
