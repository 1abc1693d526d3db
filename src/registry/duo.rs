//! DUO's open-data CSV files of primary schools: school registers (one row per location, or
//! per main location) and pupil counts per location (one row per location, or one per weight
//! class, summed here).
//!
//! Headers differ between DUO's files and years, and real files have passed through Excel:
//! leading zeros lost (`GEMEENTENUMMER` `363`, `VESTIGINGSNUMMER` `0`), house numbers turned
//! into dates, cells with leading spaces. Each is repaired where the meaning is certain and
//! counted, so the report can warn about it. Only the columns below are read; the others
//! (telephone numbers, web addresses, correspondence addresses) are never looked at.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::ingest::error::quote;
use crate::ingest::{InputError, InputErrors};
use crate::period::SchoolYear;
use crate::render::number::MONTH_NAMES as MONTHS;

use super::postcode::{is_brin, is_location_code, normalize_postcode};

/// Headers naming each column, in order of preference, as [`header_key`] spells them.
const BRIN: &[&str] = &["BRIN_NUMMER", "INSTELLINGSCODE", "BRIN"];
const LOCATION: &[&str] = &["VESTIGINGSNUMMER", "VESTIGINGSCODE"];
const NAME: &[&str] = &[
    "VESTIGINGSNAAM",
    "INSTELLINGSNAAM_VESTIGING",
    "NAAM_VESTIGING",
    "INSTELLINGSNAAM",
    "NAAM_INSTELLING",
];
const POSTCODE: &[&str] = &["POSTCODE_VESTIGING", "POSTCODE"];
const STREET: &[&str] = &["STRAATNAAM_VESTIGING", "STRAATNAAM"];
const HOUSE_NUMBER: &[&str] = &[
    "HUISNUMMER_TOEVOEGING_VESTIGING",
    "HUISNUMMER_TOEVOEGING",
    "HUISNUMMER",
];
const MUNICIPALITY_NUMBER: &[&str] = &["GEMEENTENUMMER", "GEMEENTECODE"];
const MUNICIPALITY_NAME: &[&str] = &["GEMEENTENAAM"];
const TOTAL: &[&str] = &["TOTAAL", "TOTAAL_LEERLINGEN", "AANTAL_LEERLINGEN"];
const REFERENCE_DATE: &[&str] = &["PEILDATUM"];

/// How far down a title line may push the header.
const HEADER_SEARCH_LINES: usize = 10;

/// The municipalities whose name a file without `GEMEENTENUMMER` is filtered by.
const MUNICIPALITY_NAMES: &[(&str, &str)] = &[("0363", "AMSTERDAM")];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuoKind {
    /// One row per location (or per main location): brin, name, postcode, municipality.
    Register,
    /// Pupils per location, perhaps split by weight class, with a reference date.
    PupilCounts,
}

/// A school location as a DUO file describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// `12AB00`: brin and two-digit location number.
    pub code: String,
    pub name: String,
    /// `1011AB`.
    pub postcode: String,
    pub street: Option<String>,
    /// The first line of the location in the file.
    pub line: usize,
}

/// A damage Excel leaves in CSV files, how often it was found and the first line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    pub what: &'static str,
    pub count: usize,
    pub first_line: usize,
}

/// What one DUO file gave.
#[derive(Debug, Clone)]
pub struct DuoFile {
    pub file: String,
    pub kind: DuoKind,
    /// No location column: every row is a main location (`…00`).
    pub main_locations_only: bool,
    pub encoding: &'static str,
    /// Data rows read (not the title or header line).
    pub rows: usize,
    /// Rows of locations in the municipality.
    pub rows_kept: usize,
    /// Rows of locations in other municipalities.
    pub rows_outside: usize,
    /// The locations in the municipality, by code.
    pub locations: BTreeMap<String, Location>,
    /// Pupils per location code and school year (pupil counts only).
    pub pupils: BTreeMap<(String, SchoolYear), i64>,
    /// The reference date (peildatum) when the file states one.
    pub reference_date: Option<NaiveDate>,
    pub damage: Vec<Damage>,
}

/// The header of a DUO file, as positions of the columns read.
struct Columns {
    brin: usize,
    location: Option<usize>,
    name: usize,
    postcode: usize,
    street: Option<usize>,
    house_number: Option<usize>,
    municipality_number: Option<usize>,
    municipality_name: Option<usize>,
    total: Option<usize>,
    reference_date: Option<usize>,
    /// The header texts, for error messages.
    headers: Vec<String>,
}

impl Columns {
    fn header(&self, index: usize) -> &str {
        self.headers.get(index).map_or("?", String::as_str)
    }
}

/// Whether the decoded text looks like a DUO file: a brin column in one of the first lines.
pub fn recognise(text: &str) -> Option<DuoKind> {
    let (_, headers, _) = find_header(text)?;
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let has = |names: &[&str]| names.iter().any(|n| keys.iter().any(|k| k == n));
    Some(if has(TOTAL) {
        DuoKind::PupilCounts
    } else {
        DuoKind::Register
    })
}

/// Reads a DUO file whose text is `text`, keeping the locations of municipality
/// `gemeente` (4 digits, `0363`). Every bad row is a problem naming file, line and column.
pub fn read(
    file: &str,
    text: &str,
    encoding: &'static str,
    gemeente: &str,
) -> Result<DuoFile, InputErrors> {
    let Some((header_line, headers, separator)) = find_header(text) else {
        return Err(InputErrors(vec![InputError::unusable(
            file,
            format!(
                "no DUO header found in the first {HEADER_SEARCH_LINES} lines: expected a column \
                 {}",
                BRIN.join(" or ")
            ),
        )]));
    };
    let columns = columns(file, header_line, headers)?;
    let kind = if columns.total.is_some() {
        DuoKind::PupilCounts
    } else {
        DuoKind::Register
    };
    let title_date = text.lines().take(header_line - 1).find_map(date_in_title);
    if kind == DuoKind::PupilCounts && columns.reference_date.is_none() && title_date.is_none() {
        return Err(InputErrors(vec![InputError::file(
            file,
            "no reference date (peildatum): expected a column PEILDATUM or a date in a title \
             line above the header, such as \"peildatum 1 oktober 2016\"",
        )]));
    }
    let mut read = DuoFile {
        file: file.to_string(),
        kind,
        main_locations_only: columns.location.is_none(),
        encoding,
        rows: 0,
        rows_kept: 0,
        rows_outside: 0,
        locations: BTreeMap::new(),
        pupils: BTreeMap::new(),
        reference_date: title_date,
        damage: Vec::new(),
    };
    let mut errors = InputErrors::default();
    let mut damage = DamageTally::default();
    let body = text
        .split_inclusive('\n')
        .skip(header_line)
        .collect::<String>();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes());
    let mut dates: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(error) => {
                let line = error
                    .position()
                    .map_or(header_line + 1, |p| header_line + p.line() as usize);
                errors.push(InputError::new(
                    file,
                    Some(line),
                    None,
                    "the row cannot be read as CSV (a quote left open?)",
                ));
                break;
            }
        };
        let line = header_line + record.position().map_or(1, |p| p.line() as usize);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        read.rows += 1;
        // Excel leaves empty cells after the last column (`;;;`): no harm.
        let extra_empty = record.len() > columns.headers.len()
            && record
                .iter()
                .skip(columns.headers.len())
                .all(|c| c.trim().is_empty());
        if record.len() != columns.headers.len() && !extra_empty {
            errors.push(InputError::ragged(
                file,
                line,
                columns.headers.len(),
                record.len(),
            ));
            continue;
        }
        let row = RowReader {
            file,
            line,
            record: &record,
            columns: &columns,
        };
        match row.location(gemeente, &mut damage) {
            Ok(None) => read.rows_outside += 1,
            Ok(Some(location)) => {
                read.rows_kept += 1;
                let mut row_errors = InputErrors::default();
                let date = match columns.reference_date {
                    Some(_) => row_errors.keep_one(row.reference_date()),
                    None => title_date,
                };
                if let Some(date) = date {
                    *dates.entry(date).or_default() += 1;
                }
                if kind == DuoKind::PupilCounts {
                    let pupils = row_errors.keep_one(row.total());
                    if let (Some(pupils), Some(date)) = (pupils, date) {
                        let year = SchoolYear::of(date.year(), date.month());
                        *read
                            .pupils
                            .entry((location.code.clone(), year))
                            .or_default() += pupils;
                    }
                }
                errors.extend(row_errors);
                read.locations
                    .entry(location.code.clone())
                    .or_insert(location);
            }
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    errors.0.dedup();
    if read.rows == 0 {
        errors.push(InputError::file(
            file,
            "no data rows under the header: expected one row per school location",
        ));
    }
    read.reference_date = dates
        .iter()
        .max_by_key(|(date, count)| (**count, **date))
        .map(|(date, _)| *date)
        .or(title_date);
    read.damage = damage.into_list();
    errors.or_ok(read)
}

/// The line (1-based) and cells of the header, and the separator: the first of the first
/// lines that names a brin column. Lines above it are title lines.
fn find_header(text: &str) -> Option<(usize, Vec<String>, u8)> {
    for (i, line) in text.lines().take(HEADER_SEARCH_LINES).enumerate() {
        let separator = if line.matches(';').count() >= line.matches(',').count() {
            b';'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(line.as_bytes());
        let Some(Ok(record)) = reader.records().next() else {
            continue;
        };
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().any(|c| BRIN.contains(&header_key(c).as_str())) {
            return Some((i + 1, cells, separator));
        }
    }
    None
}

/// `BRIN NUMMER`, `brin_nummer`, `Brin-nummer` → `BRIN_NUMMER`.
pub fn header_key(header: &str) -> String {
    header
        .trim()
        .trim_start_matches('\u{feff}')
        .to_uppercase()
        .split(|c: char| c.is_whitespace() || c == '_' || c == '-')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

fn columns(file: &str, header_line: usize, headers: Vec<String>) -> Result<Columns, InputErrors> {
    let keys: Vec<String> = headers.iter().map(|h| header_key(h)).collect();
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| keys.iter().position(|k| k == name))
    };
    let mut missing = Vec::new();
    let mut required = |names: &[&str]| {
        let found = find(names);
        if found.is_none() {
            missing.push(names.join(" or "));
        }
        found.unwrap_or(0)
    };
    let brin = required(BRIN);
    let name = required(NAME);
    let postcode = required(POSTCODE);
    let municipality_number = find(MUNICIPALITY_NUMBER);
    let municipality_name = find(MUNICIPALITY_NAME);
    if municipality_number.is_none() && municipality_name.is_none() {
        missing.push("GEMEENTENUMMER or GEMEENTENAAM".to_string());
    }
    if !missing.is_empty() {
        let message = format!(
            "missing columns: {}; found: {}",
            missing.join(", "),
            headers.join(", ")
        );
        return Err(InputErrors(vec![InputError::new(
            file,
            Some(header_line),
            None,
            message,
        )]));
    }
    Ok(Columns {
        brin,
        location: find(LOCATION),
        name,
        postcode,
        street: find(STREET),
        house_number: find(HOUSE_NUMBER),
        municipality_number,
        municipality_name,
        total: find(TOTAL),
        reference_date: find(REFERENCE_DATE),
        headers,
    })
}

struct RowReader<'a> {
    file: &'a str,
    line: usize,
    record: &'a csv::StringRecord,
    columns: &'a Columns,
}

impl RowReader<'_> {
    fn raw(&self, index: usize) -> &str {
        self.record.get(index).unwrap_or("")
    }

    fn error(&self, index: usize, expected: &str) -> InputError {
        InputError::value(
            self.file,
            self.line,
            self.columns.header(index),
            expected,
            self.raw(index).trim(),
        )
    }

    /// The location of the row when it lies in municipality `gemeente`, `None` when
    /// elsewhere.
    fn location(
        &self,
        gemeente: &str,
        damage: &mut DamageTally,
    ) -> Result<Option<Location>, InputErrors> {
        for index in [Some(self.columns.brin), Some(self.columns.name)]
            .into_iter()
            .chain([self.columns.location, self.columns.municipality_number])
            .flatten()
        {
            let raw = self.raw(index);
            if raw.trim() != raw {
                damage.add("cells with leading or trailing spaces", self.line);
            }
        }
        if !self.in_municipality(gemeente, damage)? {
            return Ok(None);
        }
        let mut errors = InputErrors::default();
        let brin = self.raw(self.columns.brin).trim().to_ascii_uppercase();
        if !is_brin(&brin) {
            errors.push(self.error(self.columns.brin, "a brin like 12AB"));
        }
        let code = match self.columns.location {
            None => Some(format!("{brin}00")),
            Some(index) => errors.keep_one(self.location_code(index, &brin, damage)),
        };
        let name = self.raw(self.columns.name).trim().to_string();
        if name.is_empty() {
            errors.push(InputError::empty_cell(
                self.file,
                self.line,
                self.columns.header(self.columns.name),
                "the name of the school",
            ));
        } else if name.contains('"') {
            damage.add("names with quote characters (doubled quotes)", self.line);
        }
        let postcode = normalize_postcode(self.raw(self.columns.postcode));
        if postcode.is_none() {
            errors.push(self.error(self.columns.postcode, "a postcode like 1011 AB or 1011AB"));
        }
        if let Some(index) = self.columns.house_number {
            if looks_like_date(self.raw(index)) {
                damage.add("house numbers turned into dates", self.line);
            }
        }
        let street = self
            .columns
            .street
            .map(|i| self.raw(i).trim().to_string())
            .filter(|s| !s.is_empty());
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Some(Location {
            code: code.unwrap_or_default(),
            name: name.replace('|', "/"),
            postcode: postcode.unwrap_or_default(),
            street,
            line: self.line,
        }))
    }

    fn in_municipality(
        &self,
        gemeente: &str,
        damage: &mut DamageTally,
    ) -> Result<bool, InputError> {
        if let Some(index) = self.columns.municipality_number {
            let number = self.raw(index).trim();
            let valid = !number.is_empty()
                && number.len() <= 4
                && number.bytes().all(|b| b.is_ascii_digit());
            if !valid {
                return Err(self.error(index, "a municipality number like 0363"));
            }
            if number.len() < 4 {
                damage.add("municipality numbers without leading zeros", self.line);
            }
            return Ok(format!("{number:0>4}") == gemeente);
        }
        let index = self.columns.municipality_name.unwrap_or(0);
        let name = self.raw(index).trim().to_uppercase();
        match MUNICIPALITY_NAMES
            .iter()
            .find(|(code, _)| *code == gemeente)
        {
            Some((_, known)) => Ok(name == *known),
            None => Err(InputError::file(
                self.file,
                format!(
                    "no column GEMEENTENUMMER, and the name of municipality {gemeente} is not \
                     known; expected a file with GEMEENTENUMMER"
                ),
            )),
        }
    }

    /// `00`, `0` (Excel dropped the zero), `12AB00`.
    fn location_code(
        &self,
        index: usize,
        brin: &str,
        damage: &mut DamageTally,
    ) -> Result<String, InputError> {
        let value = self.raw(index).trim().to_ascii_uppercase();
        let expected = "a location number like 00 or a location code like 12AB00";
        if value.len() <= 2 && !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            if value.len() == 1 {
                damage.add("location numbers without leading zero", self.line);
            }
            return Ok(format!("{brin}{value:0>2}"));
        }
        if is_location_code(&value) {
            if value.starts_with(brin) {
                return Ok(value);
            }
            let message = format!(
                "location code {} does not start with the row's brin {}",
                quote(&value),
                quote(brin)
            );
            return Err(InputError::new(
                self.file,
                Some(self.line),
                Some(self.columns.header(index)),
                message,
            ));
        }
        Err(self.error(index, expected))
    }

    fn total(&self) -> Result<i64, InputError> {
        let index = self.columns.total.unwrap_or(0);
        let value = self.raw(index).trim();
        match crate::ingest::csv::parse_int(value) {
            Some(n) if n >= 0 => Ok(n),
            _ => Err(self.error(index, "a whole number of pupils, at least 0")),
        }
    }

    fn reference_date(&self) -> Result<NaiveDate, InputError> {
        let index = self.columns.reference_date.unwrap_or(0);
        let value = self.raw(index).trim();
        parse_reference_date(value)
            .ok_or_else(|| self.error(index, "a date like 20161001, 2016-10-01 or 1-10-2016"))
    }
}

/// `20161001`, `2016-10-01`, `01-10-2016`.
fn parse_reference_date(text: &str) -> Option<NaiveDate> {
    if text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit()) {
        return NaiveDate::parse_from_str(text, "%Y%m%d").ok();
    }
    crate::ingest::csv::parse_date(text)
}

/// A date in a title line: `peildatum 1 oktober 2016`, `1-10-2016`, `2016-10-01`, `20161001`.
fn date_in_title(line: &str) -> Option<NaiveDate> {
    let words: Vec<String> = line
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',' || c == '"' || c == ':')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    for (i, word) in words.iter().enumerate() {
        if let Some(date) = parse_reference_date(word) {
            return Some(date);
        }
        if let Some(month) = MONTHS.iter().position(|m| m == word) {
            let day = i.checked_sub(1).and_then(|d| words[d].parse::<u32>().ok());
            let year = words.get(i + 1).and_then(|y| y.parse::<i32>().ok());
            if let (Some(day), Some(year)) = (day, year) {
                return NaiveDate::from_ymd_opt(year, month as u32 + 1, day);
            }
        }
    }
    None
}

/// What Excel makes of `1-3` or `12-2` in a house-number column: `1-mrt`, `12-feb`, `3-Jan`,
/// or a full date.
fn looks_like_date(value: &str) -> bool {
    let value = value.trim().to_lowercase();
    if crate::ingest::csv::parse_date(&value).is_some() {
        return true;
    }
    const SHORT: [&str; 16] = [
        "jan", "feb", "mrt", "mar", "apr", "mei", "may", "jun", "jul", "aug", "sep", "okt", "oct",
        "nov", "dec", "mei",
    ];
    let parts: Vec<&str> = value.split(['-', ' ', '/']).collect();
    match parts[..] {
        [a, b] => {
            (a.parse::<u32>().is_ok() && SHORT.contains(&b))
                || (SHORT.contains(&a) && b.parse::<u32>().is_ok())
        }
        _ => false,
    }
}

#[derive(Default)]
struct DamageTally(BTreeMap<&'static str, (usize, usize)>);

impl DamageTally {
    fn add(&mut self, what: &'static str, line: usize) {
        let entry = self.0.entry(what).or_insert((0, line));
        entry.0 += 1;
        entry.1 = entry.1.min(line);
    }

    fn into_list(self) -> Vec<Damage> {
        self.0
            .into_iter()
            .map(|(what, (count, first_line))| Damage {
                what,
                count,
                first_line,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_text(text: &str) -> Result<DuoFile, InputErrors> {
        read("duo.csv", text, "UTF-8", "0363")
    }

    #[test]
    fn register_of_main_locations_with_spaces_in_headers() {
        let file = read_text(
            "PROVINCIE;BRIN NUMMER;INSTELLINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;\
             GEMEENTENUMMER;GEMEENTENAAM;TELEFOONNUMMER\n\
             Noord-Holland;04IU;Asvo School;Straat;12;1017 XL;0363;AMSTERDAM;0201234567\n\
             Flevoland;28BL;Al-Ihsaan;Schor;7;8224 CM;0995;LELYSTAD;0320213849\n",
        )
        .unwrap();
        assert_eq!(file.kind, DuoKind::Register);
        assert!(file.main_locations_only);
        assert_eq!((file.rows, file.rows_kept, file.rows_outside), (2, 1, 1));
        let location = &file.locations["04IU00"];
        assert_eq!(location.name, "Asvo School");
        assert_eq!(location.postcode, "1017XL");
        assert_eq!(location.street.as_deref(), Some("Straat"));
        assert!(file.damage.is_empty(), "{:?}", file.damage);
    }

    #[test]
    fn six_character_location_codes_and_institution_code_header() {
        let file = read_text(
            "INSTELLINGSCODE,VESTIGINGSCODE,VESTIGINGSNAAM,POSTCODE,GEMEENTENUMMER\n\
             16AH,16AH01,De Kaap,1013AB,0363\n16AH,16AH00,De Kaap,1013AC,0363\n",
        )
        .unwrap();
        assert!(!file.main_locations_only);
        assert_eq!(
            file.locations.keys().collect::<Vec<_>>(),
            ["16AH00", "16AH01"]
        );
    }

    #[test]
    fn excel_damage_is_repaired_and_counted() {
        let file = read_text(
            "BRIN_NUMMER;VESTIGINGSNUMMER;NAAM_INSTELLING;HUISNUMMER;POSTCODE;GEMEENTENUMMER\n\
             \" 04IU\";0;\"BS \"\"De Kaap\"\"\";1-mrt;1017XL;363\n\
             04IU;1;Tweede;12;1017XM; 363;;\n\
             05AB;1;Elders;3-Jan;2000AB;518\n",
        )
        .unwrap();
        assert_eq!(
            file.locations.keys().collect::<Vec<_>>(),
            ["04IU00", "04IU01"]
        );
        assert_eq!(file.locations["04IU00"].name, "BS \"De Kaap\"");
        let damage: Vec<(&str, usize, usize)> = file
            .damage
            .iter()
            .map(|d| (d.what, d.count, d.first_line))
            .collect();
        assert_eq!(
            damage,
            [
                ("cells with leading or trailing spaces", 2, 2),
                ("house numbers turned into dates", 1, 2),
                ("location numbers without leading zero", 2, 2),
                ("municipality numbers without leading zeros", 3, 2),
                ("names with quote characters (doubled quotes)", 1, 2),
            ]
        );
    }

    #[test]
    fn pupil_counts_per_weight_class_are_summed_under_a_title_line() {
        let file = read_text(
            "Leerlingen basisonderwijs naar gewicht, peildatum 1 oktober 2016;;;;;\n\
             BRIN_NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;\
             GEMEENTENUMMER;GEWICHT;TOTAAL\n\
             04IU;00;Asvo;1017XL; 363;0.00;354\n\
             04IU;00;Asvo;1017XL; 363;0.30;12\n\
             04IU;01;Asvo;1017XM; 363;0.00;20\n\
             00AP;00;Elders;2715BT; 637;0.00;80\n",
        )
        .unwrap();
        assert_eq!(file.kind, DuoKind::PupilCounts);
        assert_eq!(file.reference_date, NaiveDate::from_ymd_opt(2016, 10, 1));
        assert_eq!(file.pupils[&("04IU00".to_string(), SchoolYear(2016))], 366);
        assert_eq!(file.pupils[&("04IU01".to_string(), SchoolYear(2016))], 20);
        assert_eq!(file.pupils.len(), 2);
        assert_eq!((file.rows, file.rows_kept, file.rows_outside), (4, 3, 1));
    }

    #[test]
    fn peildatum_column_gives_the_school_year() {
        let file = read_text(
            "PEILDATUM;BRIN_NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;\
             GEMEENTENUMMER;TOTAAL\n20170301;04IU;00;Asvo;1017XL;0363;10\n",
        )
        .unwrap();
        assert_eq!(file.pupils[&("04IU00".to_string(), SchoolYear(2016))], 10);
    }

    #[test]
    fn pupil_counts_without_a_date_are_refused() {
        let err = read_text(
            "BRIN_NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;\
             GEMEENTENUMMER;TOTAAL\n04IU;00;Asvo;1017XL;0363;10\n",
        )
        .unwrap_err();
        assert!(err.to_string().contains("no reference date"), "{err}");
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let err = read_text(
            "BRIN_NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;POSTCODE;GEMEENTENUMMER\n\
             04IU;00;Asvo;1017 X;0363\n4IU;0A;;1017XL;0363\n05AB;00;X;1017XL;03a3\n",
        )
        .unwrap_err();
        let text: Vec<String> = err.0.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            text,
            [
                "duo.csv:2: column POSTCODE: expected a postcode like 1011 AB or 1011AB, got \"1017 X\"",
                "duo.csv:3: column BRIN_NUMMER: expected a brin like 12AB, got \"4IU\"",
                "duo.csv:3: column VESTIGINGSNUMMER: expected a location number like 00 or a \
                 location code like 12AB00, got \"0A\"",
                "duo.csv:3: column VESTIGINGSNAAM: expected the name of the school, got an empty cell",
                "duo.csv:4: column GEMEENTENUMMER: expected a municipality number like 0363, got \"03a3\"",
            ]
        );
    }

    #[test]
    fn a_row_with_fewer_or_more_filled_fields_is_an_error_quoting_nothing() {
        let err = read_text(
            "BRIN_NUMMER;VESTIGINGSNAAM;POSTCODE;GEMEENTENUMMER;TELEFOON\n\
             04IU;Asvo;1017XL;0363\n05AB;X;1017XL;0363;PRIVE;PRIVE\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("duo.csv:2: expected 5 fields"), "{text}");
        assert!(text.contains("duo.csv:3: expected 5 fields"), "{text}");
        assert!(!text.contains("PRIVE"), "{text}");
    }

    #[test]
    fn missing_columns_are_named() {
        let err = read_text("BRIN_NUMMER;NAAM\n04IU;X\n").unwrap_err();
        assert!(
            err.to_string().contains(
                "missing columns: VESTIGINGSNAAM or INSTELLINGSNAAM_VESTIGING or NAAM_VESTIGING \
                 or INSTELLINGSNAAM or NAAM_INSTELLING, POSTCODE_VESTIGING or POSTCODE, \
                 GEMEENTENUMMER or GEMEENTENAAM"
            ),
            "{err}"
        );
    }

    /// Headers of each variant, then random text that looks a bit like DUO's: reading may
    /// fail but must never panic.
    #[test]
    fn random_input_never_panics() {
        let headers = [
            "BRIN NUMMER;INSTELLINGSNAAM;HUISNUMMER-TOEVOEGING;POSTCODE;GEMEENTENUMMER\n",
            "Titel, peildatum 1 oktober 2016\nBRIN_NUMMER;VESTIGINGSNUMMER;\
             INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;GEMEENTENUMMER;TOTAAL\n",
            "PEILDATUM,INSTELLINGSCODE,VESTIGINGSCODE,VESTIGINGSNAAM,POSTCODE,GEMEENTENAAM,TOTAAL\n",
        ];
        let pieces = [
            "04IU",
            "04IU00",
            "0",
            "00",
            "363",
            " 0363",
            "1017 XL",
            "1017XLL",
            "AMSTERDAM",
            "12",
            "1-mrt",
            "20161001",
            "\"",
            "\"\"",
            ";",
            ",",
            "\n",
            "é",
            "ÉÉ",
            "-3",
            "99999999999",
            "",
        ];
        let mut random = crate::ingest::csv::testing::random(0x5eed_1234);
        for case in 0..600 {
            let mut text = headers[case % headers.len()].to_string();
            for _ in 0..random(60) {
                text.push_str(pieces[random(pieces.len())]);
            }
            let _ = recognise(&text);
            if let Ok(file) = read("duo.csv", &text, "UTF-8", "0363") {
                assert!(file.rows_kept + file.rows_outside <= file.rows);
            }
        }
    }

    #[test]
    fn title_dates() {
        let d = NaiveDate::from_ymd_opt(2016, 10, 1);
        assert_eq!(
            date_in_title("Aantal leerlingen, peildatum 1 oktober 2016"),
            d
        );
        assert_eq!(date_in_title("Peildatum: 01-10-2016;;;"), d);
        assert_eq!(date_in_title("Leerlingen 20161001"), d);
        assert_eq!(date_in_title("Leerlingen per vestiging"), None);
        assert!(
            looks_like_date("1-mrt") && looks_like_date("12-Feb") && looks_like_date("2017-03-01")
        );
        assert!(!looks_like_date("12") && !looks_like_date("58-A") && !looks_like_date("296-298"));
    }
}
