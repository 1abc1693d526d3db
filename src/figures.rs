//! `figures.json`: every figure of one report, as `build` writes it and as `check` and
//! `explain --vergelijk` read it back, in one serde type ([`Figures`]).
//!
//! The file format is fixed by the files earlier versions wrote, which must keep reading, and
//! by reproducibility: the same report gives the same bytes. So the fields below are declared in
//! the order the file has them (at the top and appendix level the order `build` always wrote;
//! in tables, columns and rows sorted by name, the order of the `serde_json::Map`s the file was
//! first written from), a [`Period`] is written as the text the report prints, and a cell hidden
//! by small-cell protection ([`Suppressed`]) as the text the report shows in its place.
//!
//! This module sits beside [`crate::table`] rather than in [`crate::render`]: it is the file
//! format both the writer ([`crate::render::json`]) and the readers ([`crate::check`],
//! [`crate::explain`]) depend on, not a renderer.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::period::SchoolYear;
use crate::render::number::{MONTH_NAMES, dutch_date};
use crate::render::small_cells;
use crate::table::{Appendix, Column, ReportTable, Row, Value};

/// A `figures.json` is a few hundred kilobytes; a file larger than this is none.
pub const MAX_FIGURES_BYTES: u64 = 256 << 20;

/// Every figure of one report year:
/// `{"year": 2021, "appendices": [{"id", "title", "facts": {name: cell}, "tables": [table…]}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub year: i32,
    #[serde(deserialize_with = "objects")]
    pub appendices: Vec<AppendixFigures>,
}

/// One appendix: its facts (the figures its prose quotes, sorted by name) and its tables.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppendixFigures {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
    #[serde(default)]
    pub facts: BTreeMap<String, Cell>,
    #[serde(deserialize_with = "objects")]
    pub tables: Vec<TableFigures>,
}

/// One table: `{"caption"?, "columns": [column…], "id", "rows": [row…], "title"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableFigures {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    #[serde(deserialize_with = "objects")]
    pub columns: Vec<ColumnFigures>,
    pub id: String,
    #[serde(deserialize_with = "objects")]
    pub rows: Vec<RowFigures>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub title: String,
}

/// A column: `{"key", "label", "period"?}`. The first column holds the row labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnFigures {
    pub key: String,
    /// `None` in a file without it: the label is then the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A row: `{"key", "label", "total"?: true, "values": {column_key: cell}}`, one value for
/// every column but the first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowFigures {
    pub key: String,
    /// `None` in a file without it: the label is then the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "is_false",
        deserialize_with = "null_as_default"
    )]
    pub total: bool,
    pub values: BTreeMap<String, Cell>,
}

/// An object only. serde_json also reads a struct from the list of its fields in order
/// (`[2021, []]`), which no version of `build` wrote: such a file is an error, not a report.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Object<T>, D::Error> {
        deserializer
            .deserialize_map(ObjectVisitor::new("an object"))
            .map(Object)
    }
}

struct ObjectVisitor<T> {
    expecting: &'static str,
    object: PhantomData<T>,
}

impl<T> ObjectVisitor<T> {
    fn new(expecting: &'static str) -> ObjectVisitor<T> {
        ObjectVisitor {
            expecting,
            object: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(map))
    }
}

/// A list of objects (see [`Object`]).
fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Vec::<Object<T>>::deserialize(deserializer).map(|all| all.into_iter().map(|o| o.0).collect())
}

fn is_false(b: &bool) -> bool {
    !b
}

/// `null` reads as the default, as a missing field does.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
}

/// One figure: a count (an integer), tenths (a decimal number, `0.9`; `null` when undefined),
/// a word (`"stijging"`), or a cell hidden by small-cell protection (`"<5"`, `"x"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Count(i64),
    Tenths(Option<i64>),
    Text(String),
    Suppressed(Suppressed),
}

impl Cell {
    /// A text cell, or [`Cell::Suppressed`] when the text is exactly what small-cell
    /// protection writes: the one rule both for cells computed and for cells read.
    pub fn text(text: String) -> Cell {
        match Suppressed::parse(&text) {
            Some(s) => Cell::Suppressed(s),
            None => Cell::Text(text),
        }
    }
}

impl From<&Value> for Cell {
    fn from(value: &Value) -> Cell {
        match value {
            Value::Count(n) => Cell::Count(*n),
            Value::Tenths(t) => Cell::Tenths(*t),
            Value::Text(s) => Cell::text(s.clone()),
        }
    }
}

impl From<Cell> for Value {
    fn from(cell: Cell) -> Value {
        match cell {
            Cell::Count(n) => Value::Count(n),
            Cell::Tenths(t) => Value::Tenths(t),
            Cell::Text(s) => Value::Text(s),
            Cell::Suppressed(s) => Value::Text(s.to_string()),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Cell::Count(n) => serializer.serialize_i64(*n),
            // The nearest double to a one-decimal number prints back as that number (`0.9`,
            // `12.0`), so this is exact for any realistic value.
            Cell::Tenths(Some(t)) => serializer.serialize_f64(*t as f64 / 10.0),
            Cell::Tenths(None) => serializer.serialize_unit(),
            Cell::Text(s) => serializer.serialize_str(s),
            Cell::Suppressed(s) => serializer.collect_str(s),
        }
    }
}

impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Cell, D::Error> {
        struct CellVisitor;

        impl Visitor<'_> for CellVisitor {
            type Value = Cell;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, text or null")
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Cell, E> {
                Ok(Cell::Count(n))
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Cell, E> {
                match i64::try_from(n) {
                    Ok(n) => Ok(Cell::Count(n)),
                    // Beyond any count: read as a number, as every reader before did.
                    Err(_) => self.visit_f64(n as f64),
                }
            }

            fn visit_f64<E: de::Error>(self, x: f64) -> Result<Cell, E> {
                Ok(Cell::Tenths(Some((x * 10.0).round() as i64)))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Cell, E> {
                Ok(Cell::text(s.to_string()))
            }

            fn visit_string<E: de::Error>(self, s: String) -> Result<Cell, E> {
                Ok(Cell::text(s))
            }

            fn visit_unit<E: de::Error>(self) -> Result<Cell, E> {
                Ok(Cell::Tenths(None))
            }

            fn visit_none<E: de::Error>(self) -> Result<Cell, E> {
                Ok(Cell::Tenths(None))
            }
        }

        deserializer.deserialize_any(CellVisitor)
    }
}

/// A count or percentage hidden by small-cell protection ([`crate::render::small_cells`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suppressed {
    /// A count from 1 to N-1, shown as `<N`.
    Below(u32),
    /// A percentage or average in a row with a hidden count, shown as `x`.
    Hidden,
}

impl Suppressed {
    /// `<5` or `x`, exactly as [`small_cells::suppress`] writes them; `<05` is a text.
    pub fn parse(text: &str) -> Option<Suppressed> {
        let suppressed = match small_cells::marker(text)? {
            small_cells::Marker::Below(n) => Suppressed::Below(u32::try_from(n).ok()?),
            small_cells::Marker::Hidden => Suppressed::Hidden,
        };
        (suppressed.to_string() == text).then_some(suppressed)
    }
}

impl fmt::Display for Suppressed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Suppressed::Below(n) => write!(f, "<{n}"),
            Suppressed::Hidden => f.write_str(small_cells::HIDDEN),
        }
    }
}

/// The period a column's figures cover, written as the report prints it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Period {
    /// `2021` (the voorlichtingen tables): a year from 1900 to 2200, as four digits.
    CalendarYear(i32),
    /// `2020-2021`.
    SchoolYear(SchoolYear),
    /// `2019/2020`: a school year as CBS writes it (the pupil counts of `stadsdelen`).
    CbsSchoolYear(SchoolYear),
    /// `2017-2018 t/m 2020-2021`: the school years from `first` to `last`.
    SchoolYears { first: SchoolYear, last: SchoolYear },
    /// `1 december 2020 t/m 31 juli 2021`: the days from `first` to `last` (`kanalen`).
    Days { first: NaiveDate, last: NaiveDate },
    /// A text that is none of the above, as it is: no version of `build` writes one, but a
    /// baseline edited by hand or written by a later version still reads.
    Other(String),
}

impl Period {
    /// The period `text` writes. Only the exact text [`fmt::Display`] gives for a variant
    /// reads as that variant (`2019/20` is [`Period::Other`]), so that writing back gives the
    /// same bytes.
    pub fn parse(text: &str) -> Period {
        Period::typed(text)
            .filter(|period| period.to_string() == text)
            .unwrap_or_else(|| Period::Other(text.to_string()))
    }

    fn typed(text: &str) -> Option<Period> {
        if let Some((first, last)) = text.split_once(" t/m ") {
            if let (Some(first), Some(last)) = (school_year(first), school_year(last)) {
                return Some(Period::SchoolYears { first, last });
            }
            return Some(Period::Days {
                first: day(first)?,
                last: day(last)?,
            });
        }
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            let year: i32 = text.parse().ok()?;
            return (1900..=2200)
                .contains(&year)
                .then_some(Period::CalendarYear(year));
        }
        if text.contains('/') {
            SchoolYear::parse(text).map(Period::CbsSchoolYear)
        } else {
            school_year(text).map(Period::SchoolYear)
        }
    }
}

/// `2020-2021`.
fn school_year(text: &str) -> Option<SchoolYear> {
    SchoolYear::parse(text).filter(|_| !text.contains('/'))
}

/// `1 december 2020`, as [`dutch_date`] writes it.
fn day(text: &str) -> Option<NaiveDate> {
    let mut words = text.split(' ');
    let (day, month, year) = (words.next()?, words.next()?, words.next()?);
    if words.next().is_some() {
        return None;
    }
    let month = MONTH_NAMES.iter().position(|m| *m == month)? as u32 + 1;
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day.parse().ok()?)
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::CalendarYear(year) => write!(f, "{year}"),
            Period::SchoolYear(year) => write!(f, "{year}"),
            Period::CbsSchoolYear(year) => f.write_str(&year.slashed()),
            Period::SchoolYears { first, last } => write!(f, "{first} t/m {last}"),
            Period::Days { first, last } => {
                write!(f, "{} t/m {}", dutch_date(*first), dutch_date(*last))
            }
            Period::Other(text) => f.write_str(text),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Period, D::Error> {
        struct PeriodVisitor;

        impl Visitor<'_> for PeriodVisitor {
            type Value = Period;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a period as text (\"2020-2021\", \"2021\", ...)")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Period, E> {
                Ok(Period::parse(text))
            }
        }

        deserializer.deserialize_str(PeriodVisitor)
    }
}

impl Figures {
    /// The figures of `appendices`, as `build` writes them.
    pub fn of(year: i32, appendices: &[Appendix]) -> Figures {
        Figures {
            year,
            appendices: appendices
                .iter()
                .map(|a| AppendixFigures {
                    id: a.id.clone(),
                    title: a.title.clone(),
                    facts: a
                        .facts
                        .iter()
                        .map(|(name, v)| (name.clone(), Cell::from(v)))
                        .collect(),
                    tables: a.tables.iter().map(TableFigures::of).collect(),
                })
                .collect(),
        }
    }

    /// Pretty-printed, ending with a newline: the text of `figures.json`.
    pub fn to_text(&self) -> String {
        let mut out = serde_json::to_string_pretty(self).expect("figures always serialise");
        out.push('\n');
        out
    }

    /// Reads a `figures.json` (a regular file of at most [`MAX_FIGURES_BYTES`]); the error
    /// names the file and what is wrong with it.
    pub fn read(path: &Path) -> Result<Figures> {
        // Only a regular file: a FIFO given as the baseline would wait for ever, a link to
        // /dev/zero fill the memory.
        let bytes = crate::ingest::regular::read(path, MAX_FIGURES_BYTES)
            .map_err(|e| anyhow!("cannot read {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            anyhow!(
                "{} is not UTF-8 text, so not a figures.json",
                path.display()
            )
        })?;
        Figures::parse(&text).map_err(|e| not_figures(path, e))
    }

    /// Parses the text of a `figures.json`; the error says what was expected and, where
    /// serde_json knows it, the line and column.
    pub fn parse(text: &str) -> Result<Figures, String> {
        let mut json = serde_json::Deserializer::from_str(text);
        let top_level = ObjectVisitor::new(
            "a figures.json top level: an object with \"year\" and \"appendices\"",
        );
        (&mut json)
            .deserialize_map(top_level)
            .and_then(|figures| json.end().map(|()| figures))
            .map_err(|e| match e.classify() {
                serde_json::error::Category::Data => e.to_string(),
                _ => format!("invalid JSON: {e}"),
            })
    }

    /// The appendices as report tables. A row without a value for one of its table's columns,
    /// or a table without columns, is an error naming where it is.
    pub fn into_appendices(self) -> Result<Vec<Appendix>, String> {
        self.appendices
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let at = format!("appendices[{i}]");
                let mut appendix = Appendix::new(a.id, a.title);
                for (name, cell) in a.facts {
                    appendix.fact(&name, cell.into());
                }
                for (i, t) in a.tables.into_iter().enumerate() {
                    appendix
                        .tables
                        .push(t.into_table(&format!("{at}.tables[{i}]"))?);
                }
                Ok(appendix)
            })
            .collect()
    }
}

/// The error of a file that is not a `figures.json`.
pub fn not_figures(path: &Path, what: impl fmt::Display) -> anyhow::Error {
    anyhow!(
        "{} is not a figures.json as `oco-report build` writes it: {what}",
        path.display()
    )
}

impl TableFigures {
    /// A table as `figures.json` and `table --format json` write it. A group heading is
    /// layout, not a figure: it is left out.
    pub fn of(t: &ReportTable) -> TableFigures {
        TableFigures {
            caption: t.caption.clone(),
            columns: t
                .columns
                .iter()
                .map(|c| ColumnFigures {
                    key: c.key.clone(),
                    label: Some(c.label.clone()),
                    period: c.period.as_deref().map(Period::parse),
                })
                .collect(),
            id: t.id.clone(),
            rows: t
                .rows
                .iter()
                .map(|r| RowFigures {
                    key: r.key.clone(),
                    label: Some(r.label.clone()),
                    total: r.total,
                    values: t
                        .columns
                        .iter()
                        .skip(1)
                        .zip(&r.values)
                        .map(|(c, v)| (c.key.clone(), Cell::from(v)))
                        .collect(),
                })
                .collect(),
            title: t.title.clone(),
        }
    }

    fn into_table(self, at: &str) -> Result<ReportTable, String> {
        let at = format!("{at} ({})", self.id);
        if self.columns.is_empty() {
            return Err(format!("{at}: no columns"));
        }
        let columns = self
            .columns
            .into_iter()
            .map(|c| Column {
                label: c.label.unwrap_or_else(|| c.key.clone()),
                key: c.key,
                period: c.period.map(|p| p.to_string()),
            })
            .collect();
        let mut table = ReportTable::new(self.id, self.title, columns);
        table.caption = self.caption;
        for (i, mut r) in self.rows.into_iter().enumerate() {
            let at = format!("{at}.rows[{i}] ({})", r.key);
            let mut values = Vec::new();
            for c in table.columns.iter().skip(1) {
                let cell = r
                    .values
                    .remove(&c.key)
                    .ok_or_else(|| format!("{at}: no value for column \"{}\"", c.key))?;
                values.push(cell.into());
            }
            let label = r.label.unwrap_or_else(|| r.key.clone());
            let mut row = Row::new(r.key, values).labelled(label);
            row.total = r.total;
            table.rows.push(row);
        }
        Ok(table)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn period_strings_parse_to_their_variant_and_print_back() {
        let cases = [
            ("2021", Period::CalendarYear(2021)),
            ("2020-2021", Period::SchoolYear(SchoolYear(2020))),
            ("2019/2020", Period::CbsSchoolYear(SchoolYear(2019))),
            (
                "2017-2018 t/m 2020-2021",
                Period::SchoolYears {
                    first: SchoolYear(2017),
                    last: SchoolYear(2020),
                },
            ),
            (
                "1 december 2020 t/m 31 juli 2021",
                Period::Days {
                    first: date(2020, 12, 1),
                    last: date(2021, 7, 31),
                },
            ),
        ];
        for (text, period) in cases {
            assert_eq!(Period::parse(text), period, "{text}");
            assert_eq!(period.to_string(), text);
            let json = format!("\"{text}\"");
            assert_eq!(serde_json::from_str::<Period>(&json).unwrap(), period);
            assert_eq!(serde_json::to_string(&period).unwrap(), json);
        }
        // What is not exactly one of those stays the text it is.
        for text in [
            "2019/20",
            "2019-2021",
            " 2020",
            "20-25",
            "1800",
            "",
            "01 december 2020 t/m 31 juli 2021",
            "31 juni 2021 t/m 1 juli 2021",
            "2017-2018 t/m 2020/2021",
            "schoolkeuze 2019-2020",
        ] {
            assert_eq!(Period::parse(text), Period::Other(text.into()), "{text}");
        }
        let err = serde_json::from_str::<Period>("2020").unwrap_err();
        assert!(err.to_string().contains("a period as text"), "{err}");
    }

    #[test]
    fn suppressed_cells_read_as_suppressed_and_write_as_the_report_shows_them() {
        let cell = |json: &str| serde_json::from_str::<Cell>(json).unwrap();
        assert_eq!(cell("\"<5\""), Cell::Suppressed(Suppressed::Below(5)));
        assert_eq!(cell("\"<10\""), Cell::Suppressed(Suppressed::Below(10)));
        assert_eq!(cell("\"x\""), Cell::Suppressed(Suppressed::Hidden));
        assert_eq!(cell("\"<05\""), Cell::Text("<05".into()));
        assert_eq!(cell("\"< 5\""), Cell::Text("< 5".into()));
        assert_eq!(cell("\"stijging\""), Cell::Text("stijging".into()));
        assert_eq!(cell("3836"), Cell::Count(3836));
        assert_eq!(cell("0.9"), Cell::Tenths(Some(9)));
        assert_eq!(cell("12.0"), Cell::Tenths(Some(120)));
        assert_eq!(cell("null"), Cell::Tenths(None));
        assert!(serde_json::from_str::<Cell>("true").is_err());
        let write = |c: Cell| serde_json::to_string(&c).unwrap();
        assert_eq!(write(Cell::Suppressed(Suppressed::Below(5))), "\"<5\"");
        assert_eq!(write(Cell::Suppressed(Suppressed::Hidden)), "\"x\"");
        // As small-cell protection writes it into a table.
        assert_eq!(
            Cell::from(&Value::Text("<3".into())),
            Cell::Suppressed(Suppressed::Below(3))
        );
        assert_eq!(
            Value::from(Cell::Suppressed(Suppressed::Below(3))),
            Value::Text("<3".into())
        );
    }

    #[test]
    fn a_minimal_file_reads_with_labels_from_keys() {
        // Only what every version of `build` wrote, with `null`s where a field may be absent.
        let text = r#"{"year": 2019, "appendices": [{"id": "a", "title": null,
            "tables": [{"id": "t", "title": "T", "caption": null,
            "columns": [{"key": "k"}, {"key": "n", "period": null}, {"key": "p", "label": "%"}],
            "rows": [{"key": "r", "total": null, "values": {"n": 3, "p": 0.5, "extra": 1}}]}]}]}"#;
        let appendices = Figures::parse(text).unwrap().into_appendices().unwrap();
        let t = &appendices[0].tables[0];
        assert_eq!(appendices[0].title, "");
        assert!(appendices[0].facts.is_empty());
        assert_eq!(t.columns[1].label, "n");
        assert_eq!(t.columns[2].label, "%");
        assert_eq!(t.rows[0].label, "r");
        assert!(!t.rows[0].total);
        assert_eq!(
            t.rows[0].values,
            vec![Value::Count(3), Value::Tenths(Some(5))]
        );
    }

    #[test]
    fn errors_say_what_was_expected_and_where() {
        let err = Figures::parse("{\"year\": 2020, \"appendices\": [\n").unwrap_err();
        assert!(err.starts_with("invalid JSON: "), "{err}");
        assert!(err.contains("line 2"), "{err}");
        let err = Figures::parse(r#"{"year": 2020, "appendices": [{"id": "x"}]}"#).unwrap_err();
        assert!(err.contains("missing field `tables`"), "{err}");
        assert!(err.contains("line 1 column"), "{err}");
        let err = Figures::parse(r#"{"year": "2020", "appendices": []}"#).unwrap_err();
        assert!(err.contains("expected i32 at line 1 column 15"), "{err}");
        let err = Figures::parse(
            r#"{"year": 2020, "appendices": [{"id": "x", "tables": [{"id": "t",
            "columns": [{"key": "k", "period": 2020}], "rows": []}]}]}"#,
        )
        .unwrap_err();
        assert!(err.contains("expected a period as text"), "{err}");
        assert!(err.contains("line 2 column"), "{err}");
        let err = Figures::parse(
            r#"{"year": 2020, "appendices": [{"id": "x", "tables": [{"id": "t",
            "columns": [{"key": "k"}], "rows": [{"key": "r", "values": {"n": [1]}}]}]}]}"#,
        )
        .unwrap_err();
        assert!(err.contains("expected a number, text or null"), "{err}");
        // A struct written as the list of its fields is no figures.json, at any level.
        let err = Figures::parse("[2021, []]").unwrap_err();
        assert!(err.contains("expected a figures.json top level"), "{err}");
        let err =
            Figures::parse(r#"{"year": 2020, "appendices": [["x", "X", {}, []]]}"#).unwrap_err();
        assert!(
            err.contains("invalid type: sequence, expected an object at line 1 column 30"),
            "{err}"
        );
    }

    mod round_trip {
        use super::*;
        use proptest::prelude::*;

        fn school_year() -> impl Strategy<Value = SchoolYear> {
            (1900..2200i32).prop_map(SchoolYear)
        }

        fn period() -> impl Strategy<Value = Period> {
            let day = (1900..2200i32, 1..=12u32, 1..=31u32)
                .prop_filter_map("a real day", |(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
            prop_oneof![
                (1900..=2200i32).prop_map(Period::CalendarYear),
                school_year().prop_map(Period::SchoolYear),
                school_year().prop_map(Period::CbsSchoolYear),
                (school_year(), school_year())
                    .prop_map(|(first, last)| Period::SchoolYears { first, last }),
                (day.clone(), day).prop_map(|(first, last)| Period::Days { first, last }),
                // Texts that are no typed period, by definition of `Other`.
                any::<String>()
                    .prop_map(Period::Other)
                    .prop_filter("not a typed period", |p| {
                        Period::parse(&p.to_string()) == *p
                    }),
            ]
        }

        fn cell() -> impl Strategy<Value = Cell> {
            prop_oneof![
                any::<i64>().prop_map(Cell::Count),
                // Tenths up to a hundred billion: far beyond any figure, and exact in a double.
                proptest::option::of(-1_000_000_000_000i64..1_000_000_000_000)
                    .prop_map(Cell::Tenths),
                any::<String>().prop_map(Cell::text),
                any::<u32>().prop_map(|n| Cell::Suppressed(Suppressed::Below(n))),
                Just(Cell::Suppressed(Suppressed::Hidden)),
            ]
        }

        fn table() -> impl Strategy<Value = TableFigures> {
            let column = (
                any::<String>(),
                proptest::option::of(any::<String>()),
                proptest::option::of(period()),
            )
                .prop_map(|(key, label, period)| ColumnFigures { key, label, period });
            let row = (
                any::<String>(),
                proptest::option::of(any::<String>()),
                any::<bool>(),
                proptest::collection::btree_map(any::<String>(), cell(), 0..6),
            )
                .prop_map(|(key, label, total, values)| RowFigures {
                    key,
                    label,
                    total,
                    values,
                });
            (
                proptest::option::of(any::<String>()),
                proptest::collection::vec(column, 0..6),
                any::<String>(),
                proptest::collection::vec(row, 0..6),
                any::<String>(),
            )
                .prop_map(|(caption, columns, id, rows, title)| TableFigures {
                    caption,
                    columns,
                    id,
                    rows,
                    title,
                })
        }

        fn figures() -> impl Strategy<Value = Figures> {
            let appendix = (
                any::<String>(),
                any::<String>(),
                proptest::collection::btree_map(any::<String>(), cell(), 0..5),
                proptest::collection::vec(table(), 0..4),
            )
                .prop_map(|(id, title, facts, tables)| AppendixFigures {
                    id,
                    title,
                    facts,
                    tables,
                });
            (any::<i32>(), proptest::collection::vec(appendix, 0..4))
                .prop_map(|(year, appendices)| Figures { year, appendices })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            #[test]
            fn figures_to_json_and_back_are_equal_and_write_the_same_bytes(f in figures()) {
                let text = f.to_text();
                let back = Figures::parse(&text).map_err(TestCaseError::fail)?;
                prop_assert_eq!(&back, &f);
                prop_assert_eq!(back.to_text(), text);
            }
        }
    }
}
