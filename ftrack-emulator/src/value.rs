//! Attribute values on the wire and in the store: date-times, coercion of
//! what clients send to the kind the schema declares, and comparison.

use std::cmp::Ordering;

use ftrack_schema::AttributeKind;
use serde_json::{json, Value};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The tag of a date-time value on the wire.
pub(crate) const DATETIME: &str = "datetime";
/// The tag of a date value on the wire (newer servers).
pub(crate) const DATE: &str = "date";

/// Reads an ISO 8601 date-time in every form clients send (PROTOCOL.md
/// 4.3): naive (`2015-11-18T15:24:09`, maybe with a fraction), with `Z` or
/// an offset (`+00:00`, `-0500`, `+01`), with a space for `T`, or a date
/// alone (`2015-11-18`, midnight). Aware values are converted to UTC; naive
/// values are taken as UTC, since the emulator says timezone support is on.
pub(crate) fn parse_datetime(text: &str) -> Option<PrimitiveDateTime> {
    let text = text.trim();
    let bytes = text.as_bytes();
    if bytes.len() < 10 || !text.is_char_boundary(10) {
        return None;
    }
    let date = parse_date(&text[..10])?;
    if bytes.len() == 10 {
        return Some(PrimitiveDateTime::new(date, Time::MIDNIGHT));
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let rest = &text[11..];
    // The time part runs up to an offset or `Z`.
    let split = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (clock, zone) = rest.split_at(split);
    let time = parse_time(clock)?;
    let offset = parse_offset(zone)?;
    let aware = PrimitiveDateTime::new(date, time).assume_offset(offset);
    let utc = aware.to_offset(UtcOffset::UTC);
    Some(PrimitiveDateTime::new(utc.date(), utc.time()))
}

fn parse_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: i32 = digits(&text[0..4])?;
    let month: u8 = digits(&text[5..7])?;
    let day: u8 = digits(&text[8..10])?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

fn parse_time(text: &str) -> Option<Time> {
    let (main, fraction) = match text.split_once('.') {
        Some((main, fraction)) => (main, Some(fraction)),
        None => (text, None),
    };
    let mut parts = main.split(':');
    let hour: u8 = digits(parts.next()?)?;
    let minute: u8 = digits(parts.next()?)?;
    let second: u8 = match parts.next() {
        Some(part) => digits(part)?,
        None => 0,
    };
    if parts.next().is_some() {
        return None;
    }
    let nanos = match fraction {
        Some(fraction) => {
            if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let padded: String = fraction
                .chars()
                .chain("000000000".chars())
                .take(9)
                .collect();
            padded.parse::<u32>().ok()?
        }
        None => 0,
    };
    Time::from_hms_nano(hour, minute, second, nanos).ok()
}

fn parse_offset(text: &str) -> Option<UtcOffset> {
    if text.is_empty() || text.eq_ignore_ascii_case("z") {
        return Some(UtcOffset::UTC);
    }
    let sign: i8 = match text.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = text[1..].replace(':', "");
    let (hours, minutes): (i8, i8) = match body.len() {
        2 => (digits(&body)?, 0),
        4 => (digits(&body[..2])?, digits(&body[2..])?),
        _ => return None,
    };
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Formats a date-time the way recorded servers answer: naive UTC, second
/// precision (`2022-10-10T10:12:09`). Fractions are dropped: the recorded
/// answers never show them, and the Python client's `ensure` strips them
/// because "the server does not store microseconds".
pub(crate) fn format_datetime(value: PrimitiveDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    value
        .format(&format)
        .unwrap_or_else(|_| "1970-01-01T00:00:00".to_owned())
}

/// The wire object of a date-time.
pub(crate) fn datetime_value(value: PrimitiveDateTime) -> Value {
    json!({"__type__": DATETIME, "value": format_datetime(value)})
}

/// The current time as a wire date-time.
pub(crate) fn now() -> Value {
    let now = OffsetDateTime::now_utc();
    datetime_value(PrimitiveDateTime::new(now.date(), now.time()))
}

/// The tag and text of a typed wire value (`{"__type__": ..., "value": ...}`).
pub(crate) fn typed(value: &Value) -> Option<(&str, &str)> {
    let object = value.as_object()?;
    let tag = object.get("__type__")?.as_str()?;
    let text = object.get("value")?.as_str()?;
    Some((tag, text))
}

/// The date-time a stored or sent value stands for: a typed wire object or
/// a plain ISO string.
pub(crate) fn as_datetime(value: &Value) -> Option<PrimitiveDateTime> {
    match value {
        Value::String(text) => parse_datetime(text),
        other => typed(other).and_then(|(_, text)| parse_datetime(text)),
    }
}

/// Why a sent value does not fit its attribute.
#[derive(Debug)]
pub(crate) struct Mismatch {
    pub(crate) expected: &'static str,
}

/// Turns a value a client sent into the stored form for an attribute of
/// `kind`: date-times become the canonical wire object, numbers given as
/// text become numbers, and so on. `null` is kept.
pub(crate) fn coerce(kind: AttributeKind, value: &Value) -> Result<Value, Mismatch> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    let fail = |expected| Err(Mismatch { expected });
    match kind {
        AttributeKind::String => match value {
            Value::String(_) => Ok(value.clone()),
            // Clients str() numbers into string attributes now and then; the
            // server's database would take them as text.
            Value::Number(n) => Ok(Value::String(n.to_string())),
            _ => fail("a string"),
        },
        AttributeKind::Integer => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => Ok(value.clone()),
            Value::Number(n) => match n.as_f64() {
                Some(f) if f.fract() == 0.0 => Ok(json!(f as i64)),
                _ => fail("an integer"),
            },
            Value::String(text) => match text.trim().parse::<i64>() {
                Ok(n) => Ok(json!(n)),
                Err(_) => fail("an integer"),
            },
            Value::Bool(b) => Ok(json!(i64::from(*b))),
            _ => fail("an integer"),
        },
        AttributeKind::Number => match value {
            Value::Number(_) => Ok(value.clone()),
            Value::String(text) => match text.trim().parse::<f64>() {
                Ok(f) if f.is_finite() => Ok(json!(f)),
                _ => fail("a number"),
            },
            _ => fail("a number"),
        },
        AttributeKind::Boolean => match value {
            Value::Bool(_) => Ok(value.clone()),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(Value::Bool(false)),
            Value::Number(n) if n.as_i64() == Some(1) => Ok(Value::Bool(true)),
            Value::String(text) => match text.to_ascii_lowercase().as_str() {
                "true" | "1" => Ok(Value::Bool(true)),
                "false" | "0" => Ok(Value::Bool(false)),
                _ => fail("a boolean"),
            },
            _ => fail("a boolean"),
        },
        AttributeKind::Datetime => match as_datetime(value) {
            Some(parsed) => Ok(datetime_value(parsed)),
            None => fail("a date-time"),
        },
        AttributeKind::Date => match as_datetime(value) {
            Some(parsed) => Ok(json!({"__type__": DATE, "value": parsed.date().to_string()})),
            None => fail("a date"),
        },
        AttributeKind::Variable => Ok(match as_typed_datetime(value) {
            Some(parsed) => datetime_value(parsed),
            None => value.clone(),
        }),
        AttributeKind::Json | AttributeKind::Untyped => Ok(value.clone()),
        AttributeKind::Reference | AttributeKind::Collection | AttributeKind::MappedCollection => {
            Ok(value.clone())
        }
    }
}

/// A typed date-time wire object (not a plain string).
fn as_typed_datetime(value: &Value) -> Option<PrimitiveDateTime> {
    match typed(value) {
        Some((DATETIME | DATE, text)) => parse_datetime(text),
        _ => None,
    }
}

/// A value of a query criterion, as the evaluator compares it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    /// Text (quoted or a bare word).
    Text(String),
    /// A number.
    Number(f64),
    /// `true` or `false`.
    Bool(bool),
    /// `none` or `null`.
    Null,
}

impl Literal {
    /// The literal of a parsed query value.
    pub(crate) fn from_query(value: &ftrack_query::Value) -> Literal {
        match value {
            ftrack_query::Value::String(text) => Literal::Text(text.clone()),
            ftrack_query::Value::Integer(n) => Literal::Number(*n as f64),
            ftrack_query::Value::Float(f) => Literal::Number(*f),
            ftrack_query::Value::Bool(b) => Literal::Bool(*b),
            // A placeholder cannot reach the server: the parser only reads
            // one when asked to, and the emulator does not ask.
            ftrack_query::Value::Null | ftrack_query::Value::Placeholder(_) => Literal::Null,
        }
    }

    /// The literal of a stored value, as a sub-query yields it.
    pub(crate) fn from_stored(value: &Value) -> Literal {
        match value {
            Value::Null => Literal::Null,
            Value::Bool(b) => Literal::Bool(*b),
            Value::Number(n) => Literal::Number(n.as_f64().unwrap_or(0.0)),
            Value::String(text) => Literal::Text(text.clone()),
            other => match typed(other) {
                Some((_, text)) => Literal::Text(text.to_owned()),
                None => Literal::Text(other.to_string()),
            },
        }
    }
}

/// Compares a stored value with a literal. `None` when they cannot be
/// compared (a string with a number that is no number, for example), which
/// makes every comparison false, as SQL does with a failed cast.
pub(crate) fn compare(stored: &Value, literal: &Literal) -> Option<Ordering> {
    match (stored, literal) {
        (Value::Null, _) | (_, Literal::Null) => None,
        (Value::Number(n), Literal::Number(m)) => n.as_f64()?.partial_cmp(m),
        (Value::Number(n), Literal::Text(text)) => {
            n.as_f64()?.partial_cmp(&text.trim().parse().ok()?)
        }
        (Value::Number(n), Literal::Bool(b)) => n.as_f64()?.partial_cmp(&f64::from(u8::from(*b))),
        (Value::Bool(a), Literal::Bool(b)) => Some(a.cmp(b)),
        (Value::Bool(a), Literal::Number(m)) => f64::from(u8::from(*a)).partial_cmp(m),
        (Value::Bool(a), Literal::Text(text)) => match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(a.cmp(&true)),
            "false" | "0" => Some(a.cmp(&false)),
            _ => None,
        },
        (Value::String(a), Literal::Text(b)) => Some(a.as_str().cmp(b.as_str())),
        (Value::String(a), Literal::Number(m)) => match a.trim().parse::<f64>() {
            Ok(f) => f.partial_cmp(m),
            Err(_) => Some(a.as_str().cmp(number_text(*m).as_str())),
        },
        (Value::String(a), Literal::Bool(b)) => {
            Some(a.as_str().cmp(if *b { "True" } else { "False" }))
        }
        (Value::Object(_), Literal::Text(text)) => {
            let (tag, stored_text) = typed(stored)?;
            if tag == DATETIME || tag == DATE {
                parse_datetime(stored_text)?.partial_cmp(&parse_datetime(text)?)
            } else {
                Some(stored_text.cmp(text.as_str()))
            }
        }
        _ => None,
    }
}

fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// Whether `text` matches an SQL `like` pattern: `%` any run of characters,
/// `_` one character, `\` escapes the next one. Case is ignored: ftrack runs
/// on MySQL, whose default collations compare case-insensitively (a guess
/// at the server's collation; the recorded answers do not show it).
pub(crate) fn like(text: &str, pattern: &str) -> bool {
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    like_from(&text, &pattern)
}

fn like_from(text: &[char], pattern: &[char]) -> bool {
    // Iterative matching with back-tracking to the last `%`, linear in
    // practice and never recursive, so no pattern can exhaust the stack.
    let (mut t, mut p) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some('%') => {
                star = Some((p, t));
                p += 1;
            }
            Some('_') => {
                t += 1;
                p += 1;
            }
            Some('\\') if p + 1 < pattern.len() && pattern[p + 1] == text[t] => {
                t += 1;
                p += 2;
            }
            Some(c) if *c != '\\' && *c == text[t] => {
                t += 1;
                p += 1;
            }
            _ => match star {
                Some((star_p, star_t)) => {
                    p = star_p + 1;
                    t = star_t + 1;
                    star = Some((star_p, star_t + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|c| *c == '%')
}

/// The text a stored value shows to `like`.
pub(crate) fn like_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => typed(other).map(|(_, text)| text.to_owned()),
    }
}

/// Orders stored values for `order by`: null first (as MySQL sorts
/// ascending), then booleans, numbers, date-times and text.
pub(crate) fn order(a: &Value, b: &Value) -> Ordering {
    fn rank(value: &Value) -> u8 {
        match value {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::Object(_) => 3,
            Value::String(_) => 4,
            Value::Array(_) => 5,
        }
    }
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Object(_), Value::Object(_)) => match (as_datetime(a), as_datetime(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            _ => a.to_string().cmp(&b.to_string()),
        },
        _ => rank(a).cmp(&rank(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_datetime_form_clients_send_and_answers_naive_utc() {
        let cases = [
            ("2015-11-18T15:24:09", "2015-11-18T15:24:09"),
            ("2015-11-18T15:24:09.123456", "2015-11-18T15:24:09"),
            ("2015-11-18T15:24:09+00:00", "2015-11-18T15:24:09"),
            ("2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00"),
            ("2015-11-18T15:24:09-05:00", "2015-11-18T20:24:09"),
            ("2015-11-18T01:00:00+0200", "2015-11-17T23:00:00"),
            ("2015-11-18 15:24", "2015-11-18T15:24:00"),
            ("2015-11-18", "2015-11-18T00:00:00"),
        ];
        for (sent, answered) in cases {
            let parsed = parse_datetime(sent).unwrap_or_else(|| panic!("{sent}"));
            assert_eq!(format_datetime(parsed), answered, "{sent}");
        }
        for bad in [
            "2015-13-01",
            "yesterday",
            "2015-11-18T",
            "2015-11-18T25:00",
            "2015-11-18X",
        ] {
            assert!(parse_datetime(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn like_matches_percent_and_underscore_ignoring_case() {
        assert!(like("Game of Thrones", "%thrones"));
        assert!(like("sh010", "sh0_0"));
        assert!(!like("sh0100", "sh0_0"));
        assert!(like("100%", "100\\%"));
        assert!(!like("1000", "100\\%"));
        assert!(like("", "%"));
        assert!(like("abcabc", "%b%c"));
    }

    #[test]
    fn coerces_values_to_their_attribute_kind() {
        let datetime = coerce(AttributeKind::Datetime, &json!("2015-11-18T15:24:09+01:00"));
        assert_eq!(
            datetime.unwrap(),
            json!({"__type__": "datetime", "value": "2015-11-18T14:24:09"})
        );
        assert_eq!(
            coerce(AttributeKind::Number, &json!("2.5")).unwrap(),
            json!(2.5)
        );
        assert!(coerce(AttributeKind::Integer, &json!("two")).is_err());
        assert!(coerce(AttributeKind::Boolean, &json!([true])).is_err());
        assert_eq!(
            coerce(AttributeKind::String, &Value::Null).unwrap(),
            Value::Null
        );
    }

    #[test]
    fn compares_datetimes_numbers_and_text() {
        let stored = json!({"__type__": "datetime", "value": "2015-06-02T00:00:00"});
        assert_eq!(
            compare(&stored, &Literal::Text("2015-06-01".into())),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare(&json!(10), &Literal::Text("9".into())),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare(&json!("b"), &Literal::Text("a".into())),
            Some(Ordering::Greater)
        );
        assert_eq!(compare(&Value::Null, &Literal::Text("a".into())), None);
    }
}
