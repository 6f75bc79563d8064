//! The emit stage: tokens for the typed layer, for the value of a `query!`
//! and for the impl of a `derive(Projection)`.
//!
//! Generated code names everything by absolute path (`::ftrack::...`,
//! `::core::...`, `::std::...`), so that it means the same wherever it is
//! expanded, whatever the schema calls its entity types.

use ftrack_query::{Criteria, Direction, InSet, Operator, Path, Query, Value};
use ftrack_schema::{AttributeKind, Schema};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::check::CheckedField;
use crate::parse::{AttributeModel, Kind, Model, ProjectionInput, Scalar, TypeModel};

/// The typed layer: for each entity type its model struct, its
/// `EntityType` impl, its path functions and its attributes type.
pub(crate) fn emit_entities(model: &Model<'_>) -> TokenStream {
    let types = model.types.iter().map(emit_type);
    quote! { #(#types)* }
}

fn emit_type(ty: &TypeModel<'_>) -> TokenStream {
    let ident = format_ident!("{}", ty.name);
    let attributes_ident = format_ident!("{}", ty.attributes_name());
    let name = ty.name;
    let primary_key = &ty.primary_key;
    let default_projections = &ty.default_projections;

    // `Recipient::recipient()` is a path, not a constructor: the one lint
    // that generated code trips, allowed on the one impl where it does.
    let snake = crate::names::attribute_name(ty.name);
    let self_named = ty
        .attributes
        .iter()
        .any(|a| a.rust_name == snake)
        .then(|| quote!(#[allow(clippy::self_named_constructors)]));
    let doc = doc_attributes(&type_doc(ty));
    let fields = ty.attributes.iter().map(emit_field);
    let root_paths = ty.attributes.iter().map(|a| emit_path(ty, a, true));
    let paths = ty.attributes.iter().map(|a| emit_path(ty, a, false));
    let query_doc = doc_attributes(&format!(
        "A query of `{name}` entities, answered with their default projections until \
         [`select`](::ftrack::Query::select) names others."
    ));
    let attributes_doc = doc_attributes(&format!(
        "The attribute paths of [`{name}`], reached through a relationship from a query of \
         `R`; a [`ReferencePath`](::ftrack::ReferencePath) to `{name}` dereferences to it."
    ));

    quote! {
        #doc
        #[derive(
            ::core::fmt::Debug,
            ::core::clone::Clone,
            ::core::default::Default,
            ::core::cmp::PartialEq,
            ::ftrack::__private::serde::Serialize,
            ::ftrack::__private::serde::Deserialize,
        )]
        #[serde(crate = "::ftrack::__private::serde", default)]
        pub struct #ident {
            #(#fields)*
        }

        #[automatically_derived]
        impl ::ftrack::EntityType for #ident {
            const NAME: &'static str = #name;
            const PRIMARY_KEY: &'static [&'static str] = &[#(#primary_key),*];
            const DEFAULT_PROJECTIONS: &'static [&'static str] = &[#(#default_projections),*];
            type Attributes<R> = #attributes_ident<R>;
        }

        #self_named
        impl #ident {
            #query_doc
            #[inline]
            pub fn query() -> ::ftrack::Query<Self> {
                ::ftrack::Query::new()
            }

            #(#root_paths)*
        }

        #attributes_doc
        pub struct #attributes_ident<R> {
            prefix: ::ftrack::Prefix<R>,
        }

        #[automatically_derived]
        impl<R> ::ftrack::Attributes<R> for #attributes_ident<R> {
            #[inline]
            fn from_prefix(prefix: ::ftrack::Prefix<R>) -> Self {
                Self { prefix }
            }

            #[inline]
            fn prefix(&self) -> &::ftrack::Prefix<R> {
                &self.prefix
            }
        }

        impl<R> #attributes_ident<R> {
            #(#paths)*
        }
    }
}

fn emit_field(attribute: &AttributeModel<'_>) -> TokenStream {
    let ident = format_ident!("{}", attribute.rust_name);
    let doc = doc_attributes(&field_doc(attribute));
    let ty = field_type(attribute.kind);

    let mut serde = Vec::new();
    if attribute.rust_name != attribute.name {
        let name = attribute.name;
        serde.push(quote!(rename = #name));
    }
    match attribute.kind {
        Kind::DateTime => serde.push(quote!(with = "::ftrack::__private::datetime")),
        Kind::Date => serde.push(quote!(with = "::ftrack::__private::date")),
        Kind::Mapped { .. } => serde.push(quote!(with = "::ftrack::__private::mapped")),
        _ => {}
    }
    serde.push(quote!(
        skip_serializing_if = "::core::option::Option::is_none"
    ));

    quote! {
        #doc
        #[serde(#(#serde),*)]
        pub #ident: ::core::option::Option<#ty>,
    }
}

/// The Rust type a field holds, inside its `Option`.
fn field_type(kind: Kind<'_>) -> TokenStream {
    match kind {
        Kind::String => quote!(::std::string::String),
        Kind::Integer => quote!(::core::primitive::i64),
        Kind::Number => quote!(::core::primitive::f64),
        Kind::Boolean => quote!(::core::primitive::bool),
        Kind::DateTime => quote!(::ftrack::DateTime),
        Kind::Date => quote!(::ftrack::Date),
        Kind::Json | Kind::Any => quote!(::ftrack::Json),
        Kind::Reference(target) => {
            let target = format_ident!("{}", target);
            quote!(::std::boxed::Box<#target>)
        }
        Kind::Collection(target) => {
            let target = format_ident!("{}", target);
            quote!(::std::vec::Vec<#target>)
        }
        Kind::Mapped { value_kind, .. } => {
            let value = match value_kind {
                Scalar::String => quote!(::std::string::String),
                Scalar::Integer => quote!(::core::primitive::i64),
                Scalar::Number => quote!(::core::primitive::f64),
                Scalar::Boolean => quote!(::core::primitive::bool),
                Scalar::Json => quote!(::ftrack::Json),
            };
            quote!(::std::collections::BTreeMap<::std::string::String, #value>)
        }
    }
}

/// A path function (`Shot::name()`, at the root) or method
/// (`ShotAttributes::name(&self)`).
fn emit_path(ty: &TypeModel<'_>, attribute: &AttributeModel<'_>, root: bool) -> TokenStream {
    let ident = format_ident!("{}", attribute.rust_name);
    let name = attribute.name;
    let doc = doc_attributes(&path_doc(ty, attribute, root));
    let (receiver, from, prefix) = if root {
        (quote!(), quote!(Self), quote!(::ftrack::Prefix::root()))
    } else {
        (quote!(&self), quote!(R), quote!(self.prefix))
    };
    let ty = path_type(attribute.kind, &from);
    let body = match attribute.kind {
        Kind::Mapped { key, value, .. } => quote!(#prefix.mapped(#name, #key, #value)),
        _ => quote!(#prefix.attribute(#name)),
    };
    quote! {
        #doc
        #[inline]
        pub fn #ident(#receiver) -> #ty {
            #body
        }
    }
}

/// The path type of an attribute of `kind` in a query of `from`.
fn path_type(kind: Kind<'_>, from: &TokenStream) -> TokenStream {
    match kind {
        Kind::String => quote!(::ftrack::StringPath<#from>),
        Kind::Integer => quote!(::ftrack::NumberPath<#from, ::core::primitive::i64>),
        Kind::Number => quote!(::ftrack::NumberPath<#from, ::core::primitive::f64>),
        Kind::Boolean => quote!(::ftrack::BooleanPath<#from>),
        Kind::DateTime => quote!(::ftrack::DateTimePath<#from>),
        Kind::Date => quote!(::ftrack::DatePath<#from>),
        Kind::Json => quote!(::ftrack::JsonPath<#from>),
        Kind::Any => quote!(::ftrack::ValuePath<#from>),
        Kind::Reference(target) => {
            let target = format_ident!("{}", target);
            quote!(::ftrack::ReferencePath<#from, #target>)
        }
        Kind::Collection(target) => {
            let target = format_ident!("{}", target);
            quote!(::ftrack::CollectionPath<#from, #target>)
        }
        Kind::Mapped { item, .. } => {
            let item = format_ident!("{}", item);
            quote!(::ftrack::MappedCollectionPath<#from, #item>)
        }
    }
}

/// `#[doc]` attributes for `text`, one per line, so that the formatted
/// code shows `///` comments: paragraphs (split on blank lines) wrapped at
/// 80 columns.
fn doc_attributes(text: &str) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    for (index, paragraph) in text.split("\n\n").enumerate() {
        if index > 0 {
            lines.push(String::new());
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if !line.is_empty() && line.len() + 1 + word.len() > 76 {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
    }
    let lines = lines.iter().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

fn type_doc(ty: &TypeModel<'_>) -> String {
    let mut doc = match ty.description {
        Some(description) => description.trim().to_owned(),
        None => format!("The `{}` entity type.", ty.name),
    };
    if let Some(parent) = ty.extends {
        doc.push_str(&format!(" A kind of [`{parent}`]."));
    }
    doc.push_str(
        "\n\nEvery field is an `Option`: a query returns the attributes it selects. Paths \
         to the attributes, for criteria and projections, are the functions of the same \
         names (`",
    );
    doc.push_str(ty.name);
    doc.push_str("::query()` starts a query).");
    doc
}

/// What the attribute holds, in words: `a string`, `a reference to one
/// [`Context`]`.
fn kind_words(kind: Kind<'_>) -> String {
    match kind {
        Kind::String => "a string".to_owned(),
        Kind::Integer => "an integer".to_owned(),
        Kind::Number => "a number".to_owned(),
        Kind::Boolean => "a boolean".to_owned(),
        Kind::DateTime => "a date-time".to_owned(),
        Kind::Date => "a date".to_owned(),
        Kind::Json => "opaque JSON".to_owned(),
        Kind::Any => "any value".to_owned(),
        Kind::Reference(target) => format!("a reference to one [`{target}`]"),
        Kind::Collection(target) => format!("a collection of [`{target}`]"),
        Kind::Mapped {
            item, key, value, ..
        } => {
            format!("a map from the `{key}` to the `{value}` of [`{item}`] items")
        }
    }
}

/// The schema's description and the renaming, as extra paragraphs.
fn doc_details(attribute: &AttributeModel<'_>) -> String {
    let mut doc = String::new();
    if let Some(description) = attribute.description {
        doc.push_str(&format!("\n\n{}", description.trim()));
    }
    if attribute.rust_name != attribute.name {
        doc.push_str(&format!(
            "\n\nThe attribute is `{}`; its Rust name has a trailing underscore because Rust or \
             the generated API reserves the name.",
            attribute.name
        ));
    }
    doc
}

fn field_doc(attribute: &AttributeModel<'_>) -> String {
    format!(
        "`{}`: {}.{}",
        attribute.name,
        kind_words(attribute.kind),
        doc_details(attribute)
    )
}

fn path_doc(ty: &TypeModel<'_>, attribute: &AttributeModel<'_>, root: bool) -> String {
    let owner = if root {
        format!("`{}.{}`", ty.name, attribute.name)
    } else {
        format!("`{}` of this `{}`", attribute.name, ty.name)
    };
    format!(
        "The path to {owner}, {}.{}",
        kind_words(attribute.kind),
        doc_details(attribute)
    )
}

/// The value of a checked `query!`: a `Query<T>` built from its syntax
/// tree, with each placeholder converted from the variable it names.
pub(crate) fn emit_query(
    schema: &Schema,
    query: &Query,
    entities: &TokenStream,
    span: Span,
    track: Option<&str>,
) -> TokenStream {
    let ty = format_ident!("{}", query.entity_type.name);
    let ast = emit_query_ast(schema, query, span);
    let track = track.map(|file| {
        quote!(
            const _: &[u8] = ::core::include_bytes!(#file);
        )
    });
    quote! {
        {
            #track
            ::ftrack::Query::<#entities::#ty>::from_ast_unchecked(#ast)
        }
    }
}

fn emit_query_ast(schema: &Schema, query: &Query, span: Span) -> TokenStream {
    // Hygienic, so that a placeholder `{query}` names the caller's variable.
    let var = Ident::new("query", Span::mixed_site());
    let name = &query.entity_type.name;
    let mut steps = Vec::new();

    if !query.projections.is_empty() {
        let projections = query.projections.iter().map(|projection| {
            let path = emit_path_value(projection.path());
            quote!(::ftrack::ast::Projection::Path(#path))
        });
        steps.push(quote!(#var.projections = ::std::vec![#(#projections),*];));
    }
    if let Some(criteria) = &query.criteria {
        let criteria = emit_criteria(schema, name, criteria, span);
        steps.push(quote!(#var.criteria = ::core::option::Option::Some(#criteria);));
    }
    if !query.order_by.is_empty() {
        let order_by = query.order_by.iter().map(|ordering| {
            let path = emit_path_value(&ordering.path);
            let direction = match ordering.direction {
                Direction::Ascending => quote!(Ascending),
                Direction::Descending => quote!(Descending),
            };
            quote! {
                ::ftrack::ast::Ordering {
                    path: #path,
                    direction: ::ftrack::ast::Direction::#direction,
                }
            }
        });
        steps.push(quote!(#var.order_by = ::std::vec![#(#order_by),*];));
    }
    if let Some(offset) = query.offset {
        steps.push(quote!(#var.offset = ::core::option::Option::Some(#offset);));
    }
    if let Some(limit) = query.limit {
        steps.push(quote!(#var.limit = ::core::option::Option::Some(#limit);));
    }
    quote! {
        {
            #[allow(unused_mut)] // a query of the short form sets nothing
            let mut #var = ::ftrack::ast::Query::new(#name);
            #(#steps)*
            #var
        }
    }
}

fn emit_path_value(path: &Path) -> TokenStream {
    let dotted = path.to_string();
    quote!(::ftrack::ast::Path::parse_dotted(#dotted))
}

fn emit_criteria(
    schema: &Schema,
    entity_type: &str,
    criteria: &Criteria,
    span: Span,
) -> TokenStream {
    let nested = |items: &[Criteria]| {
        items
            .iter()
            .map(|item| emit_criteria(schema, entity_type, item, span))
            .collect::<Vec<_>>()
    };
    match criteria {
        Criteria::And(items) => {
            let items = nested(items);
            quote!(::ftrack::ast::Criteria::And(::std::vec![#(#items),*]))
        }
        Criteria::Or(items) => {
            let items = nested(items);
            quote!(::ftrack::ast::Criteria::Or(::std::vec![#(#items),*]))
        }
        Criteria::Not(inner) => {
            let inner = emit_criteria(schema, entity_type, inner, span);
            quote!(::ftrack::ast::Criteria::Not(::std::boxed::Box::new(#inner)))
        }
        Criteria::Compare {
            path,
            operator,
            value,
        } => {
            let kind = if operator.is_pattern() {
                kind_marker(AttributeKind::String)
            } else {
                kind_marker(last_attribute(schema, entity_type, path).kind)
            };
            let value = emit_value(value, &kind, span);
            let operator = operator_ident(*operator);
            let path = emit_path_value(path);
            quote! {
                ::ftrack::ast::Criteria::Compare {
                    path: #path,
                    operator: ::ftrack::ast::Operator::#operator,
                    value: #value,
                }
            }
        }
        Criteria::In { path, negated, set } => {
            let set = match set {
                InSet::Values(values) => {
                    let kind = kind_marker(last_attribute(schema, entity_type, path).kind);
                    match values.as_slice() {
                        // A placeholder alone stands for a whole list.
                        [Value::Placeholder(name)] => {
                            let variable = Ident::new(name, span);
                            quote_spanned! {span=>
                                ::ftrack::ast::InSet::Values(
                                    ::ftrack::ToValues::<#kind>::to_values(&#variable)
                                )
                            }
                        }
                        values => {
                            let values = values.iter().map(|v| emit_value(v, &kind, span));
                            quote!(::ftrack::ast::InSet::Values(::std::vec![#(#values),*]))
                        }
                    }
                }
                InSet::Query(query) => {
                    let query = emit_query_ast(schema, query, span);
                    quote!(::ftrack::ast::InSet::Query(::std::boxed::Box::new(#query)))
                }
            };
            let path_value = emit_path_value(path);
            quote! {
                ::ftrack::ast::Criteria::In {
                    path: #path_value,
                    negated: #negated,
                    set: #set,
                }
            }
        }
        Criteria::Has { path, criteria } => {
            let target = target(schema, entity_type, path);
            let criteria = emit_criteria(schema, target, criteria, span);
            let path = emit_path_value(path);
            quote! {
                ::ftrack::ast::Criteria::Has {
                    path: #path,
                    criteria: ::std::boxed::Box::new(#criteria),
                }
            }
        }
        Criteria::Any { path, criteria } => {
            let criteria = match criteria {
                Some(criteria) => {
                    let target = target(schema, entity_type, path);
                    let criteria = emit_criteria(schema, target, criteria, span);
                    quote!(::core::option::Option::Some(::std::boxed::Box::new(#criteria)))
                }
                None => quote!(::core::option::Option::None),
            };
            let path = emit_path_value(path);
            quote! {
                ::ftrack::ast::Criteria::Any {
                    path: #path,
                    criteria: #criteria,
                }
            }
        }
    }
}

/// The attribute at the end of a path that the check stage resolved.
fn last_attribute<'a>(
    schema: &'a Schema,
    entity_type: &str,
    path: &Path,
) -> &'a ftrack_schema::Attribute {
    let steps = ftrack_query::resolve(schema, entity_type, path)
        .expect("BUG: paths are resolved by the check stage before emitting");
    steps
        .last()
        .expect("BUG: a path has at least one segment")
        .attribute
}

/// The entity type a relationship path leads to.
fn target<'a>(schema: &'a Schema, entity_type: &str, path: &Path) -> &'a str {
    last_attribute(schema, entity_type, path)
        .target()
        .expect("BUG: `has` and `any` paths are relationships, checked before emitting")
}

fn emit_value(value: &Value, kind: &TokenStream, span: Span) -> TokenStream {
    match value {
        Value::String(text) => {
            quote!(::ftrack::ast::Value::String(::std::string::String::from(#text)))
        }
        Value::Integer(number) => quote!(::ftrack::ast::Value::Integer(#number)),
        Value::Float(number) => quote!(::ftrack::ast::Value::Float(#number)),
        Value::Bool(flag) => quote!(::ftrack::ast::Value::Bool(#flag)),
        Value::Null => quote!(::ftrack::ast::Value::Null),
        Value::Placeholder(name) => {
            // The variable's name carries the literal's span, so that it
            // resolves where `query!` is written and errors point there.
            let variable = Ident::new(name, span);
            quote_spanned!(span=> ::ftrack::ToValue::<#kind>::to_value(&#variable))
        }
    }
}

/// The marker type of `ftrack::value::kind` for values of `kind`.
fn kind_marker(kind: AttributeKind) -> TokenStream {
    let marker = match kind {
        AttributeKind::String => quote!(String),
        AttributeKind::Integer => quote!(Integer),
        AttributeKind::Number => quote!(Number),
        AttributeKind::Boolean => quote!(Boolean),
        AttributeKind::Datetime => quote!(DateTime),
        AttributeKind::Date => quote!(Date),
        _ => quote!(Any),
    };
    quote!(::ftrack::value::kind::#marker)
}

fn operator_ident(operator: Operator) -> Ident {
    let name = match operator {
        Operator::Is => "Is",
        Operator::IsNot => "IsNot",
        Operator::Greater => "Greater",
        Operator::Less => "Less",
        Operator::GreaterOrEqual => "GreaterOrEqual",
        Operator::LessOrEqual => "LessOrEqual",
        Operator::Like => "Like",
        Operator::NotLike => "NotLike",
    };
    Ident::new(name, Span::call_site())
}

/// The `Projection` impl of a checked struct.
pub(crate) fn emit_projection(
    input: &ProjectionInput,
    fields: &[CheckedField],
    entities: &TokenStream,
) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, type_generics, where_clause) = input.generics.split_for_impl();
    let entity_type = format_ident!("{}", input.entity_type.value());
    let paths = fields.iter().map(|f| f.segments.join("."));

    let mut checks = Vec::new();
    let mut values = Vec::new();
    for (field, checked) in input.fields.iter().zip(fields) {
        let name = &field.ident;
        let ty = &field.ty;
        let segments = &checked.segments;
        let span = ty.span();
        values.push(quote_spanned! {span=>
            #name: ::ftrack::__private::decode_at::<#ty>(entity, &[#(#segments),*])?
        });
        if !checked.kind.is_relation() {
            let kind = kind_marker(checked.kind);
            checks.push(if checked.through_collection {
                quote_spanned!(span=> ::ftrack::__private::assert_holds_list::<#ty, #kind>();)
            } else {
                quote_spanned!(span=> ::ftrack::__private::assert_holds::<#ty, #kind>();)
            });
        }
    }

    quote! {
        #[automatically_derived]
        impl #impl_generics ::ftrack::Projection for #ident #type_generics #where_clause {
            type Entity = #entities::#entity_type;
            const PATHS: &'static [&'static str] = &[#(#paths),*];

            fn from_json(
                entity: &::ftrack::Json,
            ) -> ::core::result::Result<Self, ::ftrack::DecodeError> {
                // Compile-time checks that each field fits its attribute.
                #(#checks)*
                ::core::result::Result::Ok(Self {
                    #(#values),*
                })
            }
        }
    }
}
