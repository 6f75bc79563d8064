//! Validation: every name a schema uses must exist.

use crate::model::{AttributeKind, EntityType, Schema};
use crate::suggest::nearest;
use crate::yaml::Positions;
use crate::{Problem, ProblemKind};

impl Schema {
    /// Every problem of the schema, without positions (for a schema that
    /// was built in code or imported rather than read from YAML).
    pub fn check(&self) -> Vec<Problem> {
        self.check_with(&Positions::none())
    }

    pub(crate) fn check_with(&self, at: &Positions) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (name, ty) in &self.entity_types {
            self.check_extends(name, ty, at, &mut problems);
            self.check_key_lists(name, ty, at, &mut problems);
            self.check_attributes(name, ty, at, &mut problems);
        }
        problems
    }

    fn check_extends(&self, name: &str, ty: &EntityType, at: &Positions, out: &mut Vec<Problem>) {
        let Some(parent) = &ty.extends else {
            return;
        };
        let location = at.of(&["entity_types", name, "extends"]);
        if self.entity_type(parent).is_none() {
            out.push(Problem {
                location,
                kind: ProblemKind::UnknownExtends {
                    entity_type: name.to_owned(),
                    parent: parent.clone(),
                    suggestion: nearest(parent, self.entity_type_names()),
                },
            });
            return;
        }

        // Follow the chain; coming back to `name` is a cycle. Report it once,
        // on the first member of the cycle in file order.
        let mut chain = vec![name.to_owned()];
        let mut next = ty.extends.as_deref();
        while let Some(current) = next {
            if current == name {
                let first = self
                    .entity_type_names()
                    .find(|n| chain.iter().any(|c| c == n));
                if first == Some(name) {
                    chain.push(name.to_owned());
                    out.push(Problem {
                        location,
                        kind: ProblemKind::ExtendsCycle { cycle: chain },
                    });
                }
                return;
            }
            if chain.iter().any(|c| c == current) {
                // A cycle further up that does not pass through `name`.
                return;
            }
            chain.push(current.to_owned());
            next = self.entity_type(current).and_then(|t| t.extends.as_deref());
        }
    }

    fn check_key_lists(&self, name: &str, ty: &EntityType, at: &Positions, out: &mut Vec<Problem>) {
        for (index, key) in ty.primary_key().iter().enumerate() {
            if self.attribute(name, key).is_none() {
                let index = index.to_string();
                out.push(Problem {
                    location: at.of(&["entity_types", name, "primary_key", &index]),
                    kind: ProblemKind::UnknownPrimaryKey {
                        entity_type: name.to_owned(),
                        attribute: key.clone(),
                        suggestion: nearest(key, self.attribute_names(name)),
                    },
                });
            }
        }
    }

    fn check_attributes(
        &self,
        name: &str,
        ty: &EntityType,
        at: &Positions,
        out: &mut Vec<Problem>,
    ) {
        for (attr_name, attr) in &ty.attributes {
            let path = ["entity_types", name, "attributes", attr_name.as_str()];
            let field = |field: &'static str| {
                let [a, b, c, d] = path;
                at.of(&[a, b, c, d, field])
            };

            // The related entity type must exist, and relations need one.
            match &attr.entity_type {
                Some(target) if self.entity_type(target).is_none() => out.push(Problem {
                    location: field("entity_type"),
                    kind: ProblemKind::UnknownEntityType {
                        entity_type: name.to_owned(),
                        attribute: attr_name.clone(),
                        target: target.clone(),
                        suggestion: nearest(target, self.entity_type_names()),
                    },
                }),
                None if attr.kind.is_relation() => out.push(Problem {
                    location: at.key(&path),
                    kind: ProblemKind::MissingEntityType {
                        entity_type: name.to_owned(),
                        attribute: attr_name.clone(),
                        kind: attr.kind,
                    },
                }),
                _ => {}
            }

            // A foreign key names an attribute of this entity type.
            if let Some(key) = &attr.foreign_key {
                if attr.kind != AttributeKind::Reference || self.attribute(name, key).is_none() {
                    out.push(Problem {
                        location: field("foreign_key"),
                        kind: ProblemKind::UnknownRelationKey {
                            entity_type: name.to_owned(),
                            attribute: attr_name.clone(),
                            field: "foreign_key",
                            key: key.clone(),
                            owner: name.to_owned(),
                            suggestion: nearest(key, self.attribute_names(name)),
                        },
                    });
                }
            }

            // A reverse key names an attribute of the item type.
            if let (Some(key), Some(item)) = (&attr.reverse_key, attr.target()) {
                if self.entity_type(item).is_some() && self.attribute(item, key).is_none() {
                    out.push(Problem {
                        location: field("reverse_key"),
                        kind: ProblemKind::UnknownRelationKey {
                            entity_type: name.to_owned(),
                            attribute: attr_name.clone(),
                            field: "reverse_key",
                            key: key.clone(),
                            owner: item.to_owned(),
                            suggestion: nearest(key, self.attribute_names(item)),
                        },
                    });
                }
            }
        }
    }
}
