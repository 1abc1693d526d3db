//! The figures of one report, as `build` writes them to `figures.json` or as computed, and
//! the identity of each figure across reports: table, category, slot and period.

use std::fmt;
use std::path::Path;

use anyhow::Result;

use crate::figures::{self, Figures, not_figures};
use crate::period::SchoolYear;
use crate::table::{Appendix, Column, ReportTable, Row, Value};

pub use crate::figures::MAX_FIGURES_BYTES;

/// Every appendix of one report year.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub year: i32,
    pub appendices: Vec<Appendix>,
}

impl Report {
    pub fn tables(&self) -> impl Iterator<Item = &ReportTable> {
        self.appendices.iter().flat_map(|a| a.tables.iter())
    }

    pub fn table(&self, id: &str) -> Option<&ReportTable> {
        self.tables().find(|t| t.id == id)
    }

    pub fn fact(&self, appendix: &str, name: &str) -> Option<&Value> {
        self.appendices
            .iter()
            .find(|a| a.id == appendix)?
            .facts
            .get(name)
    }

    /// Reads a `figures.json` (of at most [`MAX_FIGURES_BYTES`]); the error names the file and
    /// what is wrong with it.
    pub fn read(path: &Path) -> Result<Report> {
        Report::of(Figures::read(path)?).map_err(|e| not_figures(path, e))
    }

    /// Parses the text of a `figures.json` (see [`crate::figures::Figures`]).
    pub fn parse(text: &str) -> Result<Report, String> {
        Report::of(Figures::parse(text)?)
    }

    fn of(figures: Figures) -> Result<Report, String> {
        Ok(Report {
            year: figures.year,
            appendices: figures.into_appendices()?,
        })
    }
}

/// The period a figure covers, as part of its identity across reports: a single year, or a
/// longer period equal only to the same text. A school year is the same one whether a column
/// writes it as the report does (`2019-2020`) or as CBS does (`2019/2020`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// A calendar year (`2020`).
    Calendar(i32),
    /// A school year by its start year (`2019-2020`, also written `2019/2020`).
    School(i32),
    /// Anything else: a window of years (`2017-2018 t/m 2020-2021`), a range of days. Equal
    /// only to the same text.
    Other(String),
}

impl Period {
    /// The period of a column's `period` text, read as `figures.json` reads it.
    pub fn parse(text: &str) -> Period {
        Period::of(&figures::Period::parse(text))
    }

    pub fn of(period: &figures::Period) -> Period {
        match period {
            figures::Period::CalendarYear(year) => Period::Calendar(*year),
            figures::Period::SchoolYear(year) | figures::Period::CbsSchoolYear(year) => {
                Period::School(year.start_year())
            }
            longer => Period::Other(longer.to_string().trim().to_string()),
        }
    }

    /// The period one year earlier, for a single year.
    pub fn previous(&self) -> Option<Period> {
        match self {
            Period::Calendar(y) => Some(Period::Calendar(y - 1)),
            Period::School(y) => Some(Period::School(y - 1)),
            Period::Other(_) => None,
        }
    }

    pub fn is_single(&self) -> bool {
        !matches!(self, Period::Other(_))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Calendar(y) => write!(f, "{y}"),
            Period::School(y) => write!(f, "{}", SchoolYear(*y)),
            Period::Other(s) => f.write_str(s),
        }
    }
}

/// `2020` or `2019-2020` / `2019/2020` as a single year, in a row or column key.
fn single(text: &str) -> Option<Period> {
    let text = text.trim();
    if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
        let y: i32 = text.parse().ok()?;
        return (1900..=2200).contains(&y).then_some(Period::Calendar(y));
    }
    if text.len() < 7 {
        return None; // `20-25`, a schoolweging band, is not 2020-2025
    }
    SchoolYear::parse(text).map(|y| Period::School(y.start_year()))
}

/// A key that is a period (`2019-2020`) or ends with one (`schoolkeuze 2019-2020`): the rest
/// and the period.
fn split_period(key: &str) -> (&str, Option<Period>) {
    if let Some(p) = single(key) {
        return ("", Some(p));
    }
    match key.rsplit_once(' ') {
        Some((head, tail)) => match single(tail) {
            Some(p) => (head.trim_end(), Some(p)),
            None => (key, None),
        },
        None => (key, None),
    }
}

/// One cell of a table, with its identity across reports.
#[derive(Debug, Clone)]
pub struct Figure<'a> {
    pub table: &'a str,
    pub row: &'a Row,
    pub column: &'a Column,
    pub value: &'a Value,
    /// The row key without its period: `Oost`, `schoolkeuze` (of `schoolkeuze 2019-2020`),
    /// empty when the row key is the period (`2019-2020` in `websitebezoek`).
    pub category: String,
    /// The column key without its period: empty for a year column (`2020`), else the key.
    pub slot: String,
    pub period: Option<Period>,
}

impl Figure<'_> {
    /// Table, category, slot, period: equal for the same figure in two reports.
    pub fn identity(&self) -> (String, String, String, Option<Period>) {
        (
            self.table.to_string(),
            self.category.clone(),
            self.slot.clone(),
            self.period.clone(),
        )
    }

    /// `voorlichtingen-stadsdeel / Oost / 2020`: table, row key, column key.
    pub fn name(&self) -> String {
        format!("{} / {} / {}", self.table, self.row.key, self.column.key)
    }

    /// The name with the period when neither key shows it:
    /// `sectoren / vo / dossiers (2020-2021)`, but `voorlichtingen-stadsdeel / Oost / 2020`.
    pub fn label(&self) -> String {
        match &self.period {
            Some(p) if self.slot == self.column.key && self.category == self.row.key => {
                format!("{} ({p})", self.name())
            }
            _ => self.name(),
        }
    }
}

/// The figures of a table, each with its period: the period of its column; in a table whose
/// columns carry no period, the year its row key is or ends with.
pub fn figures(t: &ReportTable) -> Vec<Figure<'_>> {
    let columns_have_periods = t.columns.iter().any(|c| c.period.is_some());
    let mut out = Vec::new();
    for row in &t.rows {
        let (category, row_period) = if columns_have_periods {
            (row.key.as_str(), None)
        } else {
            split_period(&row.key)
        };
        for (column, value) in t.columns.iter().skip(1).zip(&row.values) {
            let (slot, period) = match &column.period {
                Some(p) => {
                    let period = Period::parse(p);
                    match split_period(&column.key) {
                        (rest, Some(k)) if k == period => (rest, Some(period)),
                        _ => (column.key.as_str(), Some(period)),
                    }
                }
                None => (column.key.as_str(), row_period.clone()),
            };
            out.push(Figure {
                table: &t.id,
                row,
                column,
                value,
                category: category.to_string(),
                slot: slot.to_string(),
                period,
            });
        }
    }
    out
}

/// The row's category (its key without the period), as [`figures()`] sees it.
pub fn category(t: &ReportTable, row: &Row) -> String {
    if t.columns.iter().any(|c| c.period.is_some()) {
        row.key.clone()
    } else {
        split_period(&row.key).0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_of_keys() {
        assert_eq!(Period::parse("2020"), Period::Calendar(2020));
        assert_eq!(Period::parse("2019-2020"), Period::School(2019));
        assert_eq!(Period::parse("2019/2020"), Period::School(2019));
        assert_eq!(
            Period::parse("2017-2018 t/m 2020-2021"),
            Period::Other("2017-2018 t/m 2020-2021".into())
        );
        assert_eq!(split_period("20-25"), ("20-25", None));
        assert_eq!(
            split_period("schoolkeuze 2019-2020"),
            ("schoolkeuze", Some(Period::School(2019)))
        );
        assert_eq!(split_period("2019-2020"), ("", Some(Period::School(2019))));
        assert_eq!(split_period("Nieuw-West"), ("Nieuw-West", None));
        assert_eq!(Period::School(2019).to_string(), "2019-2020");
        assert_eq!(Period::School(2019).previous(), Some(Period::School(2018)));
    }

    #[test]
    fn year_columns_row_years_and_windows() {
        let mut years = ReportTable::new(
            "v",
            "v",
            vec![
                Column::new("gebied", "Gebied"),
                Column::new("2021", "2021").with_period("2021"),
                Column::new("2020", "2020").with_period("2020"),
            ],
        );
        years.push(Row::new("Oost", vec![Value::Count(15), Value::Count(25)]));
        let f = figures(&years);
        assert_eq!(f[1].category, "Oost");
        assert_eq!(f[1].slot, "");
        assert_eq!(f[1].period, Some(Period::Calendar(2020)));
        assert_eq!(f[1].name(), "v / Oost / 2020");

        let mut rows = ReportTable::new(
            "m",
            "m",
            vec![Column::new("k", "k"), Column::new("augustus", "augustus")],
        );
        rows.push(Row::new("zorg 2019-2020", vec![Value::Count(3)]));
        let f = figures(&rows);
        assert_eq!(
            (f[0].category.as_str(), f[0].slot.as_str()),
            ("zorg", "augustus")
        );
        assert_eq!(f[0].period, Some(Period::School(2019)));

        let mut window = ReportTable::new(
            "s",
            "s",
            vec![
                Column::new("s", "s"),
                Column::new("n", "n").with_period("2017-2018 t/m 2020-2021"),
                Column::new("cbs", "cbs").with_period("2019/2020"),
            ],
        );
        window.push(Row::new("2020", vec![Value::Count(1), Value::Count(2)]));
        let f = figures(&window);
        assert_eq!(
            f[0].category, "2020",
            "column periods: row keys are categories"
        );
        assert!(!f[0].period.as_ref().unwrap().is_single());
        assert_eq!(f[1].period, Some(Period::School(2019)));
        assert_eq!(f[1].slot, "cbs");
    }

    #[test]
    fn parse_errors_say_where() {
        assert!(Report::parse("{").unwrap_err().contains("invalid JSON"));
        assert!(Report::parse("[]").unwrap_err().contains("top level"));
        assert!(
            Report::parse(r#"{"year": 2020}"#)
                .unwrap_err()
                .contains("appendices")
        );
        let missing_value = r#"{"year": 2020, "appendices": [{"id": "a", "title": "A",
            "facts": {}, "tables": [{"id": "t", "title": "T",
            "columns": [{"key": "k", "label": "k"}, {"key": "n", "label": "n"}],
            "rows": [{"key": "r", "label": "r", "values": {}}]}]}]}"#;
        let err = Report::parse(missing_value).unwrap_err();
        assert!(
            err.contains("appendices[0].tables[0] (t).rows[0] (r)"),
            "{err}"
        );
        assert!(err.contains("column \"n\""), "{err}");
    }
}
