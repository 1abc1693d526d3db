//! Reading the exports: each file is decoded, checked against the input contract
//! (`docs/inputs.md`) and turned into typed rows. One module per export.
//!
//! Columns outside the contract (names, e-mail, phone numbers, free text about children) are
//! never read into these types and never appear in an error.

use std::path::Path;

use chrono::NaiveDate;

use crate::config::Config;
use crate::period::SchoolYear;

pub mod csvfile;
pub mod dossiers;
pub mod error;
pub mod leerlingen;
pub mod names;
pub mod pageviews;
pub mod scholen;
pub mod voorlichtingen;

pub use error::{InputError, InputErrors};

/// Everything one data folder holds, validated.
#[derive(Debug, Clone)]
pub struct DataSet {
    pub config: Config,
    pub dossiers: Vec<Dossier>,
    pub scholen: Vec<School>,
    pub voorlichtingen: Vec<Voorlichting>,
    /// One entry per day, rows of the same day summed, sorted by date.
    pub pageviews: Vec<PageviewDay>,
    pub leerlingen_stadsdeel: Vec<StadsdeelPupils>,
    pub leerlingen_sector: Vec<SectorPupils>,
}

/// A helpdesk dossier (`dossiers.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Dossier {
    /// Line in the file where the row starts (header = line 1).
    pub line: usize,
    pub id: String,
    pub datum: NaiveDate,
    /// Configured spelling of the sector.
    pub sector: String,
    /// Configured spellings, each theme once, in the order of the cell.
    pub themas: Vec<String>,
    /// Configured spelling of the channel.
    pub kanaal: String,
    /// Lower-cased; `None` when empty.
    pub herkomst: Option<String>,
    /// The registry brin of the school the dossier names: by `school_brin` if that code is in
    /// the registry, else by `schoolnaam` matched after normalisation.
    pub school: Option<String>,
    /// What the dossier named when it matched no registry school (the brin or the name as
    /// typed); for the data-quality section.
    pub school_unmatched: Option<String>,
    pub contactmomenten: Option<i64>,
    pub passend: bool,
    pub schooltype: Option<String>,
    pub vragen: Vec<String>,
    pub diagnoses: Vec<String>,
}

impl Dossier {
    pub fn schooljaar(&self) -> SchoolYear {
        use chrono::Datelike;
        SchoolYear::of(self.datum.year(), self.datum.month())
    }
}

/// A school location of the registry (`scholen.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct School {
    pub line: usize,
    pub brin: String,
    pub naam: String,
    /// Configured spelling; `None` outside Amsterdam.
    pub stadsdeel: Option<String>,
    pub schoolweging: Option<f64>,
    /// `po`, `so`, `vo` or `mbo` (lower case); an empty cell means `po`.
    pub sector: String,
    pub aliassen: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Uitgevoerd,
    Gepland,
    Geannuleerd,
}

impl Status {
    /// Held and planned sessions count; cancelled ones never do.
    pub fn counts(self) -> bool {
        self != Status::Geannuleerd
    }
}

/// A session of the voorlichtingen agenda (`voorlichtingen.csv`).
#[derive(Debug, Clone, PartialEq)]
pub struct Voorlichting {
    pub line: usize,
    pub datum: NaiveDate,
    /// Configured spelling of the stadsdeel column (a stadsdeel, Abcoude, ..., Stadsbreed).
    pub gebied: String,
    /// Configured spelling if listed, else the spelling first seen in the file.
    pub thema: String,
    /// Configured spelling if listed, else the spelling first seen in the file.
    pub organisatie: String,
    /// Lower-cased: fysiek, webinar, facebook-live, ...
    pub vorm: String,
    /// Locations reached at once; 1 when empty.
    pub locaties: i64,
    pub deelnemers: Option<i64>,
    pub status: Status,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageviewDay {
    pub datum: NaiveDate,
    pub weergaven: i64,
}

/// CBS primary pupils of a stadsdeel in a school year (`leerlingen-stadsdeel.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StadsdeelPupils {
    pub line: usize,
    pub stadsdeel: String,
    pub schooljaar: SchoolYear,
    pub leerlingen: i64,
}

/// Approximate pupils of a sector group (`leerlingen-sector.csv`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorPupils {
    pub line: usize,
    /// Id of a configured sector group.
    pub groep: String,
    pub leerlingen: i64,
}

/// Reads and validates every export in `dir`, with the settings of `dir/oco-report.toml`.
pub fn load(dir: &Path) -> Result<DataSet, InputErrors> {
    let config = Config::load(dir).map_err(|e| InputErrors::from(InputError::settings(e)))?;
    load_with(dir, config)
}

/// Reads and validates every export in `dir` with the given settings. Collects the problems of
/// all files before giving up, so one run shows them all.
pub fn load_with(dir: &Path, config: Config) -> Result<DataSet, InputErrors> {
    let mut errors = InputErrors::default();
    let scholen = errors.keep(scholen::read(&dir.join(scholen::FILE), &config));
    let dossiers = match &scholen {
        Some(scholen) => errors.keep(dossiers::read(&dir.join(dossiers::FILE), &config, scholen)),
        None => None,
    };
    let voorlichtingen = errors.keep(voorlichtingen::read(
        &dir.join(voorlichtingen::FILE),
        &config,
    ));
    let pageviews = errors.keep(pageviews::read(&dir.join(pageviews::FILE), &config));
    let leerlingen_stadsdeel = errors.keep(leerlingen::read_stadsdeel(
        &dir.join(leerlingen::STADSDEEL_FILE),
        &config,
    ));
    let leerlingen_sector = errors.keep(leerlingen::read_sector(
        &dir.join(leerlingen::SECTOR_FILE),
        &config,
    ));
    match (
        scholen,
        dossiers,
        voorlichtingen,
        pageviews,
        leerlingen_stadsdeel,
        leerlingen_sector,
    ) {
        (
            Some(scholen),
            Some(dossiers),
            Some(voorlichtingen),
            Some(pageviews),
            Some(ls),
            Some(lsec),
        ) if errors.is_empty() => Ok(DataSet {
            config,
            dossiers,
            scholen,
            voorlichtingen,
            pageviews,
            leerlingen_stadsdeel: ls,
            leerlingen_sector: lsec,
        }),
        _ => Err(errors),
    }
}
