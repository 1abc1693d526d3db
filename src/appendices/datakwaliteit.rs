//! Data quality: school names in the dossiers of the spread window that matched no school of
//! the registry. They are not counted in the stadsdeel and schoolweging tables; this appendix
//! lists them with the nearest registry names, so the CRM or the aliases can be corrected.

use anyhow::Result;
use polars::prelude::*;

use super::definition::{Definition, TableDefinition, template};
use super::{Context, count_by, in_school_years, period_text};
use crate::ingest::names::{MAX_SUGGESTED, RegistryNames, UnmatchedNames};
use crate::model::School;
use crate::table::{Appendix, Column, ReportTable, Row, Value};

/// The appendix: working material (school names as typed in the CRM can carry anything),
/// written to `intern/` only. Its list holds findings, not categories: not compared with last
/// year, and nothing for `explain` to trace.
pub const DEFINITION: Definition = Definition {
    id: "datakwaliteit",
    title: "Bijlage – Datakwaliteit",
    template: template!("datakwaliteit"),
    tables: &[TableDefinition {
        compared_with_last_year: false,
        ..TableDefinition::new("datakwaliteit-scholen", super::stadsdelen::spread_periods)
    }],
    compute,
    inputs: &[crate::ingest::scholen::FILE, crate::ingest::dossiers::FILE],
    consistency: &[],
    internal: true,
};

pub fn compute(cx: &Context) -> Result<Appendix> {
    let years = cx.windows.spread();
    let unmatched = count_by(
        &cx.frames.labels,
        cx.frames.dossiers.clone().lazy().filter(
            in_school_years(years[0], years[years.len() - 1])
                .and(col("school_onbekend").is_not_null()),
        ),
        &["school_onbekend"],
    )?;
    let names = merge_spellings(
        unmatched
            .keys()
            .into_iter()
            .map(|k| (k[0].clone(), unmatched.get(&[&k[0]]))),
    );

    let periode = period_text(&years);
    let mut table = ReportTable::new(
        "datakwaliteit-scholen",
        "Schoolnamen zonder match in het scholenregister",
        vec![
            Column::new("schoolnaam", "Schoolnaam in dossier"),
            Column::new("dossiers", "Dossiers").with_period(&periode),
            Column::new(
                "suggesties",
                "Bedoeld? (dichtstbijzijnde namen in scholen.csv)",
            ),
        ],
    )
    .with_caption(format!(
        "Dossiers uit de schooljaren {periode} met een schoolnaam of brin die niet in scholen.csv \
         voorkomt; zij tellen niet mee in de spreiding over stadsdelen en schoolweging."
    ));
    let suggestions = nearest_all(&names, &cx.data.scholen);
    for ((name, count), suggestions) in names.iter().zip(suggestions) {
        let suggestions = suggestions.join("; ");
        table.push(Row::new(
            name,
            vec![Value::Count(*count), Value::Text(suggestions)],
        ));
    }
    let mut appendix = DEFINITION.appendix();
    appendix.fact("ongematcht_namen", Value::Count(names.len() as i64));
    appendix.fact("ongematcht_dossiers", Value::Count(unmatched.total()));
    appendix.tables.push(table);
    Ok(appendix)
}

/// The names as [`UnmatchedNames`] groups them: one row per name equal after normalisation,
/// shown by its most frequent spelling; largest count first, then by name.
fn merge_spellings(counts: impl Iterator<Item = (String, i64)>) -> Vec<(String, i64)> {
    let mut names: UnmatchedNames<()> = UnmatchedNames::default();
    for (typed, n) in counts {
        names.add(&typed, n);
    }
    names
        .into_sorted()
        .into_iter()
        .map(|group| (group.name, group.count))
        .collect()
}

/// The nearest registry names of every name, in parallel on the cores there are; of the
/// first [`MAX_SUGGESTED`] names only (the rest get none).
fn nearest_all(names: &[(String, i64)], scholen: &[School]) -> Vec<Vec<String>> {
    let registry = RegistryNames::new(scholen);
    let suggested = &names[..names.len().min(MAX_SUGGESTED)];
    let mut nearest = crate::parallel::map(suggested, 64, |(name, _)| registry.nearest(name));
    nearest.resize(names.len(), Vec::new());
    nearest
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A million different names that match nothing must not take hours: only the most
    /// frequent [`MAX_SUGGESTED`] are looked up.
    #[test]
    fn nearest_names_are_looked_up_for_the_most_frequent_names_only() {
        let school = |brin: &str, naam: &str| School {
            line: 2,
            brin: brin.to_string(),
            naam: naam.to_string(),
            stadsdeel: None,
            schoolweging: None,
            sector: "po".to_string(),
            aliassen: Vec::new(),
        };
        let scholen = vec![
            school("10AA00", "De Regenboog"),
            school("10BB00", "De Kraal"),
        ];
        let names: Vec<(String, i64)> = (0..MAX_SUGGESTED + 5)
            .map(|i| (format!("De Regenbog {i}"), 1))
            .collect();
        let nearest = nearest_all(&names, &scholen);
        assert_eq!(nearest.len(), names.len());
        assert_eq!(nearest[0][0], "De Regenboog");
        assert_eq!(nearest[MAX_SUGGESTED - 1][0], "De Regenboog");
        assert!(nearest[MAX_SUGGESTED..].iter().all(Vec::is_empty));
    }

    #[test]
    fn spellings_equal_after_normalisation_are_one_row() {
        let typed = [
            ("De Regenbog", 2),
            ("de regenbog ", 1),
            ("Het Anker", 2),
            ("DE REGENBOG", 2),
        ];
        let merged = merge_spellings(typed.iter().map(|(s, n)| (s.to_string(), *n)));
        assert_eq!(
            merged,
            vec![("DE REGENBOG".to_string(), 5), ("Het Anker".to_string(), 2)]
        );
    }
}
