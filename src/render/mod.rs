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

/// How the report was made: in the documents' metadata (`report.html`'s description,
/// `report.docx`'s properties), not in their text.
pub const COLOPHON: &str = "Gemaakt met oco-report: elk cijfer is berekend uit de exports van \
     het CRM van de helpdesk, de voorlichtingsagenda, de websitestatistieken en de registers \
     van scholen en leerlingaantallen.";
pub use templates::Templates;
