//! The stadsdeel of a school location from its postcode: a shipped table of Amsterdam's
//! 4-digit postcodes with dates of validity, 6-digit exceptions where a 4-digit postcode
//! straddles two stadsdelen, and the user's `stadsdelen-overrides.csv`, which wins.
//!
//! Where each row of the table comes from: `assets/postcode-stadsdeel-amsterdam.md`.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;

use crate::config::{Config, canonical};
use crate::ingest::csv::{Column, RowErrors, read_rows};
use crate::ingest::names::normalize_brin;
use crate::ingest::{InputError, InputErrors};

/// The shipped table, compiled in so every machine places schools alike.
pub const SHIPPED_TABLE: &str = include_str!("../../assets/postcode-stadsdeel-amsterdam.csv");

pub const OVERRIDES_FILE: &str = "stadsdelen-overrides.csv";

/// One row of the table: a 4-digit postcode (`1013`) or a 6-digit one (`1013PV`), the area it
/// lies in, from and until which day (both inclusive, open when `None`), and the other
/// stadsdelen a 4-digit postcode also reaches.
#[derive(Debug, Clone, PartialEq)]
pub struct PostcodeArea {
    pub postcode: String,
    pub stadsdeel: String,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    pub straddles: Vec<String>,
}

impl PostcodeArea {
    fn valid_on(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| from <= day) && self.until.is_none_or(|until| day <= until)
    }
}

#[derive(Debug, Clone, Default)]
pub struct PostcodeTable {
    areas: Vec<PostcodeArea>,
}

/// How a location got its stadsdeel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Placement {
    SixDigit,
    FourDigit,
    Override,
}

impl Placement {
    pub fn label(self) -> &'static str {
        match self {
            Placement::SixDigit => "6-digit postcode",
            Placement::FourDigit => "4-digit postcode",
            Placement::Override => "override",
        }
    }
}

/// Where the table puts a postcode on a day.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup<'a> {
    Found {
        area: &'a PostcodeArea,
        placement: Placement,
    },
    /// Not a postcode (`1011 A`, empty).
    Invalid,
    /// A valid postcode the table does not hold on that day.
    Unknown,
}

impl PostcodeTable {
    /// The table compiled into the program.
    pub fn shipped() -> PostcodeTable {
        match PostcodeTable::parse(SHIPPED_TABLE) {
            Ok(table) => table,
            // The unit test `shipped_table_reads` holds the asset to this.
            Err(error) => unreachable!("the shipped postcode table is broken: {error}"),
        }
    }

    /// A table in the shipped form: `postcode,stadsdeel,geldig_vanaf,geldig_tot,grens,bron`.
    pub fn parse(text: &str) -> Result<PostcodeTable, String> {
        let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let mut areas: Vec<PostcodeArea> = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i + 2;
            let record = record.map_err(|e| format!("line {line}: {e}"))?;
            let cell = |n: usize| record.get(n).unwrap_or("").trim();
            let postcode = normalize_postcode(cell(0))
                .or_else(|| four_digits(cell(0)))
                .ok_or_else(|| format!("line {line}: {:?} is not a postcode", cell(0)))?;
            let date = |n: usize| -> Result<Option<NaiveDate>, String> {
                if cell(n).is_empty() {
                    return Ok(None);
                }
                NaiveDate::parse_from_str(cell(n), "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| format!("line {line}: {:?} is not a date", cell(n)))
            };
            let area = PostcodeArea {
                postcode,
                stadsdeel: cell(1).to_string(),
                from: date(2)?,
                until: date(3)?,
                straddles: cell(4)
                    .split('|')
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| s.trim().to_string())
                    .collect(),
            };
            if let Some(other) = areas
                .iter()
                .find(|a| a.postcode == area.postcode && overlap(a, &area))
            {
                return Err(format!(
                    "line {line}: postcode {} is also {} over the same days",
                    area.postcode, other.stadsdeel
                ));
            }
            areas.push(area);
        }
        Ok(PostcodeTable { areas })
    }

    pub fn areas(&self) -> &[PostcodeArea] {
        &self.areas
    }

    /// The area of `postcode` on `day`: a 6-digit row first, else the 4-digit one.
    pub fn lookup(&self, postcode: &str, day: NaiveDate) -> Lookup<'_> {
        let Some(full) = normalize_postcode(postcode) else {
            return Lookup::Invalid;
        };
        let valid = |code: &str| {
            self.areas
                .iter()
                .find(|a| a.postcode == code && a.valid_on(day))
        };
        if let Some(area) = valid(&full) {
            return Lookup::Found {
                area,
                placement: Placement::SixDigit,
            };
        }
        match valid(&full[..4]) {
            Some(area) => Lookup::Found {
                area,
                placement: Placement::FourDigit,
            },
            None => Lookup::Unknown,
        }
    }
}

fn overlap(a: &PostcodeArea, b: &PostcodeArea) -> bool {
    let starts_before_end = |x: &PostcodeArea, y: &PostcodeArea| match (x.from, y.until) {
        (Some(from), Some(until)) => from <= until,
        _ => true,
    };
    starts_before_end(a, b) && starts_before_end(b, a)
}

/// `1011 AB`, `1011ab`, ` 1011  AB ` → `1011AB`; anything else `None`.
pub fn normalize_postcode(text: &str) -> Option<String> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    let bytes = compact.as_bytes();
    let valid = bytes.len() == 6
        && bytes[0] != b'0'
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..].iter().all(u8::is_ascii_uppercase);
    valid.then_some(compact)
}

fn four_digits(text: &str) -> Option<String> {
    let valid = text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| text.to_string())
}

/// One row of `stadsdelen-overrides.csv`: a location code (`12AB00`) or a brin (`12AB`, all
/// its locations) placed in a stadsdeel, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    pub line: usize,
    pub brin: String,
    pub stadsdeel: String,
    pub reden: String,
}

/// The user's overrides, by location code or brin; no file is no overrides.
pub fn read_overrides(
    data_dir: &Path,
    config: &Config,
) -> Result<BTreeMap<String, Override>, InputErrors> {
    let path = data_dir.join(OVERRIDES_FILE);
    if !path.exists() {
        return Ok(BTreeMap::new());
    }
    let columns = [
        Column::required("brin"),
        Column::required("stadsdeel"),
        Column::required("reden"),
    ];
    let read = read_rows(&path, config, &columns, |row| {
        let mut errors = RowErrors::new();
        let brin = normalize_brin(&errors.take(row.required_text("brin")));
        if !(is_brin(&brin) || is_location_code(&brin)) && !brin.is_empty() {
            errors.take::<()>(Err(row.error(
                "brin",
                "a brin like 12AB or a location code like 12AB00",
                &brin,
            )));
        }
        let over = Override {
            line: row.line(),
            brin,
            stadsdeel: errors.take(row.category("stadsdeel", &config.stadsdelen)),
            reden: errors.take(row.required_text("reden")),
        };
        errors.finish(over)
    })
    .finish(|o| o.line);
    let mut errors = read.errors;
    let mut overrides: BTreeMap<String, Override> = BTreeMap::new();
    for over in read.rows {
        if let Some(first) = overrides.get(&over.brin) {
            errors.push(InputError::duplicate(
                OVERRIDES_FILE,
                over.line,
                "brin",
                &over.brin,
                first.line,
            ));
            continue;
        }
        overrides.insert(over.brin.clone(), over);
    }
    errors.or_ok(overrides)
}

/// `12AB`: two digits and two letters or digits.
pub fn is_brin(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 4
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..].iter().all(u8::is_ascii_alphanumeric)
}

/// `12AB00`: a brin and a two-digit location number.
pub fn is_location_code(text: &str) -> bool {
    text.len() == 6
        && text.is_ascii()
        && is_brin(&text[..4])
        && text[4..].bytes().all(|b| b.is_ascii_digit())
}

/// The configured spelling of a stadsdeel the table names, or `None` when `oco-report.toml`
/// does not list it (Weesp, Westpoort).
pub fn configured<'a>(config: &'a Config, stadsdeel: &str) -> Option<&'a str> {
    canonical(&config.stadsdelen, stadsdeel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn shipped_table_reads() {
        let table = PostcodeTable::parse(SHIPPED_TABLE).unwrap();
        assert_eq!(table.areas().len(), 92);
        let config = Config::default();
        for area in table.areas() {
            let known = configured(&config, &area.stadsdeel).is_some()
                || ["Weesp", "Westpoort"].contains(&area.stadsdeel.as_str());
            assert!(known, "{area:?}");
        }
    }

    #[test]
    fn driemond_moves_to_weesp_on_24_march_2022() {
        let table = PostcodeTable::shipped();
        let area = |d| match table.lookup("1109 AR", d) {
            Lookup::Found { area, .. } => area.stadsdeel.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(area(day(2022, 3, 23)), "Zuidoost");
        assert_eq!(area(day(2022, 3, 24)), "Weesp");
        assert_eq!(table.lookup("1381AB", day(2021, 10, 1)), Lookup::Unknown);
        assert!(matches!(
            table.lookup("1381AB", day(2022, 10, 1)),
            Lookup::Found { .. }
        ));
    }

    #[test]
    fn six_digit_exception_wins_over_four_digits() {
        let table = PostcodeTable::parse(
            "postcode,stadsdeel,geldig_vanaf,geldig_tot,grens,bron\n\
             1013,Centrum,,,West,S\n1013 PV,West,,,,X\n",
        )
        .unwrap();
        let d = day(2020, 1, 1);
        match table.lookup("1013pv", d) {
            Lookup::Found { area, placement } => {
                assert_eq!(
                    (area.stadsdeel.as_str(), placement),
                    ("West", Placement::SixDigit)
                );
            }
            other => panic!("{other:?}"),
        }
        match table.lookup("1013 KS", d) {
            Lookup::Found { area, placement } => {
                assert_eq!(area.stadsdeel, "Centrum");
                assert_eq!(placement, Placement::FourDigit);
                assert_eq!(area.straddles, vec!["West"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(table.lookup("1013 K", d), Lookup::Invalid);
        assert_eq!(table.lookup("0113 KS", d), Lookup::Invalid);
    }

    #[test]
    fn overlapping_rows_are_refused() {
        let err = PostcodeTable::parse(
            "postcode,stadsdeel,geldig_vanaf,geldig_tot,grens,bron\n\
             1109,Zuidoost,,2022-03-24,,S\n1109,Weesp,2022-03-24,,,S\n",
        )
        .unwrap_err();
        assert!(err.contains("line 3"), "{err}");
    }

    #[test]
    fn postcodes_normalise() {
        assert_eq!(normalize_postcode(" 1011 ab").as_deref(), Some("1011AB"));
        assert_eq!(normalize_postcode("1011"), None);
        assert_eq!(normalize_postcode("1011 A1"), None);
        assert!(is_brin("04IU") && is_location_code("04IU01"));
        assert!(!is_brin("4IU") && !is_location_code("04IU1"));
        assert!(!is_location_code("0é12") && !is_location_code("04ÉÉ"));
    }
}
