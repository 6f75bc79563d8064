//! Turning entities into answer JSON: projections (nested paths, defaults),
//! system projections, and de-duplication the way the real server does it
//! (PROTOCOL.md 5): within one operation result an entity is written in
//! full once, at its first place in document order, and as a bare
//! reference everywhere else.

use std::collections::{HashMap, HashSet};

use ftrack_query::Path;
use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::read::{Node, Reader};
use crate::store::Key;

/// What to write of an entity: a tree of attribute names.
#[derive(Debug, Default)]
pub(crate) struct Projections {
    nodes: Vec<IndexMap<String, usize>>,
}

impl Projections {
    /// The tree of `paths`; the root is node 0.
    pub(crate) fn new<'p>(paths: impl IntoIterator<Item = &'p Path>) -> Projections {
        let mut tree = Projections {
            nodes: vec![IndexMap::new()],
        };
        for path in paths {
            let mut at = 0;
            for segment in &path.segments {
                at = tree.child(at, &segment.name);
            }
        }
        tree
    }

    /// A tree of single attribute names.
    pub(crate) fn flat<'n>(names: impl IntoIterator<Item = &'n str>) -> Projections {
        let mut tree = Projections {
            nodes: vec![IndexMap::new()],
        };
        for name in names {
            tree.child(0, name);
        }
        tree
    }

    fn child(&mut self, at: usize, name: &str) -> usize {
        if let Some(existing) = self.nodes[at].get(name) {
            return *existing;
        }
        self.nodes.push(IndexMap::new());
        let id = self.nodes.len() - 1;
        self.nodes[at].insert(name.to_owned(), id);
        id
    }
}

/// The most entities a denormalized answer writes in full. Without
/// de-duplication a projection that goes round a cycle multiplies at each
/// step; past this the answer is refused rather than built.
pub(crate) const MAX_DENORMALIZED: usize = 200_000;

/// Writes the entities of one operation result.
pub(crate) struct Writer<'r, 'a> {
    reader: &'r Reader<'a>,
    tree: &'r Projections,
    denormalize: bool,
    /// For each entity, the projection nodes asked of it anywhere in the
    /// result, so that its one full occurrence holds all of them.
    wants: HashMap<(String, Key), Vec<usize>>,
    written: HashSet<(String, Key)>,
    /// Entities written in full so far, when denormalizing.
    denormalized: usize,
}

impl<'r, 'a> Writer<'r, 'a> {
    /// A writer of `roots` under `tree`. With `denormalize` (the
    /// `ftrack-api-options` header) every occurrence is written in full.
    pub(crate) fn new(
        reader: &'r Reader<'a>,
        tree: &'r Projections,
        roots: &[Node<'a>],
        denormalize: bool,
    ) -> Writer<'r, 'a> {
        let mut writer = Writer {
            reader,
            tree,
            denormalize,
            wants: HashMap::new(),
            written: HashSet::new(),
            denormalized: 0,
        };
        if !denormalize {
            writer.collect(roots);
        }
        writer
    }

    /// Works out, for every entity the answer reaches, which projection
    /// nodes apply to it. Terminates because each (entity, node) pair is
    /// visited once.
    fn collect(&mut self, roots: &[Node<'a>]) {
        let mut queue: Vec<(Node<'a>, usize)> = roots.iter().map(|n| (n.clone(), 0)).collect();
        let mut seen: HashSet<((String, Key), usize)> = HashSet::new();
        while let Some((node, at)) = queue.pop() {
            let identity = node.identity();
            if !seen.insert((identity.clone(), at)) {
                continue;
            }
            self.wants.entry(identity).or_default().push(at);
            for (name, child) in &self.tree.nodes[at] {
                if self.is_relation(&node, name) {
                    for related in self.reader.related(&node, name) {
                        queue.push((related, *child));
                    }
                }
            }
        }
    }

    fn is_relation(&self, node: &Node<'a>, name: &str) -> bool {
        self.reader
            .model
            .attribute(&node.ty, name)
            .is_some_and(|a| a.kind.is_relation())
    }

    /// Writes a root entity of the answer.
    pub(crate) fn root(&mut self, node: &Node<'a>) -> Value {
        self.entity(node, 0)
    }

    fn entity(&mut self, node: &Node<'a>, at: usize) -> Value {
        let identity = node.identity();
        if self.denormalize {
            if self.denormalized >= MAX_DENORMALIZED {
                return Value::Object(self.reference(node));
            }
            self.denormalized += 1;
            let names: Vec<(String, usize)> = self.tree.nodes[at]
                .iter()
                .map(|(name, child)| (name.clone(), *child))
                .collect();
            return Value::Object(self.full(node, &names));
        }
        if !self.written.insert(identity.clone()) {
            return Value::Object(self.reference(node));
        }
        let mut names: Vec<(String, usize)> = Vec::new();
        for want in self
            .wants
            .get(&identity)
            .cloned()
            .unwrap_or_else(|| vec![at])
        {
            for (name, child) in &self.tree.nodes[want] {
                if !names.iter().any(|(n, _)| n == name) {
                    names.push((name.clone(), *child));
                }
            }
        }
        Value::Object(self.full(node, &names))
    }

    /// Whether a denormalized answer ran out of room: its last entities
    /// were written as references only, and it must not be sent.
    pub(crate) fn overflowed(&self) -> bool {
        self.denormalize && self.denormalized >= MAX_DENORMALIZED
    }

    /// `__entity_type__` and the primary key.
    pub(crate) fn reference(&self, node: &Node<'a>) -> Map<String, Value> {
        let mut object = Map::new();
        object.insert("__entity_type__".into(), Value::String(node.ty.to_string()));
        for name in self.reader.model.primary_key(&node.ty) {
            let value = node.data.get(name).cloned().unwrap_or(Value::Null);
            object.insert(name.clone(), value);
        }
        object
    }

    /// The reference, the system projections, then each projected
    /// attribute.
    fn full(&mut self, node: &Node<'a>, names: &[(String, usize)]) -> Map<String, Value> {
        let mut object = self.reference(node);
        for name in self.reader.model.system_projections(&node.ty) {
            if !object.contains_key(name) {
                object.insert(name.clone(), self.reader.scalar(node, name));
            }
        }
        for (name, child) in names {
            let value = self.attribute(node, name, *child);
            object.insert(name.clone(), value);
        }
        object
    }

    fn attribute(&mut self, node: &Node<'a>, name: &str, child: usize) -> Value {
        let Some(attribute) = self.reader.model.attribute(&node.ty, name) else {
            return Value::Null;
        };
        if !attribute.kind.is_relation() {
            return self.reader.scalar(node, name);
        }
        let related = self.reader.related(node, name);
        if attribute.kind.is_collection() {
            Value::Array(related.iter().map(|n| self.entity(n, child)).collect())
        } else {
            match related.first() {
                Some(target) => self.entity(target, child),
                None => Value::Null,
            }
        }
    }
}
