//! Differences between two schemas, and merging a new import into a
//! curated schema.

use std::fmt;

use crate::model::{AttributeKind, Schema};

/// What changed from one schema to another: entity types and attributes
/// added, removed, or changed in kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    /// Entity types only the new schema has.
    pub added: Vec<String>,
    /// Entity types only the old schema has.
    pub removed: Vec<String>,
    /// Entity types both have whose attributes differ.
    pub changed: Vec<EntityTypeDiff>,
}

/// How the attributes of one entity type differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntityTypeDiff {
    /// The entity type.
    pub entity_type: String,
    /// Attributes only the new schema has.
    pub added: Vec<String>,
    /// Attributes only the old schema has.
    pub removed: Vec<String>,
    /// Attributes whose kind or related entity type changed.
    pub changed: Vec<AttributeChange>,
}

/// One attribute whose kind or related entity type changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeChange {
    /// The attribute.
    pub attribute: String,
    /// Its kind (and related type) in the old schema, e.g. `reference Context`.
    pub old: String,
    /// Its kind (and related type) in the new schema.
    pub new: String,
}

impl SchemaDiff {
    /// Whether the two schemas have the same entity types and attributes.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

impl Schema {
    /// What changed from `self` (old) to `new`.
    pub fn diff(&self, new: &Schema) -> SchemaDiff {
        let mut diff = SchemaDiff {
            added: names_missing_from(new.entity_type_names(), self),
            removed: names_missing_from(self.entity_type_names(), new),
            changed: Vec::new(),
        };
        for (name, old_type) in &self.entity_types {
            let Some(new_type) = new.entity_type(name) else {
                continue;
            };
            let mut type_diff = EntityTypeDiff {
                entity_type: name.clone(),
                added: Vec::new(),
                removed: Vec::new(),
                changed: Vec::new(),
            };
            for (attr_name, new_attr) in &new_type.attributes {
                match old_type.attributes.get(attr_name) {
                    None => type_diff.added.push(attr_name.clone()),
                    Some(old_attr) => {
                        let old = describe(old_attr.kind, old_attr.entity_type.as_deref());
                        let new = describe(new_attr.kind, new_attr.entity_type.as_deref());
                        if old != new {
                            type_diff.changed.push(AttributeChange {
                                attribute: attr_name.clone(),
                                old,
                                new,
                            });
                        }
                    }
                }
            }
            for attr_name in old_type.attributes.keys() {
                if !new_type.attributes.contains_key(attr_name) {
                    type_diff.removed.push(attr_name.clone());
                }
            }
            if !(type_diff.added.is_empty()
                && type_diff.removed.is_empty()
                && type_diff.changed.is_empty())
            {
                diff.changed.push(type_diff);
            }
        }
        diff
    }
}

fn names_missing_from<'a>(names: impl Iterator<Item = &'a str>, other: &Schema) -> Vec<String> {
    names
        .filter(|name| other.entity_type(name).is_none())
        .map(str::to_owned)
        .collect()
}

fn describe(kind: AttributeKind, entity_type: Option<&str>) -> String {
    match entity_type {
        Some(target) => format!("{kind} {target}"),
        None => kind.to_string(),
    }
}

impl fmt::Display for SchemaDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return writeln!(f, "no differences");
        }
        writeln!(
            f,
            "{} entity types added, {} removed, {} changed",
            self.added.len(),
            self.removed.len(),
            self.changed.len()
        )?;
        for name in &self.added {
            writeln!(f, "+ {name}")?;
        }
        for name in &self.removed {
            writeln!(f, "- {name}")?;
        }
        for ty in &self.changed {
            writeln!(f, "~ {}", ty.entity_type)?;
            for name in &ty.added {
                writeln!(f, "    + {name}")?;
            }
            for name in &ty.removed {
                writeln!(f, "    - {name}")?;
            }
            for change in &ty.changed {
                writeln!(
                    f,
                    "    ~ {}: {} -> {}",
                    change.attribute, change.old, change.new
                )?;
            }
        }
        Ok(())
    }
}

/// What [`Schema::merge_curated`] kept from the curated schema and what the
/// new import changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// One line per hand-written fact kept (`kept custom attribute
    /// Shot.fps`).
    pub kept: Vec<String>,
    /// What the import changed relative to the curated schema.
    pub changes: SchemaDiff,
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in &self.kept {
            writeln!(f, "{line}")?;
        }
        write!(f, "{}", self.changes)
    }
}

impl Schema {
    /// Merges a fresh import (`self`) with a curated schema, keeping what was
    /// written by hand: custom entity types and attributes, descriptions of
    /// entity types, `extends` the server does not send, and relation keys.
    /// Returns the merged schema and a report of what was kept and what
    /// changed.
    pub fn merge_curated(mut self, curated: &Schema) -> (Schema, MergeReport) {
        let changes = curated.diff(&self);
        let mut kept = Vec::new();

        for (name, old) in &curated.entity_types {
            let Some(new) = self.entity_types.get_mut(name) else {
                if old.custom {
                    kept.push(format!("kept custom entity type {name}"));
                    self.entity_types.insert(name.clone(), old.clone());
                }
                continue;
            };

            // Facts about the entity type.
            if new.description.is_none() && old.description.is_some() {
                new.description = old.description.clone();
            }
            if new.extends.is_none() {
                if let Some(parent) = &old.extends {
                    kept.push(format!("kept {name} extends {parent}"));
                    new.extends = Some(parent.clone());
                    new.mixin = false;
                }
            }

            // Facts about its attributes.
            for (attr_name, old_attr) in &old.attributes {
                match new.attributes.get_mut(attr_name) {
                    None if old_attr.custom => {
                        kept.push(format!("kept custom attribute {name}.{attr_name}"));
                        new.attributes.insert(attr_name.clone(), old_attr.clone());
                    }
                    None => {}
                    Some(new_attr) if new_attr.kind == old_attr.kind => {
                        let keys = [
                            (
                                "foreign_key",
                                &old_attr.foreign_key,
                                &mut new_attr.foreign_key,
                            ),
                            (
                                "reverse_key",
                                &old_attr.reverse_key,
                                &mut new_attr.reverse_key,
                            ),
                        ];
                        for (field, old_key, new_key) in keys {
                            if old_key.is_some() && old_key != new_key {
                                kept.push(format!(
                                    "kept {name}.{attr_name} {field} {}",
                                    old_key.as_deref().unwrap_or_default()
                                ));
                                new_key.clone_from(old_key);
                            }
                        }
                    }
                    Some(_) => {}
                }
            }
        }
        (self, MergeReport { kept, changes })
    }
}
