"""The prelude's Luxon-compatible DateTime / Duration / Interval."""

from __future__ import annotations

from typing import Any

import pytest

from n8n_runtime.expressions import ExpressionEngine
from tests.n8n_runtime.expressions.support import ev

UTC_DT = "DateTime.fromISO('2024-01-05T09:07:03.045Z', {zone: 'UTC'})"
MAR1 = "DateTime.fromISO('2024-03-01', {zone: 'UTC'})"
JAN1 = "DateTime.fromISO('2024-01-01', {zone: 'UTC'})"


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("yyyy-MM-dd HH:mm:ss.SSS", "2024-01-05 09:07:03.045"),
        ("yy M d H h a", "24 1 5 9 9 AM"),
        ("LLL LLLL MMM MMMM EEE EEEE", "Jan January Jan January Fri Friday"),
        ("Z|ZZ|ZZZ|z", "+0|+00:00|+0000|UTC"),
        ("dd/MM/yyyy 'at' HH:mm", "05/01/2024 at 09:07"),
        ("o ooo q WW kkkk", "5 005 1 01 2024"),
        ("D|DD|DDD", "1/5/2024|Jan 5, 2024|January 5, 2024"),
        ("t|T|TT", "9:07 AM|09:07|09:07:03"),
        ("X x", "1704445623 1704445623045"),
    ],
)
def test_to_format(engine: ExpressionEngine, fmt: str, expected: str) -> None:
    assert ev(engine, f'={{{{ {UTC_DT}.toFormat("{fmt}") }}}}') == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        # The workflow zone is the default zone.
        ("DateTime.fromISO('2024-06-01T12:00:00').toISO()", "2024-06-01T12:00:00.000-04:00"),
        ("DateTime.fromISO('2024-06-01T12:00:00+02:00').toISO()", "2024-06-01T06:00:00.000-04:00"),
        (
            "DateTime.fromISO('2024-06-01T12:00:00+02:00', {setZone: true}).toISO()",
            "2024-06-01T12:00:00.000+02:00",
        ),
        (
            "DateTime.fromISO('2024-06-01T12:00:00Z').setZone('Asia/Kolkata').toISO()",
            "2024-06-01T17:30:00.000+05:30",
        ),
        ("DateTime.fromISO('2024-06-01T12:00:00Z').toUTC().toISO()", "2024-06-01T12:00:00.000Z"),
        ("DateTime.fromISO('2024-01-05').toISODate()", "2024-01-05"),
        ("DateTime.fromISO('20240105T0907', {zone: 'UTC'}).toISO()", "2024-01-05T09:07:00.000Z"),
        ("DateTime.fromISO('nope').isValid", False),
        ("DateTime.fromISO('nope').toISO()", None),
        (
            "DateTime.fromFormat('05/01/2024 09:07', 'dd/MM/yyyy HH:mm', {zone: 'UTC'}).toISO()",
            "2024-01-05T09:07:00.000Z",
        ),
        ("DateTime.fromFormat('Jan 5 2024', 'LLL d yyyy', {zone: 'UTC'}).toISODate()", "2024-01-05"),
        ("DateTime.fromFormat('9:07 PM', 'h:mm a', {zone: 'UTC'}).hour", 21),
        ("DateTime.fromMillis(0, {zone: 'UTC'}).toISO()", "1970-01-01T00:00:00.000Z"),
        ("DateTime.fromSeconds(1704445623, {zone: 'UTC'}).toISO()", "2024-01-05T09:07:03.000Z"),
        ("DateTime.fromSQL('2024-01-05 09:07:03', {zone: 'UTC'}).toISO()", "2024-01-05T09:07:03.000Z"),
        (
            "DateTime.fromRFC2822('Fri, 05 Jan 2024 09:07:03 +0000').toUTC().toISO()",
            "2024-01-05T09:07:03.000Z",
        ),
        ("DateTime.fromHTTP('Fri, 05 Jan 2024 09:07:03 GMT').toUTC().toISO()", "2024-01-05T09:07:03.000Z"),
        (
            "DateTime.fromObject({year: 2024, month: 2, day: 29}, {zone: 'UTC'}).toISO()",
            "2024-02-29T00:00:00.000Z",
        ),
        ("DateTime.utc(2024, 1, 5, 9).toISO()", "2024-01-05T09:00:00.000Z"),
        ("DateTime.fromJSDate(new Date(0)).setZone('UTC').toISO()", "1970-01-01T00:00:00.000Z"),
        (f"{UTC_DT}.toJSDate().toISOString()", "2024-01-05T09:07:03.045Z"),
        (
            f"[{UTC_DT}.year, {UTC_DT}.month, {UTC_DT}.day, {UTC_DT}.hour, {UTC_DT}.weekday]",
            [2024, 1, 5, 9, 5],
        ),
        (f"{UTC_DT}.toMillis()", 1704445623045),
        (f"{UTC_DT}.toSeconds()", 1704445623.045),
        (f"{UTC_DT}.toString()", "2024-01-05T09:07:03.045Z"),
        (f"{UTC_DT}.toSQL()", "2024-01-05 09:07:03.045 +00:00"),
        (
            f"{UTC_DT}.toObject()",
            {"year": 2024, "month": 1, "day": 5, "hour": 9, "minute": 7, "second": 3, "millisecond": 45},
        ),
        (f"{UTC_DT}.set({{hour: 0, minute: 30}}).toISO()", "2024-01-05T00:30:03.045Z"),
        (f"{UTC_DT}.equals({UTC_DT})", True),
        (f"{UTC_DT} < {UTC_DT}.plus({{ms: 1}})", True),
    ],
)
def test_parse_and_output(engine: ExpressionEngine, expr: str, expected: Any) -> None:
    assert ev(engine, f"={{{{ {expr} }}}}") == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        # Calendar units keep the wall time across a DST change, time units do not.
        ("DateTime.fromISO('2024-03-09T12:00:00').plus({days: 1}).toISO()", "2024-03-10T12:00:00.000-04:00"),
        (
            "DateTime.fromISO('2024-03-09T12:00:00').plus({hours: 24}).toISO()",
            "2024-03-10T13:00:00.000-04:00",
        ),
        ("DateTime.fromISO('2024-03-10T01:30:00').plus({hours: 1}).toISO()", "2024-03-10T03:30:00.000-04:00"),
        ("DateTime.fromISO('2024-01-31', {zone: 'UTC'}).plus({months: 1}).toISODate()", "2024-02-29"),
        (
            "DateTime.fromISO('2024-01-31', {zone: 'UTC'}).minus({years: 1, days: 1}).toISODate()",
            "2023-01-30",
        ),
        # n8n's extension syntax.
        ("DateTime.fromISO('2024-01-05', {zone: 'UTC'}).plus(5, 'days').toISODate()", "2024-01-10"),
        ("DateTime.fromISO('2024-01-05', {zone: 'UTC'}).minus(1, 'month').toISODate()", "2023-12-05"),
        (
            "DateTime.fromISO('2024-01-10T15:30:00Z', {zone: 'UTC'}).startOf('month').toISO()",
            "2024-01-01T00:00:00.000Z",
        ),
        (
            "DateTime.fromISO('2024-01-10T15:30:00Z', {zone: 'UTC'}).endOf('month').toISO()",
            "2024-01-31T23:59:59.999Z",
        ),
        ("DateTime.fromISO('2024-01-10T15:30:00Z', {zone: 'UTC'}).startOf('week').toISODate()", "2024-01-08"),
        (
            "DateTime.fromISO('2024-05-10T15:30:00Z', {zone: 'UTC'}).startOf('quarter').toISODate()",
            "2024-04-01",
        ),
        (
            "DateTime.fromISO('2024-01-10T15:30:45Z', {zone: 'UTC'}).startOf('hour').toISO()",
            "2024-01-10T15:00:00.000Z",
        ),
        (
            f"{MAR1}.diff({JAN1}, 'days').days",
            60,
        ),
        (
            f"{MAR1}.diff({JAN1}, ['months', 'days']).toObject()",
            {"months": 2, "days": 0},
        ),
        (
            "DateTime.fromISO('2024-01-02T12:00:00Z')"
            ".diff(DateTime.fromISO('2024-01-01T00:00:00Z'), 'days').days",
            1.5,
        ),
        (
            "DateTime.fromISO('2024-01-01T00:00:00Z')"
            ".diff(DateTime.fromISO('2024-01-01T02:00:00Z'), 'hours').hours",
            -2,
        ),
        (
            "DateTime.fromISO('2024-01-02T00:00:00Z').diff(DateTime.fromISO('2024-01-01T00:00:00Z')).as('minutes')",
            1440,
        ),
        ("Duration.fromObject({days: 1, hours: 2}).as('hours')", 26),
        (
            "Duration.fromISO('P1DT2H30M').shiftTo('hours', 'minutes').toObject()",
            {"hours": 26, "minutes": 30},
        ),
        ("Duration.fromObject({hours: 1, minutes: 5}).toISO()", "PT1H5M"),
        ("Duration.fromMillis(3723000).toFormat('hh:mm:ss')", "01:02:03"),
        ("Interval.fromDateTimes(DateTime.utc(2024, 1, 1), DateTime.utc(2024, 1, 3)).length('days')", 2),
        ("Interval.after(DateTime.utc(2024, 1, 1), {days: 2}).contains(DateTime.utc(2024, 1, 2))", True),
        ("$now.minus({days: 3}).toRelative()", "3 days ago"),
        ("$now.plus({hours: 2}).toRelative()", "in 2 hours"),
        ("DateTime.now().equals($now)", True),
        ("$now.isInDST", False),
        ("DateTime.fromISO('2024-07-01T12:00:00').isInDST", True),
        ("$now.offset", -300),
        ("$now.offsetNameShort", "EST"),
    ],
)
def test_arithmetic(engine: ExpressionEngine, expr: str, expected: Any) -> None:
    assert ev(engine, f"={{{{ {expr} }}}}") == expected


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ("$now.format('yyyy-MM-dd')", "2023-11-14"),
        ("$now.beginningOf('month').toISODate()", "2023-11-01"),
        ("$now.endOfMonth().toISODate()", "2023-11-30"),
        ("$now.extract('month')", 11),
        ("$now.extract('week')", 46),
        ("$now.isWeekend()", False),
        ("$now.isBetween('2023-11-01', '2023-12-01')", True),
        ("$now.diffTo($now.minus(1, 'day'), 'days')", 1),
        ("$now.diffTo($now.minus(36, 'hours'), ['days', 'hours'])", {"days": 1, "hours": 12}),
        ("$now.isInLast(1, 'hours')", True),
        ("'2024-01-05'.toDateTime().toISO()", "2024-01-05T00:00:00.000-05:00"),
        ("'2024-01-05T10:00:00Z'.toDateTime().toISO()", "2024-01-05T10:00:00.000Z"),
        ("'05.01.2024'.toDateTime('dd.MM.yyyy').toISODate()", "2024-01-05"),
        ("(1704445623).toDateTime('s').toISO()", "2024-01-05T04:07:03.000-05:00"),
        ("(1704445623045).toDateTime().toUTC().toISO()", "2024-01-05T09:07:03.045Z"),
        ("new Date(0).format('yyyy')", "1969"),
        ("new Date(0).plus(1, 'day').toISOString()", "1970-01-02T00:00:00.000Z"),
    ],
)
def test_n8n_date_extensions(engine: ExpressionEngine, expr: str, expected: Any) -> None:
    assert ev(engine, f"={{{{ {expr} }}}}") == expected


def test_workflow_timezone_is_configurable(engine: ExpressionEngine) -> None:
    assert ev(engine, "={{ $now.toISO() }}", timezone="Asia/Tokyo") == "2023-11-15T07:13:20.000+09:00"
    assert ev(engine, "={{ DateTime.fromISO('2024-01-05T00:00').zoneName }}", timezone="UTC") == "UTC"


def test_offsets_switch_exactly_at_the_transition(engine: ExpressionEngine) -> None:
    # New York springs forward at 2024-03-10T07:00:00Z; probe every minute around it.
    probe = (
        "={{ Array.from({length: 61}, (_, i) => DateTime.fromMillis(Date.UTC(2024, 2, 10, 6, 30) + i * 60000)"
        ".offset) }}"
    )
    assert ev(engine, probe) == [-300] * 30 + [-240] * 31
