//! Parsing and checking a query of 20 criteria against the shipped schema.
#![allow(missing_docs)] // criterion_group! and criterion_main! write undocumented functions

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use ftrack_query::{check, parse};
use ftrack_schema::Schema;

/// Twenty criteria of every shape: comparisons through references, `in`
/// lists, `has`, `any`, `not`, dates and patterns.
const QUERY: &str = r#"select name, parent.name, status.name, type.name, assignments.resource_id
    from Task where project.name is "demo" and parent.name like "sq0%"
    and status.state.short is_not DONE and type.name in ("Compositing", "Lighting")
    and bid >= 3600 and bid < 86400 and priority.sort <= 5
    and created_at after "2024-01-01T00:00:00" and end_date before "2025-01-01"
    and not name like "%_old" and parent has (name is_not "sq999" and parent_id is_not none)
    and metadata any (key is "fps" and value is "24") and assignments any ()
    and (context_type is task or object_type.name is Task)
    and id not_in (select id from Shot where name is "sh010")
    and description is_not none and sort > 0
    order by parent.name, name descending limit 100"#;

fn parse_and_check(c: &mut Criterion) {
    let schema = Schema::from_yaml_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../schema/ftrack.yaml"
    ))
    .expect("the shipped schema loads");
    let query = parse(QUERY).expect("the benchmark query parses");
    check(&query, &schema).expect("the benchmark query checks");

    c.bench_function("parse 20 criteria", |b| b.iter(|| parse(black_box(QUERY))));
    c.bench_function("check 20 criteria", |b| {
        b.iter(|| check(black_box(&query), &schema))
    });
    c.bench_function("parse and check 20 criteria", |b| {
        b.iter(|| {
            let query = parse(black_box(QUERY)).expect("parses");
            check(&query, &schema)
        })
    });
    c.bench_function("print 20 criteria", |b| {
        b.iter(|| black_box(&query).to_string())
    });
}

criterion_group!(benches, parse_and_check);
criterion_main!(benches);
