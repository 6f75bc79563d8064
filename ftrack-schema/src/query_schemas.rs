//! Import from and export to the server's `query_schemas` answer.
//!
//! A `query_schemas` answer is a JSON array with one object per entity type
//! (`id`, `properties`, `primary_key`, ...). Import turns it into a
//! [`Schema`]; export gives back the same JSON, key for key.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::model::{Attribute, AttributeKind, EntityType, KeyValueAttributes, Schema};
use crate::ImportError;

/// Keys of an entity type object that [`EntityType`] has a field for.
const ENTITY_TYPE_KEYS: &[&str] = &[
    "id",
    "type",
    "$mixin",
    "alias_for",
    "properties",
    "primary_key",
    "required",
    "immutable",
    "computed",
    "default_projections",
    "system_projections",
    "metadata",
];

/// Keys of a property object that [`Attribute`] has a field for.
const ATTRIBUTE_KEYS: &[&str] = &[
    "type",
    "format",
    "$ref",
    "items",
    "description",
    "default",
    "alias_for",
    "restricted_projection",
    "transform",
    "enum",
    "key_value_attributes",
];

impl Schema {
    /// Builds a schema from a `query_schemas` answer, then infers the keys
    /// behind references and collections (see [`Schema::infer_relation_keys`]).
    ///
    /// # Errors
    ///
    /// [`ImportError`] when the JSON is not a list of entity type objects,
    /// or an entity type or property has a shape this model cannot keep.
    pub fn from_query_schemas(answer: &Value) -> Result<Schema, ImportError> {
        let items = answer
            .as_array()
            .ok_or_else(|| ImportError::NotQuerySchemas {
                found: json_kind(answer),
            })?;

        let mut schema = Schema::default();
        for (index, item) in items.iter().enumerate() {
            let (name, entity_type) = import_entity_type(index, item)?;
            if schema.entity_types.contains_key(&name) {
                return Err(ImportError::DuplicateEntityType { index, name });
            }
            schema.entity_types.insert(name, entity_type);
        }
        schema.infer_relation_keys();
        Ok(schema)
    }

    /// The `query_schemas` answer this schema stands for: what a server
    /// would send. Facts of ours (relation keys, descriptions of entity
    /// types, `extends` written by hand) are left out.
    pub fn to_query_schemas(&self) -> Value {
        Value::Array(
            self.entity_types
                .iter()
                .map(|(name, ty)| export_entity_type(name, ty))
                .collect(),
        )
    }

    /// Fills `foreign_key` of references and `reverse_key` of collections
    /// where the schema makes them clear, leaving keys already set alone.
    ///
    /// A reference `parent` uses `parent_id` when the entity type has it, or
    /// else the one unclaimed foreign key to the target's family
    /// (`Asset.parent` -> `context_id`, described `Context.id`). A
    /// collection uses the one foreign key of its item type that points at
    /// this entity type or a type it extends (`Foreign key(s): Context.id`);
    /// when there are several, `parent_id` wins, otherwise none is chosen and
    /// the key is left for a person to write. Items that hang off entities
    /// of many types (`parent_id` with `parent_type`: notes, metadata) use
    /// `parent_id`.
    pub fn infer_relation_keys(&mut self) {
        let mut found: Vec<(String, String, Option<String>, Option<String>)> = Vec::new();
        for (type_name, ty) in &self.entity_types {
            for (attr_name, attr) in &ty.attributes {
                let foreign_key = match attr.kind {
                    AttributeKind::Reference if attr.foreign_key.is_none() => {
                        self.infer_foreign_key(ty, attr_name)
                    }
                    _ => None,
                };
                let reverse_key = match attr.kind {
                    AttributeKind::Collection | AttributeKind::MappedCollection
                        if attr.reverse_key.is_none() =>
                    {
                        self.infer_reverse_key(type_name, attr_name, attr)
                    }
                    _ => None,
                };
                if foreign_key.is_some() || reverse_key.is_some() {
                    found.push((
                        type_name.clone(),
                        attr_name.clone(),
                        foreign_key,
                        reverse_key,
                    ));
                }
            }
        }

        for (type_name, attr_name, foreign_key, reverse_key) in found {
            let attr = self
                .entity_types
                .get_mut(&type_name)
                .and_then(|ty| ty.attributes.get_mut(&attr_name))
                .expect("BUG: inferred a key for an attribute that is not there");
            if foreign_key.is_some() {
                attr.foreign_key = foreign_key;
            }
            if reverse_key.is_some() {
                attr.reverse_key = reverse_key;
            }
        }
    }

    fn infer_foreign_key(&self, ty: &EntityType, reference: &str) -> Option<String> {
        let candidate = format!("{reference}_id");
        if ty
            .attributes
            .get(&candidate)
            .is_some_and(|a| !a.kind.is_relation())
        {
            return Some(candidate);
        }

        // Otherwise the one foreign key to the target's family that no other
        // reference claims by name (`Asset.parent` -> `context_id`).
        let target = ty.attributes.get(reference)?.entity_type.as_deref()?;
        let claimed = |key: &str| {
            key.strip_suffix("_id")
                .and_then(|name| ty.attributes.get(name))
                .is_some_and(|a| a.kind == AttributeKind::Reference)
        };
        let candidates: Vec<&String> = ty
            .attributes
            .iter()
            .filter(|(name, attr)| {
                !claimed(name)
                    && attr.foreign_key_target().is_some_and(|(points_at, _)| {
                        self.is_kind_of(points_at, target) || self.is_kind_of(target, points_at)
                    })
            })
            .map(|(name, _)| name)
            .collect();
        match candidates.as_slice() {
            [only] => Some((*only).clone()),
            _ => None,
        }
    }

    fn infer_reverse_key(&self, owner: &str, name: &str, collection: &Attribute) -> Option<String> {
        // `ancestors` and `descendants` are the hierarchy around an entity,
        // found by following `parent_id` as many steps as it goes; no one
        // key of the item type says which items belong.
        if matches!(name, "ancestors" | "descendants") {
            return None;
        }
        let item_type = self.entity_type(collection.entity_type.as_deref()?)?;
        let candidates: Vec<&str> = item_type
            .attributes
            .iter()
            .filter(|(_, attr)| {
                attr.foreign_key_target()
                    .is_some_and(|(target, _)| self.is_kind_of(owner, target))
            })
            .map(|(name, _)| name.as_str())
            .collect();
        match candidates.as_slice() {
            [only] => Some((*only).to_owned()),
            several if several.contains(&"parent_id") => Some("parent_id".to_owned()),
            // Notes, metadata and status changes hang off entities of many
            // types through `parent_id` plus `parent_type`.
            [] if item_type.attributes.contains_key("parent_id")
                && item_type.attributes.contains_key("parent_type") =>
            {
                Some("parent_id".to_owned())
            }
            _ => None,
        }
    }
}

fn import_entity_type(index: usize, item: &Value) -> Result<(String, EntityType), ImportError> {
    let object = item.as_object().ok_or_else(|| ImportError::Shape {
        at: format!("entity type {index}"),
        message: format!("expected an object, found {}", json_kind(item)),
    })?;
    let name = match object.get("id") {
        Some(Value::String(name)) => name.clone(),
        _ => {
            return Err(ImportError::Shape {
                at: format!("entity type {index}"),
                message: "has no string `id` naming the entity type".to_owned(),
            })
        }
    };
    let at = |key: &str| format!("entity type {index} (`{name}`) key `{key}`");

    // The server's keys, one by one.
    let mut ty = EntityType {
        mixin: true,
        ..EntityType::default()
    };
    match object.get("type") {
        Some(Value::String(kind)) if kind == "object" => {}
        None => ty.untyped = true,
        Some(other) => {
            ty.untyped = true;
            ty.extra.insert("type".to_owned(), other.clone());
        }
    }
    if let Some(mixin) = object.get("$mixin") {
        let base = mixin.get("$ref").and_then(Value::as_str);
        let only_known_keys = mixin
            .as_object()
            .is_some_and(|m| m.keys().all(|k| k == "$ref" || k == "hints"));
        match base {
            Some(base) if only_known_keys => {
                ty.extends = Some(base.to_owned());
                ty.mixin_hints = mixin.get("hints").cloned();
            }
            _ => {
                return Err(ImportError::Shape {
                    at: at("$mixin"),
                    message: "expected an object with a string `$ref` and optional `hints`"
                        .to_owned(),
                })
            }
        }
    }
    ty.alias_for = object.get("alias_for").cloned();
    ty.primary_key = string_list(object, "primary_key", &at)?;
    ty.required = string_list(object, "required", &at)?;
    ty.immutable = string_list(object, "immutable", &at)?;
    ty.computed = string_list(object, "computed", &at)?;
    ty.default_projections = string_list(object, "default_projections", &at)?;
    ty.system_projections = string_list(object, "system_projections", &at)?;
    ty.metadata = object.get("metadata").cloned();
    for (key, value) in object {
        if !ENTITY_TYPE_KEYS.contains(&key.as_str()) {
            ty.extra.insert(key.clone(), value.clone());
        }
    }

    // Then its attributes.
    let properties = match object.get("properties") {
        Some(Value::Object(properties)) => properties,
        None => &Map::new(),
        Some(other) => {
            return Err(ImportError::Shape {
                at: at("properties"),
                message: format!("expected an object, found {}", json_kind(other)),
            })
        }
    };
    let mut attributes = IndexMap::new();
    for (attr_name, property) in properties {
        let attribute = import_attribute(property).map_err(|message| ImportError::Shape {
            at: format!("entity type {index} (`{name}`) attribute `{attr_name}`"),
            message,
        })?;
        attributes.insert(attr_name.clone(), attribute);
    }
    ty.attributes = attributes;
    Ok((name, ty))
}

fn import_attribute(property: &Value) -> Result<Attribute, String> {
    let object = property
        .as_object()
        .ok_or_else(|| format!("expected an object, found {}", json_kind(property)))?;
    let text = |key: &str| -> Result<Option<String>, String> {
        match object.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(format!(
                "`{key}` should be a string, found {}",
                json_kind(other)
            )),
        }
    };
    let mut format = text("format")?;
    let reference = text("$ref")?;
    let items = object.get("items");
    let item_ref = items.and_then(|i| i.get("$ref")).and_then(Value::as_str);
    let mut extra = BTreeMap::new();

    // The kind, from `type`, `format`, `$ref` and `items`.
    let kind = match text("type")?.as_deref() {
        Some("string") => match format.as_deref() {
            Some("date-time") => {
                format = None;
                AttributeKind::Datetime
            }
            Some("date") => {
                format = None;
                AttributeKind::Date
            }
            _ => AttributeKind::String,
        },
        Some("integer") => AttributeKind::Integer,
        Some("number") => AttributeKind::Number,
        Some("boolean") => AttributeKind::Boolean,
        Some("object") => AttributeKind::Json,
        Some("variable") => AttributeKind::Variable,
        Some("array") => AttributeKind::Collection,
        Some("mapped_array") => AttributeKind::MappedCollection,
        Some(other) => return Err(format!("unknown type `{other}`")),
        None if reference.is_some() => AttributeKind::Reference,
        None => AttributeKind::Untyped,
    };
    let entity_type = if kind.is_collection() {
        let item_ref = item_ref.ok_or("a collection needs `items` with a `$ref`")?;
        let items_simple = items
            .and_then(Value::as_object)
            .is_some_and(|i| i.len() == 1);
        if !items_simple {
            extra.insert("items".to_owned(), items.cloned().unwrap_or(Value::Null));
        }
        if let Some(reference) = &reference {
            extra.insert("$ref".to_owned(), Value::String(reference.clone()));
        }
        Some(item_ref.to_owned())
    } else {
        if let Some(items) = items {
            extra.insert("items".to_owned(), items.clone());
        }
        reference
    };

    let key_value_attributes = match object.get("key_value_attributes") {
        None => None,
        Some(value) => Some(
            serde_json::from_value::<KeyValueAttributes>(value.clone())
                .map_err(|e| format!("`key_value_attributes`: {e}"))?,
        ),
    };
    let restricted_projection = match object.get("restricted_projection") {
        None => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(other) => {
            extra.insert("restricted_projection".to_owned(), other.clone());
            None
        }
    };
    let allowed = match object.get("enum") {
        None => None,
        Some(Value::Array(values)) => Some(values.clone()),
        Some(other) => {
            return Err(format!(
                "`enum` should be a list, found {}",
                json_kind(other)
            ))
        }
    };
    for (key, value) in object {
        if !ATTRIBUTE_KEYS.contains(&key.as_str()) {
            extra.insert(key.clone(), value.clone());
        }
    }

    Ok(Attribute {
        kind,
        entity_type,
        format,
        description: text("description")?,
        default: object.get("default").cloned(),
        alias_for: object.get("alias_for").cloned(),
        restricted_projection,
        transform: object.get("transform").cloned(),
        allowed,
        key_value_attributes,
        foreign_key: None,
        reverse_key: None,
        custom: false,
        extra,
    })
}

fn export_entity_type(name: &str, ty: &EntityType) -> Value {
    let mut object = Map::new();
    object.insert("id".to_owned(), Value::String(name.to_owned()));
    if !ty.untyped {
        object.insert("type".to_owned(), Value::String("object".to_owned()));
    }
    if let (Some(base), true) = (&ty.extends, ty.mixin) {
        let mut mixin = Map::new();
        mixin.insert("$ref".to_owned(), Value::String(base.clone()));
        if let Some(hints) = &ty.mixin_hints {
            mixin.insert("hints".to_owned(), hints.clone());
        }
        object.insert("$mixin".to_owned(), Value::Object(mixin));
    }
    if let Some(alias_for) = &ty.alias_for {
        object.insert("alias_for".to_owned(), alias_for.clone());
    }

    let properties = ty
        .attributes
        .iter()
        .map(|(attr_name, attr)| (attr_name.clone(), export_attribute(attr)))
        .collect();
    object.insert("properties".to_owned(), Value::Object(properties));

    let lists = [
        ("primary_key", &ty.primary_key),
        ("required", &ty.required),
        ("immutable", &ty.immutable),
        ("computed", &ty.computed),
        ("default_projections", &ty.default_projections),
        ("system_projections", &ty.system_projections),
    ];
    for (key, list) in lists {
        if let Some(list) = list {
            let list = list.iter().cloned().map(Value::String).collect();
            object.insert(key.to_owned(), Value::Array(list));
        }
    }
    if let Some(metadata) = &ty.metadata {
        object.insert("metadata".to_owned(), metadata.clone());
    }
    for (key, value) in &ty.extra {
        object.insert(key.clone(), value.clone());
    }
    Value::Object(object)
}

fn export_attribute(attr: &Attribute) -> Value {
    let mut object = Map::new();
    let text = |s: &str| Value::String(s.to_owned());

    // `type`, `format`, `$ref` and `items` from the kind.
    let (server_type, implied_format) = match attr.kind {
        AttributeKind::String => (Some("string"), None),
        AttributeKind::Integer => (Some("integer"), None),
        AttributeKind::Number => (Some("number"), None),
        AttributeKind::Boolean => (Some("boolean"), None),
        AttributeKind::Datetime => (Some("string"), Some("date-time")),
        AttributeKind::Date => (Some("string"), Some("date")),
        AttributeKind::Json => (Some("object"), None),
        AttributeKind::Variable => (Some("variable"), None),
        AttributeKind::Collection => (Some("array"), None),
        AttributeKind::MappedCollection => (Some("mapped_array"), None),
        AttributeKind::Reference | AttributeKind::Untyped => (None, None),
    };
    if let Some(server_type) = server_type {
        object.insert("type".to_owned(), text(server_type));
    }
    if let Some(format) = implied_format.or(attr.format.as_deref()) {
        object.insert("format".to_owned(), text(format));
    }
    if let Some(target) = &attr.entity_type {
        if attr.kind.is_collection() {
            let mut items = Map::new();
            items.insert("$ref".to_owned(), text(target));
            object.insert("items".to_owned(), Value::Object(items));
        } else {
            object.insert("$ref".to_owned(), text(target));
        }
    }

    // The other keys, as they came.
    if let Some(description) = &attr.description {
        object.insert("description".to_owned(), text(description));
    }
    let copied = [
        ("default", &attr.default),
        ("alias_for", &attr.alias_for),
        ("transform", &attr.transform),
    ];
    for (key, value) in copied {
        if let Some(value) = value {
            object.insert(key.to_owned(), value.clone());
        }
    }
    if let Some(restricted) = attr.restricted_projection {
        object.insert("restricted_projection".to_owned(), Value::Bool(restricted));
    }
    if let Some(allowed) = &attr.allowed {
        object.insert("enum".to_owned(), Value::Array(allowed.clone()));
    }
    if let Some(kv) = &attr.key_value_attributes {
        let mut map = Map::new();
        map.insert("key".to_owned(), text(&kv.key));
        map.insert("value".to_owned(), text(&kv.value));
        object.insert("key_value_attributes".to_owned(), Value::Object(map));
    }
    for (key, value) in &attr.extra {
        object.insert(key.clone(), value.clone());
    }
    Value::Object(object)
}

fn string_list(
    object: &Map<String, Value>,
    key: &str,
    at: &dyn Fn(&str) -> String,
) -> Result<Option<Vec<String>>, ImportError> {
    let Some(value) = object.get(key) else {
        return Ok(None);
    };
    let list = value.as_array().and_then(|items| {
        items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
    });
    match list {
        Some(list) => Ok(Some(list)),
        None => Err(ImportError::Shape {
            at: at(key),
            message: format!("expected a list of names, found {}", json_kind(value)),
        }),
    }
}

/// A word for the kind of a JSON value, for messages.
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
