"""Kinds the runner reports itself; a style enables them by having a rule of the kind."""

from __future__ import annotations

from kb_lint.articles.kind import NO_PARAMS, Kind

ENCODING = Kind(
    name="encoding",
    summary="The file is UTF-8 text. Without a rule of this kind, a file that is not is an "
    "input error (exit code 2).",
    params=NO_PARAMS,
    check=None,
)
SUPPRESSION = Kind(
    name="suppression",
    summary="Every `kb-lint` comment is a directive kb-lint understands, names rules the style "
    "has, and gives a reason.",
    params=NO_PARAMS,
    check=None,
)
UNUSED_SUPPRESSION = Kind(
    name="unused-suppression",
    summary="Every rule a suppression comment names has a finding there to suppress.",
    params=NO_PARAMS,
    check=None,
)
