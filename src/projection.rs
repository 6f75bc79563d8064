//! Structs of selected attribute paths: [`Projection`], usually derived.

use std::fmt;

use serde::de::DeserializeOwned;

use crate::ast::{self, Path};
use crate::entity::EntityType;
use crate::query::Query;
use crate::value::{parse_date, parse_datetime};
use crate::{Date, DateTime, Json};

/// A struct whose fields are attribute paths of one entity type: it gives
/// the `select` list of a query and decodes each result into itself.
///
/// Derive it with `#[derive(ftrack::Projection)]`, which checks every path
/// against the schema while compiling:
///
/// ```
/// # #[cfg(feature = "macros")] {
/// use ftrack::Projection;
///
/// #[derive(Debug, ftrack::Projection)]
/// #[ftrack(entity_type = "Shot")]
/// struct ShotRow {
///     name: Option<String>,
///     #[ftrack(path = "parent.name")]
///     sequence: Option<String>,
/// }
///
/// assert_eq!(ShotRow::query().to_string(), "select name, parent.name from Shot");
/// let row = ShotRow::from_json(&serde_json::json!({
///     "__entity_type__": "Shot",
///     "name": "sh010",
///     "parent": {"__entity_type__": "Sequence", "name": "sq01"},
/// }))?;
/// assert_eq!(row.sequence.as_deref(), Some("sq01"));
/// # }
/// # Ok::<(), ftrack::DecodeError>(())
/// ```
pub trait Projection: Sized {
    /// The entity type queried.
    type Entity: EntityType;

    /// The attribute path of each field, in field order.
    const PATHS: &'static [&'static str];

    /// Decodes one result, an entity in its wire JSON form.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] naming the path whose value does not fit its field.
    fn from_json(entity: &Json) -> Result<Self, DecodeError>;

    /// A query of [`Self::Entity`] that selects [`Self::PATHS`].
    fn query() -> Query<Self::Entity> {
        let mut query = ast::Query::new(<Self::Entity as EntityType>::NAME);
        query.projections = Self::PATHS
            .iter()
            .map(|path| ast::Projection::Path(Path::parse_dotted(path)))
            .collect();
        Query::from_ast_unchecked(query)
    }
}

/// Why a result could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// The attribute path whose value did not fit.
    pub path: String,
    /// What was wrong.
    pub message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode `{}`: {}", self.path, self.message)
    }
}

impl std::error::Error for DecodeError {}

/// A Rust type that a projected value decodes into: scalars, [`DateTime`],
/// [`Date`], [`Json`], generated models, and `Option` and `Vec` of them.
#[diagnostic::on_unimplemented(
    message = "a projected attribute cannot decode into `{Self}`",
    note = "use `String`, `i64`, `f64`, `bool`, `ftrack::DateTime`, `ftrack::Date`, \
            `ftrack::Json`, a generated model, or `Option` or `Vec` of one"
)]
pub trait FromJson: Sized {
    /// Decodes `value`, which is `null` when the result held nothing at the
    /// path.
    ///
    /// # Errors
    ///
    /// A message saying what was expected and found.
    fn from_json(value: &Json) -> Result<Self, String>;
}

fn expected<T>(what: &str, value: &Json) -> Result<T, String> {
    Err(match value {
        Json::Null => format!("expected {what}, found nothing"),
        other => format!("expected {what}, found {other}"),
    })
}

impl FromJson for String {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::String(text) => Ok(text.clone()),
            other => expected("a string", other),
        }
    }
}

impl FromJson for i64 {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value.as_i64() {
            Some(number) => Ok(number),
            None => expected("an integer", value),
        }
    }
}

impl FromJson for f64 {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value.as_f64() {
            Some(number) => Ok(number),
            None => expected("a number", value),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Bool(flag) => Ok(*flag),
            other => expected("a boolean", other),
        }
    }
}

/// The text of `{"__type__": ..., "value": "..."}` or of a string.
fn typed_text(value: &Json) -> Option<&str> {
    match value {
        Json::String(text) => Some(text),
        Json::Object(object) => object.get("value")?.as_str(),
        _ => None,
    }
}

impl FromJson for DateTime {
    fn from_json(value: &Json) -> Result<Self, String> {
        match typed_text(value).and_then(parse_datetime) {
            Some(datetime) => Ok(datetime),
            None => expected("a date-time", value),
        }
    }
}

impl FromJson for Date {
    fn from_json(value: &Json) -> Result<Self, String> {
        let text = typed_text(value);
        let date = text
            .and_then(|text| parse_date(text).or_else(|| parse_datetime(text).map(|t| t.date())));
        match date {
            Some(date) => Ok(date),
            None => expected("a date", value),
        }
    }
}

impl FromJson for Json {
    fn from_json(value: &Json) -> Result<Self, String> {
        Ok(value.clone())
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Null => Ok(Vec::new()),
            Json::Array(items) => items.iter().map(T::from_json).collect(),
            other => expected("a list", other),
        }
    }
}

/// Generated models decode through their `Deserialize`.
impl<T: EntityType + DeserializeOwned> FromJson for T {
    fn from_json(value: &Json) -> Result<Self, String> {
        match value {
            Json::Object(_) => serde_json::from_value(value.clone()).map_err(|e| e.to_string()),
            other => expected(&format!("a {} entity", T::NAME), other),
        }
    }
}

/// The value at `path` (its segments) of `entity`: through references
/// attribute by attribute, and through collections item by item (giving a
/// list); `null` where the result holds nothing.
pub(crate) fn at_path(entity: &Json, path: &[&str]) -> Json {
    let Some((first, rest)) = path.split_first() else {
        return entity.clone();
    };
    match entity {
        Json::Object(object) => match object.get(*first) {
            Some(value) => at_path(value, rest),
            None => Json::Null,
        },
        Json::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                match at_path(item, path) {
                    Json::Array(inner) => out.extend(inner),
                    Json::Null => {}
                    other => out.push(other),
                }
            }
            Json::Array(out)
        }
        _ => Json::Null,
    }
}

/// Decodes the value at `path` of `entity`; used by `derive(Projection)`.
///
/// # Errors
///
/// [`DecodeError`] naming the path.
pub fn decode_at<T: FromJson>(entity: &Json, path: &[&str]) -> Result<T, DecodeError> {
    T::from_json(&at_path(entity, path)).map_err(|message| DecodeError {
        path: path.join("."),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn paths_go_through_references_and_collections() {
        let asset_version = json!({
            "__entity_type__": "AssetVersion",
            "version": 1,
            "asset": {
                "__entity_type__": "Asset",
                "versions": [{"version": 1}, {"version": 2}, {"id": "x"}]
            }
        });

        let versions: Vec<i64> = decode_at(&asset_version, &["asset", "versions", "version"])
            .expect("a list of integers");
        let missing: Option<String> = decode_at(&asset_version, &["asset", "name"]).expect("none");
        let error = decode_at::<String>(&asset_version, &["version"]).unwrap_err();

        assert_eq!(versions, [1, 2]);
        assert_eq!(missing, None);
        assert_eq!(
            error.to_string(),
            "cannot decode `version`: expected a string, found 1"
        );
    }
}

/// A field type that can hold values of a `K` attribute; checked by
/// `derive(Projection)` so that a field of the wrong type is a compile error.
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot hold this projected attribute",
    label = "does not fit the attribute",
    note = "the attribute is of kind `{K}`: use `Option<String>` for strings, \
            `Option<i64>` for integers, `Option<f64>` for numbers, `Option<bool>`, \
            `Option<ftrack::DateTime>`, `Option<ftrack::Date>`, or `ftrack::Json` for any"
)]
pub trait Holds<K> {}

/// A field type that holds a list of values of a `K` attribute, for a path
/// through a collection (`assets.name`).
#[diagnostic::on_unimplemented(
    message = "a field of type `{Self}` cannot hold this projected attribute",
    label = "a path through a collection gives a list",
    note = "the path goes through a collection, so the field needs a `Vec` (of a type that \
            fits kind `{K}`) or `ftrack::Json`"
)]
pub trait HoldsList<K> {}

/// Implements `Holds` for a type and the kinds it fits.
macro_rules! holds {
    ($ty:ty => $($kind:ident),+) => {
        $(impl Holds<crate::value::kind::$kind> for $ty {})+
    };
}

holds!(String => String, Any);
holds!(i64 => Integer, Any);
holds!(f64 => Number, Integer, Any);
holds!(bool => Boolean, Any);
holds!(DateTime => DateTime, Any);
holds!(Date => Date, DateTime, Any);

impl<K> Holds<K> for Json {}
impl<K, T: Holds<K>> Holds<K> for Option<T> {}
impl<K, T: Holds<K>> HoldsList<K> for Vec<T> {}
impl<K> HoldsList<K> for Json {}

/// Checks at compile time that `T` can hold a value of a `K` attribute.
pub fn assert_holds<T: Holds<K>, K>() {}

/// Checks at compile time that `T` can hold a list of values of a `K`
/// attribute.
pub fn assert_holds_list<T: HoldsList<K>, K>() {}
