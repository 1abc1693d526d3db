//! The contract columns: which header cell each is under (case, spaces and underscores
//! ignored), the renames of `oco-report.toml`, and the error listing what is missing.

use std::collections::HashSet;

use super::decode::first_not_text;
use super::row::{parse_date, parse_decimal};
use super::structure::CsvFile;
use crate::config::{CONFIG_FILE, Config};
use crate::ingest::error::InputError;

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

/// A selected column: the name rows are looked up by, and where it is in the record.
#[derive(Debug, Clone)]
pub(super) struct Selected {
    pub(super) name: String,
    pub(super) index: Option<usize>,
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
pub(super) fn shown_header(header: &str) -> String {
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

impl CsvFile {
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
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::super::testing::*;
    use crate::config::Config;

    #[test]
    fn headers_in_other_case_and_with_spaces() {
        let path = file("h.csv", " NAAM , Datum ,extra\nx,15/03/2021,y\n");
        assert_eq!(read_ok(&path)[0].2, "2021-03-15");
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
