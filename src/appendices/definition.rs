//! What the program knows about an appendix, in one place: its id and title, its tables and
//! their properties, its template, its computation, the exports it reads and the consistency
//! rules of `check` that concern it. Each appendix module exports its own `DEFINITION`;
//! [`super::ALL`] lists them in the report's order, and every part of the program that needs
//! to know the appendices or their tables (the renderers, small-cell protection, `check`,
//! `explain`, `table`, the `--help` text) reads that list instead of keeping its own.
//!
//! Adding an appendix: a module in `src/appendices/` with its `DEFINITION`, an entry in
//! [`super::ALL`], its template in `report-templates/`, and its table ids in the README's
//! table list (`tests/readme.rs` checks it; `tests/definitions.rs` checks the definitions
//! against each other and against what the computations produce).

use anyhow::Result;

use super::Context;
use super::counted::Counted;
use crate::coverage::Period;
use crate::period::Windows;
use crate::table::Appendix;

/// Computes an appendix of the report year in the context.
pub type Compute = fn(&Context) -> Result<Appendix>;

/// The dated exports a table counts and the periods of each, for the report year of the
/// windows (see [`crate::coverage`]: refused years, partly covered periods in the caption).
pub type Periods = fn(Windows) -> Vec<(&'static str, Vec<Period>)>;

/// Yields the items (dossiers, sessions) the cells of the table named by the second argument
/// count, by the computation the table itself runs (see [`super::counted`]).
pub type CountItems = fn(&Context, &str) -> Result<Counted>;

/// One appendix of the report.
#[derive(Debug)]
pub struct Definition {
    /// The file stem of its markdown (`kanalen` → `kanalen.md`) and its key in `figures.json`.
    pub id: &'static str,
    /// Its `## ` heading.
    pub title: &'static str,
    pub template: Template,
    /// Its tables, in the order the appendix holds them.
    pub tables: &'static [TableDefinition],
    pub compute: Compute,
    /// The exports it is computed from: `oco-report table` reads and validates only these.
    pub inputs: &'static [&'static str],
    /// The consistency rules of `check` that compare figures of this appendix.
    pub consistency: &'static [Consistency],
    /// Working material, not for publication: written to `intern/` only (see
    /// [`crate::build::INTERN`]).
    pub internal: bool,
}

impl Definition {
    /// An empty appendix with this definition's id and title.
    pub fn appendix(&self) -> Appendix {
        Appendix::new(self.id, self.title)
    }

    pub fn table(&self, id: &str) -> Option<&'static TableDefinition> {
        self.tables.iter().find(|t| t.id == id)
    }
}

/// The prose template of an appendix: a file of `report-templates/`, and the copy of it the
/// binary carries (see [`crate::render::templates`]).
#[derive(Debug)]
pub struct Template {
    /// File name in `report-templates/`.
    pub name: &'static str,
    /// The file's text, compiled in.
    pub builtin: &'static str,
}

/// The template `report-templates/ID.md` of appendix `ID`, compiled in.
macro_rules! template {
    ($id:literal) => {
        $crate::appendices::definition::Template {
            name: concat!($id, ".md"),
            builtin: include_str!(concat!("../../report-templates/", $id, ".md")),
        }
    };
}
pub(crate) use template;

/// One table of an appendix.
#[derive(Debug)]
pub struct TableDefinition {
    /// The id `table`, `explain` and `figures.json` know it by.
    pub id: &'static str,
    /// The exports it counts, over which periods.
    pub periods: Periods,
    /// Whether its counts are about people (dossiers): then `--min-cell` hides its small
    /// counts (see [`crate::render::small_cells`]). Pageviews and the sessions of a public
    /// agenda are not.
    pub counts_people: bool,
    /// Whether `check` compares its figures with last year's report (restatements, vanished
    /// categories, changes). Not for a table that repeats figures of other tables or holds
    /// findings instead of categories.
    pub compared_with_last_year: bool,
    /// The items its cells count, for `explain`; `None` for a table that counts no dossiers
    /// or sessions (`explain` refuses it).
    pub counted: Option<CountItems>,
    /// Its percentage columns, each with the two count columns it divides (`explain` gives
    /// a percentage's numerator and denominator).
    pub percentages: &'static [Percentage],
    /// Its column of pupil counts read from an export rather than counted, if any.
    pub pupils: Option<Pupils>,
    /// Whether its rows are the sector groups of the settings (`explain` names their sectors).
    pub rows_are_sector_groups: bool,
    /// Whether its own caption says what its exports miss (`websitebezoek` counts the days of
    /// each school year): then [`crate::coverage`] adds no note of partly covered periods to
    /// the caption, only to the appendix's fact `gedeeltelijk`.
    pub caption_names_gaps: bool,
    /// The chart drawn from it, if any.
    pub chart: Option<Chart>,
}

/// A percentage column: `numerator / denominator × 100`, of the same row.
#[derive(Debug, Clone, Copy)]
pub struct Percentage {
    pub column: &'static str,
    pub numerator: &'static str,
    pub denominator: &'static str,
}

/// A column of pupil counts, and the export it is read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pupils {
    pub column: &'static str,
    pub source: PupilSource,
}

/// Where a table's pupil counts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PupilSource {
    /// CBS primary pupils per stadsdeel (`leerlingen-stadsdeel.csv`).
    Stadsdeel,
    /// Approximate pupils per sector group (`leerlingen-sector.csv`).
    SectorGroup,
}

impl TableDefinition {
    /// Percentage column `column`, if it is one.
    pub fn percentage(&self, column: &str) -> Option<&'static Percentage> {
        self.percentages.iter().find(|p| p.column == column)
    }

    /// A table of dossier counts over `periods`, compared with last year, with neither
    /// `explain` nor a chart; the fields that differ are set on the result.
    pub const fn new(id: &'static str, periods: Periods) -> TableDefinition {
        TableDefinition {
            id,
            periods,
            counts_people: true,
            compared_with_last_year: true,
            counted: None,
            percentages: &[],
            pupils: None,
            rows_are_sector_groups: false,
            caption_names_gaps: false,
            chart: None,
        }
    }
}

/// A chart of the report (see [`crate::render::charts`]).
#[derive(Debug, Clone, Copy)]
pub struct Chart {
    /// File stem: `schoolweging` → `schoolweging.svg`, `schoolweging.png`; `grafiek("ID")` in
    /// the template.
    pub id: &'static str,
    pub style: ChartStyle,
}

/// How a chart shows its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartStyle {
    /// Unique pageviews per week of the school year, one line per school year (drawn from
    /// the daily pageviews).
    WeeklyPageviews,
    /// % per stadsdeel, excl. and incl. webinars.
    Stadsdelen,
    /// Helpdesk and webinar questions per schoolweging band.
    Schoolweging,
    /// % per sector group.
    Sectoren,
    /// Sessions per category, one bar per year.
    Voorlichtingen,
    /// Three school years per category with the ▲/▼ trend; the category axis named so.
    Trend { category: &'static str },
    /// The current school year against the one before; the category axis named so.
    TwoYears { category: &'static str },
}

/// A consistency rule of `check` (the rules are in [`crate::check`]'s documentation). An
/// appendix names the rules that compare its figures; `check` runs each rule once, in the
/// order declared here, whichever appendices name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Consistency {
    /// The dossiers of the school year agree across `sectoren`, `helpdesk`,
    /// `helpdesk-sectoren` and `passend-onderwijs`.
    DossiersOfTheYear,
    /// Each sector group of `sectoren` is the sum of its sectors in `helpdesk-sectoren`.
    SectorGroups,
    /// `kanalen` counts within `sectoren`, and WhatsApp within its dossiers.
    KanalenWithinSectoren,
    /// The voorlichtingen totals agree across the three tables and the facts.
    VoorlichtingenTotals,
    /// `stadsdelen` and `schoolweging` count the same dossiers.
    StadsdelenAndSchoolweging,
    /// The websitebezoek facts quote the table.
    WebsiteFacts,
}
