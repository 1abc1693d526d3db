//! The CSV reader every export goes through, and the typed field parsers.
//!
//! Exports come from Dutch Excel (Windows-1252, `;`), from web tools (UTF-8, `,`) and from
//! people editing by hand, so encoding and separator are detected rather than configured.
//!
//! Privacy: a row is copied out of the csv record only for the contract columns a reader
//! selects; other cells (names, e-mail, phone numbers, notes) are dropped with the record and
//! never quoted in an error.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use chrono::{NaiveDate, NaiveTime};
use encoding_rs::{Encoding, WINDOWS_1252};

use super::error::{InputError, InputErrors};
use super::personal::{self, Shape};
use crate::config::{CONFIG_FILE, Config, canonical_place};

pub const DATE_EXPECTED: &str = "a date like 2021-03-15, 15-03-2021 or 15/03/2021";
pub const INT_EXPECTED: &str = "a whole number like 1234 or 1.234 (at most 1.000.000.000)";

/// The largest whole number a cell may hold. A billion rows of it still sum within `i64`.
pub const MAX_INT: i64 = 1_000_000_000;
pub const DECIMAL_EXPECTED: &str = "a number like 31,27 or 31.27";
pub const BOOL_EXPECTED: &str = "ja or nee (also j/n, 1/0, true/false, yes/no)";

/// A contract column a reader wants from a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub required: bool,
}

impl Column {
    pub const fn required(name: &'static str) -> Column {
        Column {
            name,
            required: true,
        }
    }

    pub const fn optional(name: &'static str) -> Column {
        Column {
            name,
            required: false,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Lines starting with `#` are comments (web-analytics exports).
    pub comments: bool,
}

/// A selected column: the name rows are looked up by, and where it is in the record.
#[derive(Debug, Clone)]
struct Selected {
    name: String,
    index: Option<usize>,
}

/// An open export: decoded, header read, rows not yet read.
pub struct CsvFile {
    file: Arc<str>,
    stem: String,
    headers: Vec<String>,
    /// Usually 1; later when comments, blank lines or a `sep=` line come first.
    header_line: usize,
    reader: csv::Reader<Cursor<Vec<u8>>>,
    record: csv::StringRecord,
    selected: Arc<[Selected]>,
    comments: bool,
    separator: u8,
    encoding: Decoded,
    /// Data rows read so far.
    rows: usize,
    /// Further problems of the row last read, handed out before the next row.
    pending: VecDeque<InputError>,
    done: bool,
    /// Per contract column, the cells that looked like personal data (see
    /// [`super::personal`]): the rows are refused, and the file with a count at its end.
    personal: BTreeMap<String, PersonalCells>,
    /// Cells invisible characters were removed from, and which (for [`FileStats`]).
    invisible_cells: usize,
    invisible: BTreeSet<char>,
}

/// The cells of one column that looked like personal data.
#[derive(Debug, Default)]
struct PersonalCells {
    count: usize,
    shapes: BTreeSet<Shape>,
    /// The first few lines, so that a single slip can be found and mended.
    lines: Vec<usize>,
}

impl std::fmt::Debug for CsvFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvFile")
            .field("file", &self.file)
            .field("headers", &self.headers)
            .finish()
    }
}

/// Contract cells longer than this many characters are an error: no value of the contract is
/// anywhere near as long, and a long one is usually a quote that is not closed.
pub const MAX_CELL: usize = 1_000;

/// How many lines a problem of personal data in a column lists.
const SHOWN_PERSONAL_LINES: usize = 5;

/// Counts of one export's rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileStats {
    /// File name, e.g. `dossiers.csv`.
    pub file: String,
    /// Whether the header line was read and the contract columns found; when not, no row was.
    pub opened: bool,
    /// Data rows: records after the header line, not comments or blank lines. A row whose
    /// value spans lines counts once.
    pub rows: usize,
    /// Rows with at least one problem; they are left out of the data.
    pub rejected: usize,
    /// Contract cells that held invisible characters (removed as the cell was read), and
    /// which characters.
    pub invisible_cells: usize,
    pub invisible: BTreeSet<char>,
}

impl FileStats {
    pub fn new(file: &str) -> FileStats {
        FileStats {
            file: file.to_string(),
            ..FileStats::default()
        }
    }

    /// Rows without a problem.
    pub fn valid(&self) -> usize {
        self.rows.saturating_sub(self.rejected)
    }
}

/// What reading one export gave: the rows without a problem, every problem, and counts.
#[derive(Debug, Clone)]
pub struct FileRead<T> {
    pub rows: Vec<T>,
    pub errors: InputErrors,
    pub stats: FileStats,
    /// Line of the header; problems on later lines are problems of rows.
    header_line: usize,
    /// Problems of rows beyond [`MAX_PROBLEMS_KEPT`].
    not_kept: NotKept,
}

/// How many problems of the rows of one file are kept (and shown by `validate`); the rest are
/// counted. A file of millions of bad rows is not the export, and its problems kept one by
/// one would take more memory than the file.
pub const MAX_PROBLEMS_KEPT: usize = 1_000;

impl<T> FileRead<T> {
    /// Nothing read yet from `file`.
    pub fn new(file: &str) -> FileRead<T> {
        FileRead {
            rows: Vec::new(),
            errors: InputErrors::default(),
            stats: FileStats::new(file),
            header_line: 0,
            not_kept: NotKept::default(),
        }
    }

    /// Sorts the problems by line, counts the rows they reject and leaves those rows out.
    /// Problems found across rows (a duplicate) are added before this.
    pub fn finish(mut self, line_of: impl Fn(&T) -> usize) -> FileRead<T> {
        self.errors.sort_by_line();
        if !self.stats.opened {
            return self;
        }
        let rejected = rejected_lines(&self.errors, self.header_line);
        self.stats.rejected = rejected.len() + self.not_kept.rows;
        if !rejected.is_empty() {
            self.rows.retain(|row| !rejected.contains(&line_of(row)));
        }
        if let Some(summary) = self.not_kept.summary(&self.stats.file) {
            self.errors.push(summary);
        }
        self
    }

    /// The rows when the file has no problem, else its problems.
    pub fn into_result(self) -> Result<Vec<T>, InputErrors> {
        self.errors.or_ok(self.rows)
    }
}

/// The problems of rows beyond the first [`MAX_PROBLEMS_KEPT`] of a file: counted, not kept.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NotKept {
    problems: usize,
    /// The rows those problems are on.
    pub rows: usize,
    last_line: Option<usize>,
}

impl NotKept {
    /// Keeps `error` in `kept`, or counts it when `kept` holds [`MAX_PROBLEMS_KEPT`] already.
    /// Problems of the whole file (a column of personal data) are always kept.
    pub fn keep_or_count(&mut self, kept: &mut InputErrors, error: InputError) {
        if kept.len() < MAX_PROBLEMS_KEPT || error.line.is_none() {
            kept.push(error);
            return;
        }
        self.problems += 1;
        // A row's problems come one after another.
        let kept_line = kept.0.last().and_then(|e| e.line);
        if error.line != self.last_line && error.line != kept_line {
            self.rows += 1;
        }
        self.last_line = error.line;
    }

    /// The count as a problem of `file`, when any were not kept.
    pub fn summary(&self, file: &str) -> Option<InputError> {
        let message = format!(
            "... and {} more problems on {} more rows, not listed (only the first \
             {MAX_PROBLEMS_KEPT} problems of a file are; a file with this many is probably not \
             the export expected)",
            self.problems, self.rows
        );
        (self.problems > 0).then(|| InputError::file(file, message))
    }
}

/// The lines of rows with a problem: problems on a line after the header.
pub fn rejected_lines(errors: &InputErrors, header_line: usize) -> HashSet<usize> {
    errors
        .0
        .iter()
        .filter_map(|e| e.line)
        .filter(|&line| line > header_line)
        .collect()
}

/// The problems of one row, collected cell by cell so that a row with two bad cells shows
/// both.
#[derive(Debug, Default)]
pub struct RowErrors(InputErrors);

impl RowErrors {
    pub fn new() -> RowErrors {
        RowErrors::default()
    }

    /// The value of a cell; a bad cell's problem is kept and `T::default()` stands in.
    pub fn take<T: Default>(&mut self, result: Result<T, impl Into<InputErrors>>) -> T {
        self.take_or(result, T::default())
    }

    /// The value of a cell; a bad cell's problem is kept and `stand_in` stands in.
    pub fn take_or<T>(&mut self, result: Result<T, impl Into<InputErrors>>, stand_in: T) -> T {
        match result {
            Ok(value) => value,
            Err(errors) => {
                self.0.extend(errors.into());
                stand_in
            }
        }
    }

    /// The row's value when none of its cells had a problem.
    pub fn finish<T>(self, value: T) -> Result<T, InputErrors> {
        self.0.or_ok(value)
    }
}

/// Reads a whole export with `parse` applied to every row. Bad rows are collected and reading
/// goes on; a structural problem (missing file or column, undecodable bytes) stops the file.
/// Call [`FileRead::finish`] on the result once problems across rows are added.
pub fn read_rows<T>(
    path: &Path,
    config: &Config,
    columns: &[Column],
    mut parse: impl FnMut(&Row) -> Result<T, InputErrors>,
) -> FileRead<T> {
    let mut read = FileRead::new(&file_name(path));
    let mut file = match CsvFile::open_selected(path, config, columns) {
        Ok(file) => file,
        Err(error) => {
            read.errors.push(error);
            return read;
        }
    };
    read.stats.opened = true;
    read.header_line = file.header_line();
    while let Some(row) = file.next_row() {
        match row {
            Ok(row) => match parse(&row) {
                Ok(value) => read.rows.push(value),
                Err(errors) => {
                    for error in errors.0 {
                        read.not_kept.keep_or_count(&mut read.errors, error);
                    }
                }
            },
            Err(error) => read.not_kept.keep_or_count(&mut read.errors, error),
        }
    }
    read.stats.rows = file.rows_read();
    let (cells, chars) = file.invisible_removed();
    (read.stats.invisible_cells, read.stats.invisible) = (cells, chars.clone());
    read
}

impl CsvFile {
    pub fn open(path: &Path) -> Result<CsvFile, InputError> {
        CsvFile::open_with(path, Options::default())
    }

    /// Opened with the contract `columns` selected.
    pub fn open_selected(
        path: &Path,
        config: &Config,
        columns: &[Column],
    ) -> Result<CsvFile, InputError> {
        let mut file = CsvFile::open(path)?;
        file.select(config, columns)?;
        Ok(file)
    }

    pub fn open_with(path: &Path, options: Options) -> Result<CsvFile, InputError> {
        let file = file_name(path);
        let bytes = read_bytes(path, &file)?;
        let (text, encoding) = decode(&file, bytes)?;
        let text = normalize_line_ends(text);
        let (separator, text) = separator(text, options.comments);
        if let Some(long) = long_line_before_rows(&text, separator, options.comments) {
            return Err(InputError::unusable(
                &file,
                format!(
                    "the header line (or a blank or comment line before it) is {long} bytes \
                     long: expected a header line of at most {MAX_HEADER_BYTES} bytes naming \
                     the columns (is this the export?)"
                ),
            ));
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            // Row lengths are checked here, so the error can be worded without the row's cells.
            .flexible(true)
            .comment(options.comments.then_some(b'#'))
            .from_reader(Cursor::new(text.into_bytes()));
        let mut record = csv::StringRecord::new();
        let headers = read_header(&mut reader, &mut record, &file)?;
        let header_line = record_line(&reader, &record, options.comments);
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(CsvFile {
            file: file.into(),
            stem,
            headers,
            header_line,
            reader,
            record,
            selected: Arc::from(Vec::new()),
            comments: options.comments,
            separator,
            encoding,
            rows: 0,
            pending: VecDeque::new(),
            done: false,
            personal: BTreeMap::new(),
            invisible_cells: 0,
            invisible: BTreeSet::new(),
        })
    }

    /// Data rows read so far (not the header, comments or blank lines).
    pub fn rows_read(&self) -> usize {
        self.rows
    }

    /// Contract cells invisible characters were removed from so far, and which characters.
    pub fn invisible_removed(&self) -> (usize, &BTreeSet<char>) {
        (self.invisible_cells, &self.invisible)
    }

    /// File name as used in errors, e.g. `dossiers.csv`.
    pub fn name(&self) -> &str {
        &self.file
    }

    /// The header cells, trimmed.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// Line of the header in the file.
    pub fn header_line(&self) -> usize {
        self.header_line
    }

    /// The position of a header, matched like contract columns are.
    pub fn position(&self, header: &str) -> Option<usize> {
        let key = header_key(header);
        self.headers.iter().position(|h| header_key(h) == key)
    }

    /// Chooses the contract columns rows carry, by header name with the renames of
    /// `oco-report.toml`. Lists every missing required column at once.
    pub fn select(&mut self, config: &Config, columns: &[Column]) -> Result<(), InputError> {
        let renames = config.column_renames.get(&self.stem);
        if let Some(renames) = renames {
            self.check_renames(renames.keys(), columns)?;
        }
        let mut selected = Vec::new();
        let mut missing = Vec::new();
        for column in columns {
            let renamed = renames.and_then(|r| r.get(column.name)).map(String::as_str);
            let index = self.find_column(column.name, renamed)?;
            if index.is_none() && column.required {
                missing.push(match renamed {
                    Some(header) => {
                        format!("{} (renamed to {header:?} in {CONFIG_FILE})", column.name)
                    }
                    None => column.name.to_string(),
                });
            }
            selected.push(Selected {
                name: column.name.to_string(),
                index,
            });
        }
        if !missing.is_empty() {
            let found = self.shown_headers(columns);
            return Err(InputError::missing_columns(
                &self.file,
                self.header_line,
                &missing,
                &found,
            ));
        }
        self.selected = selected.into();
        Ok(())
    }

    /// The header cells as a missing-column error lists them. When the first line looks like
    /// a row of data rather than column names (a date, a number, an e-mail address in it),
    /// only the cells naming a contract column are shown: the others may be personal data.
    fn shown_headers(&self, columns: &[Column]) -> Vec<String> {
        if !self.headers.iter().any(|h| looks_like_data(h)) {
            return self.headers.iter().map(|h| shown_header(h)).collect();
        }
        let contract: HashSet<String> = columns.iter().map(|c| header_key(c.name)).collect();
        let mut shown: Vec<String> = self
            .headers
            .iter()
            .filter(|h| contract.contains(&header_key(h)))
            .cloned()
            .collect();
        let hidden = self.headers.len() - shown.len();
        let and = if shown.is_empty() { "" } else { "and " };
        shown.push(format!(
            "{and}{hidden} cells that look like data, not column names (is the header line \
             missing?)"
        ));
        shown
    }

    /// Chooses columns by position, named as given (for exports without fixed headers).
    pub fn select_positions(&mut self, columns: &[(&str, usize)]) {
        let selected: Vec<Selected> = columns
            .iter()
            .map(|(name, index)| Selected {
                name: name.to_string(),
                index: Some(*index),
            })
            .collect();
        self.selected = selected.into();
    }

    fn check_renames<'a>(
        &self,
        renamed: impl Iterator<Item = &'a String>,
        columns: &[Column],
    ) -> Result<(), InputError> {
        for name in renamed {
            if !columns.iter().any(|c| c.name == name) {
                let known: Vec<&str> = columns.iter().map(|c| c.name).collect();
                let message = format!(
                    "[kolommen.{}] renames {name:?}, which is not a column of {}; its columns are: {}",
                    self.stem,
                    self.file,
                    known.join(", ")
                );
                return Err(InputError::file(CONFIG_FILE, message));
            }
        }
        Ok(())
    }

    /// Where a contract column is: under its renamed header if one is configured and present,
    /// else under its own name. Two matching headers make the choice ambiguous.
    fn find_column(&self, name: &str, renamed: Option<&str>) -> Result<Option<usize>, InputError> {
        for header in renamed.into_iter().chain([name]) {
            let found = matching_headers(&self.headers, header);
            match found.as_slice() {
                [] => continue,
                [index] => return Ok(Some(*index)),
                _ => {
                    let message = format!(
                        "{} header cells match column {name}; expected exactly one",
                        found.len()
                    );
                    return Err(InputError::new(
                        &self.file,
                        Some(self.header_line),
                        Some(name),
                        message,
                    ));
                }
            }
        }
        Ok(None)
    }

    /// The next data row, skipping blank lines (also `;;;;` lines Excel leaves behind). A row
    /// with several problems gives each as an `Err` of its own, one after the other. A file
    /// with no row under its header ends with an `Err` saying so.
    pub fn next_row(&mut self) -> Option<Result<Row, InputError>> {
        if let Some(error) = self.pending.pop_front() {
            return Some(Err(error));
        }
        while !self.done {
            match self.reader.read_record(&mut self.record) {
                Ok(true) if is_blank(&self.record) => {
                    // A quote left open on the last line leaves nothing but a blank record.
                    let line = record_line(&self.reader, &self.record, self.comments);
                    if let Some(error) = self.unclosed_quote(line) {
                        self.rows += 1;
                        return Some(Err(error));
                    }
                }
                Ok(true) => {
                    self.rows += 1;
                    return Some(self.row());
                }
                Ok(false) => {
                    self.done = true;
                    if self.rows == 0 {
                        return Some(Err(self.header_only()));
                    }
                    self.pending.extend(self.personal_data_found());
                    return self.pending.pop_front().map(Err);
                }
                Err(error) => {
                    // csv errors on decoded in-memory text are structural: stop the file.
                    self.done = true;
                    return Some(Err(csv_error(&self.file, &error)));
                }
            }
        }
        None
    }

    fn header_only(&self) -> InputError {
        let message = format!(
            "the file has a header line (line {}) but no rows under it: expected at least one \
             data row",
            self.header_line
        );
        InputError::file(&self.file, message)
    }

    fn row(&mut self) -> Result<Row, InputError> {
        let line = record_line(&self.reader, &self.record, self.comments);
        let mut errors = match self.structure_error(line) {
            Some(error) => vec![error],
            None => match self.personal_data(line) {
                Some(error) => vec![error],
                None => self.cell_errors(line),
            },
        };
        if !errors.is_empty() {
            let first = errors.remove(0);
            self.pending.extend(errors);
            return Err(first);
        }
        let mut values = Vec::with_capacity(self.selected.len());
        for selected in self.selected.iter() {
            let value = selected.index.and_then(|i| self.record.get(i));
            values.push(value.map(|v| match personal::remove_invisible(v) {
                Cow::Borrowed(v) => v.to_string(),
                Cow::Owned(visible) => {
                    self.invisible_cells += 1;
                    self.invisible
                        .extend(v.chars().filter(|&c| personal::is_invisible(c)));
                    visible
                }
            }));
        }
        Ok(Row {
            file: self.file.clone(),
            line,
            columns: self.selected.clone(),
            values,
        })
    }

    /// A row the quotes have broken: a quote never closed, a row of the wrong length, a value
    /// running over lines that look like rows. Never quotes a cell: it may hold personal data.
    fn structure_error(&self, line: usize) -> Option<InputError> {
        if let Some(error) = self.unclosed_quote(line) {
            return Some(error);
        }
        // Only a quoted value holds a line end.
        let spans_lines = self.record.as_slice().contains('\n');
        let last_line = match spans_lines {
            true => line + self.record.iter().map(newlines).sum::<usize>(),
            false => line,
        };
        if self.record.len() != self.headers.len() {
            let mut error =
                InputError::ragged(&self.file, line, self.headers.len(), self.record.len());
            if last_line > line {
                error.message.push_str(&format!(
                    "; the row runs on to line {last_line}: a value opened with a quote is \
                     closed only there (check the quotes)"
                ));
            }
            return Some(error);
        }
        if spans_lines {
            return self.swallowed_rows(line);
        }
        None
    }

    /// The last row of the file, when a quote opened in it is never closed: the rest of the file
    /// became one value.
    fn unclosed_quote(&self, line: usize) -> Option<InputError> {
        let bytes = self.reader.get_ref().get_ref();
        if (self.reader.position().byte() as usize) < bytes.len() {
            return None;
        }
        let position = self.record.position()?;
        let rest = bytes.get(position.byte() as usize..)?;
        let (at, field) = open_quote(rest, self.separator, self.comments)?;
        // The position is where the previous row ended: count every line from there.
        let quote_line = position.line() as usize + newlines_in(&rest[..at]);
        let text_end = rest.iter().rposition(|&b| b != b'\n').map_or(0, |i| i + 1);
        let last_line = position.line() as usize + newlines_in(&rest[..text_end]);
        let column = self.headers.get(field).map(|h| shown_header(h));
        let rest_of_file = if last_line > quote_line {
            format!(
                ": the rest of the file (lines {quote_line}-{last_line}) is read as that one value"
            )
        } else {
            String::new()
        };
        let message = format!(
            "a value that starts with a quote on line {quote_line} is never closed{rest_of_file}; \
             expected a closing quote (a quote inside a value is written twice: \"\")"
        );
        Some(InputError::new(
            &self.file,
            Some(line),
            column.as_deref(),
            message,
        ))
    }

    /// A value spanning lines of which one holds as many separators as a whole row: a quote
    /// not closed where it should have been, so later rows were read as part of the value.
    fn swallowed_rows(&self, line: usize) -> Option<InputError> {
        let separators_in_a_row = self.headers.len().checked_sub(1)?;
        if separators_in_a_row < 2 {
            return None;
        }
        let mut at = line;
        for (i, value) in self.record.iter().enumerate() {
            let looks_like_rows = value.contains('\n')
                && value.split('\n').skip(1).any(|l| {
                    l.bytes().filter(|&b| b == self.separator).count() >= separators_in_a_row
                });
            if looks_like_rows {
                let end = at + newlines(value);
                let column = self.headers.get(i).map(|h| shown_header(h));
                let message = format!(
                    "a value that starts with a quote on line {at} runs on to line {end} and \
                     takes in lines that look like whole rows: expected its closing quote on \
                     line {at} (check the quotes; a quote inside a value is written twice: \"\")"
                );
                return Some(InputError::new(
                    &self.file,
                    Some(line),
                    column.as_deref(),
                    message,
                ));
            }
            at += newlines(value);
        }
        None
    }

    /// Contract cells that are too long or hold what is not text. Other columns are not looked
    /// at: they are never read.
    /// A contract cell of the row that looks like personal data: the row is refused without
    /// its value, and the cell counted for [`CsvFile::personal_data_found`].
    fn personal_data(&mut self, line: usize) -> Option<InputError> {
        let mut found = None;
        for selected in self.selected.iter() {
            let Some(value) = selected.index.and_then(|i| self.record.get(i)) else {
                continue;
            };
            let Some(shape) = personal::shape(&personal::remove_invisible(value)) else {
                continue;
            };
            let cells = self.personal.entry(selected.name.clone()).or_default();
            cells.count += 1;
            cells.shapes.insert(shape);
            if cells.lines.len() < SHOWN_PERSONAL_LINES {
                cells.lines.push(line);
            }
            found.get_or_insert((selected.name.clone(), shape));
        }
        let (column, shape) = found?;
        let message = format!(
            "holds what looks like {}: personal data is never shown or used, so the row is \
             left out (expected a value of the contract, docs/inputs.md)",
            shape.described()
        );
        Some(InputError::new(
            &self.file,
            Some(line),
            Some(&column),
            message,
        ))
    }

    /// One problem per contract column that held personal data, with the count: a column
    /// mapped onto the wrong export column (`[kolommen]`) shows here as thousands of cells.
    /// The file is unusable until it is mended.
    fn personal_data_found(&self) -> Vec<InputError> {
        self.personal
            .iter()
            .map(|(column, cells)| {
                let shapes: Vec<&str> = cells.shapes.iter().map(|s| s.described()).collect();
                let lines: Vec<String> = cells.lines.iter().map(usize::to_string).collect();
                let header = self
                    .selected
                    .iter()
                    .find(|s| &s.name == column)
                    .and_then(|s| s.index)
                    .and_then(|i| self.headers.get(i))
                    .filter(|h| !h.eq_ignore_ascii_case(column))
                    .map(|h| format!(" (read from the export column {})", shown_header(h)))
                    .unwrap_or_default();
                let more = if cells.count > cells.lines.len() {
                    ", ..."
                } else {
                    ""
                };
                let (counted, look, on) = match cells.count {
                    1 => ("1 cell".to_string(), "looks", "on line"),
                    n => (format!("{n} cells"), "look", "on lines"),
                };
                let message = format!(
                    "{counted}{header} {look} like personal data ({}), {on} {}{more}: they are \
                     never shown. Is the column mapped onto the wrong export column (see \
                     [kolommen] in {CONFIG_FILE}), or was personal data typed into it?",
                    shapes.join(", "),
                    lines.join(", ")
                );
                InputError::new(&self.file, None, Some(column), message)
                    .with_kind(super::error::Kind::Unusable)
            })
            .collect()
    }

    fn cell_errors(&self, line: usize) -> Vec<InputError> {
        let mut errors = Vec::new();
        for selected in self.selected.iter() {
            let Some(value) = selected.index.and_then(|i| self.record.get(i)) else {
                continue;
            };
            let message = if value.len() > MAX_CELL && value.chars().count() > MAX_CELL {
                format!(
                    "holds a value of {} characters: expected at most {MAX_CELL} (check the \
                     quotes)",
                    value.chars().count()
                )
            } else if let Some(c) = first_not_text(value) {
                self.encoding.not_text(c)
            } else {
                continue;
            };
            errors.push(InputError::new(
                &self.file,
                Some(line),
                Some(&selected.name),
                message,
            ));
        }
        errors
    }
}

fn newlines(value: &str) -> usize {
    newlines_in(value.as_bytes())
}

fn newlines_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'\n').count()
}

/// Where a quoted value that is never closed opens in `bytes` (a record through the end of the
/// text), and the index of its field; `None` when every quote is closed. Follows the csv
/// parser: a quote opens a value only at the start of a field, `""` inside is a quote, and
/// text after the closing quote continues the field.
fn open_quote(bytes: &[u8], separator: u8, comments: bool) -> Option<(usize, usize)> {
    #[derive(Clone, Copy)]
    enum State {
        RecordStart,
        FieldStart,
        InField,
        Quoted(usize),
        AfterQuote(usize),
        Comment,
    }
    let (mut state, mut field) = (State::RecordStart, 0);
    for (at, &b) in bytes.iter().enumerate() {
        state = match state {
            State::Comment if b == b'\n' => State::RecordStart,
            State::Comment => State::Comment,
            State::RecordStart if comments && b == b'#' => State::Comment,
            State::RecordStart | State::FieldStart | State::InField | State::AfterQuote(_)
                if b == b'\n' =>
            {
                field = 0;
                State::RecordStart
            }
            State::RecordStart | State::FieldStart | State::InField | State::AfterQuote(_)
                if b == separator =>
            {
                field += 1;
                State::FieldStart
            }
            State::RecordStart | State::FieldStart if b == b'"' => State::Quoted(at),
            State::RecordStart | State::FieldStart | State::InField => State::InField,
            State::Quoted(open) if b == b'"' => State::AfterQuote(open),
            State::Quoted(open) => State::Quoted(open),
            State::AfterQuote(open) if b == b'"' => State::Quoted(open),
            State::AfterQuote(_) => State::InField,
        };
    }
    match state {
        State::Quoted(open) => Some((open, field)),
        _ => None,
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn read_bytes(path: &Path, file: &str) -> Result<Vec<u8>, InputError> {
    use super::regular::{self, OpenError};
    regular::read(path, u64::MAX).map_err(|error| match error {
        OpenError::Io(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let dir = path
                .parent()
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            InputError::not_found(file, if dir.is_empty() { "." } else { &dir })
        }
        OpenError::Io(error) => InputError::unreadable(file, &error),
        not_regular => InputError::unusable(file, not_regular.to_string()),
    })
}

/// How a file's bytes became text, for the words of a problem with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decoded {
    /// UTF-8 throughout (or UTF-16 with a byte order mark).
    Text,
    /// UTF-8 with some bytes that are not; each became U+FFFD.
    MixedUtf8,
    /// Windows-1252: any byte decodes, the five it leaves undefined to control characters.
    Windows1252,
}

impl Decoded {
    /// What is wrong with a cell holding `c` (see [`first_not_text`]).
    fn not_text(self, c: char) -> String {
        let expected = "expected text in UTF-8 or Windows-1252";
        match (c, self) {
            ('\0', _) => format!("holds a NUL byte: {expected}, not binary data"),
            ('\u{fffd}', Decoded::MixedUtf8) => format!(
                "holds bytes that are not UTF-8 while the rest of the file is UTF-8: {expected}, \
                 one encoding for the whole file"
            ),
            ('\u{fffd}', _) => format!(
                "holds U+FFFD (\u{fffd}), the mark of characters lost in an earlier conversion: \
                 {expected}, with the original characters"
            ),
            ('\u{81}' | '\u{8d}' | '\u{8f}' | '\u{90}' | '\u{9d}', Decoded::Windows1252) => {
                format!(
                    "holds the byte 0x{:02X}, which is neither UTF-8 nor Windows-1252 text: {expected} \
                 (was the file saved in another encoding?)",
                    c as u32
                )
            }
            _ => format!(
                "holds the control character U+{:04X}, which is not text: {expected}",
                c as u32
            ),
        }
    }
}

/// The first character that is no text: a control character other than tab and line ends,
/// or U+FFFD standing in for bytes that could not be decoded. Looks at the UTF-8 bytes, which
/// is fast enough to run over every cell.
fn first_not_text(value: &str) -> Option<char> {
    let at = not_text_at(value.as_bytes())?;
    value.get(at..)?.chars().next()
}

/// Where in UTF-8 `bytes` the first character that is no text starts (see [`first_not_text`]).
pub fn not_text_at(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | 0x7f => true,
        // U+0080 to U+009F
        0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)),
        // U+FFFD
        0xef => bytes.get(i + 1..i + 3) == Some(&[0xbf, 0xbd]),
        _ => false,
    })
}

fn is_not_text(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffd}')
}

/// Files that are something else than CSV text, by their first bytes.
const NOT_CSV: &[(&[u8], &str)] = &[
    (
        b"PK\x03\x04",
        "an Excel workbook (zip); save it from Excel as CSV",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an Excel 97-2003 workbook; save it from Excel as CSV",
    ),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
];

/// UTF-8 (BOM stripped), UTF-16 with BOM, else Windows-1252, which decodes any byte. A file
/// that is mostly UTF-8 but holds a few bytes that are not stays UTF-8 (those bytes become
/// U+FFFD and the rows holding them an error), so one stray byte does not turn every accent of
/// the file into two wrong characters. Binary files, workbooks and web pages are refused.
fn decode(file: &str, mut bytes: Vec<u8>) -> Result<(String, Decoded), InputError> {
    let not_csv =
        |what: &str| InputError::unusable(file, format!("expected a CSV text file, found {what}"));
    if let Some((_, what)) = NOT_CSV.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(not_csv(what));
    }
    let (text, decoded) = match Encoding::for_bom(&bytes) {
        Some((encoding, bom)) if encoding == encoding_rs::UTF_8 => {
            bytes.drain(..bom);
            utf8_or_windows_1252(bytes)
        }
        Some((encoding, bom)) => (
            decode_with_bom(file, encoding, &bytes[bom..])?,
            Decoded::Text,
        ),
        None => utf8_or_windows_1252(bytes),
    };
    let start = text
        .trim_start()
        .get(..16)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    if ["<!doctype", "<html", "<?xml", "<table"]
        .iter()
        .any(|tag| start.starts_with(tag))
    {
        return Err(not_csv(
            "HTML or XML (a web page, or a spreadsheet saved as XML?)",
        ));
    }
    if looks_binary(&text) {
        return Err(not_csv(
            "binary data (NUL bytes and control characters): save the export as CSV text",
        ));
    }
    Ok((text, decoded))
}

fn utf8_or_windows_1252(bytes: Vec<u8>) -> (String, Decoded) {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return (text, Decoded::Text),
        Err(error) => error.into_bytes(),
    };
    let (multibyte, invalid) = utf8_tally(&bytes);
    if multibyte > invalid {
        (
            String::from_utf8_lossy(&bytes).into_owned(),
            Decoded::MixedUtf8,
        )
    } else {
        let text = WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned();
        (text, Decoded::Windows1252)
    }
}

/// Valid multi-byte UTF-8 characters, and bytes that are not UTF-8.
fn utf8_tally(mut bytes: &[u8]) -> (usize, usize) {
    let leads = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xC0).count();
    let (mut multibyte, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => return (multibyte + leads(valid.as_bytes()), invalid),
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                multibyte += leads(valid);
                let bad = error.error_len().unwrap_or(rest.len());
                invalid += bad;
                bytes = &rest[bad..];
            }
        }
    }
}

/// Text that is largely control characters is binary data, not a CSV export; a few of them
/// are problems of the rows holding them.
fn looks_binary(text: &str) -> bool {
    if first_not_text(text).is_none() {
        return false;
    }
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        bad += usize::from(is_not_text(c) && c != '\u{fffd}');
    }
    bad * 10 >= all || (bad >= 16 && bad * 100 >= all)
}

fn decode_with_bom(
    file: &str,
    encoding: &'static Encoding,
    bytes: &[u8],
) -> Result<String, InputError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let message = format!(
            "the file starts with a {} byte order mark but is not valid {0}",
            encoding.name()
        );
        return Err(InputError::unusable(file, message));
    }
    Ok(text.into_owned())
}

/// Old Mac exports end lines with a bare CR, which the csv parser would not count as lines.
fn normalize_line_ends(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// The separator, from an Excel `sep=;` first line or else from the header line: the most
/// frequent of `,`, `;` and tab outside quotes (a tie goes to `,`). The `sep=` line is blanked
/// so line numbers stay those of the file.
fn separator(text: String, comments: bool) -> (u8, String) {
    let first = text.lines().next().unwrap_or("");
    let hint = first
        .trim()
        .strip_prefix("sep=")
        .or_else(|| first.trim().strip_prefix("SEP="));
    if let Some(&[sep]) = hint.map(str::as_bytes) {
        let rest = text.get(first.len()..).unwrap_or("").to_string();
        return (sep, rest);
    }
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty() && !(comments && l.starts_with('#')))
        .unwrap_or("");
    (separator_of(header), text)
}

/// The longest header line taken: hundreds of columns of long names fit; a file that is one
/// endless line would otherwise become millions of column names in memory.
const MAX_HEADER_BYTES: usize = 1 << 16;

/// The length of a line longer than [`MAX_HEADER_BYTES`] up to and including the header line
/// (blank lines, `;;;` lines and comments come before it).
fn long_line_before_rows(text: &str, separator: u8, comments: bool) -> Option<usize> {
    for line in text.split('\n') {
        if line.len() > MAX_HEADER_BYTES {
            return Some(line.len());
        }
        let blank = line
            .trim_matches(|c: char| c.is_whitespace() || c == char::from(separator))
            .is_empty();
        if !(blank || (comments && line.starts_with('#'))) {
            return None;
        }
    }
    None
}

/// The separator of a header line: the most frequent of `,`, `;` and tab outside quotes (more
/// tabs than either → tab, more `;` than `,` → `;`, else `,`).
fn separator_of(header: &str) -> u8 {
    let (mut commas, mut semicolons, mut tabs, mut quoted) = (0, 0, 0, false);
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if tabs > commas && tabs > semicolons {
        b'\t'
    } else if semicolons > commas {
        b';'
    } else {
        b','
    }
}

fn read_header(
    reader: &mut csv::Reader<Cursor<Vec<u8>>>,
    record: &mut csv::StringRecord,
    file: &str,
) -> Result<Vec<String>, InputError> {
    loop {
        match reader.read_record(record) {
            Ok(true) if is_blank(record) => continue,
            Ok(true) => return Ok(record.iter().map(|h| h.trim().to_string()).collect()),
            Ok(false) => return Err(InputError::empty(file)),
            Err(error) => return Err(csv_error(file, &error)),
        }
    }
}

fn is_blank(record: &csv::StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

/// The line a record starts on. csv positions a record where the previous one ended, before
/// the blank and comment lines it skipped, so those are skipped here too. Line ends are plain
/// `\n` by now (see [`normalize_line_ends`]).
fn record_line(
    reader: &csv::Reader<Cursor<Vec<u8>>>,
    record: &csv::StringRecord,
    comments: bool,
) -> usize {
    let Some(position) = record.position() else {
        return 0;
    };
    let bytes = reader.get_ref().get_ref();
    let (mut at, mut line) = (position.byte() as usize, position.line() as usize);
    loop {
        match bytes.get(at) {
            Some(b'\n') => at += 1,
            Some(b'#') if comments => {
                let rest = bytes.get(at..).unwrap_or_default();
                match rest.iter().position(|&b| b == b'\n') {
                    Some(end) => at += end + 1,
                    None => return line,
                }
            }
            _ => return line,
        }
        line += 1;
    }
}

/// Worded from the error kind only: csv's own messages may quote the record.
fn csv_error(file: &str, error: &csv::Error) -> InputError {
    let line = error.position().map(|p| p.line() as usize);
    InputError::new(
        file,
        line,
        None,
        "the CSV text cannot be parsed here (check the quotes)",
    )
}

/// The header line of a file plain enough for a fast reader: ASCII, no quotes, no control
/// characters, no Excel `sep=` line. Returns its text, its separator (as the careful reader
/// chooses it, [`separator_of`]) and the offset of its line break. `None`
/// sends the file to the careful reader, which explains whatever is unusual.
pub(crate) fn plain_header_line(bytes: &[u8]) -> Option<(&str, u8, usize)> {
    let bom = if bytes.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    let end = bom + memchr::memchr(b'\n', bytes.get(bom..)?)?;
    let line = &bytes[bom..end];
    if line.len() > MAX_HEADER_BYTES {
        return None;
    }
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let text = std::str::from_utf8(line).ok()?;
    if !text.is_ascii()
        || text.trim().is_empty()
        || text.trim().to_ascii_lowercase().starts_with("sep=")
        || text
            .bytes()
            .any(|b| b == b'"' || (b < 0x20 && b != b'\t') || b == 0x7f)
    {
        return None;
    }
    Some((text, separator_of(text), end))
}

/// The places of the header cells that name `column` ([`header_key`]): one for a column
/// found, none for one missing, more for one the header names ambiguously.
pub(crate) fn matching_headers(headers: &[impl AsRef<str>], column: &str) -> Vec<usize> {
    let key = header_key(column);
    (0..headers.len())
        .filter(|&i| header_key(headers[i].as_ref()) == key)
        .collect()
}

/// Header names match ignoring case, surrounding spaces, and spaces versus underscores.
pub(crate) fn header_key(header: &str) -> String {
    let lower = header.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect();
    words.join("_")
}

/// A header cell as shown in the missing-column error. A file without a header line has a
/// data row there; cells that look like personal data (e-mail, phone number, long text) are
/// not shown.
fn shown_header(header: &str) -> String {
    let digits = header.chars().filter(char::is_ascii_digit).count();
    if header.is_empty() {
        "(empty)".to_string()
    } else if header.contains('@') || digits >= 6 || header.chars().nth(40).is_some() {
        "(a cell that does not look like a column name)".to_string()
    } else if first_not_text(header).is_some() {
        format!("{header:?}")
    } else {
        header.to_string()
    }
}

/// A cell that reads as a value rather than a column name: a date, a number, an e-mail address
/// or a phone number.
fn looks_like_data(cell: &str) -> bool {
    let digits = cell.chars().filter(char::is_ascii_digit).count();
    parse_date(cell).is_some() || parse_decimal(cell).is_some() || cell.contains('@') || digits >= 6
}

/// One data row: its line and the cells of the selected contract columns only.
#[derive(Debug, Clone)]
pub struct Row {
    file: Arc<str>,
    line: usize,
    columns: Arc<[Selected]>,
    values: Vec<Option<String>>,
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

    fn parsed<T>(
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

/// Whether two values have the same [`spelling_key`]; between ASCII values without making the
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
    configured: &'c [String],
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

    pub fn spell_all(&mut self, values: &[String]) -> Vec<String> {
        let mut spelled: Vec<String> = Vec::new();
        for value in values {
            let value = self.spell(value);
            if !spelled.contains(&value) {
                spelled.push(value);
            }
        }
        spelled
    }
}

/// Temporary folders with small files, for the readers' tests.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A seeded stream of numbers below `n` (a linear congruential generator, its upper bits):
    /// the same inputs on every run of the randomised tests.
    pub fn random(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        }
    }

    pub fn temp_dir(name: &str) -> PathBuf {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!(
            "oco-report-ingest-{}-{name}-{n}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create temp dir");
        dir
    }

    pub fn write(dir: &Path, file: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = dir.join(file);
        std::fs::write(&path, contents).expect("write test file");
        path
    }

    /// `contents` written as `file` in a fresh folder.
    pub fn file(file: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let stem = file.trim_end_matches(".csv");
        write(&temp_dir(stem), file, contents)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::testing::file;
    use super::*;

    #[test]
    fn same_spelling_is_equal_spelling_keys() {
        let pieces = [
            "a", "A", "b", " ", "  ", "\t", "\u{b}", "é", "É", "Σ", "ß", "x",
        ];
        let mut next = crate::ingest::csvfile::testing::random(7);
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
    use crate::ingest::{Kind, Unknown};

    const COLUMNS: &[Column] = &[
        Column::required("naam"),
        Column::required("datum"),
        Column::optional("aantal"),
    ];

    fn read(path: &Path, config: &Config) -> (Vec<(usize, String, String)>, InputErrors) {
        let read = read_rows(path, config, COLUMNS, |row| {
            let mut errors = RowErrors::new();
            let value = (
                row.line(),
                errors.take(row.required_text("naam")),
                errors.take(row.date("datum")).to_string(),
            );
            errors.finish(value)
        })
        .finish(|row| row.0);
        (read.rows, read.errors)
    }

    fn read_ok(path: &Path) -> Vec<(usize, String, String)> {
        let (rows, errors) = read(path, &Config::default());
        assert!(errors.is_empty(), "{errors}");
        rows
    }

    #[test]
    fn windows_1252_with_semicolons() {
        let path = file(
            "w.csv",
            b"naam;datum\r\nCaf\xe9 de Kroon;15-03-2021\r\n".as_slice(),
        );
        assert_eq!(
            read_ok(&path),
            vec![(2, "Café de Kroon".to_string(), "2021-03-15".to_string())]
        );
    }

    #[test]
    fn utf8_with_bom() {
        let path = file("b.csv", "\u{feff}naam,datum\nRivièra,2021-03-15\n");
        assert_eq!(read_ok(&path)[0].1, "Rivièra");
    }

    #[test]
    fn headers_in_other_case_and_with_spaces() {
        let path = file("h.csv", " NAAM , Datum ,extra\nx,15/03/2021,y\n");
        assert_eq!(read_ok(&path)[0].2, "2021-03-15");
    }

    #[test]
    fn quoted_fields_and_blank_lines() {
        let path = file(
            "q.csv",
            "naam,datum\n\"Jansen, P.\",2021-03-15\n\n,,\n\"a\"\"b\",2021-03-16\n",
        );
        let rows = read_ok(&path);
        assert_eq!(rows[0].1, "Jansen, P.");
        assert_eq!((rows[1].0, rows[1].1.as_str()), (5, "a\"b"));
    }

    #[test]
    fn renamed_column_from_config() {
        let path = file("r.csv", "naam,Aanmaakdatum\nx,2021-03-15\n");
        let mut config = Config::default();
        let renames = BTreeMap::from([("datum".to_string(), "aanmaakdatum".to_string())]);
        config.column_renames.insert("r".to_string(), renames);
        let (rows, errors) = read(&path, &config);
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn unknown_rename_is_a_settings_error() {
        let path = file("u.csv", "naam,datum\n");
        let mut config = Config::default();
        let renames = BTreeMap::from([("datun".to_string(), "x".to_string())]);
        config.column_renames.insert("u".to_string(), renames);
        let (_, errors) = read(&path, &config);
        assert_eq!(errors.0[0].file, "oco-report.toml");
        assert!(errors.0[0].message.contains("datun"));
    }

    #[test]
    fn missing_columns_are_listed_with_the_columns_found() {
        let path = file("m.csv", "Naam;Email\nx;a@b.nl\n");
        let (_, errors) = read(&path, &Config::default());
        assert_eq!(
            errors.to_string(),
            "m.csv:1: missing required column datum; the header line has: Naam, Email"
        );
    }

    #[test]
    fn headerless_file_does_not_show_personal_data() {
        let path = file("p.csv", "Piet,piet@example.nl,0612345678\n");
        let (_, errors) = read(&path, &Config::default());
        let text = errors.to_string();
        assert!(
            text.contains("missing required columns naam, datum"),
            "{text}"
        );
        assert!(
            !text.contains("piet@") && !text.contains("0612345678"),
            "{text}"
        );
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
    fn all_bad_rows_are_reported() {
        let path = file(
            "a.csv",
            "naam,datum\nx,gisteren\n,2021-01-01\nz,2021-02-30\n",
        );
        let (_, errors) = read(&path, &Config::default());
        let lines: Vec<Option<usize>> = errors.0.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3), Some(4)]);
    }

    #[test]
    fn ragged_row_names_line_and_counts_without_contents() {
        let path = file(
            "g.csv",
            "naam,datum,notities\nx,2021-03-15,GEHEIM-MARKER,meer\ny,2021-03-15,z\n",
        );
        let (rows, errors) = read(&path, &Config::default());
        assert_eq!(rows.len(), 1);
        let text = errors.to_string();
        assert!(text.starts_with("g.csv:2: expected 3 fields"), "{text}");
        assert!(text.contains("found 4"), "{text}");
        assert!(!text.contains("GEHEIM"), "{text}");
    }

    #[test]
    fn empty_file_and_header_only_are_errors() {
        let (_, errors) = read(&file("e.csv", ""), &Config::default());
        assert!(
            errors.to_string().contains("e.csv: the file is empty"),
            "{errors}"
        );
        let (_, errors) = read(&file("e.csv", "\u{feff}\r\n  \r\n"), &Config::default());
        assert!(errors.to_string().contains("empty"), "{errors}");
        let (_, errors) = read(
            &file("o.csv", "naam;datum\r\n\r\n;\r\n"),
            &Config::default(),
        );
        assert_eq!(
            errors.to_string(),
            "o.csv: the file has a header line (line 1) but no rows under it: expected at least \
             one data row"
        );
    }

    #[test]
    fn missing_file_names_the_folder() {
        let dir = testing::temp_dir("nofile");
        let (_, errors) = read(&dir.join("dossiers.csv"), &Config::default());
        assert_eq!(
            errors.to_string(),
            format!("dossiers.csv: file not found in {}", dir.display())
        );
    }

    #[test]
    fn excel_workbook_and_binary_are_refused() {
        let (_, errors) = read(
            &file("x.csv", b"PK\x03\x04rest".as_slice()),
            &Config::default(),
        );
        assert!(errors.to_string().contains("Excel workbook"), "{errors}");
        let (_, errors) = read(
            &file("n.csv", b"naam,datum\n\0\0".as_slice()),
            &Config::default(),
        );
        assert!(errors.to_string().contains("binary"), "{errors}");
    }

    #[test]
    fn utf16_excel_unicode_text_is_decoded() {
        let text = "naam\tdatum\r\nRivièra\t15-03-2021\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read_ok(&file("t.csv", bytes))[0].1, "Rivièra");
    }

    #[test]
    fn excel_sep_line_and_old_mac_line_ends() {
        let rows = read_ok(&file("s.csv", "sep=;\nnaam;datum\nx, y;2021-03-15\n"));
        assert_eq!((rows[0].0, rows[0].1.as_str()), (3, "x, y"));
        let rows = read_ok(&file("c.csv", "naam,datum\rx,2021-03-15\ry,2021-03-16\r"));
        assert_eq!(rows[1].0, 3);
    }

    #[test]
    fn line_numbers_count_blank_comment_and_multi_line_rows() {
        let rows = read_ok(&file(
            "l.csv",
            "naam,datum\n\n\nx,2021-03-15\n\"a\nb\",2021-03-16\ny,2021-03-17\n",
        ));
        let lines: Vec<usize> = rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![4, 5, 7]);
        let path = file("c.csv", "# export\n\nnaam,datum\n# note\n\nx,2021-03-15\n");
        let mut csv = CsvFile::open_with(&path, Options { comments: true }).unwrap();
        assert_eq!(csv.header_line(), 3);
        csv.select(&Config::default(), COLUMNS).unwrap();
        assert_eq!(csv.next_row().unwrap().unwrap().line(), 6);
    }

    #[test]
    fn separator_counts_outside_quotes() {
        assert_eq!(separator_of("a;b;c"), b';');
        assert_eq!(separator_of("\"a;b;c\",d"), b',');
        assert_eq!(separator_of("a,b;c"), b',');
        assert_eq!(separator_of("a\tb\tc"), b'\t');
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

    /// Every problem of `text` read as `t.csv` with the test columns, as displayed.
    fn problems(text: impl AsRef<[u8]>) -> Vec<String> {
        let (_, errors) = read(&file("t.csv", text), &Config::default());
        errors.0.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn counts_rows_read_and_rejected_and_leaves_rejected_rows_out() {
        let path = file(
            "c.csv",
            "naam,datum\n\nx,2021-03-15\n,2021-03-16\ny,gisteren\n,,\nz,2021-03-17\n",
        );
        let read = read_rows(&path, &Config::default(), COLUMNS, |row| {
            let mut errors = RowErrors::new();
            let value = (row.line(), errors.take(row.required_text("naam")));
            errors.take(row.date("datum"));
            errors.finish(value)
        })
        .finish(|row| row.0);
        assert_eq!((read.stats.rows, read.stats.rejected), (4, 2));
        assert_eq!(read.stats.valid(), 2);
        let lines: Vec<usize> = read.rows.iter().map(|r| r.0).collect();
        assert_eq!(lines, vec![3, 7]);
        assert!(read.stats.opened);
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

    #[test]
    fn quotes_never_closed() {
        assert_eq!(open_quote(b"a,\"b\"\"c\",d\n", b',', false), None);
        assert_eq!(open_quote(b"a,\"bc\nd,e\n", b',', false), Some((2, 1)));
        assert_eq!(open_quote(b"\"ab\"c,\"d", b',', false), Some((6, 1)));
        assert_eq!(open_quote(b"ab\"c,d\n", b',', false), None);
        assert_eq!(open_quote(b"\n#\"x\na;b", b';', true), None);
        assert_eq!(open_quote(b"\n\"x\na;b", b';', true), Some((1, 0)));

        let end = problems("naam,datum\nx,2021-03-15\n\"y,2021-03-16\nz,2021-03-17\n");
        assert_eq!(
            end,
            vec![
                "t.csv:3: column naam: a value that starts with a quote on line 3 is never \
                 closed: the rest of the file (lines 3-4) is read as that one value; expected \
                 a closing quote (a quote inside a value is written twice: \"\")"
            ]
        );
        let last = problems("naam,datum\nx,2021-03-15\n\"");
        assert_eq!(last.len(), 1);
        assert!(last[0].starts_with(
            "t.csv:3: column naam: a value that starts with a quote on line 3 is never closed;"
        ));
    }

    #[test]
    fn a_quote_closed_rows_later_is_a_problem_of_the_row_it_opened_in() {
        let columns = &[Column::required("a"), Column::required("b")];
        let path = file(
            "q.csv",
            "a;b;notes\n1;2;\"open\n3;4;x\n5;6;\"closed\"\n7;8;\n",
        );
        let read =
            read_rows(&path, &Config::default(), columns, |row| Ok(row.line())).finish(|l| *l);
        assert_eq!(read.rows, vec![5]);
        assert_eq!(read.errors.len(), 1);
        assert!(
            read.errors.0[0].to_string().starts_with(
                "q.csv:2: column notes: a value that starts with a quote on line 2 runs on to line 4 \
                 and takes in lines that look like whole rows"
            ),
            "{}",
            read.errors
        );
        let short = problems("naam,datum\n\"x,2021-03-15\ny,\"2021-03-16\"\nz,2021-03-17\n");
        assert_eq!(
            short,
            vec![
                "t.csv:2: expected 2 fields as in the header line, found 1 (a value containing the \
                 separator must be put in quotes); the row runs on to line 3: a value opened \
                 with a quote is closed only there (check the quotes)"
            ]
        );
    }

    #[test]
    fn contract_cells_have_a_length_limit() {
        let long = "x".repeat(MAX_CELL + 1);
        assert_eq!(
            problems(format!(
                "naam,datum,notes\n{long},2021-03-15,\ny,2021-03-16,{long}\n"
            )),
            vec![format!(
                "t.csv:2: column naam: holds a value of {} characters: expected at most 1000 \
                 (check the quotes)",
                MAX_CELL + 1
            )]
        );
        assert!(problems(format!("naam,datum\n{},2021-03-15\n", "é".repeat(MAX_CELL))).is_empty());
    }

    #[test]
    fn mostly_utf8_stays_utf8_and_stray_bytes_are_row_problems() {
        let path = file(
            "m.csv",
            b"naam,datum\nRivi\xc3\xa8ra,2021-03-15\nCaf\xe9,2021-03-16\nCr\xc3\xa8me,2021-03-17\n"
                .as_slice(),
        );
        let (rows, errors) = read(&path, &Config::default());
        assert_eq!(rows[0].1, "Rivièra");
        assert_eq!(rows[1].1, "Crème");
        assert_eq!(errors.len(), 1);
        assert!(
            errors.0[0]
                .to_string()
                .starts_with("m.csv:3: column naam: holds bytes that are not UTF-8 while the rest"),
            "{errors}"
        );
        // Mostly Windows-1252: decoded as such, a byte it leaves undefined is a problem.
        let bad = problems(b"naam,datum\nCaf\xe9,2021-03-15\nDi\x81,2021-03-16\n".as_slice());
        assert_eq!(bad.len(), 1);
        assert!(
            bad[0].starts_with("t.csv:3: column naam: holds the byte 0x81, which is neither UTF-8 nor Windows-1252 text"),
            "{bad:?}"
        );
        assert!(problems("naam,datum\nbel\u{7},2021-03-15\n")[0].contains("U+0007"));
    }

    #[test]
    fn binary_files_and_documents_are_unusable() {
        for (bytes, found) in [
            (b"%PDF-1.4\n".as_slice(), "a PDF document"),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".as_slice(),
                "an Excel 97-2003 workbook",
            ),
            (b"\n  <!DOCTYPE html><html>".as_slice(), "HTML or XML"),
            (
                b"naam,datum\n\x01\x02\x03\x04\x05\x06".as_slice(),
                "binary data",
            ),
        ] {
            let (_, errors) = read(&file("b.csv", bytes), &Config::default());
            assert_eq!(errors.len(), 1);
            assert!(errors.0[0].is_unusable());
            assert!(errors.0[0].message.contains(found), "{errors}");
        }
        let (_, errors) = read(&testing::temp_dir("gone").join("x.csv"), &Config::default());
        assert!(errors.0[0].is_unusable());
        let (_, errors) = read(&file("e.csv", ""), &Config::default());
        assert!(!errors.0[0].is_unusable());
    }

    #[test]
    fn a_first_line_of_data_is_not_listed_as_column_names() {
        let (_, errors) = read(
            &file("d.csv", "Jan Jansen,naam,2021-03-15\nx,y,z\n"),
            &Config::default(),
        );
        assert_eq!(
            errors.to_string(),
            "d.csv:1: missing required column datum; the header line has: naam, and 2 cells \
             that look like data, not column names (is the header line missing?)"
        );
        let (_, errors) = read(&file("h.csv", "naam,datun,Opmerking\n"), &Config::default());
        assert!(
            errors
                .to_string()
                .ends_with("the header line has: naam, datun, Opmerking")
        );
    }
}
