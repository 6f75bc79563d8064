//! The parse stage: from a schema, and from the input of each macro, to the
//! plain models the check and emit stages work on.

use ftrack_schema::{AttributeKind, Schema};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{LitStr, Token};

use crate::names::attribute_name;

/// The typed layer to generate: one entry per entity type, in schema order.
#[derive(Debug)]
pub(crate) struct Model<'a> {
    pub(crate) types: Vec<TypeModel<'a>>,
}

/// One entity type.
#[derive(Debug)]
pub(crate) struct TypeModel<'a> {
    /// The entity type's name, which is also the model struct's name.
    pub(crate) name: &'a str,
    pub(crate) description: Option<&'a str>,
    pub(crate) extends: Option<&'a str>,
    pub(crate) primary_key: Vec<&'a str>,
    pub(crate) default_projections: Vec<&'a str>,
    /// Its own attributes first, then those it inherits, each once.
    pub(crate) attributes: Vec<AttributeModel<'a>>,
}

impl TypeModel<'_> {
    /// The name of the attribute paths type: `ShotAttributes`.
    pub(crate) fn attributes_name(&self) -> String {
        format!("{}Attributes", self.name)
    }
}

/// One attribute of an entity type.
#[derive(Debug)]
pub(crate) struct AttributeModel<'a> {
    /// The attribute's name in the schema and on the wire.
    pub(crate) name: &'a str,
    /// Its Rust name (see [`crate::names::attribute_name`]).
    pub(crate) rust_name: String,
    pub(crate) kind: Kind<'a>,
    pub(crate) description: Option<&'a str>,
}

/// What an attribute holds, as the generated code types it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind<'a> {
    String,
    Integer,
    Number,
    Boolean,
    DateTime,
    Date,
    /// Opaque JSON.
    Json,
    /// Any value: custom attribute values and untyped attributes.
    Any,
    Reference(&'a str),
    Collection(&'a str),
    /// A mapped collection with key/value items, as a map from key to a
    /// value of `value`'s kind.
    Mapped {
        item: &'a str,
        key: &'a str,
        value: &'a str,
        value_kind: Scalar,
    },
}

/// The scalar kinds, for the values of mapped collections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
    Json,
}

/// Reads the facts of every entity type that code generation needs.
pub(crate) fn parse_schema(schema: &Schema) -> Model<'_> {
    let types = schema
        .entity_types
        .iter()
        .map(|(name, ty)| {
            let attributes = schema
                .attribute_names(name)
                .into_iter()
                .filter_map(|attribute| {
                    let found = schema.ancestry(name).find_map(|(_, t)| {
                        t.attributes
                            .get_key_value(attribute)
                            .map(|(n, a)| (n.as_str(), a))
                    })?;
                    let (attribute, definition) = found;
                    Some(AttributeModel {
                        name: attribute,
                        rust_name: attribute_name(attribute),
                        kind: parse_kind(schema, definition),
                        description: definition.description.as_deref(),
                    })
                })
                .collect();
            TypeModel {
                name,
                description: ty.description.as_deref(),
                extends: ty.extends.as_deref(),
                primary_key: ty.primary_key().iter().map(String::as_str).collect(),
                default_projections: ty
                    .default_projections()
                    .iter()
                    .map(String::as_str)
                    .collect(),
                attributes,
            }
        })
        .collect();
    Model { types }
}

/// The generated kind of one attribute.
pub(crate) fn parse_kind<'a>(
    schema: &'a Schema,
    attribute: &'a ftrack_schema::Attribute,
) -> Kind<'a> {
    let target = attribute.entity_type.as_deref().unwrap_or_default();
    match attribute.kind {
        AttributeKind::String => Kind::String,
        AttributeKind::Integer => Kind::Integer,
        AttributeKind::Number => Kind::Number,
        AttributeKind::Boolean => Kind::Boolean,
        AttributeKind::Datetime => Kind::DateTime,
        AttributeKind::Date => Kind::Date,
        AttributeKind::Json => Kind::Json,
        AttributeKind::Variable | AttributeKind::Untyped => Kind::Any,
        AttributeKind::Reference => Kind::Reference(target),
        AttributeKind::Collection => Kind::Collection(target),
        AttributeKind::MappedCollection => match &attribute.key_value_attributes {
            Some(kv) => Kind::Mapped {
                item: target,
                key: &kv.key,
                value: &kv.value,
                value_kind: match schema.attribute(target, &kv.value).map(|a| a.kind) {
                    Some(AttributeKind::String) => Scalar::String,
                    Some(AttributeKind::Integer) => Scalar::Integer,
                    Some(AttributeKind::Number) => Scalar::Number,
                    Some(AttributeKind::Boolean) => Scalar::Boolean,
                    _ => Scalar::Json,
                },
            },
            // Without key/value attributes there is no map to make: the
            // items are a plain collection (the server's
            // `custom_attribute_links` are such).
            None => Kind::Collection(target),
        },
    }
}

/// Where the schema of a macro comes from.
#[derive(Clone)]
pub(crate) enum SchemaArg {
    /// The shipped schema, with the entity types in `::ftrack::entities`.
    Shipped,
    /// `schema = "studio.yaml"`, relative to the calling crate's
    /// `CARGO_MANIFEST_DIR`.
    File(LitStr),
}

/// The options of `query!` and `derive(Projection)`: `schema = "..."` and
/// `entities = path`.
#[derive(Clone)]
pub(crate) struct SchemaOptions {
    pub(crate) schema: SchemaArg,
    /// Where the generated entity types live; `None` for the default.
    pub(crate) entities: Option<syn::Path>,
}

impl SchemaOptions {
    fn new() -> SchemaOptions {
        SchemaOptions {
            schema: SchemaArg::Shipped,
            entities: None,
        }
    }

    /// Reads one `key = value` option; `false` when `key` is not one.
    fn parse_option(&mut self, key: &syn::Ident, input: ParseStream<'_>) -> syn::Result<bool> {
        if key == "schema" {
            self.schema = SchemaArg::File(input.parse()?);
        } else if key == "entities" {
            self.entities = Some(input.parse()?);
        } else {
            return Ok(false);
        }
        Ok(true)
    }

    /// Checks that the options go together.
    pub(crate) fn check(&self) -> syn::Result<()> {
        match (&self.schema, &self.entities) {
            (SchemaArg::File(file), None) => Err(syn::Error::new(
                file.span(),
                "with `schema = ...`, also name the module where `ftrack::schema!` generated \
                 its entity types: `entities = crate::studio`",
            )),
            (SchemaArg::Shipped, Some(path)) => Err(syn::Error::new(
                path.span(),
                "`entities = ...` goes with `schema = \"...\"`; the shipped schema's entity \
                 types are always `ftrack::entities`",
            )),
            _ => Ok(()),
        }
    }
}

/// The input of `query!`: options, then the query text.
pub(crate) struct QueryInput {
    pub(crate) options: SchemaOptions,
    pub(crate) text: LitStr,
}

impl Parse for QueryInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut options = SchemaOptions::new();
        while input.peek(syn::Ident) && input.peek2(Token![=]) {
            let key: syn::Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            if !options.parse_option(&key, input)? {
                return Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown option `{key}`; `query!` takes `schema = \"file.yaml\"` and \
                         `entities = path`"
                    ),
                ));
            }
            input.parse::<Token![,]>()?;
        }
        let text = input.parse::<LitStr>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the query as a string literal: `query!(\"select name from Shot\")`",
            )
        })?;
        input.parse::<Option<Token![,]>>()?;
        if !input.is_empty() {
            return Err(input.error("unexpected input after the query text"));
        }
        options.check()?;
        Ok(QueryInput { options, text })
    }
}

/// The input of `schema!`: the schema file.
pub(crate) struct SchemaInput {
    pub(crate) file: LitStr,
}

impl Parse for SchemaInput {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let file = input.parse::<LitStr>().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the schema file as a string literal, relative to the crate's \
                 directory: `schema!(\"studio.yaml\")`",
            )
        })?;
        input.parse::<Option<Token![,]>>()?;
        if !input.is_empty() {
            return Err(input.error("`schema!` takes only the schema file"));
        }
        Ok(SchemaInput { file })
    }
}

/// The input of `derive(Projection)`.
pub(crate) struct ProjectionInput {
    pub(crate) ident: syn::Ident,
    pub(crate) generics: syn::Generics,
    pub(crate) options: SchemaOptions,
    /// `entity_type = "Shot"`.
    pub(crate) entity_type: LitStr,
    pub(crate) fields: Vec<ProjectionField>,
}

/// One field of a projection struct.
pub(crate) struct ProjectionField {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: syn::Type,
    /// The attribute path: `#[ftrack(path = "...")]`, else the field name.
    pub(crate) path: LitStr,
}

/// Reads the struct, collecting every error.
pub(crate) fn parse_projection(input: &syn::DeriveInput) -> Result<ProjectionInput, syn::Error> {
    let mut errors: Vec<syn::Error> = Vec::new();
    let mut options = SchemaOptions::new();
    let mut entity_type: Option<LitStr> = None;

    // `#[ftrack(entity_type = "Shot", schema = "...", entities = path)]`.
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("ftrack")) {
        let result = attr.parse_nested_meta(|meta| {
            let Some(key) = meta.path.get_ident().cloned() else {
                return Err(meta.error("expected `entity_type`, `schema` or `entities`"));
            };
            let value = meta.value()?;
            if key == "entity_type" {
                entity_type = Some(value.parse()?);
                Ok(())
            } else if options.parse_option(&key, value)? {
                Ok(())
            } else {
                Err(syn::Error::new(
                    key.span(),
                    format!(
                        "unknown option `{key}`; a projection takes `entity_type = \"Shot\"`, \
                         `schema = \"file.yaml\"` and `entities = path`"
                    ),
                ))
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    if let Err(error) = options.check() {
        errors.push(error);
    }

    // The fields and their paths.
    let mut fields = Vec::new();
    match &input.data {
        syn::Data::Struct(syn::DataStruct {
            fields: syn::Fields::Named(named),
            ..
        }) => {
            for field in &named.named {
                match parse_projection_field(field) {
                    Ok(field) => fields.push(field),
                    Err(error) => errors.push(error),
                }
            }
        }
        _ => errors.push(syn::Error::new(
            input.ident.span(),
            "`derive(Projection)` needs a struct with named fields, one per attribute path",
        )),
    }

    let entity_type = entity_type.unwrap_or_else(|| {
        errors.push(syn::Error::new(
            input.ident.span(),
            "name the entity type the projection selects from: \
             `#[ftrack(entity_type = \"Shot\")]`",
        ));
        LitStr::new("", input.ident.span())
    });
    match combine(errors) {
        Some(error) => Err(error),
        None => Ok(ProjectionInput {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            options,
            entity_type,
            fields,
        }),
    }
}

fn parse_projection_field(field: &syn::Field) -> syn::Result<ProjectionField> {
    let ident = field
        .ident
        .clone()
        .expect("BUG: named fields have identifiers");
    let mut path = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("ftrack")) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("path") {
                path = Some(meta.value()?.parse::<LitStr>()?);
                Ok(())
            } else {
                Err(meta.error("a field takes `#[ftrack(path = \"parent.name\")]`"))
            }
        })?;
    }
    let unraw = ident.to_string().trim_start_matches("r#").to_owned();
    Ok(ProjectionField {
        path: path.unwrap_or_else(|| LitStr::new(&unraw, ident.span())),
        ty: field.ty.clone(),
        ident,
    })
}

/// All errors as one, or none.
pub(crate) fn combine(errors: Vec<syn::Error>) -> Option<syn::Error> {
    errors.into_iter().reduce(|mut all, next| {
        all.combine(next);
        all
    })
}
