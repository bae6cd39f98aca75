"""The expression language's reference, generated from the code that runs it.

The grammar is the parser's (``parser.GRAMMAR``, its operators from the parser's table of
levels), the operators are listed from the loosest to the tightest by that table, the
functions are the function table (``FUNCTIONS``) with their signatures and summaries, the limits
are the parser's; the names each kind of rule sees come from ``kb_lint.pack.scopes`` through
``names``. ``MEANINGS`` says what each operator does: a test fails when the parser gains an
operator without one. ``render`` gives Markdown, for the site and ``kb-lint explain
expressions``.
"""

from __future__ import annotations

from collections.abc import Iterable

from kb_lint.expr import MAX_LENGTH
from kb_lint.expr.functions import FUNCTIONS
from kb_lint.expr.parser import ENUM_EQUALITY, ENUM_MEMBERSHIP, GRAMMAR, MAX_DEPTH
from kb_lint.expr.shapes import ListOf, Scalar, Shape, enum, literal_error
from kb_lint.expr.values import LEVELS, NEGATION_LEVEL, NOT_LEVEL

VALUES = (
    "Values are null, booleans, numbers, strings, lists and mappings (records). A name is looked "
    "up among the names in scope (below); a name or key that is not in scope is an error at its "
    "character when the pack loads, not a null at run time.",
    '`not`, `and`, `or` and `x if c else y` treat null, false, 0, "" and empty lists and '
    "mappings as false and everything else as true; `not`, `and` and `or` give true or false.",
    'Versions compare part by part, as numbers (`version("2.10") > version("2.9")`); a field '
    "of type `version` holds one, and an unknown version is null.",
    'Anything else (`"a" < 1`, `lower(null)`, `1 / 0`) stops the check with the position of the '
    "part that went wrong and the types involved.",
)
FILTER = "[e in xs if c]"
FILTER_EXAMPLE = (
    '[e in removed.earlier if e.action == "reinitialize-user" and e.reinit_type == "clear" '
    "and e.email == removed.email]"
)
# What each operator does; a test checks that every operator of the parser has its line.
MEANINGS = {
    "if else": "`x if c else y`: `x` when `c` is true, else `y`.",
    "or": "true when either side is true; the right side is read only when needed.",
    "and": "true when both sides are true; the right side is read only when needed.",
    "not": "true when the operand is false.",
    "==": "equal by value; a boolean never equals a number.",
    "!=": "not equal by value.",
    "<": "less than: two numbers, two strings or two versions.",
    "<=": "less than or equal: two numbers, two strings or two versions.",
    ">": "greater than: two numbers, two strings or two versions.",
    ">=": "greater than or equal: two numbers, two strings or two versions.",
    "in": "`x in y`: `x` is an element of the list `y`, a substring of the string `y`, or a key "
    "of the mapping `y`.",
    "not in": "the opposite of `in`.",
    "+": "adds numbers; joins two strings or two lists.",
    "-": "subtracts numbers; before an operand, negates a number.",
    "*": "multiplies numbers.",
    "/": "divides numbers (always a fraction: `ceil`, `floor` or `round` make it whole).",
    ".": "`a.b`: the key `b` of the mapping `a` (null when missing); on a list, the list of every "
    "element's `b` (`bindings.category`); on null, null.",
    "[]": "`a[i]`: the element `i` of a list (negative counts from the end; out of range is "
    "null), or the key `i` (a string) of a mapping.",
    FILTER: "a filter: the elements of the list `xs` for which `c` is true, in order, `e` naming "
    "each in `c` (no name already in scope) and every other name as outside; "
    f"`{FILTER_EXAMPLE}` are the earlier Clears of the removed user's mailbox, for `len`, "
    "`count`, `any`, `distinct` or `.key`. It costs one test of `c` per element (no index "
    "answers it), and `c` holds no other filter.",
}


def enum_check() -> str:
    """What the parser checks of a string literal beside an enum field, with the error it
    gives (made by the check itself)."""
    equality = " and ".join(f"`{op}`" for op in ENUM_EQUALITY)
    membership = " and ".join(f"`{op}`" for op in ENUM_MEMBERSHIP)
    error = literal_error(enum("plan", ("trial", "paid")), "trail")
    return (
        f"A string compared with an enum field ({equality}), or looked for in a list of its "
        f"values ({membership}, either side a list), must be one of the field's values (the "
        "names below list them): else it could never match, and the pack is refused at the "
        f'string, as `plan == "trail"` is: `{error}`. An event\'s `action` is such a field: '
        "its values are the built-in actions and those the loaded packs declare."
    )


def described(shape: Shape) -> str:
    """A shape in words, an enum's values listed: ``a string: one of trial, paid``."""
    item = shape.item if isinstance(shape, ListOf) else shape
    if not isinstance(item, Scalar) or not item.values:
        return str(shape)
    values = ", ".join(map(str, item.values))
    return (
        f"{shape}, each one of {values}"
        if isinstance(shape, ListOf)
        else f"{shape}: one of {values}"
    )


def operators() -> list[tuple[str, str]]:
    """Every operator with its meaning, from the loosest binding to the tightest."""
    levels = {**LEVELS, "not": NOT_LEVEL, "if else": 0, ".": 9, "[]": 9, FILTER: 10}
    ordered = sorted(levels, key=lambda op: (levels[op], op != "-"))
    rows = [(op, MEANINGS[op]) for op in ordered]
    rows.insert(ordered.index("/") + 1, ("- (prefix)", "negates a number."))
    assert max(LEVELS.values()) < NEGATION_LEVEL  # the prefix minus binds tighter than '*'
    return rows


def render(scopes: Iterable[tuple[str, dict[str, str]]] = ()) -> str:
    """The reference as Markdown; ``scopes`` gives, for each place an expression is written,
    the names it sees and what each holds."""
    parts = [
        "# The expression language",
        "Rule packs write conditions, messages and outcomes as small expressions: "
        '`plan == "trial" and history_days > 15`. This page is generated from the parser and '
        "the function table kb-lint runs, so it lists every operator, function and name there "
        "is (`kb-lint explain expressions` prints it too).",
        "## Grammar",
        f"```text\n{GRAMMAR}```",
        "Comparisons do not chain: `a < b < c` is refused; write `a < b and b < c`.",
        "## Values",
        "\n".join(f"- {line}" for line in (*VALUES, enum_check())),
        "## Operators, from the loosest to the tightest",
        _table(("operator", "meaning"), [(f"`{op}`", meaning) for op, meaning in operators()]),
        "## Functions",
        _table(
            ("function", "gives"),
            [(f"`{f.signature}`", f.summary.replace("``", "`")) for f in FUNCTIONS.values()],
        ),
        "A `list_of_lists` is a list whose elements are lists (`[source.data_types, "
        "target.data_types]`).",
    ]
    named = list(scopes)
    if named:
        parts.append("## Names in scope")
        parts.append(
            "Each place an expression is written sees these names (the fields a pack declares "
            "join those of their scope). A record's keys are read with `.`: "
            "`bindings.category`, `changed.before.enabled`."
        )
        for place, names in named:
            parts.append(f"### {place}")
            rows = [(f"`{n}`" if n.isidentifier() else n, s) for n, s in names.items()]
            parts.append(_table(("name", "holds"), rows))
    parts += [
        "## Limits",
        f"An expression has at most {MAX_LENGTH:,} characters and nests at most {MAX_DEPTH} "
        "levels deep.",
    ]
    return "\n\n".join(parts) + "\n"


def _table(head: tuple[str, str], rows: list[tuple[str, str]]) -> str:
    lines = [f"| {head[0]} | {head[1]} |", "| --- | --- |"]
    lines += [f"| {a} | {b.replace('|', '&#124;')} |" for a, b in rows]
    return "\n".join(lines)
