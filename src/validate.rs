//! `oco-report validate`: every problem of a data folder at once, with per file how many rows
//! were read, used for the report year, outside its windows and rejected; the school names no
//! registry school matches, with the nearest registry names; the values outside the configured
//! categories, with the known ones.
//!
//! Exit status: 0 the data meet the input contract, 1 there are problems, 2 the data cannot be
//! used at all (the folder or a file is missing, a file cannot be read as CSV text, the
//! settings cannot be read).
//!
//! Privacy: what is shown comes from [`crate::ingest`], which reads the contract columns only;
//! the values of other columns (names, e-mail addresses, phone numbers, notes) are never read,
//! so they cannot appear here.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::coverage::{Cover, Coverage, stale_warning};
use crate::ingest::names::{MAX_SUGGESTED, RegistryNames, UnmatchedNames};
use crate::ingest::{
    self, FileStats, InputError, InputErrors, Kind, Report, dossiers, leerlingen, pageviews,
    scholen, voorlichtingen,
};
use crate::model::DataSet;
use crate::period::{SchoolYear, Windows};

/// How many lines of an unknown value are listed.
const LINES_SHOWN: usize = 10;

/// Everything `validate` found in a data folder.
#[derive(Debug, Clone, Serialize)]
pub struct Validation {
    /// The data folder, as given.
    pub data: String,
    pub status: Status,
    pub exit_code: u8,
    /// The report year the windows are those of; `None` when it was not given and no dossier
    /// could be read to choose it by.
    pub report_year: Option<ReportYear>,
    /// One per export, in reading order; empty when nothing could be read.
    pub files: Vec<FileSummary>,
    pub problems: Vec<Problem>,
    /// Values outside a configured list, each once per file and column.
    pub unknown_values: Vec<UnknownValue>,
    /// Whether the dossiers' schools could be matched: `scholen.csv` was read and has rows.
    pub schools_matched: bool,
    /// School names (or brins) of dossiers that match no school of the registry.
    pub unmatched_schools: Vec<UnmatchedSchool>,
    /// The dated exports without a row in the report's school year: `build` refuses the year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub uncovered: Vec<String>,
    /// Periods of the report's tables that an export covers in part or not at all.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub partial_windows: Vec<PartialWindow>,
    /// Pupil counts more than one school year older than the report's school year.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub stale_denominators: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartialWindow {
    pub file: String,
    /// `2020-2021` or `2021`.
    pub period: String,
    /// `partial` or `none`.
    pub covered: &'static str,
    /// The tables counting that period.
    pub tables: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every file meets the input contract.
    Clean,
    /// Some rows, columns or files have problems: `build` refuses the data.
    Problems,
    /// The folder or a file cannot be read as CSV text at all, or the settings are unreadable.
    Unusable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportYear {
    pub year: i32,
    /// `2020-2021`.
    pub school_year: String,
    /// `--year`, or `latest complete school year in the dossiers`.
    pub chosen_by: String,
    /// The latest date of a dossier, when the year was chosen by it.
    pub last_dossier: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileSummary {
    pub file: String,
    /// Whether the header line was read and the contract columns found.
    pub read: bool,
    /// Data rows (not the header, comments or blank lines).
    pub rows: usize,
    /// Rows without a problem inside the report windows.
    pub used: usize,
    /// Rows without a problem outside the report windows; `None` when no report year is known.
    pub outside: Option<usize>,
    /// Rows with at least one problem.
    pub rejected: usize,
    /// Problems of this file (a rejected row may have several).
    pub problems: usize,
    /// What of this file the report uses, e.g. `school years 2017-2018 to 2020-2021`.
    pub window: Option<String>,
    /// Contract cells bidirectional controls or zero-width characters were removed from
    /// before matching, and those characters escaped (`\u{202e}`).
    pub invisible_removed: usize,
    pub invisible: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<String>,
    /// What is wrong and what was expected.
    pub message: String,
    /// `problem`, `unusable` (the file cannot be read as CSV text) or `unknown-value`.
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownValue {
    pub file: String,
    pub column: String,
    /// As first written in the file.
    pub value: String,
    /// Rows holding it.
    pub rows: usize,
    /// The first lines holding it.
    pub lines: Vec<usize>,
    /// The values the settings know.
    pub known: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmatchedSchool {
    /// As most often typed (spellings equal after normalisation are one entry).
    pub name: String,
    /// Whether it is a brin code (from `school_brin`) rather than a name.
    pub brin: bool,
    /// Dossiers naming it.
    pub dossiers: usize,
    /// Of those, dossiers in the report windows.
    pub in_windows: Option<usize>,
    /// The nearest registry names (none for a brin).
    pub suggestions: Vec<String>,
}

/// Reads every input of `dir` and reports on it; the windows are those of `year`, or when not
/// given of the report year of the latest complete school year in the dossiers.
pub fn run(dir: &Path, year: Option<i32>) -> Validation {
    let data = dir.display().to_string();
    let report = match ingest::read_all(dir) {
        Ok(report) => report,
        Err(errors) => return unreadable(data, year, errors),
    };
    let report_year = match year {
        Some(year) => Some(ReportYear::new(year, "--year", None)),
        None => latest_complete(&report.data),
    };
    let windows = report_year.as_ref().map(|y| Windows::new(y.year));
    let mut files: Vec<FileSummary> = report
        .files
        .iter()
        .map(|stats| summary(stats, &report, windows))
        .collect();
    files.sort_by_key(|f| file_rank(&f.file));
    let mut problems = problems(&report.errors);
    problems.sort_by_key(|p| file_rank(&p.file));
    let status = status(&report.errors);
    let registry = report.files.iter().find(|f| f.file == scholen::FILE);
    let schools_matched = registry.is_some_and(|f| f.opened) && !report.data.scholen.is_empty();
    let unmatched_schools = if schools_matched {
        unmatched_schools(&report.data, windows)
    } else {
        Vec::new()
    };
    let coverage = Coverage::of(&report.data);
    let (uncovered, partial_windows, stale_denominators) = match windows {
        Some(windows) => coverage_findings(
            &coverage,
            &report.data.config,
            &report.data.leerlingen_sector,
            windows,
        ),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    Validation {
        data,
        status,
        exit_code: exit_code(status),
        report_year,
        files,
        problems,
        unknown_values: unknown_values(&report.errors),
        schools_matched,
        unmatched_schools,
        uncovered,
        partial_windows,
        stale_denominators,
    }
}

/// The dated exports without a row in the report's school year, the periods the exports cover
/// in part or not at all, and the stale pupil counts (see [`Coverage::findings`]).
fn coverage_findings(
    coverage: &Coverage,
    config: &crate::config::Config,
    sector_pupils: &[crate::model::SectorPupils],
    windows: Windows,
) -> (Vec<String>, Vec<PartialWindow>, Vec<String>) {
    let current = windows.current();
    let sector_years: Vec<SchoolYear> = sector_pupils.iter().filter_map(|p| p.schooljaar).collect();
    let findings = coverage.findings(windows, config.cbs_schooljaar, &sector_years);
    let uncovered = findings
        .uncovered
        .iter()
        .map(|e| e.file.to_string())
        .collect();
    let partial = findings
        .gaps
        .into_iter()
        .map(|gap| PartialWindow {
            file: gap.file.to_string(),
            period: gap.period,
            covered: match gap.cover {
                Cover::Outside => "none",
                _ => "partial",
            },
            tables: gap.tables.iter().map(|t| t.to_string()).collect(),
        })
        .collect();
    let stale = findings.stale_stadsdeel.map(|used| {
        let which = format!("per stadsdeel of {}", used.slashed());
        stale_warning(leerlingen::STADSDEEL_FILE, &which, current)
    });
    let stale_sectors = (!findings.stale_sector.is_empty()).then(|| {
        let old: Vec<String> = sector_pupils
            .iter()
            .filter_map(|p| {
                let year = p.schooljaar.filter(|y| findings.stale_sector.contains(y))?;
                Some(format!("{} {}", p.groep, year.slashed()))
            })
            .collect();
        stale_warning(
            leerlingen::SECTOR_FILE,
            &format!("of {}", old.join(", ")),
            current,
        )
    });
    let stale = stale.into_iter().chain(stale_sectors).collect();
    (uncovered, partial, stale)
}

/// Nothing could be read: the folder is missing or the settings are bad.
fn unreadable(data: String, year: Option<i32>, errors: InputErrors) -> Validation {
    Validation {
        data,
        status: Status::Unusable,
        exit_code: exit_code(Status::Unusable),
        report_year: year.map(|y| ReportYear::new(y, "--year", None)),
        files: Vec::new(),
        problems: problems(&errors),
        unknown_values: Vec::new(),
        schools_matched: false,
        unmatched_schools: Vec::new(),
        uncovered: Vec::new(),
        partial_windows: Vec::new(),
        stale_denominators: Vec::new(),
    }
}

/// Files in the order of the input contract (docs/inputs.md); the settings first.
fn file_rank(file: &str) -> usize {
    std::iter::once(crate::config::CONFIG_FILE)
        .chain(crate::ingest::EXPORTS)
        .position(|f| f == file)
        .unwrap_or(0)
}

fn status(errors: &InputErrors) -> Status {
    if errors.0.iter().any(InputError::is_unusable) {
        Status::Unusable
    } else if errors.is_empty() {
        Status::Clean
    } else {
        Status::Problems
    }
}

fn exit_code(status: Status) -> u8 {
    match status {
        Status::Clean => 0,
        Status::Problems => 1,
        Status::Unusable => 2,
    }
}

impl ReportYear {
    fn new(year: i32, chosen_by: &str, last_dossier: Option<NaiveDate>) -> ReportYear {
        ReportYear {
            year,
            school_year: Windows::new(year).current().to_string(),
            chosen_by: chosen_by.to_string(),
            last_dossier: last_dossier.map(|d| d.to_string()),
        }
    }
}

/// The report year of the latest school year the dossiers cover to its end (31 July).
fn latest_complete(data: &DataSet) -> Option<ReportYear> {
    let last = data.dossiers.iter().map(|d| d.datum).max()?;
    let school_year = SchoolYear::of(last.year(), last.month());
    let complete = if (last.month(), last.day()) == (7, 31) {
        school_year
    } else {
        SchoolYear(school_year.0 - 1)
    };
    Some(ReportYear::new(
        complete.end_year(),
        "latest complete school year in the dossiers",
        Some(last),
    ))
}

/// What of a file the report of `windows` uses: (description, whether a row is used).
fn summary(stats: &FileStats, report: &Report, windows: Option<Windows>) -> FileSummary {
    let data = &report.data;
    let problems = report
        .errors
        .0
        .iter()
        .filter(|e| e.file == stats.file)
        .count();
    let valid = stats.valid();
    let used: Option<(String, usize)> = windows.and_then(|w| {
        let spread = w.spread();
        let (first, last) = (spread[0], spread[spread.len() - 1]);
        let school_years = format!("school years {first} to {last}");
        let in_spread =
            |d: &NaiveDate| (first..=last).contains(&SchoolYear::of(d.year(), d.month()));
        match stats.file.as_str() {
            dossiers::FILE => Some((
                school_years,
                data.dossiers.iter().filter(|d| in_spread(&d.datum)).count(),
            )),
            pageviews::FILE => Some((
                school_years,
                report
                    .pageview_rows
                    .iter()
                    .filter(|(d, _)| in_spread(d))
                    .map(|(_, rows)| rows)
                    .sum(),
            )),
            voorlichtingen::FILE => {
                let years = w.voorlichtingen();
                let (from, to) = (years[years.len() - 1], years[0]);
                let used = data
                    .voorlichtingen
                    .iter()
                    .filter(|v| (from..=to).contains(&v.datum.year()))
                    .count();
                Some((format!("calendar years {from} to {to}"), used))
            }
            leerlingen::STADSDEEL_FILE => {
                let cbs = cbs_school_year(data, w)?;
                let used = data
                    .leerlingen_stadsdeel
                    .iter()
                    .filter(|p| p.schooljaar == cbs)
                    .count();
                Some((format!("CBS school year {}", cbs.slashed()), used))
            }
            _ => None,
        }
    });
    let whole = match stats.file.as_str() {
        scholen::FILE => Some("the whole registry".to_string()),
        leerlingen::SECTOR_FILE => Some("every sector group".to_string()),
        _ => None,
    };
    let (window, used, outside) = match (used, whole) {
        (Some((window, used)), _) => (Some(window), used, Some(valid.saturating_sub(used))),
        (None, Some(whole)) => (Some(whole), valid, Some(0)),
        (None, None) => (None, valid, None),
    };
    FileSummary {
        file: stats.file.clone(),
        read: stats.opened,
        rows: stats.rows,
        used,
        outside,
        rejected: stats.rejected,
        problems,
        window,
        invisible_removed: stats.invisible_cells,
        invisible: stats
            .invisible
            .iter()
            .map(|&c| format!("\\u{{{:x}}}", c as u32))
            .collect(),
    }
}

/// The CBS school year the stadsdeel table divides by: pinned in the settings, else the latest
/// one read that is not after the report's school year (as the stadsdelen appendix chooses).
fn cbs_school_year(data: &DataSet, windows: Windows) -> Option<SchoolYear> {
    if let Some(pinned) = data.config.cbs_schooljaar {
        return Some(pinned);
    }
    data.leerlingen_stadsdeel
        .iter()
        .map(|p| p.schooljaar)
        .filter(|y| *y <= windows.current())
        .max()
}

fn problems(errors: &InputErrors) -> Vec<Problem> {
    errors
        .0
        .iter()
        .map(|e| Problem {
            file: e.file.clone(),
            line: e.line,
            column: e.column.clone(),
            message: e.message.clone(),
            kind: match e.kind {
                Kind::Problem => "problem",
                Kind::Unusable => "unusable",
                Kind::Category(_) => "unknown-value",
            },
        })
        .collect()
}

fn unknown_values(errors: &InputErrors) -> Vec<UnknownValue> {
    let mut found: Vec<UnknownValue> = Vec::new();
    let mut index: BTreeMap<(String, String, String), usize> = BTreeMap::new();
    for error in &errors.0 {
        let Kind::Category(unknown) = &error.kind else {
            continue;
        };
        let (value, known) = (&unknown.value, &unknown.known);
        let column = error.column.clone().unwrap_or_default();
        let key = (error.file.clone(), column.clone(), value.to_lowercase());
        let i = *index.entry(key).or_insert_with(|| {
            found.push(UnknownValue {
                file: error.file.clone(),
                column,
                value: value.clone(),
                rows: 0,
                lines: Vec::new(),
                known: known.clone(),
            });
            found.len() - 1
        });
        let entry = &mut found[i];
        entry.rows += 1;
        if let Some(line) = error.line.filter(|_| entry.lines.len() < LINES_SHOWN) {
            entry.lines.push(line);
        }
    }
    found
}

/// A brin code as DUO writes them: two digits, two letters, optionally two digits.
fn looks_like_brin(value: &str) -> bool {
    let b = value.trim().as_bytes();
    (b.len() == 4 || b.len() == 6)
        && b[..2].iter().all(u8::is_ascii_digit)
        && b[2..4].iter().all(u8::is_ascii_alphabetic)
        && b[4..].iter().all(u8::is_ascii_digit)
}

fn unmatched_schools(data: &DataSet, windows: Option<Windows>) -> Vec<UnmatchedSchool> {
    let spread = windows.map(|w| w.spread());
    let in_windows =
        |d: &crate::model::Dossier| spread.as_ref().map(|years| years.contains(&d.schooljaar()));
    // Per name: whether its dossiers fall in the windows (`None` without a report year).
    let mut names: UnmatchedNames<Option<usize>> = UnmatchedNames::default();
    for dossier in &data.dossiers {
        let Some(typed) = dossier.school_unmatched.as_deref() else {
            continue;
        };
        let in_names_windows = names.add(typed, 1);
        if let Some(inside) = in_windows(dossier) {
            *in_names_windows.get_or_insert(0) += usize::from(inside);
        }
    }
    // The registry's names normalised once for every name looked up.
    let registry = RegistryNames::new(&data.scholen);
    let mut schools: Vec<UnmatchedSchool> = names
        .into_sorted()
        .into_iter()
        .map(|group| UnmatchedSchool {
            brin: looks_like_brin(&group.name),
            name: group.name,
            dossiers: group.count as usize,
            in_windows: group.extra,
            suggestions: Vec::new(),
        })
        .collect();
    // The most frequent names only: see `MAX_SUGGESTED`.
    for school in schools.iter_mut().take(MAX_SUGGESTED) {
        if !school.brin {
            school.suggestions = registry.nearest(&school.name);
        }
    }
    schools
}

impl Validation {
    /// The report for people: the files' row counts, the school names without a match, the
    /// problems one per line, unknown values with the known ones, and the verdict.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut line = |text: String| {
            out.push_str(&text);
            out.push('\n');
        };
        line(format!("oco-report validate: {}", self.data));
        match &self.report_year {
            Some(y) if y.last_dossier.is_some() => line(format!(
                "Report year {} (school year {}): the latest complete school year in the \
                 dossiers, which run to {}. Choose another with --year.",
                y.year,
                y.school_year,
                y.last_dossier.as_deref().unwrap_or_default()
            )),
            Some(y) => line(format!(
                "Report year {} (school year {}), as given with --year.",
                y.year, y.school_year
            )),
            None if !self.files.is_empty() => line(
                "No report year: no dossier could be read to choose it by; give one with \
                 --year to count the rows in its windows."
                    .to_string(),
            ),
            None => {}
        }
        if !self.files.is_empty() {
            line(String::new());
            for row in self.file_table() {
                line(row);
            }
        }
        if let Some(year) = self
            .report_year
            .as_ref()
            .filter(|_| !self.uncovered.is_empty())
        {
            line(String::new());
            line(format!(
                "`oco-report build {}` refuses this year: {} {} no row in school year {} (add \
                 --gedeeltelijk to build it anyway).",
                year.year,
                self.uncovered.join(", "),
                if self.uncovered.len() == 1 {
                    "has"
                } else {
                    "have"
                },
                year.school_year
            ));
        }
        if !self.partial_windows.is_empty() {
            line(String::new());
            line(
                "Periods of the report that the exports cover in part or not at all (the \
                 tables say so in their captions):"
                    .to_string(),
            );
            for w in &self.partial_windows {
                let how = if w.covered == "none" {
                    "not at all"
                } else {
                    "in part"
                };
                line(format!(
                    "  {}: {} {how} ({})",
                    w.file,
                    w.period,
                    w.tables.join(", ")
                ));
            }
        }
        if !self.stale_denominators.is_empty() {
            line(String::new());
            line("Stale denominators (warnings):".to_string());
            for stale in &self.stale_denominators {
                line(format!("  {stale}"));
            }
        }
        let invisible: Vec<&FileSummary> = self
            .files
            .iter()
            .filter(|f| f.invisible_removed > 0)
            .collect();
        if !invisible.is_empty() {
            line(String::new());
        }
        for f in invisible {
            line(format!(
                "{}: invisible characters ({}) removed from {} before matching; no \
                 output shows them.",
                f.file,
                f.invisible.join(", "),
                count(f.invisible_removed, "cell", "cells")
            ));
        }
        if !self.unmatched_schools.is_empty() {
            line(String::new());
            for text in self.unmatched_text() {
                line(text);
            }
        } else if !self.schools_matched && !self.files.is_empty() {
            line(String::new());
            line(format!(
                "The schools of {} are not matched: {} has no school that could be read.",
                dossiers::FILE,
                scholen::FILE
            ));
        }
        if !self.problems.is_empty() {
            line(String::new());
            let rejected: usize = self.files.iter().map(|f| f.rejected).sum();
            let rejected = match rejected {
                0 => String::new(),
                n => format!(" ({} rejected)", count(n, "row", "rows")),
            };
            line(format!(
                "{}{rejected}:",
                count(self.problems.len(), "problem", "problems"),
            ));
            for p in &self.problems {
                line(p.to_string());
            }
        }
        if !self.unknown_values.is_empty() {
            line(String::new());
            line(
                "Values not in the configured lists (a new category goes into oco-report.toml):"
                    .to_string(),
            );
            for u in &self.unknown_values {
                let more = if u.rows > u.lines.len() { ", ..." } else { "" };
                let lines: Vec<String> = u.lines.iter().map(usize::to_string).collect();
                line(format!(
                    "  {}, column {}: {:?} on {} (line {}{more}); known: {}",
                    u.file,
                    u.column,
                    u.value,
                    count(u.rows, "row", "rows"),
                    lines.join(", "),
                    u.known.join(", ")
                ));
            }
        }
        line(String::new());
        line(self.verdict());
        out
    }

    fn file_table(&self) -> Vec<String> {
        let header = [
            "file",
            "rows",
            "used",
            "outside",
            "rejected",
            "problems",
            "report window",
        ]
        .map(str::to_string);
        let mut rows = vec![header.to_vec()];
        for f in &self.files {
            let number = |n: usize| n.to_string();
            rows.push(if f.read {
                vec![
                    f.file.clone(),
                    number(f.rows),
                    number(f.used),
                    f.outside.map_or("?".to_string(), number),
                    number(f.rejected),
                    number(f.problems),
                    f.window.clone().unwrap_or_default(),
                ]
            } else {
                let what = if f.problems > 0 {
                    "not read: see the problems below"
                } else {
                    "not read"
                };
                vec![
                    f.file.clone(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    number(f.problems),
                    what.to_string(),
                ]
            });
        }
        let widths: Vec<usize> = (0..header.len())
            .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
            .collect();
        rows.iter()
            .map(|r| {
                let cells: Vec<String> = r
                    .iter()
                    .enumerate()
                    .map(|(i, cell)| match i {
                        0 | 6 => format!("{cell:<w$}", w = if i == 6 { 0 } else { widths[i] }),
                        _ => format!("{cell:>w$}", w = widths[i]),
                    })
                    .collect();
                cells.join("  ").trim_end().to_string()
            })
            .collect()
    }

    fn unmatched_text(&self) -> Vec<String> {
        let total: usize = self.unmatched_schools.iter().map(|s| s.dossiers).sum();
        let mut lines = vec![format!(
            "School names in {} that match no school in {}: {}, {}. They are not counted in the \
             stadsdeel and schoolweging tables; correct them in the CRM or add the name to the \
             aliassen of the school.",
            dossiers::FILE,
            scholen::FILE,
            count(self.unmatched_schools.len(), "name", "names"),
            count(total, "dossier", "dossiers"),
        )];
        for s in &self.unmatched_schools {
            let windows = s
                .in_windows
                .map(|n| format!(", {n} in the report windows"))
                .unwrap_or_default();
            let hint = if s.brin {
                "brin not in scholen.csv".to_string()
            } else {
                format!("nearest: {}", s.suggestions.join("; "))
            };
            lines.push(format!(
                "  {:?}: {}{windows}; {hint}",
                s.name,
                count(s.dossiers, "dossier", "dossiers")
            ));
        }
        lines
    }

    fn verdict(&self) -> String {
        match self.status {
            Status::Clean => {
                "No problems: every file meets the input contract (docs/inputs.md).".to_string()
            }
            Status::Problems => format!(
                "{}: `oco-report build` refuses this data until they are fixed (see \
                 docs/inputs.md).",
                count(self.problems.len(), "problem", "problems")
            ),
            Status::Unusable => {
                let unusable: Vec<&str> = self
                    .problems
                    .iter()
                    .filter(|p| p.kind == "unusable")
                    .map(|p| p.file.as_str())
                    .collect();
                let what = if self.files.is_empty() {
                    "nothing could be read".to_string()
                } else {
                    format!("cannot read {} as CSV at all", unusable.join(", "))
                };
                format!(
                    "Unusable: {what} ({} in all); nothing can be built from this data.",
                    count(self.problems.len(), "problem", "problems")
                )
            }
        }
    }

    /// The same for machines.
    pub fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
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

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
