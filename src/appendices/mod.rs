//! The computations: one module per appendix of the report, each a pure function from the
//! validated data (as [`Frames`]) to an [`Appendix`] of report tables, and each with its
//! [`Definition`] (tables, template, inputs, ...), listed in [`ALL`] in the report's order.

use std::collections::HashMap;

use anyhow::{Result, bail};
use polars::prelude::*;

use crate::config::Config;
use crate::frames::{Frames, Labels};
use crate::model::DataSet;
use crate::period::{SchoolYear, Windows};
use crate::table::{Appendix, ReportTable};

pub use definition::{Definition, TableDefinition};

pub mod counted;
pub mod datakwaliteit;
pub mod definition;
pub mod doelen;
pub mod helpdesk;
pub mod kanalen;
pub mod passend;
pub mod schoolweging;
pub mod sectoren;
pub mod stadsdelen;
pub mod voorlichtingen;
pub mod websitebezoek;

/// What a computation may look at: the data, its frames, the report year's windows.
pub struct Context<'a> {
    pub data: &'a DataSet,
    pub config: &'a Config,
    pub frames: &'a Frames,
    pub windows: Windows,
    pub options: &'a Options,
}

/// Choices of the user that change a table without changing the data.
#[derive(Debug, Clone)]
pub struct Options {
    /// Sector of the helpdesk month table (`table helpdesk-maand --sector`).
    pub maand_sector: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            maand_sector: "vo".to_string(),
        }
    }
}

/// Every appendix, in the report's order.
pub const ALL: &[Definition] = &[
    websitebezoek::DEFINITION,
    stadsdelen::DEFINITION,
    schoolweging::DEFINITION,
    sectoren::DEFINITION,
    voorlichtingen::DEFINITION,
    helpdesk::DEFINITION,
    passend::DEFINITION,
    kanalen::DEFINITION,
    datakwaliteit::DEFINITION,
    doelen::DEFINITION,
];

/// The definition of appendix `id`.
pub fn definition(id: &str) -> Option<&'static Definition> {
    ALL.iter().find(|d| d.id == id)
}

/// The definition of table `id` and of the appendix holding it.
pub fn table_definition(id: &str) -> Option<(&'static Definition, &'static TableDefinition)> {
    ALL.iter().find_map(|d| d.table(id).map(|t| (d, t)))
}

/// Every table of every appendix, in the report's order, with its appendix.
pub fn tables() -> impl Iterator<Item = (&'static Definition, &'static TableDefinition)> {
    ALL.iter()
        .flat_map(|d| d.tables.iter().map(move |t| (d, t)))
}

/// The exports the appendix holding table `id` is computed from (for `oco-report table`,
/// which reads only those); every export for an unknown id.
pub fn table_inputs(id: &str) -> Vec<&'static str> {
    match table_definition(id) {
        Some((appendix, _)) => appendix.inputs.to_vec(),
        None => crate::ingest::EXPORTS.to_vec(),
    }
}

/// Every table id `oco-report table` knows, in the report's order.
pub fn table_ids() -> Vec<&'static str> {
    tables().map(|(_, t)| t.id).collect()
}

/// Every appendix of report year `year`.
pub fn compute_all(data: &DataSet, year: i32, options: &Options) -> Result<Vec<Appendix>> {
    compute_all_from(data, &Frames::new(data)?, year, options)
}

/// [`compute_all`] from frames made before: the appendices read the dossiers only through
/// `frames` (not `data.dossiers`, which a build may have let go of by then).
pub fn compute_all_from(
    data: &DataSet,
    frames: &Frames,
    year: i32,
    options: &Options,
) -> Result<Vec<Appendix>> {
    let cx = context(data, frames, year, options);
    let mut appendices = ALL
        .iter()
        .map(|appendix| {
            let computed = (appendix.compute)(&cx);
            crate::memory::give_back_freed();
            computed
        })
        .collect::<Result<Vec<_>>>()?;
    frames.coverage.mark(&mut appendices, cx.windows);
    Ok(appendices)
}

/// One table of report year `year`; an unknown id lists the known ones.
pub fn compute_table(
    data: &DataSet,
    year: i32,
    id: &str,
    options: &Options,
) -> Result<ReportTable> {
    compute_table_from(data, &Frames::new(data)?, year, id, options)
}

/// [`compute_table`] from frames made before (whose coverage the caller may have asked first).
pub fn compute_table_from(
    data: &DataSet,
    frames: &Frames,
    year: i32,
    id: &str,
    options: &Options,
) -> Result<ReportTable> {
    let Some((definition, _)) = table_definition(id) else {
        bail!(
            "unknown table {id:?}; known tables: {}",
            table_ids().join(", ")
        );
    };
    let cx = context(data, frames, year, options);
    let mut appendix = [(definition.compute)(&cx)?];
    frames.coverage.mark(&mut appendix, cx.windows);
    let [appendix] = appendix;
    match appendix.table(id) {
        Some(table) => Ok(table.clone()),
        None => bail!("appendix {} computed no table {id}", appendix.id),
    }
}

/// The items the cells of count table `id` count (see [`counted`]), by the computation the
/// table itself runs; `None` for a table that counts no dossiers or sessions.
pub fn counted_items(
    data: &DataSet,
    frames: &Frames,
    year: i32,
    id: &str,
    options: &Options,
) -> Result<Option<counted::Counted>> {
    let Some(count_items) = table_definition(id).and_then(|(_, table)| table.counted) else {
        return Ok(None);
    };
    let cx = context(data, frames, year, options);
    count_items(&cx, id).map(Some)
}

/// The CBS pupil count of `stadsdeel` that the stadsdeel table divides by.
pub fn stadsdeel_pupils<'a>(
    data: &'a DataSet,
    frames: &'a Frames,
    year: i32,
    stadsdeel: &str,
    options: &'a Options,
) -> Result<&'a crate::model::StadsdeelPupils> {
    let cx = context(data, frames, year, options);
    let cbs = stadsdelen::cbs_school_year(&cx)?;
    stadsdelen::pupils(&cx, stadsdeel, cbs)
}

fn context<'a>(
    data: &'a DataSet,
    frames: &'a Frames,
    year: i32,
    options: &'a Options,
) -> Context<'a> {
    Context {
        data,
        config: &data.config,
        frames,
        windows: Windows::new(year),
        options,
    }
}

/// Group sizes or sums of a grouped computation, looked up by the group's key values.
#[derive(Debug, Default)]
pub struct Counts(HashMap<Vec<String>, i64>);

impl Counts {
    /// The count of a group; 0 for a group that has no rows.
    pub fn get(&self, key: &[&str]) -> i64 {
        let key: Vec<String> = key.iter().map(|s| s.to_string()).collect();
        self.0.get(&key).copied().unwrap_or(0)
    }

    /// Every group key seen (null keys as empty strings), sorted.
    pub fn keys(&self) -> Vec<Vec<String>> {
        let mut keys: Vec<_> = self.0.keys().cloned().collect();
        keys.sort();
        keys
    }

    pub fn total(&self) -> i64 {
        self.0.values().sum()
    }
}

/// Number of rows per group of `keys` (coded columns read as their text).
pub fn count_by(labels: &Labels, frame: LazyFrame, keys: &[&str]) -> Result<Counts> {
    aggregate_by(labels, frame, keys, len())
}

/// Sum of `column` per group of `keys` (coded columns read as their text).
pub fn sum_by(labels: &Labels, frame: LazyFrame, keys: &[&str], column: &str) -> Result<Counts> {
    aggregate_by(labels, frame, keys, col(column).sum())
}

fn aggregate_by(
    labels: &Labels,
    frame: LazyFrame,
    keys: &[&str],
    aggregate: Expr,
) -> Result<Counts> {
    let by: Vec<Expr> = keys.iter().map(|k| col(*k)).collect();
    let mut select: Vec<Expr> = keys
        .iter()
        .map(|k| col(*k).cast(DataType::String))
        .collect();
    select.push(col("n"));
    let groups = frame
        .group_by(by)
        .agg([aggregate.cast(DataType::Int64).alias("n")])
        .collect()?;
    // The groups' places as text, once per group rather than once per row.
    let df = labels.decode(groups)?.lazy().select(select).collect()?;
    let key_columns = keys
        .iter()
        .map(|k| df.column(k).and_then(|c| c.str().cloned()))
        .collect::<PolarsResult<Vec<_>>>()?;
    let n = df.column("n")?.i64()?.clone();
    let mut counts = HashMap::new();
    for row in 0..df.height() {
        let key = key_columns
            .iter()
            .map(|c| c.get(row).unwrap_or("").to_string())
            .collect();
        // Two places of one text (a registry brin listed twice) are one group.
        *counts.entry(key).or_insert(0) += n.get(row).unwrap_or(0);
    }
    Ok(Counts(counts))
}

/// Rows of the school years `first..=last`.
pub fn in_school_years(first: SchoolYear, last: SchoolYear) -> Expr {
    col("schooljaar")
        .gt_eq(lit(first.start_year()))
        .and(col("schooljaar").lt_eq(lit(last.start_year())))
}

/// `2017-2018 t/m 2020-2021`, or one school year.
pub fn period_text(years: &[SchoolYear]) -> String {
    match (years.first(), years.last()) {
        (Some(first), Some(last)) if first != last => format!("{first} t/m {last}"),
        (Some(only), _) => only.to_string(),
        _ => String::new(),
    }
}

/// Row order for open categories: the configured ones first (in their order, those with any
/// count), then the others by count, largest first, then by name.
pub fn ordered_categories(configured: &[String], seen: &[(String, i64)]) -> Vec<String> {
    let mut out: Vec<String> = configured
        .iter()
        .filter(|c| seen.iter().any(|(s, n)| s == *c && *n > 0))
        .cloned()
        .collect();
    let mut rest: Vec<&(String, i64)> = seen
        .iter()
        .filter(|(s, _)| !configured.contains(s))
        .collect();
    rest.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    for (s, _) in rest {
        if !out.contains(s) {
            out.push(s.clone());
        }
    }
    out
}
