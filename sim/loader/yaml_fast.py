"""The quick way through a clean file: libyaml's events, built straight into data and places.

PyYAML's pure reader spends most of its time scanning; libyaml does that part in C. Its
composer is not used: it returns an alias as the very same node (so aliases would have to be
found afterwards), and it recurses in C, so a deeply nested file can crash the process.
The events are walked here instead, with an explicit stack, and the data and places are built
exactly as the pure reader builds them (same resolvers, same constructors, same order).

Only the plain, valid case is handled. Anything this reader is not sure of -- an alias, an
explicit tag, a duplicate key, deep nesting, characters where libyaml and the pure reader
count or accept differently, any syntax error -- makes it give up and return None, and the
caller reads the file with the pure reader, whose messages and positions are the contract.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from sim.loader.yaml_nodes import (
    MAX_DEPTH,
    SURROGATE,
    DataPath,
    Mark,
    NotedPlaces,
    PlaceEntry,
    Places,
    Resolvers,
    construct_scalar,
    resolver_table,
)

_STR = "tag:yaml.org,2002:str"
_BUILT = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}

# What the quick reader is not sure of. Searched for one kind at a time: a C substring search
# for each single character and a regex of one character class is some ten times quicker over
# a 400 KB file than one regex of alternatives tried at every position (~10 ms a file).
_UNSURE_CHARACTERS = ("\t", "\x85", "\u2028", "\u2029", "\ufeff")
"""Tabs: libyaml accepts them as separators in places where the pure reader refuses them.
Unicode line breaks (NEL, LS, PS) and a stray BOM: the two count lines differently."""
_REFUSED = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters the pure reader refuses: those outside its printable set (`\\n \\r -~
\\xa0-\\ud7ff \\ue000-\\ufffd \\U00010000-\\U0010ffff`), listed as the few ranges they
are: that set written negated takes ~6 ms to compile, each time sim starts."""
_GLUED_COMMENT = re.compile("[|>][-+0-9]*#")
"""A comment glued to a block scalar's header (`|-#`): libyaml takes it, the pure reader not."""


def _unsure(text: str) -> bool:
    """Whether the text holds anything libyaml and the pure reader treat differently, or a
    directive (`%YAML`, `%TAG` at a line's start: rare, and the two check versions
    differently)."""
    return (
        any(character in text for character in _UNSURE_CHARACTERS)
        or _REFUSED.search(text) is not None
        or text.startswith("%")
        or "\n%" in text
        or _GLUED_COMMENT.search(text) is not None
    )


class _GiveUp(Exception):
    """This file is not one the quick reader is sure of; read it with the pure reader."""


def libyaml_parser() -> type[Any] | None:
    """PyYAML's libyaml-backed loader class, or None when PyYAML was built without libyaml."""
    if not getattr(yaml, "__with_libyaml__", False):
        return None
    parser: type[Any] | None = getattr(yaml, "CSafeLoader", None)
    return parser


def read_clean_with_libyaml(text: str) -> tuple[Any, Places] | None:
    """Data and places of a clean one-document file, or None when the pure reader must read it."""
    parser_class = libyaml_parser()
    if parser_class is None or _unsure(text):
        return None
    parser = parser_class(text)
    try:
        return _walk(parser)
    except (_GiveUp, yaml.YAMLError):
        return None
    finally:
        parser.dispose()


def _resolved(value: str, resolvers: dict[str, Resolvers], wildcard: Resolvers) -> Any:
    """A plain scalar as the pure reader resolves and builds it (never an empty one)."""
    for tag, pattern in resolvers.get(value[0], wildcard):
        if pattern.match(value):
            if tag not in _BUILT:
                raise _GiveUp
            try:
                return construct_scalar(tag, value)
            except ValueError:
                raise _GiveUp from None  # a number too long to convert: say so there
    return value


def _walk(parser: Any) -> tuple[Any, Places]:
    """Build data and places from the events, exactly as the pure composer and `_build` do."""
    get = parser.get_event
    if type(get()) is not StreamStartEvent or type(get()) is not DocumentStartEvent:
        raise _GiveUp
    resolvers, wildcard = resolver_table()
    # Each value's place as noted (its container's path, its key, their marks): made into
    # data paths only if something asks (NotedPlaces).
    noted: list[PlaceEntry] = []
    note = noted.append
    # Each plain scalar's text as resolved and built the first time: keys and values repeat
    # (`text`, `next`, `1`), and resolving is a regular expression or two, building a number
    # a chain of PyYAML calls.
    resolved: dict[str, Any] = {}
    # Marks made by tuple.__new__ straight away: the named tuple's own __new__ is a Python
    # call, and a 2,000-scene case makes some 70,000 of them.
    new = tuple.__new__

    # The innermost open collection: the container, its data path, the marks of its keys
    # (None for a sequence), and whether it is inside [ ] or { }; the enclosing ones wait on
    # `outer`. In a mapping, `key` is the key read and waiting for its value (`no_key` while
    # a key is due) and `key_mark` that key's mark: a key's value always comes next, so
    # neither needs keeping per collection.
    container: Any = None
    path: DataPath = ()
    firsts: dict[Any, Mark] | None = None
    flow = False
    outer: list[tuple[Any, DataPath, dict[Any, Mark] | None, bool]] = []
    no_key: Any = _GiveUp  # a sentinel that can never be a key
    key: Any = no_key
    key_mark: Mark | None = None
    root: Any = None
    root_mark: Mark | None = None

    while True:
        event = get()
        kind = type(event)
        if kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.tag is not None:
                raise _GiveUp  # any tag, even a bare `!`: libyaml and the pure reader differ
            mark = event.start_mark
            here = new(Mark, (mark.line + 1, mark.column + 1))
            if kind is ScalarEvent:
                value = event.value
                if event.implicit[0]:
                    if not value or (flow and "?" in value):
                        # An empty value: libyaml marks it at the next token, the pure
                        # reader at the colon. A `?` in plain text inside [ ] or { }:
                        # libyaml keeps it, the pure reader stops there with an error.
                        raise _GiveUp
                    built = resolved.get(value, _GiveUp)
                    if built is _GiveUp:
                        built = resolved[value] = _resolved(value, resolvers, wildcard)
                    value = built
                elif event.style == '"' and SURROGATE.search(value):
                    raise _GiveUp  # an escaped half of a UTF-16 pair: the pure reader names it
            else:
                value = {} if kind is MappingStartEvent else []

            if firsts is not None:
                if key is no_key:
                    if kind is not ScalarEvent or value in firsts:
                        raise _GiveUp  # a collection as a key, or a duplicate key
                    firsts[value] = key_mark = here
                    key = value
                    continue
                at = key
                note((path, key, key_mark, here))
                container[key] = value
                key = no_key
            elif container is not None:
                at = len(container)
                note((path, at, None, here))
                container.append(value)
            else:
                root, root_mark = value, here
                if kind is ScalarEvent:
                    break
            if kind is not ScalarEvent:
                outer.append((container, path, firsts, flow))
                if container is not None:
                    path = (*path, at)
                    if len(path) >= MAX_DEPTH:
                        raise _GiveUp  # its items would lie deeper than MAX_DEPTH
                container = value
                firsts = {} if kind is MappingStartEvent else None
                flow = flow or bool(event.flow_style)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            container, path, firsts, flow = outer.pop()
            if container is None:
                break
        else:
            raise _GiveUp  # an alias, or anything the composer would not expect here

    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise _GiveUp  # a second document: the pure reader words that error
    assert root_mark is not None  # the first event of a document is its root's
    return root, NotedPlaces(root_mark, noted)
