//! Reading the store: relationships resolved through the schema's keys,
//! criteria evaluated over entities, and whole queries run.

use std::borrow::Cow;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use ftrack_query::{Criteria, Ident, InSet, Operator, Path, Projection, Query};
use ftrack_schema::AttributeKind;
use serde_json::{json, Map, Value};

use crate::error::ServerError;
use crate::model::{Model, CONTEXT, TYPED_CONTEXT};
use crate::store::{Entity, Key, Store};
use crate::value::{self, Literal};

/// The most rows a query answers when it has no `limit`, as a guard for
/// memory. The Python client pages 500 at a time, so it never meets it.
const MAX_ROWS: usize = 100_000;

/// How deep sub-queries may nest, so that no query can exhaust the stack.
const MAX_SUB_QUERY_DEPTH: usize = 16;

/// The longest attribute path a query may use. Answers are written by
/// recursion along paths, so this bounds the stack; real paths are a few
/// attributes long.
const MAX_PATH_SEGMENTS: usize = 32;

/// One entity as the reader sees it: stored, or made up on the way (the
/// dense custom attribute values that hold only a default).
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    /// The concrete entity type.
    pub(crate) ty: Cow<'a, str>,
    pub(crate) key: Cow<'a, Key>,
    pub(crate) data: Cow<'a, Entity>,
}

impl Node<'_> {
    /// The identity of the entity within an answer.
    pub(crate) fn identity(&self) -> (String, Key) {
        (self.ty.to_string(), self.key.as_ref().clone())
    }

    /// The id of a single-key entity.
    pub(crate) fn single_key(&self) -> Option<&str> {
        match self.key.0.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }
}

/// A custom attribute configuration, as the dense `custom_attributes`
/// answer needs it.
#[derive(Debug, Clone)]
struct Configuration {
    id: String,
    key: String,
    entity_type: String,
    object_type_id: Option<String>,
    project_id: Option<String>,
    is_hierarchical: bool,
    default: Value,
}

type Reverse<'a> = Rc<HashMap<String, Vec<Node<'a>>>>;

/// Reads one consistent state of the store. Caches what it works out
/// (reverse keys, sub-query results) for as long as it lives, so make one
/// per operation.
pub(crate) struct Reader<'a> {
    pub(crate) model: &'a Model,
    pub(crate) store: &'a Store,
    reverse: RefCell<HashMap<(String, String), Reverse<'a>>>,
    sub_queries: RefCell<HashMap<usize, Rc<Vec<Literal>>>>,
    configurations: RefCell<Option<Rc<Vec<Configuration>>>>,
    depth: RefCell<usize>,
}

/// The rows of a query and the offset of the next page.
pub(crate) struct Rows<'a> {
    pub(crate) nodes: Vec<Node<'a>>,
    pub(crate) next_offset: Option<u64>,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(model: &'a Model, store: &'a Store) -> Reader<'a> {
        Reader {
            model,
            store,
            reverse: RefCell::new(HashMap::new()),
            sub_queries: RefCell::new(HashMap::new()),
            configurations: RefCell::new(None),
            depth: RefCell::new(0),
        }
    }

    /// The stored entity of `entity_type` (or a type extending it).
    pub(crate) fn find(&self, entity_type: &str, key: &Key) -> Option<Node<'a>> {
        let found = self.store.find(self.model, entity_type, key)?;
        Some(Node {
            ty: Cow::Borrowed(found.entity_type),
            key: Cow::Borrowed(found.key),
            data: Cow::Borrowed(found.data),
        })
    }

    /// Every entity of `entity_type` or a type extending it.
    pub(crate) fn all(&self, entity_type: &str) -> impl Iterator<Item = Node<'a>> + 'a {
        self.store.all(self.model, entity_type).map(|found| Node {
            ty: Cow::Borrowed(found.entity_type),
            key: Cow::Borrowed(found.key),
            data: Cow::Borrowed(found.data),
        })
    }

    /// The entity a reference object points at.
    pub(crate) fn deref(&self, reference: &Value) -> Option<Node<'a>> {
        let entity_type = reference.get("__entity_type__")?.as_str()?;
        let key = Key::of(reference.as_object()?, self.model.primary_key(entity_type))?;
        self.find(entity_type, &key)
    }

    /// The entities `attribute` of `node` relates it to: none or one for a
    /// reference, the items for a collection.
    pub(crate) fn related(&self, node: &Node<'a>, attribute: &str) -> Vec<Node<'a>> {
        let Some(schema_attribute) = self.model.attribute(&node.ty, attribute) else {
            return Vec::new();
        };
        let target = schema_attribute.entity_type.as_deref().unwrap_or("");
        match schema_attribute.kind {
            AttributeKind::Reference => {
                if let Some(foreign_key) = &schema_attribute.foreign_key {
                    let Some(id) = node.data.get(foreign_key).and_then(Key::text) else {
                        return Vec::new();
                    };
                    self.find(target, &Key::single(id)).into_iter().collect()
                } else {
                    node.data
                        .get(attribute)
                        .and_then(|reference| self.deref(reference))
                        .into_iter()
                        .collect()
                }
            }
            AttributeKind::Collection | AttributeKind::MappedCollection => {
                if attribute == "custom_attributes"
                    && target.ends_with("CustomAttributeValue")
                    && target != "CustomAttributeValue"
                {
                    return self.custom_attributes(node, target);
                }
                if self.model.is_kind_of(&node.ty, CONTEXT) {
                    match attribute {
                        "ancestors" => return self.ancestors(node, target),
                        "descendants" => return self.descendants(node, target),
                        _ => {}
                    }
                }
                if let Some(reverse_key) = &schema_attribute.reverse_key {
                    let Some(id) = node.single_key() else {
                        return Vec::new();
                    };
                    let index = self.reverse_index(target, reverse_key);
                    return index.get(id).cloned().unwrap_or_default();
                }
                match node.data.get(attribute) {
                    Some(Value::Array(references)) => {
                        references.iter().filter_map(|r| self.deref(r)).collect()
                    }
                    // Collections the schema gives no key for and that
                    // nothing stored (`lists`, `incoming_links`, ...) are
                    // empty: the emulator cannot know their link tables.
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        }
    }

    fn reverse_index(&self, item_type: &str, reverse_key: &str) -> Reverse<'a> {
        let cache_key = (item_type.to_owned(), reverse_key.to_owned());
        if let Some(index) = self.reverse.borrow().get(&cache_key) {
            return index.clone();
        }
        let mut index: HashMap<String, Vec<Node<'a>>> = HashMap::new();
        for node in self.all(item_type) {
            if let Some(id) = node.data.get(reverse_key).and_then(Key::text) {
                index.entry(id).or_default().push(node);
            }
        }
        let index = Rc::new(index);
        self.reverse.borrow_mut().insert(cache_key, index.clone());
        index
    }

    /// The parent of a context, if any.
    pub(crate) fn parent(&self, node: &Node<'a>) -> Option<Node<'a>> {
        let id = node.data.get("parent_id").and_then(Key::text)?;
        self.find(CONTEXT, &Key::single(id))
    }

    /// The contexts above `node` that are of `item_type`, the project's
    /// child first. The order is a guess: the recorded answers do not show
    /// `ancestors`.
    fn ancestors(&self, node: &Node<'a>, item_type: &str) -> Vec<Node<'a>> {
        let mut chain = Vec::new();
        let mut seen = HashSet::new();
        let mut current = self.parent(node);
        while let Some(parent) = current {
            if !seen.insert(parent.identity()) {
                break;
            }
            current = self.parent(&parent);
            if self.model.is_kind_of(&parent.ty, item_type) {
                chain.push(parent);
            }
        }
        chain.reverse();
        chain
    }

    /// Every context below `node` that is of `item_type`, breadth first.
    pub(crate) fn descendants(&self, node: &Node<'a>, item_type: &str) -> Vec<Node<'a>> {
        let index = self.reverse_index(CONTEXT, "parent_id");
        let mut found = Vec::new();
        let mut seen = HashSet::new();
        let mut queue: VecDeque<Node<'a>> = VecDeque::from([node.clone()]);
        while let Some(current) = queue.pop_front() {
            let Some(id) = current.single_key() else {
                continue;
            };
            for child in index.get(id).into_iter().flatten() {
                if seen.insert(child.identity()) {
                    if self.model.is_kind_of(&child.ty, item_type) {
                        found.push(child.clone());
                    }
                    queue.push_back(child.clone());
                }
            }
        }
        found
    }

    fn configurations(&self) -> Rc<Vec<Configuration>> {
        if let Some(cached) = self.configurations.borrow().as_ref() {
            return cached.clone();
        }
        let text = |data: &Entity, name: &str| data.get(name).and_then(Key::text);
        let list: Vec<Configuration> = self
            .all("CustomAttributeConfiguration")
            .map(|node| Configuration {
                id: node.key.0.first().cloned().unwrap_or_default(),
                key: text(&node.data, "key").unwrap_or_default(),
                entity_type: text(&node.data, "entity_type").unwrap_or_default(),
                object_type_id: text(&node.data, "object_type_id"),
                project_id: text(&node.data, "project_id"),
                is_hierarchical: node.data.get("is_hierarchical") == Some(&Value::Bool(true)),
                default: node.data.get("default").cloned().unwrap_or(Value::Null),
            })
            .collect();
        let list = Rc::new(list);
        *self.configurations.borrow_mut() = Some(list.clone());
        list
    }

    /// The configurations that apply to `node`, by the rules the Python
    /// client uses to find them (PROTOCOL.md 11): same server entity type,
    /// project and object type, or hierarchical ones on projects, typed
    /// contexts, assets and versions.
    fn configurations_for(&self, node: &Node<'a>) -> Vec<Configuration> {
        let name = self.model.server_entity_name(&node.ty);
        let text = |key: &str| node.data.get(key).and_then(Key::text);
        let (project_id, object_type_id) = if self.model.is_kind_of(&node.ty, TYPED_CONTEXT) {
            (text("project_id"), text("object_type_id"))
        } else if node.ty == "Project" {
            (node.single_key().map(str::to_owned), None)
        } else {
            (None, None)
        };
        let hierarchical_here = matches!(name.as_str(), "asset" | "assetversion" | "show" | "task");
        let mut list: Vec<Configuration> = self
            .configurations()
            .iter()
            .filter(|c| c.project_id.is_none() || c.project_id == project_id)
            .filter(|c| {
                (c.entity_type == name && c.object_type_id == object_type_id)
                    || (hierarchical_here && c.is_hierarchical)
            })
            .cloned()
            .collect();
        // Project-specific configurations hide global ones with the same key.
        list.sort_by_key(|c| c.project_id.is_none());
        let mut keys = HashSet::new();
        list.retain(|c| keys.insert(c.key.clone()));
        list
    }

    /// The dense `custom_attributes` of `node`: one value per configuration
    /// that applies, holding the configuration's default when nothing was
    /// set (PROTOCOL.md 11).
    fn custom_attributes(&self, node: &Node<'a>, item_type: &'a str) -> Vec<Node<'a>> {
        let Some(entity_id) = node.single_key() else {
            return Vec::new();
        };
        self.configurations_for(node)
            .into_iter()
            .map(|configuration| {
                let key = Key(vec![configuration.id.clone(), entity_id.to_owned()]);
                let mut data = match self.store.get(item_type, &key) {
                    Some(stored) => stored.clone(),
                    None => {
                        let mut data = Map::new();
                        data.insert("configuration_id".into(), json!(configuration.id));
                        data.insert("entity_id".into(), json!(entity_id));
                        data.insert("value".into(), configuration.default.clone());
                        data
                    }
                };
                data.insert("key".into(), json!(configuration.key));
                Node {
                    ty: Cow::Borrowed(item_type),
                    key: Cow::Owned(key),
                    data: Cow::Owned(data),
                }
            })
            .collect()
    }

    /// The value of scalar `attribute` of `node`, computing the few values
    /// the server computes (`link`).
    pub(crate) fn scalar(&self, node: &Node<'a>, attribute: &str) -> Value {
        if attribute == "link" && self.model.is_kind_of(&node.ty, CONTEXT) {
            return self.link(node);
        }
        node.data.get(attribute).cloned().unwrap_or(Value::Null)
    }

    /// `link`: the path from the project down to `node`, as a list of
    /// `{id, name, type}` where `type` is `Project` or `TypedContext`. The
    /// shape follows ftrack's documentation; no recorded answer shows it.
    fn link(&self, node: &Node<'a>) -> Value {
        let mut chain = vec![node.clone()];
        let mut seen = HashSet::new();
        while let Some(parent) = chain.last().and_then(|last| self.parent(last)) {
            if !seen.insert(parent.identity()) {
                break;
            }
            chain.push(parent);
        }
        chain.reverse();
        Value::Array(
            chain
                .iter()
                .map(|item| {
                    let ty = if item.ty == "Project" {
                        "Project"
                    } else {
                        TYPED_CONTEXT
                    };
                    json!({
                        "id": item.single_key(),
                        "name": item.data.get("name").cloned().unwrap_or(Value::Null),
                        "type": ty,
                    })
                })
                .collect(),
        )
    }

    /// The values a path reaches from `node`, through references and
    /// collections. A missing reference on the way gives `null` (as an SQL
    /// outer join would); an empty collection gives nothing.
    fn values(&self, node: &Node<'a>, segments: &[Ident]) -> Vec<Value> {
        let Some((last, path)) = segments.split_last() else {
            return Vec::new();
        };
        let mut values = Vec::new();
        let mut current = vec![node.clone()];
        for segment in path {
            let mut next = Vec::new();
            for item in &current {
                let reference = self
                    .model
                    .attribute(&item.ty, &segment.name)
                    .is_some_and(|a| a.kind == AttributeKind::Reference);
                let related = self.related(item, &segment.name);
                if reference && related.is_empty() && values.is_empty() {
                    values.push(Value::Null);
                }
                next.extend(related);
            }
            current = distinct(next);
        }
        let name = last.name.as_str();
        for item in &current {
            let Some(attribute) = self.model.attribute(&item.ty, name) else {
                values.push(Value::Null);
                continue;
            };
            if !attribute.kind.is_relation() {
                values.push(self.scalar(item, name));
                continue;
            }
            let related = self.related(item, name);
            if attribute.kind == AttributeKind::Reference && related.is_empty() {
                values.push(Value::Null);
            }
            values.extend(related.iter().map(|n| Value::String(n.key.display())));
        }
        values
    }

    /// The entities a path of relationships reaches from `node`, each once.
    fn entities(&self, node: &Node<'a>, segments: &[Ident]) -> Vec<Node<'a>> {
        let mut current = vec![node.clone()];
        for segment in segments {
            let next = current
                .iter()
                .flat_map(|n| self.related(n, &segment.name))
                .collect();
            current = distinct(next);
        }
        current
    }

    /// Whether `node` matches `criteria`.
    ///
    /// # Errors
    ///
    /// The error of a sub-query of `in`.
    pub(crate) fn matches(
        &self,
        node: &Node<'a>,
        criteria: &Criteria,
    ) -> Result<bool, ServerError> {
        Ok(match criteria {
            Criteria::And(items) => {
                for item in items {
                    if !self.matches(node, item)? {
                        return Ok(false);
                    }
                }
                true
            }
            Criteria::Or(items) => {
                for item in items {
                    if self.matches(node, item)? {
                        return Ok(true);
                    }
                }
                false
            }
            Criteria::Not(inner) => !self.matches(node, inner)?,
            Criteria::Compare {
                path,
                operator,
                value,
            } => {
                let literal = Literal::from_query(value);
                let values = self.values(node, &path.segments);
                values.iter().any(|v| compare_one(v, *operator, &literal))
            }
            Criteria::In { path, negated, set } => {
                let literals: Rc<Vec<Literal>> = match set {
                    InSet::Values(values) => {
                        Rc::new(values.iter().map(Literal::from_query).collect())
                    }
                    InSet::Query(query) => self.sub_query(query)?,
                };
                let values = self.values(node, &path.segments);
                let member = |v: &Value| {
                    literals
                        .iter()
                        .any(|l| value::compare(v, l) == Some(Ordering::Equal))
                };
                if *negated {
                    values.iter().any(|v| !v.is_null() && !member(v))
                } else {
                    values.iter().any(member)
                }
            }
            Criteria::Has { path, criteria } => {
                for target in self.entities(node, &path.segments) {
                    if self.matches(&target, criteria)? {
                        return Ok(true);
                    }
                }
                false
            }
            Criteria::Any { path, criteria } => {
                let items = self.entities(node, &path.segments);
                match criteria {
                    None => !items.is_empty(),
                    Some(criteria) => {
                        for item in items {
                            if self.matches(&item, criteria)? {
                                return Ok(true);
                            }
                        }
                        false
                    }
                }
            }
        })
    }

    /// The values the single projection of a sub-query gives, once per
    /// reader.
    fn sub_query(&self, query: &Query) -> Result<Rc<Vec<Literal>>, ServerError> {
        let id = query as *const Query as usize;
        if let Some(cached) = self.sub_queries.borrow().get(&id) {
            return Ok(cached.clone());
        }
        {
            let mut depth = self.depth.borrow_mut();
            if *depth >= MAX_SUB_QUERY_DEPTH {
                return Err(ServerError::validation(format!(
                    "sub-queries nest more than {MAX_SUB_QUERY_DEPTH} deep"
                )));
            }
            *depth += 1;
        }
        let result = self.rows(query).map(|rows| {
            let path = query
                .projections
                .first()
                .map(|p| p.path().segments.clone())
                .unwrap_or_default();
            rows.nodes
                .iter()
                .flat_map(|node| self.values(node, &path))
                .map(|v| Literal::from_stored(&v))
                .collect::<Vec<_>>()
        });
        *self.depth.borrow_mut() -= 1;
        let literals = Rc::new(result?);
        self.sub_queries.borrow_mut().insert(id, literals.clone());
        Ok(literals)
    }

    /// Checks `query` against the schema and answers its rows, ordered and
    /// paged.
    ///
    /// # Errors
    ///
    /// A `ValidationError` naming what the schema lacks.
    pub(crate) fn rows(&self, query: &Query) -> Result<Rows<'a>, ServerError> {
        check_path_lengths(query)?;
        if let Err(problems) = ftrack_query::check(query, &self.model.schema) {
            let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
            return Err(ServerError::validation(format!(
                "cannot run the query: {}",
                text.join("; ")
            )));
        }
        let mut nodes = Vec::new();
        for node in self.all(&query.entity_type.name) {
            let keep = match &query.criteria {
                Some(criteria) => self.matches(&node, criteria)?,
                None => true,
            };
            if keep {
                nodes.push(node);
            }
        }
        if !query.order_by.is_empty() {
            let mut keyed: Vec<(Vec<Value>, Node<'a>)> = nodes
                .into_iter()
                .map(|node| {
                    let keys = query
                        .order_by
                        .iter()
                        .map(|o| {
                            self.values(&node, &o.path.segments)
                                .into_iter()
                                .next()
                                .unwrap_or(Value::Null)
                        })
                        .collect();
                    (keys, node)
                })
                .collect();
            keyed.sort_by(|(a, _), (b, _)| {
                for ((x, y), ordering) in a.iter().zip(b).zip(&query.order_by) {
                    let found = value::order(x, y);
                    let found = match ordering.direction {
                        ftrack_query::Direction::Ascending => found,
                        ftrack_query::Direction::Descending => found.reverse(),
                    };
                    if found != Ordering::Equal {
                        return found;
                    }
                }
                Ordering::Equal
            });
            nodes = keyed.into_iter().map(|(_, node)| node).collect();
        }
        let total = nodes.len();
        let offset = usize::try_from(query.offset.unwrap_or(0)).unwrap_or(usize::MAX);
        let limit = query
            .limit
            .map(|l| usize::try_from(l).unwrap_or(usize::MAX))
            .unwrap_or(MAX_ROWS);
        let start = offset.min(total);
        let end = start.saturating_add(limit).min(total);
        let page: Vec<Node<'a>> = nodes.drain(start..end).collect();
        let next_offset = (end < total).then_some(end as u64);
        Ok(Rows {
            nodes: page,
            next_offset,
        })
    }

    /// The rows of an aggregate query (`select count(id) from Task group by
    /// status_id`): one plain object per group, the aggregate named
    /// `<function>_<attribute>` (PROTOCOL.md 6.6). Whether the real rows carry
    /// `__entity_type__` is unknown; these do not.
    pub(crate) fn aggregate(&self, query: &Query) -> Result<Vec<Value>, ServerError> {
        let mut plain = query.clone();
        plain.offset = None;
        plain.limit = None;
        plain.order_by.clear();
        let rows = self.rows(&plain)?;
        let mut groups: Vec<(Vec<Value>, Vec<Node<'a>>)> = Vec::new();
        for node in rows.nodes {
            let key: Vec<Value> = query
                .group_by
                .iter()
                .map(|p| {
                    self.values(&node, &p.segments)
                        .into_iter()
                        .next()
                        .unwrap_or(Value::Null)
                })
                .collect();
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, members)) => members.push(node),
                None => groups.push((key, vec![node])),
            }
        }
        if query.group_by.is_empty() && groups.is_empty() {
            groups.push((Vec::new(), Vec::new()));
        }
        let answer = groups
            .into_iter()
            .map(|(key, members)| {
                let mut row = Map::new();
                for (path, value) in query.group_by.iter().zip(key) {
                    row.insert(path_name(path), value);
                }
                for projection in &query.projections {
                    match projection {
                        Projection::Path(path) => {
                            let value = members
                                .first()
                                .and_then(|n| self.values(n, &path.segments).into_iter().next())
                                .unwrap_or(Value::Null);
                            row.insert(path_name(path), value);
                        }
                        Projection::Aggregate { function, path } => {
                            let values: Vec<Value> = members
                                .iter()
                                .flat_map(|n| self.values(n, &path.segments))
                                .filter(|v| !v.is_null())
                                .collect();
                            let name = format!("{}_{}", function.as_str(), path_name(path));
                            row.insert(name, aggregate(*function, &values));
                        }
                    }
                }
                Value::Object(row)
            })
            .collect();
        Ok(answer)
    }
}

/// `nodes` without repeats, in first-seen order. Paths that go round a
/// cycle (`children.parent.children`) would otherwise multiply at each step.
fn distinct(nodes: Vec<Node<'_>>) -> Vec<Node<'_>> {
    if nodes.len() < 2 {
        return nodes;
    }
    let mut seen = HashSet::new();
    nodes
        .into_iter()
        .filter(|n| seen.insert(n.identity()))
        .collect()
}

/// Refuses paths longer than [`MAX_PATH_SEGMENTS`] anywhere in `query`.
fn check_path_lengths(query: &Query) -> Result<(), ServerError> {
    fn path(path: &Path) -> Result<(), ServerError> {
        if path.segments.len() > MAX_PATH_SEGMENTS {
            return Err(ServerError::validation(format!(
                "the path `{path}` has {} attributes; the emulator follows at most \
                 {MAX_PATH_SEGMENTS}",
                path.segments.len()
            )));
        }
        Ok(())
    }
    fn criteria(c: &Criteria) -> Result<(), ServerError> {
        match c {
            Criteria::And(items) | Criteria::Or(items) => items.iter().try_for_each(criteria),
            Criteria::Not(inner) => criteria(inner),
            Criteria::Compare { path: p, .. } => path(p),
            Criteria::In { path: p, set, .. } => {
                path(p)?;
                match set {
                    InSet::Query(sub) => check_path_lengths(sub),
                    InSet::Values(_) => Ok(()),
                }
            }
            Criteria::Has {
                path: p,
                criteria: inner,
            } => {
                path(p)?;
                criteria(inner)
            }
            Criteria::Any {
                path: p,
                criteria: inner,
            } => {
                path(p)?;
                inner.as_deref().map_or(Ok(()), criteria)
            }
        }
    }
    query.projections.iter().try_for_each(|p| path(p.path()))?;
    query.group_by.iter().try_for_each(path)?;
    query.order_by.iter().try_for_each(|o| path(&o.path))?;
    query.criteria.as_ref().map_or(Ok(()), criteria)
}

fn path_name(path: &Path) -> String {
    path.segments
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join("_")
}

fn aggregate(function: ftrack_query::Aggregate, values: &[Value]) -> Value {
    use ftrack_query::Aggregate;
    let numbers: Vec<f64> = values.iter().filter_map(Value::as_f64).collect();
    match function {
        Aggregate::Count => json!(values.len()),
        Aggregate::Sum => json!(numbers.iter().sum::<f64>()),
        Aggregate::Avg if numbers.is_empty() => Value::Null,
        Aggregate::Avg => json!(numbers.iter().sum::<f64>() / numbers.len() as f64),
        Aggregate::Min => values
            .iter()
            .min_by(|a, b| value::order(a, b))
            .cloned()
            .unwrap_or(Value::Null),
        Aggregate::Max => values
            .iter()
            .max_by(|a, b| value::order(a, b))
            .cloned()
            .unwrap_or(Value::Null),
    }
}

/// One value against one literal under `operator`.
fn compare_one(stored: &Value, operator: Operator, literal: &Literal) -> bool {
    match operator {
        Operator::Is if *literal == Literal::Null => stored.is_null(),
        Operator::IsNot if *literal == Literal::Null => !stored.is_null(),
        Operator::Is => value::compare(stored, literal) == Some(Ordering::Equal),
        Operator::IsNot => {
            !stored.is_null() && value::compare(stored, literal) != Some(Ordering::Equal)
        }
        Operator::Greater => value::compare(stored, literal) == Some(Ordering::Greater),
        Operator::Less => value::compare(stored, literal) == Some(Ordering::Less),
        Operator::GreaterOrEqual => matches!(
            value::compare(stored, literal),
            Some(Ordering::Greater | Ordering::Equal)
        ),
        Operator::LessOrEqual => matches!(
            value::compare(stored, literal),
            Some(Ordering::Less | Ordering::Equal)
        ),
        Operator::Like | Operator::NotLike => {
            let (Some(text), Literal::Text(pattern)) = (value::like_text(stored), literal) else {
                return false;
            };
            value::like(&text, pattern) == (operator == Operator::Like)
        }
    }
}
