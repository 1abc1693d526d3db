//! oco-report: the appendices of OCO's yearly subsidy progress report, computed from the raw
//! exports.
//!
//! The pipeline, one module layer each:
//! - [`model`] holds the domain types a data folder is read into;
//! - [`ingest`] reads and validates the exports into typed rows (one module per export);
//! - [`frames`] turns those rows into polars data frames;
//! - [`appendices`] computes the report tables from them (one module per appendix);
//! - [`render`] turns report tables into markdown, CSV and JSON;
//! - [`build`] runs the whole pipeline for a report year and writes the output folder;
//! - [`figures`] is `figures.json`, the one type `build` writes and `check` and `explain` read;
//! - [`check`] holds a report year's figures to last year's report and to the subsidy targets;
//! - [`explain`] traces one figure to its rule and the dossiers it counts;
//! - [`validate`] reports every problem of a data folder, with row counts per file;
//! - [`registry`] imports the school registry and pupil counts from DUO and the Inspectie.

pub mod appendices;
pub mod build;
pub mod check;
pub mod config;
pub mod coverage;
pub mod explain;
pub mod figures;
pub mod frames;
pub mod ingest;
pub mod memory;
pub mod model;
pub mod parallel;
pub mod period;
pub mod registry;
pub mod render;
pub mod table;
pub mod validate;
