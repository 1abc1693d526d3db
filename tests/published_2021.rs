//! Golden tests: the default data set in `data/` reproduces every figure of the published
//! 2021 report (docs/cijfers-2021.md), through the library, through `table --format csv` and
//! in the rendered markdown.

use std::path::{Path, PathBuf};

mod common;
use common::oco_report;
use std::sync::OnceLock;

use oco_report::appendices::{self, Options};
use oco_report::model::DataSet;
use oco_report::table::{Appendix, ReportTable, Value};

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

fn appendices_2021() -> &'static Vec<Appendix> {
    static CELL: OnceLock<Vec<Appendix>> = OnceLock::new();
    CELL.get_or_init(|| {
        let data: DataSet = oco_report::build::load(&data_dir()).expect("default data loads");
        appendices::compute_all(&data, 2021, &Options::default()).expect("2021 computes")
    })
}

fn table(id: &str) -> &'static ReportTable {
    appendices_2021()
        .iter()
        .find_map(|a| a.table(id))
        .unwrap_or_else(|| panic!("no table {id}"))
}

fn fact(appendix: &str, name: &str) -> &'static Value {
    let a = appendices_2021()
        .iter()
        .find(|a| a.id == appendix)
        .expect("appendix");
    a.facts
        .get(name)
        .unwrap_or_else(|| panic!("no fact {name} in {appendix}"))
}

/// The row's values as they print in CSV: counts plain, tenths with one decimal.
fn row(id: &str, key: &str) -> Vec<String> {
    let t = table(id);
    let row = t.row(key).unwrap_or_else(|| panic!("{id}: no row {key}"));
    row.values
        .iter()
        .map(|v| match v {
            Value::Count(n) => n.to_string(),
            Value::Tenths(Some(t)) => format!("{}.{}", t / 10, t % 10),
            Value::Tenths(None) => String::new(),
            Value::Text(s) => s.clone(),
        })
        .collect()
}

fn expect_rows(id: &str, expected: &[(&str, &str)]) {
    for (key, values) in expected {
        let want: Vec<String> = values.split_whitespace().map(str::to_string).collect();
        let got = row(id, key);
        assert_eq!(&got[..want.len()], &want[..], "{id} / {key}");
    }
    let keys: Vec<&str> = table(id).rows.iter().map(|r| r.key.as_str()).collect();
    let want_keys: Vec<&str> = expected.iter().map(|(k, _)| *k).collect();
    assert_eq!(keys, want_keys, "{id}: rows in the report's order");
}

#[test]
fn stadsdelen_excl_and_incl_webinars() {
    expect_rows(
        "stadsdelen",
        &[
            ("Centrum", "3836 36 0.9 41 1.1"),
            ("West", "9050 110 1.2 124 1.4"),
            ("Nieuw-West", "12364 130 1.1 150 1.2"),
            ("Zuid", "10856 105 1.0 124 1.1"),
            ("Oost", "10652 95 0.9 120 1.1"),
            ("Noord", "8277 86 1.0 89 1.1"),
            ("Zuidoost", "6884 46 0.7 68 1.0"),
            ("Amsterdam", "61919 608 1.0 716 1.2"),
        ],
    );
    assert_eq!(
        fact("stadsdelen", "cbs_schooljaar"),
        &Value::Text("2019/2020".into())
    );
    assert_eq!(fact("stadsdelen", "webinar"), &Value::Count(108));
}

#[test]
fn schoolweging_bands() {
    expect_rows(
        "schoolweging",
        &[
            ("20-25", "150 21 171"),
            ("25-30", "132 13 145"),
            ("30-35", "86 14 100"),
            ("35-40", "211 56 267"),
        ],
    );
    assert_eq!(fact("schoolweging", "n"), &Value::Count(683));
    assert_eq!(fact("schoolweging", "zonder_weging"), &Value::Count(33));
}

#[test]
fn bereik_per_sector() {
    expect_rows(
        "sectoren",
        &[
            ("voorschoolleeftijd", "16000 78 0.5"),
            ("voorschool-geindiceerd", "4000 25 0.6"),
            ("po", "66000 329 0.5"),
            ("po-vo", "8000 458 5.7"),
            ("vo", "42000 302 0.7"),
            ("mbo", "27000 102 0.4"),
        ],
    );
    assert_eq!(fact("sectoren", "dossiers"), &Value::Count(1414));
}

#[test]
fn voorlichtingen_per_stadsdeel_thema_and_organisatie() {
    expect_rows(
        "voorlichtingen-stadsdeel",
        &[
            ("Centrum", "1 6 3 5"),
            ("Nieuw-West", "16 14 13 18"),
            ("Noord", "7 13 6 11"),
            ("Oost", "15 25 17 9"),
            ("West", "7 19 14 17"),
            ("Zuid", "12 20 10 11"),
            ("Zuidoost", "14 12 14 13"),
            ("Abcoude", "0 0 1 1"),
            ("Diemen", "0 0 1 0"),
            ("Landsmeer", "2 3 3 2"),
            ("Stadsbreed", "11 0 0 0"),
            ("Totaal", "85 112 82 87"),
        ],
    );
    expect_rows(
        "voorlichtingen-thema",
        &[
            ("Overstap po-vo", "55 90 74 72"),
            ("Overstap vmbo-mbo", "5 16 0 0"),
            ("Basisschoolkeuze en stedelijk toelatingsbeleid", "12 4 6 8"),
            ("Rechten en plichten", "11 1 2 0"),
            ("Onderwijsstelsel", "1 1 0 3"),
            ("Ouderbetrokkenheid", "0 0 0 2"),
            ("Ouderbijdrage", "0 0 0 1"),
            ("Leerlingvolgsysteem", "0 0 0 1"),
            ("Corona achterstanden", "1 0 0 0"),
            ("Totaal", "85 112 82 87"),
        ],
    );
    expect_rows(
        "voorlichtingen-organisatie",
        &[
            ("Scholen", "54 91 69 68"),
            ("Kinderopvang", "10 4 5 8"),
            ("Buurtcentrum", "14 3 5 2"),
            ("Weekendschool", "3 14 3 7"),
            ("Moskee", "2 0 0 2"),
            ("Facebook", "2 0 0 0"),
            ("Totaal", "85 112 82 87"),
        ],
    );
    let stadsbreed = table("voorlichtingen-stadsdeel").row("Stadsbreed").unwrap();
    assert_eq!(
        stadsbreed.label,
        "Stadsbreed (in 2021 81 deelnemende locaties)"
    );
    assert_eq!(fact("voorlichtingen", "vorig_fysiek"), &Value::Count(57));
    assert_eq!(fact("voorlichtingen", "vorig_webinar"), &Value::Count(55));
}

#[test]
fn passend_onderwijs() {
    expect_rows(
        "passend-schooltype",
        &[
            ("basisonderwijs", "83 46"),
            ("overstap naar voortgezet onderwijs", "22 44"),
            ("voortgezet onderwijs", "34 68"),
            ("(overstap naar) speciaal onderwijs", "48 21"),
            ("mbo", "8 9"),
        ],
    );
    expect_rows(
        "passend-vragen",
        &[
            ("(onvoldoende) ondersteuning", "48 60"),
            ("oneens overstap so/sbo", "28 24"),
            ("schoolkeuze/ondersteuningsaanbod", "29 22"),
            ("testen/onderzoek", "14 20"),
            ("thuiszitten", "13 19"),
            ("verwijdering/doublure/verzuim", "6 14"),
            ("schorsing en verwijdering gedrag", "5 13"),
            ("oneens overstap vso/pro", "7 13"),
            ("vrijstelling/thuisonderwijs", "4 5"),
            ("voorrang schoolkeuze", "7 4"),
            ("oneens advies lwoo", "3 4"),
            ("(dreiging) melding VT", "0 4"),
            ("weigering aanmelding basisonderwijs", "12 4"),
            ("weigering aanmelding voortgezet onderwijs", "10 3"),
            ("onvoldoende inzet lwoo", "0 3"),
            ("Corona en passend onderwijs", "16 0"),
            ("leerlingdossier", "6 0"),
            ("overig", "36 37"),
        ],
    );
    let diagnoses = table("passend-diagnoses");
    for (key, count) in [
        ("fysieke beperking/ziekte", 19),
        ("autisme/ass", 17),
        ("hoogbegaafd", 16),
        ("dyslexie", 13),
        ("psychisch probleem/angst", 12),
        ("gedragsprobleem/adhd", 12),
        ("leerprobleem", 9),
    ] {
        assert_eq!(
            diagnoses.value(key, "2020-2021"),
            Some(&Value::Count(count)),
            "{key}"
        );
    }
    let current: Vec<i64> = diagnoses
        .rows
        .iter()
        .map(|r| r.values[0].count().unwrap())
        .collect();
    assert!(
        current.windows(2).all(|w| w[0] >= w[1]),
        "largest first: {current:?}"
    );
    assert_eq!(row("passend-diagnoses", "hoogbegaafd"), vec!["16", "8"]);
    assert_eq!(fact("passend-onderwijs", "dossiers"), &Value::Count(200));
    assert_eq!(
        fact("passend-onderwijs", "dossiers_vorig"),
        &Value::Count(221)
    );
    assert_eq!(fact("passend-onderwijs", "met_diagnose"), &Value::Count(82));
    assert_eq!(fact("passend-onderwijs", "een_op"), &Value::Count(7));
    assert_eq!(
        fact("passend-onderwijs", "contactmomenten"),
        &Value::Tenths(Some(47))
    );
    assert_eq!(
        fact("passend-onderwijs", "contactmomenten_alle"),
        &Value::Tenths(Some(31))
    );
}

#[test]
fn whatsapp_per_sector_group() {
    expect_rows(
        "kanalen",
        &[
            ("po", "225 21 9.3 8 38.1"),
            ("vo", "196 41 20.9 14 34.1"),
            ("mbo", "72 21 29.2 11 52.4"),
        ],
    );
}

#[test]
fn helpdesk_rises_and_falls_the_report_names() {
    let text = |name: &str| match fact("helpdesk", name) {
        Value::Text(s) => s.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(
        text("stijging_themas"),
        "schoolkeuze, toelating, organisatie, beoordeling, actueel"
    );
    assert_eq!(text("daling_themas"), "veiligheid, sancties, leerplicht");
    assert_eq!(
        text("stijging_sectoren"),
        "voorschool, schoolkeuze po, overstap po-vo, overstap mbo-ho, overstap vo-ho, overstap regulier-so"
    );
    assert_eq!(text("daling_sectoren"), "vo");
    assert_eq!(row("helpdesk-sectoren", "Totaal")[2], "1414");
    assert_eq!(fact("helpdesk", "dossiers"), &Value::Count(1414));
}

#[test]
fn websitebezoek_grows_from_0_8_to_1_5_million() {
    assert_eq!(
        fact("websitebezoek", "eerste_miljoen"),
        &Value::Tenths(Some(8))
    );
    assert_eq!(
        fact("websitebezoek", "laatste_miljoen"),
        &Value::Tenths(Some(15))
    );
    let views: Vec<i64> = table("websitebezoek")
        .rows
        .iter()
        .map(|r| r.values[0].count().unwrap())
        .collect();
    assert_eq!(views.len(), 4);
    assert!(
        views.windows(2).all(|w| w[0] < w[1]),
        "growth every year: {views:?}"
    );
    assert!(
        views[3] >= 1_500_000,
        "the 1.500.000 target was met: {views:?}"
    );
}

#[test]
fn table_csv_prints_plain_numbers_in_the_reports_order() {
    let out = oco_report(&["table", "stadsdelen", "2021", "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "stadsdeel,leerlingen,vragen_excl_webinars,pct_excl_webinars,vragen_incl_webinars,pct_incl_webinars"
    );
    assert_eq!(lines[1], "Centrum,3836,36,0.9,41,1.1");
    assert_eq!(lines[8], "Amsterdam,61919,608,1.0,716,1.2");
    assert_eq!(lines.len(), 9);
}

#[test]
fn unknown_table_lists_the_known_ones() {
    let out = oco_report(&["table", "stadsdeel", "2021"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("stadsdelen") && err.contains("passend-vragen"),
        "{err}"
    );
}

#[test]
fn build_writes_dutch_markdown_and_is_byte_identical_twice() {
    let base = std::env::temp_dir().join(format!("oco-golden-{}", std::process::id()));
    let (a, b) = (base.join("a"), base.join("b"));
    for dir in [&a, &b] {
        let out = oco_report(&["build", "2021", "--out", dir.to_str().unwrap()]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut names: Vec<PathBuf> = Vec::new();
    for entry in std::fs::read_dir(&a).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            // intern/: the working material.
            for inner in std::fs::read_dir(entry.path()).unwrap() {
                names.push(Path::new(&entry.file_name()).join(inner.unwrap().file_name()));
            }
        } else {
            names.push(PathBuf::from(entry.file_name()));
        }
    }
    names.sort();
    assert!(names.len() >= 11, "{names:?}");
    for name in &names {
        let left = std::fs::read(a.join(name)).unwrap();
        let right = std::fs::read(b.join(name)).unwrap();
        assert!(left == right, "{name:?} differs between two builds");
    }
    let report = std::fs::read_to_string(a.join("report.md")).unwrap();
    for figure in [
        "3.836",
        "61.919",
        "0,9",
        "1.414",
        "5,7",
        "| **Amsterdam** |",
    ] {
        assert!(report.contains(figure), "report.md lacks {figure}");
    }
    let figures: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(a.join("figures.json")).unwrap()).unwrap();
    assert_eq!(figures["year"], 2021);
    std::fs::remove_dir_all(&base).ok();
}
