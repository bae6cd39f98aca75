"""Every bound kb-lint puts on its input, in one place (the README's "Limits" lists them).

kb-lint reads files from pull requests and half-typed text in editors: each input is bounded so
that no file can make a run crash, hang or exhaust memory. Going past a bound is an input error
at the place of the input that did (exit 2), never a silent cut. A bound a command line can
change says which option does.
"""

from __future__ import annotations

import sys

MIB = 1024 * 1024

# Files. The largest file read by default (``check --max-size MIB``, 0 for none): a million
# assignments are about 105 MiB of JSON.
MAX_BYTES = 256 * MIB
# Folders named on a command line: how many files and folders one may hold, hidden ones not
# counted (``check``/``articles --max-files N``, 0 for none). A KB or a folder of deployments
# holds thousands; ``/tmp`` or a home folder holds millions, which would be walked for minutes.
MAX_FOLDER_ENTRIES = 100_000
# ``include:`` chains: how deep one file's includes may nest (a chain is refused past it).
MAX_INCLUDE_DEPTH = 64
# The longest integer read from text (Python's own limit on int(str)); a version's parts have
# no such limit (they are compared as digits).
MAX_DIGITS = sys.get_int_max_str_digits()

# YAML. Nesting depth of a document, and alias expansion: a file may expand to YAML_BASE_BUDGET
# values plus YAML_EXPANSION times the values it writes down (go-yaml's ratio for large files:
# every later pass walks an alias's values again, so a file of 200,000 values at 100 times would
# be walked as 20 million).
YAML_MAX_DEPTH = 200
YAML_BASE_BUDGET = 400_000
YAML_EXPANSION = 10

# User-written regular expressions (house styles, schema and pack patterns) have no time bound:
# they run on RE2, in time linear in the text (kb_lint.load.patterns).

# Pack expressions: length of one expression and nesting depth of its syntax tree.
EXPRESSION_LENGTH = 4000
EXPRESSION_DEPTH = 64
# ``rules check`` analyses a decision table up to this many partial cases (KB-RULES-017 beyond).
MAX_CUBES = 3**10

# Simulation (``--no-limits`` lifts them): cycles of one run; CRM records per user and type;
# items a mailbox's user created, per type; cycles of each case of ``simulate --sweep`` and of
# each simulated outcome table of ``docs export --cycles`` (a run per case: 32 cases of 1,000
# cycles take minutes, of 100 seconds).
MAX_CYCLES = 1_000
MAX_RECORDS_PER_USER = 10_000
MAX_USER_ITEMS = 10_000
MAX_SWEEP_CYCLES = 100
# What one run may hold. The paths that hold every CRM record and mailbox item (``--path items``
# and ``fast``): at most MAX_WORLD of them (about 1 GB of memory; "sync all items" in one of
# three instances doubles the CRM every cycle). The counting path holds one object per class
# of identical records or items: at most MAX_CLASSES of them (the same memory), and no count
# (records, items, item-syncs, errors, duplicates of a cycle) past MAX_COUNT, which the
# plots' doubles (to about 1.8e308) still draw; Python's integers are exact below it.
MAX_WORLD = 3_000_000
MAX_CLASSES = 3_000_000
MAX_COUNT = 10**300

# The language server: the largest message body it reads (a bigger Content-Length is answered
# with an error and the body skipped).
MAX_MESSAGE_BYTES = 64 * MIB
