//! The schema model: entity types and their attributes, as written in YAML.

use std::collections::BTreeMap;
use std::fmt;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A whole entity schema: every entity type a server knows, in file order.
///
/// The YAML form is a map from entity type name to [`EntityType`] under the
/// key `entity_types`; see `schema/README.md` for an example.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// Entity types by name (`Shot`, `AssetVersion`, ...), in file order.
    pub entity_types: IndexMap<String, EntityType>,
}

/// One entity type: its attributes and the facts the server states about it.
///
/// Fields other than `description`, `extends`, `mixin`, `custom` and the
/// relation keys of attributes mirror the keys of a `query_schemas` answer one
/// to one, so that export gives back exactly what the server said.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityType {
    /// What the entity type is for. Ours: servers do not describe types.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The entity type this one is a kind of (`Shot` extends `TypedContext`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extends: Option<String>,
    /// Whether the server declares `extends` as `$mixin`. `false` marks an
    /// `extends` written by hand for a server that does not send `$mixin`;
    /// export then leaves it out.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub mixin: bool,
    /// The `hints` of the server's `$mixin`, kept for export.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub mixin_hints: Option<Value>,
    /// The backing model on the server: a name, or an object with `id` and
    /// `classifiers` for filtered views (every `TypedContext` subtype).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub alias_for: Option<Value>,
    /// Attributes that identify an entity, in `entity_key` order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Vec<String>>,
    /// Attributes that must be set by the end of a batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Vec<String>>,
    /// Attributes that cannot change after creation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<Vec<String>>,
    /// Attributes the server computes; read-only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub computed: Option<Vec<String>>,
    /// Attributes a query selects when it names none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_projections: Option<Vec<String>>,
    /// Attributes always returned, by their server-side column names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system_projections: Option<Vec<String>>,
    /// Schema-level metadata of newer servers, e.g. `{group_by: true}`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub metadata: Option<Value>,
    /// `true` when the server's schema has no `"type": "object"` key.
    #[serde(default, skip_serializing_if = "is_false")]
    pub untyped: bool,
    /// `true` for an entity type added by hand (a studio's own); kept by a
    /// later import that does not know it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub custom: bool,
    /// Keys of the server's schema this model has no field for, kept as they
    /// came so that export loses nothing.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Value>,
    /// The attributes, by name, in file order.
    #[serde(default)]
    pub attributes: IndexMap<String, Attribute>,
}

/// One attribute of an entity type: a scalar, a reference to one entity, or
/// a collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribute {
    /// What the attribute holds.
    #[serde(rename = "type")]
    pub kind: AttributeKind,
    /// The related entity type: the target of a reference, the item type of
    /// a collection (the server's `$ref`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    /// The server's `format` where the kind does not already say it:
    /// `foreign_key`, `json` (a string holding JSON), `integer`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// The server's description (for a foreign key it names the target,
    /// `Foreign key(s): Status.id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The default value; the string `{uid}` means a new UUID.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub default: Option<Value>,
    /// The server-side name of the attribute; clients ignore it.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub alias_for: Option<Value>,
    /// `true` when the attribute cannot be selected in a query.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restricted_projection: Option<bool>,
    /// How the server translates the value (`{schema_id}` <-> table name).
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub transform: Option<Value>,
    /// The values the attribute allows.
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<Value>>,
    /// For a mapped collection: which item attributes are key and value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_value_attributes: Option<KeyValueAttributes>,
    /// For a reference: the attribute of this entity type that holds the
    /// target's primary key (`parent` -> `parent_id`). Ours, not the server's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub foreign_key: Option<String>,
    /// For a collection: the attribute of the item type that holds this
    /// entity's primary key (`children` of a Context -> `parent_id`). Ours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse_key: Option<String>,
    /// `true` for an attribute added by hand (a custom attribute); kept by a
    /// later import that does not know it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub custom: bool,
    /// Keys of the server's property this model has no field for.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Value>,
}

/// Which item attributes of a mapped collection form its key and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyValueAttributes {
    /// The item attribute used as the map key (`key`).
    pub key: String,
    /// The item attribute used as the map value (`value`).
    pub value: String,
}

/// What an attribute holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeKind {
    /// Text (`"type": "string"`).
    String,
    /// A whole number.
    Integer,
    /// A floating-point number (`"type": "number"`).
    Number,
    /// `true` or `false`.
    Boolean,
    /// A point in time (`"format": "date-time"`).
    Datetime,
    /// A calendar date (`"format": "date"`).
    Date,
    /// Opaque JSON (`"type": "object"`).
    Json,
    /// Any JSON value, as custom attribute values hold.
    Variable,
    /// One related entity (`$ref` without a type).
    Reference,
    /// A list of related entities (`"type": "array"`).
    Collection,
    /// Key/value items such as `metadata` (`"type": "mapped_array"`).
    MappedCollection,
    /// The server gave neither a type nor a `$ref`.
    Untyped,
}

impl AttributeKind {
    /// The name used in YAML and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributeKind::String => "string",
            AttributeKind::Integer => "integer",
            AttributeKind::Number => "number",
            AttributeKind::Boolean => "boolean",
            AttributeKind::Datetime => "datetime",
            AttributeKind::Date => "date",
            AttributeKind::Json => "json",
            AttributeKind::Variable => "variable",
            AttributeKind::Reference => "reference",
            AttributeKind::Collection => "collection",
            AttributeKind::MappedCollection => "mapped_collection",
            AttributeKind::Untyped => "untyped",
        }
    }

    /// Whether the attribute relates to other entities (reference or
    /// collection of either kind).
    pub fn is_relation(self) -> bool {
        matches!(
            self,
            AttributeKind::Reference | AttributeKind::Collection | AttributeKind::MappedCollection
        )
    }

    /// Whether the attribute holds many entities.
    pub fn is_collection(self) -> bool {
        matches!(
            self,
            AttributeKind::Collection | AttributeKind::MappedCollection
        )
    }
}

impl fmt::Display for AttributeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Attribute {
    /// A new attribute of `kind` with nothing else set.
    pub fn new(kind: AttributeKind) -> Self {
        Attribute {
            kind,
            entity_type: None,
            format: None,
            description: None,
            default: None,
            alias_for: None,
            restricted_projection: None,
            transform: None,
            allowed: None,
            key_value_attributes: None,
            foreign_key: None,
            reverse_key: None,
            custom: false,
            extra: BTreeMap::new(),
        }
    }

    /// The related entity type of a reference or collection.
    pub fn target(&self) -> Option<&str> {
        if self.kind.is_relation() {
            self.entity_type.as_deref()
        } else {
            None
        }
    }

    /// Whether the attribute holds the id of another entity
    /// (`"format": "foreign_key"`).
    pub fn is_foreign_key(&self) -> bool {
        self.format.as_deref() == Some("foreign_key")
    }

    /// The entity type a foreign key points at, read from the server's
    /// description `Foreign key(s): Status.id`.
    pub fn foreign_key_target(&self) -> Option<(&str, &str)> {
        if !self.is_foreign_key() {
            return None;
        }
        let described = self.description.as_deref()?;
        let target = described.strip_prefix("Foreign key(s):")?.trim();
        let target = target.split(',').next()?.trim();
        target.split_once('.')
    }

    /// Whether a query may select the attribute.
    pub fn is_projectable(&self) -> bool {
        self.restricted_projection != Some(true)
    }
}

impl EntityType {
    /// The primary key attributes, or none when the server gave none.
    pub fn primary_key(&self) -> &[String] {
        self.primary_key.as_deref().unwrap_or(&[])
    }

    /// The default projections, or none.
    pub fn default_projections(&self) -> &[String] {
        self.default_projections.as_deref().unwrap_or(&[])
    }

    /// Attributes that must be set by the end of a batch.
    pub fn required(&self) -> &[String] {
        self.required.as_deref().unwrap_or(&[])
    }

    /// Attributes that cannot change after creation.
    pub fn immutable(&self) -> &[String] {
        self.immutable.as_deref().unwrap_or(&[])
    }

    /// Attributes the server computes.
    pub fn computed(&self) -> &[String] {
        self.computed.as_deref().unwrap_or(&[])
    }
}

impl Schema {
    /// The entity type called `name`.
    pub fn entity_type(&self, name: &str) -> Option<&EntityType> {
        self.entity_types.get(name)
    }

    /// The names of all entity types, in file order.
    pub fn entity_type_names(&self) -> impl Iterator<Item = &str> {
        self.entity_types.keys().map(String::as_str)
    }

    /// The attribute `attribute` of `entity_type`, looked up on the entity
    /// type and then along its `extends` chain.
    ///
    /// Servers repeat inherited attributes on every entity type, so the
    /// chain only matters for attributes added by hand to a base type.
    pub fn attribute(&self, entity_type: &str, attribute: &str) -> Option<&Attribute> {
        self.ancestry(entity_type)
            .find_map(|(_, ty)| ty.attributes.get(attribute))
    }

    /// Every attribute name of `entity_type`, its own first and then those it
    /// inherits, each once.
    pub fn attribute_names(&self, entity_type: &str) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for (_, ty) in self.ancestry(entity_type) {
            for name in ty.attributes.keys() {
                if !names.contains(&name.as_str()) {
                    names.push(name);
                }
            }
        }
        names
    }

    /// `entity_type` followed by the types it extends, nearest first. Stops
    /// at an unknown name or a cycle (validation reports both).
    pub fn ancestry<'a>(
        &'a self,
        entity_type: &str,
    ) -> impl Iterator<Item = (&'a str, &'a EntityType)> + 'a {
        let mut next = self.entity_types.get_key_value(entity_type);
        let mut steps = 0usize;
        std::iter::from_fn(move || {
            let (name, ty) = next.take()?;
            steps += 1;
            if steps <= self.entity_types.len() {
                next = ty
                    .extends
                    .as_deref()
                    .and_then(|parent| self.entity_types.get_key_value(parent));
            }
            Some((name.as_str(), ty))
        })
    }

    /// Whether `entity_type` is `ancestor` or extends it, directly or not.
    pub fn is_kind_of(&self, entity_type: &str, ancestor: &str) -> bool {
        self.ancestry(entity_type).any(|(name, _)| name == ancestor)
    }

    /// The entity types that are `entity_type` or extend it, in file order.
    /// A query on `TypedContext` finds shots and tasks through this.
    pub fn kinds_of<'a>(&'a self, entity_type: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.entity_type_names()
            .filter(move |name| self.is_kind_of(name, entity_type))
    }

    /// How many attributes all entity types hold together.
    pub fn attribute_count(&self) -> usize {
        self.entity_types.values().map(|t| t.attributes.len()).sum()
    }
}

/// Keeps an explicit `null` as `Some(Value::Null)`: a server that says
/// `"default": null` is not the same as one that says nothing.
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn is_false(value: &bool) -> bool {
    !*value
}
