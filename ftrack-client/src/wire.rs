//! The text forms of dates and date-times on the wire, read and written
//! in one place for the runtime and the typed layer.
//!
//! Servers answer naive values (`2022-10-10T10:12:09`); clients send `Z`,
//! offsets, fractions of seconds and dates alone. Everything here reads all
//! of them and writes one form: UTC with `Z`, microseconds only when there
//! are any.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Reads a date-time in any form servers and clients write; a value with
/// no offset is taken as UTC, as it is on a server with timezone support.
///
/// ```
/// use ftrack_client::wire::parse_datetime;
/// use time::macros::datetime;
///
/// assert_eq!(
///     parse_datetime("2022-10-10T10:12:09"),
///     Some(datetime!(2022-10-10 10:12:09 UTC))
/// );
/// assert_eq!(
///     parse_datetime("2015-11-18T15:24:09+01:00"),
///     Some(datetime!(2015-11-18 14:24:09 UTC))
/// );
/// assert_eq!(parse_datetime("next tuesday"), None);
/// ```
pub fn parse_datetime(text: &str) -> Option<OffsetDateTime> {
    let (local, offset) = read_datetime(text).ok()?;
    Some(local.assume_offset(offset.unwrap_or(UtcOffset::UTC)))
}

/// Reads `YYYY-MM-DD`.
pub fn parse_date(text: &str) -> Option<Date> {
    read_date(text).ok()
}

/// `2024-05-01T12:00:00Z`: the value in UTC, with microseconds only when
/// there are any.
pub fn format_datetime(value: OffsetDateTime) -> String {
    let utc = value.to_offset(UtcOffset::UTC);
    format_local_datetime(PrimitiveDateTime::new(utc.date(), utc.time())) + "Z"
}

/// `YYYY-MM-DDTHH:MM:SS[.ffffff]`, with no offset.
pub(crate) fn format_local_datetime(value: PrimitiveDateTime) -> String {
    let mut text = format!(
        "{}T{:02}:{:02}:{:02}",
        format_date(value.date()),
        value.hour(),
        value.minute(),
        value.second()
    );
    if value.microsecond() != 0 {
        text.push_str(&format!(".{:06}", value.microsecond()));
    }
    text
}

/// `YYYY-MM-DD`.
pub fn format_date(value: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        value.year(),
        u8::from(value.month()),
        value.day()
    )
}

/// Parses `YYYY-MM-DD`.
pub(crate) fn read_date(text: &str) -> Result<Date, String> {
    let invalid = || format!("`{text}` is not a date (YYYY-MM-DD)");
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return Err(invalid());
    }
    let year = digits(&bytes[0..4]).ok_or_else(invalid)?;
    let month = digits(&bytes[5..7]).ok_or_else(invalid)?;
    let day = digits(&bytes[8..10]).ok_or_else(invalid)?;
    let month = Month::try_from(month as u8).map_err(|_| invalid())?;
    Date::from_calendar_date(year as i32, month, day as u8).map_err(|_| invalid())
}

/// Parses the date-times servers and clients write: a date, optionally `T`
/// (or a space) and `HH:MM[:SS[.fraction]]`, optionally `Z` or `±HH[:MM]`.
/// A date alone is midnight, as the Python client reads it.
pub(crate) fn read_datetime(text: &str) -> Result<(PrimitiveDateTime, Option<UtcOffset>), String> {
    let invalid = || format!("`{text}` is not an ISO 8601 date-time");
    if !text.is_ascii() || text.len() < 10 {
        return Err(invalid());
    }
    let date = read_date(&text[..10])?;
    if text.len() == 10 {
        return Ok((PrimitiveDateTime::new(date, Time::MIDNIGHT), None));
    }
    let rest = text[10..].strip_prefix(['T', ' ']).ok_or_else(invalid)?;

    // Split the offset off the time.
    let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
        Some(at) => (
            &rest[..at],
            Some(parse_offset(&rest[at..]).ok_or_else(invalid)?),
        ),
        None => (rest, None),
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let mut parts = hms.split(':');
    let mut next = || parts.next().map(str::as_bytes);
    let hour = next()
        .filter(|b| b.len() == 2)
        .and_then(digits)
        .ok_or_else(invalid)?;
    let minute = next()
        .filter(|b| b.len() == 2)
        .and_then(digits)
        .ok_or_else(invalid)?;
    let second = match next() {
        Some(b) if b.len() == 2 => digits(b).ok_or_else(invalid)?,
        Some(_) => return Err(invalid()),
        None => 0,
    };
    if next().is_some() {
        return Err(invalid());
    }
    let nanosecond = match fraction {
        Some(f) if !f.is_empty() && f.len() <= 9 => {
            let value = digits(f.as_bytes()).ok_or_else(invalid)?;
            value * 10u32.pow(9 - f.len() as u32)
        }
        Some(_) => return Err(invalid()),
        None => 0,
    };
    let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanosecond)
        .map_err(|_| invalid())?;
    Ok((PrimitiveDateTime::new(date, time), offset))
}

fn parse_offset(text: &str) -> Option<UtcOffset> {
    if text.eq_ignore_ascii_case("z") {
        return Some(UtcOffset::UTC);
    }
    let sign: i8 = if text.starts_with('-') { -1 } else { 1 };
    let body = text.get(1..)?.as_bytes();
    let (hours, minutes) = match body.len() {
        2 => (digits(body)?, 0),
        4 => (digits(&body[0..2])?, digits(&body[2..4])?),
        5 if body[2] == b':' => (digits(&body[0..2])?, digits(&body[3..5])?),
        _ => return None,
    };
    UtcOffset::from_hms(sign * hours as i8, sign * minutes as i8, 0).ok()
}

/// ASCII digits as a number; `None` for anything else or too many digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    if bytes.is_empty() || bytes.len() > 9 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(
        bytes
            .iter()
            .fold(0, |value, digit| value * 10 + u32::from(digit - b'0')),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn date_times_print_as_utc_iso_8601() {
        assert_eq!(
            format_datetime(datetime!(2024-05-01 14:00:00 +02:00)),
            "2024-05-01T12:00:00Z"
        );
        assert_eq!(
            format_datetime(datetime!(2024-05-01 12:00:00.25 UTC)),
            "2024-05-01T12:00:00.250000Z"
        );
        assert_eq!(format_date(date!(2015 - 06 - 01)), "2015-06-01");
    }

    #[test]
    fn reads_the_date_time_forms_of_servers_and_clients() {
        let cases = [
            ("2022-10-10T10:12:09", datetime!(2022-10-10 10:12:09 UTC)),
            (
                "2015-11-18T15:24:09+00:00",
                datetime!(2015-11-18 15:24:09 UTC),
            ),
            (
                "2015-11-18T15:24:09-0500",
                datetime!(2015-11-18 15:24:09 -5),
            ),
            (
                "2024-05-01T12:00:00.000Z",
                datetime!(2024-05-01 12:00:00 UTC),
            ),
            ("2015-11-18 15:24", datetime!(2015-11-18 15:24:00 UTC)),
            ("2015-06-01", datetime!(2015-06-01 00:00:00 UTC)),
            (
                "2015-06-01T10:00:00.123456789+01",
                datetime!(2015-06-01 10:00:00.123456789 +1),
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_datetime(text), Some(expected), "{text}");
        }
        for text in [
            "2015-6-1",
            "2015-06-01T",
            "2015-06-01T25:00",
            "x",
            "2015-06-01Tab:cd",
        ] {
            assert_eq!(parse_datetime(text), None, "{text}");
        }
    }
}
