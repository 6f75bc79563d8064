//! Values in criteria, and which Rust types may stand for a value of each
//! kind of attribute.
//!
//! Attribute paths and the `{name}` placeholders of `query!` take any type
//! that implements [`ToValue`] for the attribute's kind: `&str` and `String`
//! for a string attribute, integers for an integer attribute,
//! [`DateTime`](crate::DateTime) for a date-time attribute, and so on. The
//! printer quotes and escapes every string, so no value can change the
//! structure of a query.

use std::borrow::Cow;

use crate::ast::Value;
use crate::{Date, DateTime};

/// Marker types for the kinds of attribute, the `K` of [`ToValue<K>`].
pub mod kind {
    /// A string attribute.
    #[derive(Debug)]
    pub enum String {}
    /// An integer attribute.
    #[derive(Debug)]
    pub enum Integer {}
    /// A number (floating-point) attribute.
    #[derive(Debug)]
    pub enum Number {}
    /// A boolean attribute.
    #[derive(Debug)]
    pub enum Boolean {}
    /// A date-time attribute.
    #[derive(Debug)]
    pub enum DateTime {}
    /// A date attribute.
    #[derive(Debug)]
    pub enum Date {}
    /// An attribute that holds any JSON value (custom attribute values,
    /// untyped attributes): every value fits.
    #[derive(Debug)]
    pub enum Any {}
}

/// A Rust value that can stand for a value of a `K` attribute in criteria.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be compared with this attribute in an ftrack query",
    label = "not a value of this kind of attribute",
    note = "the attribute is of kind `{K}`; strings take `&str` or `String`, integers \
            `i64` (or a smaller integer), numbers `f64`, booleans `bool`, date-times \
            `ftrack::DateTime`, dates `ftrack::Date`, and `Option` of any of them"
)]
pub trait ToValue<K> {
    /// The value in the syntax tree; the printer quotes and escapes it.
    fn to_value(&self) -> Value;
}

/// A list of Rust values for the placeholder of `in ({name})` or
/// `not_in ({name})`: a slice, an array or a `Vec` of [`ToValue`] items.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list of values for `in (...)`",
    label = "expected a slice, an array or a `Vec`",
    note = "a placeholder alone in `in ({{name}})` stands for a whole list; write \
            `in ({{a}}, {{b}})` for single values"
)]
pub trait ToValues<K> {
    /// The values in the syntax tree.
    fn to_values(&self) -> Vec<Value>;
}

impl<K, T: ToValue<K> + ?Sized> ToValue<K> for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl<K, T: ToValue<K>> ToValue<K> for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<K, T: ToValue<K>> ToValues<K> for [T] {
    fn to_values(&self) -> Vec<Value> {
        self.iter().map(ToValue::to_value).collect()
    }
}

impl<K, T: ToValue<K>> ToValues<K> for Vec<T> {
    fn to_values(&self) -> Vec<Value> {
        self.as_slice().to_values()
    }
}

impl<K, T: ToValue<K>, const N: usize> ToValues<K> for [T; N] {
    fn to_values(&self) -> Vec<Value> {
        self.as_slice().to_values()
    }
}

impl<K, T: ToValues<K> + ?Sized> ToValues<K> for &T {
    fn to_values(&self) -> Vec<Value> {
        (**self).to_values()
    }
}

/// Implements `ToValue` for the kinds listed, with one conversion.
macro_rules! to_value {
    ($ty:ty => $($kind:ident),+ ; |$v:ident| $body:expr) => {
        $(
            impl ToValue<kind::$kind> for $ty {
                fn to_value(&self) -> Value {
                    let $v = self;
                    $body
                }
            }
        )+
    };
}

to_value!(str => String, Any; |v| Value::String(v.to_owned()));
to_value!(String => String, Any; |v| Value::String(v.clone()));
to_value!(Cow<'_, str> => String, Any; |v| Value::String(v.to_string()));
to_value!(Box<str> => String, Any; |v| Value::String(v.to_string()));
to_value!(bool => Boolean, Any; |v| Value::Bool(*v));
to_value!(i64 => Integer, Number, Any; |v| Value::Integer(*v));
to_value!(i32 => Integer, Number, Any; |v| Value::Integer((*v).into()));
to_value!(i16 => Integer, Number, Any; |v| Value::Integer((*v).into()));
to_value!(i8 => Integer, Number, Any; |v| Value::Integer((*v).into()));
to_value!(u32 => Integer, Number, Any; |v| Value::Integer((*v).into()));
to_value!(u16 => Integer, Number, Any; |v| Value::Integer((*v).into()));
to_value!(u8 => Integer, Number, Any; |v| Value::Integer((*v).into()));
to_value!(f64 => Number, Any; |v| Value::from(*v));
to_value!(f32 => Number, Any; |v| Value::from(f64::from(*v)));
to_value!(DateTime => DateTime, Date, Any; |v| Value::String(format_datetime(*v)));
to_value!(time::PrimitiveDateTime => DateTime, Date, Any; |v| {
    Value::String(format_datetime(v.assume_utc()))
});
to_value!(Date => DateTime, Date, Any; |v| Value::String(format_date(*v)));
to_value!(Value => Any; |v| v.clone());

/// A date-time as the query language and the wire take it: ISO 8601 in UTC,
/// `2024-05-01T12:00:00Z`, with microseconds only when there are any.
pub(crate) fn format_datetime(value: DateTime) -> String {
    let utc = value.to_offset(time::UtcOffset::UTC);
    let mut text = format!(
        "{}T{:02}:{:02}:{:02}",
        format_date(utc.date()),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    if utc.microsecond() != 0 {
        text.push_str(&format!(".{:06}", utc.microsecond()));
    }
    text.push('Z');
    text
}

/// A date as ISO 8601: `2024-05-01`.
pub(crate) fn format_date(value: Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        value.year(),
        u8::from(value.month()),
        value.day()
    )
}

/// Reads the date-times the server and clients write: a date alone
/// (midnight UTC), or a date and time with `T` or a space, optional seconds
/// and fraction, and `Z`, an offset or nothing (naive values are UTC).
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        if digits.iter().all(u8::is_ascii_digit) {
            std::str::from_utf8(digits).ok()?.parse().ok()
        } else {
            None
        }
    };
    let date = parse_date(text.get(..10)?)?;
    if bytes.len() == 10 {
        return Some(date.midnight().assume_utc());
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) || bytes.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (number(11..13)?, number(14..16)?);

    // Seconds and a fraction, both optional.
    let (mut second, mut nanosecond, mut at) = (0, 0, 16);
    if bytes.get(at) == Some(&b':') {
        second = number(at + 1..at + 3)?;
        at += 3;
        if bytes.get(at) == Some(&b'.') {
            let digits = bytes[at + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if digits == 0 {
                return None;
            }
            let fraction = &text[at + 1..at + 1 + digits.min(9)];
            nanosecond = fraction.parse::<u32>().ok()? * 10u32.pow(9 - fraction.len() as u32);
            at += 1 + digits;
        }
    }
    let time = time::Time::from_hms_nano(
        u8::try_from(hour).ok()?,
        u8::try_from(minute).ok()?,
        u8::try_from(second).ok()?,
        nanosecond,
    )
    .ok()?;
    let local = date.with_time(time);

    // The offset: none (UTC), `Z`, `+hh`, `+hhmm` or `+hh:mm`.
    let rest = &bytes[at..];
    let offset = match rest {
        [] | [b'Z' | b'z'] => time::UtcOffset::UTC,
        [sign @ (b'+' | b'-'), ..] => {
            let digits: Vec<u8> = rest[1..].iter().copied().filter(|b| *b != b':').collect();
            if digits.len() != 2 && digits.len() != 4 || !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let hours = i8::try_from((digits[0] - b'0') * 10 + (digits[1] - b'0')).ok()?;
            let minutes = match digits.len() {
                4 => i8::try_from((digits[2] - b'0') * 10 + (digits[3] - b'0')).ok()?,
                _ => 0,
            };
            let sign = if *sign == b'-' { -1 } else { 1 };
            time::UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()?
        }
        _ => return None,
    };
    Some(local.assume_offset(offset))
}

/// Reads `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = text[..4].parse::<i32>().ok()?;
    let month = text[5..7].parse::<u8>().ok()?;
    let day = text[8..10].parse::<u8>().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
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

    #[test]
    fn every_kind_takes_options_and_references() {
        let name: Option<&str> = None;
        assert_eq!(ToValue::<kind::String>::to_value(&name), Value::Null);
        assert_eq!(
            ToValue::<kind::String>::to_value(&&"x\"y".to_owned()),
            Value::String("x\"y".into())
        );
        assert_eq!(ToValue::<kind::Number>::to_value(&3), Value::Integer(3));
        assert_eq!(
            ToValues::<kind::Integer>::to_values(&vec![1, 2]),
            vec![Value::Integer(1), Value::Integer(2)]
        );
    }
}
