//! Where a build spends its time, phase by phase (a profiling aid for `bench/`).
//!
//!     cargo run --release --example phases -- DATA_DIR [YEAR]
//!
//! Prints the wall time of reading, the frames, the appendices and the rendering; the build
//! itself (`oco-report build`) does the same work in the same order.

use std::time::Instant;

use oco_report::appendices::{self, Options};
use oco_report::render::templates::Templates;

/// The allocator of `src/main.rs`, so the phases are those of the build.
#[cfg(target_os = "linux")]
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prints a phase's line with the resident memory now and at its peak so far.
macro_rules! say {
    ($($arg:tt)*) => {{
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
                .map_or(0, |kb| kb / 1024)
        };
        // Minor page faults so far: field 10 of /proc/self/stat, after the command's name.
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let fields: Vec<u64> = stat
            .rsplit(')')
            .next()
            .map(|rest| rest.split_whitespace().map(|n| n.parse().unwrap_or(0)).collect())
            .unwrap_or_default();
        let faults = fields.get(7).copied().unwrap_or(0);
        // utime + stime, in clock ticks (1/100 s).
        let cpu = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
        eprintln!(
            "{:<50} rss {:>5} MiB, peak {:>5} MiB, faults {:>7}, cpu {:>5.2} s",
            format!($($arg)*),
            field("VmRSS:"),
            field("VmHWM:"),
            faults,
            cpu as f64 / 100.0
        );
    }};
}

fn main() -> anyhow::Result<()> {
    // As the build does.
    oco_report::build::no_transparent_huge_pages();
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "data".into());
    let year: i32 = args.next().map_or(Ok(2021), |y| y.parse())?;
    let dir = std::path::Path::new(&dir);
    if std::env::var_os("PHASES_DOSSIERS_ONLY").is_some() {
        // The dossier reader alone, five times: the best time.
        let config = oco_report::config::Config::load(dir)?;
        let scholen = oco_report::ingest::scholen::read(&dir.join("scholen.csv"), &config)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            // As a build reads it: into frames, part by part.
            let d = oco_report::ingest::dossiers::read_frames_split(
                &dir.join("dossiers.csv"),
                &config,
                &scholen,
                oco_report::ingest::reader_choice::ReaderChoice::of_this_run(),
                oco_report::ingest::dossiers::Split::per_core(),
            );
            best = best.min(t.elapsed().as_secs_f64());
            drop(d);
        }
        say!("dossiers (best of 5) {best:.3} s");
        return Ok(());
    }
    if std::env::var_os("PHASES_PAGEVIEWS_ONLY").is_some() {
        let config = oco_report::config::Config::load(dir)?;
        let mut best = f64::MAX;
        for _ in 0..5 {
            let t = Instant::now();
            let p = oco_report::ingest::pageviews::read_summed(&dir.join("pageviews.csv"), &config)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            best = best.min(t.elapsed().as_secs_f64());
            drop(p);
        }
        say!("pageviews (best of 5) {best:.3} s");
        return Ok(());
    }
    let t = Instant::now();
    let lap =
        |label: &str, since: Instant| say!("{label:<14} {:>7.3} s", since.elapsed().as_secs_f64());
    let t1 = Instant::now();
    let (data, frames) = oco_report::build::load_with_frames(dir)?;
    lap("load + frames", t1);
    if std::env::var_os("PHASES_SIZES").is_some() {
        // What each frame's columns hold, as polars estimates it.
        let f = &frames;
        for (name, frame) in [
            ("dossiers", &f.dossiers),
            ("themas", &f.themas),
            ("vragen", &f.vragen),
            ("diagnoses", &f.diagnoses),
            ("named", &f.named),
            ("scholen", &f.scholen),
        ] {
            let mib = |bytes: usize| bytes as f64 / (1 << 20) as f64;
            eprintln!(
                "{name}: {} rows, {:.1} MiB",
                frame.height(),
                mib(frame.estimated_size())
            );
            for c in frame.columns() {
                eprintln!(
                    "  {:<16} {:<8} {:>8.1} MiB",
                    c.name().as_str(),
                    c.dtype().to_string(),
                    mib(c.as_materialized_series().estimated_size())
                );
            }
        }
        return Ok(());
    }
    // The build's steps (`build::render_report`), one by one.
    for appendix in appendices::ALL {
        let (id, t1) = (appendix.id, Instant::now());
        appendices::compute_table_from(
            &data,
            &frames,
            year,
            appendix.tables[0].id,
            &Options::default(),
        )?;
        say!("  {id:<20} {:>7.3} s", t1.elapsed().as_secs_f64());
    }
    let t1 = Instant::now();
    let all = appendices::compute_all_from(&data, &frames, year, &Options::default())?;
    lap("appendices", t1);
    let t1 = Instant::now();
    let charts = oco_report::render::charts::render_all(&all, &data.pageviews)?;
    lap("charts", t1);
    let t1 = Instant::now();
    let templates = Templates::builtin();
    let mut parts = Vec::new();
    for appendix in &all {
        parts.push((
            appendix.id.clone(),
            templates.render_appendix(appendix, year)?,
        ));
    }
    let report = templates.render_report(year, &parts)?;
    lap("markdown", t1);
    let t1 = Instant::now();
    let _html = oco_report::render::html::report(&report, &charts);
    lap("html", t1);
    let t1 = Instant::now();
    let _json = oco_report::render::json::figures(year, &all);
    lap("json", t1);
    let t1 = Instant::now();
    let _xlsx = oco_report::render::xlsx::workbook(&all, year)?;
    lap("xlsx", t1);
    let t1 = Instant::now();
    let rendered = oco_report::build::render_from(
        &data,
        &frames,
        year,
        &templates,
        &Options::default(),
        None,
    )?;
    lap("render (all)", t1);
    let out = std::env::temp_dir().join(format!("oco-phases-{}", std::process::id()));
    let t1 = Instant::now();
    oco_report::build::write(&rendered, &out)?;
    lap("write", t1);
    std::fs::remove_dir_all(&out)?;
    lap("total", t);
    Ok(())
}
