//! What generated code and the macros' expansions call. Not a public API:
//! it may change in any release.

pub use serde;
pub use serde_json;

pub use crate::projection::{assert_holds, assert_holds_list, decode_at, Holds, HoldsList};

use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serializer};
use serde_json::Value as Json;

use crate::value::{format_date, format_datetime, parse_date, parse_datetime};
use crate::{Date, DateTime};

/// The text of a wire value: `{"__type__": "datetime", "value": "..."}` or a
/// plain string.
fn wire_text<E: serde::de::Error>(value: &Json, expected: &str) -> Result<String, E> {
    match value {
        Json::String(text) => Ok(text.clone()),
        Json::Object(object) => match object.get("value") {
            Some(Json::String(text)) => Ok(text.clone()),
            _ => Err(E::custom(format!("expected {expected}, found {value}"))),
        },
        _ => Err(E::custom(format!("expected {expected}, found {value}"))),
    }
}

fn serialize_typed<S: Serializer>(serializer: S, tag: &str, text: &str) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(2))?;
    map.serialize_entry("__type__", tag)?;
    map.serialize_entry("value", text)?;
    map.end()
}

/// Serde for `Option<DateTime>` fields in the wire form,
/// `{"__type__": "datetime", "value": "2024-05-01T12:00:00Z"}`; reads plain
/// ISO strings too, and naive values as UTC.
pub mod datetime {
    use super::*;

    /// Writes the wire form, or `null`.
    ///
    /// # Errors
    ///
    /// Those of the serializer.
    pub fn serialize<S: Serializer>(value: &Option<DateTime>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serialize_typed(s, "datetime", &format_datetime(*value)),
            None => s.serialize_none(),
        }
    }

    /// Reads the wire form, an ISO string, or `null`.
    ///
    /// # Errors
    ///
    /// A value that is no date-time.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime>, D::Error> {
        match Option::<Json>::deserialize(d)? {
            None | Some(Json::Null) => Ok(None),
            Some(value) => {
                let text = wire_text::<D::Error>(&value, "a date-time")?;
                parse_datetime(&text)
                    .map(Some)
                    .ok_or_else(|| D::Error::custom(format!("`{text}` is not a date-time")))
            }
        }
    }
}

/// Serde for `Option<Date>` fields in the wire form,
/// `{"__type__": "date", "value": "2024-05-01"}`; reads date-times too (their
/// date in UTC).
pub mod date {
    use super::*;

    /// Writes the wire form, or `null`.
    ///
    /// # Errors
    ///
    /// Those of the serializer.
    pub fn serialize<S: Serializer>(value: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serialize_typed(s, "date", &format_date(*value)),
            None => s.serialize_none(),
        }
    }

    /// Reads the wire form, an ISO string, or `null`.
    ///
    /// # Errors
    ///
    /// A value that is no date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        match Option::<Json>::deserialize(d)? {
            None | Some(Json::Null) => Ok(None),
            Some(value) => {
                let text = wire_text::<D::Error>(&value, "a date")?;
                parse_date(&text)
                    .or_else(|| parse_datetime(&text).map(|t| t.date()))
                    .map(Some)
                    .ok_or_else(|| D::Error::custom(format!("`{text}` is not a date")))
            }
        }
    }
}

/// Serde for mapped collections (`metadata`, `custom_attributes`) as maps
/// from key to value. The wire form is a list of item entities, each with a
/// `key` and a `value` attribute; a JSON object reads too, and is what
/// serializing writes.
pub mod mapped {
    use super::*;

    /// Writes the map as a JSON object, or `null`.
    ///
    /// # Errors
    ///
    /// Those of the serializer.
    pub fn serialize<S: Serializer, V: serde::Serialize>(
        value: &Option<BTreeMap<String, V>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(value, s)
    }

    /// Reads a list of key/value items, an object, or `null`.
    ///
    /// # Errors
    ///
    /// An item without a string key, or a value of another type.
    pub fn deserialize<'de, D: Deserializer<'de>, V: DeserializeOwned>(
        d: D,
    ) -> Result<Option<BTreeMap<String, V>>, D::Error> {
        let entries: Vec<(String, Json)> = match Option::<Json>::deserialize(d)? {
            None | Some(Json::Null) => return Ok(None),
            Some(Json::Object(object)) => object.into_iter().collect(),
            Some(Json::Array(items)) => items
                .into_iter()
                .map(|item| match item {
                    Json::Object(mut object) => match object.remove("key") {
                        Some(Json::String(key)) => {
                            Ok((key, object.remove("value").unwrap_or(Json::Null)))
                        }
                        _ => Err(D::Error::custom(
                            "a mapped collection item has no string `key`",
                        )),
                    },
                    other => Err(D::Error::custom(format!(
                        "expected a key/value item, found {other}"
                    ))),
                })
                .collect::<Result<_, _>>()?,
            Some(other) => {
                return Err(D::Error::custom(format!(
                    "expected a list of key/value items, found {other}"
                )))
            }
        };
        entries
            .into_iter()
            .map(|(key, value)| {
                serde_json::from_value(value)
                    .map(|value| (key.clone(), value))
                    .map_err(|e| D::Error::custom(format!("the value of `{key}`: {e}")))
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::datetime;

    #[derive(Debug, Deserialize, serde::Serialize, PartialEq)]
    struct Sample {
        #[serde(default, with = "datetime")]
        at: Option<DateTime>,
        #[serde(default, with = "mapped")]
        metadata: Option<BTreeMap<String, String>>,
    }

    #[test]
    fn reads_and_writes_the_wire_forms() {
        let wire = json!({
            "at": {"__type__": "datetime", "value": "2022-10-10T10:12:09"},
            "metadata": [
                {"__entity_type__": "Metadata", "key": "fps", "value": "24"},
                {"__entity_type__": "Metadata", "key": "lens", "value": "35mm"}
            ]
        });

        let sample: Sample = serde_json::from_value(wire).expect("decodes");

        assert_eq!(sample.at, Some(datetime!(2022-10-10 10:12:09 UTC)));
        let metadata = sample.metadata.as_ref().expect("metadata");
        assert_eq!(metadata["fps"], "24");
        let written = serde_json::to_value(&sample).expect("encodes");
        assert_eq!(
            written["at"],
            json!({"__type__": "datetime", "value": "2022-10-10T10:12:09Z"})
        );
        let again: Sample = serde_json::from_value(written).expect("reads its own output");
        assert_eq!(again, sample);
    }

    #[test]
    fn a_bad_date_time_names_the_text() {
        let error = serde_json::from_value::<Sample>(json!({"at": "tomorrow"})).unwrap_err();
        assert!(
            error.to_string().contains("`tomorrow` is not a date-time"),
            "{error}"
        );
    }
}
