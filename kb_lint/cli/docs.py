"""``kb-lint docs export DIR``: write the documentation site's pages as plain Markdown;
``kb-lint docs root-404``: give a mike deployment the root 404 page GitHub Pages shows."""

from __future__ import annotations

import argparse
from pathlib import Path

from mike.git_utils import GitError

from kb_lint.cli import UsageError
from kb_lint.cli.common_options import add_config_option, add_rules_option
from kb_lint.cli.packs import exit_code, say
from kb_lint.config import load_config
from kb_lint.docs.export import export_site
from kb_lint.docs.root_404 import DEFAULT_ALIAS, publish_root_404
from kb_lint.docs.simulated import simulator
from kb_lint.docs.sources import collect
from kb_lint.errors import InputError
from kb_lint.limits import MAX_SWEEP_CYCLES


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "docs",
        help="render the rules and articles as documentation pages",
        description="Render the rule packs and articles as Markdown pages. `mkdocs build` does "
        "the same through the kb-lint MkDocs plugin; `export` writes the pages for any other "
        "static site generator.",
    )
    actions = parser.add_subparsers(dest="docs_command", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write every page as Markdown into DIR",
        description="Write the rules index, one page per rule, the decision tables, procedures, "
        "assumptions, version history and outcome tables, and each article with its rule "
        "badges, as Markdown files under DIR. DIR is new, empty, or one an earlier export made "
        "(its .kb-lint-export lists the pages, which are replaced): a file kb-lint did not "
        "write stops the export, and is never overwritten.",
    )
    export.add_argument("out_dir", type=_folder, metavar="DIR", help="folder to write the pages to")
    add_rules_option(export)
    export.add_argument(
        "--docs-dir",
        type=Path,
        help="the site's docs folder, where article paths start (default: docs/ beside the "
        "config, or in the current folder)",
    )
    export.add_argument(
        "--articles", type=Path, help="articles folder (default: DOCS_DIR/articles)"
    )
    export.add_argument(
        "--cycles",
        type=cycles,
        help=f"sync cycles per simulation (default: each scenario's own; 1 to {MAX_SWEEP_CYCLES})",
    )
    export.add_argument(
        "--no-simulate",
        dest="simulate",
        action="store_false",
        help="leave the simulated column out of the outcome tables",
    )
    add_config_option(export)
    export.set_defaults(run=run)
    root_404 = actions.add_parser(
        "root-404",
        help="give a mike deployment a root 404.html for GitHub Pages",
        description="Commit the 404 page of VERSION (default: the version aliased latest) as "
        "the root 404.html of the mike branch, which GitHub Pages shows for any missing "
        "address. Run it after `mike deploy`, with the version deployed with SITE_URL set; "
        "push the branch as mike does (--push, or git push).",
    )
    root_404.add_argument("--branch", default="gh-pages", help="mike's branch (gh-pages)")
    root_404.add_argument(
        "--version", default=DEFAULT_ALIAS, help="version or alias whose 404 page to use"
    )
    root_404.set_defaults(run=run_root_404)


def _folder(value: str) -> Path:
    """The folder to export into: a name, and not a file."""
    if not value.strip():
        raise argparse.ArgumentTypeError("the folder name is empty")
    path = Path(value)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"'{value}' is a file, not a folder")
    return path


def cycles(value: str) -> int:
    """A number of cycles the outcome tables can be simulated for in bounded time."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a whole number") from None
    if not 1 <= number <= MAX_SWEEP_CYCLES:
        raise argparse.ArgumentTypeError(f"{value} is not from 1 to {MAX_SWEEP_CYCLES}")
    return number


def run_root_404(args: argparse.Namespace) -> int:
    try:
        version = publish_root_404(args.branch, args.version)
    except (ValueError, GitError) as exc:
        raise UsageError(f"docs root-404: {exc}") from None
    print(f"kb-lint: {args.branch}: 404.html is the 404 page of {version}")
    return 0


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    if args.articles is not None and not args.articles.is_dir():
        raise InputError(str(args.articles), 1, 1, "articles folder not found")
    docs_dir = args.docs_dir or config.root / "docs"
    articles = args.articles or docs_dir / "articles"
    simulate = simulator(args.cycles) if args.simulate else None
    broken: list[InputError] = []
    sources = collect(
        args.rules or config.rules_folder() or config.rules,
        articles if articles.is_dir() else None,
        docs_dir,
        simulate,
        broken=broken,
    )
    say(broken)  # before the pages: the site shows the packs that load
    try:
        written = export_site(sources, args.out_dir)
    except OSError as exc:
        where = exc.filename or args.out_dir
        raise UsageError(f"cannot write the pages to {where}: {exc.strerror or exc}") from None
    print(f"kb-lint: wrote {len(written)} pages to {args.out_dir}")
    return exit_code(0, broken)
