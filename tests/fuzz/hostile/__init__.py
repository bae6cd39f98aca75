"""The hostile-input suite: one or more inputs per problem class of issue 20, each with what it
must now get (an input error at its file, line and column; a finding; a bounded result).

``tests/fuzz/test_hostile.py`` runs every case as a test, ``bench/bench_hostile.py`` runs them
all and prints inputs tried, classes found and the slowest input. A case writes its input
under a fresh folder and names the command line; the CLI then runs in a forked child of this
process (imports paid once; a hang is killed at the case's time limit, a crash cannot take the
suite down), its standard streams captured to files. Server cases drive ``kb-lint server``
over real pipes.
"""

from tests.fuzz.hostile import data_loss, hangs, internal_errors, positions, security, server
from tests.fuzz.hostile.harness import DEPLOYMENT, Case, Outcome, prepare, run_case, run_cli

CASES: list[Case] = [
    *security.CASES,
    *data_loss.CASES,
    *internal_errors.CASES,
    *hangs.CASES,
    *positions.CASES,
    *server.CASES,
]

__all__ = ["CASES", "DEPLOYMENT", "Case", "Outcome", "prepare", "run_case", "run_cli"]
