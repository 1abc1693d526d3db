//! `pageviews.csv`: website statistics, in one of two forms.
//!
//! - plain: `datum,unieke_paginaweergaven` (optionally with `pagina`: one row per page per day);
//! - a web-analytics export as downloaded: `#` comment lines, a header `Day Index,<metric>`,
//!   dates as the tool writes them (`8/1/17`), numbers with thousands commas (`"4,321"`) and a
//!   totals line at the end.
//!
//! Either way rows of the same day are summed.
//!
//! Analytics exports at a national scale run to tens of millions of rows (one per page per
//! day), so a plain file is first read by a fast path (`fast`): bytes, not decoded text,
//! in parallel parts, summed per day as it goes, nothing kept per row. It takes only files the
//! careful reader would read without a single problem, deciding each rule by the careful
//! reader's own function, and gives up at the first thing out of the ordinary (a quote, a
//! comment, an odd date, a bad count, ...); the careful reader then reads the whole file and
//! names every problem with its line and column. `OCO_READER=careful` turns the fast path off
//! ([`reader_choice`]).

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::csv::{Column, CsvFile, NotKept, Options, Row, parse_grouped_int};
use super::reader_choice::{self, ReaderChoice};
use super::{InputError, InputErrors};
use crate::config::Config;
use crate::model::PageviewDay;

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

/// The longest contract cell the fast path takes, in bytes (the same for every fast path).
pub use super::csv::FAST_MAX_CELL;

pub fn read(path: &Path, config: &Config) -> Result<Vec<PageviewDay>, InputErrors> {
    let summed = read_summed(path, config)?;
    summed.errors.or_ok(summed.days)
}

/// The rows without a problem summed per day, with the number of rows of each day, and the
/// problems of the other rows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summed {
    /// One entry per day, sorted by date (see [`sum_per_day`]).
    pub days: Vec<PageviewDay>,
    /// The rows of each day of `days`.
    pub rows: Vec<usize>,
    pub errors: InputErrors,
    /// Rows with problems beyond those `errors` lists (see [`NotKept`]).
    pub rejected_not_listed: usize,
}

impl Summed {
    /// The rows without a problem, summed per day.
    pub fn of(rows: Vec<PageviewDay>, (errors, not_kept): (InputErrors, NotKept)) -> Summed {
        let mut per_day: BTreeMap<NaiveDate, usize> = BTreeMap::new();
        for row in &rows {
            *per_day.entry(row.datum).or_insert(0) += 1;
        }
        Summed {
            days: sum_per_day(rows),
            rows: per_day.into_values().collect(),
            errors,
            rejected_not_listed: not_kept.rows,
        }
    }

    /// Each day and its rows without a problem.
    pub fn per_day(&self) -> Vec<(NaiveDate, usize)> {
        self.days
            .iter()
            .map(|d| d.datum)
            .zip(self.rows.iter().copied())
            .collect()
    }
}

/// The file summed per day by the reader `OCO_READER` chooses (see [`read_summed_with`]).
pub fn read_summed(path: &Path, config: &Config) -> Result<Summed, InputErrors> {
    read_summed_with(path, config, ReaderChoice::of_this_run())
}

/// The file summed per day: with [`ReaderChoice::Fast`] by the fast path when it takes the
/// file, else (and always with [`ReaderChoice::Careful`]) by the careful reader
/// ([`read_rows`]); `Err` when the file cannot be read at all. Both choices give the same
/// result for every file (`tests/pageviews_readers.rs`).
pub fn read_summed_with(
    path: &Path,
    config: &Config,
    choice: ReaderChoice,
) -> Result<Summed, InputErrors> {
    if choice == ReaderChoice::Fast {
        if let Some(summed) = read_fast(path, config) {
            return Ok(summed);
        }
    }
    let (rows, errors) = read_rows(path, config)?;
    Ok(Summed::of(rows, errors))
}

/// The fast path alone: the file summed per day, or `None` where it leaves the file to the
/// careful reader (saying why under `OCO_DEBUG`, see [`reader_choice::declined`]).
pub fn read_fast(path: &Path, config: &Config) -> Option<Summed> {
    match fast::read(path, config) {
        Ok(summed) => Some(summed),
        Err(why) => {
            // The line is counted only for the log: the fast path itself keeps byte offsets.
            if reader_choice::debugging() {
                let line = why.at.and_then(|at| fast::line_of(path, at));
                reader_choice::declined(FILE, why.rule, line);
            }
            None
        }
    }
}

/// The rows without a problem as read, before the rows of one day are summed (see
/// [`sum_per_day`]), and the problems of the other rows; `Err` when the file cannot be read at
/// all. For `oco-report validate`, which counts rows. Problems beyond the first
/// [`MAX_PROBLEMS_KEPT`](super::csv::MAX_PROBLEMS_KEPT) are counted (and the count is the
/// last problem).
pub fn read_rows(
    path: &Path,
    config: &Config,
) -> Result<(Vec<PageviewDay>, (InputErrors, NotKept)), InputErrors> {
    let mut file = CsvFile::open_with(path, Options { comments: true })?;
    let first = file
        .headers()
        .first()
        .map(|h| h.trim().to_lowercase())
        .unwrap_or_default();
    let mut errors = InputErrors::default();
    let mut not_kept = NotKept::default();
    let mut problem = |error| not_kept.keep_or_count(&mut errors, error);
    let days = if DAY_INDEX.contains(&first.as_str()) {
        read_analytics(&mut file, &mut problem)?
    } else {
        file.select(config, PLAIN)?;
        read_plain(&mut file, &mut problem)
    };
    errors.sort_by_line();
    if let Some(summary) = not_kept.summary(file.name()) {
        errors.push(summary);
    }
    Ok((days, (errors, not_kept)))
}

/// The plain form. The fast path decides by the same functions: the date by
/// [`Row::date`]'s [`parse_date`](super::csv::parse_date), the count by [`count_value`].
fn read_plain(file: &mut CsvFile, problem: &mut dyn FnMut(InputError)) -> Vec<PageviewDay> {
    let mut days = Vec::new();
    while let Some(row) = file.next_row() {
        let day = row.and_then(|row| {
            Ok(PageviewDay {
                datum: row.date(DATUM)?,
                weergaven: count(&row, WEERGAVEN)?,
            })
        });
        match day {
            Ok(day) => days.push(day),
            Err(error) => problem(error),
        }
    }
    days
}

/// The whole file is read before any date is parsed: whether `1/8/17` is 1 August or 8
/// January follows from the other dates of the file.
fn read_analytics(
    file: &mut CsvFile,
    problem: &mut dyn FnMut(InputError),
) -> Result<Vec<PageviewDay>, InputError> {
    let headers = file.headers().to_vec();
    let metric = metric_column(file)?;
    let (date_column, metric_column) = (headers[0].as_str(), headers[metric].as_str());
    file.select_positions(&[(date_column, 0), (metric_column, metric)]);
    let mut rows: Vec<Row> = Vec::new();
    while let Some(row) = file.next_row() {
        match row {
            Ok(row) => rows.push(row),
            Err(error) => problem(error),
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
        match day {
            Ok(day) => days.push(day),
            Err(error) => problem(error),
        }
    }
    Ok(days)
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

/// A page-view count of `row` (see [`count_value`]).
fn count(row: &Row, column: &str) -> Result<i64, InputError> {
    let value = row.raw(column);
    if value.is_empty() {
        return Err(row.empty_cell(column, COUNT_EXPECTED));
    }
    count_value(value).ok_or_else(|| row.error(column, COUNT_EXPECTED, value))
}

/// A page-view count: thousands commas as the analytics tool writes them, or Dutch dots;
/// not negative, at most [`MAX_INT`](super::csv::MAX_INT). The rule of both readers; up to
/// nine plain digits (nearly every cell of a large export) are read without the general
/// route's allocations, to the same value.
#[inline]
fn count_value(text: &str) -> Option<i64> {
    if (1..=9).contains(&text.len()) {
        let (mut n, mut digits) = (0, true);
        for b in text.bytes() {
            digits &= b.is_ascii_digit();
            n = n * 10 + i64::from(b.wrapping_sub(b'0'));
        }
        if digits {
            return Some(n);
        }
    }
    [',', '.']
        .iter()
        .find_map(|&separator| parse_grouped_int(text, separator))
        .filter(|&n| n >= 0)
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

/// The fast path for the plain form.
///
/// It takes a file only when the careful reader would read it without a problem and to the
/// same days and sums, and it decides each rule by the careful reader's own function: dates by
/// [`parse_date`](super::csv::parse_date), counts by [`count_value`], "not text" by
/// [`not_text_at`](super::csv::not_text_at), personal data by
/// [`personal::shape`](super::personal::shape), header names by
/// [`header_key`](super::csv::header_key). It differs only in where the rows come from
/// (bytes, in parts, one per core) and in giving up at the first problem; each time it gives
/// up it says why under `OCO_DEBUG` ([`reader_choice::declined`]). What it leaves to the
/// careful reader without trying:
///
/// - other encodings than UTF-8 (a UTF-8 byte order mark allowed);
/// - a header line that is not the first line (a `sep=` line, comment or blank line before
///   it), or that holds quotes or other than ASCII (see
///   [`plain_header_line`](super::csv::plain_header_line)), or whose first column is not
///   one of the contract (a file starting `<html>` or `GIF89a` is no CSV), renames of this
///   file's columns in `oco-report.toml`, an analytics export (`Day Index`);
/// - a quote anywhere, a CR that does not end a line, a line of other than as many cells as
///   the header, a comment line, a character that is not text anywhere, a contract cell longer
///   than [`FAST_MAX_CELL`](super::FAST_MAX_CELL) bytes or holding an invisible character (which
///   the careful reader would remove), a file without rows.
///
/// `tests/pageviews_readers.rs` holds the two readers to the same results.
mod fast {
    use std::collections::HashMap;
    use std::fs::File;
    use std::io::{Read, Seek, SeekFrom};
    use std::path::Path;

    use chrono::{Datelike, NaiveDate};

    use super::super::csv::{fast_cell, header_key, not_text_at, parse_date, plain_header_line};
    use super::super::{personal, regular};
    use super::{DATUM, InputErrors, PLAIN, PageviewDay, Summed, WEERGAVEN, count_value};
    use crate::config::Config;

    /// Bytes read at a time by each part.
    const BLOCK: usize = 1 << 22;
    /// Files smaller than this are read in one part.
    const PART: u64 = 1 << 23;
    /// How far a header line may run.
    const HEADER: u64 = 1 << 16;

    /// Why the fast path left a file to the careful reader: the rule, and where in the file it
    /// met it (a byte offset, named by its line in the debug log). Never a cell's content.
    #[derive(Debug)]
    pub struct Declined {
        pub rule: &'static str,
        pub at: Option<u64>,
    }

    fn declined(rule: &'static str) -> Declined {
        Declined { rule, at: None }
    }

    fn declined_at(rule: &'static str, at: u64) -> Declined {
        Declined { rule, at: Some(at) }
    }

    /// The line of byte `at` of the file; `None` when the file can no longer be read (the
    /// debug log then gives the rule alone).
    pub fn line_of(path: &Path, at: u64) -> Option<usize> {
        let mut before = regular::open(path).ok()?.take(at);
        let (mut buf, mut lines) = (vec![0; BLOCK], 1);
        loop {
            match before.read(&mut buf) {
                Ok(0) => return Some(lines),
                Ok(n) => lines += memchr::memchr_iter(b'\n', &buf[..n]).count(),
                Err(_) => return None,
            }
        }
    }

    /// Where the contract columns are.
    #[derive(Debug, Clone, Copy)]
    struct Layout {
        separator: u8,
        cells: usize,
        datum: usize,
        count: usize,
        pagina: Option<usize>,
    }

    /// Sums and rows per day (days from the common era), of one part of the file.
    #[derive(Default)]
    struct Sums {
        days: HashMap<i32, (i64, usize)>,
        rows: usize,
        /// The day, sum and rows being added up: exports list a day's pages together.
        day: Option<(i32, i64, usize)>,
        /// The last `datum` cell read and its day (empty before the first).
        last_date: String,
        last_day: i32,
    }

    impl Sums {
        fn add(&mut self, day: i32, count: i64) {
            match &mut self.day {
                Some((d, sum, rows)) if *d == day => {
                    *sum = sum.saturating_add(count);
                    *rows += 1;
                }
                _ => {
                    self.flush();
                    self.day = Some((day, count, 1));
                }
            }
        }

        fn flush(&mut self) {
            if let Some((day, sum, rows)) = self.day.take() {
                let total = self.days.entry(day).or_insert((0, 0));
                *total = (total.0.saturating_add(sum), total.1 + rows);
            }
        }
    }

    /// The days with their sums and rows, or why the file is for the careful reader.
    pub fn read(path: &Path, config: &Config) -> Result<Summed, Declined> {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if config.column_renames.contains_key(&stem) {
            return Err(declined("its columns are renamed in the settings"));
        }
        let unreadable = || declined("the file cannot be opened or read");
        let mut file = regular::open(path).map_err(|_| unreadable())?;
        let len = file.metadata().map_err(|_| unreadable())?.len();
        let head = read_at(&mut file, 0, len.min(HEADER)).ok_or_else(unreadable)?;
        let (layout, start) = header(&head)?;
        let parts = split(&mut file, start as u64, len).ok_or_else(unreadable)?;
        drop(file);
        // Each part reads through a handle of its own: a shared one would share its position.
        let results = crate::parallel::on_threads(parts, |part| scan(path, part, layout));
        let mut days: HashMap<i32, (i64, usize)> = HashMap::new();
        let mut rows = 0;
        for sums in results {
            let sums = sums?;
            rows += sums.rows;
            for (day, (sum, n)) in sums.days {
                let total = days.entry(day).or_insert((0, 0));
                *total = (total.0.saturating_add(sum), total.1 + n);
            }
        }
        if rows == 0 {
            return Err(declined("no rows under the header"));
        }
        let mut days: Vec<(PageviewDay, usize)> = days
            .into_iter()
            .map(|(day, (weergaven, rows))| {
                let datum = NaiveDate::from_num_days_from_ce_opt(day)?;
                Some((PageviewDay { datum, weergaven }, rows))
            })
            .collect::<Option<_>>()
            .ok_or_else(|| declined("a day beyond the calendar"))?;
        days.sort_by_key(|(d, _)| d.datum);
        let (days, rows) = days.into_iter().unzip();
        Ok(Summed {
            days,
            rows,
            errors: InputErrors::default(),
            rejected_not_listed: 0,
        })
    }

    /// `len` bytes of `file` from byte `at`.
    fn read_at(file: &mut File, at: u64, len: u64) -> Option<Vec<u8>> {
        file.seek(SeekFrom::Start(at)).ok()?;
        let mut buf = vec![0; len as usize];
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    }

    /// The layout and where the first row starts.
    fn header(head: &[u8]) -> Result<(Layout, usize), Declined> {
        let (text, separator, end) = plain_header_line(head).ok_or_else(|| {
            declined("the first line is not a plain header (ASCII, no quotes, no sep= line)")
        })?;
        if text.starts_with('#') {
            return Err(declined("a comment line before the header"));
        }
        let headers: Vec<String> = text
            .split(separator as char)
            .map(|h| header_key(h.trim()))
            .collect();
        if super::DAY_INDEX.iter().any(|d| header_key(d) == headers[0]) {
            return Err(declined("an analytics export (Day Index)"));
        }
        // A file that starts otherwise may be no CSV at all (`<html>`, `GIF89a`): the careful
        // reader decides.
        if !PLAIN.iter().any(|c| header_key(c.name) == headers[0]) {
            return Err(declined("the first column is not one of the contract"));
        }
        let find = |name: &str| -> Result<Option<usize>, Declined> {
            let found: Vec<usize> = (0..headers.len())
                .filter(|&i| headers[i] == header_key(name))
                .collect();
            match found[..] {
                [] => Ok(None),
                [i] => Ok(Some(i)),
                _ => Err(declined("a contract column named twice in the header")),
            }
        };
        let required = |name: &str| {
            find(name)?.ok_or_else(|| declined("a required column missing from the header"))
        };
        debug_assert_eq!(PLAIN.len(), 3);
        let layout = Layout {
            separator,
            cells: headers.len(),
            datum: required(DATUM)?,
            count: required(WEERGAVEN)?,
            pagina: find("pagina")?,
        };
        Ok((layout, end + 1))
    }

    /// The rows from `start` to `len` in parts of at least [`PART`] bytes, one per core, each
    /// starting at the start of a line.
    fn split(file: &mut File, start: u64, len: u64) -> Option<Vec<(u64, u64)>> {
        let cores = crate::parallel::cores() as u64;
        let count = ((len - start) / PART).clamp(1, cores);
        let mut bounds = vec![start];
        for k in 1..count {
            let at = (start + (len - start) * k / count).max(*bounds.last()?);
            let window = read_at(file, at, (len - at).min(HEADER))?;
            match memchr::memchr(b'\n', &window) {
                Some(i) => bounds.push(at + i as u64 + 1),
                None => break,
            }
        }
        bounds.push(len);
        Some(bounds.windows(2).map(|w| (w[0], w[1])).collect())
    }

    /// Sums the rows of one part, read sequentially through a handle of its own.
    fn scan(path: &Path, (start, end): (u64, u64), layout: Layout) -> Result<Sums, Declined> {
        let unreadable = || declined("the file cannot be read (changed while read?)");
        let mut file = regular::open(path).map_err(|_| unreadable())?;
        file.seek(SeekFrom::Start(start))
            .map_err(|_| unreadable())?;
        let mut sums = Sums::default();
        // One buffer, filled block after block: the line a block ends in is moved to the front
        // and the next block read after it (into bytes written before: no zeroing).
        let mut buf: Vec<u8> = vec![0; BLOCK + HEADER as usize];
        let (mut at, mut kept) = (start, 0);
        while at < end {
            let take = (end - at).min(BLOCK as u64) as usize;
            if buf.len() < kept + take {
                buf.resize(kept + take, 0);
            }
            file.read_exact(&mut buf[kept..kept + take])
                .map_err(|_| unreadable())?;
            at += take as u64;
            let filled = kept + take;
            // Whole lines now, the rest of the file at the end.
            let lines = if at < end {
                memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1)
            } else {
                filled
            };
            rows(&buf[..lines], at - filled as u64, layout, &mut sums)?;
            buf.copy_within(lines..filled, 0);
            kept = filled - lines;
        }
        sums.flush();
        Ok(sums)
    }

    /// Adds up whole lines (the last one may lack its line end) that start at byte `base` of
    /// the file.
    fn rows(bytes: &[u8], base: u64, layout: Layout, sums: &mut Sums) -> Result<(), Declined> {
        let (text, ascii) =
            plain_text(bytes).map_err(|(rule, i)| declined_at(rule, base + i as u64))?;
        let mut cells = [(0usize, 0usize); 3];
        let wanted = [
            layout.datum,
            layout.count,
            layout.pagina.unwrap_or(usize::MAX),
        ];
        let (mut line_start, mut cell, mut cell_start) = (0, 0, 0);
        let end_of_cell = |cells: &mut [(usize, usize); 3], cell: usize, from: usize, to: usize| {
            for (k, &w) in wanted.iter().enumerate() {
                if w == cell {
                    cells[k] = (from, to);
                }
            }
        };
        let ends = crate::ingest::marks::Marks::new(bytes, layout.separator)
            .chain((bytes.last() != Some(&b'\n')).then_some(bytes.len()));
        for i in ends {
            if i < bytes.len() && bytes[i] == layout.separator {
                end_of_cell(&mut cells, cell, cell_start, i);
                cell += 1;
                cell_start = i + 1;
                continue;
            }
            if i < bytes.len() && bytes[i] == b'"' {
                return Err(declined_at("a quote", base + i as u64));
            }
            let line_end = if i > line_start && bytes[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            if line_end > line_start {
                let at = base + line_start as u64;
                if bytes[line_start] == b'#' {
                    return Err(declined_at("a comment line", at));
                }
                if cell + 1 != layout.cells {
                    return Err(declined_at("a row of other than the header's cells", at));
                }
                end_of_cell(&mut cells, cell, cell_start, line_end);
                row(text, ascii, &cells, sums).map_err(|rule| declined_at(rule, at))?;
            }
            line_start = i + 1;
            cell = 0;
            cell_start = line_start;
        }
        Ok(())
    }

    /// One row: its `datum`, count and `pagina` cells (`pagina` empty when there is none), in
    /// a text that is `ascii` throughout or not.
    fn row(
        text: &str,
        ascii: bool,
        cells: &[(usize, usize); 3],
        sums: &mut Sums,
    ) -> Result<(), &'static str> {
        let cell = |k: usize| &text[cells[k].0..cells[k].1];
        let (date, count) = (cell(0), cell(1));
        contract_cell(count, ascii)?;
        contract_cell(cell(2), ascii)?;
        let day = if !date.is_empty() && date == sums.last_date {
            sums.last_day
        } else {
            contract_cell(date, ascii)?;
            let day = parse_date(date)
                .ok_or("a datum that is not a date")?
                .num_days_from_ce();
            sums.last_date.clear();
            sums.last_date.push_str(date);
            sums.last_day = day;
            day
        };
        let count = count_value(count).ok_or("a count that is not a whole number of at least 0")?;
        sums.rows += 1;
        sums.add(day, count);
        Ok(())
    }

    /// A contract cell the careful reader takes as it is ([`fast_cell`]) and does not refuse
    /// as shaped like personal data. Invisible characters are beyond ASCII: an `ascii` text
    /// has none.
    fn contract_cell(cell: &str, ascii: bool) -> Result<(), &'static str> {
        fast_cell(cell, ascii)?;
        if personal::shape(cell).is_some() {
            return Err("a contract cell shaped like personal data");
        }
        Ok(())
    }

    /// The bytes as text, when they are UTF-8 the careful reader takes for text throughout
    /// ([`not_text_at`]) with LF or CRLF line ends, and whether it is printable ASCII; else the
    /// rule and where it failed.
    fn plain_text(bytes: &[u8]) -> Result<(&str, bool), (&'static str, usize)> {
        let text = std::str::from_utf8(bytes)
            .map_err(|e| ("bytes that are not UTF-8", e.valid_up_to()))?;
        // Only control characters and what lies beyond ASCII can be no text: a block without
        // them (nearly every block) needs no closer look.
        let ascii = printable_ascii(bytes);
        if !ascii {
            if let Some(i) = not_text_at(bytes) {
                return Err(("a character that is not text", i));
            }
        }
        let lone_cr = memchr::memchr_iter(b'\r', bytes)
            .find(|&i| i + 1 < bytes.len() && bytes[i + 1] != b'\n');
        if let Some(i) = lone_cr {
            return Err(("a CR that does not end a line", i));
        }
        Ok((text, ascii))
    }

    /// Printable ASCII, tabs and line ends only; 256 bytes at a time, which the compiler turns
    /// into vector instructions.
    fn printable_ascii(bytes: &[u8]) -> bool {
        bytes.chunks(256).all(|chunk| {
            chunk.iter().fold(true, |ok, &b| {
                ok & ((0x20..0x7f).contains(&b) | (b == b'\t') | (b == b'\n') | (b == b'\r'))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::csv::testing::file;

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
                crate::ingest::csv::DATE_EXPECTED
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

    /// The shortcut for plain digits gives what the general route gives.
    #[test]
    fn count_values_of_plain_digits_are_those_of_the_general_rule() {
        let general = |text: &str| {
            [',', '.']
                .iter()
                .find_map(|&separator| parse_grouped_int(text, separator))
                .filter(|&n| n >= 0)
        };
        let mut next = crate::ingest::csv::testing::random(18);
        let alphabet = b"0123456789,.-+ ";
        for _ in 0..20_000 {
            // Mostly digits; now and then a separator, sign or space.
            let text: String = (0..next(13))
                .map(|_| {
                    let of = if next(4) == 0 { alphabet.len() } else { 10 };
                    char::from(alphabet[next(of)])
                })
                .collect();
            assert_eq!(count_value(&text), general(&text), "{text:?}");
        }
        assert_eq!(count_value("999999999"), Some(999_999_999));
        assert_eq!(count_value("1000000000"), Some(1_000_000_000));
        assert_eq!(count_value("1000000001"), None);
        assert_eq!(count_value("1.234"), Some(1234));
        assert_eq!(count_value("\"4,321\""), None);
        assert_eq!(count_value("-0"), Some(0));
        assert_eq!(count_value("-3"), None);
        assert_eq!(count_value(""), None);
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
