//! Dates and times as the pages, `meetings.json` and the feeds print them, written directly.
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

/// `%A %-d %B %Y, %H:%M`: `Tuesday 2 June 2026, 09:30`.
pub fn weekday_date_time(dt: DateTime) -> String {
    let mut s = String::with_capacity(36);
    s.push_str(WEEKDAYS[usize::from(dt.weekday().to_monday_zero_offset().unsigned_abs())]);
    s.push(' ');
    push_day_month_year(&mut s, dt.date());
    s.push_str(", ");
    push_hh_mm(&mut s, dt.time());
    s
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
    let _ = write!(s, "{sign}{:02}:{:02}", secs / 3600, secs / 60 % 60);
    s
}

/// `%Y-%m-%dT%H:%M:%SZ` of the instant in UTC: `2026-06-02T16:30:00Z`.
pub fn utc_rfc3339(ts: Timestamp) -> String {
    let mut s = String::with_capacity(20);
    push_date_time(&mut s, jiff::tz::Offset::UTC.to_datetime(ts));
    s.push('Z');
    s
}

fn push_day_month_year(s: &mut String, d: Date) {
    let _ = write!(
        s,
        "{} {} {:04}",
        d.day(),
        MONTHS[usize::from(d.month().unsigned_abs()) - 1],
        d.year()
    );
}

fn push_hh_mm(s: &mut String, t: Time) {
    let _ = write!(s, "{:02}:{:02}", t.hour(), t.minute());
}

fn push_iso_date(s: &mut String, d: Date) {
    let _ = write!(s, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

fn push_date_time(s: &mut String, dt: DateTime) {
    push_iso_date(s, dt.date());
    s.push('T');
    push_hh_mm(s, dt.time());
    let _ = write!(s, ":{:02}", dt.second());
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
            assert_eq!(
                weekday_date_time(dt),
                dt.strftime("%A %-d %B %Y, %H:%M").to_string()
            );
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
            assert_eq!(
                utc_rfc3339(z.timestamp()),
                z.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
            );
            day = day.checked_add(1.day()).unwrap();
            n += 1;
        }
        assert!(n > 2900);
    }
}
