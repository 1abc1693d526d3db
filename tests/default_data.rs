//! The default data set in `data/`: the seeded generator rewrites it byte for byte, and the
//! report years before 2021 build from it too.
//!
//! (That two builds of 2021 write identical bytes is checked in `tests/published_2021.rs`.)

use std::path::Path;
use std::process::Command;

mod common;

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// File names in a folder, sorted.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `cargo run [--release] --example generate_default -- --out DIR` writes exactly the files of
/// `data/`, byte for byte. The example runs in the profile this test was built in, so that it
/// reuses the library already compiled for the tests.
#[test]
fn generator_rewrites_data_byte_for_byte() {
    let out = common::temp_dir("oco-default-data", "generated");
    let mut args = vec!["run", "--quiet"];
    if !cfg!(debug_assertions) {
        args.push("--release");
    }
    args.extend(["--example", "generate_default", "--", "--out"]);
    args.push(out.to_str().expect("UTF-8 temp path"));
    let run = Command::new(env!("CARGO"))
        .args(&args)
        .current_dir(manifest_dir())
        .output()
        .expect("cargo runs");
    assert!(
        run.status.success(),
        "cargo {} failed ({}):\n{}",
        args.join(" "),
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );

    let data = manifest_dir().join("data");
    let shipped = file_names(&data);
    assert!(
        shipped.len() >= 7 && shipped.iter().any(|n| n == "dossiers.csv"),
        "data/ holds {shipped:?}"
    );
    assert_eq!(
        file_names(&out),
        shipped,
        "the generator writes exactly the files of data/"
    );
    for name in &shipped {
        let want = std::fs::read(data.join(name)).unwrap();
        let got = std::fs::read(out.join(name)).unwrap();
        if want != got {
            let at = want
                .iter()
                .zip(&got)
                .position(|(a, b)| a != b)
                .unwrap_or(want.len().min(got.len()));
            let line = 1 + want[..at].iter().filter(|&&b| b == b'\n').count();
            panic!(
                "data/{name} differs from the regenerated file from byte {at} (line {line}); \
                 sizes {} and {}. Regenerate with \
                 `cargo run --release --example generate_default -- --out data`, or fix the \
                 generator.",
                want.len(),
                got.len()
            );
        }
    }
    std::fs::remove_dir_all(&out).ok();
}

/// Report years 2020 and 2019 build from the default data, with the same files as 2021.
#[test]
fn earlier_report_years_build() {
    for year in ["2020", "2019"] {
        let out = common::temp_dir("oco-default-data", &format!("build-{year}"));
        let run = common::oco_report(&["build", year, "--out", out.to_str().unwrap()]);
        common::succeeded(&run, &format!("build {year}"));
        let names = file_names(&out);
        for expected in [
            "report.md",
            "figures.json",
            "stadsdelen.md",
            "helpdesk.md",
            "voorlichtingen.md",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "build {year}: no {expected} in {names:?}"
            );
        }
        for name in &names {
            let len = std::fs::metadata(out.join(name)).unwrap().len();
            assert!(len > 0, "build {year}: {name} is empty");
        }
        let figures: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("figures.json")).unwrap())
                .unwrap();
        assert_eq!(figures["year"].to_string(), year);
        std::fs::remove_dir_all(&out).ok();
    }
}
