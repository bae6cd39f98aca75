"""The closures the parser compiles expressions to: each evaluates one part, and turns a
``Problem`` into an ``InputError`` at that part's position."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kb_lint.errors import InputError, did_you_mean
from kb_lint.expr.values import Env, Problem, Run, lookup

if TYPE_CHECKING:
    from kb_lint.expr.parser import Node
    from kb_lint.expr.tokens import Source


def constant(value: Any) -> Run:
    return lambda env: value


def name_lookup(src: Source, name: str, start: int) -> Run:
    def run(env: Env) -> Any:
        try:
            return env[name]
        except KeyError:
            suggestion = did_you_mean(name, sorted(map(str, env)))
            raise src.error(start, f"'{name}' is not defined here{suggestion}") from None

    return run


def key_lookup(src: Source, where: int, key: str, operand: Run) -> Run:
    def run(env: Env) -> Any:
        value = operand(env)
        if type(value) is dict:
            return value.get(key)
        try:
            return lookup(value, key)
        except Problem as problem:
            raise src.error(where, problem.message) from None

    return run


def unary(src: Source, where: int, op: Callable[[Any], Any], operand: Run) -> Run:
    def run(env: Env) -> Any:
        value = operand(env)
        try:
            return op(value)
        except Problem as problem:
            raise src.error(where, problem.message) from None

    return run


def binary(src: Source, where: int, op: Callable[[Any, Any], Any], left: Run, right: Run) -> Run:
    def run(env: Env) -> Any:
        a = left(env)
        b = right(env)
        try:
            return op(a, b)
        except Problem as problem:
            raise src.error(where, problem.message) from None

    return run


def conditional(condition: Run, then: Run, otherwise: Run) -> Run:
    return lambda env: then(env) if condition(env) else otherwise(env)


def all_true(*parts: Run) -> Run:
    if len(parts) == 2:
        first, second = parts
        return lambda env: bool(first(env) and second(env))
    return lambda env: all(part(env) for part in parts)


def any_true(*parts: Run) -> Run:
    if len(parts) == 2:
        first, second = parts
        return lambda env: bool(first(env) or second(env))
    return lambda env: any(part(env) for part in parts)


def function_call(src: Source, where: int, function: Callable[..., Any], args: list[Node]) -> Run:
    starts = [arg.start for arg in args]

    def fail(problem: Problem) -> InputError:
        at = where if problem.argument is None else starts[problem.argument]
        return src.error(at, problem.message)

    if len(args) == 1:
        only = args[0].run

        def run_one(env: Env) -> Any:
            value = only(env)
            try:
                return function(value)
            except Problem as problem:
                raise fail(problem) from None

        return run_one

    runs = tuple(arg.run for arg in args)

    def run(env: Env) -> Any:
        values = [r(env) for r in runs]
        try:
            return function(*values)
        except Problem as problem:
            raise fail(problem) from None

    return run
