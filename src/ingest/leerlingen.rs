//! The pupil counts the report divides by: CBS primary pupils per stadsdeel and school year
//! (`leerlingen-stadsdeel.csv`), and approximate pupils per sector group
//! (`leerlingen-sector.csv`).

use std::collections::HashMap;
use std::path::Path;

use super::csv::{Column, FileRead, Row, RowErrors, read_rows};
use super::{InputError, InputErrors};
use crate::config::Config;
use crate::model::{SectorPupils, StadsdeelPupils};
use crate::period::SchoolYear;

pub const STADSDEEL_FILE: &str = "leerlingen-stadsdeel.csv";
pub const SECTOR_FILE: &str = "leerlingen-sector.csv";

const STADSDEEL_COLUMNS: &[Column] = &[
    Column::required("stadsdeel"),
    Column::required("schooljaar"),
    Column::required("leerlingen"),
    Column::optional("bron"),
];
const SECTOR_COLUMNS: &[Column] = &[
    Column::required("sectorgroep"),
    Column::required("leerlingen"),
    Column::optional("schooljaar"),
];

const SCHOOLJAAR_EXPECTED: &str = "a school year like 2019/2020 or 2019-2020";

pub fn read_stadsdeel(path: &Path, config: &Config) -> Result<Vec<StadsdeelPupils>, InputErrors> {
    read_stadsdeel_file(path, config).into_result()
}

/// The rows without a problem, every problem, and the counts of the rows.
pub fn read_stadsdeel_file(path: &Path, config: &Config) -> FileRead<StadsdeelPupils> {
    let mut read = read_rows(path, config, STADSDEEL_COLUMNS, |row| {
        let mut errors = RowErrors::new();
        let pupils = StadsdeelPupils {
            line: row.line(),
            stadsdeel: errors.take(row.category("stadsdeel", &config.stadsdelen)),
            schooljaar: errors.take_or(schooljaar(row), SchoolYear(0)),
            leerlingen: errors.take(leerlingen(row)),
            bron: Some(row.raw("bron").trim())
                .filter(|b| !b.is_empty())
                .map(str::to_string),
        };
        errors.finish(pupils)
    });
    let mut first: HashMap<(&str, SchoolYear), usize> = HashMap::new();
    for row in &read.rows {
        match first.get(&(row.stadsdeel.as_str(), row.schooljaar)) {
            Some(&line) => read.errors.push(repeated_year(row, line)),
            None => {
                first.insert((&row.stadsdeel, row.schooljaar), row.line);
            }
        }
    }
    read.finish(|p| p.line)
}

/// Who counted the pupils per stadsdeel of school year `year`, for the table's header and
/// caption: DUO's counts (written by `import-scholen`, with a `bron` starting `DUO`) are by
/// school location, CBS's by home address, and the report must not call the one the other.
pub fn pupil_source(rows: &[StadsdeelPupils], year: SchoolYear) -> PupilSource {
    let by_duo = rows
        .iter()
        .filter(|p| p.schooljaar == year)
        .any(|p| p.bron.as_deref().is_some_and(|b| b.starts_with("DUO")));
    if by_duo {
        PupilSource {
            short: "DUO",
            long: "DUO, geteld naar schoolvestiging",
        }
    } else {
        PupilSource {
            short: "CBS",
            long: "CBS",
        }
    }
}

/// The source of a pupil count: `short` for a column header, `long` for a caption.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PupilSource {
    pub short: &'static str,
    pub long: &'static str,
}

fn repeated_year(row: &StadsdeelPupils, first: usize) -> InputError {
    let message = format!(
        "{} {} appears twice: on line {first} and on line {}; expected one row per stadsdeel \
         and school year",
        row.stadsdeel,
        row.schooljaar.slashed(),
        row.line
    );
    InputError::new(STADSDEEL_FILE, Some(row.line), Some("schooljaar"), message)
}

pub fn read_sector(path: &Path, config: &Config) -> Result<Vec<SectorPupils>, InputErrors> {
    read_sector_file(path, config).into_result()
}

/// The rows without a problem, every problem, and the counts of the rows.
pub fn read_sector_file(path: &Path, config: &Config) -> FileRead<SectorPupils> {
    let mut read = read_rows(path, config, SECTOR_COLUMNS, |row| {
        let mut errors = RowErrors::new();
        let pupils = SectorPupils {
            line: row.line(),
            groep: errors.take(groep(row, config)),
            leerlingen: errors.take(leerlingen(row)),
            schooljaar: match row.raw("schooljaar") {
                "" => None,
                _ => Some(errors.take_or(schooljaar(row), SchoolYear(0))),
            },
        };
        errors.finish(pupils)
    });
    let mut first: HashMap<&str, usize> = HashMap::new();
    for row in &read.rows {
        match first.get(row.groep.as_str()) {
            Some(&line) => read.errors.push(InputError::duplicate(
                SECTOR_FILE,
                row.line,
                "sectorgroep",
                &row.groep,
                line,
            )),
            None => {
                first.insert(&row.groep, row.line);
            }
        }
    }
    read.finish(|p| p.line)
}

fn schooljaar(row: &Row) -> Result<SchoolYear, InputError> {
    let value = row.raw("schooljaar");
    if value.is_empty() {
        return Err(row.empty_cell("schooljaar", SCHOOLJAAR_EXPECTED));
    }
    SchoolYear::parse(value).ok_or_else(|| row.error("schooljaar", SCHOOLJAAR_EXPECTED, value))
}

fn leerlingen(row: &Row) -> Result<i64, InputError> {
    row.int_at_least("leerlingen", 0)?
        .ok_or_else(|| row.empty_cell("leerlingen", "a whole number of at least 0"))
}

/// The configured id of the sector group, matched case-insensitively.
fn groep(row: &Row, config: &Config) -> Result<String, InputError> {
    let value = row.raw("sectorgroep");
    if let Some(group) = config.sector_group(value) {
        return Ok(group.id.clone());
    }
    let ids: Vec<String> = config.sector_groups.iter().map(|g| g.id.clone()).collect();
    let expected = format!("the id of a sector group: {}", ids.join(", "));
    if value.is_empty() {
        Err(row.empty_cell("sectorgroep", &expected))
    } else {
        Err(row.unknown("sectorgroep", value, ids, &expected))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::csv::testing::file;

    #[test]
    fn reads_pupils_per_stadsdeel() {
        let path = file(
            STADSDEEL_FILE,
            "stadsdeel;schooljaar;leerlingen\nzuidoost;2019/2020;8.123\nWest;2020-2021;9000\n",
        );
        let rows = read_stadsdeel(&path, &Config::default()).unwrap();
        assert_eq!(
            rows[0],
            StadsdeelPupils {
                line: 2,
                stadsdeel: "Zuidoost".to_string(),
                schooljaar: SchoolYear(2019),
                leerlingen: 8123,
                bron: None,
            }
        );
        assert_eq!(rows[1].schooljaar, SchoolYear(2020));
    }

    #[test]
    fn bad_school_year_and_repeated_pair() {
        let path = file(
            STADSDEEL_FILE,
            "stadsdeel,schooljaar,leerlingen\nZuid,2019,1\nZuid,2019/2020,1\nOost,2019/2020,1\nzuid,2019-2020,2\n",
        );
        let err = read_stadsdeel(&path, &Config::default()).unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(
            err.0[0].to_string(),
            "leerlingen-stadsdeel.csv:2: column schooljaar: expected a school year like 2019/2020 or \
             2019-2020, got \"2019\""
        );
        assert!(
            err.0[1].to_string().contains("on line 3 and on line 5"),
            "{err}"
        );
    }

    #[test]
    fn reads_pupils_per_sector_group() {
        let path = file(
            SECTOR_FILE,
            "sectorgroep,leerlingen\nPO,60.000\nvo,\"40.000\"\n",
        );
        let rows = read_sector(&path, &Config::default()).unwrap();
        assert_eq!((rows[0].groep.as_str(), rows[0].leerlingen), ("po", 60000));
        assert_eq!(rows[1].groep, "vo");
    }

    #[test]
    fn unknown_and_repeated_sector_groups() {
        let path = file(SECTOR_FILE, "sectorgroep,leerlingen\npo,1\nhbo,2\nPo,3\n");
        let err = read_sector(&path, &Config::default()).unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(
            err.0[0]
                .message
                .contains("voorschoolleeftijd, voorschool-geindiceerd, po"),
            "{err}"
        );
        assert_eq!(err.0[1].line, Some(4));
    }
}
