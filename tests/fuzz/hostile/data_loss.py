"""Data loss: ``--fix`` keeps the file (encoding, BOM, line endings, comments, owner, extended
attributes) or refuses to write it."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.fuzz.hostile.harness import (
    ARTICLE,
    ROOT,
    RULES,
    Case,
    Check,
    Outcome,
    copy_rules,
    finishes,
    refused,
    write,
)

STALE = '"sha256:0000000000000000"'
FRESH = "sha256:d5b1d06b30d3f9af"  # the fingerprint of KB 105's expected challenges, item 1
HISTORY = 'changes: "First release: the rules of KB article 105, revision 10."}'
FLOW = f'cites: {{article: 105, section: expected-challenges, item: 1, fingerprint: "{FRESH}"}}'


THEN = "then: {sync_errors: true, mailbox_copies: len(bindings), crm_duplicates: false}"


def line_of(text: str) -> int:
    """The line of KB 105's pack where ``text`` first is."""
    pack = (RULES / "kb-105" / "pack.yaml").read_text(encoding="utf-8")
    return pack[: pack.index(text)].count("\n") + 1


FLOW_LINE, THEN_LINE = line_of(FLOW), line_of(THEN)


def pack_with(folder: Path, edit: Callable[[str], str], raw: Callable[[str], bytes] | None = None):
    """KB 105's pack (and its article) in ``folder``, its pack text edited."""
    copy_rules(folder, "kb-105")
    shutil.copytree(ROOT / "docs" / "articles", folder / "docs" / "articles")
    pack = folder / "rules" / "kb-105" / "pack.yaml"
    text = edit(pack.read_text(encoding="utf-8"))
    assert text.count(STALE) or "fingerprint" not in FLOW or text != "", "edit took"
    pack.write_bytes(raw(text) if raw else text.encode("utf-8"))
    return ["rules", "check", "--rules", "rules", "--fix"]


def stale(text: str, value: str = STALE) -> str:
    return text.replace(f'"{FRESH}"', value, 1)


def pack_bytes(run: Outcome) -> bytes:
    return (run.folder / "rules" / "kb-105" / "pack.yaml").read_bytes()


def fixed_as(encode: Callable[[str], bytes]) -> Check:
    """Exit 0 and the pack exactly as it was before the fingerprint went stale, stored as
    ``encode`` stores text (encoding, byte-order mark, line endings)."""

    def check(run: Outcome) -> str | None:
        original = (RULES / "kb-105" / "pack.yaml").read_text(encoding="utf-8")
        if pack_bytes(run) != encode(original):
            return f"the pack is not as it was: {pack_bytes(run)[:80]!r}"
        return None

    return finishes((0,), check)


def unchanged(before: Callable[[Path], bytes]) -> Check:
    def check(run: Outcome) -> str | None:
        return None if pack_bytes(run) == before(run.folder) else "the pack was changed"

    return check


def refused_fix(line: int, says: str = "set it by hand") -> Check:
    return refused("pack.yaml", line, None, says, unchanged(lambda f: (f / ".before").read_bytes()))


def keep_copy(setup: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        shutil.copy(folder / "rules" / "kb-105" / "pack.yaml", folder / ".before")
        return argv

    return wrapped


def block_scalar(text: str) -> str:
    block = (
        "cites:\n      article: 105\n      section: expected-challenges\n      item: 1\n"
        "      fingerprint: >-\n        sha256:0000000000000000"
    )
    return text.replace(FLOW, block, 1)


def comment_with_brace(text: str) -> str:
    split = (
        "cites: {article: 105, section: expected-challenges,  # see } and { here\n"
        "            item: 1}"
    )
    return text.replace(FLOW, split, 1)


def comment_fixed(run: Outcome) -> str | None:
    text = pack_bytes(run).decode("utf-8")
    want = f'# see }} and {{ here\n            item: 1, fingerprint: "{FRESH}"}}'
    return None if want in text else "the fingerprint was not added inside the braces"


def with_xattr(setup: Callable[[Path], list[str]], name: str) -> Callable[[Path], list[str]]:
    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        os.setxattr(folder / name, "user.kb-lint-test", b"kept")
        return argv

    return wrapped


def xattr_kept(name: str) -> Check:
    def check(run: Outcome) -> str | None:
        try:
            value = os.getxattr(run.folder / name, "user.kb-lint-test")
        except OSError:
            return "the extended attribute is lost"
        return None if value == b"kept" else "the extended attribute changed"

    return check


def owned_by_another(setup: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    """The pack owned by another user and group (root can give it away; others cannot, and
    then the case checks that the owner is kept, which it trivially is)."""

    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        if os.geteuid() == 0:
            os.chown(folder / "rules" / "kb-105" / "pack.yaml", 65534, 65534)
        return argv

    return wrapped


def owner_kept(run: Outcome) -> str | None:
    status = (run.folder / "rules" / "kb-105" / "pack.yaml").stat()
    wanted = (65534, 65534) if os.geteuid() == 0 else (os.geteuid(), os.getegid())
    return None if (status.st_uid, status.st_gid) == wanted else "the owner or group changed"


def read_only(setup: Callable[[Path], list[str]]) -> Callable[[Path], list[str]]:
    def wrapped(folder: Path) -> list[str]:
        argv = setup(folder)
        (folder / "rules" / "kb-105" / "pack.yaml").chmod(0o444)
        return argv

    return wrapped


def article_slip(folder: Path) -> list[str]:
    text = ARTICLE.read_text(encoding="utf-8").replace("an email", "a email", 1)
    write(folder, "a.md", text.replace("\n", "\r\n").encode("utf-8"))
    return ["articles", "a.md", "--fix"]


def article_kept(run: Outcome) -> str | None:
    raw = (run.folder / "a.md").read_bytes()
    if raw.count(b"\n") != raw.count(b"\r\n") or b"a email" in raw:
        return "the article's line endings were changed or the slip was not fixed"
    return xattr_kept("a.md")(run)


UTF16 = lambda text: text.encode("utf-16")  # noqa: E731  (a byte-order mark, then UTF-16)
BOM8 = lambda text: b"\xef\xbb\xbf" + text.encode("utf-8")  # noqa: E731
CRLF = lambda text: text.replace("\n", "\r\n").encode("utf-8")  # noqa: E731
CR = lambda text: text.replace("\n", "\r").encode("utf-8")  # noqa: E731

CASES: list[Case] = [
    Case(
        "data loss: rules check --fix breaks YAML",
        "tagged fingerprint",
        keep_copy(lambda f: pack_with(f, lambda t: stale(t, "!!str " + STALE))),
        refused_fix(FLOW_LINE),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "anchored fingerprint",
        keep_copy(lambda f: pack_with(f, lambda t: stale(t, "&fp " + STALE))),
        refused_fix(FLOW_LINE),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "aliased fingerprint",
        keep_copy(
            lambda f: pack_with(
                f,
                lambda t: stale(t, "*fp").replace(HISTORY, f"changes: &fp {STALE}}}", 1),
            )
        ),
        refused_fix(FLOW_LINE),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "block-scalar fingerprint",
        keep_copy(lambda f: pack_with(f, block_scalar)),
        refused_fix(FLOW_LINE + 4),
    ),
    Case(
        "data loss: rules check --fix breaks YAML",
        "comment holding } in a flow mapping",
        lambda f: pack_with(f, lambda t: comment_with_brace(t)),
        finishes((0,), comment_fixed),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "CRLF pack",
        lambda f: pack_with(f, stale, CRLF),
        fixed_as(CRLF),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "CR pack",
        lambda f: pack_with(f, stale, CR),
        fixed_as(CR),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "UTF-8 pack with a byte-order mark",
        lambda f: pack_with(f, stale, BOM8),
        fixed_as(BOM8),
    ),
    Case(
        "data loss: fix changes encoding or line endings",
        "UTF-16 pack",
        lambda f: pack_with(f, stale, UTF16),
        fixed_as(UTF16),
    ),
    Case(
        "data loss: fix loses owner, group or attributes",
        "pack with an extended attribute",
        with_xattr(lambda f: pack_with(f, stale), "rules/kb-105/pack.yaml"),
        finishes((0,), xattr_kept("rules/kb-105/pack.yaml")),
    ),
    Case(
        "data loss: fix loses owner, group or attributes",
        "pack owned by another user and group",
        owned_by_another(lambda f: pack_with(f, stale)),
        finishes((0,), owner_kept),
    ),
    Case(
        "data loss: fix loses owner, group or attributes",
        "article with an extended attribute",
        with_xattr(article_slip, "a.md"),
        finishes((0, 1), article_kept),
    ),
    Case(
        "internal error: read-only pack under rules check --fix",
        "pack mode 0444",
        keep_copy(read_only(lambda f: pack_with(f, stale))),
        refused("pack.yaml", FLOW_LINE, None, "cannot write"),
    ),
]
