"""A root ``404.html`` for a site that mike publishes to GitHub Pages.

GitHub Pages answers any missing address with the branch's root ``404.html``; mike writes only
each version's own (``1.0/404.html``). The root one is the default version's 404 page: built
with ``site_url`` set, its stylesheets and links are absolute paths, so it is whole at any
depth. It
is committed to the branch with mike's own git plumbing, as ``mike deploy`` commits.
"""

from __future__ import annotations

import json
import re

from mike import git_utils

DEFAULT_ALIAS = "latest"


def publish_root_404(branch: str = "gh-pages", version: str = DEFAULT_ALIAS) -> str:
    """Commit ``VERSION/404.html`` of ``branch`` as its root ``404.html``; the version it took.
    ``version`` is a version or an alias of one. Raises ``ValueError`` with what is wrong."""
    try:
        versions = json.loads(git_utils.read_file(branch, "versions.json"))
    except git_utils.GitError as exc:
        raise ValueError(f"no versions.json on {branch}: deploy with mike first ({exc})") from None
    chosen = next(
        (v["version"] for v in versions if version == v["version"] or version in v["aliases"]),
        None,
    )
    if chosen is None:
        known = ", ".join(v["version"] for v in versions)
        raise ValueError(f"{branch} has no version or alias '{version}' (versions: {known})")
    page = git_utils.read_file(branch, f"{chosen}/404.html", universal_newlines=True)
    head = page.split("</head>", 1)[0]
    if not re.search(r'<link rel="stylesheet" href="(/|https?:)', head):
        raise ValueError(
            f"{chosen}/404.html links its stylesheets relatively: deploy it with SITE_URL set "
            "(mkdocs.yml's site_url), so that the page is whole at any address"
        )
    with git_utils.Commit(branch, f"Root 404.html: the 404 page of {chosen}") as commit:
        commit.add_file(git_utils.FileInfo("404.html", page))
    return chosen
