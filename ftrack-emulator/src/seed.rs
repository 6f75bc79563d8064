//! The data a fresh ftrack site has, loaded from recorded answers of a real
//! server (the files in `seed/`, see `seed/README.md`), and the optional
//! demo project.

use serde_json::{json, Map, Value};

use crate::engine::{BatchOptions, Engine};
use crate::model::Model;
use crate::store::{Entity, Key, Store};
use crate::value;

/// The object type of tasks (recorded in the schema's `Task.alias_for`).
pub(crate) const TASK_OBJECT_TYPE_ID: &str = "11c137c0-ee7e-4f9c-91c5-8c77cec22b2c";

/// The user type a new `User` gets (recorded in `create_user.json`).
pub(crate) const USER_TYPE_ID: &str = "ac9fa5aa-4361-11e0-b7cc-0019bb4983d8";

const STATUSES: &str = include_str!("../seed/query_statuses.json");
const PRIORITIES: &str = include_str!("../seed/query_priorities.json");
const OBJECT_TYPES: &str = include_str!("../seed/query_object_types.json");
const TYPES: &str = include_str!("../seed/query_types.json");
const PROJECT_SCHEMAS: &str = include_str!("../seed/query_project_schema.json");
const SCHEMAS: &str = include_str!("../seed/query_schema.json");
const CONFIGURATIONS: &str = include_str!("../seed/query_custom_attribute_configurations.json");

/// The states the recorded statuses point at. The recorded answers give
/// only their ids; names and short names are inferred from the statuses
/// that use them (`Not started` -> NOT_STARTED, `Completed` -> DONE, ...).
const STATES: [(&str, &str, &str); 4] = [
    (
        "cea0ba04-acb5-11e1-8668-f23c91df1211",
        "Not started",
        "NOT_STARTED",
    ),
    (
        "cea0efc4-acb5-11e1-8668-f23c91df1211",
        "In progress",
        "IN_PROGRESS",
    ),
    ("cea116d4-acb5-11e1-8668-f23c91df1211", "Done", "DONE"),
    ("5709c04e-2f4b-11e2-b663-0019bb4983d8", "Blocked", "BLOCKED"),
];

/// The built-in locations the Python client configures (PROTOCOL.md 8).
const LOCATIONS: [(&str, &str); 5] = [
    ("ce9b348f-8809-11e3-821c-20c9d081909b", "ftrack.origin"),
    ("cb268ecc-8809-11e3-a7e2-20c9d081909b", "ftrack.unmanaged"),
    ("cd41be70-8809-11e3-b98a-20c9d081909b", "ftrack.review"),
    ("3a372bde-05bc-11e4-8908-20c9d081909b", "ftrack.server"),
    ("07b82a97-8cf9-11e3-9383-20c9d081909b", "ftrack.connect"),
];

/// Loads the site data into `store`.
///
/// # Errors
///
/// A message when a recorded file does not parse or does not fit the
/// schema (a bug in the seed files, not in anything a user does).
pub(crate) fn site(model: &Model, store: &mut Store) -> Result<(), String> {
    // A studio's own schema (`--schema`) may lack some of these entity
    // types, or key them differently: what does not fit is left out.
    let fits = |entity_type: &str| model.primary_key(entity_type) == ["id"];
    for (id, name, short) in STATES.into_iter().filter(|_| fits("State")) {
        store.insert(
            "State",
            Key::single(id),
            object(json!({"id": id, "name": name, "short": short})),
        );
    }
    for file in [
        STATUSES,
        PRIORITIES,
        OBJECT_TYPES,
        TYPES,
        PROJECT_SCHEMAS,
        SCHEMAS,
        CONFIGURATIONS,
    ] {
        let entities: Vec<Value> = serde_json::from_str(file).map_err(|e| e.to_string())?;
        for entity in &entities {
            load(model, store, entity)?;
        }
    }
    for (id, name) in LOCATIONS.into_iter().filter(|_| fits("Location")) {
        store.insert(
            "Location",
            Key::single(id),
            object(json!({"id": id, "name": name, "label": name})),
        );
    }
    // The user type's name is not recorded.
    if fits("UserType") {
        store.insert(
            "UserType",
            Key::single(USER_TYPE_ID),
            object(json!({"id": USER_TYPE_ID, "name": "user"})),
        );
    }
    workflows(model, store);
    task_type_schemas(store);
    configurations(store);
    stubs(model, store);
    Ok(())
}

/// The `User` of the API user, with an id made from the name so that it is
/// the same on every start.
pub(crate) fn api_user(model: &Model, store: &mut Store, username: &str) -> String {
    let existing = store
        .table("User")
        .find(|u| u.data.get("username").and_then(Value::as_str) == Some(username))
        .and_then(|u| u.key.0.first().cloned());
    if let Some(id) = existing {
        return id;
    }
    let digest: [u8; 16] = md5::Digest::finalize(<md5::Md5 as md5::Digest>::new_with_prefix(
        format!("ftrack-emulator user {username}"),
    ))
    .into();
    let id = uuid::Builder::from_md5_bytes(digest)
        .into_uuid()
        .to_string();
    let user = json!({
        "id": id, "username": username, "resource_type": "user", "is_active": true,
        "first_name": username, "last_name": "", "is_otp_enabled": false,
        "is_totp_enabled": false, "require_details_update": false, "user_type_id": USER_TYPE_ID,
    });
    if model.primary_key("User") == ["id"] {
        store.insert("User", Key::single(&id), object(user));
    }
    id
}

/// Adds the demo project: two sequences of three shots, each shot with
/// compositing, animation and lighting tasks, made through the same
/// `create` operations a client sends.
///
/// # Errors
///
/// The error of a create the store refused (a bug in this function).
pub(crate) fn demo(engine: &Engine) -> Result<(), String> {
    let vfx = "caddd816-acb5-11e1-8668-f23c91df1211";
    let project = new_id();
    let mut operations = vec![create(
        "Project",
        json!({"id": project, "name": "demo", "full_name": "Demo project",
               "project_schema": {"__entity_type__": "ProjectSchema", "id": vfx}}),
    )];
    let task_types = [
        ("compositing", "44dd23b6-4164-11df-9218-0019bb4983d8"),
        ("animation", "44dc3636-4164-11df-9218-0019bb4983d8"),
        ("lighting", "44dd08fe-4164-11df-9218-0019bb4983d8"),
    ];
    for sequence_name in ["sq010", "sq020"] {
        let sequence = new_id();
        operations.push(create(
            "Sequence",
            json!({
                "id": sequence,
                "name": sequence_name,
                "parent": {"__entity_type__": "Project", "id": project},
            }),
        ));
        for shot_name in ["sh010", "sh020", "sh030"] {
            let shot = new_id();
            operations.push(create(
                "Shot",
                json!({"id": shot, "name": format!("{sequence_name}_{shot_name}"),
                       "parent": {"__entity_type__": "Sequence", "id": sequence}}),
            ));
            for (task_name, type_id) in task_types {
                operations.push(create(
                    "Task",
                    json!({"id": new_id(), "name": task_name,
                           "parent": {"__entity_type__": "Shot", "id": shot},
                           "type": {"__entity_type__": "Type", "id": type_id}}),
                ));
            }
        }
    }
    engine
        .run(&operations, BatchOptions::default())
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn create(entity_type: &str, data: Value) -> Value {
    json!({"action": "create", "entity_type": entity_type, "entity_data": data})
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn object(value: Value) -> Entity {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Stores one recorded entity: scalars as they are, relationships through
/// their keys, nested items that are complete (the statuses of a `Schema`)
/// as entities of their own. Collections that point back (`tasks` of an
/// object type, from other sites' projects) are left out.
fn load(model: &Model, store: &mut Store, recorded: &Value) -> Result<Option<Key>, String> {
    let Some(fields) = recorded.as_object() else {
        return Err(format!("not an entity: {recorded}"));
    };
    let entity_type = fields
        .get("__entity_type__")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no __entity_type__ in {recorded}"))?;
    let primary_key = model.primary_key(entity_type).to_vec();
    if model.entity_type(entity_type).is_none() || primary_key.is_empty() {
        // Not in this schema, or with no key to store it by: left out.
        return Ok(None);
    }
    let mut entity = Entity::new();
    for name in model.schema.attribute_names(entity_type) {
        if let Some(attribute) = model.attribute(entity_type, name) {
            match &attribute.default {
                Some(default) if !attribute.kind.is_relation() && default != "{uid}" => {
                    entity.insert(name.to_owned(), default.clone());
                }
                _ => {}
            }
        }
    }
    let mut nested = Vec::new();
    for (name, sent) in fields {
        let Some(attribute) = model.attribute(entity_type, name) else {
            continue;
        };
        match attribute.kind {
            ftrack_schema::AttributeKind::Reference => {
                if sent.is_null() {
                    if let Some(foreign_key) = &attribute.foreign_key {
                        entity.insert(foreign_key.clone(), Value::Null);
                    }
                    continue;
                }
                let target = sent
                    .get("__entity_type__")
                    .and_then(Value::as_str)
                    .unwrap_or(attribute.entity_type.as_deref().unwrap_or_default());
                let key = sent
                    .as_object()
                    .and_then(|o| Key::of(o, model.primary_key(target)))
                    .ok_or_else(|| format!("bad reference {sent}"))?;
                let key_length = model.primary_key(target).len();
                if sent.as_object().is_some_and(|o| o.len() > key_length + 1) {
                    nested.push(sent.clone());
                }
                match &attribute.foreign_key {
                    Some(foreign_key) => {
                        if let [id] = key.0.as_slice() {
                            entity.insert(foreign_key.clone(), json!(id));
                        }
                    }
                    None => {
                        entity.insert(name.clone(), reference(model, target, &key));
                    }
                }
            }
            kind if kind.is_collection() => {
                let items = sent.as_array().cloned().unwrap_or_default();
                if attribute.reverse_key.is_some() {
                    let item_type = attribute.entity_type.as_deref().unwrap_or_default();
                    let required = model
                        .entity_type(item_type)
                        .map(|t| t.required().to_vec())
                        .unwrap_or_default();
                    for item in items {
                        let complete = required.iter().all(|r| item.get(r).is_some());
                        if complete {
                            nested.push(item);
                        }
                    }
                } else {
                    let list = items
                        .iter()
                        .filter_map(|item| {
                            let ty = item.get("__entity_type__")?.as_str()?;
                            let key = Key::of(item.as_object()?, model.primary_key(ty))?;
                            Some(reference(model, ty, &key))
                        })
                        .collect();
                    entity.insert(name.clone(), Value::Array(list));
                }
            }
            kind => {
                let stored = value::coerce(kind, sent).unwrap_or_else(|_| sent.clone());
                entity.insert(name.clone(), stored);
            }
        }
    }
    let key =
        Key::of(&entity, &primary_key).ok_or_else(|| format!("no primary key in {recorded}"))?;
    if store.get(entity_type, &key).is_none() {
        store.insert(entity_type, key.clone(), entity);
    }
    for item in nested {
        let item_type = item
            .get("__entity_type__")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let item_key = item
            .as_object()
            .and_then(|o| Key::of(o, model.primary_key(item_type)));
        let exists = item_key.is_some_and(|k| store.find(model, item_type, &k).is_some());
        if !exists {
            load(model, store, &item)?;
        }
    }
    Ok(Some(key))
}

fn reference(model: &Model, entity_type: &str, key: &Key) -> Value {
    let mut object = Map::new();
    object.insert("__entity_type__".into(), json!(entity_type));
    for (name, part) in model.primary_key(entity_type).iter().zip(&key.0) {
        object.insert(name.clone(), json!(part));
    }
    Value::Object(object)
}

/// The workflow schemas the project schemas point at. Their statuses are
/// not recorded; each gets every recorded status, ordered from `Not
/// started` to `Completed` (the reverse of the recorded `sort`, which reads
/// as a workflow in that direction). Names are made up from the project
/// schema's.
fn workflows(model: &Model, store: &mut Store) {
    let mut statuses: Vec<(i64, String)> = store
        .table("Status")
        .map(|s| {
            (
                s.data.get("sort").and_then(Value::as_i64).unwrap_or(0),
                s.key.0[0].clone(),
            )
        })
        .collect();
    statuses.sort();
    statuses.reverse();
    let list: Vec<Value> = statuses
        .iter()
        .map(|(_, id)| reference(model, "Status", &Key::single(id)))
        .collect();
    let project_schemas: Vec<(String, Option<String>, Option<String>)> = store
        .table("ProjectSchema")
        .map(|p| {
            let text = |name: &str| p.data.get(name).and_then(Key::text);
            (
                text("name").unwrap_or_default(),
                text("task_workflow_schema_id"),
                text("asset_version_workflow_schema_id"),
            )
        })
        .collect();
    for (name, task, version) in project_schemas {
        for (id, what) in [(task, "tasks"), (version, "versions")] {
            let Some(id) = id else { continue };
            let workflow = json!({"id": id, "name": format!("{name} {what}"), "statuses": list});
            store.insert("WorkflowSchema", Key::single(&id), object(workflow));
        }
    }
}

/// Fills in what the recorded configurations lack or carry in another form.
/// Date defaults become date-times: the recorded files went through the JS
/// client, which turns date-times into ISO text (`2024-06-22T00:00:00.000Z`,
/// its `toISOString` form), while the server sends them typed (PROTOCOL.md
/// 4.3). `config` is required but not recorded; an empty JSON object stands
/// in for it, so that a client can update a seeded configuration.
fn configurations(store: &mut Store) {
    let date_types: Vec<String> = store
        .table("CustomAttributeType")
        .filter(|t| t.data.get("name").and_then(Value::as_str) == Some("date"))
        .filter_map(|t| t.key.0.first().cloned())
        .collect();
    let changes: Vec<(Key, Entity)> = store
        .table("CustomAttributeConfiguration")
        .map(|c| {
            let mut data = c.data.clone();
            let is_date = data
                .get("type_id")
                .and_then(Key::text)
                .is_some_and(|t| date_types.contains(&t));
            if let Some(parsed) = data.get("default").and_then(value::as_datetime) {
                if is_date {
                    data.insert("default".into(), value::datetime_value(parsed));
                }
            }
            if data.get("config").is_none_or(Value::is_null) {
                data.insert("config".into(), json!("{}"));
            }
            (c.key.clone(), data)
        })
        .collect();
    for (key, data) in changes {
        store.insert("CustomAttributeConfiguration", key, data);
    }
}

/// The task type schemas the project schemas point at, with the types
/// that name them in their recorded `task_type_schemas`.
fn task_type_schemas(store: &mut Store) {
    let mut members: Vec<(String, Value)> = Vec::new();
    for found in store.table("Type") {
        let Some(Value::Array(schemas)) = found.data.get("task_type_schemas") else {
            continue;
        };
        for schema in schemas {
            if let Some(id) = schema.get("id").and_then(Key::text) {
                members.push((id, json!({"__entity_type__": "Type", "id": found.key.0[0]})));
            }
        }
    }
    for (id, member) in members {
        let key = Key::single(&id);
        let mut schema = store
            .get("TaskTypeSchema", &key)
            .cloned()
            .unwrap_or_else(|| object(json!({"id": id, "name": "Task types"})));
        match schema.get_mut("types") {
            Some(Value::Array(types)) => types.push(member),
            _ => {
                schema.insert("types".into(), json!([member]));
            }
        }
        store.insert("TaskTypeSchema", key, schema);
    }
}

/// Entities the recorded ones point at but that are not recorded
/// themselves (task templates, custom attribute types...): stored with
/// their key and defaults, so that every seeded reference resolves.
fn stubs(model: &Model, store: &mut Store) {
    let mut missing: Vec<(String, String)> = Vec::new();
    for entity_type in store.entity_types().map(str::to_owned).collect::<Vec<_>>() {
        for found in store.table(&entity_type) {
            for (attribute, target) in model.foreign_keys(&entity_type) {
                if let Some(id) = found.data.get(attribute).and_then(Key::text) {
                    if store.find(model, target, &Key::single(&id)).is_none() {
                        missing.push((target.to_owned(), id));
                    }
                }
            }
            for stored in found.data.values() {
                let references: Vec<&Value> = match stored {
                    Value::Object(o) if o.contains_key("__entity_type__") => vec![stored],
                    Value::Array(items) => items.iter().collect(),
                    _ => continue,
                };
                for reference in references {
                    let Some(ty) = reference.get("__entity_type__").and_then(Value::as_str) else {
                        continue;
                    };
                    let Some(id) = reference.get("id").and_then(Key::text) else {
                        continue;
                    };
                    if model.primary_key(ty) == ["id"]
                        && store.find(model, ty, &Key::single(&id)).is_none()
                    {
                        missing.push((ty.to_owned(), id));
                    }
                }
            }
        }
    }
    for (entity_type, id) in missing {
        if model.primary_key(&entity_type) != ["id"] {
            continue;
        }
        let mut entity = Entity::new();
        for name in model.schema.attribute_names(&entity_type) {
            if let Some(attribute) = model.attribute(&entity_type, name) {
                match &attribute.default {
                    Some(default) if !attribute.kind.is_relation() && default != "{uid}" => {
                        entity.insert(name.to_owned(), default.clone());
                    }
                    _ => {}
                }
            }
        }
        entity.insert("id".into(), json!(id));
        store.insert(&entity_type, Key::single(&id), entity);
    }
}
