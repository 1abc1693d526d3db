//! Reading the exports: each file is decoded, checked against the input contract
//! (`docs/inputs.md`) and turned into typed rows. One module per export.
//!
//! Columns outside the contract (names, e-mail, phone numbers, free text about children) are
//! never read into these types and never appear in an error.

use std::path::Path;

use chrono::NaiveDate;

use crate::config::Config;
use crate::frames::DossierFrames;
use crate::model::DataSet;
use dossiers::Split;

pub mod csv;
pub mod dossiers;
pub mod error;
pub mod leerlingen;
mod marks;
pub mod names;
pub mod pageviews;
pub mod personal;
pub mod reader_choice;
pub mod regular;
pub mod scholen;
pub mod subset;
pub mod voorlichtingen;

pub use self::csv::FileStats;

/// The six exports of the input contract, in the contract's order (`docs/inputs.md`): what
/// `validate` sorts its findings by, what `[kolommen]` may rename, what `table` reads for an
/// unknown table. A test holds it to the headings of `docs/inputs.md`.
pub const EXPORTS: [&str; 6] = [
    dossiers::FILE,
    voorlichtingen::FILE,
    pageviews::FILE,
    scholen::FILE,
    leerlingen::STADSDEEL_FILE,
    leerlingen::SECTOR_FILE,
];
pub use error::{InputError, InputErrors, Kind, Unknown};

/// The size in bytes of the exports in `dir` (those that are there).
pub fn input_bytes(dir: &Path) -> u64 {
    EXPORTS
        .iter()
        .filter_map(|file| std::fs::metadata(dir.join(file)).ok())
        .map(|meta| meta.len())
        .sum()
}

/// Reads and validates every export in `dir`, with the settings of `dir/oco-report.toml`.
pub fn load(dir: &Path) -> Result<DataSet, InputErrors> {
    read_all(dir)?.into_data()
}

/// [`load`] for a build, which wants the dossiers as frames: the dossier frames, made by the
/// fast path part by part without a list of all dossiers (the data's list is then empty);
/// `None` when the careful reader read the dossiers into the data's list.
pub fn load_framed(dir: &Path) -> Result<(DataSet, Option<DossierFrames>), InputErrors> {
    let (report, frames) = read_all_as(dir, folder_settings(dir)?, DossiersAs::Frames);
    Ok((report.into_data()?, frames))
}

/// Reads and validates every export in `dir` with the given settings. Collects the problems of
/// all files before giving up, so one run shows them all.
pub fn load_with(dir: &Path, config: Config) -> Result<DataSet, InputErrors> {
    read_all_with(dir, config).into_data()
}

/// What reading a data folder found: the rows without a problem, every problem, and the counts
/// of each file's rows. `oco-report validate` shows it; [`load`] wants it without problems.
#[derive(Debug, Clone)]
pub struct Report {
    /// The rows of every file that have no problem (rows with one are left out).
    pub data: DataSet,
    /// Every problem, file by file in [`Report::files`] order, each file's by line.
    pub errors: InputErrors,
    /// The counts of each export, in reading order.
    pub files: Vec<FileStats>,
    /// The pageview rows without a problem per day (the day, its rows), before they are summed
    /// into [`DataSet::pageviews`]; by day, not by row: a national export has tens of millions.
    pub pageview_rows: Vec<(NaiveDate, usize)>,
}

impl Report {
    /// The data when no file has a problem, else every problem.
    pub fn into_data(self) -> Result<DataSet, InputErrors> {
        self.errors.or_ok(self.data)
    }

    /// Whether some file could not be read as CSV text at all (missing, unreadable, binary).
    pub fn unusable(&self) -> bool {
        self.errors.0.iter().any(InputError::is_unusable)
    }
}

/// Every export of `dir` read with the settings of `dir/oco-report.toml`, problems and all.
/// `Err` when there is nothing to read: the folder is missing or the settings are bad.
pub fn read_all(dir: &Path) -> Result<Report, InputErrors> {
    Ok(read_all_with(dir, folder_settings(dir)?))
}

/// The settings of the data folder `dir` (`oco-report.toml`), once the folder is there.
fn folder_settings(dir: &Path) -> Result<Config, InputErrors> {
    check_folder(dir)?;
    Config::load(dir).map_err(|e| InputErrors::from(InputError::settings(e)))
}

/// The data folder itself: there, and a folder.
pub fn check_folder(dir: &Path) -> Result<(), InputError> {
    let name = dir.display().to_string();
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => Err(InputError::unusable(
            &name,
            "is a file, not a folder: expected the data folder holding the exports",
        )),
        Err(_) => Err(InputError::unusable(
            &name,
            "data folder not found: expected a folder holding the exports (docs/inputs.md)",
        )),
    }
}

/// Every export of `dir` read with `config`, problems and all. Dossiers are matched against the
/// registry rows that have no problem.
pub fn read_all_with(dir: &Path, config: Config) -> Report {
    read_all_as(dir, config, DossiersAs::List).0
}

/// How the dossiers are to be read: into the data's list, or into frames where the fast path
/// can (see [`load_framed`]).
#[derive(Clone, Copy, PartialEq, Eq)]
enum DossiersAs {
    List,
    Frames,
}

fn read_all_as(
    dir: &Path,
    config: Config,
    dossiers_as: DossiersAs,
) -> (Report, Option<DossierFrames>) {
    let mut errors = InputErrors::default();
    if let Err(error) = check_folder(dir) {
        errors.push(error);
        let report = Report {
            data: DataSet::empty(config),
            errors,
            files: Vec::new(),
            pageview_rows: Vec::new(),
        };
        return (report, None);
    }
    let mut files = Vec::new();
    let mut keep = |read_errors: InputErrors, stats: FileStats| {
        errors.extend(read_errors);
        files.push(stats);
    };
    let read = scholen::read_file(&dir.join(scholen::FILE), &config);
    let scholen = read.rows;
    keep(read.errors, read.stats);
    let path = dir.join(dossiers::FILE);
    let (read, dossier_frames) = match dossiers_as {
        DossiersAs::List => (dossiers::read_file(&path, &config, &scholen), None),
        DossiersAs::Frames => {
            let choice = reader_choice::ReaderChoice::of_this_run();
            let (read, frames, _) =
                dossiers::read_frames_split(&path, &config, &scholen, choice, Split::per_core());
            (read, frames)
        }
    };
    let dossiers = read.rows;
    keep(read.errors, read.stats);
    let read = voorlichtingen::read_file(&dir.join(voorlichtingen::FILE), &config);
    let voorlichtingen = read.rows;
    keep(read.errors, read.stats);
    let (pageview_days, read_errors, stats) = read_pageviews(&dir.join(pageviews::FILE), &config);
    keep(read_errors, stats);
    let read = leerlingen::read_stadsdeel_file(&dir.join(leerlingen::STADSDEEL_FILE), &config);
    let leerlingen_stadsdeel = read.rows;
    keep(read.errors, read.stats);
    let read = leerlingen::read_sector_file(&dir.join(leerlingen::SECTOR_FILE), &config);
    let leerlingen_sector = read.rows;
    keep(read.errors, read.stats);
    let pageview_rows = pageview_days.per_day();
    let report = Report {
        data: DataSet {
            config,
            dossiers,
            scholen,
            voorlichtingen,
            pageviews: pageview_days.days,
            leerlingen_stadsdeel,
            leerlingen_sector,
        },
        errors,
        files,
        pageview_rows,
    };
    (report, dossier_frames)
}

/// The pageview rows without a problem summed per day (with the rows of each day), the
/// problems, the counts.
fn read_pageviews(path: &Path, config: &Config) -> (pageviews::Summed, InputErrors, FileStats) {
    let mut stats = FileStats::new(pageviews::FILE);
    match pageviews::read_summed(path, config) {
        Ok(mut summed) => {
            stats.opened = true;
            stats.rejected =
                self::csv::rejected_lines(&summed.errors, 0).len() + summed.rejected_not_listed;
            stats.rows = summed.rows.iter().sum::<usize>() + stats.rejected;
            let errors = std::mem::take(&mut summed.errors);
            (summed, errors, stats)
        }
        Err(errors) => (pageviews::Summed::default(), errors, stats),
    }
}
