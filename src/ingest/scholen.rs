//! `scholen.csv`: the school registry (DUO locations joined with the CBS schoolweging).

use std::collections::HashMap;
use std::path::Path;

use super::csv::{Column, FileRead, Row, RowErrors, read_rows};
use super::names::{normalize_brin, normalize_name};
use super::{InputError, InputErrors};
use crate::config::Config;
use crate::model::School;

pub const FILE: &str = "scholen.csv";

const COLUMNS: &[Column] = &[
    Column::required("brin"),
    Column::required("naam"),
    Column::required("stadsdeel"),
    Column::optional("schoolweging"),
    Column::optional("sector"),
    Column::optional("aliassen"),
];

const SECTORS: [&str; 4] = ["po", "so", "vo", "mbo"];

pub fn read(path: &Path, config: &Config) -> Result<Vec<School>, InputErrors> {
    read_file(path, config).into_result()
}

/// The schools without a problem, every problem, and the counts of the rows.
pub fn read_file(path: &Path, config: &Config) -> FileRead<School> {
    let mut read = read_rows(path, config, COLUMNS, |row| school(row, config));
    let across = [duplicate_brins(&read.rows), clashing_names(&read.rows)];
    for errors in across {
        read.errors.extend(errors);
    }
    read.finish(|s| s.line)
}

fn school(row: &Row, config: &Config) -> Result<School, InputErrors> {
    let mut errors = RowErrors::new();
    let school = School {
        line: row.line(),
        brin: normalize_brin(&errors.take(row.required_text("brin"))),
        naam: errors.take(row.required_text("naam")),
        stadsdeel: errors.take(stadsdeel(row, config)),
        schoolweging: errors.take(row.decimal("schoolweging")),
        sector: errors.take(sector(row)),
        aliassen: row.list("aliassen"),
    };
    errors.finish(school)
}

/// Empty for schools outside Amsterdam.
fn stadsdeel(row: &Row, config: &Config) -> Result<Option<String>, InputError> {
    if row.raw("stadsdeel").is_empty() {
        return Ok(None);
    }
    row.category("stadsdeel", &config.stadsdelen).map(Some)
}

fn sector(row: &Row) -> Result<String, InputError> {
    let value = row.raw("sector").to_lowercase();
    if value.is_empty() {
        return Ok("po".to_string());
    }
    if SECTORS.contains(&value.as_str()) {
        return Ok(value);
    }
    let expected = format!("one of: {} (empty means po)", SECTORS.join(", "));
    let known = SECTORS.iter().map(|s| s.to_string()).collect();
    Err(row.unknown("sector", row.raw("sector"), known, &expected))
}

fn duplicate_brins(schools: &[School]) -> InputErrors {
    let mut errors = InputErrors::default();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for school in schools {
        match first.get(school.brin.as_str()) {
            Some(&line) => errors.push(InputError::duplicate(
                FILE,
                school.line,
                "brin",
                &school.brin,
                line,
            )),
            None => {
                first.insert(&school.brin, school.line);
            }
        }
    }
    errors
}

/// Names and aliases of different schools that read the same after normalisation: a dossier
/// naming one of them could not be matched.
fn clashing_names(schools: &[School]) -> InputErrors {
    let mut errors = InputErrors::default();
    let mut owners: HashMap<String, (usize, &School, &str)> = HashMap::new();
    for (i, school) in schools.iter().enumerate() {
        let names = std::iter::once(("naam", &school.naam))
            .chain(school.aliassen.iter().map(|a| ("aliassen", a)));
        for (column, name) in names {
            let key = normalize_name(name);
            if key.is_empty() {
                continue;
            }
            match owners.get(&key) {
                Some(&(owner, other, other_name)) if owner != i => {
                    errors.push(name_clash(school, column, name, other, other_name, &key));
                }
                Some(_) => {}
                None => {
                    owners.insert(key, (i, school, name));
                }
            }
        }
    }
    errors
}

fn name_clash(
    school: &School,
    column: &str,
    name: &str,
    other: &School,
    other_name: &str,
    key: &str,
) -> InputError {
    let message = format!(
        "{name:?} of school {} reads the same as {other_name:?} of school {} on line {} \
         (both match {key:?}); expected names and aliases that tell schools apart",
        school.brin, other.brin, other.line
    );
    InputError::new(FILE, Some(school.line), Some(column), message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::csv::testing::file;

    fn read_text(text: &str) -> Result<Vec<School>, InputErrors> {
        read(&file(FILE, text), &Config::default())
    }

    #[test]
    fn reads_schools_with_defaults() {
        let schools = read_text(
            "brin;naam;stadsdeel;schoolweging;sector;aliassen\n\
             12ab00;Sint-Jozefschool;zuidoost;31,27;;De Jozef|de jozef|Jozef\n\
             34CD00;Het Lyceum;;;VO;\n",
        )
        .unwrap();
        assert_eq!(schools[0].brin, "12AB00");
        assert_eq!(schools[0].stadsdeel.as_deref(), Some("Zuidoost"));
        assert_eq!(schools[0].schoolweging, Some(31.27));
        assert_eq!(schools[0].sector, "po");
        assert_eq!(schools[0].aliassen, vec!["De Jozef", "Jozef"]);
        assert_eq!(schools[1].stadsdeel, None);
        assert_eq!(schools[1].sector, "vo");
    }

    #[test]
    fn sector_column_may_be_missing() {
        let schools = read_text("brin,naam,stadsdeel\n12AB00,X,West\n").unwrap();
        assert_eq!(schools[0].sector, "po");
    }

    #[test]
    fn duplicate_brin_names_both_lines() {
        let err = read_text("brin,naam,stadsdeel\n12AB00,X,West\n13AB00,Y,West\n12ab00,Z,West\n")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "scholen.csv:4: column brin: \"12AB00\" appears twice: on line 2 and on line 4; \
             expected a unique value"
        );
    }

    #[test]
    fn names_that_normalise_alike_are_an_error_naming_both_lines() {
        let err = read_text(
            "brin,naam,stadsdeel,aliassen\n12AB00,De Kraal,West,\n13AB00,Y,West,de  kraal!\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("scholen.csv:3: column aliassen:"),
            "{text}"
        );
        assert!(text.contains("on line 2"), "{text}");
    }

    #[test]
    fn unknown_stadsdeel_and_sector_are_errors() {
        let err =
            read_text("brin,naam,stadsdeel,sector\n12AB00,X,Westpoort,po\n13AB00,Y,West,hbo\n")
                .unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(err.0[0].message.contains("Centrum, West"), "{err}");
        assert!(err.0[1].message.contains("po, so, vo, mbo"), "{err}");
    }

    #[test]
    fn bad_number_names_the_column() {
        let err =
            read_text("brin,naam,stadsdeel,schoolweging\n12AB00,X,West,dertig\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "scholen.csv:2: column schoolweging: expected a number like 31,27 or 31.27, got \"dertig\""
        );
    }
}
