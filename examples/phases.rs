//! Where a build spends its time, phase by phase (a profiling aid for `bench/`).
//!
//!     cargo run --release --example phases -- DATA_DIR [YEAR]
//!
//! Prints the wall time of reading, the frames, the appendices and the rendering; the build
//! itself (`oco-report build`) does the same work in the same order.

use std::time::Instant;

use oco_report::appendices::{self, Options};
use oco_report::frames::Frames;
use oco_report::render::templates::Templates;

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
        eprintln!(
            "{:<60} rss {:>5} MiB, peak {:>5} MiB",
            format!($($arg)*),
            field("VmRSS:"),
            field("VmHWM:")
        );
    }};
}

fn main() -> anyhow::Result<()> {
    // As the build does (see `no_transparent_huge_pages` in src/main.rs).
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "data".into());
    let year: i32 = args.next().map_or(Ok(2021), |y| y.parse())?;
    let dir = std::path::Path::new(&dir);
    let t = Instant::now();
    let config = oco_report::config::Config::load(dir)?;
    let scholen = oco_report::ingest::scholen::read(&dir.join("scholen.csv"), &config)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    say!("scholen        {:>7.3} s", t.elapsed().as_secs_f64());
    let t1 = Instant::now();
    let dossiers = oco_report::ingest::dossiers::read(&dir.join("dossiers.csv"), &config, &scholen)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    say!(
        "dossiers       {:>7.3} s ({} rows)",
        t1.elapsed().as_secs_f64(),
        dossiers.len()
    );
    drop(dossiers);
    let t1 = Instant::now();
    let data = oco_report::build::load(dir)?;
    say!("load (all)     {:>7.3} s", t1.elapsed().as_secs_f64());
    let t1 = Instant::now();
    let frames = Frames::new(&data)?;
    say!("frames         {:>7.3} s", t1.elapsed().as_secs_f64());
    drop(frames);
    // Each appendix on its own (its first table; the frames made again each time).
    for (id, tables, _) in appendices::APPENDICES {
        let t1 = Instant::now();
        appendices::compute_table(&data, year, tables[0], &Options::default())?;
        say!(
            "  {id:<20} {:>7.3} s (frames included)",
            t1.elapsed().as_secs_f64()
        );
    }
    let t1 = Instant::now();
    let all = appendices::compute_all(&data, year, &Options::default())?;
    say!(
        "appendices     {:>7.3} s (frames included)",
        t1.elapsed().as_secs_f64()
    );
    drop(all);
    let t1 = Instant::now();
    let rendered =
        oco_report::build::render(&data, year, &Templates::builtin(), &Options::default())?;
    say!(
        "render (all)   {:>7.3} s (appendices included)",
        t1.elapsed().as_secs_f64()
    );
    let out = std::env::temp_dir().join(format!("oco-phases-{}", std::process::id()));
    let t1 = Instant::now();
    oco_report::build::write(&rendered, &out)?;
    say!("write          {:>7.3} s", t1.elapsed().as_secs_f64());
    std::fs::remove_dir_all(&out)?;
    say!("total          {:>7.3} s", t.elapsed().as_secs_f64());
    Ok(())
}
