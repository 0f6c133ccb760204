//! Dates and times as the pages, `meetings.json`, the feeds and the health page print them,
//! written directly.
//!
//! Takes: jiff dates, times, instants and zoned date-times. Gives: the same strings as the
//! `strftime` patterns named on each function (the tests compare them over years of dates and
//! several zones). A build prints several of these for every past and next meeting of every
//! group; `strftime` interprets its pattern each time and was a tenth of a build's work.

use std::fmt::Write as _;

use jiff::civil::{Date, DateTime, Time};
use jiff::{Timestamp, ZonedDateTime};

const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `%-d %B %Y`: `2 June 2026`.
pub fn day_month_year(d: Date) -> String {
    let mut s = String::with_capacity(20);
    push_day_month_year(&mut s, d);
    s
}

/// `%A %-d %B %Y, %H:%M` at the end of `s`: `Tuesday 2 June 2026, 09:30`.
pub fn push_weekday_date_time(s: &mut String, dt: DateTime) {
    s.push_str(WEEKDAYS[usize::from(dt.weekday().to_monday_zero_offset().unsigned_abs())]);
    s.push(' ');
    push_day_month_year(s, dt.date());
    s.push_str(", ");
    push_hh_mm(s, dt.time());
}

/// `%A %-d %B %Y`: `Tuesday 2 June 2026`.
pub fn weekday_day_month_year(d: Date) -> String {
    let mut s = String::with_capacity(28);
    s.push_str(WEEKDAYS[usize::from(d.weekday().to_monday_zero_offset().unsigned_abs())]);
    s.push(' ');
    push_day_month_year(&mut s, d);
    s
}

/// `%B` of a month number (1 to 12): `June`.
pub fn month_name(month: i8) -> &'static str {
    MONTHS[usize::from(month.unsigned_abs()).clamp(1, 12) - 1]
}

/// `%H:%M`: `09:30`.
pub fn hh_mm(t: Time) -> String {
    let mut s = String::with_capacity(5);
    push_hh_mm(&mut s, t);
    s
}

/// `%Y-%m-%d`: `2026-06-02`.
pub fn iso_date(d: Date) -> String {
    let mut s = String::with_capacity(10);
    push_iso_date(&mut s, d);
    s
}

/// `%Y-%m-%dT%H:%M:%S%:z`: `2026-06-02T09:30:00-07:00`, the local time with its offset.
pub fn local_rfc3339(z: &ZonedDateTime) -> String {
    let mut s = String::with_capacity(25);
    push_date_time(&mut s, z.datetime());
    let secs = z.offset().seconds();
    let (sign, secs) = if secs < 0 { ('-', -secs) } else { ('+', secs) };
    s.push(sign);
    push_two(&mut s, (secs / 3600) as i8);
    s.push(':');
    push_two(&mut s, (secs / 60 % 60) as i8);
    s
}

/// `%Y-%m-%dT%H:%M:%SZ` of the instant in UTC: `2026-06-02T16:30:00Z`.
pub fn utc_rfc3339(ts: Timestamp) -> String {
    let mut s = String::with_capacity(20);
    push_date_time(&mut s, jiff::tz::Offset::UTC.to_datetime(ts));
    s.push('Z');
    s
}

/// `%Y%m%dT%H%M%S`: `20260602T093000`, a local date-time as iCalendar writes it.
pub fn compact_date_time(dt: DateTime) -> String {
    let mut s = String::with_capacity(16);
    push_compact_date_time(&mut s, dt);
    s
}

/// `%Y%m%dT%H%M%SZ` of the instant in UTC: `20260602T163000Z`, as iCalendar writes it.
pub fn compact_utc(ts: Timestamp) -> String {
    let mut s = compact_date_time(jiff::tz::Offset::UTC.to_datetime(ts));
    s.push('Z');
    s
}

/// `%Y%m%d`: `20260602`.
pub fn compact_date(d: Date) -> String {
    let mut s = String::with_capacity(8);
    push_compact_date(&mut s, d);
    s
}

/// `%Z`: the zone's abbreviation at that instant, upper case: `PST`, `CEST`, `+0530`.
pub fn zone_abbreviation(z: &ZonedDateTime) -> String {
    let mut s = String::new();
    push_zone_abbreviation(&mut s, z);
    s
}

/// [`zone_abbreviation`], at the end of `s`.
pub fn push_zone_abbreviation(s: &mut String, z: &ZonedDateTime) {
    let info = z.time_zone().to_offset_info(z.timestamp());
    s.extend(info.abbreviation().chars().map(|c| c.to_ascii_uppercase()));
}

fn push_day_month_year(s: &mut String, d: Date) {
    push_number(s, d.day().unsigned_abs().into());
    s.push(' ');
    s.push_str(MONTHS[usize::from(d.month().unsigned_abs()) - 1]);
    s.push(' ');
    push_year(s, d.year());
}

/// [`hh_mm`], at the end of `s`.
pub fn push_hh_mm(s: &mut String, t: Time) {
    push_two(s, t.hour());
    s.push(':');
    push_two(s, t.minute());
}

fn push_iso_date(s: &mut String, d: Date) {
    push_year(s, d.year());
    s.push('-');
    push_two(s, d.month());
    s.push('-');
    push_two(s, d.day());
}

fn push_date_time(s: &mut String, dt: DateTime) {
    push_iso_date(s, dt.date());
    s.push('T');
    push_hh_mm(s, dt.time());
    s.push(':');
    push_two(s, dt.second());
}

fn push_compact_date(s: &mut String, d: Date) {
    push_year(s, d.year());
    push_two(s, d.month());
    push_two(s, d.day());
}

fn push_compact_date_time(s: &mut String, dt: DateTime) {
    push_compact_date(s, dt.date());
    s.push('T');
    push_two(s, dt.hour());
    push_two(s, dt.minute());
    push_two(s, dt.second());
}

// The digits are pushed one by one: `write!` with a `{:02}` pattern goes through the formatter's
// padding for every number, and these run for every meeting a page, a feed or a record shows.

/// `{:02}`: a number from 0 to 99 (a month, day, hour, minute or second) in two digits.
fn push_two(s: &mut String, n: i8) {
    let n = n.unsigned_abs() % 100;
    s.push(char::from(b'0' + n / 10));
    s.push(char::from(b'0' + n % 10));
}

/// `%Y` (`{:04}`): a year in four digits; one outside 1000 to 9999 as `write!` prints it.
fn push_year(s: &mut String, year: i16) {
    match u32::try_from(year) {
        Ok(y @ 1000..=9999) => push_number(s, y),
        _ => {
            let _ = write!(s, "{year:04}");
        }
    }
}

/// A number in as few digits as it takes.
fn push_number(s: &mut String, n: u32) {
    s.push_str(itoa::Buffer::new().format(n));
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::ToSpan;
    use jiff::tz::TimeZone;

    /// Every day of 2024–2031 at several times, in zones east and west of UTC, on whole and
    /// half hours, across their DST changes: each function prints what its pattern does.
    #[test]
    fn equal_to_strftime() {
        let zones = [
            "UTC",
            "America/Los_Angeles",
            "America/St_Johns",
            "Europe/Berlin",
            "Asia/Kolkata",
            "Australia/Lord_Howe",
            "Pacific/Chatham",
        ];
        let mut day = jiff::civil::date(2024, 1, 1);
        let mut n = 0;
        while day.year() < 2032 {
            let time = jiff::civil::time((n % 24) as i8, (n * 7 % 60) as i8, (n % 3) as i8, 0);
            let dt = day.to_datetime(time);
            assert_eq!(day_month_year(day), day.strftime("%-d %B %Y").to_string());
            assert_eq!(iso_date(day), day.strftime("%Y-%m-%d").to_string());
            let mut when = String::new();
            push_weekday_date_time(&mut when, dt);
            assert_eq!(when, dt.strftime("%A %-d %B %Y, %H:%M").to_string());
            assert_eq!(hh_mm(time), time.strftime("%H:%M").to_string());
            assert_eq!(
                weekday_day_month_year(day),
                day.strftime("%A %-d %B %Y").to_string()
            );
            assert_eq!(month_name(day.month()), day.strftime("%B").to_string());
            let tz = TimeZone::get(zones[n % zones.len()]).unwrap();
            let z = dt.to_zoned_datetime(tz).unwrap();
            assert_eq!(
                local_rfc3339(&z),
                z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
            );
            assert_eq!(zone_abbreviation(&z), z.strftime("%Z").to_string());
            assert_eq!(compact_date(day), day.strftime("%Y%m%d").to_string());
            assert_eq!(
                compact_date_time(z.datetime()),
                z.strftime("%Y%m%dT%H%M%S").to_string()
            );
            assert_eq!(
                compact_utc(z.timestamp()),
                z.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string()
            );
            assert_eq!(
                utc_rfc3339(z.timestamp()),
                z.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
            day = day.checked_add(1.day()).unwrap();
            n += 1;
        }
        assert!(n > 2900);
    }

    /// Years at the edges of four digits and offsets east and west by hours and quarter hours
    /// print as `write!`'s `{:04}` and `{:02}` do.
    #[test]
    fn edges_as_write_prints_them() {
        for year in [-9999, -5, 0, 5, 999, 1000, 2026, 9999] {
            let d = jiff::civil::date(year, 12, 31);
            assert_eq!(iso_date(d), format!("{year:04}-12-31"));
            assert_eq!(day_month_year(d), format!("31 December {year:04}"));
        }
        for (zone, offset) in [
            ("Pacific/Marquesas", "-09:30"),
            ("Asia/Kathmandu", "+05:45"),
            ("Pacific/Kiritimati", "+14:00"),
            ("Etc/GMT+12", "-12:00"),
        ] {
            let z = jiff::civil::date(2026, 1, 5)
                .at(7, 3, 9, 0)
                .to_zoned_datetime(TimeZone::get(zone).unwrap())
                .unwrap();
            assert_eq!(local_rfc3339(&z), format!("2026-01-05T07:03:09{offset}"));
        }
    }
}
