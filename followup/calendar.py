"""The plan's sessions and re-tests as an iCalendar file. Pure Python (icalendar), no Django.

Calendar services fetch a subscribed feed and keep a copy, so an event says no more than "Knee
exercises": no pain, no causes, no link back to the log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence

from icalendar import Calendar, Event

from followup.core import retest_dates, session_dates

SUMMARY = "Knee exercises"
RETEST_SUMMARY = "Knee exercises: re-test"
PRODID = "-//Knee valgus check//Session plan//EN"


def plan_calendar(
    *,
    start: dt.date,
    sessions_per_week: Sequence[int],
    retest_weeks: Sequence[int],
    uid_seed: str,
    stamp: dt.datetime,
) -> bytes:
    """The .ics body: one all-day event per planned session and per re-test.

    `uid_seed` keeps each event's UID stable between fetches, so a calendar updates events
    rather than duplicating them; it is hashed, so the UID reveals nothing of it.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", SUMMARY)
    events = [(day, SUMMARY, f"s{day:%Y%m%d}") for day in session_dates(start, sessions_per_week)]
    events += [(day, RETEST_SUMMARY, f"r{week}") for week, day in retest_dates(start, retest_weeks)]
    for day, summary, key in events:
        event = Event()
        digest = hashlib.sha256(f"{uid_seed}:{key}".encode()).hexdigest()[:32]
        event.add("uid", f"{digest}@knee-valgus-check")
        event.add("summary", summary)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    body: bytes = calendar.to_ical()
    return body
