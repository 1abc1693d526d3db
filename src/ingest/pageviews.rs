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
//! day), so a plain file is first read by a fast path ([`fast`]): bytes, not decoded text,
//! in parallel parts, summed per day as it goes, nothing kept per row. It takes only files the
//! careful reader would read without a single problem, and gives up at the first thing out of
//! the ordinary (a quote, a comment, an odd date, a bad count, ...); the careful reader then
//! reads the whole file and names every problem with its line and column.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use super::csvfile::{Column, CsvFile, NotKept, Options, Row, parse_grouped_int};
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

/// The file summed per day: by the fast path when it takes the file, else by the careful
/// reader ([`read_rows`]); `Err` when the file cannot be read at all.
pub fn read_summed(path: &Path, config: &Config) -> Result<Summed, InputErrors> {
    if let Some(summed) = fast::read(path, config) {
        return Ok(summed);
    }
    let (rows, errors) = read_rows(path, config)?;
    Ok(Summed::of(rows, errors))
}

/// The rows without a problem as read, before the rows of one day are summed (see
/// [`sum_per_day`]), and the problems of the other rows; `Err` when the file cannot be read at
/// all. For `oco-report validate`, which counts rows. Problems beyond the first
/// [`MAX_PROBLEMS_KEPT`](super::csvfile::MAX_PROBLEMS_KEPT) are counted (and the count is the
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

/// The fast path for the plain form.
///
/// It accepts a file only when the careful reader would read it without a problem and to the
/// same days and sums; anything else returns `None`. What it takes:
///
/// - UTF-8 (a UTF-8 byte order mark allowed); a line with other bytes than ASCII must be valid
///   UTF-8 without control characters (U+0080-U+009F) or U+FFFD;
/// - the first line is the header (no `sep=` line, comment or blank line before it), without
///   quotes, separated by `,`, `;` or tab (the most frequent, as the careful reader decides),
///   naming `datum` and `unieke_paginaweergaven` once each and `pagina` at most once, no
///   renames of this file in `oco-report.toml`, not an analytics export (`Day Index`);
/// - every other line empty or a row of exactly as many cells as the header; no quote, no
///   control character but tab anywhere, CRLF or LF line ends; the `pagina` cell at most
///   [`MAX_CELL`] bytes; at least one row;
/// - `datum` as `2021-03-15`, `15-03-2021`, `15/03/2021` or `2021/03/15` (one or two digits
///   for day and month), a date that exists; the count one to 18 digits.
///
/// When the careful reader learns a new rule, this list must keep within it; the test
/// `fast_path_agrees_with_the_careful_reader` holds the two to the same results.
mod fast {
    use std::collections::HashMap;
    use std::fs::File;
    use std::os::unix::fs::FileExt;
    use std::path::Path;

    use chrono::{Datelike, NaiveDate};

    use super::super::csvfile::{header_key, plain_header_line};
    use super::{DATUM, InputErrors, PLAIN, PageviewDay, Summed, WEERGAVEN};
    use crate::config::Config;

    /// Longest `pagina` cell taken here; longer ones go to the careful reader (well within
    /// what it allows).
    pub const MAX_CELL: usize = 256;
    /// Bytes read at a time by each part.
    const BLOCK: usize = 1 << 22;
    /// Files smaller than this are read in one part.
    const PART: u64 = 1 << 23;
    /// How far a header line may run.
    const HEADER: u64 = 1 << 16;

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
        last_date: Vec<u8>,
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

    /// The days with their sums and rows, or `None` to read the file carefully.
    pub fn read(path: &Path, config: &Config) -> Option<Summed> {
        let stem = path.file_stem()?.to_string_lossy().into_owned();
        if config.column_renames.contains_key(&stem) {
            return None;
        }
        let file = crate::ingest::regular::open(path).ok()?;
        let len = file.metadata().ok()?.len();
        let head = read_at(&file, 0, len.min(HEADER))?;
        let (layout, start) = header(&head)?;
        let parts = split(&file, start as u64, len)?;
        let results: Vec<Option<Sums>> = if parts.len() == 1 {
            vec![scan(&file, parts[0], layout)]
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .iter()
                    .map(|&part| {
                        let file = &file;
                        scope.spawn(move || scan(file, part, layout))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().ok().flatten())
                    .collect()
            })
        };
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
            return None;
        }
        let mut days: Vec<(PageviewDay, usize)> = days
            .into_iter()
            .map(|(day, (weergaven, rows))| {
                let datum = NaiveDate::from_num_days_from_ce_opt(day)?;
                Some((PageviewDay { datum, weergaven }, rows))
            })
            .collect::<Option<_>>()?;
        days.sort_by_key(|(d, _)| d.datum);
        let (days, rows) = days.into_iter().unzip();
        Some(Summed {
            days,
            rows,
            errors: InputErrors::default(),
            rejected_not_listed: 0,
        })
    }

    fn read_at(file: &File, at: u64, len: u64) -> Option<Vec<u8>> {
        let mut buf = vec![0; len as usize];
        file.read_exact_at(&mut buf, at).ok()?;
        Some(buf)
    }

    /// The layout and where the first row starts.
    fn header(head: &[u8]) -> Option<(Layout, usize)> {
        let (text, separator, end) = plain_header_line(head)?;
        if text.starts_with('#') {
            return None;
        }
        let headers: Vec<String> = text
            .split(separator as char)
            .map(|h| header_key(h.trim()))
            .collect();
        if super::DAY_INDEX.iter().any(|d| header_key(d) == headers[0]) {
            return None;
        }
        let find = |name: &str| -> Option<Option<usize>> {
            let found: Vec<usize> = (0..headers.len())
                .filter(|&i| headers[i] == header_key(name))
                .collect();
            match found[..] {
                [] => Some(None),
                [i] => Some(Some(i)),
                _ => None,
            }
        };
        debug_assert_eq!(PLAIN.len(), 3);
        let layout = Layout {
            separator,
            cells: headers.len(),
            datum: find(DATUM)??,
            count: find(WEERGAVEN)??,
            pagina: find("pagina")?,
        };
        Some((layout, end + 1))
    }

    /// The rows from `start` to `len` in parts of at least [`PART`] bytes, one per core, each
    /// starting at the start of a line.
    fn split(file: &File, start: u64, len: u64) -> Option<Vec<(u64, u64)>> {
        let cores = crate::parallel::cores() as u64;
        let count = ((len - start) / PART).clamp(1, cores);
        let mut bounds = vec![start];
        for k in 1..count {
            let at = (start + (len - start) * k / count).max(*bounds.last()?);
            let window = read_at(file, at, (len - at).min(HEADER))?;
            match window.iter().position(|&b| b == b'\n') {
                Some(i) => bounds.push(at + i as u64 + 1),
                None => break,
            }
        }
        bounds.push(len);
        Some(bounds.windows(2).map(|w| (w[0], w[1])).collect())
    }

    /// Sums the rows of one part; `None` at the first thing out of the ordinary.
    fn scan(file: &File, (start, end): (u64, u64), layout: Layout) -> Option<Sums> {
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
            file.read_exact_at(&mut buf[kept..kept + take], at).ok()?;
            at += take as u64;
            let filled = kept + take;
            // Whole lines now, the rest of the file at the end.
            let lines = if at < end {
                memchr::memrchr(b'\n', &buf[..filled]).map_or(0, |i| i + 1)
            } else {
                filled
            };
            rows(&buf[..lines], layout, &mut sums)?;
            buf.copy_within(lines..filled, 0);
            kept = filled - lines;
        }
        sums.flush();
        Some(sums)
    }

    /// Adds up whole lines (the last one may lack its line end).
    fn rows(text: &[u8], layout: Layout, sums: &mut Sums) -> Option<()> {
        if !plain_text(text) {
            return None;
        }
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
        // (`plain_text` leaves no quotes: the marks are separators and line ends.)
        let ends = crate::ingest::marks::Marks::new(text, layout.separator)
            .chain((text.last() != Some(&b'\n')).then_some(text.len()));
        for i in ends {
            if i < text.len() && text[i] == layout.separator {
                end_of_cell(&mut cells, cell, cell_start, i);
                cell += 1;
                cell_start = i + 1;
                continue;
            }
            let line_end = if i > line_start && text[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            if line_end > line_start {
                if text[line_start] == b'#' || cell + 1 != layout.cells {
                    return None;
                }
                end_of_cell(&mut cells, cell, cell_start, line_end);
                row(text, &cells, sums)?;
            }
            line_start = i + 1;
            cell = 0;
            cell_start = line_start;
        }
        Some(())
    }

    /// One row: the date and count cells of `text`, and the `pagina` cell's length.
    fn row(text: &[u8], cells: &[(usize, usize); 3], sums: &mut Sums) -> Option<()> {
        let (pagina_from, pagina_to) = cells[2];
        if pagina_to - pagina_from > MAX_CELL {
            return None;
        }
        let date = &text[cells[0].0..cells[0].1];
        let day = if !date.is_empty() && date == sums.last_date.as_slice() {
            sums.last_day
        } else {
            let day = parse_date(date)?;
            sums.last_date.clear();
            sums.last_date.extend_from_slice(date);
            sums.last_day = day;
            day
        };
        let count = parse_count(&text[cells[1].0..cells[1].1])?;
        sums.rows += 1;
        sums.add(day, count);
        Some(())
    }

    /// No quote and no control character but tab and line ends (a CR only before an LF);
    /// bytes above ASCII only as UTF-8 that the careful reader takes for text.
    fn plain_text(text: &[u8]) -> bool {
        let (mut odd, mut high, mut cr) = (false, false, false);
        for chunk in text.chunks(256) {
            for &b in chunk {
                odd |= (b < 0x20 && b != b'\n' && b != b'\t' && b != b'\r')
                    | (b == b'"')
                    | (b == 0x7f);
                high |= b >= 0x80;
                cr |= b == b'\r';
            }
            if odd {
                return false;
            }
        }
        if cr
            && memchr::memchr_iter(b'\r', text).any(|i| i + 1 < text.len() && text[i + 1] != b'\n')
        {
            return false;
        }
        !high || clean_utf8(text)
    }

    /// Valid UTF-8 without U+0080-U+009F or U+FFFD, which the careful reader calls not text.
    fn clean_utf8(text: &[u8]) -> bool {
        std::str::from_utf8(text).is_ok()
            && !memchr::memchr_iter(0xc2, text)
                .any(|i| text.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)))
            && memchr::memmem::find(text, &[0xef, 0xbf, 0xbd]).is_none()
    }

    /// One to 18 digits.
    fn parse_count(text: &[u8]) -> Option<i64> {
        if text.is_empty() || text.len() > 18 {
            return None;
        }
        let mut n: i64 = 0;
        for &b in text {
            if !b.is_ascii_digit() {
                return None;
            }
            n = n * 10 + i64::from(b - b'0');
        }
        Some(n)
    }

    /// `2021-03-15`, `15-03-2021`, `15/03/2021`, `2021/03/15` (one or two digits for day and
    /// month) as days from the common era; `None` for anything else or a day that does not
    /// exist.
    fn parse_date(text: &[u8]) -> Option<i32> {
        let separator = *text.iter().find(|b| !b.is_ascii_digit())?;
        if separator != b'-' && separator != b'/' {
            return None;
        }
        let mut parts = text.split(|&b| b == separator);
        let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let number = |p: &[u8]| -> Option<u32> {
            if p.is_empty() || !p.iter().all(u8::is_ascii_digit) {
                return None;
            }
            Some(p.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
        };
        let (year, month, day) = match (a.len(), b.len(), c.len()) {
            (4, 1..=2, 1..=2) => (a, b, c),
            (1..=2, 1..=2, 4) => (c, b, a),
            _ => return None,
        };
        let date = NaiveDate::from_ymd_opt(number(year)? as i32, number(month)?, number(day)?)?;
        Some(date.num_days_from_ce())
    }
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

    /// Writes `text` as a pageviews file and reads it both ways.
    fn both_ways(text: &[u8]) -> (Option<Summed>, Result<Summed, String>) {
        let path = file(FILE, text);
        let config = Config::default();
        let careful = read_rows(&path, &config)
            .map(|(rows, errors)| Summed::of(rows, errors))
            .and_then(|summed| match summed.errors.is_empty() {
                true => Ok(summed),
                false => Err(summed.errors),
            })
            .map_err(|e| e.to_string());
        (fast::read(&path, &config), careful)
    }

    #[test]
    fn fast_path_takes_the_ordinary_forms() {
        for text in [
            "datum,unieke_paginaweergaven\n2021-08-01,5\n2021-08-01,7\n2021-08-02,1",
            "\u{feff}Datum;Pagina;Unieke paginaweergaven\r\n1-8-2021;/home;5\r\n01/08/2021;/é;7\r\n",
            "pagina\tdatum\tunieke_paginaweergaven\textra\n/a b\t2021/08/01\t12\tx\n\n",
        ] {
            let (fast, careful) = both_ways(text.as_bytes());
            assert!(fast.is_some(), "{text:?}");
            assert_eq!(fast, Some(careful.unwrap()), "{text:?}");
        }
    }

    #[test]
    fn fast_path_leaves_the_unusual_to_the_careful_reader() {
        for text in [
            "datum,unieke_paginaweergaven\n2021-08-01,\"5\"\n",
            "datum,unieke_paginaweergaven\n# note\n2021-08-01,5\n",
            "datum,unieke_paginaweergaven\n2021-02-30,5\n",
            "datum,unieke_paginaweergaven\n2021-08-01,1.234\n",
            "datum,unieke_paginaweergaven\n2021-08-01 10:00,5\n",
            "datum,unieke_paginaweergaven\n2021-08-01,5,6\n",
            "datum,unieke_paginaweergaven\n",
            "sep=,\ndatum,unieke_paginaweergaven\n2021-08-01,5\n",
            "datum,pagina,unieke_paginaweergaven\n2021-08-01,/\u{80},5\n",
            "datum,pagina,unieke_paginaweergaven\n2021-08-01,/\u{fffd},5\n",
            "datum,pagina,unieke_paginaweergaven\n2021-08-01,/a\rb,5\n",
            "Day Index,Unique Pageviews\n8/1/17,5\n",
        ] {
            assert!(both_ways(text.as_bytes()).0.is_none(), "{text:?}");
        }
        let long = format!(
            "datum,pagina,unieke_paginaweergaven\n2021-08-01,/{},5\n",
            "x".repeat(fast::MAX_CELL)
        );
        assert!(both_ways(long.as_bytes()).0.is_none());
        let windows_1252 = b"datum,pagina,unieke_paginaweergaven\n2021-08-01,/caf\xe9,5\n";
        assert!(both_ways(windows_1252).0.is_none());
    }

    /// Files put together at random from ordinary and unusual pieces: whenever the fast path
    /// takes one, the careful reader reads it without a problem to the same days and sums.
    #[test]
    fn fast_path_agrees_with_the_careful_reader() {
        let headers: [&[u8]; 6] = [
            b"datum,unieke_paginaweergaven",
            b"datum;pagina;unieke_paginaweergaven",
            b"Pagina,DATUM, Unieke Paginaweergaven ,bron",
            b"datum,datum,unieke_paginaweergaven",
            b"\xEF\xBB\xBFdatum\tunieke_paginaweergaven",
            b"datum,unieke paginaweergaven;x",
        ];
        let cells: [&[u8]; 24] = [
            b"2021-08-01",
            b"1-8-2021",
            b"01/08/2021",
            b"2020/02/29",
            b"2021-02-29",
            b"31-12-2020",
            b"2021-8-1",
            b"5",
            b"0",
            b"007",
            b"1.234",
            b"12345678901234567890",
            b"-3",
            b"",
            b" 5",
            b"/home",
            b"/caf\xc3\xa9",
            b"/caf\xe9",
            b"\"x\"",
            b"a\rb",
            b"/\xc2\x85",
            b"#",
            b"\t",
            b"/\xef\xbf\xbd",
        ];
        let ends: [&[u8]; 3] = [b"\n", b"\r\n", b"\n\n"];
        let mut next = crate::ingest::csvfile::testing::random(0x9e37_79b9_7f4a_7c15);
        let (mut taken, mut left) = (0, 0);
        for _ in 0..3000 {
            let header = headers[next(headers.len())];
            let separator = if header.contains(&b';') && !header.contains(&b',') {
                b';'
            } else if header.contains(&b'\t') {
                b'\t'
            } else {
                b','
            };
            let columns = header.iter().filter(|&&b| b == separator).count() + 1;
            let mut text = header.to_vec();
            text.extend_from_slice(ends[next(2)]);
            for _ in 0..next(6) {
                for c in 0..columns + usize::from(next(20) == 0) {
                    if c > 0 {
                        text.push(separator);
                    }
                    // Mostly sensible cells: a date first, a count last.
                    let cell = match (c, next(10)) {
                        (_, 0) => cells[next(cells.len())],
                        (0, _) => cells[next(7)],
                        (c, _) if c + 1 == columns => cells[7 + next(3)],
                        _ => cells[15 + next(2)],
                    };
                    text.extend_from_slice(cell);
                }
                text.extend_from_slice(ends[next(3)]);
            }
            let (fast, careful) = both_ways(&text);
            match fast {
                Some(summed) => {
                    taken += 1;
                    let text = String::from_utf8_lossy(&text);
                    assert_eq!(Ok(summed), careful, "{text:?}");
                }
                None => left += 1,
            }
        }
        assert!(taken > 300 && left > 300, "taken {taken}, left {left}");
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
