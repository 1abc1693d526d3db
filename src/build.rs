//! `oco-report build`: every appendix of a report year, written to one folder.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::appendices::{self, Options};
use crate::frames::Frames;
use crate::ingest;
use crate::model::DataSet;
use crate::render::templates::Templates;
use crate::render::{charts, docx, html, pdf, xlsx};
use crate::table::Appendix;

mod write;

/// The rendered report: file name → contents, in writing order.
pub struct Rendered {
    pub appendices: Vec<Appendix>,
    /// Text files: the markdown, `report.html`, `figures.json`, the SVG charts; the working
    /// material under `intern/` (see [`internal_appendices`]).
    pub files: Vec<(String, String)>,
    /// Binary files, written after `files`: `report.docx`, the PNG charts, `tabellen.xlsx`,
    /// and `report.pdf` once [`add_pdf`] printed it.
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
    ingest::load(data_dir).map_err(|errors| refused(data_dir, errors))
}

/// The error of data that does not meet the input contract.
fn refused(data_dir: &Path, errors: ingest::InputErrors) -> anyhow::Error {
    anyhow::anyhow!(
        "the data in {dir} does not meet the input contract (docs/inputs.md):\n{errors}\n\
         Nothing was computed. Run `oco-report validate --data {dir}` to see every problem, \
         with the rows read, used and rejected per file.",
        dir = data_dir.display()
    )
}

/// Loads and validates only the exports named in `files` (see [`ingest::subset::load_files`]),
/// refusing data with any problem as [`load`] does.
pub fn load_files(data_dir: &Path, files: &[&str]) -> Result<DataSet> {
    ingest::subset::load_files(data_dir, files).map_err(|errors| refused(data_dir, errors))
}

/// What `table` and `explain` compute one table from: the exports table `table_id` is computed
/// from (only those, see [`appendices::table_inputs`]), read and validated, and their frames;
/// with the refusal when those exports have no row in `year`'s school year (see
/// [`crate::coverage::Coverage::refusal`]), which the caller prints unless told to go on.
pub struct TableInputs {
    pub data: DataSet,
    pub frames: Frames,
    pub refusal: Option<String>,
}

/// Loads [`TableInputs`] for table `table_id` of `year` from `data_dir`.
pub fn load_table_inputs(data_dir: &Path, table_id: &str, year: i32) -> Result<TableInputs> {
    let inputs = appendices::table_inputs(table_id);
    let data = load_files(data_dir, &inputs)?;
    let dated: Vec<&str> = inputs
        .into_iter()
        .filter(|f| crate::coverage::ALL_EXPORTS.contains(f))
        .collect();
    let frames = Frames::new(&data)?;
    let refusal = frames.coverage.refusal(year, &dated);
    Ok(TableInputs {
        data,
        frames,
        refusal,
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

/// [`load`] for a build: the data and its frames, without its list of dossiers. The
/// appendices read the dossiers from the frames only (see [`appendices::compute_all_from`]);
/// the fast path puts them into frames part by part and never makes the list (see
/// [`ingest::load_framed`]), and when the careful reader made one, it is dropped once the
/// frames are made: at a million dossiers its 200 MB are better reused for what comes than
/// left while fresh memory is touched.
pub fn load_with_frames(data_dir: &Path) -> Result<(DataSet, Frames)> {
    let (mut data, dossier_frames) =
        ingest::load_framed(data_dir).map_err(|errors| refused(data_dir, errors))?;
    let frames = match dossier_frames {
        Some(dossier_frames) => Frames::with_dossier_frames(&data, dossier_frames)?,
        None => Frames::new(&data)?,
    };
    drop(std::mem::take(&mut data.dossiers));
    Ok((data, frames))
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
    render_report(data, frames, year, templates, options, min_cell, false)
}

/// The folder of the output folder for working material that is not to be published (see
/// [`internal_appendices`]); the only folder `build` writes into.
pub const INTERN: &str = "intern";

/// The appendices that are working material, not for the public report (their definitions
/// say so): the data-quality list holds school names as typed in the CRM, which can carry
/// anything (a child's name, a phone number). They are written to `intern/` only, and never
/// into `report.md`, `report.html`, `report.docx`, `report.pdf`, `tabellen.xlsx` or
/// `figures.json`.
pub fn internal_appendices() -> impl Iterator<Item = &'static str> {
    appendices::ALL.iter().filter(|a| a.internal).map(|a| a.id)
}

/// Whether an appendix is working material (see [`internal_appendices`]).
pub fn is_internal(appendix_id: &str) -> bool {
    internal_appendices().any(|id| id == appendix_id)
}

/// [`render_from`]; with `met_intern` also the report with the working material for
/// internal reading, as `intern/report.md`, `intern/report.html` and `intern/report.docx`
/// (the public report stays without it).
pub fn render_report(
    data: &DataSet,
    frames: &Frames,
    year: i32,
    templates: &Templates,
    options: &Options,
    min_cell: Option<u32>,
    met_intern: bool,
) -> Result<Rendered> {
    let mut appendices = appendices::compute_all_from(data, frames, year, options)?;
    if let Some(min) = min_cell {
        crate::render::small_cells::suppress_all(&mut appendices, min);
    }
    let public: Vec<Appendix> = appendices
        .iter()
        .filter(|a| !is_internal(&a.id))
        .cloned()
        .collect();
    let charts = charts::render_all(&public, &data.pageviews)?;
    let mut files = Vec::new();
    let mut binaries = Vec::new();
    let mut public_parts = Vec::new();
    let mut all_parts = Vec::new();
    for appendix in &appendices {
        let markdown = templates.render_appendix(appendix, year)?;
        if is_internal(&appendix.id) {
            files.push((format!("{INTERN}/{}.md", appendix.id), markdown.clone()));
        } else {
            files.push((format!("{}.md", appendix.id), markdown.clone()));
            public_parts.push((appendix.id.clone(), markdown.clone()));
        }
        all_parts.push((appendix.id.clone(), markdown));
    }
    let mut readable = |prefix: &str, parts: &[(String, String)], intern: bool| -> Result<()> {
        let report = templates.render_report_for(year, parts, intern)?;
        let title = report_title(&report);
        let docx = docx::report(
            &report,
            &charts,
            &docx::Properties {
                title: &title,
                year,
                description: crate::render::COLOPHON,
            },
        )?;
        files.push((
            format!("{prefix}report.html"),
            html::report(&report, &charts),
        ));
        files.push((format!("{prefix}report.md"), report));
        binaries.push((format!("{prefix}report.docx"), docx));
        Ok(())
    };
    readable("", &public_parts, false)?;
    if met_intern {
        readable(&format!("{INTERN}/"), &all_parts, true)?;
    }
    files.push((
        "figures.json".to_string(),
        crate::render::json::figures(year, &public),
    ));
    for chart in charts {
        let (png, svg) = (chart.png_name(), chart.svg_name());
        binaries.push((png, chart.png));
        files.push((svg, chart.svg));
    }
    binaries.push(("tabellen.xlsx".to_string(), xlsx::workbook(&public, year)?));
    Ok(Rendered {
        appendices,
        files,
        binaries,
    })
}

/// Working material that an earlier version of `build` wrote beside the public report
/// (`datakwaliteit.md`, now in `intern/`): `build` never deletes what it did not write, so
/// these stay in `out_dir` until someone removes them.
pub fn working_material_left_beside(out_dir: &Path) -> Vec<PathBuf> {
    internal_appendices()
        .map(|id| out_dir.join(format!("{id}.md")))
        .filter(|path| path.is_file())
        .collect()
}

/// The report's `# ` heading.
fn report_title(report: &str) -> String {
    report
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(str::trim)
        .unwrap_or("Tussentijds verslag OCO")
        .to_string()
}

/// Adds `report.pdf` (and `intern/report.pdf` beside an `intern/report.html`), printed from
/// the rendered `report.html` by `engine` (see [`crate::render::pdf`]).
pub fn add_pdf(rendered: &mut Rendered, engine: &pdf::Engine, year: i32) -> Result<()> {
    let mut pdfs = Vec::new();
    for (name, html) in &rendered.files {
        if let Some(prefix) = name.strip_suffix("report.html") {
            let bytes = engine
                .print_report(html, year)
                .with_context(|| format!("printing {name} to PDF"))?;
            pdfs.push((format!("{prefix}report.pdf"), bytes));
        }
    }
    rendered.binaries.extend(pdfs);
    Ok(())
}

/// Writes the rendered files into `out_dir` (created if needed) and returns their paths.
///
/// All or nothing, whatever happens (see `write::write_superseding`):
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

/// [`write()`], calling `step` before every operation on the file system with what is about to
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
    write::write_superseding(&files, WRITTEN_BY_SOME_BUILDS, out_dir, step)
}

/// Files that `build` writes only with `--pdf` or `--met-intern`: a build without them does
/// not carry an earlier build's copies over (a `report.pdf` with last month's figures beside
/// this build's `report.docx` would be a mixed report).
pub const WRITTEN_BY_SOME_BUILDS: &[&str] = &[
    "report.pdf",
    "intern/report.md",
    "intern/report.html",
    "intern/report.docx",
    "intern/report.pdf",
];
