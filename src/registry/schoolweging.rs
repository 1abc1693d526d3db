//! The Inspectie's schoolweging per school location, from its workbook (XLSX or ODS): one
//! sheet per school year plus a three-year average, a location code such as `00AP|C1`, a
//! name and the schoolweging. Sheet and header names change between publications, so
//! `[import.schoolweging]` in `oco-report.toml` can name them.

use std::path::Path;

use calamine::{Data, Reader, open_workbook_auto};
use serde::Deserialize;

use crate::ingest::csv::parse_decimal;
use crate::ingest::{InputError, InputErrors};

use super::postcode::{is_brin, is_location_code};

/// `[import]` in `oco-report.toml`: settings of `oco-report import-scholen`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImportSettings {
    #[serde(default)]
    pub schoolweging: SheetSettings,
}

/// `[import.schoolweging]`: where the Inspectie's workbook keeps what is read. Headers are
/// matched case-insensitively, spaces and underscores alike.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetSettings {
    /// The sheet [default: the one whose name says "gemiddeld" (the three-year average), or
    /// the only one].
    pub blad: Option<String>,
    /// Header of the location code [default: vestiging, vestigingscode, brin].
    pub code: Option<String>,
    /// Header of the name [default: naam, vestigingsnaam, schoolnaam].
    pub naam: Option<String>,
    /// Header of the schoolweging [default: schoolweging, gemiddelde schoolweging].
    pub schoolweging: Option<String>,
}

const CODE: &[&str] = &["vestiging", "vestigingscode", "brinvestiging", "brin"];
const NAME: &[&str] = &["naam", "vestigingsnaam", "schoolnaam", "naam vestiging"];
const WEGING: &[&str] = &["schoolweging", "gemiddelde schoolweging"];

/// How far down title rows may push the header row.
const HEADER_SEARCH_ROWS: usize = 20;

/// One location of the sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Weging {
    /// Row in the sheet, 1-based as the spreadsheet shows it.
    pub row: usize,
    /// The code as written, e.g. `00AP|C1`.
    pub code: String,
    /// Its brin (`00AP`), when it starts with one.
    pub brin: Option<String>,
    /// A full location code (`00AP01`) when the code is one.
    pub location: Option<String>,
    pub naam: String,
    /// `None` where the Inspectie publishes none (too few pupils: empty or `-`).
    pub schoolweging: Option<f64>,
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub file: String,
    pub sheet: String,
    pub rows: Vec<Weging>,
}

/// Whether the bytes are a workbook: XLSX and ODS are zip archives.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

pub fn read(path: &Path, file: &str, settings: &SheetSettings) -> Result<Workbook, InputErrors> {
    let one = |message: String| InputErrors(vec![InputError::unusable(file, message)]);
    let mut workbook = open_workbook_auto(path)
        .map_err(|e| one(format!("cannot read it as an XLSX or ODS workbook: {e}")))?;
    let sheets = workbook.sheet_names();
    // Which sheet to read is a setting, as the headers are (1), not a file that cannot be read (2).
    let sheet = choose_sheet(&sheets, settings.blad.as_deref())
        .map_err(|message| InputErrors(vec![InputError::file(file, message)]))?;
    let range = workbook
        .worksheet_range(&sheet)
        .map_err(|e| one(format!("cannot read sheet {sheet:?}: {e}")))?;
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let rows: Vec<&[Data]> = range.rows().collect();
    let wanted = |setting: &Option<String>, defaults: &[&'static str]| -> Vec<String> {
        match setting {
            Some(header) => vec![key(header)],
            None => defaults.iter().map(|h| key(h)).collect(),
        }
    };
    let code_headers = wanted(&settings.code, CODE);
    let name_headers = wanted(&settings.naam, NAME);
    let weging_headers = wanted(&settings.schoolweging, WEGING);
    let position = |cells: &[Data], headers: &[String]| {
        headers
            .iter()
            .find_map(|h| cells.iter().position(|c| key(&cell_text(c)) == *h))
    };
    let header = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|cells| position(cells, &weging_headers).is_some());
    let Some(header) = header else {
        return Err(InputErrors(vec![InputError::file(
            file,
            format!(
                "sheet {sheet:?}: no header row with a column {} in the first {HEADER_SEARCH_ROWS} \
                 rows; set the header in oco-report.toml: [import.schoolweging] schoolweging = \
                 \"...\"",
                weging_headers.join(" or ")
            ),
        )]));
    };
    let cells = rows[header];
    let columns = (
        position(cells, &code_headers),
        position(cells, &name_headers),
        position(cells, &weging_headers),
    );
    let (Some(code_at), Some(name_at), Some(weging_at)) = columns else {
        let mut missing = Vec::new();
        if columns.0.is_none() {
            missing.push(format!("{} (setting code)", code_headers.join(" or ")));
        }
        if columns.1.is_none() {
            missing.push(format!("{} (setting naam)", name_headers.join(" or ")));
        }
        let found: Vec<String> = cells.iter().map(cell_text).collect();
        return Err(InputErrors(vec![InputError::new(
            file,
            Some(first_row + header + 1),
            None,
            format!(
                "sheet {sheet:?}: missing columns {}; found: {}; set them in oco-report.toml \
                 under [import.schoolweging]",
                missing.join(", "),
                found.join(", ")
            ),
        )]));
    };
    let header_text = |at: usize| cell_text(&cells[at]);
    let mut errors = InputErrors::default();
    let mut read = Vec::new();
    for (i, cells) in rows.iter().enumerate().skip(header + 1) {
        let row = first_row + i + 1;
        let get = |at: usize| cells.get(at).unwrap_or(&Data::Empty);
        let code = cell_text(get(code_at)).trim().to_ascii_uppercase();
        let naam = cell_text(get(name_at)).trim().to_string();
        if code.is_empty() && naam.is_empty() {
            continue;
        }
        let schoolweging = match weging(get(weging_at)) {
            Ok(value) => value,
            Err(found) => {
                errors.push(InputError::value(
                    file,
                    row,
                    &header_text(weging_at),
                    "a schoolweging like 31,27 (empty or - when none is published)",
                    &found,
                ));
                continue;
            }
        };
        let brin = code.get(..4).filter(|b| is_brin(b)).map(str::to_string);
        if brin.is_none() {
            errors.push(InputError::value(
                file,
                row,
                &header_text(code_at),
                "a location code that starts with a brin, like 00AP|C1 or 00AP01",
                &code,
            ));
            continue;
        }
        read.push(Weging {
            row,
            location: is_location_code(&code).then(|| code.clone()),
            brin,
            code,
            naam,
            schoolweging,
        });
    }
    if read.is_empty() && errors.is_empty() {
        errors.push(InputError::file(
            file,
            format!("sheet {sheet:?}: no rows under the header"),
        ));
    }
    errors.or_ok(Workbook {
        file: file.to_string(),
        sheet,
        rows: read,
    })
}

fn choose_sheet(sheets: &[String], wanted: Option<&str>) -> Result<String, String> {
    let list = sheets.join(", ");
    if let Some(wanted) = wanted {
        return sheets
            .iter()
            .find(|s| s.trim().eq_ignore_ascii_case(wanted.trim()))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "no sheet {wanted:?} ([import.schoolweging] blad in oco-report.toml); its \
                     sheets are: {list}"
                )
            });
    }
    let average: Vec<&String> = sheets
        .iter()
        .filter(|s| s.to_lowercase().contains("gemiddeld"))
        .collect();
    match (average.as_slice(), sheets) {
        ([one], _) => Ok((*one).clone()),
        ([], [only]) => Ok(only.clone()),
        _ => Err(format!(
            "which sheet holds the schoolweging? Its sheets are: {list}; name one in \
             oco-report.toml: [import.schoolweging] blad = \"...\""
        )),
    }
}

/// `Schoolweging`, ` gemiddelde_schoolweging ` → `gemiddelde schoolweging`.
fn key(header: &str) -> String {
    header
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => format!("{e}"),
    }
}

/// The schoolweging of a cell; `Err` with the text found when it is no number.
fn weging(cell: &Data) -> Result<Option<f64>, String> {
    match cell {
        Data::Empty => Ok(None),
        Data::Int(i) => Ok(Some(*i as f64)),
        Data::Float(f) if f.is_finite() => Ok(Some(*f)),
        Data::String(s) => {
            let s = s.trim();
            if s.is_empty() || s == "-" || s == "*" {
                return Ok(None);
            }
            parse_decimal(s).map(Some).ok_or_else(|| s.to_string())
        }
        other => Err(cell_text(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_average_sheet_is_chosen_unless_one_is_named() {
        let sheets: Vec<String> = ["2020-2021", "2021-2022", "Gemiddelde 3 jaar"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(choose_sheet(&sheets, None).unwrap(), "Gemiddelde 3 jaar");
        assert_eq!(
            choose_sheet(&sheets, Some("2021-2022")).unwrap(),
            "2021-2022"
        );
        let err = choose_sheet(&sheets, Some("2019")).unwrap_err();
        assert!(
            err.contains("2020-2021, 2021-2022, Gemiddelde 3 jaar"),
            "{err}"
        );
        let err = choose_sheet(&sheets[..2], None).unwrap_err();
        assert!(err.contains("blad"), "{err}");
    }

    #[test]
    fn weging_cells() {
        assert_eq!(weging(&Data::Float(31.27)), Ok(Some(31.27)));
        assert_eq!(weging(&Data::String("31,27".into())), Ok(Some(31.27)));
        assert_eq!(weging(&Data::String("-".into())), Ok(None));
        assert_eq!(weging(&Data::Empty), Ok(None));
        assert_eq!(
            weging(&Data::String("hoog".into())),
            Err("hoog".to_string())
        );
    }
}
