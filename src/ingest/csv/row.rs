//! One row's cells: the typed parsers (dates, whole numbers, decimals, yes/no, `|` lists,
//! categories) and the spellings of free-text categories. The fast paths call these same
//! functions.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};

use super::columns::Selected;
use crate::config::canonical_place;
use crate::ingest::error::{InputError, InputErrors};

pub const DATE_EXPECTED: &str = "a date like 2021-03-15, 15-03-2021 or 15/03/2021";
pub const INT_EXPECTED: &str = "a whole number like 1234 or 1.234 (at most 1.000.000.000)";

/// The largest whole number a cell may hold. A billion rows of it still sum within `i64`.
pub const MAX_INT: i64 = 1_000_000_000;
pub const DECIMAL_EXPECTED: &str = "a number like 31,27 or 31.27";
pub const BOOL_EXPECTED: &str = "ja or nee (also j/n, 1/0, true/false, yes/no)";

/// One data row: its line and the cells of the selected contract columns only.
#[derive(Debug, Clone)]
pub struct Row {
    pub(super) file: Arc<str>,
    pub(super) line: usize,
    pub(super) columns: Arc<[Selected]>,
    pub(super) values: Vec<Option<String>>,
}

impl Row {
    /// Line where the row starts in the file (header = line 1).
    pub fn line(&self) -> usize {
        self.line
    }

    pub fn file(&self) -> &str {
        &self.file
    }

    /// Whether the file has the column at all.
    pub fn has(&self, column: &str) -> bool {
        self.columns
            .iter()
            .any(|c| c.name == column && c.index.is_some())
    }

    /// The trimmed cell; empty when the column is absent.
    pub fn raw(&self, column: &str) -> &str {
        debug_assert!(
            self.columns.iter().any(|c| c.name == column),
            "column {column} not selected"
        );
        let index = self.columns.iter().position(|c| c.name == column);
        index
            .and_then(|i| self.values.get(i))
            .and_then(|v| v.as_deref())
            .unwrap_or("")
            .trim()
    }

    /// The trimmed cell; `None` when empty or absent.
    pub fn text(&self, column: &str) -> Option<String> {
        let value = self.raw(column);
        (!value.is_empty()).then(|| value.to_string())
    }

    pub fn required_text(&self, column: &str) -> Result<String, InputError> {
        self.text(column)
            .ok_or_else(|| self.empty_cell(column, "a value"))
    }

    pub fn date(&self, column: &str) -> Result<NaiveDate, InputError> {
        self.parsed(column, DATE_EXPECTED, parse_date)?
            .ok_or_else(|| self.empty_cell(column, DATE_EXPECTED))
    }

    /// `None` when empty.
    pub fn int(&self, column: &str) -> Result<Option<i64>, InputError> {
        self.parsed(column, INT_EXPECTED, parse_int)
    }

    pub fn required_int(&self, column: &str) -> Result<i64, InputError> {
        self.int(column)?
            .ok_or_else(|| self.empty_cell(column, INT_EXPECTED))
    }

    /// An optional whole number of at least `min`.
    pub fn int_at_least(&self, column: &str, min: i64) -> Result<Option<i64>, InputError> {
        let expected = format!("a whole number of at least {min}");
        match self.int(column)? {
            Some(n) if n < min => Err(self.error(column, &expected, self.raw(column))),
            other => Ok(other),
        }
    }

    /// `None` when empty.
    pub fn decimal(&self, column: &str) -> Result<Option<f64>, InputError> {
        self.parsed(column, DECIMAL_EXPECTED, parse_decimal)
    }

    /// Empty means false.
    pub fn bool(&self, column: &str) -> Result<bool, InputError> {
        let value = self.raw(column);
        parse_bool(value).ok_or_else(|| self.error(column, BOOL_EXPECTED, value))
    }

    /// The `|`-separated values, each once (compared case-insensitively; first spelling wins).
    pub fn list(&self, column: &str) -> Vec<String> {
        split_list(self.raw(column))
    }

    /// The configured spelling of the cell's value, matched case-insensitively.
    pub fn category(&self, column: &str, known: &[String]) -> Result<String, InputError> {
        Ok(known[self.category_place(column, known)?].clone())
    }

    /// [`Row::category`] as its place in `known`.
    pub fn category_place(&self, column: &str, known: &[String]) -> Result<usize, InputError> {
        self.category_of(column, self.raw(column), known)
    }

    /// The configured spellings of the cell's `|`-separated values, each once; every value
    /// that is not configured is a problem of its own.
    pub fn categories(&self, column: &str, known: &[String]) -> Result<Vec<String>, InputErrors> {
        let places = self.category_places(column, known)?;
        Ok(places.into_iter().map(|i| known[i].clone()).collect())
    }

    /// [`Row::categories`] as their places in `known`.
    pub fn category_places(
        &self,
        column: &str,
        known: &[String],
    ) -> Result<Vec<usize>, InputErrors> {
        let mut places: Vec<usize> = Vec::new();
        let mut errors = InputErrors::default();
        for value in self.list(column) {
            match self.category_of(column, &value, known) {
                Ok(place) if !places.contains(&place) => places.push(place),
                Ok(_) => {}
                Err(error) => errors.push(error),
            }
        }
        errors.or_ok(places)
    }

    fn category_of(
        &self,
        column: &str,
        value: &str,
        known: &[String],
    ) -> Result<usize, InputError> {
        if let Some(place) = canonical_place(known, value) {
            return Ok(place);
        }
        let expected = format!("one of: {}", known.join(", "));
        if value.is_empty() {
            Err(self.empty_cell(column, &expected))
        } else {
            Err(self.unknown(column, value, known.to_vec(), &expected))
        }
    }

    /// `value` is not one of the `known` categories of `column`.
    pub fn unknown(
        &self,
        column: &str,
        value: &str,
        known: Vec<String>,
        expected: &str,
    ) -> InputError {
        InputError::category(&self.file, self.line, column, expected, value, known)
    }

    pub(super) fn parsed<T>(
        &self,
        column: &str,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, InputError> {
        let value = self.raw(column);
        if value.is_empty() {
            return Ok(None);
        }
        parse(value)
            .map(Some)
            .ok_or_else(|| self.error(column, expected, value))
    }

    /// `column: expected ..., got "..."` on this row.
    pub fn error(&self, column: &str, expected: &str, found: &str) -> InputError {
        InputError::value(&self.file, self.line, column, expected, found)
    }

    pub fn empty_cell(&self, column: &str, expected: &str) -> InputError {
        InputError::empty_cell(&self.file, self.line, column, expected)
    }
}

/// `2021-03-15`, `15-03-2021` or `15/03/2021` (single-digit day and month too); a time of
/// day after the date is ignored, as some CRMs export timestamps. Impossible dates are `None`.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let date = without_time(text.trim())?;
    let separator = if date.contains('-') { '-' } else { '/' };
    let parts: Vec<&str> = date.split(separator).collect();
    let [a, b, c] = parts[..] else { return None };
    if ![a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    let (year, month, day) = match (a.len(), b.len(), c.len()) {
        (4, 1..=2, 1..=2) => (a, b, c),
        (1..=2, 1..=2, 4) => (c, b, a),
        _ => return None,
    };
    NaiveDate::from_ymd_opt(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?)
}

fn without_time(text: &str) -> Option<&str> {
    let Some((date, time)) = text.split_once([' ', 'T']) else {
        return Some(text);
    };
    let time = time.trim();
    let is_time = ["%H:%M", "%H:%M:%S", "%H:%M:%S%.f"]
        .iter()
        .any(|format| NaiveTime::parse_from_str(time, format).is_ok());
    is_time.then_some(date)
}

/// A whole number, optionally with Dutch thousands dots in groups of three (`1.234.567`).
pub fn parse_int(text: &str) -> Option<i64> {
    // Plain digits, the usual cell, are the number they spell: no ungrouping needed.
    if (1..=18).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        let value = text.bytes().fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
        return (value <= MAX_INT).then_some(value);
    }
    parse_grouped_int(text, '.')
}

/// A whole number, optionally with thousands separators `separator` in groups of three.
/// `None` beyond [`MAX_INT`]: such a value is a broken export, and sums over many rows of
/// bounded values cannot overflow.
pub fn parse_grouped_int(text: &str, separator: char) -> Option<i64> {
    let (negative, body) = split_sign(text.trim());
    let value: i64 = ungroup(body, separator)?.parse().ok()?;
    (value <= MAX_INT).then_some(if negative { -value } else { value })
}

fn split_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    }
}

/// The digits of `1.234.567` without separators; `None` unless every group after the first
/// has exactly three digits.
fn ungroup(text: &str, separator: char) -> Option<String> {
    let groups: Vec<&str> = text.split(separator).collect();
    let digits = groups
        .iter()
        .all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
    let grouped =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    (digits && grouped).then(|| groups.concat())
}

/// `31,27` (decimal comma; dots before it are thousands dots) or `31.27`.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, body) = split_sign(text.trim());
    let (whole, fraction) = match body.split_once(',') {
        Some((whole, fraction)) => (ungroup(whole, '.')?, fraction),
        None => match body.split_once('.') {
            Some((whole, fraction)) => (ungroup(whole, ',')?, fraction),
            None => (ungroup(body, ',')?, "0"),
        },
    };
    if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) || whole.contains(',') {
        return None;
    }
    let value: f64 = format!("{whole}.{fraction}").parse().ok()?;
    Some(if negative { -value } else { value })
}

/// `ja`/`nee`, `j`/`n`, `1`/`0`, `true`/`false`, `yes`/`no`, and Dutch Excel's `waar`/`onwaar`;
/// an empty cell is false.
pub fn parse_bool(text: &str) -> Option<bool> {
    // The usual cells without a lower-cased copy: every row of a million-row export has one.
    match text {
        "ja" => return Some(true),
        "nee" | "" => return Some(false),
        _ => {}
    }
    match text.trim().to_lowercase().as_str() {
        "ja" | "j" | "1" | "true" | "yes" | "y" | "waar" => Some(true),
        "nee" | "n" | "0" | "false" | "no" | "" | "onwaar" => Some(false),
        _ => None,
    }
}

/// Values of a `|`-separated cell, trimmed, empties dropped, each once compared
/// case-insensitively (the first spelling wins).
pub fn split_list(text: &str) -> Vec<String> {
    let mut values: Vec<String> = Vec::new();
    for value in list_values(text) {
        if !values.iter().any(|v| same_spelling(v, value)) {
            values.push(value.to_string());
        }
    }
    values
}

/// The values of a `|`-separated cell as written: trimmed, empties dropped, repeats kept.
pub fn list_values(text: &str) -> impl Iterator<Item = &str> {
    text.split('|').map(str::trim).filter(|v| !v.is_empty())
}

/// Whether two values have the same `spelling_key`; between ASCII values without making the
/// keys (a hot path: every list cell of a million-row export).
pub fn same_spelling(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        let mut a_words = a.split_whitespace();
        let mut b_words = b.split_whitespace();
        loop {
            match (a_words.next(), b_words.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => {}
                _ => return false,
            }
        }
    }
    spelling_key(a) == spelling_key(b)
}

/// Case and runs of spaces do not make a value different.
fn spelling_key(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// One spelling per value of a free-text category: the configured one when listed, else the
/// first seen in the file, so `Hoogbegaafd` and `hoogbegaafd` count together.
#[derive(Debug, Clone)]
pub struct Spellings<'c> {
    pub(super) configured: &'c [String],
    seen: HashMap<String, String>,
}

impl<'c> Spellings<'c> {
    pub fn new(configured: &'c [String]) -> Spellings<'c> {
        Spellings {
            configured,
            seen: HashMap::new(),
        }
    }

    pub fn spell(&mut self, value: &str) -> String {
        let key = spelling_key(value);
        if let Some(listed) = self.configured.iter().find(|c| spelling_key(c) == key) {
            return listed.clone();
        }
        self.seen
            .entry(key)
            .or_insert_with(|| value.trim().to_string())
            .clone()
    }

    /// The spelling of each value, each spelling once, in order.
    pub fn spell_all(&mut self, values: &[String]) -> Vec<String> {
        once_each(values.iter().map(|value| self.spell(value)))
    }
}

/// Each value once, in the order first given (lists are short: a scan beats a set).
pub fn once_each<T: PartialEq>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let values = values.into_iter();
    let mut once: Vec<T> = Vec::with_capacity(values.size_hint().0);
    for value in values {
        if !once.contains(&value) {
            once.push(value);
        }
    }
    once
}

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::*;
    use crate::config::Config;
    use crate::ingest::{Kind, Unknown};

    #[test]
    fn same_spelling_is_equal_spelling_keys() {
        let pieces = [
            "a", "A", "b", " ", "  ", "\t", "\u{b}", "é", "É", "Σ", "ß", "x",
        ];
        let mut next = crate::ingest::csv::testing::random(7);
        let mut word = || -> String { (0..next(6)).map(|_| pieces[next(pieces.len())]).collect() };
        for _ in 0..20_000 {
            let (a, b) = (word(), word());
            assert_eq!(
                same_spelling(&a, &b),
                spelling_key(&a) == spelling_key(&b),
                "{a:?} {b:?}"
            );
        }
        assert!(same_spelling("Zorg  en\tGeld", "zorg EN geld"));
    }
    #[test]
    fn bad_date_names_file_line_and_column() {
        let path = file("d.csv", "naam,datum\nx,2021-03-15\ny,31-13-2021\n");
        let (rows, errors) = read(&path, &Config::default());
        assert_eq!(rows.len(), 1);
        assert_eq!(
            errors.to_string(),
            "d.csv:3: column datum: expected a date like 2021-03-15, 15-03-2021 or 15/03/2021, \
             got \"31-13-2021\""
        );
    }

    #[test]
    fn dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(parse_date("2021-03-15"), d(2021, 3, 15));
        assert_eq!(parse_date("15-03-2021"), d(2021, 3, 15));
        assert_eq!(parse_date(" 15/03/2021 "), d(2021, 3, 15));
        assert_eq!(parse_date("5-3-2021"), d(2021, 3, 5));
        assert_eq!(parse_date("2021-03-15 14:30"), d(2021, 3, 15));
        assert_eq!(parse_date("2021-03-15T14:30:00"), d(2021, 3, 15));
        for bad in [
            "31-13-2021",
            "29-02-2021",
            "2021-03",
            "15-03-21",
            "15/03-2021",
            "gisteren",
            "",
            "2021-03-15 later",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("29-02-2020"), d(2020, 2, 29));
    }

    #[test]
    fn integers() {
        assert_eq!(parse_int("1234"), Some(1234));
        assert_eq!(parse_int("1.234"), Some(1234));
        assert_eq!(parse_int("1.234.567"), Some(1_234_567));
        assert_eq!(parse_int("-12"), Some(-12));
        for bad in [
            "1,5",
            "1.5",
            "12.34",
            "1234.567",
            "1..234",
            ".123",
            "12a",
            "-",
            "",
            "99999999999999999999",
        ] {
            assert_eq!(parse_int(bad), None, "{bad}");
        }
        assert_eq!(parse_grouped_int("4,321", ','), Some(4321));
        assert_eq!(parse_int("1.000.000.000"), Some(MAX_INT));
        assert_eq!(parse_int("1000000001"), None);
        assert_eq!(parse_int("4611686018427387904"), None);
    }

    #[test]
    fn decimals() {
        assert_eq!(parse_decimal("31,27"), Some(31.27));
        assert_eq!(parse_decimal("31.27"), Some(31.27));
        assert_eq!(parse_decimal("1.234,5"), Some(1234.5));
        assert_eq!(parse_decimal("30"), Some(30.0));
        assert_eq!(parse_decimal("-0,5"), Some(-0.5));
        for bad in [
            "31,", "1,2,3", "1.2.3", "12.34,5", "abc", "1e5", "inf", "NaN", ",",
        ] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }

    #[test]
    fn booleans() {
        for yes in ["ja", "JA", "j", "1", "true", "Yes", "waar"] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["nee", "N", "0", "FALSE", "no", "", "  "] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        assert_eq!(parse_bool("misschien"), None);
    }

    #[test]
    fn lists_keep_each_value_once() {
        assert_eq!(
            split_list(" zorg | Zorg|| kosten |ZORG "),
            vec!["zorg", "kosten"]
        );
        assert!(split_list("").is_empty());
    }

    #[test]
    fn spellings_prefer_configured_then_first_seen() {
        let configured = vec!["Overstap po-vo".to_string()];
        let mut spellings = Spellings::new(&configured);
        assert_eq!(spellings.spell("overstap  PO-VO"), "Overstap po-vo");
        assert_eq!(spellings.spell(" Hoogbegaafd "), "Hoogbegaafd");
        assert_eq!(spellings.spell("hoogbegaafd"), "Hoogbegaafd");
    }

    #[test]
    fn category_error_lists_the_known_values() {
        let path = file("k.csv", "naam,datum\nkleuter,2021-01-01\n");
        let known = vec!["po".to_string(), "vo".to_string()];
        let read = read_rows(&path, &Config::default(), COLUMNS, |row| {
            Ok(row.category("naam", &known)?)
        });
        assert_eq!(
            read.errors.to_string(),
            "k.csv:2: column naam: expected one of: po, vo, got \"kleuter\""
        );
        let kind = Kind::Category(Box::new(Unknown {
            value: "kleuter".to_string(),
            known,
        }));
        assert_eq!(read.errors.0[0].kind, kind);
    }

    #[test]
    fn every_bad_cell_of_a_row_is_a_problem_of_its_own() {
        assert_eq!(
            problems("naam,datum\n,gisteren\n"),
            vec![
                "t.csv:2: column naam: expected a value, got an empty cell",
                "t.csv:2: column datum: expected a date like 2021-03-15, 15-03-2021 or \
                 15/03/2021, got \"gisteren\""
            ]
        );
        let nuls = problems("naam,datum\nx\0,2021-03-15\0\ny,2021-03-16\n");
        assert_eq!(nuls.len(), 2, "{nuls:?}");
        assert!(nuls[0].starts_with("t.csv:2: column naam: holds a NUL byte"));
        assert!(nuls[1].starts_with("t.csv:2: column datum: holds a NUL byte"));
    }
}
