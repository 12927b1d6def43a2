"""The tests' clock: one fixed instant.

Every test starts at HORLOGE (the root conftest travels there with time-machine), whatever the
machine's date. The suite was written during the 2026-2027 school year and its stories are
dated in it: factory séances on 2 November, a planned séance on 10 December, meetings and
absences in November and December, a dispositif for "the current school year". 30 November
2026, a Monday morning in term time, is the day the suite was pinned: every one of those dates
keeps the place it had when it was written (2 November in the past, 10 December ahead, school
year 2026). UTC on purpose: a time-machine destination with a ZoneInfo also sets TZ, which the
test process and its children would inherit; this is 10:00 in Paris.
"""

import datetime

HORLOGE = datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
