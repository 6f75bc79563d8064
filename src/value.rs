//! Values in criteria, and which Rust types may stand for a value of each
//! kind of attribute.
//!
//! Attribute paths and the `{name}` placeholders of `query!` take any type
//! that implements [`ToValue`] for the attribute's kind: `&str` and `String`
//! for a string attribute, integers for an integer attribute,
//! [`DateTime`] for a date-time attribute, and so on. The
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
to_value!(ftrack_client::time::PrimitiveDateTime => DateTime, Date, Any; |v| {
    Value::String(format_datetime(v.assume_utc()))
});
to_value!(Date => DateTime, Date, Any; |v| Value::String(format_date(*v)));
to_value!(Value => Any; |v| v.clone());

// Dates and date-times are written and read as the runtime does, in one
// place for both layers.
pub(crate) use ftrack_client::wire::{format_date, format_datetime, parse_date, parse_datetime};

#[cfg(test)]
mod tests {
    use super::*;

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
