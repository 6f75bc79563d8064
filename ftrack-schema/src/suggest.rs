//! "Did you mean ...?": the known name nearest to a misspelled one.

/// The candidate closest to `name`, when one is close enough to be the name
/// the writer meant: the same apart from case, or within a few edits
/// (about one in three characters).
///
/// ```
/// use ftrack_schema::suggest::nearest;
///
/// let names = ["Sequence", "Shot", "Task"];
/// assert_eq!(nearest("Sequnce", names), Some("Sequence".to_owned()));
/// assert_eq!(nearest("Asset", names), None);
/// ```
pub fn nearest<'a, I>(name: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let limit = (name.chars().count() / 3).max(1);
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|candidate| *candidate != name)
        .map(|candidate| {
            let distance = if candidate.to_lowercase() == lower {
                0
            } else {
                strsim::damerau_levenshtein(&lower, &candidate.to_lowercase()).max(1)
            };
            (distance, candidate)
        })
        .filter(|(distance, _)| *distance <= limit)
        .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
        .map(|(_, candidate)| candidate.to_owned())
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn prefers_the_closest_name() {
        let names = ["name", "parent", "parent_id", "project"];
        assert_eq!(nearest("nmae", names), Some("name".to_owned()));
        assert_eq!(nearest("parnet", names), Some("parent".to_owned()));
        assert_eq!(nearest("NAME", names), Some("name".to_owned()));
    }

    #[test]
    fn suggests_nothing_for_unrelated_names() {
        assert_eq!(nearest("thumbnail", ["name", "parent"]), None);
        assert_eq!(nearest("x", Vec::<&str>::new()), None);
    }
}
