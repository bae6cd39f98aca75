"""A precedence-climbing parser over an expression's tokens (``kb_lint.expr.tokens``) that
compiles each part to a closure, with the source position of every part for its errors, and
checks the names and keys it reads against their shapes when those are known."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

from kb_lint.errors import InputError, did_you_mean
from kb_lint.expr.closures import (
    all_true,
    any_true,
    binary,
    conditional,
    constant,
    function_call,
    key_lookup,
    name_lookup,
    unary,
)
from kb_lint.expr.filters import filtered, opens_filter
from kb_lint.expr.functions import FUNCTIONS
from kb_lint.expr.shapes import (
    ANY,
    BOOLEAN,
    NULL,
    NUMBER,
    STRING,
    ListOf,
    Shape,
    ShapeError,
    common,
    element_of,
    key_of,
    literal_error,
    result_of,
    sum_of,
)
from kb_lint.expr.shapes import index_of as index_shape
from kb_lint.expr.tokens import WORD_HINTS, Source, Token, tokenize
from kb_lint.expr.values import (
    BINARY,
    KEYWORDS,
    LEVELS,
    NEGATION_LEVEL,
    NOT_LEVEL,
    Run,
    index_of,
    negate,
)
from kb_lint.limits import EXPRESSION_DEPTH

MAX_DEPTH = EXPRESSION_DEPTH
# The operators whose string literals are checked against an enum field's values when the pack
# loads (``check_literals``): compared with it, or looked for in (or among) a list of them.
ENUM_EQUALITY = ("==", "!=")
ENUM_MEMBERSHIP = ("in", "not in")


def _operators(level: int) -> str:
    return " | ".join(
        f'"{op}"' if " " not in op else '"not" "in"' for op, n in LEVELS.items() if n == level
    )


# The grammar this parser follows (EBNF; keywords are lower case; spaces and newlines only
# separate tokens), its operators taken from the parser's own table of levels: the reference
# (``kb_lint.expr.reference``) prints it, and a test parses an expression for each rule.
GRAMMAR = f"""\
expression  = disjunction [ "if" disjunction "else" expression ] ;
disjunction = conjunction {{ "or" conjunction }} ;
conjunction = negation {{ "and" negation }} ;
negation    = "not" negation | comparison ;
comparison  = sum [ ( {_operators(LEVELS["=="])} ) sum ] ;
sum         = product {{ ( {_operators(LEVELS["+"])} ) product }} ;
product     = unary {{ ( {_operators(LEVELS["*"])} ) unary }} ;
unary       = "-" unary | postfix ;
postfix     = primary {{ "." NAME | "[" expression "]" }} ;
primary     = NUMBER | STRING | "true" | "false" | "null" | NAME
            | FUNCTION "(" [ expression {{ "," expression }} ] ")"
            | "[" [ expression {{ "," expression }} ] "]" | "(" expression ")"
            | "[" NAME "in" sum "if" disjunction "]" ;   (a filter: "if" outside brackets)
NAME        = letter {{ letter | digit | "_" }} ;   (ASCII; no leading "_")
FUNCTION    = {" | ".join(f'"{name}"' for name in FUNCTIONS)} ;
NUMBER      = digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ] ;
STRING      = "'" ... "'" | '"' ... '"' ;         (escapes: \\\\ \\' \\" \\n \\t)
"""


class Node(NamedTuple):
    run: Run
    depth: int
    start: int  # offset of the sub-expression's first character
    shape: Shape = ANY  # what it holds, when the parser knows the names' shapes
    # a string literal, or a list literal of them: each string with its offset
    strings: tuple[tuple[str, int], ...] = ()


_LITERALS = ("true", "false", "null")


class Parser:
    """Precedence climbing over the grammar above; each step returns a compiled closure."""

    def __init__(
        self,
        src: Source,
        allowed: frozenset[str] | None,
        shapes: Mapping[str, Shape] | None = None,
    ) -> None:
        self.src = src
        self.tokens = tokenize(src)
        self.at = 0
        self.allowed = frozenset(shapes) if shapes is not None else allowed
        self.shapes = shapes  # with shapes, every key read is checked against them
        self.names: set[str] = set()
        self.keys: set[str] | None = set()  # keys read with .key or ["key"]; None: any key
        # each name read with the literal keys after it, in the order written: ``before``,
        # ``riva_version`` for ``before.riva_version``
        self.paths: dict[tuple[str, ...], None] = {}
        self.counted = -1  # the token of the name in len(name): only its length is read
        # while a filter's condition is parsed: the name of its element, and its shape
        self.element: tuple[str, Shape] | None = None
        self.nesting = 0

    # token helpers

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def at_op(self, text: str) -> bool:
        return self.token.kind == "op" and self.token.text == text

    def at_word(self, text: str) -> bool:
        return self.token.kind == "name" and self.token.text == text

    def expect(self, text: str, wanted: str) -> Token:
        if not self.at_op(text):
            raise self.unexpected(wanted)
        return self.take()

    def unexpected(self, wanted: str) -> InputError:
        token = self.token
        found = "the end of the expression" if token.kind == "end" else f"'{token.text}'"
        hint = WORD_HINTS.get(token.text) if token.kind == "name" else None
        return self.src.error(
            token.start, f"{wanted}, found {found}" + (f"; {hint}" if hint else "")
        )

    def descend(self) -> None:
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise self.src.error(self.token.start, f"nested more than {MAX_DEPTH} levels deep")

    def node(self, run: Run, start: int, *children: Node, shape: Shape = ANY) -> Node:
        depth = 1 + max((child.depth for child in children), default=0)
        if depth > MAX_DEPTH:
            raise self.src.error(start, f"nested more than {MAX_DEPTH} levels deep")
        return Node(run, depth, start, shape)

    def shape(self, offset: int, find: Callable[[], Shape]) -> Shape:
        """``find()``'s shape when the names' shapes are known, its error at ``offset``."""
        if self.shapes is None:
            return ANY
        try:
            return find()
        except ShapeError as exc:
            raise self.src.error(offset, str(exc)) from None

    # grammar rules

    def parse(self) -> Node:
        if self.token.kind == "end":
            raise self.src.error(0, "empty expression")
        tree = self.expression()
        if self.token.kind != "end":
            raise self.unexpected("expected an operator or the end of the expression")
        return tree

    def expression(self) -> Node:
        self.descend()
        then = self.chain(LEVELS["or"])
        if self.at_word("if"):
            self.take()
            condition = self.chain(LEVELS["or"])
            if not self.at_word("else"):
                raise self.unexpected("expected 'else'")
            self.take()
            otherwise = self.expression()
            run = conditional(condition.run, then.run, otherwise.run)
            shape = common([then.shape, otherwise.shape])
            then = self.node(run, then.start, then, condition, otherwise, shape=shape)
        self.nesting -= 1
        return then

    def chain(self, least: int) -> Node:
        """Operands joined by binary operators of level ``least`` or higher."""
        left = self.prefix(least)
        compared = False
        while (symbol := self.binary_operator()) is not None and LEVELS[symbol] >= least:
            level = LEVELS[symbol]
            if symbol in ("and", "or"):
                parts = [left]
                while self.at_word(symbol):
                    self.take()
                    parts.append(self.chain(level + 1))
                build = all_true if symbol == "and" else any_true
                run = build(*(p.run for p in parts))
                left = self.node(run, left.start, *parts, shape=BOOLEAN)
                continue
            if level == LEVELS["=="] and compared:
                raise self.src.error(
                    self.token.start,
                    "comparisons do not chain; write 'a < b and b < c' instead of 'a < b < c'",
                )
            compared = level == LEVELS["=="]
            where = self.take().start
            if symbol == "not in":
                self.take()
            right = self.chain(level + 1)
            self.check_literals(symbol, left, right)
            run = binary(self.src, where, BINARY[symbol], left.run, right.run)
            shape = sum_of(symbol, left.shape, right.shape)
            left = self.node(run, left.start, left, right, shape=shape)
        return left

    def check_literals(self, symbol: str, left: Node, right: Node) -> None:
        """A string literal compared with an enum field (``==``, ``!=``), or looked for in a
        list of its values (``in``, ``not in``, either side a list), must be one of its
        values: else it can never match, an error at the literal."""
        if symbol in ENUM_EQUALITY:
            pairs = [(left.shape, right.strings), (right.shape, left.strings)]
        elif symbol in ENUM_MEMBERSHIP:
            if not isinstance(right.shape, ListOf):
                return  # a substring, or a key of a mapping
            pairs = [(left.shape, right.strings), (right.shape.item, left.strings)]
        else:
            return
        for shape, strings in pairs:
            for value, offset in strings if self.shapes is not None else ():
                if (message := literal_error(shape, value)) is not None:
                    raise self.src.error(offset, message)

    def binary_operator(self) -> str | None:
        token = self.token
        if token.kind == "op":
            return token.text if token.text in LEVELS else None
        if token.kind == "name" and token.text in ("and", "or", "in"):
            return token.text
        if self.at_word("not") and self.tokens[self.at + 1].text == "in":
            return "not in"
        return None

    def prefix(self, least: int) -> Node:
        """``not`` (only where the level allows it), ``-``, or a postfix expression."""
        if self.at_word("not") and least <= NOT_LEVEL:
            start = self.take().start
            self.descend()
            operand = self.chain(NOT_LEVEL)
            self.nesting -= 1
            run = operand.run
            return self.node(lambda env: not run(env), start, operand, shape=BOOLEAN)
        if self.at_op("-"):
            start = self.take().start
            self.descend()
            operand = self.prefix(NEGATION_LEVEL)
            self.nesting -= 1
            run = unary(self.src, start, negate, operand.run)
            return self.node(run, start, operand, shape=NUMBER)
        return self.postfix()

    def postfix(self) -> Node:
        first = self.at
        tree = self.primary()
        name = self.tokens[first]
        bare_name = self.at == first + 1 and name.kind == "name" and name.text not in _LITERALS
        keyed = False  # the chain reads a key of what the name holds
        path = [name.text] if bare_name else []  # until a key is computed
        growing = bare_name
        while True:
            if self.at_op("."):
                self.take()
                if self.token.kind != "name":
                    raise self.unexpected("expected a key after '.'")
                key_token = self.take()
                key = self.public(key_token)
                self.read(key)
                keyed = True
                path += [key] if growing else []
                shape = self.shape(key_token.start, lambda t=tree, k=key: key_of(t.shape, k))
                run = key_lookup(self.src, key_token.start, key, tree.run)
                tree = self.node(run, tree.start, tree, shape=shape)
            elif self.at_op("["):
                where = self.take().start
                start = self.at
                index = self.expression()
                written = [
                    t.kind if t.kind != "op" else t.text for t in self.tokens[start : self.at]
                ]
                if written == ["string"]:
                    key = self.tokens[start].value
                    self.read(key)
                    keyed = True
                    path += [key] if growing else []
                    shape = self.shape(index.start, lambda t=tree, k=key: key_of(t.shape, k))
                else:
                    growing = False
                    if written not in (["number"], ["-", "number"]):  # not a list index
                        self.read(None)
                    shape = self.shape(index.start, lambda t=tree: index_shape(t.shape))
                self.expect("]", "expected ']'")
                run = binary(self.src, where, index_of, tree.run, index.run)
                tree = self.node(run, tree.start, tree, index, shape=shape)
            elif self.at_op("("):
                raise self.src.error(
                    self.token.start, "only the functions of the language can be called, by name"
                )
            else:
                if bare_name and not keyed and first != self.counted:
                    self.read(None)  # a whole value (a record, a list of them) is used as is
                if path and (self.element is None or path[0] != self.element[0]):
                    self.paths[tuple(path)] = None
                return tree

    def primary(self) -> Node:
        token = self.token
        if token.kind in ("number", "string"):
            self.take()
            shape = NUMBER if token.kind == "number" else STRING
            node = self.node(constant(token.value), token.start, shape=shape)
            return node._replace(strings=((token.value, token.start),)) if shape == STRING else node
        if token.kind == "name":
            if token.text in _LITERALS:
                self.take()
                value = {"true": True, "false": False}.get(token.text)
                shape = NULL if value is None else BOOLEAN
                return self.node(constant(value), token.start, shape=shape)
            if token.text in KEYWORDS:
                raise self.unexpected("expected a value")
            if token.text in WORD_HINTS:
                raise self.src.error(token.start, f"'{token.text}': {WORD_HINTS[token.text]}")
            name = self.public(token)
            self.take()
            if self.at_op("("):
                return self.call(token)
            return self.name(name, token.start)
        if self.at_op("("):
            self.take()
            inner = self.expression()
            self.expect(")", "expected ')'")
            return inner
        if self.at_op("[") and opens_filter(self.tokens, self.at):
            return self.filter()
        if self.at_op("["):
            return self.list_literal()
        raise self.unexpected("expected a value")

    def list_literal(self) -> Node:
        """``[a, b, ...]``, its elements in order; a list of string literals keeps each string
        with its offset, for ``check_literals``."""
        start = self.take().start
        items = self.arguments("]")
        runs = tuple(item.run for item in items)
        shape = ListOf(common([item.shape for item in items]))
        node = self.node(lambda env: [run(env) for run in runs], start, *items, shape=shape)
        if items and all(item.shape == STRING and item.strings for item in items):
            node = node._replace(strings=tuple(item.strings[0] for item in items))
        return node

    def filter(self) -> Node:
        """``[e in items if condition]`` (``kb_lint.expr.filters``): the condition sees the
        element as ``e``, which must not hide a name in scope, and holds no other filter."""
        start = self.take().start
        self.descend()
        if self.element is not None:
            raise self.src.error(
                start,
                "a filter's condition cannot hold another filter (its cost would be the "
                "product of the lists' lengths); filter the lists one after the other",
            )
        token = self.take()
        name = self.public(token)
        if self.allowed is not None and name in self.allowed:
            raise self.src.error(
                token.start, f"'{name}' is a name in scope; call the filter's element otherwise"
            )
        self.take()  # in
        items = self.chain(LEVELS["+"])
        element = self.shape(items.start, lambda: element_of(items.shape))
        if not self.at_word("if"):
            raise self.unexpected("expected 'if' and the filter's condition")
        self.take()
        self.element = (name, element)
        condition = self.chain(LEVELS["or"])
        self.element = None
        if self.at_word("else"):
            raise self.src.error(
                self.token.start,
                "a filter has no 'else'; put a conditional list element in parentheses: "
                "[(a if c else b)]",
            )
        self.expect("]", "expected ']' after the filter's condition")
        self.nesting -= 1
        run = filtered(self.src, items.start, name, items.run, condition.run)
        return self.node(run, start, items, condition, shape=ListOf(element))

    def read(self, key: str | None) -> None:
        """Note a key the expression reads; ``None`` when it is computed, so could be any."""
        if key is None:
            self.keys = None
        elif self.keys is not None:
            self.keys.add(key)

    def public(self, token: Token) -> str:
        """The word of a name or key token; words starting with '_' are refused."""
        if token.text.startswith("_"):
            raise self.src.error(token.start, f"'{token.text}': names cannot start with '_'")
        return token.text

    def arguments(self, closing: str) -> list[Node]:
        items: list[Node] = []
        if not self.at_op(closing):
            items.append(self.expression())
            while self.at_op(","):
                self.take()
                items.append(self.expression())
        self.expect(closing, f"expected ',' or '{closing}'")
        return items

    def name(self, name: str, start: int) -> Node:
        if self.element is not None and name == self.element[0]:  # a filter's element
            return self.node(name_lookup(self.src, name, start), start, shape=self.element[1])
        if self.allowed is not None and name not in self.allowed:
            known = self.allowed | ({self.element[0]} if self.element is not None else set())
            raise self.src.error(start, f"unknown name '{name}'{_suggestion(name, known)}")
        self.names.add(name)
        shape = self.shapes[name] if self.shapes is not None else ANY
        return self.node(name_lookup(self.src, name, start), start, shape=shape)

    def call(self, token: Token) -> Node:
        function = FUNCTIONS.get(token.text)
        if function is None:
            if self.allowed is not None and token.text in self.allowed:
                message = f"'{token.text}' is a name, not a function"
            else:
                message = f"unknown function '{token.text}'{_suggestion(token.text, FUNCTIONS)}"
            raise self.src.error(token.start, message)
        self.take()
        argument, closing = self.tokens[self.at], self.tokens[self.at + 1]
        if token.text == "len" and argument.kind == "name" and closing.text == ")":
            self.counted = self.at
        args = self.arguments(")")
        if len(args) != len(function.params):
            wanted = len(function.params)
            raise self.src.error(
                token.start,
                f"{function.signature} takes {wanted} argument{'s' if wanted > 1 else ''}, "
                f"got {len(args)}",
            )
        run = function_call(self.src, token.start, function.run, args)
        shape = result_of(function.name, [arg.shape for arg in args])
        return self.node(run, token.start, *args, shape=shape)


def _suggestion(word: str, choices: Iterable[str]) -> str:
    known = sorted(choices)
    return did_you_mean(word, known) or f" (known: {', '.join(known)})"
