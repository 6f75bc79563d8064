//! What the emulator derives once from the schema: which entity types are
//! kinds of which, the public names of system projections, the targets of
//! foreign keys, the schema export and its hash.

use std::collections::{HashMap, HashSet};

use ftrack_schema::{Attribute, AttributeKind, EntityType, Schema};
use serde_json::Value;

use crate::schema_hash::schema_hash;

/// The entity type every shot, sequence and task is a kind of.
pub(crate) const TYPED_CONTEXT: &str = "TypedContext";
/// The entity type of projects and typed contexts.
pub(crate) const CONTEXT: &str = "Context";

/// The schema and the facts derived from it.
pub(crate) struct Model {
    pub(crate) schema: Schema,
    /// For each entity type, the entity types that are it or extend it.
    kinds: HashMap<String, Vec<String>>,
    /// For each entity type, the same as `kinds` as a set.
    kind_of: HashMap<String, HashSet<String>>,
    /// For each entity type, its system projections under public names.
    system: HashMap<String, Vec<String>>,
    /// `(entity type, foreign key attribute)` -> the entity type it points at.
    foreign: HashMap<(String, String), String>,
    /// The `query_schemas` answer.
    pub(crate) exported: Value,
    /// Its hash, as `query_server_information` gives it.
    pub(crate) hash: String,
}

impl Model {
    pub(crate) fn new(schema: Schema) -> Model {
        let mut kinds = HashMap::new();
        let mut system = HashMap::new();
        let mut foreign = HashMap::new();
        let mut kind_of = HashMap::new();
        for (name, ty) in &schema.entity_types {
            let list: Vec<String> = schema.kinds_of(name).map(str::to_owned).collect();
            kind_of.insert(name.clone(), list.iter().cloned().collect::<HashSet<_>>());
            kinds.insert(name.clone(), list);
            system.insert(name.clone(), public_system_projections(&schema, name, ty));
            for attribute_name in schema.attribute_names(name) {
                let Some(attribute) = schema.attribute(name, attribute_name) else {
                    continue;
                };
                if attribute.kind == AttributeKind::Reference {
                    if let (Some(key), Some(target)) =
                        (&attribute.foreign_key, &attribute.entity_type)
                    {
                        foreign.insert((name.clone(), key.clone()), target.clone());
                    }
                }
            }
            for attribute_name in schema.attribute_names(name) {
                let Some(attribute) = schema.attribute(name, attribute_name) else {
                    continue;
                };
                let key = (name.clone(), attribute_name.to_owned());
                if foreign.contains_key(&key) {
                    continue;
                }
                if let Some((target, _)) = attribute.foreign_key_target() {
                    if schema.entity_type(target).is_some() {
                        foreign.insert(key, target.to_owned());
                    }
                }
            }
        }
        let exported = schema.to_query_schemas();
        let hash = schema_hash(&exported);
        Model {
            schema,
            kinds,
            kind_of,
            system,
            foreign,
            exported,
            hash,
        }
    }

    pub(crate) fn entity_type(&self, name: &str) -> Option<&EntityType> {
        self.schema.entity_type(name)
    }

    pub(crate) fn attribute(&self, entity_type: &str, name: &str) -> Option<&Attribute> {
        self.schema.attribute(entity_type, name)
    }

    /// The entity types that are `entity_type` or extend it (a query on
    /// `TypedContext` searches all of these).
    pub(crate) fn kinds(&self, entity_type: &str) -> &[String] {
        self.kinds
            .get(entity_type)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    pub(crate) fn is_kind_of(&self, entity_type: &str, ancestor: &str) -> bool {
        entity_type == ancestor
            || self
                .kind_of
                .get(ancestor)
                .is_some_and(|kinds| kinds.contains(entity_type))
    }

    pub(crate) fn primary_key(&self, entity_type: &str) -> &[String] {
        self.entity_type(entity_type)
            .map(EntityType::primary_key)
            .unwrap_or(&[])
    }

    /// The system projections of `entity_type` under the names clients see,
    /// plus `object_type_id` for typed contexts (the recorded answers carry
    /// it although the schema does not list it).
    pub(crate) fn system_projections(&self, entity_type: &str) -> &[String] {
        self.system
            .get(entity_type)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// The entity type the foreign key `attribute` of `entity_type` points at.
    pub(crate) fn foreign_target(&self, entity_type: &str, attribute: &str) -> Option<&str> {
        self.foreign
            .get(&(entity_type.to_owned(), attribute.to_owned()))
            .map(String::as_str)
    }

    /// Every foreign key attribute of `entity_type` with its target.
    pub(crate) fn foreign_keys<'a>(
        &'a self,
        entity_type: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
        self.schema
            .attribute_names(entity_type)
            .into_iter()
            .filter_map(move |name| Some((name, self.foreign_target(entity_type, name)?)))
    }

    /// Whether `entity_type` is a kind of `TypedContext` (shot, task...).
    pub(crate) fn is_typed_context(&self, entity_type: &str) -> bool {
        entity_type != TYPED_CONTEXT && self.is_kind_of(entity_type, TYPED_CONTEXT)
    }

    /// The name the server uses for `entity_type` in custom attribute
    /// configurations (PROTOCOL.md 11): `task` for typed contexts, `show`
    /// for projects, the lower-case name otherwise.
    pub(crate) fn server_entity_name(&self, entity_type: &str) -> String {
        if self.is_kind_of(entity_type, TYPED_CONTEXT) {
            "task".to_owned()
        } else if entity_type == "Project" {
            "show".to_owned()
        } else if entity_type == "TypedContextList" || entity_type == "AssetVersionList" {
            "list".to_owned()
        } else {
            entity_type.to_ascii_lowercase()
        }
    }

    /// The object type id a typed context subtype is filtered by, from its
    /// `alias_for` classifiers (`Shot` -> the Shot object type).
    pub(crate) fn object_type_of(&self, entity_type: &str) -> Option<&str> {
        self.entity_type(entity_type)?
            .alias_for
            .as_ref()?
            .get("classifiers")?
            .get("object_typeid")?
            .as_str()
    }
}

fn public_system_projections(schema: &Schema, name: &str, ty: &EntityType) -> Vec<String> {
    let attributes = schema.attribute_names(name);
    let mut public: Vec<String> = Vec::new();
    for server_name in ty.system_projections.as_deref().unwrap_or(&[]) {
        let found = attributes.iter().find(|attribute| {
            **attribute == server_name.as_str()
                || schema
                    .attribute(name, attribute)
                    .and_then(|a| a.alias_for.as_ref())
                    .and_then(Value::as_str)
                    .is_some_and(|alias| {
                        alias == server_name || alias == server_name.trim_start_matches('_')
                    })
        });
        if let Some(attribute) = found {
            if !public.iter().any(|p| p == attribute) {
                public.push((*attribute).to_owned());
            }
        }
    }
    if name != TYPED_CONTEXT
        && schema.is_kind_of(name, TYPED_CONTEXT)
        && attributes.contains(&"object_type_id")
        && !public.iter().any(|p| p == "object_type_id")
    {
        public.push("object_type_id".to_owned());
    }
    public
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::new(crate::shipped_schema().unwrap())
    }

    #[test]
    fn system_projections_use_public_names() {
        let model = model();
        assert_eq!(
            model.system_projections("Task"),
            ["project_id", "context_type", "object_type_id"]
        );
        assert_eq!(
            model.system_projections("ContextCustomAttributeValue"),
            ["entity_id", "key", "value"]
        );
        assert_eq!(model.system_projections("User"), ["resource_type"]);
        assert_eq!(model.system_projections("Status"), [] as [String; 0]);
    }

    #[test]
    fn foreign_keys_point_at_their_entity_types() {
        let model = model();
        assert_eq!(model.foreign_target("Task", "status_id"), Some("Status"));
        assert_eq!(model.foreign_target("Task", "parent_id"), Some("Context"));
        assert_eq!(model.foreign_target("Timer", "user_id"), Some("User"));
        assert_eq!(model.foreign_target("Task", "name"), None);
    }

    #[test]
    fn base_types_list_their_kinds() {
        let model = model();
        let kinds = model.kinds("TypedContext");
        for name in ["Shot", "Task", "Sequence", "AssetBuild"] {
            assert!(kinds.iter().any(|k| k == name), "{name}");
        }
        assert!(model.kinds("Context").iter().any(|k| k == "Project"));
        assert_eq!(model.server_entity_name("Shot"), "task");
        assert_eq!(model.server_entity_name("Project"), "show");
        assert_eq!(
            model.object_type_of("Shot"),
            Some("bad911de-3bd6-47b9-8b46-3476e237cb36")
        );
    }
}
