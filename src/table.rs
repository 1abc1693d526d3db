//! The report tables every computation produces and every renderer consumes.
//!
//! A [`ReportTable`] holds exact values: counts as integers, percentages as whole tenths of a
//! percent computed from integers, so that rendering never rounds twice and machine formats
//! print exactly what the report prints.

use std::collections::BTreeMap;

use serde::Serialize;

/// One value in a table cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// A count or another whole number (pupils, dossiers, pageviews).
    Count(i64),
    /// A number with one decimal, held as tenths: a percentage (`Tenths(9)` = 0,9 %) or an
    /// average (3,1). `None` when undefined, e.g. a percentage of zero pupils.
    Tenths(Option<i64>),
    /// A word, such as the trend `stijging`.
    Text(String),
}

impl Value {
    pub fn count(&self) -> Option<i64> {
        match self {
            Value::Count(n) => Some(*n),
            _ => None,
        }
    }
}

/// A column of a table. The first column of every table holds the row labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Machine name: the CSV header and the JSON key (`vragen_excl_webinars`).
    pub key: String,
    /// Header as the report prints it (`vragen excl. webinars`).
    pub label: String,
    /// The period the column's figures cover (`2020-2021`, `2021`, `2017-2018 t/m 2020-2021`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
}

impl Column {
    pub fn new(key: impl Into<String>, label: impl Into<String>) -> Column {
        Column {
            key: key.into(),
            label: label.into(),
            period: None,
        }
    }

    pub fn with_period(mut self, period: impl Into<String>) -> Column {
        self.period = Some(period.into());
        self
    }
}

/// A row: its key (first CSV column), its label as the report prints it, and one value per
/// column after the label column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub values: Vec<Value>,
    /// A totals row (`Amsterdam`, `Totaal`): printed bold, checked against the sum of the rest.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub total: bool,
    /// The heading of a group of rows that this row opens (`Overig` above Abcoude, Diemen
    /// and Landsmeer): printed as a row of its own above it in the report and the workbook.
    /// Not a figure: CSV and JSON leave it out.
    #[serde(skip)]
    pub group: Option<String>,
}

impl Row {
    pub fn new(key: impl Into<String>, values: Vec<Value>) -> Row {
        let key = key.into();
        Row {
            label: key.clone(),
            key,
            values,
            total: false,
            group: None,
        }
    }

    pub fn labelled(mut self, label: impl Into<String>) -> Row {
        self.label = label.into();
        self
    }

    pub fn as_total(mut self) -> Row {
        self.total = true;
        self
    }

    /// This row opens a group of rows with this heading (see [`Row::group`]).
    pub fn opening_group(mut self, heading: impl Into<String>) -> Row {
        self.group = Some(heading.into());
        self
    }

    /// The value in the column with this key, if the table has it.
    pub fn get<'a>(&'a self, table: &ReportTable, column_key: &str) -> Option<&'a Value> {
        let index = table
            .columns
            .iter()
            .skip(1)
            .position(|c| c.key == column_key)?;
        self.values.get(index)
    }
}

/// One table of an appendix, e.g. `stadsdelen` or `voorlichtingen-thema`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTable {
    /// The id of `oco-report table ID`.
    pub id: String,
    pub title: String,
    /// Printed under the table (`n = 683`, the period, the source of the denominator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

impl ReportTable {
    pub fn new(
        id: impl Into<String>,
        title: impl Into<String>,
        columns: Vec<Column>,
    ) -> ReportTable {
        ReportTable {
            id: id.into(),
            title: title.into(),
            caption: None,
            columns,
            rows: Vec::new(),
        }
    }

    pub fn with_caption(mut self, caption: impl Into<String>) -> ReportTable {
        self.caption = Some(caption.into());
        self
    }

    /// Adds a sentence to the caption (a window the data cover in part, a stale denominator):
    /// every renderer prints the caption, so every format shows it.
    pub fn add_note(&mut self, note: &str) {
        self.caption = Some(match self.caption.take() {
            Some(caption) if !caption.trim().is_empty() => format!("{} {note}", caption.trim_end()),
            _ => note.to_string(),
        });
    }

    pub fn push(&mut self, row: Row) {
        debug_assert_eq!(
            row.values.len() + 1,
            self.columns.len(),
            "row {} of {}",
            row.key,
            self.id
        );
        self.rows.push(row);
    }

    /// The row with this key, compared case-insensitively.
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.rows.iter().find(|r| r.key.eq_ignore_ascii_case(key))
    }

    /// The value at (row key, column key).
    pub fn value(&self, row_key: &str, column_key: &str) -> Option<&Value> {
        self.row(row_key)?.get(self, column_key)
    }
}

/// One appendix of the report: its tables and the named figures its prose quotes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Appendix {
    /// File stem of the appendix (`stadsdelen` → `stadsdelen.md`) and of its template.
    pub id: String,
    pub title: String,
    pub tables: Vec<ReportTable>,
    /// Scalars the prose quotes (`dossiers_excl` = 608), computed like every table value.
    pub facts: BTreeMap<String, Value>,
}

impl Appendix {
    pub fn new(id: impl Into<String>, title: impl Into<String>) -> Appendix {
        Appendix {
            id: id.into(),
            title: title.into(),
            tables: Vec::new(),
            facts: BTreeMap::new(),
        }
    }

    pub fn fact(&mut self, name: &str, value: Value) {
        self.facts.insert(name.to_string(), value);
    }

    pub fn table(&self, id: &str) -> Option<&ReportTable> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// `part` of `whole` in tenths of a percent, rounded half away from zero from the exact
/// integers (no floating point): 36 of 3.836 → 9 (0,9 %). `None` when `whole` is zero.
pub fn percent_tenths(part: i64, whole: i64) -> Option<i64> {
    ratio_tenths(part * 100, whole)
}

/// `numerator / denominator` in tenths, rounded half away from zero (averages: 3,1).
pub fn ratio_tenths(numerator: i64, denominator: i64) -> Option<i64> {
    if denominator == 0 {
        return None;
    }
    let (n, d) = (i128::from(numerator) * 10, i128::from(denominator));
    let negative = (n < 0) != (d < 0);
    let (n, d) = (n.abs(), d.abs());
    let rounded = (2 * n + d) / (2 * d);
    let rounded = i64::try_from(rounded).ok()?;
    Some(if negative { -rounded } else { rounded })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_percentages() {
        assert_eq!(percent_tenths(36, 3836), Some(9));
        assert_eq!(percent_tenths(458, 8000), Some(57));
        assert_eq!(percent_tenths(716, 61919), Some(12));
        assert_eq!(percent_tenths(46, 6884), Some(7));
    }

    #[test]
    fn rounds_half_away_from_zero_at_x5() {
        // 1 of 200 = 0,5 % exactly; 1 of 400 = 0,25 % → 0,3; 3 of 400 = 0,75 % → 0,8.
        assert_eq!(percent_tenths(1, 200), Some(5));
        assert_eq!(percent_tenths(1, 400), Some(3));
        assert_eq!(percent_tenths(3, 400), Some(8));
        assert_eq!(percent_tenths(-1, 400), Some(-3));
        assert_eq!(ratio_tenths(25, 10), Some(25));
        assert_eq!(ratio_tenths(5, 20), Some(3)); // 0,25 → 0,3
    }

    #[test]
    fn percentage_of_nothing_is_undefined() {
        assert_eq!(percent_tenths(3, 0), None);
    }
}
