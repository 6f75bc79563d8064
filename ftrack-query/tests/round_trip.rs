//! Printing a tree and parsing it back gives the same tree; no value can
//! change a query's structure; no text can panic the parser.

use ftrack_query::{
    parse, parse_with, Aggregate, Criteria, Direction, Ident, InSet, Operator, Ordering,
    ParseOptions, Path, Projection, Query, Value,
};
use proptest::prelude::*;

/// Words the grammar gives a meaning to; generated names avoid them so that
/// a generated tree is one the printer can write unambiguously.
const KEYWORDS: &[&str] = &[
    "select",
    "from",
    "where",
    "and",
    "or",
    "not",
    "has",
    "any",
    "in",
    "not_in",
    "is",
    "is_not",
    "after",
    "before",
    "greater_than",
    "less_than",
    "like",
    "not_like",
    "order",
    "group",
    "by",
    "limit",
    "offset",
    "asc",
    "desc",
    "ascending",
    "descending",
    "true",
    "false",
    "none",
    "null",
    "count",
    "sum",
    "avg",
    "min",
    "max",
];

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,7}".prop_filter("not a keyword", |n| !KEYWORDS.contains(&n.as_str()))
}

fn path() -> impl Strategy<Value = Path> {
    prop::collection::vec(name(), 1..4).prop_map(|names| Path {
        segments: names.into_iter().map(Ident::new).collect(),
    })
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<String>().prop_map(Value::String),
        any::<i64>().prop_map(Value::Integer),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::Float),
        any::<bool>().prop_map(Value::Bool),
        Just(Value::Null),
    ]
}

fn operator() -> impl Strategy<Value = Operator> {
    prop::sample::select(Operator::ALL.to_vec())
}

fn leaf() -> impl Strategy<Value = Criteria> {
    prop_oneof![
        (path(), operator(), value()).prop_map(|(path, operator, value)| Criteria::Compare {
            path,
            operator,
            value
        }),
        (path(), any::<bool>(), prop::collection::vec(value(), 0..4)).prop_map(
            |(path, negated, values)| Criteria::In {
                path,
                negated,
                set: InSet::Values(values),
            }
        ),
        path().prop_map(|path| Criteria::Any {
            path,
            criteria: None
        }),
    ]
}

fn criteria() -> impl Strategy<Value = Criteria> {
    leaf().prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 2..4).prop_map(Criteria::And),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Criteria::Or),
            inner.clone().prop_map(Criteria::not),
            (path(), inner.clone()).prop_map(|(path, c)| Criteria::Has {
                path,
                criteria: Box::new(c),
            }),
            (path(), inner.clone()).prop_map(|(path, c)| Criteria::Any {
                path,
                criteria: Some(Box::new(c)),
            }),
            (path(), any::<bool>(), simple_query(inner)).prop_map(|(path, negated, query)| {
                Criteria::In {
                    path,
                    negated,
                    set: InSet::Query(Box::new(query)),
                }
            }),
        ]
    })
}

fn entity_type() -> impl Strategy<Value = String> {
    // Mixed case is an entity type (`Group`, `Order`); one case is a keyword.
    "[A-Z][A-Za-z]{0,9}".prop_filter("not a keyword", |n| {
        n != &n.to_ascii_uppercase() || !KEYWORDS.iter().any(|k| k.eq_ignore_ascii_case(n))
    })
}

fn projection() -> impl Strategy<Value = Projection> {
    prop_oneof![
        3 => path().prop_map(Projection::Path),
        1 => (
            prop::sample::select(vec![
                Aggregate::Count,
                Aggregate::Sum,
                Aggregate::Avg,
                Aggregate::Min,
                Aggregate::Max,
            ]),
            path()
        )
            .prop_map(|(function, path)| Projection::Aggregate { function, path }),
    ]
}

fn simple_query(criteria: impl Strategy<Value = Criteria>) -> impl Strategy<Value = Query> {
    (path(), entity_type(), prop::option::of(criteria)).prop_map(|(path, ty, criteria)| Query {
        projections: vec![Projection::Path(path)],
        criteria,
        ..Query::new(ty)
    })
}

fn query() -> impl Strategy<Value = Query> {
    let ordering = (path(), any::<bool>()).prop_map(|(path, descending)| Ordering {
        path,
        direction: if descending {
            Direction::Descending
        } else {
            Direction::Ascending
        },
    });
    (
        prop::collection::vec(projection(), 0..4),
        entity_type(),
        prop::option::of(criteria()),
        prop::collection::vec(path(), 0..3),
        prop::collection::vec(ordering, 0..3),
        prop::option::of(any::<u64>()),
        prop::option::of(any::<u64>()),
    )
        .prop_map(
            |(projections, ty, criteria, group_by, order_by, offset, limit)| Query {
                projections,
                entity_type: Ident::new(ty),
                criteria,
                group_by,
                order_by,
                offset,
                limit,
            },
        )
}

/// Text that looks like a query: keywords, names, symbols and values, so
/// that generated input reaches deep into the parser.
fn query_like_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(KEYWORDS.to_vec()).prop_map(str::to_owned),
        prop::sample::select(vec![
            "(", ")", ",", ".", "=", "!=", ">", "<", ">=", "<=", "\"", "'", "\\", "{", "}", "{x}",
            "-", "Shot", "Task", "name", "parent", "1", "-2", "3.5", "1e5", "\"a b\"", "'c'",
        ])
        .prop_map(str::to_owned),
        "[a-z0-9_]{1,5}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|pieces| pieces.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn printed_queries_parse_back_to_the_same_tree(query in query()) {
        let text = query.to_string();
        let parsed = parse(&text);
        prop_assert!(parsed.is_ok(), "{text:?} does not parse: {}", parsed.unwrap_err());
        prop_assert_eq!(parsed.unwrap(), query);
    }

    #[test]
    fn no_text_panics_the_parser(text in any::<String>()) {
        let _ = parse(&text);
        let _ = parse_with(&text, ParseOptions { placeholders: true });
    }

    #[test]
    fn no_query_like_text_panics_the_parser(text in query_like_text()) {
        let _ = parse(&text);
        if let Ok(query) = parse_with(&text, ParseOptions { placeholders: true }) {
            // Whatever parses prints to text that parses to the same tree.
            let again = parse_with(&query.to_string(), ParseOptions { placeholders: true });
            prop_assert_eq!(again.ok(), Some(query));
        }
    }

    #[test]
    fn a_value_never_adds_criteria(typed in any::<String>()) {
        let mut query = Query::new("Shot");
        query.and_where(Criteria::compare(Path::single("name"), Operator::Is, typed.as_str()));

        let parsed = parse(&query.to_string()).expect("a printed query parses");
        prop_assert_eq!(
            parsed.criteria,
            Some(Criteria::compare(Path::single("name"), Operator::Is, typed))
        );
    }
}

#[test]
fn hostile_values_come_back_unchanged() {
    let values = [
        r#"""#,
        "'",
        "\\",
        r#"\""#,
        r#"x" or name like "%"#,
        r#"x') or name like "%"#,
        "x\" or name like \"%",
        "trailing backslash \\",
        "line one\nline two\r\n\ttabbed",
        "ünïcödé ✓ 日本語 🎬",
        "",
        "  spaced  ",
        "{seq}",
        "\u{0}",
    ];
    for typed in values {
        let mut query = Query::new("Shot");
        query.projections = vec![Projection::Path(Path::single("name"))];
        query.and_where(Criteria::compare(Path::single("name"), Operator::Is, typed));
        query.and_where(Criteria::In {
            path: Path::single("id"),
            negated: false,
            set: InSet::Values(vec![typed.into(), "b".into()]),
        });

        let text = query.to_string();
        let parsed = parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(parsed, query, "{text}");
        let Some(Criteria::And(items)) = &parsed.criteria else {
            panic!("{text}: criteria changed shape: {:?}", parsed.criteria);
        };
        assert_eq!(items.len(), 2, "{text}: a value added criteria");
    }
}

#[test]
fn canonical_form() {
    let cases = [
        ("select name from Shot", "select name from Shot"),
        ("Shot where name = 'x'", r#"Shot where name is "x""#),
        (
            "SELECT name FROM Task WHERE bid after 1 AND status.name != Done",
            r#"select name from Task where bid > 1 and status.name is_not "Done""#,
        ),
        (
            "Task where a is 1 or (b is 2 and c is 3)",
            "Task where a is 1 or b is 2 and c is 3",
        ),
        (
            "Task where (a is 1 or b is 2) and c is 3",
            "Task where (a is 1 or b is 2) and c is 3",
        ),
        ("Task where not (a is None)", "Task where not a is none"),
        (
            "Task where status.state.short is NOT_STARTED limit 2 offset 4",
            r#"Task where status.state.short is "NOT_STARTED" offset 4 limit 2"#,
        ),
        (
            "Task where id in (a,b) order by name asc, bid desc",
            r#"Task where id in ("a", "b") order by name, bid descending"#,
        ),
        (
            "Task where metadata any () and parent has (name like '%01')",
            r#"Task where metadata any () and parent has (name like "%01")"#,
        ),
        (
            "select count(id) from Task group by status_id",
            "select count(id) from Task group by status_id",
        ),
    ];
    for (text, canonical) in cases {
        let query = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(query.to_string(), canonical, "{text}");
        assert_eq!(parse(canonical).unwrap().to_string(), canonical);
    }
}
