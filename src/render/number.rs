//! Number formatting: the Dutch way for the report (`1.414`, `0,9`), plain for machine formats
//! (`1414`, `0.9`).
//!
//! Values are exact integers (counts) or whole tenths, so formatting is pure string work: no
//! floating point, no second rounding.

use crate::table::Value;

/// What an undefined value (`Value::Tenths(None)`, e.g. a percentage of zero pupils) prints as
/// in the report. Machine formats leave it empty (CSV) or write `null` (JSON).
pub const UNDEFINED: &str = "–";

/// The months in Dutch, January first: for dates in the report's prose and for reading dates
/// in the titles of DUO's files.
pub const MONTH_NAMES: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date the Dutch way: `1 december 2020`.
pub fn dutch_date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        date.day(),
        MONTH_NAMES[date.month0() as usize],
        date.year()
    )
}

/// A whole number the Dutch way: thousands separated by `.` (`1.414`, `61.919`, `-1.234`).
pub fn getal(n: i64) -> String {
    let mut out = String::new();
    if n < 0 {
        out.push('-');
    }
    push_grouped(&mut out, n.unsigned_abs());
    out
}

/// A value held in tenths, the Dutch way: one decimal after a `,`, thousands separated by `.`
/// (`9` → `0,9`; `120` → `12,0`; `-3` → `-0,3`; `12345` → `1.234,5`).
pub fn tiendes(tenths: i64) -> String {
    let (sign, whole, tenth) = split_tenths(tenths);
    let mut out = String::from(sign);
    push_grouped(&mut out, whole);
    out.push(',');
    out.push_str(&tenth.to_string());
    out
}

/// A value held in tenths for machine formats: `.` as decimal point, no thousands separator,
/// always exactly one decimal (`9` → `0.9`; `120` → `12.0`; `-3` → `-0.3`).
pub fn plain_tiendes(tenths: i64) -> String {
    let (sign, whole, tenth) = split_tenths(tenths);
    format!("{sign}{whole}.{tenth}")
}

/// A cell or fact as the report prints it: counts with [`getal`], tenths with [`tiendes`],
/// undefined as [`UNDEFINED`], text as is.
pub fn value_nl(value: &Value) -> String {
    match value {
        Value::Count(n) => getal(*n),
        Value::Tenths(Some(t)) => tiendes(*t),
        Value::Tenths(None) => UNDEFINED.to_string(),
        Value::Text(s) => s.clone(),
    }
}

/// A cell as machine formats print it: plain numbers, undefined as the empty string, text as is.
pub fn value_plain(value: &Value) -> String {
    match value {
        Value::Count(n) => n.to_string(),
        Value::Tenths(Some(t)) => plain_tiendes(*t),
        Value::Tenths(None) => String::new(),
        Value::Text(s) => s.clone(),
    }
}

/// (sign, whole part, tenth digit) of a value in tenths; the sign is kept when the whole part
/// is zero (`-3` → `("-", 0, 3)`).
fn split_tenths(tenths: i64) -> (&'static str, u64, u64) {
    let sign = if tenths < 0 { "-" } else { "" };
    let abs = tenths.unsigned_abs();
    (sign, abs / 10, abs % 10)
}

/// Appends `n` with a `.` between every group of three digits.
fn push_grouped(out: &mut String, n: u64) {
    let digits = n.to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn getal_groups_thousands_with_dots() {
        assert_eq!(getal(0), "0");
        assert_eq!(getal(7), "7");
        assert_eq!(getal(608), "608");
        assert_eq!(getal(1414), "1.414");
        assert_eq!(getal(61919), "61.919");
        assert_eq!(getal(100000), "100.000");
        assert_eq!(getal(1512345), "1.512.345");
        assert_eq!(getal(-1234), "-1.234");
        assert_eq!(getal(-12), "-12");
        assert_eq!(getal(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn tiendes_use_a_decimal_comma() {
        assert_eq!(tiendes(9), "0,9");
        assert_eq!(tiendes(57), "5,7");
        assert_eq!(tiendes(120), "12,0");
        assert_eq!(tiendes(0), "0,0");
        assert_eq!(tiendes(-3), "-0,3");
        assert_eq!(tiendes(-57), "-5,7");
        assert_eq!(tiendes(12345), "1.234,5");
    }

    #[test]
    fn plain_tiendes_use_a_point_and_no_grouping() {
        assert_eq!(plain_tiendes(9), "0.9");
        assert_eq!(plain_tiendes(120), "12.0");
        assert_eq!(plain_tiendes(0), "0.0");
        assert_eq!(plain_tiendes(-3), "-0.3");
        assert_eq!(plain_tiendes(12345), "1234.5");
    }

    #[test]
    fn values_for_reports_and_machines() {
        assert_eq!(value_nl(&Value::Count(61919)), "61.919");
        assert_eq!(value_nl(&Value::Tenths(Some(7))), "0,7");
        assert_eq!(value_nl(&Value::Tenths(None)), "–");
        assert_eq!(value_nl(&Value::Text("stijging".into())), "stijging");
        assert_eq!(value_plain(&Value::Count(61919)), "61919");
        assert_eq!(value_plain(&Value::Tenths(Some(7))), "0.7");
        assert_eq!(value_plain(&Value::Tenths(None)), "");
    }
}
