"""Safe YAML reading that keeps the line and column of every key and value.

PyYAML's defaults are wrong for hand-written cases (PRODUCT.md, known traps): aliases can
explode, duplicate keys silently keep the last value, YAML 1.1 reads `no` as false and
`12:30` as 750. This module composes the node tree itself and builds plain data from it with
those traps closed, recording where each piece came from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from typing import Any, NamedTuple

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 4 * 1024 * 1024
"""Larger files are refused before parsing: no real case is anywhere near this."""

MAX_DEPTH = 64
"""Deeper nesting is refused: conditions nest a few levels, never dozens."""

DataPath = tuple[str | int | float, ...]


class Mark(NamedTuple):
    """A 1-based position in the file."""

    line: int
    column: int


class Place(NamedTuple):
    """Where a value sits: its key (for mapping entries) and the value itself."""

    key: Mark | None
    value: Mark


Places = MutableMapping[DataPath, Place]
"""Where each key and value of a file sits, by data path (`()` is the whole document)."""

PlaceEntry = tuple[DataPath, Any, Mark | None, Mark]
"""A value's place as the quick reader notes it: the data path of its container, its key or
index there, the key's mark and the value's."""


class NotedPlaces(MutableMapping[DataPath, Place]):
    """The places of a file the quick reader read, kept as it noted them until first asked.

    A clean file's places are needed only to say where a finding is; for a file with none,
    making a data path and a dictionary entry for each of its values (some 35,000 in a
    2,000-scene case) was a tenth of reading it. Made into a dictionary, in the order read,
    the first time anything looks.
    """

    __slots__ = ("_entries", "_places", "_root")

    def __init__(self, root: Mark, entries: list[PlaceEntry]) -> None:
        self._root = root
        self._entries: list[PlaceEntry] | None = entries
        self._places: dict[DataPath, Place] | None = None

    def _made(self) -> dict[DataPath, Place]:
        places = self._places
        if places is None:
            new = tuple.__new__  # see sim.loader.yaml_fast
            places = {(): new(Place, (None, self._root))}
            for container, key, key_mark, mark in self._entries or ():
                places[(*container, key)] = new(Place, (key_mark, mark))
            self._places, self._entries = places, None
        return places

    def __getitem__(self, path: DataPath) -> Place:
        return self._made()[path]

    def get(self, path: DataPath, default: Any = None) -> Any:
        return self._made().get(path, default)

    def __contains__(self, path: object) -> bool:
        return path in self._made()

    def __setitem__(self, path: DataPath, place: Place) -> None:
        self._made()[path] = place

    def __delitem__(self, path: DataPath) -> None:
        del self._made()[path]

    def __iter__(self) -> Iterator[DataPath]:
        return iter(self._made())

    def __len__(self) -> int:
        return len(self._made())

    def __repr__(self) -> str:
        return f"NotedPlaces({self._made()!r})"


class YamlProblem(Exception):
    """A problem found while reading: the file is not usable data at all."""

    def __init__(self, message: str, mark: Mark) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars and aliases refused."""

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlProblem(
                "YAML aliases (*name) are not supported; write the value out in full",
                _mark(event.start_mark),
            )
        return super().compose_node(parent, index)


def _strip_resolvers(tags: set[str]) -> None:
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag not in tags]
        for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _Loader.yaml_implicit_resolvers = resolvers


_strip_resolvers(
    {
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:merge",
    }
)
# Only true/false are booleans; `no`, `on`, `off`, `yes` stay text.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
# Decimal integers (with an optional sign, and _ separators); not sexagesimal `12:30`.
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*))$"),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
        r"|\.[0-9_]+(?:[eE][-+]?[0-9]+)?)$"
    ),
    list("-+0123456789."),
)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


_COLLECTION_TAGS = {"tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}

Resolvers = list[tuple[str, re.Pattern[str]]]


def resolver_table() -> tuple[dict[str, Resolvers], Resolvers]:
    """The pure reader's implicit resolvers by first character, and those for any other start.

    The quick reader resolves plain scalars with exactly these, in this order, so both readers
    agree that `no` is text and `12:30` is not a number.
    """
    table = _Loader.yaml_implicit_resolvers
    wildcard: Resolvers = list(table.get(None, []))
    by_first = {first: [*entries, *wildcard] for first, entries in table.items() if first}
    by_first[""] = [*table.get("", []), *wildcard]
    return by_first, wildcard


_SCALARS = _Loader("")


def construct_scalar(tag: str, value: str) -> Any:
    """A resolved plain scalar as the pure reader builds it (same constructor, same rules)."""
    return _SCALARS.yaml_constructors[tag](_SCALARS, ScalarNode(tag, value))


def _mark(mark: Any) -> Mark:
    return Mark(mark.line + 1, mark.column + 1)


def decode(raw: bytes) -> str:
    """UTF-8 text of a file (a BOM is allowed), or a YamlProblem at the first bad byte."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
            Mark(line, column),
        ) from None
    return text


def read_yaml(raw: bytes, *, fast: bool = True) -> tuple[Any, Places]:
    """Parse one YAML document into plain data and the place of every key and value.

    With `fast` (the default) a clean file is read through libyaml when PyYAML has it,
    about nine times quicker; anything unusual, and every problem, goes through the pure
    reader so that messages and positions are always the pure reader's own.
    """
    if len(raw) > MAX_BYTES:
        raise YamlProblem(
            f"the file is {len(raw) / 1e6:.1f} MB; case files are limited to "
            f"{MAX_BYTES // (1024 * 1024)} MB",
            Mark(1, 1),
        )
    text = decode(raw)
    if not text.strip():
        raise YamlProblem("the file is empty; expected a mapping such as `format: 1`", Mark(1, 1))
    if fast:
        from sim.loader.yaml_fast import read_clean_with_libyaml  # it builds on this module

        read = read_clean_with_libyaml(text)
        if read is not None:
            return read
    return _read_pure(text)


def _control_problem(text: str, error: yaml.reader.ReaderError) -> YamlProblem:
    """A character YAML refuses (a control, U+FFFE...), named and placed in the file.

    PyYAML reports it as an offset into the text, outside its usual marks.
    """
    position = error.position if isinstance(error.position, int) else 0
    before = text[:position]
    line = before.count("\n") + 1
    column = position - (before.rfind("\n") + 1) + 1
    code = error.character if isinstance(error.character, int) else 0
    what = "a control character" if code < 0x20 or 0x7F <= code <= 0x9F else "a non-character"
    return YamlProblem(
        f"the file holds U+{code:04X} ({what}), which YAML does not allow; delete it (an "
        "editor's 'show invisibles' reveals it)",
        Mark(line, column),
    )


def _surrogate_problem(value: str, mark: Mark) -> YamlProblem:
    code = ord(next(ch for ch in value if "\ud800" <= ch <= "\udfff"))
    return YamlProblem(
        f"the text holds `\\u{code:04x}`, half of a UTF-16 pair and not a character; write the "
        "character itself (or both halves' `\\U0001xxxx` form)",
        mark,
    )


SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a UTF-16 pair: a double-quoted `"\\ud800"` makes one, and no output can encode it."""


def _read_pure(text: str) -> tuple[Any, Places]:
    try:
        # The reader checks every character when it is made, before any mark exists.
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise _control_problem(text, exc) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(
                "the file holds no data; expected a mapping such as `format: 1`", Mark(1, 1)
            )
        places: dict[DataPath, Place] = {(): Place(None, _mark(node.start_mark))}
        data = _build(loader, node, (), places)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = _mark(mark) if mark is not None else Mark(1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        if "expected a single document" in (exc.context or ""):
            problem = "only one YAML document per file; remove the `---` separator"
        elif exc.context and exc.context_mark is not None and exc.problem:
            opened = _mark(exc.context_mark)
            if opened != where:
                problem += f" ({exc.context} at line {opened.line}, column {opened.column})"
        if "mapping values are not allowed" in problem and not _colon_before(text, where):
            # The line's only colon is its own key's: the line is indented further than the
            # key above, whose text YAML therefore reads on into this line.
            problem += (
                "; this line is indented further than the key above it, so YAML reads it as "
                "more of that key's text: line its key up with the keys beside it (or, if it "
                'is text that contains `: `, put the text in quotes: "Offer: 500 yuan")'
            )
        elif "mapping values are not allowed" in problem or "but got ':'" in problem:
            # The commonest cause by far: text with ": " in it (`text: Offer: 500 yuan`).
            problem += (
                "; if this line is text that contains `: `, put the text in quotes "
                '(text: "Offer: 500 yuan") or use full-width ：'
            )
        raise YamlProblem(f"YAML syntax: {problem}", where) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(f"YAML syntax: {exc}", Mark(1, 1)) from None
    except RecursionError:
        raise YamlProblem("the file nests too deeply", Mark(1, 1)) from None
    finally:
        loader.dispose()
    return data, places


def _colon_before(text: str, where: Mark) -> bool:
    """Whether the line of `where` has a colon before it (`text: Offer: 500 yuan`)."""
    lines = text.splitlines()
    line = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
    return ":" in line[: where.column - 1]


def _build(loader: _Loader, node: Node, path: DataPath, places: dict[DataPath, Place]) -> Any:
    if len(path) > MAX_DEPTH:
        raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", _mark(node.start_mark))
    if isinstance(node, ScalarNode):
        if node.tag not in _SCALAR_TAGS:
            raise YamlProblem(f"YAML tag {node.tag} is not supported here", _mark(node.start_mark))
        try:
            value = loader.construct_object(node)
        except ValueError:
            # int() refuses more than 4,300 digits (Python's guard against slow conversion).
            raise YamlProblem(
                f"the number has {len(node.value):,} characters; no case needs such a number",
                _mark(node.start_mark),
            ) from None
        if isinstance(value, str) and SURROGATE.search(value):
            raise _surrogate_problem(value, _mark(node.start_mark))
        return value
    if node.tag not in _SCALAR_TAGS and node.tag not in _COLLECTION_TAGS:
        raise YamlProblem(
            f"YAML tag {node.tag} is not supported; write plain text, numbers, lists and mappings",
            _mark(node.start_mark),
        )
    if isinstance(node, SequenceNode):
        items = []
        for index, child in enumerate(node.value):
            places[(*path, index)] = Place(None, _mark(child.start_mark))
            items.append(_build(loader, child, (*path, index), places))
        return items
    if isinstance(node, MappingNode):
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Mark] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise YamlProblem("a mapping key must be plain text", _mark(key_node.start_mark))
            key = _build(loader, key_node, path, {})
            key_mark = _mark(key_node.start_mark)
            if key in first_seen:
                seen = first_seen[key]
                raise YamlProblem(
                    f"duplicate key `{key}` (first defined at line {seen.line}, column "
                    f"{seen.column}); each key may appear once in a mapping",
                    key_mark,
                )
            first_seen[key] = key_mark
            places[(*path, key)] = Place(key_mark, _mark(value_node.start_mark))
            result[key] = _build(loader, value_node, (*path, key), places)
        return result
    raise YamlProblem("unsupported YAML node", _mark(node.start_mark))
