//! Honest on thin data: small data sets made here, each missing something (a year, a
//! stadsdeel, the schoolweging, the webinars, an export), run through the binary and the
//! library. A year the exports do not cover is refused; windows the exports cover in part are
//! marked in the captions and the prose; no sentence ranks, compares or divides over zeros; a
//! target over two zeros is `onbekend`; a stale CBS count warns; `table` needs only its inputs.

use std::path::{Path, PathBuf};
use std::process::Output;

use chrono::NaiveDate;
use oco_report::appendices::{self, Options};
use oco_report::config::Config;
use oco_report::model::{
    CompactString, DataSet, Dossier, PageviewDay, School, SectorPupils, StadsdeelPupils, Status,
    ThemeSet, Voorlichting,
};
use oco_report::period::{SchoolYear, Windows};
use oco_report::render::Templates;
use oco_report::table::{Appendix, ReportTable, Value};
use proptest::prelude::*;

mod common;
use common::{oco_report, readable_parts, succeeded, temp_dir};

/// A small data folder, every export to the contract; rows as the tests give them.
#[derive(Clone)]
struct Folder {
    /// (date, sector, kanaal, school brin, passend)
    dossiers: Vec<(&'static str, &'static str, &'static str, &'static str, bool)>,
    /// (date, stadsdeel, status)
    voorlichtingen: Vec<(&'static str, &'static str, &'static str)>,
    /// (date, unique pageviews)
    pageviews: Vec<(&'static str, i64)>,
    /// (brin, stadsdeel, schoolweging)
    scholen: Vec<(&'static str, &'static str, &'static str)>,
    /// CBS school years of the pupils per stadsdeel (`2019/2020`).
    cbs_years: Vec<&'static str>,
}

const STADSDELEN: [&str; 7] = [
    "Centrum",
    "West",
    "Nieuw-West",
    "Zuid",
    "Oost",
    "Noord",
    "Zuidoost",
];

impl Folder {
    /// Dossiers, sessions and pageviews in school year 2020-2021 and the one before, two
    /// registry schools with a schoolweging, CBS pupils of 2019/2020.
    fn report_2021() -> Folder {
        Folder {
            dossiers: vec![
                ("2019-09-02", "po", "telefoon", "10AA00", true),
                ("2019-11-12", "vo", "e-mail", "", false),
                ("2020-03-01", "po", "webinar", "10BB00", false),
                ("2020-08-03", "po", "telefoon", "10AA00", true),
                ("2020-10-05", "po", "whatsapp", "10BB00", false),
                ("2021-02-01", "vo", "telefoon", "", true),
                ("2021-03-01", "po", "webinar", "10AA00", false),
            ],
            voorlichtingen: vec![
                ("2020-02-01", "Noord", "uitgevoerd"),
                ("2020-10-01", "Zuidoost", "uitgevoerd"),
                ("2021-03-01", "Noord", "uitgevoerd"),
                ("2021-05-01", "Nieuw-West", "gepland"),
            ],
            pageviews: vec![
                ("2019-08-01", 1200),
                ("2020-08-01", 1500),
                ("2021-07-31", 800),
            ],
            scholen: vec![("10AA00", "Noord", "31,5"), ("10BB00", "Centrum", "24,0")],
            cbs_years: vec!["2019/2020"],
        }
    }

    fn write(&self, dir: &Path) {
        let mut dossiers = String::from(
            "dossier_id,datum,sector,themas,kanaal,school_brin,contactmomenten,\
             passend_onderwijs,schooltype,vragen,diagnoses\n",
        );
        for (i, (datum, sector, kanaal, brin, passend)) in self.dossiers.iter().enumerate() {
            let (passend, schooltype) = match passend {
                true => ("ja", "basisonderwijs"),
                false => ("nee", ""),
            };
            dossiers.push_str(&format!(
                "D{i},{datum},{sector},zorg,{kanaal},{brin},2,{passend},{schooltype},,\n"
            ));
        }
        let mut sessions =
            String::from("datum,stadsdeel,thema,organisatie,vorm,locaties,deelnemers,status\n");
        for (datum, gebied, status) in &self.voorlichtingen {
            sessions.push_str(&format!(
                "{datum},{gebied},Overstap po-vo,Scholen,fysiek,1,10,{status}\n"
            ));
        }
        let mut pageviews = String::from("datum,unieke_paginaweergaven\n");
        for (datum, n) in &self.pageviews {
            pageviews.push_str(&format!("{datum},{n}\n"));
        }
        let mut scholen = String::from("brin;naam;stadsdeel;schoolweging;sector;aliassen\n");
        for (brin, stadsdeel, weging) in &self.scholen {
            scholen.push_str(&format!("{brin};School {brin};{stadsdeel};{weging};po;\n"));
        }
        let mut pupils = String::from("stadsdeel,schooljaar,leerlingen\n");
        for year in &self.cbs_years {
            for (i, stadsdeel) in STADSDELEN.iter().enumerate() {
                pupils.push_str(&format!("{stadsdeel},{year},{}\n", 1000 + 100 * i));
            }
        }
        let sector = "sectorgroep,leerlingen\nvoorschoolleeftijd,16000\nvoorschool-geindiceerd,\
                      4000\npo,66000\npo-vo,8000\nvo,42000\nmbo,27000\n";
        for (file, text) in [
            ("dossiers.csv", dossiers.as_str()),
            ("voorlichtingen.csv", sessions.as_str()),
            ("pageviews.csv", pageviews.as_str()),
            ("scholen.csv", scholen.as_str()),
            ("leerlingen-stadsdeel.csv", pupils.as_str()),
            ("leerlingen-sector.csv", sector),
        ] {
            std::fs::write(dir.join(file), text).expect("write an export");
        }
    }

    /// The folder written into a fresh `NAME/data`; returns the parent.
    fn folder(&self, name: &str) -> PathBuf {
        let dir = temp_dir("thin", name);
        std::fs::create_dir_all(dir.join("data")).expect("data folder");
        self.write(&dir.join("data"));
        dir
    }
}

fn run(dir: &Path, args: &[&str]) -> Output {
    let data = dir.join("data");
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--data", data.to_str().expect("utf-8 path")]);
    oco_report(&all)
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_year_the_exports_do_not_cover_is_refused_and_nothing_is_written() {
    let dir = Folder::report_2021().folder("refused");
    let out_dir = dir.join("out");
    let out = run(
        &dir,
        &["build", "2025", "--out", out_dir.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    for line in [
        "oco-report: the exports do not cover report year 2025 (school year 2024-2025, \
         2024-08-01 to 2025-07-31):",
        "  dossiers.csv: 2019-09-02 to 2021-03-01; nothing in 2024-2025",
        "  voorlichtingen.csv: 2020-02-01 to 2021-05-01; nothing in 2024-2025",
        "  pageviews.csv: 2019-08-01 to 2021-07-31; nothing in 2024-2025",
        "Nothing was written.",
    ] {
        assert!(message.contains(line), "{line:?} in\n{message}");
    }
    assert!(
        !out_dir.exists(),
        "a refused build wrote {}",
        out_dir.display()
    );

    // One export without a row in the school year is enough to refuse.
    let mut thin = Folder::report_2021();
    thin.pageviews.retain(|(d, _)| *d < "2020-08-01");
    let dir = thin.folder("refused-pageviews");
    let out = run(&dir, &["build", "2021", "--out", "unused"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("pageviews.csv: 2019-08-01 to 2019-08-01; nothing in 2020-2021"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("dossiers.csv: 2019-09-02 to 2021-03-01; 4 rows in 2020-2021"),
        "{}",
        stderr(&out)
    );
    // `table` refuses only over the exports the table reads.
    let out = run(&dir, &["table", "websitebezoek", "2021"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    succeeded(&run(&dir, &["table", "helpdesk-themas", "2021"]), "table");
}

#[test]
fn gedeeltelijk_builds_anyway_and_marks_what_is_missing_in_every_format() {
    let dir = Folder::report_2021().folder("gedeeltelijk");
    let out_dir = dir.join("out");
    let out = run(
        &dir,
        &[
            "build",
            "2022",
            "--gedeeltelijk",
            "--out",
            out_dir.to_str().expect("utf-8"),
        ],
    );
    succeeded(&out, "build 2022 --gedeeltelijk");
    // Dossiers from September 2019 to March 2021: of the four school years of the stadsdeel
    // spread of 2022, 2018-2019 and 2021-2022 are not covered at all, the two between in part.
    let note = "Let op: dossiers.csv loopt van 2 september 2019 t/m 1 maart 2021; geen gegevens \
                over 2018-2019 en 2021-2022, gedeeltelijke gegevens over 2019-2020 en 2020-2021.";
    let stadsdelen = read(&out_dir.join("stadsdelen.md"));
    assert!(stadsdelen.contains(note), "{stadsdelen}");
    // In the prose (first, under the heading) and in the caption of the table.
    assert!(
        stadsdelen.starts_with(&format!(
            "## Bijlage – Spreiding vragen over stadsdelen\n\n{note}\n"
        )),
        "{stadsdelen}"
    );
    assert!(stadsdelen.matches(note).count() >= 2, "{stadsdelen}");
    for file in ["report.md", "report.html", "figures.json"] {
        let text = read(&out_dir.join(file));
        assert!(
            text.contains("geen gegevens over 2018-2019 en 2021-2022"),
            "{file}"
        );
    }
    let workbook = std::fs::read(out_dir.join("tabellen.xlsx")).expect("workbook");
    let found = readable_parts("tabellen.xlsx", &workbook)
        .iter()
        .any(|(_, bytes)| String::from_utf8_lossy(bytes).contains("geen gegevens over 2018-2019"));
    assert!(found, "the workbook marks the partial window");
    let json = run(
        &dir,
        &[
            "table",
            "stadsdelen",
            "2022",
            "--format",
            "json",
            "--gedeeltelijk",
        ],
    );
    let json = succeeded(&json, "table --format json");
    assert!(json.contains(note), "{json}");

    // The voorlichtingen of calendar year 2022: not one session.
    let sessions = read(&out_dir.join("voorlichtingen.md"));
    assert!(
        sessions.contains("Voor 2022 staan er geen voorlichtingen in de agenda."),
        "{sessions}"
    );
    assert!(
        sessions.contains("geen gegevens over 2019 en 2022"),
        "{sessions}"
    );

    // validate lists the partial windows of the year.
    let validate = run(&dir, &["validate", "--year", "2022"]);
    let text = succeeded(&validate, "validate");
    assert!(
        text.contains(
            "  dossiers.csv: 2018-2019 not at all (stadsdelen, schoolweging, datakwaliteit-scholen)"
        ),
        "{text}"
    );
    assert!(
        text.contains("  dossiers.csv: 2021-2022 not at all (stadsdelen, schoolweging, sectoren,"),
        "{text}"
    );
    assert!(
        text.contains("  voorlichtingen.csv: 2022 not at all (voorlichtingen-stadsdeel"),
        "{text}"
    );
    assert!(
        text.contains(
            "`oco-report build 2022` refuses this year: dossiers.csv, voorlichtingen.csv, \
             pageviews.csv have no row in school year 2021-2022 (add --gedeeltelijk to build it \
             anyway)."
        ),
        "{text}"
    );
    let json = run(&dir, &["validate", "--year", "2022", "--format", "json"]);
    let json: serde_json::Value =
        serde_json::from_str(&succeeded(&json, "validate --format json")).expect("json");
    assert_eq!(
        json["uncovered"],
        serde_json::json!(["dossiers.csv", "voorlichtingen.csv", "pageviews.csv"])
    );
    let window = serde_json::json!({
        "file": "dossiers.csv",
        "period": "2018-2019",
        "covered": "none",
        "tables": ["stadsdelen", "schoolweging", "datakwaliteit-scholen"],
    });
    let windows = json["partial_windows"].as_array().expect("partial windows");
    assert!(windows.contains(&window), "{windows:?}");
}

#[test]
fn build_2018_on_one_year_of_data_says_so_in_the_caption() {
    let mut folder = Folder::report_2021();
    folder.dossiers = vec![
        ("2017-08-14", "po", "telefoon", "10AA00", false),
        ("2018-07-20", "po", "telefoon", "10BB00", false),
    ];
    folder.voorlichtingen = vec![("2018-03-01", "Noord", "uitgevoerd")];
    folder.pageviews = vec![("2017-09-01", 10), ("2018-01-01", 20)];
    folder.cbs_years = vec!["2017/2018"];
    let dir = folder.folder("2018");
    let out = run(&dir, &["table", "stadsdelen", "2018"]);
    let table = succeeded(&out, "table stadsdelen 2018");
    assert!(
        table.contains(
            "Let op: dossiers.csv loopt van 14 augustus 2017 t/m 20 juli 2018; geen gegevens over \
             2014-2015, 2015-2016 en 2016-2017."
        ),
        "{table}"
    );
}

#[test]
fn a_stale_cbs_count_warns_in_the_caption_validate_and_check() {
    let mut folder = Folder::report_2021();
    folder.cbs_years = vec!["2016/2017"];
    let dir = folder.folder("stale");
    // The sector counts say their school year: all of 2017/2018 but po, of 2019/2020.
    std::fs::write(
        dir.join("data").join("leerlingen-sector.csv"),
        "sectorgroep,leerlingen,schooljaar\nvoorschoolleeftijd,16000,2017/2018\n\
         voorschool-geindiceerd,4000,2017/2018\npo,66000,2019/2020\npo-vo,8000,2017-2018\n\
         vo,42000,2017/2018\nmbo,27000,2017/2018\n",
    )
    .expect("write");
    let sectoren = succeeded(&run(&dir, &["table", "sectoren", "2021"]), "table");
    assert!(
        sectoren.contains(
            "Let op: de leerlingaantallen per sector (2017/2018) zijn meer dan een schooljaar \
             ouder dan schooljaar 2020-2021."
        ),
        "{sectoren}"
    );
    let note = "Let op: de leerlingaantallen per stadsdeel (2016/2017) zijn meer dan een schooljaar ouder \
                dan schooljaar 2020-2021.";
    let table = succeeded(&run(&dir, &["table", "stadsdelen", "2021"]), "table");
    assert!(table.contains(note), "{table}");
    let validate = succeeded(&run(&dir, &["validate", "--year", "2021"]), "validate");
    assert!(
        validate.contains(
            "  leerlingen-stadsdeel.csv: the pupils per stadsdeel of 2016/2017 divide the dossiers of \
             2020-2021, more than one school year older"
        ),
        "{validate}"
    );
    assert!(
        validate.contains(
            "  leerlingen-sector.csv: the pupils of voorschoolleeftijd 2017/2018, \
             voorschool-geindiceerd 2017/2018, po-vo 2017/2018, vo 2017/2018, mbo 2017/2018 \
             divide the dossiers of 2020-2021, more than one school year older"
        ),
        "{validate}"
    );
    // check: against a baseline of 2020, built from the same data.
    let baseline = dir.join("out-2020");
    let out = run(
        &dir,
        &["build", "2020", "--out", baseline.to_str().expect("utf-8")],
    );
    succeeded(&out, "build 2020");
    let figures = baseline.join("figures.json");
    let out = run(
        &dir,
        &[
            "check",
            "2021",
            "--baseline",
            figures.to_str().expect("utf-8"),
        ],
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains(
            "  warn  leerlingen-stadsdeel.csv: the pupils per stadsdeel of 2016/2017 divide"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "  warn  leerlingen-sector.csv: the pupils of 2017/2018 divide the dossiers of \
             2020-2021"
        ),
        "{text}"
    );
    // The build of 2020 says it in its prose too, against its own school year.
    let sectoren_2020 = read(&baseline.join("sectoren.md"));
    assert!(
        sectoren_2020.contains(
            "\nLet op: de leerlingaantallen per sector (2017/2018) zijn meer dan een schooljaar \
             ouder dan schooljaar 2019-2020.\n"
        ),
        "{sectoren_2020}"
    );
    // With CBS pupils of the year before, nothing to warn about.
    let fresh = Folder::report_2021().folder("fresh");
    let table = succeeded(&run(&fresh, &["table", "stadsdelen", "2021"]), "table");
    assert!(!table.contains("leerlingaantallen"), "{table}");
}

#[test]
fn check_of_an_uncovered_year_fails() {
    let dir = Folder::report_2021().folder("check-uncovered");
    let baseline = dir.join("out-2021");
    succeeded(
        &run(
            &dir,
            &["build", "2021", "--out", baseline.to_str().expect("utf-8")],
        ),
        "build 2021",
    );
    let figures = baseline.join("figures.json");
    let out = run(
        &dir,
        &[
            "check",
            "2025",
            "--baseline",
            figures.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.contains(
            "  FAIL  dossiers.csv has no row in school year 2024-2025 (2019-09-02 to 2021-03-01)"
        ),
        "{text}"
    );
}

#[test]
fn a_target_over_two_zeros_is_onbekend() {
    let mut folder = Folder::report_2021();
    // No session in Noord, Nieuw-West or Zuidoost in 2020 or 2021: 0 ≥ 0 measures nothing.
    // The exports cover both years whole (a year covered in part is onbekend anyway).
    folder.voorlichtingen = vec![
        ("2020-01-10", "Centrum", "uitgevoerd"),
        ("2021-03-01", "Centrum", "uitgevoerd"),
        ("2021-12-10", "West", "uitgevoerd"),
    ];
    folder
        .dossiers
        .insert(0, ("2019-08-05", "vo", "e-mail", "", false));
    folder
        .dossiers
        .push(("2021-07-30", "vo", "e-mail", "", false));
    // No dossier names a school the registry knows in those stadsdelen.
    folder.scholen = vec![("10ZZ00", "Centrum", "30,0")];
    let dir = folder.folder("zero-targets");
    let csv = succeeded(
        &run(&dir, &["table", "doelen", "2021", "--format", "csv"]),
        "table doelen",
    );
    for key in [
        "voorlichtingen Noord",
        "voorlichtingen Nieuw-West",
        "voorlichtingen Zuidoost",
        "dossiers stadsdelen",
    ] {
        let row = csv
            .lines()
            .find(|l| l.starts_with(&format!("{key},")))
            .unwrap_or_else(|| panic!("{key} in\n{csv}"));
        assert!(
            row.ends_with(",0,0,2020,onbekend") || row.ends_with(",0,0,2019-2020,onbekend"),
            "{row}"
        );
    }
    let md = succeeded(&run(&dir, &["table", "doelen", "2021"]), "table doelen");
    assert!(
        md.contains("Ook onbekend: een doel waarvan de waarde en de norm allebei nul zijn."),
        "{md}"
    );
}

#[test]
fn a_target_over_a_year_the_exports_cover_in_part_is_onbekend() {
    // Dossiers from 2 September 2019 to 1 March 2021, sessions from 1 February 2020 to
    // 1 May 2021: no verdict on 2019-2020, 2020-2021, 2020 or 2021 can be given.
    let dir = Folder::report_2021().folder("partial-targets");
    let csv = succeeded(
        &run(&dir, &["table", "doelen", "2021", "--format", "csv"]),
        "table doelen",
    );
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert!(!rows.is_empty(), "{csv}");
    for row in rows {
        if row.starts_with("paginaweergaven,") {
            continue; // counted by the day, against a fixed target
        }
        assert!(row.ends_with(",onbekend"), "{row}\n{csv}");
    }
}

#[test]
fn a_school_year_without_a_dossier_inside_the_export_is_not_covered() {
    // Dossiers from August 2018 to July 2021, but none in 2019-2020: a hole, not a year of
    // zero dossiers to compare with.
    let mut folder = Folder::report_2021();
    folder.dossiers = vec![
        ("2018-08-06", "po", "telefoon", "10AA00", false),
        ("2019-07-29", "vo", "e-mail", "", false),
        ("2020-08-03", "po", "telefoon", "10AA00", true),
        ("2021-07-30", "po", "whatsapp", "10AA00", false),
    ];
    let dir = folder.folder("hole");
    let csv = succeeded(
        &run(&dir, &["table", "doelen", "2021", "--format", "csv"]),
        "table doelen",
    );
    let row = csv
        .lines()
        .find(|l| l.starts_with("dossiers stadsdelen,"))
        .unwrap_or_else(|| panic!("dossiers stadsdelen in\n{csv}"));
    assert!(row.ends_with(",2019-2020,onbekend"), "{row}");
    let table = succeeded(&run(&dir, &["table", "stadsdelen", "2021"]), "table");
    assert!(
        table.contains("geen gegevens over 2017-2018 en 2019-2020."),
        "{table}"
    );
}

#[test]
fn a_table_reads_only_the_exports_it_uses() {
    let dir = Folder::report_2021().folder("only-inputs");
    let data = dir.join("data");
    std::fs::remove_file(data.join("pageviews.csv")).expect("remove");
    std::fs::write(
        data.join("voorlichtingen.csv"),
        "datum,stadsdeel,thema,organisatie,vorm,locaties,deelnemers,status\n31-13-2020,Noord,\
         x,y,fysiek,1,1,uitgevoerd\n",
    )
    .expect("write");
    for id in [
        "stadsdelen",
        "schoolweging",
        "sectoren",
        "helpdesk-themas",
        "kanalen",
    ] {
        succeeded(&run(&dir, &["table", id, "2021"]), id);
    }
    let out = run(&dir, &["table", "websitebezoek", "2021"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("pageviews.csv"), "{}", stderr(&out));
    let out = run(&dir, &["table", "voorlichtingen-thema", "2021"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("voorlichtingen.csv:2"),
        "{}",
        stderr(&out)
    );
    // build still needs every export.
    let out = run(&dir, &["build", "2021", "--out", "unused"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // A broken export the table does not read is not even opened.
    let dir = Folder::report_2021().folder("only-inputs-dossiers");
    std::fs::write(dir.join("data").join("dossiers.csv"), "not,a,dossier\n").expect("write");
    succeeded(
        &run(&dir, &["table", "websitebezoek", "2021"]),
        "websitebezoek",
    );
}

#[test]
fn no_registry_match_and_no_schoolweging_are_said_not_ranked() {
    let mut folder = Folder::report_2021();
    // A DUO registry in which no dossier's school is found, and without any schoolweging.
    folder.scholen = vec![("10ZZ00", "Centrum", ""), ("10YY00", "Noord", "")];
    let dir = folder.folder("no-match");
    let out_dir = dir.join("out");
    succeeded(
        &run(
            &dir,
            &["build", "2021", "--out", out_dir.to_str().expect("utf-8")],
        ),
        "build",
    );
    let stadsdelen = read(&out_dir.join("stadsdelen.md"));
    assert!(!stadsdelen.contains("meest achter"), "{stadsdelen}");
    assert!(
        stadsdelen.contains(
            "Buiten de webinars noemt in de schooljaren 2017-2018 t/m 2020-2021 geen enkel \
             dossier een basisschool die in het schoolregister bij een stadsdeel hoort."
        ),
        "{stadsdelen}"
    );
    let weging = read(&out_dir.join("schoolweging.md"));
    assert!(
        weging.contains(
            "is van geen enkel dossier zowel de basisschool als de schoolweging van die school \
             bekend: geen basisschool in het schoolregister heeft een schoolweging."
        ),
        "{weging}"
    );
    for (file, note) in [
        (
            "stadsdelen.md",
            "Geen enkel dossier noemt een basisschool die in het schoolregister bij een \
             stadsdeel hoort.",
        ),
        (
            "schoolweging.md",
            "Geen basisschool in het schoolregister heeft een schoolweging.",
        ),
    ] {
        let text = read(&out_dir.join(file));
        assert!(text.contains(note), "the caption of {file}: {text}");
    }
    let doelen = read(&out_dir.join("doelen.md"));
    assert!(
        !doelen.contains("| 0 | 0 | 2019-2020 | behaald |"),
        "{doelen}"
    );
}

// ---------------------------------------------------------------------------------------------
// The property: random thin data sets, every rendered sentence held to the rules.

/// A thin data set for report year 2021, made in memory.
#[derive(Debug, Clone)]
struct Thin {
    /// School years (start year) that have dossiers, and how many each.
    dossier_years: Vec<(i32, usize)>,
    one_stadsdeel: bool,
    with_weging: bool,
    webinars: bool,
    /// Calendar years with sessions.
    session_years: Vec<i32>,
    /// School years with pageviews, and the pageviews per day.
    pageview_years: Vec<(i32, i64)>,
    cbs_year: i32,
    zero_pupils: bool,
}

fn thin() -> impl Strategy<Value = Thin> {
    (
        prop::collection::vec((2014i32..2022, 0usize..6), 0..5),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(2016i32..2023, 0..4),
        prop::collection::vec(
            (
                2015i32..2022,
                prop_oneof![Just(0i64), 1i64..300, 200i64..3000, 3000i64..10_000],
            ),
            0..4,
        ),
        2014i32..2021,
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(
                dossier_years,
                one_stadsdeel,
                with_weging,
                webinars,
                session_years,
                pageview_years,
                cbs_year,
                zero_pupils,
            )| Thin {
                dossier_years,
                one_stadsdeel,
                with_weging,
                webinars,
                session_years,
                pageview_years,
                cbs_year,
                zero_pupils,
            },
        )
}

impl Thin {
    fn data(&self) -> DataSet {
        let mut config = Config::default();
        if self.one_stadsdeel {
            config.stadsdelen = vec!["Noord".to_string()];
        }
        let mut data = DataSet::empty(config);
        let stadsdelen = data.config.stadsdelen.clone();
        for (i, stadsdeel) in stadsdelen.iter().enumerate() {
            data.scholen.push(School {
                line: i + 2,
                brin: format!("{:02}AA00", 10 + i),
                naam: format!("School {i}"),
                stadsdeel: Some(stadsdeel.clone()),
                schoolweging: self.with_weging.then_some(22.0 + 2.0 * i as f64),
                sector: "po".to_string(),
                aliassen: Vec::new(),
            });
            data.leerlingen_stadsdeel.push(StadsdeelPupils {
                line: i + 2,
                stadsdeel: stadsdeel.clone(),
                schooljaar: SchoolYear(self.cbs_year),
                leerlingen: if self.zero_pupils {
                    0
                } else {
                    1000 + 10 * i as i64
                },
                bron: None,
            });
        }
        for (i, group) in data.config.sector_groups.clone().iter().enumerate() {
            data.leerlingen_sector.push(SectorPupils {
                line: i + 2,
                groep: group.id.clone(),
                leerlingen: 5000,
                schooljaar: None,
            });
        }
        let kanaal = |name: &str| {
            data.config
                .kanalen
                .iter()
                .position(|k| k == name)
                .expect("a default kanaal") as u32
        };
        let (telefoon, webinar) = (kanaal("telefoon"), kanaal("webinar"));
        let mut n = 0;
        for (year, count) in &self.dossier_years {
            for k in 0..*count {
                n += 1;
                let datum = NaiveDate::from_ymd_opt(*year, 8, 1).expect("date")
                    + chrono::Duration::days(37 * k as i64);
                let school = (k % 3 != 2).then(|| {
                    CompactString::from(data.scholen[k % data.scholen.len()].brin.as_str())
                });
                data.dossiers.push(Dossier {
                    line: n + 1,
                    id: CompactString::from(format!("D{n}")),
                    datum,
                    sector: (k % 5) as u32,
                    themas: [k % 4].into_iter().collect::<ThemeSet>(),
                    kanaal: if self.webinars && k % 2 == 1 {
                        webinar
                    } else {
                        telefoon
                    },
                    herkomst: None,
                    school,
                    school_unmatched: None,
                    school_match: None,
                    contactmomenten: (k % 2 == 0).then_some(2),
                    passend: k % 2 == 0,
                    schooltype: (k % 2 == 0).then(|| CompactString::from("basisonderwijs")),
                    vragen: Vec::new(),
                    diagnoses: Vec::new(),
                });
            }
        }
        data.dossiers.sort_by_key(|d| d.datum);
        for (i, year) in self.session_years.iter().enumerate() {
            data.voorlichtingen.push(Voorlichting {
                line: i + 2,
                datum: NaiveDate::from_ymd_opt(*year, 3, 1).expect("date"),
                gebied: data.config.voorlichting_gebieden[i % 3].clone(),
                thema: "Overstap po-vo".to_string(),
                organisatie: "Scholen".to_string(),
                vorm: "fysiek".to_string(),
                locaties: 1,
                deelnemers: None,
                status: Status::Uitgevoerd,
            });
        }
        let mut days = std::collections::BTreeMap::new();
        for (year, per_day) in &self.pageview_years {
            let start = NaiveDate::from_ymd_opt(*year, 8, 1).expect("date");
            for day in 0..SchoolYear(*year).days() {
                days.insert(start + chrono::Duration::days(day), *per_day);
            }
        }
        data.pageviews = days
            .into_iter()
            .map(|(datum, weergaven)| PageviewDay { datum, weergaven })
            .collect();
        data
    }
}

/// The prose of a rendered appendix: its lines without headings, tables, charts and table
/// titles.
fn prose(markdown: &str) -> Vec<&str> {
    markdown
        .lines()
        .filter(|l| {
            let l = l.trim();
            !(l.is_empty()
                || l.starts_with('#')
                || l.starts_with('|')
                || l.starts_with("![")
                || l.starts_with("**")
                || l.starts_with('*'))
        })
        .collect()
}

fn count(table: &ReportTable, row: &str, column: &str) -> i64 {
    table
        .value(row, column)
        .and_then(Value::count)
        .unwrap_or_else(|| panic!("{} {row} {column}", table.id))
}

/// Every rule of the issue, for one rendered appendix.
fn hold_to_the_rules(appendix: &Appendix, markdown: &str, year: i32) {
    let text = prose(markdown).join("\n");
    let at = |what: &str| format!("{what} in {}:\n{markdown}", appendix.id);
    assert!(!text.contains("1 op de 0"), "{}", at("a ratio over zero"));
    assert!(!text.contains('–'), "{}", at("an undefined figure"));
    for zero in [
        " 0 dossiers",
        " 0 voorlichtingen",
        " 0 locaties",
        " 0 vragen",
        " 0 unieke",
        "tegen 0 ",
        " 0 doelen",
        "er 0 behaald",
    ] {
        assert!(!format!(" {text}").contains(zero), "{}", at(zero));
    }
    // "miljoen" only for figures of 100.000 or more: each is followed by the exact figure.
    for (i, _) in text.match_indices("miljoen") {
        let rest = &text[i..];
        let open = rest.find('(').expect("the exact figure after miljoen");
        let close = rest.find(')').expect("the exact figure after miljoen");
        let exact: i64 = rest[open + 1..close]
            .replace('.', "")
            .parse()
            .expect("a number");
        assert!(exact >= 100_000, "{}", at("miljoen under 100.000"));
    }
    match appendix.id.as_str() {
        "websitebezoek" => {
            if text.contains("gestegen") || text.contains("gedaald") {
                let eerste = appendix.facts["eerste"].count().unwrap();
                let laatste = appendix.facts["laatste"].count().unwrap();
                assert!(
                    eerste > 0 && laatste > 0,
                    "{}",
                    at("a rise or fall over zero")
                );
            }
        }
        "stadsdelen" => {
            if text.contains("meest achter") {
                let table = appendix.table("stadsdelen").unwrap();
                let rows: Vec<(&str, i64, i64)> = table
                    .rows
                    .iter()
                    .filter(|r| !r.total)
                    .map(|r| {
                        let n = count(table, &r.key, "vragen_excl_webinars");
                        (r.key.as_str(), n, count(table, &r.key, "leerlingen"))
                    })
                    .filter(|(_, _, pupils)| *pupils > 0)
                    .collect();
                assert!(rows.len() >= 2, "{}", at("a ranking of one"));
                assert!(
                    rows.iter().any(|(_, n, _)| *n > 0),
                    "{}",
                    at("a ranking over zeros")
                );
                let lines = format!("\n{text}");
                let named = rows
                    .iter()
                    .find(|(key, _, _)| {
                        lines.contains(&format!("\n{key} blijft daarbij"))
                            || lines.contains(&format!(". {key} blijft daarbij"))
                    })
                    .expect("the lowest stadsdeel is named");
                for other in &rows {
                    if other.0 != named.0 {
                        assert!(
                            i128::from(named.1) * i128::from(other.2)
                                < i128::from(other.1) * i128::from(named.2),
                            "{}",
                            at("a ranking over a tie")
                        );
                    }
                }
            }
        }
        "helpdesk" => {
            let table = appendix.table("helpdesk-sectoren").unwrap();
            let empty_year = Windows::new(year)
                .helpdesk()
                .iter()
                .any(|y| count(table, "Totaal", &y.to_string()) == 0);
            if empty_year {
                assert!(
                    !text.contains("is een stijging of daling"),
                    "{}",
                    at("no rise or fall said over an empty year")
                );
            }
            if text.contains("stijging is zichtbaar") || text.contains("daling is zichtbaar") {
                let table = appendix.table("helpdesk-sectoren").unwrap();
                for y in Windows::new(year).helpdesk() {
                    assert!(
                        count(table, "Totaal", &y.to_string()) > 0,
                        "{}",
                        at("a trend over an empty year")
                    );
                }
            }
        }
        "doelen" => {
            let table = appendix.table("doelen").unwrap();
            for row in &table.rows {
                let waarde = row.get(table, "waarde");
                let norm = row.get(table, "norm");
                if waarde == Some(&Value::Count(0)) && norm == Some(&Value::Count(0)) {
                    assert_eq!(
                        row.get(table, "resultaat"),
                        Some(&Value::Text("onbekend".into())),
                        "{}",
                        at("0 ≥ 0 behaald")
                    );
                }
            }
        }
        _ => {}
    }
    // A partial window is said in the prose as well as in the caption (the prose of the
    // data-quality appendix is a list of findings, its caption says it).
    if let Some(Value::Text(note)) = appendix.facts.get("gedeeltelijk")
        && appendix.id != "datakwaliteit"
    {
        assert!(text.contains(note.as_str()), "{}", at("the partial window"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    #[test]
    fn every_sentence_about_thin_data_holds_to_the_rules(thin in thin()) {
        let year = 2021;
        let data = thin.data();
        let templates = Templates::from_dir(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates"),
        )
        .expect("the templates");
        let computed = appendices::compute_all(&data, year, &Options::default())
            .expect("thin data compute");
        let coverage = oco_report::coverage::Coverage::of(&data);
        for appendix in &computed {
            let markdown = templates.render_appendix(appendix, year).expect("render");
            hold_to_the_rules(appendix, &markdown, year);
            for table in &appendix.tables {
                if let Some(note) = coverage.note(&table.id, Windows::new(year))
                    && table.id != "websitebezoek"
                {
                    let caption = table.caption.as_deref().unwrap_or_default();
                    prop_assert!(caption.contains(&note), "{}: {caption}", table.id);
                }
            }
        }
    }
}
