//! `oco-report import-scholen`: the school registry (`scholen.csv`) and the pupils per
//! stadsdeel (`leerlingen-stadsdeel.csv`) from DUO's open-data files and the Inspectie's
//! schoolweging, instead of by hand.
//!
//! One module per source: [`duo`] (school registers and pupil counts), [`schoolweging`] (the
//! Inspectie's workbook), [`postcode`] (stadsdeel from the postcode); [`merge`] joins them with
//! what the data folder already holds, [`report`] says what happened.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;

use crate::config::Config;
use crate::ingest::{InputError, InputErrors, leerlingen, scholen};
use crate::model::{School, StadsdeelPupils};

pub mod duo;
pub mod merge;
pub mod postcode;
pub mod report;
pub mod schoolweging;

pub use schoolweging::ImportSettings;

/// What `import-scholen` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub data: PathBuf,
    /// Municipality code, four digits (`0363`, Amsterdam).
    pub gemeente: String,
    pub dry_run: bool,
    pub files: Vec<PathBuf>,
    /// The day a file without a reference date is placed on (postcodes change stadsdeel:
    /// Driemond moved to Weesp on 24 March 2022).
    pub today: NaiveDate,
}

/// What an import did: the text to print and the exit status (0 imported, 1 problems in the
/// files: nothing written).
#[derive(Debug, Clone)]
pub struct Outcome {
    pub text: String,
    pub exit_code: u8,
    /// Files written (none on a dry run or with problems).
    pub written: Vec<PathBuf>,
}

/// Everything read from the command line's files.
#[derive(Debug, Default)]
pub struct Sources {
    pub duo: Vec<duo::DuoFile>,
    pub workbooks: Vec<schoolweging::Workbook>,
}

/// Runs an import. `Err` when it cannot start: a file or the data folder missing, unreadable
/// settings, a file of no known kind.
pub fn run(options: &Options) -> Result<Outcome> {
    let gemeente = municipality_code(&options.gemeente)?;
    if !options.data.is_dir() {
        bail!("{}: no such data folder", options.data.display());
    }
    let config = Config::load(&options.data)?;
    let mut problems = InputErrors::default();
    let sources = read_sources(&options.files, &gemeente, &config.import, &mut problems)?;
    let overrides = postcode::read_overrides(&options.data, &config).unwrap_or_else(|errors| {
        problems.extend(errors);
        BTreeMap::new()
    });
    let old_schools = old_registry(&options.data, &config, &mut problems);
    let old_pupils = old_pupils(&options.data, &config, &mut problems);
    if !problems.is_empty() {
        let text = format!(
            "{problems}\nimport-scholen: {} problem{}; nothing written\n",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        // As `validate`: a file that cannot be used at all (a workbook that does not open) is
        // 2, bad rows in a usable file 1.
        let unusable = problems.0.iter().any(InputError::is_unusable);
        return Ok(Outcome {
            text,
            exit_code: if unusable { 2 } else { 1 },
            written: Vec::new(),
        });
    }
    let table = postcode::PostcodeTable::shipped();
    let imported =
        merge::combine_locations(&sources.duo, &table, &overrides, &config, options.today);
    let mut registry = merge::registry(&imported, &old_schools);
    let joins: Vec<merge::Join> = sources
        .workbooks
        .iter()
        .map(|w| merge::join_schoolweging(&mut registry, w))
        .collect();
    let pupils = merge::pupils(&sources.duo, &imported);
    let (pupil_rows, pupils_changed) = merge::pupil_rows(&old_pupils, &pupils, &config);
    let mut outcome = Outcome {
        text: String::new(),
        exit_code: 0,
        written: Vec::new(),
    };
    if !options.dry_run {
        let schools_path = options.data.join(scholen::FILE);
        write_atomically(&schools_path, &scholen_csv(&registry))?;
        outcome.written.push(schools_path);
        if !pupils.per_stadsdeel.is_empty() {
            let pupils_path = options.data.join(leerlingen::STADSDEEL_FILE);
            write_atomically(&pupils_path, &pupils_csv(&pupil_rows))?;
            outcome.written.push(pupils_path);
        }
    }
    outcome.text = report::text(&report::Report {
        options,
        gemeente: &gemeente,
        config: &config,
        sources: &sources,
        imported: &imported,
        registry: &registry,
        joins: &joins,
        pupils: &pupils,
        pupils_changed: &pupils_changed,
        written: &outcome.written,
    });
    Ok(outcome)
}

/// `363`, `0363`, `GM0363` → `0363`.
fn municipality_code(text: &str) -> Result<String> {
    let digits = text
        .trim()
        .trim_start_matches("GM")
        .trim_start_matches("gm");
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        bail!("--gemeente: expected a municipality code like 0363, got {text:?}");
    }
    Ok(format!("{digits:0>4}"))
}

/// Reads each file by what it is: an XLSX or ODS workbook is the Inspectie's schoolweging, a
/// CSV text with a brin column a DUO file.
fn read_sources(
    files: &[PathBuf],
    gemeente: &str,
    settings: &ImportSettings,
    problems: &mut InputErrors,
) -> Result<Sources> {
    let mut sources = Sources::default();
    for path in files {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        // Only a regular file, as every input: a FIFO would wait for ever, /dev/zero fill
        // the memory.
        let bytes = crate::ingest::regular::read(path, u64::MAX)
            .map_err(|e| anyhow::anyhow!("{}: cannot read: {e}", path.display()))?;
        if schoolweging::is_workbook(&bytes) {
            match schoolweging::read(path, &name, &settings.schoolweging) {
                Ok(workbook) => sources.workbooks.push(workbook),
                Err(errors) => problems.extend(errors),
            }
            continue;
        }
        let (text, encoding) = decode(&bytes);
        if duo::recognise(&text).is_none() {
            bail!(
                "{name}: not a file import-scholen knows: expected a DUO CSV file (a column \
                 BRIN_NUMMER, BRIN NUMMER or INSTELLINGSCODE in its first lines) or the \
                 Inspectie's schoolweging workbook (XLSX or ODS)"
            );
        }
        match duo::read(&name, &text, encoding, gemeente) {
            Ok(file) => sources.duo.push(file),
            Err(errors) => problems.extend(errors),
        }
    }
    Ok(sources)
}

/// UTF-8 (a byte-order mark dropped) when the bytes are, else Windows-1252, which is what
/// DUO and Dutch Excel write; line ends as `\n`.
fn decode(bytes: &[u8]) -> (String, &'static str) {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let (text, encoding) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_string(), "UTF-8"),
        Err(_) => (
            encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(bytes)
                .0
                .into_owned(),
            "Windows-1252",
        ),
    };
    (text.replace("\r\n", "\n").replace('\r', "\n"), encoding)
}

/// The registry already in the data folder; none is an empty one.
fn old_registry(data: &Path, config: &Config, problems: &mut InputErrors) -> Vec<School> {
    let path = data.join(scholen::FILE);
    if !path.exists() {
        return Vec::new();
    }
    let read = scholen::read_file(&path, config);
    problems.extend(read.errors);
    read.rows
}

/// The pupil counts already in the data folder, with each row's `bron` (written by this
/// import).
fn old_pupils(
    data: &Path,
    config: &Config,
    problems: &mut InputErrors,
) -> Vec<(StadsdeelPupils, String)> {
    let path = data.join(leerlingen::STADSDEEL_FILE);
    if !path.exists() {
        return Vec::new();
    }
    let read = leerlingen::read_stadsdeel_file(&path, config);
    problems.extend(read.errors);
    read.rows
        .into_iter()
        .map(|p| {
            let source = p.bron.clone().unwrap_or_default();
            (p, source)
        })
        .collect()
}

/// The registry as `scholen.csv`: `brin;naam;stadsdeel;schoolweging;sector;aliassen`,
/// sorted by location code.
pub fn scholen_csv(registry: &merge::Registry) -> String {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(Vec::new());
    let _ = writer.write_record([
        "brin",
        "naam",
        "stadsdeel",
        "schoolweging",
        "sector",
        "aliassen",
    ]);
    for entry in &registry.entries {
        let school = &entry.school;
        let weging = school
            .schoolweging
            .map(|w| format!("{w}").replace('.', ","))
            .unwrap_or_default();
        let _ = writer.write_record([
            school.brin.as_str(),
            school.naam.as_str(),
            school.stadsdeel.as_deref().unwrap_or(""),
            weging.as_str(),
            school.sector.as_str(),
            school.aliassen.join("|").as_str(),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub fn pupils_csv(rows: &[merge::PupilRow]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record(["stadsdeel", "schooljaar", "leerlingen", "bron"]);
    for row in rows {
        let _ = writer.write_record([
            row.stadsdeel.clone(),
            row.schooljaar.slashed(),
            row.leerlingen.to_string(),
            row.bron.clone(),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Written beside the file first and renamed over it: an import that fails halfway leaves the
/// old file whole.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let temporary = path.with_extension(format!("csv.tmp-{}", std::process::id()));
    std::fs::write(&temporary, text)
        .with_context(|| format!("{}: cannot write", temporary.display()))?;
    std::fs::rename(&temporary, path).with_context(|| {
        let _ = std::fs::remove_file(&temporary);
        format!("{}: cannot replace", path.display())
    })
}
