//! The one step every count table goes through: the items it counts (dossiers or sessions),
//! each with the cells it counts in, keyed by row and column as `table ID YEAR --format csv`
//! prints them. The table aggregates the items per cell; `explain` lists those of one cell.
//! So a figure and its explanation are the same computation.

use anyhow::Result;
use polars::prelude::*;

use super::{Counts, sum_by};
use crate::config::SectorGroup;
use crate::frames::{ITEM, Labels};
use crate::period::SchoolYear;

/// Column of the cell's row key.
pub const ROW: &str = "cel_rij";
/// Column of the cell's column key.
pub const COLUMN: &str = "cel_kolom";

/// What the items of a table are places in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Export {
    /// `DataSet::dossiers`.
    Dossiers,
    /// `DataSet::voorlichtingen`.
    Voorlichtingen,
}

/// The items of a count table and the rule they were chosen by.
pub struct Counted {
    pub export: Export,
    /// The groups of cells, each over its own items.
    pub parts: Vec<Part>,
    /// The rule in a sentence or two: period, filters, the matching.
    pub rule: String,
    /// The table counts dossiers by the school they name.
    pub by_school: bool,
}

/// Items and the cells they count in: the cells follow from the item's `keys`, so the table
/// groups the items by those columns once (as quick as any group-by) and names the cells of
/// the groups after.
pub struct Part {
    /// One row per item: `ITEM` and the `keys`.
    frame: LazyFrame,
    keys: Vec<&'static str>,
    /// Each item counts in every cell (row key, column key) these give from its `keys`; the
    /// empty text is no cell.
    cells: Vec<(Expr, Expr)>,
}

/// The items of `frame` in the cell (`row`, `column`), computed from the columns `keys`.
pub fn cells(frame: LazyFrame, keys: &[&'static str], row: Expr, column: Expr) -> Part {
    cells_each(frame, keys, vec![(row, column)])
}

/// The items of `frame`, each in every cell of `cells` computed from the columns `keys`
/// (a dossier without webinar counts both excluding and including webinars).
pub fn cells_each(frame: LazyFrame, keys: &[&'static str], cells: Vec<(Expr, Expr)>) -> Part {
    Part {
        frame,
        keys: keys.to_vec(),
        cells: cells
            .into_iter()
            .map(|(row, column)| (row.cast(DataType::String), column.cast(DataType::String)))
            .collect(),
    }
}

impl Counted {
    /// The figure of every cell: `get(&[row, column])`.
    pub fn counts(&self, labels: &Labels) -> Result<Counts> {
        let mut groups = Vec::new();
        for part in &self.parts {
            let keys: Vec<Expr> = part.keys.iter().map(|k| col(*k)).collect();
            let sizes = part
                .frame
                .clone()
                .group_by(keys)
                .agg([len().cast(DataType::Int64).alias("n")])
                .collect()?;
            // The cells are named from the keys' text.
            let sizes = labels.decode(sizes)?;
            for (row, column) in &part.cells {
                groups.push(sizes.clone().lazy().select([
                    row.clone().alias(ROW),
                    column.clone().alias(COLUMN),
                    col("n"),
                ]));
            }
        }
        if groups.is_empty() {
            return Ok(Counts::default());
        }
        let cells = concat(groups, UnionArgs::default())?
            .filter(col(ROW).neq(lit("")).and(col(COLUMN).neq(lit(""))));
        sum_by(labels, cells, &[ROW, COLUMN], "n")
    }

    /// The places of the items counted in one cell, in the order of the export.
    pub fn items(&self, labels: &Labels, row: &str, column: &str) -> Result<Vec<u32>> {
        let mut items = Vec::new();
        for part in &self.parts {
            let mut select = vec![col(ITEM)];
            select.extend(part.keys.iter().map(|k| col(*k)));
            let keyed = labels.decode(part.frame.clone().select(select).collect()?)?;
            for (row_key, column_key) in &part.cells {
                let frame = keyed
                    .clone()
                    .lazy()
                    .filter(
                        row_key
                            .clone()
                            .eq(lit(row))
                            .and(column_key.clone().eq(lit(column))),
                    )
                    .select([col(ITEM)])
                    .collect()?;
                items.extend(frame.column(ITEM)?.u32()?.into_no_null_iter());
            }
        }
        items.sort();
        Ok(items)
    }
}

/// `labels` of the first condition that holds, else the empty text (no cell).
pub fn choose(choices: Vec<(Expr, String)>) -> Expr {
    choices
        .into_iter()
        .rev()
        .fold(lit(""), |otherwise, (condition, label)| {
            when(condition).then(lit(label)).otherwise(otherwise)
        })
}

/// The school year of column `schooljaar` (its start year) as the tables key it:
/// `2020-2021`, for the years of a table's window.
pub fn school_year_key(years: &[SchoolYear]) -> Expr {
    choose(
        years
            .iter()
            .map(|y| (col("schooljaar").eq(lit(y.start_year())), y.to_string()))
            .collect(),
    )
}

/// The row key of a sector group for the dossiers of its sectors (column `sector`).
pub fn in_group(group: &SectorGroup) -> Expr {
    let of_group = group.sectoren.iter().fold(lit(false), |any, sector| {
        any.or(col("sector").eq(lit(sector.as_str())))
    });
    when(of_group)
        .then(lit(group.id.as_str()))
        .otherwise(lit(""))
}
