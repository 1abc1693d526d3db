//! `pageviews.csv`: website statistics, in one of two forms.
//!
//! - plain: `datum,unieke_paginaweergaven` (optionally with `pagina`: one row per page per day);
//! - a web-analytics export as downloaded: `#` comment lines, a header `Day Index,<metric>`,
//!   dates as the tool writes them (`8/1/17`), numbers with thousands commas (`"4,321"`) and a
//!   totals line at the end.
//!
//! Either way rows of the same day are summed.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::csvfile::{Column, CsvFile, Options, Row, parse_grouped_int};
use super::{InputError, InputErrors, PageviewDay};
use crate::config::Config;

pub const FILE: &str = "pageviews.csv";

const DATUM: &str = "datum";
const WEERGAVEN: &str = "unieke_paginaweergaven";
const PLAIN: &[Column] = &[
    Column::required(DATUM),
    Column::required(WEERGAVEN),
    Column::optional("pagina"),
];

/// First header cells of web-analytics exports (English and Dutch interface).
const DAY_INDEX: [&str; 3] = ["day index", "dagindex", "dag index"];
/// Metric columns preferred when an analytics export has more than one.
const METRICS: [&str; 2] = ["unique pageviews", "unieke paginaweergaven"];

const COUNT_EXPECTED: &str = "a whole number like 4321, 4.321 or \"4,321\"";

pub fn read(path: &Path, config: &Config) -> Result<Vec<PageviewDay>, InputErrors> {
    let (days, errors) = read_rows(path, config)?;
    errors.or_ok(sum_per_day(days))
}

/// The rows without a problem as read, before the rows of one day are summed (see
/// [`sum_per_day`]), and the problems of the other rows; `Err` when the file cannot be read at
/// all. For `oco-report validate`, which counts rows.
pub fn read_rows(
    path: &Path,
    config: &Config,
) -> Result<(Vec<PageviewDay>, InputErrors), InputErrors> {
    let mut file = CsvFile::open_with(path, Options { comments: true })?;
    let first = file
        .headers()
        .first()
        .map(|h| h.trim().to_lowercase())
        .unwrap_or_default();
    let (days, mut errors) = if DAY_INDEX.contains(&first.as_str()) {
        read_analytics(&mut file)?
    } else {
        file.select(config, PLAIN)?;
        read_plain(&mut file)
    };
    errors.sort_by_line();
    Ok((days, errors))
}

fn read_plain(file: &mut CsvFile) -> (Vec<PageviewDay>, InputErrors) {
    let mut days = Vec::new();
    let mut errors = InputErrors::default();
    while let Some(row) = file.next_row() {
        let day = row.and_then(|row| {
            Ok(PageviewDay {
                datum: row.date(DATUM)?,
                weergaven: count(&row, WEERGAVEN)?,
            })
        });
        match day {
            Ok(day) => days.push(day),
            Err(error) => errors.push(error),
        }
    }
    (days, errors)
}

/// The whole file is read before any date is parsed: whether `1/8/17` is 1 August or 8
/// January follows from the other dates of the file.
fn read_analytics(file: &mut CsvFile) -> Result<(Vec<PageviewDay>, InputErrors), InputError> {
    let headers = file.headers().to_vec();
    let metric = metric_column(file)?;
    let (date_column, metric_column) = (headers[0].as_str(), headers[metric].as_str());
    file.select_positions(&[(date_column, 0), (metric_column, metric)]);
    let mut errors = InputErrors::default();
    let mut rows: Vec<Row> = Vec::new();
    while let Some(row) = file.next_row() {
        if let Some(row) = errors.keep_one(row) {
            rows.push(row);
        }
    }
    // The totals line: the only line without a date, and the last one.
    if rows
        .last()
        .is_some_and(|row| row.raw(date_column).is_empty())
    {
        rows.pop();
    }
    let order = date_order(rows.iter().map(|row| row.raw(date_column)))
        .map_err(|message| InputError::file(file.name(), message))?;
    let mut days = Vec::new();
    for row in &rows {
        let day = analytics_date(row, date_column, order).and_then(|datum| {
            Ok(PageviewDay {
                datum,
                weergaven: count(row, metric_column)?,
            })
        });
        if let Some(day) = errors.keep_one(day) {
            days.push(day);
        }
    }
    Ok((days, errors))
}

/// The metric: the only column after the date, else the unique-pageviews one.
fn metric_column(file: &CsvFile) -> Result<usize, InputError> {
    let headers = file.headers();
    if headers.len() == 2 {
        return Ok(1);
    }
    let found = headers
        .iter()
        .position(|h| METRICS.contains(&h.trim().to_lowercase().as_str()));
    found.ok_or_else(|| {
        let message = format!(
            "expected a header like `Day Index,Unique Pageviews`, found {} columns: {}",
            headers.len(),
            headers.join(", ")
        );
        InputError::new(file.name(), Some(file.header_line()), None, message)
    })
}

/// A page-view count: thousands commas as the analytics tool writes them, or Dutch dots.
fn count(row: &Row, column: &str) -> Result<i64, InputError> {
    let value = row.raw(column);
    if value.is_empty() {
        return Err(row.empty_cell(column, COUNT_EXPECTED));
    }
    [',', '.']
        .iter()
        .find_map(|&separator| parse_grouped_int(value, separator))
        .filter(|&n| n >= 0)
        .ok_or_else(|| row.error(column, COUNT_EXPECTED, value))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    /// `8/1/17` is 1 August 2017, as the analytics tool writes US dates.
    MonthFirst,
    DayFirst,
}

/// Which way the file writes dates: a first part above 12 can only be a day, a second part
/// above 12 only a day too. If neither ever happens the tool's US default is assumed.
fn date_order<'a>(dates: impl Iterator<Item = &'a str>) -> Result<Order, String> {
    let (mut day_first, mut month_first) = (false, false);
    for date in dates {
        if let Some([a, b, _]) = date_parts(date).filter(|p| p[0].len() <= 2) {
            day_first |= a.parse::<u32>().is_ok_and(|n| n > 12);
            month_first |= b.parse::<u32>().is_ok_and(|n| n > 12);
        }
    }
    match (day_first, month_first) {
        (true, true) => Err(
            "the dates mix month/day/year (8/31/17) and day/month/year (31/8/17); \
                             expected one order throughout the file"
                .to_string(),
        ),
        (true, false) => Ok(Order::DayFirst),
        _ => Ok(Order::MonthFirst),
    }
}

fn date_parts(date: &str) -> Option<[&str; 3]> {
    let parts: Vec<&str> = date.trim().split(['/', '-', '.']).collect();
    let [a, b, c] = parts[..] else { return None };
    [a, b, c]
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .then_some([a, b, c])
}

fn analytics_date(row: &Row, column: &str, order: Order) -> Result<NaiveDate, InputError> {
    let value = row.raw(column);
    let expected = match order {
        Order::MonthFirst => "a date like 8/1/17 (month/day/year, as elsewhere in this file)",
        Order::DayFirst => "a date like 1/8/17 (day/month/year, as elsewhere in this file)",
    };
    if value.is_empty() {
        return Err(row.empty_cell(column, expected));
    }
    parse_analytics_date(value, order).ok_or_else(|| row.error(column, expected, value))
}

/// `8/1/17` or `8/1/2017` in the file's order; `2017-08-01` and `20170801` are unambiguous.
fn parse_analytics_date(text: &str, order: Order) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        let part =
            |range: std::ops::Range<usize>| text.get(range).and_then(|p| p.parse::<u32>().ok());
        return NaiveDate::from_ymd_opt(part(0..4)? as i32, part(4..6)?, part(6..8)?);
    }
    let [a, b, c] = date_parts(text)?;
    let number = |part: &str| part.parse::<u32>().ok();
    if a.len() == 4 {
        return NaiveDate::from_ymd_opt(a.parse().ok()?, number(b)?, number(c)?);
    }
    let year: i32 = match c.len() {
        2 => 2000 + c.parse::<i32>().ok()?,
        4 => c.parse().ok()?,
        _ => return None,
    };
    let (month, day) = match order {
        Order::MonthFirst => (number(a)?, number(b)?),
        Order::DayFirst => (number(b)?, number(a)?),
    };
    NaiveDate::from_ymd_opt(year, month, day)
}

/// One entry per day, the rows of a day summed, sorted by date.
pub fn sum_per_day(days: Vec<PageviewDay>) -> Vec<PageviewDay> {
    let mut sums: BTreeMap<NaiveDate, i64> = BTreeMap::new();
    for day in days {
        let sum = sums.entry(day.datum).or_insert(0);
        *sum = sum.saturating_add(day.weergaven);
    }
    sums.into_iter()
        .map(|(datum, weergaven)| PageviewDay { datum, weergaven })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::csvfile::testing::file;

    fn read_text(text: &str) -> Result<Vec<PageviewDay>, InputErrors> {
        read(&file(FILE, text), &Config::default())
    }

    fn day(y: i32, m: u32, d: u32, weergaven: i64) -> PageviewDay {
        PageviewDay {
            datum: NaiveDate::from_ymd_opt(y, m, d).unwrap(),
            weergaven,
        }
    }

    const ANALYTICS: &str = "\
# ----------------------------------------
# All Web Site Data
# Pages
# 20170801-20180731
# ----------------------------------------

Day Index,Unique Pageviews
8/1/17,\"4,321\"
8/2/17,987
8/13/17,\"1,000\"
,\"6,308\"

";

    #[test]
    fn analytics_export_with_comments_us_dates_and_totals() {
        assert_eq!(
            read_text(ANALYTICS).unwrap(),
            vec![
                day(2017, 8, 1, 4321),
                day(2017, 8, 2, 987),
                day(2017, 8, 13, 1000)
            ]
        );
    }

    #[test]
    fn analytics_export_with_day_first_dates() {
        let text =
            "# export\nDay Index,Unique Pageviews\n31/12/17,5\n1/1/2018,\"1,234\"\n2/1/18,3\n";
        assert_eq!(
            read_text(text).unwrap(),
            vec![
                day(2017, 12, 31, 5),
                day(2018, 1, 1, 1234),
                day(2018, 1, 2, 3)
            ]
        );
    }

    #[test]
    fn ambiguous_dates_are_read_as_us() {
        let text = "Day Index,Unique Pageviews\n8/1/17,1\n8/2/17,2\n";
        assert_eq!(read_text(text).unwrap()[1], day(2017, 8, 2, 2));
    }

    #[test]
    fn empty_date_before_the_end_is_an_error_on_the_real_line() {
        let text = "# a\n# b\n\nDay Index,Unique Pageviews\n8/1/17,1\n,2\n8/3/17,3\n,6\n";
        let err = read_text(text).unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err.0[0].line, Some(6));
        assert_eq!(err.0[0].column.as_deref(), Some("Day Index"));
    }

    #[test]
    fn bad_count_in_analytics_export() {
        let err = read_text("# x\nDay Index,Unique Pageviews\n8/1/17,\"4,32\"\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(3));
        assert!(err.0[0].message.contains("got \"4,32\""), "{err}");
    }

    #[test]
    fn mixed_date_orders_are_an_error() {
        let err = read_text("Day Index,Unique Pageviews\n8/31/17,1\n31/8/17,2\n").unwrap_err();
        assert!(err.to_string().contains("mix"), "{err}");
    }

    #[test]
    fn plain_form_sums_pages_per_day_and_sorts() {
        let text = "datum;pagina;unieke_paginaweergaven\n\
                    02-08-2021;/home;1.200\n\
                    01-08-2021;/home;10\n\
                    02-08-2021;/scholen;34\n";
        assert_eq!(
            read_text(text).unwrap(),
            vec![day(2021, 8, 1, 10), day(2021, 8, 2, 1234)]
        );
    }

    #[test]
    fn plain_form_errors() {
        let err = read_text("datum,unieke_paginaweergaven\n2021-08-01,\"1,5\"\n2021-02-30,3\n")
            .unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(
            err.0[1].to_string(),
            format!(
                "pageviews.csv:3: column datum: expected {}, got \"2021-02-30\"",
                crate::ingest::csvfile::DATE_EXPECTED
            )
        );
        let err = read_text("datum,bezoekers\n").unwrap_err();
        assert!(
            err.to_string()
                .contains("missing required column unieke_paginaweergaven"),
            "{err}"
        );
    }

    #[test]
    fn analytics_export_with_several_metrics() {
        let text = "# x\nDay Index,Pageviews,Unique Pageviews\n8/1/17,9,\"1,001\"\n";
        assert_eq!(read_text(text).unwrap(), vec![day(2017, 8, 1, 1001)]);
        let err = read_text("# x\nDay Index,Pageviews,Sessions\n8/1/17,9,3\n").unwrap_err();
        assert_eq!(err.0[0].line, Some(2));
        assert!(
            err.0[0].message.contains("Day Index, Pageviews, Sessions"),
            "{err}"
        );
    }

    #[test]
    fn analytics_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(
            parse_analytics_date("8/1/17", Order::MonthFirst),
            d(2017, 8, 1)
        );
        assert_eq!(
            parse_analytics_date("8/1/2017", Order::DayFirst),
            d(2017, 1, 8)
        );
        assert_eq!(
            parse_analytics_date("2017-08-01", Order::DayFirst),
            d(2017, 8, 1)
        );
        assert_eq!(
            parse_analytics_date("20170801", Order::MonthFirst),
            d(2017, 8, 1)
        );
        assert_eq!(parse_analytics_date("2/30/17", Order::MonthFirst), None);
        assert_eq!(parse_analytics_date("8/1/170", Order::MonthFirst), None);
    }
}
