//! The one step every count table goes through: the items it counts (dossiers or sessions),
//! one row per item and cell it counts in, with the cell's row and column key as
//! `table ID YEAR --format csv` prints them. The table aggregates these rows; `explain` lists
//! those of one cell. So a figure and its explanation are the same computation.

use anyhow::Result;
use polars::prelude::*;

use super::{Counts, count_by};
use crate::frames::ITEM;
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
    /// `ITEM`, `ROW`, `COLUMN`, and `school` (the registry brin) for school-based tables.
    pub frame: LazyFrame,
    /// The rule in a sentence or two: period, filters, the matching.
    pub rule: String,
    /// The table counts dossiers by the school they name.
    pub by_school: bool,
}

impl Counted {
    /// The figure of every cell: `get(&[row, column])`.
    pub fn counts(&self) -> Result<Counts> {
        count_by(self.frame.clone(), &[ROW, COLUMN])
    }

    /// The places of the items counted in one cell (and their school brins, for school-based
    /// tables), in the order of the export.
    pub fn items(&self, row: &str, column: &str) -> Result<Vec<(u32, Option<String>)>> {
        let mut select = vec![col(ITEM)];
        if self.by_school {
            select.push(col("school"));
        }
        let frame = self
            .frame
            .clone()
            .filter(col(ROW).eq(lit(row)).and(col(COLUMN).eq(lit(column))))
            .select(select)
            .sort([ITEM], SortMultipleOptions::default())
            .collect()?;
        let items = frame.column(ITEM)?.u32()?.clone();
        let schools = match self.by_school {
            true => Some(frame.column("school")?.str()?.clone()),
            false => None,
        };
        Ok((0..frame.height())
            .filter_map(|i| {
                let school = schools.as_ref().and_then(|s| s.get(i).map(str::to_string));
                items.get(i).map(|item| (item, school))
            })
            .collect())
    }
}

/// The items of `frame` in the cells (`row`, `column`); rows whose key expression gives an
/// empty text count in no cell. With `school`, the frame's `school` column is kept.
pub fn cells(frame: LazyFrame, row: Expr, column: Expr, school: bool) -> LazyFrame {
    let mut select = vec![
        col(ITEM),
        row.cast(DataType::String).alias(ROW),
        column.cast(DataType::String).alias(COLUMN),
    ];
    if school {
        select.push(col("school"));
    }
    frame
        .select(select)
        .filter(col(ROW).neq(lit("")).and(col(COLUMN).neq(lit(""))))
}

/// The items of several groups of cells as one frame.
pub fn together(parts: Vec<LazyFrame>) -> Result<LazyFrame> {
    Ok(concat(parts, UnionArgs::default())?)
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

/// Rows whose `column` is one of `values`.
pub fn one_of(column: &str, values: &[String]) -> Expr {
    values.iter().fold(lit(false), |any, value| {
        any.or(col(column).eq(lit(value.as_str())))
    })
}
