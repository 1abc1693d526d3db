//! The CSV reader every export goes through, and the typed field parsers.
//!
//! Exports come from Dutch Excel (Windows-1252, `;`), from web tools (UTF-8, `,`) and from
//! people editing by hand, so encoding and separator are detected rather than configured.
//!
//! Privacy: a row is copied out of the csv record only for the contract columns a reader
//! selects; other cells (names, e-mail, phone numbers, notes) are dropped with the record and
//! never quoted in an error.
//!
//! In layers, each a module: `decode` (bytes to text), `structure` (text to records:
//! separator, header line, lines and quoting), `columns` (the contract columns in the
//! header), `row` (one row's cells, typed). This module reads a whole file with them.

mod columns;
mod decode;
mod row;
mod structure;

pub use columns::*;
pub use decode::*;
pub use row::*;
pub use structure::*;

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use super::error::{InputError, InputErrors};
use crate::config::Config;

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

/// Temporary folders with small files, for the readers' tests.
#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use crate::config::Config;
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

    pub const COLUMNS: &[Column] = &[
        Column::required("naam"),
        Column::required("datum"),
        Column::optional("aantal"),
    ];

    pub fn read(path: &Path, config: &Config) -> (Vec<(usize, String, String)>, InputErrors) {
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

    pub fn read_ok(path: &Path) -> Vec<(usize, String, String)> {
        let (rows, errors) = read(path, &Config::default());
        assert!(errors.is_empty(), "{errors}");
        rows
    }

    /// Every problem of `text` read as `t.csv` with the test columns, as displayed.
    pub fn problems(text: impl AsRef<[u8]>) -> Vec<String> {
        let (_, errors) = read(&file("t.csv", text), &Config::default());
        errors.0.iter().map(ToString::to_string).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

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
}
