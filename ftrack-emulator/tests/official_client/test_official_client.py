"""The official Python client (ftrack-python-api) against `ftrack serve`.

Run by .ci/run with FTRACK_SERVER, FTRACK_API_USER and FTRACK_API_KEY set
to a running emulator. Every check prints PASS or FAIL; the last line is
"N passed, M failed" and the exit status is non-zero on any failure.
"""

import datetime
import logging
import os
import sys
import tempfile
import traceback
import uuid

import arrow
import ftrack_api
import ftrack_api.exception

PASSED = []
FAILED = []

# Which actions each HTTP call carried, to check the schema cache.
CALLS = []
_original_call = ftrack_api.Session.call


def _counting_call(self, data):
    CALLS.append([operation.get("action") for operation in data])
    return _original_call(self, data)


ftrack_api.Session.call = _counting_call


def check(name, condition, detail=""):
    if condition:
        PASSED.append(name)
        print("PASS " + name)
    else:
        FAILED.append(name)
        print("FAIL {0} {1}".format(name, detail))


def step(name):
    """Runs a step; an exception fails it instead of stopping the run."""

    def wrap(function):
        try:
            function()
        except Exception:  # noqa: BLE001 - every failure is reported
            FAILED.append(name)
            print("FAIL {0} raised:".format(name))
            traceback.print_exc()
        return function

    return wrap


CACHE = tempfile.mkdtemp(prefix="ftrack-schema-cache-")


def open_session():
    return ftrack_api.Session(
        server_url=os.environ["FTRACK_SERVER"],
        api_user=os.environ["FTRACK_API_USER"],
        api_key=os.environ["FTRACK_API_KEY"],
        schema_cache_path=CACHE,
        auto_connect_event_hub=False,
        plugin_paths=[],
    )


SUFFIX = uuid.uuid4().hex[:8]
STATE = {}


@step("session")
def _session():
    del CALLS[:]
    session = open_session()
    STATE["session"] = session
    actions = [action for call in CALLS for action in call]
    check("session: server information first", actions[:1] == ["query_server_information"], actions)
    check("session: schemas fetched on a cold cache", "query_schemas" in actions, actions)
    check("session: 130 entity types", len(session.types) == 130, len(session.types))
    check("session: Shot and Task known", "Shot" in session.types and "Task" in session.types)
    check(
        "session: timezone support on",
        session.server_information.get("is_timezone_support_enabled") is True,
    )

    del CALLS[:]
    again = open_session()
    actions = [action for call in CALLS for action in call]
    check(
        "session: schema_hash matches the cache, so no second query_schemas",
        "query_schemas" not in actions,
        actions,
    )
    again.close()


@step("create hierarchy")
def _create():
    session = STATE["session"]
    project_schema = session.query('ProjectSchema where name is "VFX"').one()
    not_started = session.query('Status where name is "Not started"').one()
    compositing = session.query('Type where name is "Compositing"').one()
    animation = session.query('Type where name is "Animation"').one()

    project = session.create(
        "Project",
        {
            "name": "official_" + SUFFIX,
            "full_name": "Official client " + SUFFIX,
            "project_schema": project_schema,
        },
    )
    sequence = session.create("Sequence", {"name": "sq010", "parent": project})
    shots = [
        session.create("Shot", {"name": name, "parent": sequence}) for name in ("sh010", "sh020")
    ]
    tasks = []
    for shot in shots:
        for task_type in (compositing, animation):
            tasks.append(
                session.create(
                    "Task",
                    {
                        "name": task_type["name"].lower(),
                        "parent": shot,
                        "type": task_type,
                        "status": not_started,
                    },
                )
            )
    session.commit()
    STATE.update(project=project, sequence=sequence, shots=shots, tasks=tasks)
    check("create: project has an id", bool(project["id"]))
    check(
        "create: server filled the project's context_type",
        project["context_type"] == "show",
        project["context_type"],
    )


@step("query back")
def _query():
    project = STATE["project"]
    reader = open_session()
    tasks = reader.query(
        "select name, parent.name, status.name, type.name from Task "
        'where parent.parent.name is "sq010" and project.id is "{0}" '
        "order by parent.name, name".format(project["id"])
    ).all()
    check("query: four tasks", len(tasks) == 4, len(tasks))
    names = [(t["parent"]["name"], t["name"]) for t in tasks]
    check(
        "query: ordered by shot then name",
        names
        == [
            ("sh010", "animation"),
            ("sh010", "compositing"),
            ("sh020", "animation"),
            ("sh020", "compositing"),
        ],
        names,
    )
    check(
        "query: status through a relationship",
        all(t["status"]["name"] == "Not started" for t in tasks),
    )
    check(
        "query: project_id filled from the parent chain",
        all(t["project_id"] == project["id"] for t in tasks),
    )

    shots = reader.query(
        'Shot where parent has (name is "sq010") and project_id is "{0}"'.format(project["id"])
    ).all()
    check(
        "query: has on a reference",
        sorted(s["name"] for s in shots) == ["sh010", "sh020"],
        [s["name"] for s in shots],
    )

    typed = reader.query('TypedContext where project_id is "{0}"'.format(project["id"])).all()
    kinds = sorted(set(entity.entity_type for entity in typed))
    check(
        "query: TypedContext finds sequences, shots and tasks",
        kinds == ["Sequence", "Shot", "Task"],
        kinds,
    )

    with_tasks = reader.query(
        'Shot where children any (name is "compositing") and project_id is "{0}"'.format(
            project["id"]
        )
    ).all()
    check("query: any on a collection", len(with_tasks) == 2, len(with_tasks))

    started = reader.query(
        'Task where status.state.short is "NOT_STARTED" and project_id is "{0}"'.format(
            project["id"]
        )
    ).all()
    check("query: path through status to state", len(started) == 4, len(started))

    paged = reader.query('Task where project_id is "{0}"'.format(project["id"]), page_size=1).all()
    check("query: paging with page_size 1 gets every task", len(paged) == 4, len(paged))

    first = reader.query(
        'Task where project_id is "{0}" order by name'.format(project["id"])
    ).first()
    check("query: first()", first is not None and first["name"] == "animation")

    fetched = reader.get("Project", project["id"])
    check("query: get() by id", fetched is not None and fetched["name"] == project["name"])

    sequence = reader.get("Sequence", STATE["sequence"]["id"])
    children = sorted(child["name"] for child in sequence["children"])
    check("query: lazy collection of children", children == ["sh010", "sh020"], children)
    shot = reader.get("Shot", STATE["shots"][0]["id"])
    check("query: lazy reference to the parent", shot["parent"]["name"] == "sq010")
    link = [item["name"] for item in shot["link"]]
    check("query: link from the project down", link == [project["name"], "sq010", "sh010"], link)
    reader.close()


@step("update")
def _update():
    session = STATE["session"]
    in_progress = session.query('Status where name is "In progress"').one()
    task = STATE["tasks"][0]
    task["status"] = in_progress
    task["description"] = "first pass"
    task["start_date"] = arrow.get("2024-05-01T12:00:00+02:00")
    session.commit()

    reader = open_session()
    again = reader.query(
        "select status.name, description, start_date from Task where id is {0}".format(task["id"])
    ).one()
    check(
        "update: status changed", again["status"]["name"] == "In progress", again["status"]["name"]
    )
    check("update: description changed", again["description"] == "first pass")
    start = again["start_date"]
    check(
        "update: date-time stored as UTC",
        start is not None
        and start.to("utc").datetime.replace(tzinfo=None)
        == datetime.datetime(2024, 5, 1, 10, 0, 0),
        start,
    )
    after = reader.query(
        'Task where start_date after "2024-04-30" and project_id is "{0}"'.format(
            STATE["project"]["id"]
        )
    ).all()
    check("update: date-time criteria", [t["id"] for t in after] == [task["id"]], len(after))
    reader.close()


@step("custom attributes and metadata")
def _custom_attributes():
    session = STATE["session"]
    shot = STATE["shots"][0]
    check(
        "custom attributes: dense, with defaults",
        shot["custom_attributes"]["fstart"] == 1,
        shot["custom_attributes"]["fstart"],
    )
    shot["custom_attributes"]["fstart"] = 1001
    shot["metadata"]["camera"] = "main"
    session.commit()

    fresh = session.create("Shot", {"name": "sh_new", "parent": STATE["sequence"]})
    fresh["custom_attributes"]["fend"] = 1100
    session.commit()

    reader = open_session()
    again = reader.get("Shot", shot["id"])
    check(
        "custom attributes: value kept",
        again["custom_attributes"]["fstart"] == 1001,
        again["custom_attributes"]["fstart"],
    )
    check("custom attributes: others hold defaults", again["custom_attributes"]["fend"] == 1)
    check("metadata: value kept", again["metadata"]["camera"] == "main")
    new_again = reader.get("Shot", fresh["id"])
    check("custom attributes: set on a new entity", new_again["custom_attributes"]["fend"] == 1100)
    matching = reader.query(
        'Shot where custom_attributes any (key is "fstart" and value is 1001)'
        ' and project_id is "{0}"'.format(STATE["project"]["id"])
    ).all()
    check(
        "custom attributes: any criteria",
        [s["id"] for s in matching] == [shot["id"]],
        len(matching),
    )
    reader.close()
    STATE["fresh_shot"] = fresh


@step("ensure")
def _ensure():
    session = STATE["session"]
    data = {"name": "sh030", "parent_id": STATE["sequence"]["id"]}
    created = session.ensure("Shot", data)
    again = session.ensure("Shot", data)
    check("ensure: creates once", created["id"] == again["id"])
    reader = open_session()
    found = reader.query(
        'Shot where name is "sh030" and parent_id is "{0}"'.format(STATE["sequence"]["id"])
    ).all()
    check("ensure: exactly one on the server", len(found) == 1, len(found))
    check("ensure: project_id filled", found and found[0]["project_id"] == STATE["project"]["id"])
    reader.close()


@step("errors")
def _errors():
    session = STATE["session"]
    compositing = session.query('Type where name is "Compositing"').one()
    session.create(
        "Task",
        {
            "name": "broken",
            "parent": STATE["shots"][0],
            "type": compositing,
            "status_id": "00000000-0000-0000-0000-000000000000",
        },
    )
    # The client logs every server error with a traceback; this one is
    # expected, so keep it out of the output.
    client_logger = logging.getLogger("ftrack_api")
    level = client_logger.level
    client_logger.setLevel(logging.CRITICAL)
    try:
        session.commit()
    except ftrack_api.exception.ServerError as error:
        client_logger.setLevel(level)
        text = str(error)
        check(
            "errors: unknown foreign key refused",
            "ValidationError" in text and "Status" in text and "does not exist" in text,
            text,
        )
        session.rollback()
    else:
        client_logger.setLevel(level)
        check("errors: unknown foreign key refused", False, "commit succeeded")
    reader = open_session()
    broken = reader.query('Task where name is "broken"').all()
    check("errors: nothing of the failed batch kept", broken == [], len(broken))
    reader.close()


@step("delete")
def _delete():
    session = STATE["session"]
    shot = STATE["shots"][1]
    task_ids = [t["id"] for t in STATE["tasks"] if t["parent"]["id"] == shot["id"]]
    session.delete(shot)
    session.commit()
    reader = open_session()
    check(
        "delete: shot gone", reader.query("Shot where id is {0}".format(shot["id"])).first() is None
    )
    left = reader.query("Task where id in ({0})".format(", ".join(task_ids))).all()
    check("delete: its tasks went with it", left == [], len(left))
    remaining = reader.query('Task where project_id is "{0}"'.format(STATE["project"]["id"])).all()
    check("delete: the other shot's tasks stay", len(remaining) == 2, len(remaining))
    reader.close()


STATE["session"].close() if "session" in STATE else None
print("{0} passed, {1} failed".format(len(PASSED), len(FAILED)))
sys.exit(1 if FAILED or not PASSED else 0)
