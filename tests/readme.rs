//! The README's lists of tables and charts are those of the appendices' definitions
//! (`appendices::ALL`): every id there, no id that is gone, in the report's order.

use std::path::Path;

use oco_report::appendices;

/// README.md with every run of white space (a line break and the indent after it) as one
/// space, so that a list reads the same however its lines are wrapped.
fn readme() -> String {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `code` spans of the list that follows `marker` in `text`, up to the end of its
/// sentence (a `.`) or of the parenthesis it is in (a `)`); spans inside parentheses of the
/// list itself (`helpdesk-maand` (`--sector`, default `vo`)) are not ids of it.
fn listed<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("README.md has no {marker:?}"))
        + marker.len();
    let rest = &text[start..];
    let mut ids = Vec::new();
    let mut depth = 0;
    let mut code_from = None;
    for (i, c) in rest.char_indices() {
        match (c, code_from) {
            ('`', None) => code_from = Some(i + 1),
            ('`', Some(from)) => {
                if depth == 0 {
                    ids.push(&rest[from..i]);
                }
                code_from = None;
            }
            (_, Some(_)) => {}
            ('(', None) => depth += 1,
            (')', None) if depth == 0 => break,
            (')', None) => depth -= 1,
            ('.', None) if depth == 0 => break,
            _ => {}
        }
    }
    ids
}

/// The ids of `known` that `patterns` name, in the order named (`voorlichtingen-*` names every
/// id with that prefix); a pattern that names none is an error.
fn expand(patterns: &[&str], known: &[&'static str]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for pattern in patterns {
        let named: Vec<&'static str> = match pattern.strip_suffix('*') {
            Some(prefix) => known
                .iter()
                .copied()
                .filter(|id| id.starts_with(prefix))
                .collect(),
            None => known.iter().copied().filter(|id| id == pattern).collect(),
        };
        assert!(
            !named.is_empty(),
            "README.md names {pattern:?}: no such table"
        );
        out.extend(named);
    }
    out
}

#[test]
fn the_table_list_names_every_table_in_order() {
    let readme = readme();
    let listed = listed(&readme, "`table` prints one table. Table ids:");
    assert_eq!(listed, appendices::table_ids());
}

#[test]
fn the_explain_section_names_the_tables_explain_knows() {
    let readme = readme();
    let patterns = listed(
        &readme,
        "It covers the tables that count dossiers or sessions:",
    );
    assert_eq!(
        expand(&patterns, &appendices::table_ids()),
        oco_report::explain::table_ids()
    );
}

#[test]
fn the_small_cell_paragraph_names_the_tables_that_count_no_people() {
    let readme = readme();
    let patterns = listed(&readme, "the tables that count no people (");
    let exempt: Vec<&str> = appendices::tables()
        .filter(|(_, t)| !t.counts_people)
        .map(|(_, t)| t.id)
        .collect();
    assert_eq!(expand(&patterns, &appendices::table_ids()), exempt);
}

#[test]
fn the_chart_list_names_every_chart_in_order() {
    let readme = readme();
    let listed = listed(
        &readme,
        "every chart as `ID.svg` and `ID.png` (twice the SVG's resolution):",
    );
    let charts: Vec<&str> = oco_report::render::charts::planned()
        .iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(listed, charts);
}

#[test]
fn a_list_ends_with_its_sentence_or_parenthesis() {
    let text = "Ids: `a`, `b` (`--x`, default `y`), `c-*`. Not `d`. (no `e`) `f`";
    assert_eq!(listed(text, "Ids:"), ["a", "b", "c-*"]);
    assert_eq!(listed(text, "(no"), ["e"]);
    assert_eq!(
        expand(&["c-*", "a"], &["a", "c-1", "c-2", "b"]),
        ["c-1", "c-2", "a"]
    );
}
