"""The tests' clock: one fixed instant, and the processes the tests start kept on it.

Every test starts at HORLOGE (the root conftest travels there with time-machine), whatever the
machine's date. The suite was written during the 2026-2027 school year and its stories are
dated in it: factory séances on 2 November, a planned séance on 10 December, meetings and
absences in November and December, a dispositif for "the current school year". 30 November
2026, a Monday morning in term time, is the day the suite was pinned: every one of those dates
keeps the place it had when it was written (2 November in the past, 10 December ahead, school
year 2026). UTC on purpose: a time-machine destination with a ZoneInfo also sets TZ, which the
test process and its children would inherit; this is 10:00 in Paris.

A subprocess (a Celery worker, beat, gunicorn) does not see time-machine: `commande` starts a
Python module under this module's `__main__`, which travels to the same clock before running
it (`python -m tests.horloge <offset> <module> <args>…`). Test code only, like
tests/beat_rapide.py: the product has no clock switch.
"""

import datetime
import runpy
import sys
import time

import time_machine

HORLOGE = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)


def commande(module: str, *arguments: str) -> list[str]:
    """`python -m module arguments…`, run on this process's clock as it reads now.

    The child gets the offset between this process's clock and the machine's, not an instant:
    it starts a second or so later, and a process started again later in the test (a worker
    after a crash) stays on the same clock.
    """
    machine = time_machine.escape_hatch.time.time() if time_machine.escape_hatch.is_travelling() else time.time()
    decalage = time.time() - machine
    return [sys.executable, "-m", "tests.horloge", repr(decalage), module, *arguments]


def _lancer():
    decalage, module, *arguments = sys.argv[1:]
    sys.argv = [module, *arguments]
    with time_machine.travel(time.time() + float(decalage), tick=True):
        runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    _lancer()
