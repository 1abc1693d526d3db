//! `oco-report build`: every appendix of a report year, written to one folder.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::appendices::{self, Options};
use crate::ingest::{self, DataSet};
use crate::render::templates::Templates;
use crate::render::{charts, html, xlsx};
use crate::table::Appendix;

/// The rendered report: file name → contents, in writing order.
pub struct Rendered {
    pub appendices: Vec<Appendix>,
    /// Text files: the markdown, `report.html`, `figures.json`, the SVG charts.
    pub files: Vec<(String, String)>,
    /// Binary files, written after `files`: the PNG charts and `tabellen.xlsx`.
    pub binaries: Vec<(String, Vec<u8>)>,
}

/// Loads and validates the data folder; the error lists every problem found.
pub fn load(data_dir: &Path) -> Result<DataSet> {
    ingest::load(data_dir).map_err(|errors| {
        anyhow::anyhow!(
            "the data in {} does not meet the input contract (docs/inputs.md):\n{errors}",
            data_dir.display()
        )
    })
}

/// Computes and renders every appendix of `year`: one markdown file per appendix, the combined
/// `report.md`, `report.html` (self-contained, charts inlined), `figures.json`, every chart
/// as SVG and PNG, and `tabellen.xlsx`.
pub fn render(
    data: &DataSet,
    year: i32,
    templates: &Templates,
    options: &Options,
) -> Result<Rendered> {
    let appendices = appendices::compute_all(data, year, options)?;
    let charts = charts::render_all(&appendices, &data.pageviews)?;
    let mut files = Vec::new();
    let mut parts = Vec::new();
    for appendix in &appendices {
        let markdown = templates.render_appendix(appendix, year)?;
        files.push((format!("{}.md", appendix.id), markdown.clone()));
        parts.push((appendix.id.clone(), markdown));
    }
    let report = templates.render_report(year, &parts)?;
    let report_html = html::report(&report, &charts);
    files.push(("report.md".to_string(), report));
    files.push(("report.html".to_string(), report_html));
    files.push((
        "figures.json".to_string(),
        crate::render::json::figures(year, &appendices),
    ));
    let mut binaries = Vec::new();
    for chart in charts {
        let (png, svg) = (chart.png_name(), chart.svg_name());
        binaries.push((png, chart.png));
        files.push((svg, chart.svg));
    }
    binaries.push((
        "tabellen.xlsx".to_string(),
        xlsx::workbook(&appendices, year)?,
    ));
    Ok(Rendered {
        appendices,
        files,
        binaries,
    })
}

/// Writes the rendered files into `out_dir` (created if needed) and returns their paths.
pub fn write(rendered: &Rendered, out_dir: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out_dir)
        .with_context(|| format!("cannot create the output folder {}", out_dir.display()))?;
    let mut written = Vec::new();
    let text = rendered.files.iter().map(|(n, c)| (n, c.as_bytes()));
    let binary = rendered.binaries.iter().map(|(n, c)| (n, c.as_slice()));
    for (name, contents) in text.chain(binary) {
        let path = out_dir.join(name);
        std::fs::write(&path, contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
    }
    Ok(written)
}
