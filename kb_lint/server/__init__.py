"""``kb-lint server``: a Language Server Protocol server for articles, deployments and packs.

- ``lint``: the one adapter into kb-lint's linters (text in, findings out);
- ``diagnostics``: findings as LSP diagnostics; ``positions``: positions both ways;
- ``actions``: code actions (safe fixes, disable for a line with a reason);
- ``hover``: rule ids, findings and deployment fields (``schema``);
- ``debounce``: one lint per burst of changes; ``server``: the pygls server that ties them.
"""
