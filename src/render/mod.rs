//! Rendering report tables: markdown for the report, CSV and JSON for machines, and the prose
//! around the tables from the templates in `report-templates/`; charts (SVG, PNG), the
//! self-contained `report.html`, `report.docx`, `report.pdf` and the Excel workbook
//! `tabellen.xlsx` for readers.
//!
//! Numbers print the Dutch way in the report (`1.414`, `0,9`) and plain in machine formats
//! (`1414`, `0.9`); see [`number`].

pub mod charts;
pub mod csv;
pub mod docx;
pub mod html;
pub mod json;
pub mod markdown;
pub mod number;
pub mod pdf;
pub mod small_cells;
pub mod templates;
pub mod xlsx;

pub use number::{getal, plain_tiendes, tiendes};
pub use templates::Templates;
