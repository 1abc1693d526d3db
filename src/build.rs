//! `oco-report build`: every appendix of a report year, written to one folder.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::appendices::{self, Options};
use crate::frames::Frames;
use crate::ingest::{self, DataSet};
use crate::render::templates::Templates;
use crate::render::{charts, html, xlsx};
use crate::table::Appendix;

mod write;

/// The rendered report: file name → contents, in writing order.
pub struct Rendered {
    pub appendices: Vec<Appendix>,
    /// Text files: the markdown, `report.html`, `figures.json`, the SVG charts.
    pub files: Vec<(String, String)>,
    /// Binary files, written after `files`: the PNG charts and `tabellen.xlsx`.
    pub binaries: Vec<(String, Vec<u8>)>,
}

/// Asks Linux not to back this process's memory with transparent huge pages; first thing in
/// `main`. mimalloc asks for them, and where the system grants them on request (`defrag =
/// madvise`, a common default) a page fault can wait for the kernel to compact memory: a build
/// of a million dossiers took 1,5 to 2,6 s from one run to the next, against a steady 1,7 s
/// with ordinary pages (see `bench/RESULTS.md`). The same advice databases such as Redis give.
pub fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and touches no memory of ours; a kernel
    // without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Loads and validates the data folder; data with any problem is refused, the error lists the
/// problems (the first 50) and says to run `oco-report validate` for all of them.
pub fn load(data_dir: &Path) -> Result<DataSet> {
    ingest::load(data_dir).map_err(|errors| {
        anyhow::anyhow!(
            "the data in {dir} does not meet the input contract (docs/inputs.md):\n{errors}\n\
             Nothing was computed. Run `oco-report validate --data {dir}` to see every problem, \
             with the rows read, used and rejected per file.",
            dir = data_dir.display()
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
    render_with_min_cell(data, year, templates, options, None)
}

/// [`render`], with the counts below `min_cell` hidden in every output, charts included (see
/// [`crate::render::small_cells`]); `None` hides nothing.
pub fn render_with_min_cell(
    data: &DataSet,
    year: i32,
    templates: &Templates,
    options: &Options,
    min_cell: Option<u32>,
) -> Result<Rendered> {
    render_from(
        data,
        &Frames::new(data)?,
        year,
        templates,
        options,
        min_cell,
    )
}

/// The frames of `data`, its dossiers then dropped: the appendices read the dossiers from the
/// frames only (see [`appendices::compute_all_from`]), and at a million dossiers their few
/// hundred megabytes are better reused for what comes than left while fresh memory is touched.
/// For [`render_from`].
pub fn frames_letting_go_of_dossiers(data: &mut DataSet) -> Result<Frames> {
    let frames = Frames::new(data)?;
    drop(std::mem::take(&mut data.dossiers));
    Ok(frames)
}

/// [`render_with_min_cell`] from frames made before (see [`appendices::compute_all_from`]).
pub fn render_from(
    data: &DataSet,
    frames: &Frames,
    year: i32,
    templates: &Templates,
    options: &Options,
    min_cell: Option<u32>,
) -> Result<Rendered> {
    let mut appendices = appendices::compute_all_from(data, frames, year, options)?;
    if let Some(min) = min_cell {
        crate::render::small_cells::suppress_all(&mut appendices, min);
    }
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
///
/// All or nothing, whatever happens (see [`write::write_observed`]):
///
/// - Every file is first written (and synced) into a sibling folder, `OUT.tmp-PID`, that this
///   build holds a lock on. Until all of them are written, `out_dir` is not touched: a build
///   that fails, is killed or fills the disk leaves the previous report as it was.
/// - Everything in the previous `out_dir` that this build does not write, such as a user's
///   notes (also inside `intern/`), is carried into the new folder: `build` never deletes
///   anything it did not write.
/// - The new folder then takes the place of the old one in one step (`renameat2` with
///   `RENAME_EXCHANGE` on Linux), and the old one is removed. The folder of a killed build
///   is removed by the next build into the same folder.
///
/// File names come from fixed ids in the code (appendix and chart ids, `report.md`,
/// `figures.json`, `tabellen.xlsx`), never from the data; each is checked to be a plain file
/// name or one folder and a plain file name (`intern/NAME`), so no name can point outside
/// `out_dir`.
pub fn write(rendered: &Rendered, out_dir: &Path) -> Result<Vec<PathBuf>> {
    write_observed(rendered, out_dir, &mut |_| {})
}

/// [`write`], calling `step` before every operation on the file system with what is about to
/// happen (for tests that stop a build there).
pub fn write_observed(
    rendered: &Rendered,
    out_dir: &Path,
    step: &mut dyn FnMut(&str),
) -> Result<Vec<PathBuf>> {
    let text = rendered
        .files
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_bytes()));
    let binary = rendered
        .binaries
        .iter()
        .map(|(n, c)| (n.as_str(), c.as_slice()));
    let files: Vec<(&str, &[u8])> = text.chain(binary).collect();
    write::write_observed(&files, out_dir, step)
}
