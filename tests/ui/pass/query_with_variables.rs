use ftrack::entities::Shot;

fn main() {
    let seq = String::from("sq010");
    let limit_names = ["sh010", "sh020"];
    let query: ftrack::Query<Shot> = ftrack::query!(
        "select name, parent.name from Shot \
         where parent.name is {seq} and name in ({limit_names}) order by name limit 2"
    );
    assert_eq!(
        query.to_string(),
        concat!(
            r#"select name, parent.name from Shot where parent.name is "sq010" "#,
            r#"and name in ("sh010", "sh020") order by name limit 2"#
        )
    );
}
