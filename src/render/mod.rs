//! Rendering report tables: markdown for the report, CSV and JSON for machines, and the prose
//! around the tables from the templates in `report-templates/`.
//!
//! Numbers print the Dutch way in the report (`1.414`, `0,9`) and plain in machine formats
//! (`1414`, `0.9`); see [`number`].

pub mod csv;
pub mod json;
pub mod markdown;
pub mod number;
pub mod templates;

pub use number::{getal, plain_tiendes, tiendes};
pub use templates::Templates;
