//! Problems found in the input files, collected so one run reports them all.
//!
//! An error names the file, the line and the column and says what was expected and what was
//! found. Only values of contract columns are ever quoted: the exports carry personal data in
//! other columns, and error text ends up in terminals, logs and e-mails.

use std::fmt;

use crate::config::CONFIG_FILE;

/// How many problems [`InputErrors`] prints before summarising the rest.
const SHOWN: usize = 50;

/// Values longer than this are cut in messages, so one bad cell cannot flood the output.
const MAX_QUOTED: usize = 60;

/// How many header cells a missing-column error lists.
const SHOWN_HEADERS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// File name as the contract names it, e.g. `dossiers.csv`.
    pub file: String,
    /// 1-based line in the file (header = line 1); `None` for problems of the whole file.
    pub line: Option<usize>,
    /// Contract column the problem is about.
    pub column: Option<String>,
    pub message: String,
    /// What sort of problem it is, for `validate`'s summary and exit status.
    pub kind: Kind,
}

/// What sort of problem an [`InputError`] is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Kind {
    /// A problem in a file that could be read: a row, a column, the header line, a setting.
    #[default]
    Problem,
    /// The file cannot be read as CSV text at all: missing, unreadable, binary, a workbook.
    Unusable,
    /// A value that is not one of the configured categories.
    Category(Box<Unknown>),
}

/// A value outside a list of categories, and the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown {
    /// The value, shortened like quoted values.
    pub value: String,
    pub known: Vec<String>,
}

impl InputError {
    pub fn new(
        file: &str,
        line: Option<usize>,
        column: Option<&str>,
        message: impl Into<String>,
    ) -> InputError {
        InputError {
            file: file.to_string(),
            line,
            column: column.map(str::to_string),
            message: message.into(),
            kind: Kind::Problem,
        }
    }

    /// The same problem, of another kind.
    pub fn with_kind(self, kind: Kind) -> InputError {
        InputError { kind, ..self }
    }

    /// Whether the file could not be read as CSV text at all.
    pub fn is_unusable(&self) -> bool {
        self.kind == Kind::Unusable
    }

    /// The file cannot be read as CSV text at all.
    pub fn unusable(file: &str, message: impl Into<String>) -> InputError {
        InputError::file(file, message).with_kind(Kind::Unusable)
    }

    /// A problem with the whole file.
    pub fn file(file: &str, message: impl Into<String>) -> InputError {
        InputError::new(file, None, None, message)
    }

    /// A bad `oco-report.toml`; the message is the whole error chain.
    pub fn settings(error: anyhow::Error) -> InputError {
        InputError::file(CONFIG_FILE, format!("{error:#}"))
    }

    pub fn not_found(file: &str, dir: &str) -> InputError {
        InputError::unusable(file, format!("file not found in {dir}"))
    }

    pub fn unreadable(file: &str, error: &std::io::Error) -> InputError {
        InputError::unusable(file, format!("cannot read the file: {error}"))
    }

    pub fn empty(file: &str) -> InputError {
        InputError::file(
            file,
            "the file is empty: expected a header line with the column names",
        )
    }

    /// A cell value that does not parse: `expected ..., got "..."`.
    pub fn value(file: &str, line: usize, column: &str, expected: &str, found: &str) -> InputError {
        let message = format!("expected {expected}, got {}", quote(found));
        InputError::new(file, Some(line), Some(column), message)
    }

    /// A required cell left empty.
    pub fn empty_cell(file: &str, line: usize, column: &str, expected: &str) -> InputError {
        InputError::new(
            file,
            Some(line),
            Some(column),
            format!("expected {expected}, got an empty cell"),
        )
    }

    /// A value that is not one of the `known` categories: `expected one of: ..., got "..."`.
    pub fn category(
        file: &str,
        line: usize,
        column: &str,
        expected: &str,
        found: &str,
        known: Vec<String>,
    ) -> InputError {
        let value = shorten(found);
        InputError::value(file, line, column, expected, found)
            .with_kind(Kind::Category(Box::new(Unknown { value, known })))
    }

    /// A value that must be unique but appears twice.
    pub fn duplicate(
        file: &str,
        line: usize,
        column: &str,
        value: &str,
        first: usize,
    ) -> InputError {
        let message = format!(
            "{} appears twice: on line {first} and on line {line}; expected a unique value",
            quote(value)
        );
        InputError::new(file, Some(line), Some(column), message)
    }

    /// A row with more or fewer fields than the header. Never quotes the row: it may hold
    /// personal data.
    pub fn ragged(file: &str, line: usize, expected: usize, found: usize) -> InputError {
        let message = format!(
            "expected {expected} fields as in the header line, found {found} \
             (a value containing the separator must be put in quotes)"
        );
        InputError::new(file, Some(line), None, message)
    }

    /// Required columns absent from the header line.
    pub fn missing_columns(
        file: &str,
        header_line: usize,
        missing: &[String],
        found: &[String],
    ) -> InputError {
        let noun = if missing.len() == 1 {
            "column"
        } else {
            "columns"
        };
        let mut shown: Vec<&str> = found
            .iter()
            .take(SHOWN_HEADERS)
            .map(String::as_str)
            .collect();
        let more = format!("... and {} more", found.len().saturating_sub(SHOWN_HEADERS));
        if found.len() > SHOWN_HEADERS {
            shown.push(&more);
        }
        let message = format!(
            "missing required {noun} {}; the header line has: {}",
            missing.join(", "),
            shown.join(", ")
        );
        InputError::new(file, Some(header_line), None, message)
    }
}

/// `"value"`, escaped (Rust's debug form: control, bidirectional and zero-width characters as
/// `\u{202e}`), cut to a readable length.
pub fn quote(value: &str) -> String {
    if value.chars().nth(MAX_QUOTED).is_none() {
        return format!("{value:?}");
    }
    let cut: String = value.chars().take(MAX_QUOTED).collect();
    format!("{cut:?}...")
}

/// The value cut to a readable length, unescaped (`...` marks a cut).
pub fn shorten(value: &str) -> String {
    if value.chars().nth(MAX_QUOTED).is_none() {
        return value.to_string();
    }
    let mut cut: String = value.chars().take(MAX_QUOTED).collect();
    cut.push_str("...");
    cut
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for InputError {}

/// All problems found, in file order; shown one per line.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn push(&mut self, error: InputError) {
        self.0.push(error);
    }

    pub fn extend(&mut self, other: InputErrors) {
        self.0.extend(other.0);
    }

    /// Stores the errors of `result` and returns its value, so reading can go on.
    pub fn keep<T>(&mut self, result: Result<T, InputErrors>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(errors) => {
                self.extend(errors);
                None
            }
        }
    }

    /// Like [`InputErrors::keep`] for a single error.
    pub fn keep_one<T>(&mut self, result: Result<T, InputError>) -> Option<T> {
        result.map_err(|e| self.push(e)).ok()
    }

    /// `value` when nothing went wrong, else these errors.
    pub fn or_ok<T>(self, value: T) -> Result<T, InputErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Orders the problems of one file by line, whole-file problems first; the order within
    /// a line is kept.
    pub fn sort_by_line(&mut self) {
        self.0.sort_by_key(|e| e.line);
    }
}

impl From<InputError> for InputErrors {
    fn from(error: InputError) -> InputErrors {
        InputErrors(vec![error])
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().take(SHOWN).enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        if self.0.len() > SHOWN {
            write!(f, "\n... and {} more problems", self.0.len() - SHOWN)?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_problem_per_line_with_file_line_and_column() {
        let errors = InputErrors(vec![
            InputError::value(
                "dossiers.csv",
                12,
                "datum",
                "a date like 2021-03-15, 15-03-2021 or 15/03/2021",
                "31-13-2021",
            ),
            InputError::not_found("scholen.csv", "data"),
        ]);
        assert_eq!(
            errors.to_string(),
            "dossiers.csv:12: column datum: expected a date like 2021-03-15, 15-03-2021 or \
             15/03/2021, got \"31-13-2021\"\nscholen.csv: file not found in data"
        );
    }

    #[test]
    fn shows_fifty_problems_then_counts_the_rest() {
        let errors = InputErrors(
            (1..=53)
                .map(|i| InputError::ragged("x.csv", i, 3, 4))
                .collect(),
        );
        let text = errors.to_string();
        assert_eq!(text.lines().count(), 51);
        assert!(text.ends_with("... and 3 more problems"));
    }

    #[test]
    fn keep_stores_errors_and_returns_values() {
        let mut errors = InputErrors::default();
        assert_eq!(errors.keep(Ok::<_, InputErrors>(3)), Some(3));
        let bad: Result<i32, InputErrors> = Err(InputError::empty("a.csv").into());
        assert_eq!(errors.keep(bad), None);
        assert_eq!(errors.len(), 1);
        assert!(errors.or_ok(()).is_err());
    }

    #[test]
    fn settings_error_keeps_the_chain() {
        let error = InputError::settings(anyhow::anyhow!("inner").context("outer"));
        assert_eq!(error.to_string(), "oco-report.toml: outer: inner");
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(500);
        assert!(quote(&long).len() < 80);
    }
}
