"""YAML files: composed by libyaml, values built here so that nothing slips through.

Building the values ourselves (instead of ``yaml.safe_load``) refuses duplicate keys, tags other
than YAML's plain types and alias bombs, each with its position, and keeps dates as the text
the user wrote: the schemas check them as ``YYYY-MM-DD`` strings.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from kb_lint.errors import InputError
from kb_lint.limits import MAX_DIGITS, YAML_BASE_BUDGET, YAML_EXPANSION, YAML_MAX_DEPTH
from kb_lint.load.document import TOO_LONG, Document, Pointer, Position

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TAG = "tag:yaml.org,2002:"
MERGE = TAG + "merge"

TRAPS = ("yes", "no", "on", "off", "y", "n")  # YAML 1.1 booleans: kb-lint takes true and false
Field = tuple[str, bool] | None  # the key a value is given under, and whether in a list of it
_constructor = SafeConstructor()
SCALARS = {
    TAG + "str": lambda node: node.value,
    TAG + "timestamp": lambda node: node.value,
    TAG + "null": lambda node: None,
    TAG + "bool": _constructor.construct_yaml_bool,
    TAG + "int": _constructor.construct_yaml_int,
    TAG + "float": _constructor.construct_yaml_float,
}


def load_yaml(path: str, text: str) -> Document:
    try:
        root = yaml.compose(text, Loader=Loader)
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(path, exc) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(path, text, exc) from None
    except yaml.YAMLError as exc:
        raise InputError(path, 1, 1, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(path, 1, 1, "invalid YAML: nested too deeply") from None
    data = Builder(path, root).build(root, 0) if root is not None else None
    return Document(path, text, data, YamlLocator(root))


def _syntax_error(path: str, exc: yaml.MarkedYAMLError) -> InputError:
    """At the problem; a quote the file never closes, at the quote (the end of the file, where
    libyaml notices, says nothing about where to look)."""
    problem = exc.problem or exc.context or "syntax error"
    mark = exc.problem_mark or exc.context_mark
    unclosed = (
        exc.context == "while scanning a quoted scalar"
        and exc.context_mark is not None
        and "end of stream" in (exc.problem or "")
    )
    if unclosed:
        mark = exc.context_mark
        problem = "a quoted value opened here is never closed"
    elif exc.context and exc.problem:
        problem = f"{problem} ({exc.context})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return InputError(path, line, column, f"invalid YAML: {problem}")


def _reader_error(path: str, text: str, exc: yaml.reader.ReaderError) -> InputError:
    """A character YAML does not allow, at its line and column."""
    offset = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    char = exc.character if isinstance(exc.character, int) else 0
    hint = " (is the file UTF-16 without a byte-order mark?)" if char == 0 else ""
    return InputError(
        path, line, column, f"invalid YAML: character U+{char:04X} is not allowed{hint}"
    )


def at(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


class Builder:
    """Builds plain values from composed nodes; aliases share the value built for their anchor."""

    def __init__(self, path: str, root: Node) -> None:
        self.path = path
        self.built: dict[int, tuple[Any, int]] = {}  # id(node) -> (value, values it expands to)
        self.expanded = 0
        self.budget = YAML_BASE_BUDGET + YAML_EXPANSION * _distinct_nodes(root)

    def fail(self, node: Node, message: str) -> InputError:
        line, column = at(node)
        return InputError(self.path, line, column, message)

    def build(self, node: Node, depth: int, parent: Node | None = None, field: Field = None) -> Any:
        """``node``'s value; ``field``: the key it is the value of (in a list: the list's),
        which a message about it names."""
        seen = self.built.get(id(node))
        if seen is not None:
            value, size = seen
            self.expanded += size
            if self.expanded > self.budget:
                line = node.start_mark.line + 1
                raise self.fail(
                    parent or node,
                    f"YAML aliases here expand the file past {self.budget:,} values (anchor on "
                    f"line {line}): refusing what looks like an alias bomb",
                )
            return value
        if depth > YAML_MAX_DEPTH:
            raise self.fail(node, f"values nested more than {YAML_MAX_DEPTH} levels deep")
        before = self.expanded
        self.expanded += 1
        if isinstance(node, ScalarNode):
            value = self.scalar(node, field)
        elif isinstance(node, SequenceNode):
            self.plain(node, "seq")
            listed = (field[0], True) if field is not None else None
            value = [self.build(child, depth + 1, node, listed) for child in node.value]
        else:
            self.plain(node, "map")
            value = self.mapping(node, depth)
        self.built[id(node)] = (value, self.expanded - before)
        return value

    def plain(self, node: Node, kind: str) -> None:
        if node.tag != TAG + kind:
            raise self.fail(node, f"unsupported YAML tag {node.tag}")

    def scalar(self, node: ScalarNode, field: Field = None) -> Any:
        """A plain value; a YAML 1.1 boolean word (``yes``, ``off``) is refused, naming the
        ``field`` it is the value of and the spelling kb-lint reads (``field`` None: a key)."""
        construct = SCALARS.get(node.tag)
        if construct is None:
            raise self.fail(node, f"unsupported YAML tag {node.tag}")
        if node.tag == TAG + "bool" and not node.style and node.value.lower() in TRAPS:
            reads = "true" if construct(node) else "false"
            word = node.value
            if field is None:
                message = f"the key '{word}' reads as {reads} (a YAML 1.1 boolean): quote it"
            else:
                name, listed = field
                given = f"an element of '{name}' is" if listed else f"'{name}' is given"
                spelled = reads if listed else f"{name}: {reads}"
                message = (
                    f"{given} {word}, which YAML 1.1 reads as {reads}: write {spelled} (a "
                    f'boolean is true or false), or "{word}" in quotes for the text'
                )
            raise self.fail(node, message)
        try:
            return construct(node)
        except (ValueError, KeyError, TypeError, OverflowError):
            if node.tag == TAG + "int" and len(node.value) > MAX_DIGITS:
                raise self.fail(node, TOO_LONG) from None
            kind = node.tag.removeprefix(TAG)
            raise self.fail(node, f"'{node.value}' is not a valid !!{kind}") from None

    def mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        value: dict[Any, Any] = {}
        merged: dict[Any, Any] = {}
        seen: dict[tuple[type, Any], Node] = {}
        merge_key: Node | None = None
        for key_node, value_node in node.value:
            if key_node.tag == MERGE:
                if merge_key is not None:  # YAML allows one: which would win is a guess
                    first = at(merge_key)[0]
                    message = (
                        f"duplicate merge key '<<' (first on line {first}); merge several "
                        "mappings with one: <<: [*a, *b]"
                    )
                    raise self.fail(key_node, message)
                merge_key = key_node
                for source in self.merge_sources(value_node, depth):
                    for key, item in source.items():
                        merged.setdefault(key, item)
                continue
            if not isinstance(key_node, ScalarNode):
                raise self.fail(key_node, "a mapping key must be a plain value, not a collection")
            key = self.scalar(key_node)
            if (type(key), key) in seen:
                first = at(seen[type(key), key])[0]
                message = f"duplicate key '{key_node.value}' (first on line {first})"
                raise self.fail(key_node, message)
            seen[type(key), key] = key_node
            value[key] = self.build(value_node, depth + 1, node, (str(key), False))
        for key, item in merged.items():
            value.setdefault(key, item)
        return value

    def merge_sources(self, node: Node, depth: int) -> list[dict[Any, Any]]:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        built = [self.build(source, depth + 1, node) for source in sources]
        if not all(isinstance(source, dict) for source in built):
            raise self.fail(node, "a merge key (<<) takes a mapping or a list of mappings")
        return built


def _distinct_nodes(root: Node) -> int:
    """How many values the file writes down: each node once, however often it is aliased."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
    return len(seen)


class YamlLocator:
    """Positions from the composed nodes, which keep where each value starts.

    A mapping's keys are indexed the first time a pointer goes through it, so that locating
    every key of a mapping of n keys costs O(n), not O(n²).
    """

    def __init__(self, root: Node | None) -> None:
        self.root = root
        self.keys: dict[int, tuple[dict[Any, tuple[Node, Node]], list[Node]]] = {}

    def values(self, pointers: set[Pointer]) -> dict[Pointer, Position]:
        return {pointer: self._find(pointer)[1] for pointer in pointers}

    def key(self, pointer: Pointer) -> Position:
        key, value = self._find(pointer)
        return key if key is not None else value

    def span(self, pointer: Pointer) -> tuple[int, int] | None:
        node = self.root
        for part in pointer:
            found = self._child(node, part) if node is not None else None
            if found is None:
                return None
            node = found[1]
        return (node.start_mark.index, node.end_mark.index) if node is not None else None

    def nodes(self, pointer: Pointer) -> tuple[Node | None, Node] | None:
        """The key node and the value node at ``pointer`` (None when it is not there): what
        ``rules check --fix`` edits."""
        found: tuple[Node | None, Node] | None = (None, self.root) if self.root else None
        for part in pointer:
            found = self._child(found[1], part) if found is not None else None
        return found

    def _find(self, pointer: Pointer) -> tuple[Position | None, Position]:
        """(key position, value position) of the pointer, or of its deepest existing parent."""
        node, key = self.root, None
        if node is None:
            return None, (1, 1)
        for part in pointer:
            found = self._child(node, part)
            if found is None:
                return None, at(node)
            key_node, node = found
            key = at(key_node) if key_node is not None else None
        return key, at(node)

    def _child(self, node: Node, part: str | int) -> tuple[Node | None, Node] | None:
        if isinstance(node, SequenceNode):
            if isinstance(part, int) and 0 <= part < len(node.value):
                return None, node.value[part]
            return None
        if not isinstance(node, MappingNode):
            return None
        own, merges = self._keys(node)
        found = own.get(part)
        if found is not None:
            return found
        for source in merges:
            merged = self._child(source, part)
            if merged is not None:
                return merged
        return None

    def _keys(self, node: MappingNode) -> tuple[dict[Any, tuple[Node, Node]], list[Node]]:
        """A mapping's own keys (as built: the first of equal keys) and its merged mappings."""
        if id(node) not in self.keys:
            own: dict[Any, tuple[Node, Node]] = {}
            merges: list[Node] = []
            for key_node, value_node in node.value:
                if key_node.tag == MERGE:
                    merged = value_node.value if isinstance(value_node, SequenceNode) else None
                    merges.extend(merged or [value_node])
                elif isinstance(key_node, ScalarNode) and key_node.tag in SCALARS:
                    own.setdefault(SCALARS[key_node.tag](key_node), (key_node, value_node))
            self.keys[id(node)] = (own, merges)
        return self.keys[id(node)]
