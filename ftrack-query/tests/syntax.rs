//! Every clause, operator, alias and literal form of the query language, and
//! each kind of syntax error.

use ftrack_query::{
    parse, parse_criteria, parse_with, Aggregate, Criteria, Direction, InSet, Operator,
    ParseErrorKind, ParseOptions, Path, Projection, Query, Value,
};

fn criteria(text: &str) -> Criteria {
    parse_criteria(text, ParseOptions::default())
        .unwrap_or_else(|e| panic!("{text:?} does not parse: {e}"))
}

fn compare(path: &str, operator: Operator, value: impl Into<Value>) -> Criteria {
    Criteria::compare(Path::parse_dotted(path), operator, value)
}

fn error(text: &str) -> String {
    match parse(text) {
        Ok(query) => panic!("{text:?} parsed as {query:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn select_from_with_dotted_projections() {
    let query = parse("select name, parent.name, asset.versions.version from Shot").unwrap();

    assert_eq!(
        query.projections,
        vec![
            Projection::Path(Path::single("name")),
            Projection::Path(Path::parse_dotted("parent.name")),
            Projection::Path(Path::parse_dotted("asset.versions.version")),
        ]
    );
    assert_eq!(query.entity_type.name, "Shot");
    assert_eq!(query.criteria, None);
}

#[test]
fn the_short_form_names_only_the_entity_type() {
    let query = parse("Task").unwrap();
    assert!(query.projections.is_empty());
    assert_eq!(query.entity_type.name, "Task");

    let query = parse("Task where name is comp").unwrap();
    assert_eq!(query.criteria, Some(compare("name", Operator::Is, "comp")));
}

#[test]
fn every_operator_spelling() {
    let cases = [
        ("is", Operator::Is),
        ("=", Operator::Is),
        ("is_not", Operator::IsNot),
        ("!=", Operator::IsNot),
        (">", Operator::Greater),
        ("after", Operator::Greater),
        ("greater_than", Operator::Greater),
        ("<", Operator::Less),
        ("before", Operator::Less),
        ("less_than", Operator::Less),
        (">=", Operator::GreaterOrEqual),
        ("<=", Operator::LessOrEqual),
        ("like", Operator::Like),
        ("not_like", Operator::NotLike),
    ];
    for (spelling, operator) in cases {
        let text = format!("bid {spelling} 14400");
        assert_eq!(criteria(&text), compare("bid", operator, 14400), "{text}");
        // Operators written against their neighbours, as `key=value`.
        let tight = format!("bid{spelling}14400");
        if !spelling.chars().next().unwrap().is_alphabetic() {
            assert_eq!(criteria(&tight), compare("bid", operator, 14400), "{tight}");
        }
    }
    assert_eq!(
        criteria("name IS_NOT x"),
        compare("name", Operator::IsNot, "x")
    );
}

#[test]
fn in_and_not_in_take_lists_and_sub_queries() {
    assert_eq!(
        criteria(r#"status.name in ("Done", "Omitted")"#),
        Criteria::In {
            path: Path::parse_dotted("status.name"),
            negated: false,
            set: InSet::Values(vec!["Done".into(), "Omitted".into()]),
        }
    );
    assert_eq!(
        criteria("id not_in (a,b,c)"),
        Criteria::In {
            path: Path::single("id"),
            negated: true,
            set: InSet::Values(vec!["a".into(), "b".into(), "c".into()]),
        }
    );
    assert_eq!(
        criteria("id in ()"),
        Criteria::In {
            path: Path::single("id"),
            negated: false,
            set: InSet::Values(vec![]),
        }
    );

    let sub = criteria("id in (select in_reply_to_id from Note where author.username is jane)");
    let Criteria::In {
        set: InSet::Query(query),
        ..
    } = sub
    else {
        panic!("expected a sub-query, got {sub:?}");
    };
    assert_eq!(query.entity_type.name, "Note");
    assert_eq!(
        query.criteria,
        Some(compare("author.username", Operator::Is, "jane"))
    );
}

#[test]
fn has_and_any_take_sub_criteria() {
    assert_eq!(
        criteria(r#"author has (first_name is "Jane" and last_name is "Doe")"#),
        Criteria::Has {
            path: Path::single("author"),
            criteria: Box::new(Criteria::and(
                compare("first_name", Operator::Is, "Jane"),
                compare("last_name", Operator::Is, "Doe"),
            )),
        }
    );
    assert_eq!(
        criteria(r#"metadata any (key is "fps" and value is "24")"#),
        Criteria::Any {
            path: Path::single("metadata"),
            criteria: Some(Box::new(Criteria::and(
                compare("key", Operator::Is, "fps"),
                compare("value", Operator::Is, "24"),
            ))),
        }
    );
    assert_eq!(
        criteria("not timelogs any ()"),
        Criteria::not(Criteria::Any {
            path: Path::single("timelogs"),
            criteria: None,
        })
    );
}

#[test]
fn and_binds_tighter_than_or() {
    let a = || compare("a", Operator::Is, 1);
    let b = || compare("b", Operator::Is, 2);
    let c = || compare("c", Operator::Is, 3);

    assert_eq!(
        criteria("a is 1 or b is 2 and c is 3"),
        Criteria::Or(vec![a(), Criteria::And(vec![b(), c()])])
    );
    assert_eq!(
        criteria("(a is 1 or b is 2) and c is 3"),
        Criteria::And(vec![Criteria::Or(vec![a(), b()]), c()])
    );
    assert_eq!(
        criteria("a is 1 and b is 2 and c is 3"),
        Criteria::And(vec![a(), b(), c()])
    );
    assert_eq!(
        criteria("not a is 1 and b is 2"),
        Criteria::And(vec![Criteria::not(a()), b()])
    );
    assert_eq!(
        criteria("not (a is 1 and b is 2)"),
        Criteria::not(Criteria::And(vec![a(), b()]))
    );
    assert_eq!(
        criteria("a is 1 AND b is 2 Or c is 3"),
        Criteria::Or(vec![Criteria::And(vec![a(), b()]), c()])
    );
}

#[test]
fn literal_forms() {
    let value = |text: &str| match criteria(&format!("x is {text}")) {
        Criteria::Compare { value, .. } => value,
        other => panic!("{other:?}"),
    };
    assert_eq!(value(r#""comp""#), Value::String("comp".into()));
    assert_eq!(value("'comp'"), Value::String("comp".into()));
    assert_eq!(
        value(r#""say \"hi\"""#),
        Value::String(r#"say "hi""#.into())
    );
    assert_eq!(value(r"'it\'s'"), Value::String("it's".into()));
    assert_eq!(
        value(r#""back\\slash""#),
        Value::String(r"back\slash".into())
    );
    assert_eq!(value(r#""it's""#), Value::String("it's".into()));
    assert_eq!(value("'say \"hi\"'"), Value::String("say \"hi\"".into()));
    assert_eq!(value("10"), Value::Integer(10));
    assert_eq!(value("-3"), Value::Integer(-3));
    assert_eq!(value("12.5"), Value::Float(12.5));
    assert_eq!(value("1.5e3"), Value::Float(1500.0));
    assert_eq!(value("true"), Value::Bool(true));
    assert_eq!(value("False"), Value::Bool(false));
    assert_eq!(value("none"), Value::Null);
    assert_eq!(value("None"), Value::Null);
    assert_eq!(value("null"), Value::Null);
    assert_eq!(value("active"), Value::String("active".into()));
    assert_eq!(value("NOT_STARTED"), Value::String("NOT_STARTED".into()));
    assert_eq!(
        value("7d0e4d8a-53f4-11e4-a54c-20c9d081909b"),
        Value::String("7d0e4d8a-53f4-11e4-a54c-20c9d081909b".into())
    );
    assert_eq!(value(r#""ünïcödé ✓""#), Value::String("ünïcödé ✓".into()));
}

#[test]
fn placeholders_only_when_asked_for() {
    let options = ParseOptions { placeholders: true };
    let query = parse_with("Shot where parent.name is {seq}", options).unwrap();
    assert_eq!(
        query.criteria,
        Some(compare(
            "parent.name",
            Operator::Is,
            Value::Placeholder("seq".into())
        ))
    );

    assert_eq!(
        error("Shot where parent.name is {seq}"),
        "column 27: unexpected character '{'; put values that hold it in quotes"
    );
    let bad = parse_with("Shot where name is {1x}", options).unwrap_err();
    assert_eq!(bad.kind, ParseErrorKind::BadPlaceholder("{1x}".into()));
}

#[test]
fn order_by_group_by_offset_limit_and_aggregates() {
    let query = parse(
        "select count(id), status_id from Task where bid > 0 group by project_id, status_id \
         order by name, created_at desc, bid ascending, end descending, start asc \
         limit 10 offset 20",
    )
    .unwrap();

    assert_eq!(
        query.projections[0],
        Projection::Aggregate {
            function: Aggregate::Count,
            path: Path::single("id"),
        }
    );
    assert_eq!(
        query.group_by,
        vec![Path::single("project_id"), Path::single("status_id")]
    );
    let directions: Vec<_> = query.order_by.iter().map(|o| o.direction).collect();
    assert_eq!(
        directions,
        [
            Direction::Ascending,
            Direction::Descending,
            Direction::Ascending,
            Direction::Descending,
            Direction::Ascending
        ]
    );
    assert_eq!((query.offset, query.limit), (Some(20), Some(10)));

    let query = parse("Task offset 0 limit 500").unwrap();
    assert_eq!((query.offset, query.limit), (Some(0), Some(500)));
    let query = parse("Task limit 0").unwrap();
    assert_eq!(query.limit, Some(0));

    for function in ["sum", "avg", "min", "max"] {
        let query = parse(&format!("select {function}(bid) from Task")).unwrap();
        assert!(matches!(query.projections[0], Projection::Aggregate { .. }));
    }
}

#[test]
fn tokenizer_traps_of_real_client_output() {
    // Python's `populate` with composite keys: a closing quote touching `and`.
    let query = parse(r#"Metadata where (parent_id is "x"and key is "y")"#).unwrap();
    assert_eq!(
        query.criteria,
        Some(Criteria::and(
            compare("parent_id", Operator::Is, "x"),
            compare("key", Operator::Is, "y"),
        ))
    );
    // `key=value` with no spaces.
    assert_eq!(
        criteria("key=some_key"),
        compare("key", Operator::Is, "some_key")
    );
    // Python `ensure`: capitalised constants.
    assert_eq!(
        criteria("asset_id is_not None"),
        compare("asset_id", Operator::IsNot, Value::Null)
    );
    // Keywords in paths: schemas have attributes called `from` and `group`.
    let query =
        parse("select from.name, group from TypedContextLink where from.name is x").unwrap();
    assert_eq!(query.projections[0].path().to_string(), "from.name");
    assert_eq!(query.projections[1].path().to_string(), "group");
}

#[test]
fn entity_types_may_share_a_keyword_in_mixed_case() {
    // `Group` holds user groups; `group by` is a clause.
    let query = parse("select name from Group where name is artists").unwrap();
    assert_eq!(query.entity_type.name, "Group");
    assert_eq!(parse("Group").unwrap().entity_type.name, "Group");
    let query = parse("Group where id in (select group_id from Group) group by name").unwrap();
    assert_eq!(query.group_by, vec![Path::single("name")]);
    assert_eq!(parse(&query.to_string()).unwrap(), query);

    assert_eq!(
        error("select name from group"),
        "column 18: expected an entity type after 'from', found 'group'"
    );
    assert_eq!(
        error("select name from WHERE"),
        "column 18: expected an entity type after 'from', found 'WHERE'"
    );
}

#[test]
fn builds_the_same_tree_as_it_parses() {
    let mut built = Query::new("Shot");
    built.projections = vec![Projection::Path(Path::single("name"))];
    built.and_where(compare("parent.name", Operator::Is, "sq010"));
    built.and_where(compare("bid", Operator::Greater, 1.5));

    let parsed =
        parse(r#"select name from Shot where parent.name is "sq010" and bid > 1.5"#).unwrap();
    assert_eq!(built, parsed);
}

#[test]
fn syntax_errors_say_where_what_was_found_and_what_was_expected() {
    assert_eq!(
        error("select name from Shot where parent.name iz x"),
        "column 41: expected an operator after 'parent.name', found 'iz'"
    );
    assert_eq!(
        error("select name from"),
        "column 17: expected an entity type after 'from', found the end of the query"
    );
    assert_eq!(
        error("select name Shot"),
        "column 13: expected ',' or 'from' after 'name', found 'Shot'"
    );
    assert_eq!(
        error("select from Shot"),
        "column 8: expected a projection after 'select', found 'from'"
    );
    assert_eq!(
        error("Shot where name is"),
        "column 19: expected a value after 'name is', found the end of the query"
    );
    assert_eq!(
        error("Shot where (name is x"),
        "column 22: expected ')' to close the group, found the end of the query"
    );
    assert_eq!(
        error("Shot where parent has name is x"),
        "column 23: expected '(' after 'has', found 'name'"
    );
    assert_eq!(
        error("Shot where name is x limit -1"),
        "column 28: expected a whole number of 0 or more after 'limit', found '-1'"
    );
    assert_eq!(
        error("Shot where name is x y"),
        "column 22: expected 'and', 'or', 'order by', 'limit' or the end of the query, \
         found 'y'"
    );
    assert_eq!(
        error("Shot order name"),
        "column 12: expected 'by' after 'order', found 'name'"
    );
    assert_eq!(
        error("Shot where parent. = x"),
        "column 20: expected an attribute name after 'parent.', found '='"
    );
}

#[test]
fn lexical_errors() {
    let unterminated = parse(r#"Shot where name is "sq010"#).unwrap_err();
    assert_eq!(unterminated.kind, ParseErrorKind::UnterminatedString);
    assert_eq!(unterminated.column(), 20);

    let at = parse("User where username is jane@studio.com").unwrap_err();
    assert_eq!(at.kind, ParseErrorKind::UnexpectedCharacter('@'));

    let big = parse("Task where bid is 99999999999999999999").unwrap_err();
    assert_eq!(
        big.kind,
        ParseErrorKind::NumberOutOfRange("99999999999999999999".into())
    );

    let twice = parse("Task limit 1 limit 2").unwrap_err();
    assert_eq!(twice.kind, ParseErrorKind::Repeated("limit"));
    assert_eq!(twice.to_string(), "column 14: `limit` is given twice");

    let deep = format!("Task where {}a is 1{}", "(".repeat(100), ")".repeat(100));
    assert_eq!(parse(&deep).unwrap_err().kind, ParseErrorKind::TooDeep);
    let not_deep = format!("Task where {}a is 1{}", "(".repeat(30), ")".repeat(30));
    assert!(parse(&not_deep).is_ok());
}
