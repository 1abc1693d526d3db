//! `oco-report check` through the command line: the default data against its own 2020
//! report, edited data, broken figures, missed targets and unusable baselines. Each test works
//! in its own temporary folder and builds what it needs (a build takes a tenth of a second).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::oco_report as run;

use serde_json::Value as Json;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary folder, removed when dropped.
struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir =
            std::env::temp_dir().join(format!("oco-report-check-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        Temp(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }

    fn arg(&self, name: &str) -> String {
        self.path(name).display().to_string()
    }

    /// A copy of the default data folder, to edit.
    fn data(&self) -> PathBuf {
        let to = self.path("data");
        fs::create_dir_all(&to).unwrap();
        for entry in fs::read_dir(root().join("data")).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
        to
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited")
}

/// `build YEAR` of the default data into `tmp/outYEAR`; returns the path of its figures.json.
fn build(tmp: &Temp, year: i32) -> String {
    let out_dir = tmp.arg(&format!("out{year}"));
    let out = run(&["build", &year.to_string(), "--out", &out_dir]);
    assert_eq!(code(&out), 0, "build {year}: {}", stderr(&out));
    tmp.arg(&format!("out{year}/figures.json"))
}

fn check(baseline: &str, extra: &[&str]) -> Output {
    let mut args = vec!["check", "2021", "--baseline", baseline];
    args.extend_from_slice(extra);
    run(&args)
}

#[test]
fn check_2021_against_the_2020_report_of_the_default_data_passes() {
    let tmp = Temp::new("passes");
    let baseline = build(&tmp, 2020);
    let out = check(&baseline, &[]);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}{}", stderr(&out));
    assert!(!text.contains("FAIL"), "{text}");
    for line in [
        "  ok    voorlichtingen-stadsdeel: 36 figures of 2018, 2019, 2020 as in the 2020 report",
        "  ok    helpdesk-sectoren: 28 figures of 2018-2019, 2019-2020 as in the 2020 report",
        "  ok    websitebezoek: 3 figures of 2017-2018, 2018-2019, 2019-2020 as in the 2020 report",
        "  skip  schoolweging: no period in common (the 2020 report: 2016-2017 t/m 2019-2020)",
        "  ok    stadsdelen: 8 figures of 2019-2020 as in the 2020 report",
        "  ok    voorlichtingen-stadsdeel: Totaal is the sum of the rows",
        "  ok    dossiers 2020-2021: 1.414 in sectoren, helpdesk-sectoren / Totaal / 2020-2021, helpdesk, passend-onderwijs",
        "  ok    every category of the 2020 report is still there",
        "  behaald       Unieke paginaweergaven ≥ 1.500.000: 1.514.962 in 2020-2021",
        "  niet behaald  Dossiers ≥ 1.500: 1.414 in 2020-2021",
        "  behaald       Voorlichtingen in Nieuw-West ≥ vorig jaar: 16 in 2021, 14 in 2020",
        "  niet behaald  Voorlichtingen in Noord ≥ vorig jaar: 7 in 2021, 13 in 2020",
        "  behaald       Voorlichtingen in Zuidoost ≥ vorig jaar: 14 in 2021, 12 in 2020",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("passed: "), "{summary}");
    assert!(summary.contains(" 0 failed, "), "{summary}");
    assert!(
        summary.ends_with("targets 2021: 6 behaald, 2 niet behaald, 0 onbekend"),
        "{summary}"
    );

    // The same as JSON, for machines.
    let out = check(&baseline, &["--format", "json"]);
    assert_eq!(code(&out), 0);
    let json: Json = serde_json::from_str(&stdout(&out)).expect("JSON on stdout");
    assert_eq!(json["passed"], true);
    assert_eq!(json["exit_code"], 0);
    assert_eq!(json["baseline"]["year"], 2020);
    assert_eq!(json["summary"]["failed"], 0);
    let dossiers = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "dossiers")
        .expect("dossiers target");
    assert_eq!(dossiers["value"], 1414);
    assert_eq!(dossiers["norm"], 1500);
    assert_eq!(dossiers["period"], "2020-2021");
    assert_eq!(dossiers["result"], "niet behaald");
    assert!(
        json["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] != "fail")
    );
}

#[test]
fn an_edited_2020_voorlichting_is_a_restatement() {
    let tmp = Temp::new("restated");
    let baseline = build(&tmp, 2020);
    let data = tmp.data();
    // Move one held 2020 session from Oost to West.
    let file = data.join("voorlichtingen.csv");
    let text = fs::read_to_string(&file).unwrap();
    let mut moved = false;
    let edited: Vec<String> = text
        .lines()
        .map(|line| {
            if !moved && line.contains("-2020;Oost;") && line.contains(";uitgevoerd;") {
                moved = true;
                line.replacen(";Oost;", ";West;", 1)
            } else {
                line.to_string()
            }
        })
        .collect();
    assert!(moved, "no 2020 session in Oost to edit");
    fs::write(&file, edited.join("\n") + "\n").unwrap();

    let data_arg = data.display().to_string();
    let out = check(&baseline, &["--data", &data_arg]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}{}", stderr(&out));
    assert!(
        text.contains(
            "  FAIL  voorlichtingen-stadsdeel / Oost / 2020: 25 in the 2020 report, 24 now"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  FAIL  voorlichtingen-stadsdeel / West / 2020: 19 in the 2020 report, 20 now"
        ),
        "{text}"
    );
    assert!(
        text.lines().last().unwrap().starts_with("FAILED: "),
        "{text}"
    );

    let out = check(&baseline, &["--data", &data_arg, "--format", "json"]);
    assert_eq!(code(&out), 1);
    let json: Json = serde_json::from_str(&stdout(&out)).unwrap();
    let failed: Vec<&Json> = json["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .collect();
    assert_eq!(failed.len(), 2, "{failed:#?}");
    let oost = failed[0];
    assert_eq!(oost["group"], "restatements");
    assert_eq!(oost["table"], "voorlichtingen-stadsdeel");
    assert_eq!(oost["row"], "Oost");
    assert_eq!(oost["column"], "2020");
    assert_eq!(oost["period"], "2020");
    assert_eq!(
        (oost["old"].clone(), oost["new"].clone()),
        (25.into(), 24.into())
    );
}

#[test]
fn a_broken_total_in_the_checked_figures_fails() {
    let tmp = Temp::new("total");
    let baseline = build(&tmp, 2020);
    let published = build(&tmp, 2021);
    // The published file itself passes, as the computed figures do.
    let out = check(&baseline, &["--figures", &published]);
    assert_eq!(code(&out), 0, "{}{}", stdout(&out), stderr(&out));

    let mut json: Json = serde_json::from_str(&fs::read_to_string(&published).unwrap()).unwrap();
    let tables = json["appendices"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|a| a["tables"].as_array_mut().unwrap().iter_mut());
    let mut edited = false;
    for table in tables {
        if table["id"] == "voorlichtingen-stadsdeel" {
            for row in table["rows"].as_array_mut().unwrap() {
                if row["key"] == "Totaal" {
                    assert_eq!(row["values"]["2021"], 85);
                    row["values"]["2021"] = 86.into();
                    edited = true;
                }
            }
        }
    }
    assert!(edited);
    let broken = tmp.arg("broken.json");
    fs::write(&broken, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let out = check(&baseline, &["--figures", &broken]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}{}", stderr(&out));
    assert!(
        text.contains(
            "  FAIL  voorlichtingen-stadsdeel / Totaal / 2021: total 86, but its rows add up to 85"
        ),
        "{text}"
    );
    assert!(
        text.contains("  FAIL  voorlichtingen 2021 differs: 86 in voorlichtingen-stadsdeel / Totaal, 85 in voorlichtingen-thema / Totaal"),
        "{text}"
    );
}

#[test]
fn a_missed_target_is_reported_and_fails_only_under_strict() {
    let tmp = Temp::new("targets");
    let baseline = build(&tmp, 2020);
    let data = tmp.data();
    let data_arg = data.display().to_string();
    let settings = data.join("oco-report.toml");
    let mut toml = fs::read_to_string(&settings).unwrap();
    // No figure is large enough for its change to be judged: only the targets can fail under
    // --strict.
    toml.push_str("\n[check]\nminimum = 100000000\n");
    fs::write(&settings, &toml).unwrap();

    let out = check(&baseline, &["--data", &data_arg]);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}{}", stderr(&out));
    assert!(
        text.contains("  niet behaald  Dossiers ≥ 1.500: 1.414 in 2020-2021"),
        "{text}"
    );
    assert!(text.contains(" 0 warnings, "), "{text}");

    let out = check(&baseline, &["--data", &data_arg, "--strict"]);
    let text = stdout(&out);
    assert_eq!(code(&out), 1, "{text}");
    assert!(!text.contains("FAIL "), "only targets fail:\n{text}");
    let summary = text.lines().last().unwrap();
    assert!(summary.starts_with("FAILED (--strict): "), "{summary}");
    assert!(summary.contains("2 niet behaald"), "{summary}");

    // Targets of 2021 that the data meet: --strict passes.
    toml.push_str(
        "\n[doelen.2021]\npaginaweergaven = 1500000\ndossiers = 1400\n\
         voorlichtingen_stadsdelen = [\"Nieuw-West\", \"Zuidoost\"]\n",
    );
    fs::write(&settings, &toml).unwrap();
    let out = check(&baseline, &["--data", &data_arg, "--strict"]);
    let text = stdout(&out);
    assert_eq!(code(&out), 0, "{text}{}", stderr(&out));
    assert!(
        text.contains("  behaald       Dossiers ≥ 1.400: 1.414 in 2020-2021"),
        "{text}"
    );
    assert!(
        text.ends_with("targets 2021: 4 behaald, 0 niet behaald, 0 onbekend\n"),
        "{text}"
    );
}

#[test]
fn a_malformed_baseline_is_an_input_error() {
    let tmp = Temp::new("malformed");
    let truncated = tmp.arg("truncated.json");
    fs::write(&truncated, "{\"year\": 2020, \"appendices\": [\n").unwrap();
    let out = check(&truncated, &[]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains(&truncated), "{err}");
    assert!(
        err.contains("is not a figures.json as `oco-report build` writes it: invalid JSON"),
        "{err}"
    );

    let shapeless = tmp.arg("shapeless.json");
    fs::write(
        &shapeless,
        "{\"year\": 2020, \"appendices\": [{\"id\": \"x\"}]}",
    )
    .unwrap();
    let out = check(&shapeless, &[]);
    assert_eq!(code(&out), 2);
    let err = stderr(&out);
    assert!(err.contains(&shapeless), "{err}");
    assert!(
        err.contains("missing field `tables` at line 1 column"),
        "{err}"
    );

    // For machines, the error also comes as JSON on stdout.
    let out = check(&shapeless, &["--format", "json"]);
    assert_eq!(code(&out), 2);
    let json: Json = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["exit_code"], 2);
    assert!(
        json["error"]
            .as_str()
            .unwrap()
            .contains("missing field `tables`")
    );

    let out = check(&tmp.arg("missing.json"), &[]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));

    // The baseline must be an earlier report.
    let same_year = build(&tmp, 2021);
    let out = check(&same_year, &[]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("holds the figures of report year 2021; check 2021 needs"),
        "{}",
        stderr(&out)
    );

    // No baseline at all is a usage error.
    let out = run(&["check", "2021"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn the_scorecard_is_an_appendix_of_build_and_earlier_years_build() {
    let tmp = Temp::new("appendix");
    build(&tmp, 2021);
    let doelen = fs::read_to_string(tmp.path("out2021/doelen.md")).unwrap();
    assert!(
        doelen.starts_with("## Bijlage – Subsidiedoelen\n"),
        "{doelen}"
    );
    assert!(
        doelen.contains("Van de 8 doelen zijn er 6 behaald en 2 niet"),
        "{doelen}"
    );
    assert!(
        doelen.contains("| Voorlichtingen in Noord ≥ vorig jaar"),
        "{doelen}"
    );
    let report = fs::read_to_string(tmp.path("out2021/report.md")).unwrap();
    assert!(report.contains("Bijlage – Subsidiedoelen"));

    let out = run(&["table", "doelen", "2021", "--format", "csv"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let csv = stdout(&out);
    for line in [
        "paginaweergaven,2020-2021,1514962,1500000,vast doel,behaald",
        "dossiers,2020-2021,1414,1500,vast doel,niet behaald",
        "voorlichtingen Nieuw-West,2021,16,14,2020,behaald",
        "voorlichtingen Noord,2021,7,13,2020,niet behaald",
        "voorlichtingen Zuidoost,2021,14,12,2020,behaald",
        "dossiers voorschoolleeftijd,2020-2021,78,52,2019-2020,behaald",
    ] {
        assert!(csv.contains(line), "missing {line:?} in\n{csv}");
    }

    // The same data serve the reports of earlier years.
    for year in [2019, 2020] {
        build(&tmp, year);
        assert!(Path::new(&tmp.path(&format!("out{year}/doelen.md"))).exists());
    }
}

#[test]
fn figures_json_reads_back_as_the_computed_figures() {
    // What --figures checks is exactly what the check computes itself.
    let data = oco_report::build::load(&root().join("data")).expect("default data loads");
    let appendices =
        oco_report::appendices::compute_all(&data, 2021, &Default::default()).expect("computes");
    let text = oco_report::render::json::figures(2021, &appendices);
    let parsed = oco_report::check::Report::parse(&text).expect("parses");
    // A group heading (Overig above Abcoude) is layout, not a figure: figures.json omits it.
    let mut appendices = appendices;
    for row in appendices
        .iter_mut()
        .flat_map(|a| a.tables.iter_mut())
        .flat_map(|t| t.rows.iter_mut())
    {
        row.group = None;
    }
    assert_eq!(
        parsed,
        oco_report::check::Report {
            year: 2021,
            appendices
        }
    );
}

#[test]
fn figures_json_as_build_writes_it_reads_back_to_the_same_bytes() {
    use oco_report::figures::{Cell, Figures, Period, Suppressed};
    let tmp = Temp::new("round-trip");
    let built = |name: &str, args: &[&str]| -> String {
        let out_dir = tmp.arg(name);
        let mut all = vec!["build", "2021", "--out", &out_dir];
        all.extend_from_slice(args);
        let out = run(&all);
        assert_eq!(code(&out), 0, "build {args:?}: {}", stderr(&out));
        fs::read_to_string(tmp.path(name).join("figures.json")).unwrap()
    };
    let tweede = root().join("tests/data/tweede").display().to_string();
    let files = [
        ("default", built("default", &[])),
        ("2020", fs::read_to_string(build(&tmp, 2020)).unwrap()),
        // At 10 a percentage is hidden too (`x`), beside the counts (`<10`).
        ("min-cell", built("min-cell", &["--min-cell", "10"])),
        ("tweede", built("tweede", &["--data", &tweede])),
    ];
    for (name, text) in &files {
        let figures = Figures::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(figures.to_text() == *text, "{name}: not the same bytes");
        // Every period `build` writes is one of the typed ones, not a text kept as it is.
        for column in figures
            .appendices
            .iter()
            .flat_map(|a| &a.tables)
            .flat_map(|t| &t.columns)
        {
            assert!(
                !matches!(column.period, Some(Period::Other(_))),
                "{name}: {column:?}"
            );
        }
        let cells = || {
            figures
                .appendices
                .iter()
                .flat_map(|a| &a.tables)
                .flat_map(|t| &t.rows)
                .flat_map(|r| r.values.values())
        };
        let suppressed = cells().filter(|c| matches!(c, Cell::Suppressed(_))).count();
        if *name == "min-cell" {
            assert!(
                cells().any(|c| *c == Cell::Suppressed(Suppressed::Below(10))),
                "{name}"
            );
            assert!(
                cells().any(|c| *c == Cell::Suppressed(Suppressed::Hidden)),
                "{name}"
            );
            assert!(!cells().any(|c| matches!(c, Cell::Text(t) if t == "<10" || t == "x")));
        } else {
            assert_eq!(suppressed, 0, "{name}");
        }
    }
    let default = Figures::parse(&files[0].1).unwrap();
    let stadsdelen = default
        .appendices
        .iter()
        .flat_map(|a| &a.tables)
        .find(|t| t.id == "stadsdelen")
        .unwrap();
    let periods: Vec<String> = stadsdelen.columns[1..3]
        .iter()
        .map(|c| format!("{:?}", c.period.as_ref().unwrap()))
        .collect();
    assert_eq!(
        periods,
        [
            "CbsSchoolYear(SchoolYear(2019))",
            "SchoolYears { first: SchoolYear(2017), last: SchoolYear(2020) }"
        ]
    );
}
