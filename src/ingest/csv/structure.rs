//! Text to records: the separator, the header line, lines and quoting (quotes never closed,
//! rows swallowed by one), row lengths, and the checks of each record's contract cells
//! (length, text, personal data) before a row is handed out.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::Cursor;
use std::path::Path;
use std::sync::Arc;

use super::columns::{Column, Selected, shown_header};
use super::decode::{Decoded, decode, file_name, first_not_text, normalize_line_ends, read_bytes};
use super::row::Row;
use crate::config::{CONFIG_FILE, Config};
use crate::ingest::error::InputError;
use crate::ingest::personal::{self, Shape};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// Lines starting with `#` are comments (web-analytics exports).
    pub comments: bool,
}

/// An open export: decoded, header read, rows not yet read.
pub struct CsvFile {
    pub(super) file: Arc<str>,
    pub(super) stem: String,
    pub(super) headers: Vec<String>,
    /// Usually 1; later when comments, blank lines or a `sep=` line come first.
    pub(super) header_line: usize,
    pub(super) reader: csv::Reader<Cursor<Vec<u8>>>,
    pub(super) record: csv::StringRecord,
    pub(super) selected: Arc<[Selected]>,
    pub(super) comments: bool,
    pub(super) separator: u8,
    pub(super) encoding: Decoded,
    /// Data rows read so far.
    pub(super) rows: usize,
    /// Further problems of the row last read, handed out before the next row.
    pending: VecDeque<InputError>,
    done: bool,
    /// Per contract column, the cells that looked like personal data (see
    /// [`crate::ingest::personal`]): the rows are refused, and the file with a count at its end.
    personal: BTreeMap<String, PersonalCells>,
    /// Cells invisible characters were removed from, and which (for [`FileStats`]).
    pub(super) invisible_cells: usize,
    pub(super) invisible: BTreeSet<char>,
}

/// The cells of one column that looked like personal data.
#[derive(Debug, Default)]
struct PersonalCells {
    pub(super) count: usize,
    shapes: BTreeSet<Shape>,
    /// The first few lines, so that a single slip can be found and mended.
    pub(super) lines: Vec<usize>,
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

/// Longest contract cell the fast paths take, well within [`MAX_CELL`]: a longer one they leave
/// to the careful reader.
pub const FAST_MAX_CELL: usize = 256;

/// The fast paths' test of a contract cell as written: the careful reader takes it as it is
/// when it is at most [`FAST_MAX_CELL`] bytes and holds no invisible character (which the
/// careful reader removes, see [`crate::ingest::personal`]); else the rule it breaks. `ascii`:
/// the caller knows the cell to be ASCII, which holds no invisible character.
#[inline]
pub fn fast_cell(cell: &str, ascii: bool) -> Result<(), &'static str> {
    if cell.len() > FAST_MAX_CELL {
        return Err("a contract cell longer than the fast path takes");
    }
    if !ascii && cell.chars().any(crate::ingest::personal::is_invisible) {
        return Err("an invisible character in a contract cell");
    }
    Ok(())
}

/// How many lines a problem of personal data in a column lists.
const SHOWN_PERSONAL_LINES: usize = 5;

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

/// The separator, from an Excel `sep=;` first line or else from the header line: the most
/// frequent of `,`, `;` and tab outside quotes (a tie goes to `,`). The `sep=` line is blanked
/// so line numbers stay those of the file.
pub(super) fn separator(text: String, comments: bool) -> (u8, String) {
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

    pub(super) fn row(&mut self) -> Result<Row, InputError> {
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
                    .with_kind(crate::ingest::error::Kind::Unusable)
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

#[cfg(test)]
mod tests {
    use super::super::testing::*;
    use super::super::*;
    use super::*;
    use crate::config::Config;

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
}
