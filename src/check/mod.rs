//! `oco-report check YEAR --baseline LAST_YEARS/figures.json`: holds the figures of a report
//! year to last year's report and to the subsidy targets, so that CI catches an export that
//! silently changed history, a table that no longer adds up, or a target that was missed.
//!
//! The current figures are computed from the data folder (as `build` would), or read from a
//! `figures.json` with `--figures` (to check exactly the file that is published). The
//! baseline is last year's `figures.json`. Both become a [`Report`]: tables of figures.
//!
//! # A figure and its period
//!
//! A figure is one cell: table id, row key, column key, value. Its *period* is the period of
//! its column (`columns[].period` in `figures.json`); in a table whose columns carry no period,
//! it is the school or calendar year its row key is or ends with. Its identity across reports
//! is (table, category, slot, period): the category is the row key without a period, the slot
//! the column key without a period. Per table, for report year Y:
//!
//! | table | period of a figure | shared with the report of Y-1 |
//! |---|---|---|
//! | `websitebezoek` | the row: a school year | the three school years before (Y-1)-Y |
//! | `stadsdelen`, `schoolweging`, `datakwaliteit-scholen` | the four-year window of the column (`2017-2018 t/m 2020-2021`); the CBS column: its school year | none (the window moves); the CBS pupils when both reports divide by the same CBS year |
//! | `sectoren` | the column: school year (Y-1)-Y; the pupil estimate has none | none |
//! | `voorlichtingen-*` | the column: calendar years Y-3 … Y | Y-3, Y-2, Y-1 |
//! | `helpdesk-themas`, `helpdesk-sectoren` | the column: school years (Y-3)-(Y-2) … (Y-1)-Y | the two older school years |
//! | `helpdesk-maand` | the row (`zorg 2019-2020`): a school year | the two older school years |
//! | `passend-*` | the column: (Y-1)-Y and (Y-2)-(Y-1) | (Y-2)-(Y-1) |
//! | `kanalen` | the column: the days counted (`1 december 2020 t/m 31 juli 2021`) | none |
//! | `doelen` | the text column `periode` of each row | not compared: it repeats figures of the other tables |
//!
//! # The checks
//!
//! 1. **Restatements.** Every figure of the baseline whose (table, category, slot, period) the
//!    current report also covers must be equal to the current one. A row that is missing in one
//!    of the two reports counts as zero there: a zero that disappears is fine, a number that
//!    disappears or appears in a period both reports cover is a restatement. Figures without a
//!    period, or whose period only one report covers, are not compared (a `skip` line says so
//!    per table). Facts are not compared: they repeat table figures.
//! 2. **Consistency** of the current figures: every totals row (`Totaal`, `Amsterdam`) is the
//!    sum of the other rows, and a column `totaal` the sum of the row's other counts, for every
//!    count column; the dossiers of school year (Y-1)-Y agree across `sectoren`, `helpdesk`,
//!    `helpdesk-sectoren` and `passend-onderwijs`; each sector group of `sectoren` is the sum of
//!    its sectors in `helpdesk-sectoren`; `kanalen` counts no more dossiers per group than
//!    `sectoren` (as many when it counts the whole school year); the voorlichtingen totals agree
//!    across the three voorlichtingen tables and their facts; `stadsdelen` and `schoolweging`
//!    count the same dossiers; the website facts quote the table. And no category (row) of the
//!    baseline with a non-zero figure is missing now, unless `[check.verdwenen]` in
//!    `oco-report.toml` notes why (`"voorlichtingen-thema/Ouderbijdrage" = "reason"`, or the
//!    table id alone for all its rows). A category is the row key without its period, so the
//!    rows `zorg 2017-2018` of last year and `zorg 2020-2021` of this year are one category.
//! 3. **Changes from last year.** For every count of the newest single period of a table (the
//!    column or row of (Y-1)-Y or Y), the same figure one year earlier (from the current
//!    report, else the baseline); for counts of windows and unperiodised columns, the same
//!    (table, row, column) of the baseline. A change of more than `[check] tolerantie` percent
//!    (default 50) is a warning, when the old or new figure is at least `[check] minimum`
//!    (default 20). Percentages are not judged: their counts are. Under `--strict` these
//!    warnings fail.
//! 4. **Targets**: the scorecard of the `doelen` table (see [`crate::appendices::doelen`]):
//!    `behaald`, `niet behaald` or `onbekend`, with the value, the norm and their periods. A
//!    target not met (or unknown) is reported, and fails only under `--strict`. A target whose
//!    value and norm are both zero is `onbekend`.
//! 5. **Coverage** (computed from the data only, see [`crate::coverage`]): a dated export
//!    without a row in the report's school year fails (`build` refuses that year); a period of
//!    a table that an export covers in part or not at all, and a CBS pupil count more than one
//!    school year older than the report's school year, are warnings. Printed first, and only
//!    when there is something to say.
//!
//! `doelen` and `datakwaliteit-scholen` (a list of findings) take part in the consistency of
//! totals only.
//!
//! Which tables are compared with last year, and which consistency rules run, come from the
//! appendices' definitions ([`crate::appendices::ALL`]).

use std::path::PathBuf;

use anyhow::{Result, bail};
use serde::Serialize;

use crate::appendices::doelen::Doel;
use crate::appendices::{self, Options as ComputeOptions};
use crate::config::Config;
use crate::table::Value;

pub mod figures;
mod output;
mod rules;

pub use figures::{Figure, Period, Report};
pub use rules::{agreements, changes, restatements, table_totals, targets, vanished};

/// What `oco-report check` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub year: i32,
    /// Last year's `figures.json`.
    pub baseline: PathBuf,
    /// The data folder: the figures are computed from it, and its `oco-report.toml` holds the
    /// settings of the check.
    pub data: PathBuf,
    /// Check this `figures.json` instead of computing the figures.
    pub figures: Option<PathBuf>,
    pub strict: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Ok,
    Warn,
    Fail,
    Skip,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Restatements,
    Consistency,
    Changes,
    /// What the data cover: an uncovered report year, partly covered windows, stale pupil
    /// counts (see [`crate::coverage`]).
    Coverage,
}

/// One line of the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub group: Group,
    pub status: Status,
    pub message: String,
    pub table: Option<String>,
    pub row: Option<String>,
    pub column: Option<String>,
    pub period: Option<String>,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl Check {
    pub fn new(group: Group, status: Status, message: impl Into<String>) -> Check {
        Check {
            group,
            status,
            message: message.into(),
            table: None,
            row: None,
            column: None,
            period: None,
            old: None,
            new: None,
        }
    }

    pub fn table(mut self, id: &str) -> Check {
        self.table = Some(id.to_string());
        self
    }

    /// Names the figure: table, row, column, period.
    pub fn at(mut self, f: &Figure) -> Check {
        self.table = Some(f.table.to_string());
        self.row = Some(f.row.key.clone());
        self.column = Some(f.column.key.clone());
        self.period = f.period.as_ref().map(|p| p.to_string());
        self
    }

    pub fn values(mut self, old: Option<&Value>, new: Option<&Value>) -> Check {
        self.old = old.cloned();
        self.new = new.cloned();
        self
    }
}

/// Everything `check` found.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub year: i32,
    pub baseline_year: i32,
    /// The baseline file, as given.
    pub baseline: String,
    /// What was checked: `data/` or the `--figures` file.
    pub source: String,
    pub strict: bool,
    pub tolerantie: f64,
    pub minimum: i64,
    pub checks: Vec<Check>,
    /// The scorecard; `None` when the checked figures have no `doelen` table.
    pub targets: Option<Vec<Doel>>,
}

impl Outcome {
    /// Checks that failed (warnings included under `--strict`).
    pub fn failed(&self) -> usize {
        self.count(Status::Fail)
    }

    pub fn count(&self, status: Status) -> usize {
        self.checks.iter().filter(|c| c.status == status).count()
    }

    /// Targets not met or unknown (`None` counts as one unknown).
    pub fn targets_open(&self) -> usize {
        use crate::appendices::doelen::Resultaat;
        match &self.targets {
            Some(t) => t
                .iter()
                .filter(|d| d.resultaat != Resultaat::Behaald)
                .count(),
            None => 1,
        }
    }

    pub fn passed(&self) -> bool {
        self.failed() == 0 && !(self.strict && self.targets_open() > 0)
    }

    /// 0 when every check holds, 1 when one failed.
    pub fn exit_code(&self) -> u8 {
        if self.passed() { 0 } else { 1 }
    }

    /// One line per check, grouped, then the scorecard and a summary line.
    pub fn text(&self) -> String {
        output::text(self)
    }

    /// The outcome for machines.
    pub fn json(&self) -> serde_json::Value {
        output::json(self)
    }
}

/// Runs every check. An error is an input error (exit 2): unreadable or malformed baseline or
/// figures, data that do not meet the contract, a baseline that is not of an earlier year.
pub fn run(options: &Options) -> Result<Outcome> {
    let year = options.year;
    let baseline = Report::read(&options.baseline)?;
    if baseline.year >= year {
        bail!(
            "{} holds the figures of report year {}; check {year} needs those of an earlier \
             year (last year's out/{}/figures.json)",
            options.baseline.display(),
            baseline.year,
            year - 1
        );
    }
    let mut coverage_checks = Vec::new();
    let (config, current, source) = match &options.figures {
        Some(path) => {
            let config = Config::load(&options.data)?;
            let report = Report::read(path)?;
            if report.year != year {
                bail!(
                    "{} holds the figures of report year {}, not {year}",
                    path.display(),
                    report.year
                );
            }
            (config, report, path.display().to_string())
        }
        None => {
            let data = crate::build::load(&options.data)?;
            let frames = crate::frames::Frames::new(&data)?;
            let computed =
                appendices::compute_all_from(&data, &frames, year, &ComputeOptions::default())?;
            let sector_years: Vec<_> = data
                .leerlingen_sector
                .iter()
                .filter_map(|p| p.schooljaar)
                .collect();
            coverage_checks = coverage(
                &frames.coverage,
                year,
                data.config.cbs_schooljaar,
                &sector_years,
            );
            let report = Report {
                year,
                appendices: computed,
            };
            (data.config, report, options.data.display().to_string())
        }
    };
    let mut outcome = evaluate(&baseline, &current, &config, options.strict);
    if options.strict {
        for c in &mut coverage_checks {
            if c.status == Status::Warn {
                c.status = Status::Fail;
                c.message.push_str(" (--strict)");
            }
        }
    }
    outcome.checks.extend(coverage_checks);
    outcome.baseline = options.baseline.display().to_string();
    outcome.source = source;
    Ok(outcome)
}

/// What the exports cover for report year `year`: a failure when a dated export has no row in
/// the report's school year (build refuses that year), a warning per period a table counts that
/// an export covers in part or not at all, and a warning when the CBS pupil count is stale.
pub fn coverage(
    coverage: &crate::coverage::Coverage,
    year: i32,
    pinned_cbs: Option<crate::period::SchoolYear>,
    sector_years: &[crate::period::SchoolYear],
) -> Vec<Check> {
    use crate::coverage::{Cover, stale_warning};
    use crate::ingest::leerlingen::{SECTOR_FILE, STADSDEEL_FILE};
    let windows = crate::period::Windows::new(year);
    let current = windows.current();
    let findings = coverage.findings(windows, pinned_cbs, sector_years);
    let mut checks = Vec::new();
    for export in findings.uncovered {
        checks.push(Check::new(
            Group::Coverage,
            Status::Fail,
            format!(
                "{} has no row in school year {current} ({}): `build {year}` refuses this year",
                export.file,
                export.span_en()
            ),
        ));
    }
    for gap in findings.gaps {
        let how = match gap.cover {
            Cover::Outside => "not at all",
            _ => "in part",
        };
        checks.push(Check::new(
            Group::Coverage,
            Status::Warn,
            format!(
                "{} covers {} {how} (tables {})",
                gap.file,
                gap.period,
                gap.tables.join(", ")
            ),
        ));
    }
    if let Some(used) = findings.stale_stadsdeel {
        let which = format!("per stadsdeel of {}", used.slashed());
        checks.push(Check::new(
            Group::Coverage,
            Status::Warn,
            stale_warning(STADSDEEL_FILE, &which, current),
        ));
    }
    if !findings.stale_sector.is_empty() {
        let years: Vec<String> = findings.stale_sector.iter().map(|y| y.slashed()).collect();
        checks.push(Check::new(
            Group::Coverage,
            Status::Warn,
            stale_warning(SECTOR_FILE, &format!("of {}", years.join(", ")), current),
        ));
    }
    checks
}

/// The checks of `current` against `baseline` with the settings of `config`.
pub fn evaluate(baseline: &Report, current: &Report, config: &Config, strict: bool) -> Outcome {
    let mut checks = Vec::new();
    checks.extend(restatements(baseline, current));
    for t in current.tables() {
        checks.extend(table_totals(t));
    }
    checks.extend(agreements(current, config));
    checks.extend(vanished(baseline, current, &config.check));
    checks.extend(changes(baseline, current, &config.check));
    if strict {
        for c in &mut checks {
            if c.status == Status::Warn {
                c.status = Status::Fail;
                c.message.push_str(" (--strict)");
            }
        }
    }
    Outcome {
        year: current.year,
        baseline_year: baseline.year,
        baseline: String::new(),
        source: String::new(),
        strict,
        tolerantie: config.check.tolerantie,
        minimum: config.check.minimum,
        checks,
        targets: targets(current),
    }
}
