//! The `schema_hash` of `query_server_information`: the hex MD5 of Python's
//! `json.dumps(schemas, sort_keys=True)` (PROTOCOL.md 3.1). The official
//! Python client compares it with the same digest of its schema cache, so the
//! text hashed must be exactly what Python would write: default separators
//! (`", "` and `": "`), keys sorted by code point, non-ASCII escaped as
//! `\uXXXX` (surrogate pairs above the BMP), floats as Python's `repr`.

use md5::{Digest, Md5};
use serde_json::Value;

/// The hex MD5 of `value` serialised as Python's
/// `json.dumps(value, sort_keys=True)`.
pub(crate) fn schema_hash(value: &Value) -> String {
    let mut text = String::new();
    python_dumps(value, &mut text);
    let digest = Md5::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Writes `value` as Python's `json.dumps(value, sort_keys=True)` would.
pub(crate) fn python_dumps(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(number) => {
            if let Some(n) = number.as_i64() {
                out.push_str(&n.to_string());
            } else if let Some(n) = number.as_u64() {
                out.push_str(&n.to_string());
            } else {
                out.push_str(&python_float(number.as_f64().unwrap_or(0.0)));
            }
        }
        Value::String(text) => python_string(text, out),
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                python_dumps(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // Python sorts str keys by code point; UTF-8 byte order is the
            // same order.
            keys.sort();
            out.push('{');
            for (index, key) in keys.into_iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                python_string(key, out);
                out.push_str(": ");
                python_dumps(&map[key], out);
            }
            out.push('}');
        }
    }
}

fn python_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (' '..='~').contains(&c) => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out.push('"');
}

/// Python's `repr(float)`: the shortest digits that read back the same,
/// in fixed notation when the exponent is in `-4..16`, otherwise as
/// `1e+16` / `1.5e-05`; always with a `.0` when whole.
fn python_float(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    if value == 0.0 {
        return if value.is_sign_negative() {
            "-0.0"
        } else {
            "0.0"
        }
        .to_owned();
    }
    // Rust's `{:e}` gives the shortest round-trip digits: `1.5e-5`.
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("BUG: `{:e}` always writes an exponent");
    let exponent: i32 = exponent
        .parse()
        .expect("BUG: `{:e}` writes an integer exponent");
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if negative { "-" } else { "" };
    if (-4..16).contains(&exponent) {
        let point = exponent + 1;
        let text = if point <= 0 {
            format!("0.{}{}", "0".repeat((-point) as usize), digits)
        } else if point as usize >= digits.len() {
            format!("{}{}.0", digits, "0".repeat(point as usize - digits.len()))
        } else {
            let (whole, fraction) = digits.split_at(point as usize);
            format!("{whole}.{fraction}")
        };
        format!("{sign}{text}")
    } else {
        let (first, rest) = digits.split_at(1);
        let mantissa = if rest.is_empty() {
            first.to_owned()
        } else {
            format!("{first}.{rest}")
        };
        let exponent_sign = if exponent < 0 { '-' } else { '+' };
        format!("{sign}{mantissa}e{exponent_sign}{:02}", exponent.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn writes_what_python_json_dumps_writes() {
        let value = json!({"b": [1, 2.5, null], "a": "é\u{1F600}\"", "c": {"y": true, "x": 1e16}});
        let mut text = String::new();
        python_dumps(&value, &mut text);
        assert_eq!(
            text,
            r#"{"a": "\u00e9\ud83d\ude00\"", "b": [1, 2.5, null], "c": {"x": 1e+16, "y": true}}"#
        );
    }

    #[test]
    fn formats_floats_as_python_repr() {
        for (value, repr) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (-2.5, "-2.5"),
            (1e16, "1e+16"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123456789.0, "123456789.0"),
            (1e22, "1e+22"),
        ] {
            assert_eq!(python_float(value), repr, "{value}");
        }
    }

    #[test]
    fn hashes_the_recorded_schemas_to_the_recorded_hash() {
        // The recorded server answered `query_schemas` with this file and
        // `query_server_information` with this hash.
        let schemas: Value =
            serde_json::from_str(include_str!("../../fixtures/recorded/query_schemas.json"))
                .unwrap();
        let information: Value = serde_json::from_str(include_str!(
            "../../fixtures/recorded/query_server_information.json"
        ))
        .unwrap();
        assert_eq!(
            schema_hash(&schemas),
            information["schema_hash"].as_str().unwrap()
        );
    }
}
