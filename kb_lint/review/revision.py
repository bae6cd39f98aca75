"""The rules folder as it was at a git revision, extracted with ``git archive`` into a folder."""

from __future__ import annotations

import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path


class RevisionError(Exception):
    """Git cannot give the rules at that revision: not a repository, or an unknown revision."""


@dataclass(frozen=True)
class Snapshot:
    """``rules`` is the extracted rules folder, or None when it did not exist at ``commit``;
    ``prefix`` is the rules folder's path in the repository."""

    revision: str
    commit: str
    prefix: str
    rules: Path | None


def extract_rules(rules_dir: Path, revision: str, into: Path) -> Snapshot:
    """Write ``rules_dir`` (examples included) as it was at ``revision`` under ``into``."""
    folder = rules_dir.resolve()
    top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip()).resolve()
    try:
        prefix = folder.relative_to(top).as_posix()
    except ValueError:
        raise RevisionError(f"{rules_dir} is not inside the git repository {top}") from None
    try:
        commit = _git(top, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except RevisionError:
        raise RevisionError(f"unknown git revision '{revision}'") from None
    commit_id = commit.decode().strip()
    if not _git(top, "ls-tree", "-d", "--name-only", commit_id, "--", prefix).strip():
        return Snapshot(revision, commit_id, prefix, None)
    archive = _git(top, "archive", "--format=tar", commit_id, "--", prefix)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return Snapshot(revision, commit_id, prefix, into / prefix)


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout
