//! `oco-report explain`: every figure of every count table traced to what it is made of, by
//! the same computation as `table`.
//!
//! On the default data (`data/`): for every row and column of every count table the number of
//! CSV lines `explain` gives is the figure `table` prints; a totals row adds the figures of
//! the other rows; a percentage is its numerator of its denominator, the CBS count with its
//! file, line and school year; small cells stay hidden; nothing personal is printed, not even
//! a school name as typed in the CRM.

use std::collections::BTreeMap;
use std::path::Path;

use oco_report::appendices::{self, Options};
use oco_report::explain::{self, Explanation, MadeOf, Request};
use oco_report::frames::Frames;
use oco_report::model::DataSet;
use oco_report::table::{ReportTable, Value};

mod common;
use common::{oco_report as run, succeeded};

const YEAR: i32 = 2021;

fn default_data() -> DataSet {
    oco_report::ingest::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data"))
        .expect("the default data")
}

fn request<'a>(table: &'a str, row: &'a str, options: &'a Options) -> Request<'a> {
    Request {
        table,
        year: YEAR,
        row,
        column: None,
        options,
        min_cell: None,
        baseline: None,
    }
}

/// The data lines of a CSV text (without its header).
fn csv_lines(text: &str) -> usize {
    text.lines().count().saturating_sub(1)
}

/// Every figure of every row of `table`, explained, checked against the table.
fn check_table(data: &DataSet, frames: &Frames, table: &ReportTable, options: &Options) -> usize {
    let mut counts = 0;
    for row in &table.rows {
        let explained = explain::explain(data, frames, &request(&table.id, &row.key, options))
            .unwrap_or_else(|e| panic!("{} row {}: {e:#}", table.id, row.key));
        assert_eq!(explained.len(), table.columns.len() - 1, "{}", table.id);
        for (e, value) in explained.iter().zip(&row.values) {
            let cell = format!("{} / {} / {}", table.id, row.key, e.column);
            match (&e.made_of, value) {
                (MadeOf::Count { items, .. }, Value::Count(n)) => {
                    assert!(!row.total, "{cell}: a totals row is a sum");
                    let csv = explain::csv(e);
                    assert_eq!(csv_lines(&csv) as i64, *n, "{cell}:\n{csv}");
                    let header = match table.id.as_str() {
                        "stadsdelen" | "schoolweging" => "id,datum,gekoppeld_op,brin,school\n",
                        _ => "id,datum\n",
                    };
                    assert!(csv.starts_with(header), "{cell}:\n{csv}");
                    assert_eq!(items.len() as i64, *n, "{cell}");
                    counts += 1;
                }
                (MadeOf::Sum { terms }, Value::Count(n)) => {
                    assert!(row.total, "{cell}: only a totals row is a sum");
                    let sum: i64 = terms.iter().map(|t| t.value.as_i64().unwrap()).sum();
                    assert_eq!(sum, *n, "{cell}");
                    assert_eq!(terms.len(), table.rows.len() - 1, "{cell}");
                }
                (
                    MadeOf::Percentage {
                        numerator,
                        denominator,
                    },
                    Value::Tenths(tenths),
                ) => {
                    let (p, q) = (
                        numerator.value.as_i64().unwrap(),
                        denominator.value.as_i64().unwrap(),
                    );
                    assert_eq!(*tenths, oco_report::table::percent_tenths(p, q), "{cell}");
                    assert_eq!(Some(&Value::Count(p)), row.get(table, &numerator.column));
                    assert_eq!(Some(&Value::Count(q)), row.get(table, &denominator.column));
                }
                (MadeOf::Source { source }, Value::Count(n)) => {
                    assert_eq!(source.lines.len(), 1, "{cell}");
                    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                        .join("data")
                        .join(&source.file);
                    let text = std::fs::read_to_string(&path).unwrap();
                    let line = text.lines().nth(source.lines[0] - 1).unwrap();
                    assert!(line.contains(&row.key), "{cell}: {line}");
                    assert!(line.ends_with(&format!(",{n}")), "{cell}: {line}");
                }
                (MadeOf::Comparison { terms, .. }, Value::Text(_)) => {
                    assert!(!terms.is_empty(), "{cell}");
                }
                (other, value) => panic!("{cell}: {value:?} explained as {other:?}"),
            }
        }
    }
    counts
}

/// The test the issue asks for: every row and column of every count table of the default
/// data, the number of CSV lines equals the figure (and totals, percentages, sources agree).
#[test]
fn every_count_of_every_count_table_is_its_lines() {
    let data = default_data();
    let frames = Frames::new(&data).unwrap();
    let ids = explain::table_ids();
    for published in common::COUNT_TABLES_2021 {
        assert!(ids.contains(&published), "{published} not in {ids:?}");
    }
    let mut counted = BTreeMap::new();
    for id in &ids {
        let options = Options::default();
        let table = appendices::compute_table_from(&data, &frames, YEAR, id, &options).unwrap();
        counted.insert(
            id.to_string(),
            check_table(&data, &frames, &table, &options),
        );
    }
    // Another sector's month table: the same step, another filter.
    let options = Options {
        maand_sector: "po".to_string(),
    };
    let table =
        appendices::compute_table_from(&data, &frames, YEAR, "helpdesk-maand", &options).unwrap();
    assert_eq!(table.title, "Dossiers sector po per maand en thema");
    counted.insert(
        "helpdesk-maand po".to_string(),
        check_table(&data, &frames, &table, &options),
    );
    // Every count cell was explained line by line: 7 stadsdelen × 2, 4 bands × 3, 6 groups,
    // 3 groups × 3 WhatsApp counts, 11 themes × 3 years × 13 month columns, ...
    assert_eq!(counted["stadsdelen"], 14);
    assert_eq!(counted["schoolweging"], 12);
    assert_eq!(counted["sectoren"], 6);
    assert_eq!(counted["kanalen"], 9);
    assert_eq!(counted["helpdesk-themas"], 33);
    assert_eq!(counted["helpdesk-sectoren"], 39);
    assert_eq!(counted["helpdesk-maand"], 429);
    assert_eq!(counted["helpdesk-maand po"], 429);
    for id in ids
        .iter()
        .filter(|id| id.starts_with("voorlichtingen-") || id.starts_with("passend-"))
    {
        assert!(counted[*id] >= 8, "{id}: {}", counted[*id]);
    }
}

/// The published Zuidoost figure, 0,7 %: 46 dossiers of 6.884 CBS pupils of 2019/2020, the
/// denominator named with its file and line.
#[test]
fn a_percentage_shows_the_cbs_denominator() {
    let out = run(&[
        "explain",
        "stadsdelen",
        "2021",
        "--row",
        "Zuidoost",
        "--column",
        "pct_excl_webinars",
    ]);
    let text = succeeded(&out, "explain --format text");
    let cbs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/leerlingen-stadsdeel.csv"),
    )
    .unwrap();
    let line = cbs
        .lines()
        .position(|l| l == "Zuidoost,2019/2020,6884")
        .expect("the CBS row of Zuidoost")
        + 1;
    assert!(text.contains(": 0,7\n"), "{text}");
    assert!(text.contains("46 / 6.884"), "{text}");
    assert!(
        text.contains(&format!(
            "noemer 6.884: CBS: leerlingen basisonderwijs in Zuidoost in schooljaar 2019/2020, \
             leerlingen-stadsdeel.csv regel {line}"
        )),
        "{text}"
    );

    let out = run(&[
        "explain",
        "stadsdelen",
        "2021",
        "--row",
        "zuidoost",
        "--column",
        "pct_excl_webinars",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&succeeded(&out, "json")).unwrap();
    assert_eq!(json["kind"], "percentage");
    assert_eq!(json["value"], 0.7);
    assert_eq!(json["numerator"]["column"], "vragen_excl_webinars");
    assert_eq!(json["numerator"]["value"], 46);
    let denominator = &json["denominator"];
    assert_eq!(denominator["value"], 6884);
    assert_eq!(denominator["lines"]["file"], "leerlingen-stadsdeel.csv");
    assert_eq!(denominator["lines"]["lines"][0], line);
    assert_eq!(denominator["lines"]["schooljaar"], "2019/2020");

    // The numerator's 46 dossiers, in CSV: 46 lines.
    let out = run(&[
        "explain",
        "stadsdelen",
        "2021",
        "--row",
        "Zuidoost",
        "--column",
        "vragen_excl_webinars",
        "--format",
        "csv",
    ]);
    let csv = succeeded(&out, "csv");
    assert_eq!(csv_lines(&csv), 46, "{csv}");
    assert!(
        csv.starts_with("id,datum,gekoppeld_op,brin,school\n"),
        "{csv}"
    );
}

/// A sector group's share: the denominator from leerlingen-sector.csv; a WhatsApp share:
/// two counts of the same row.
#[test]
fn other_percentages_name_their_parts() {
    let data = default_data();
    let frames = Frames::new(&data).unwrap();
    let options = Options::default();
    let explained = |table: &str, row: &str, column: &str| -> Explanation {
        let mut r = request(table, row, &options);
        r.column = Some(column);
        explain::explain(&data, &frames, &r).unwrap().remove(0)
    };
    // 458 of 8.000 = 5,7 % (published).
    let e = explained("sectoren", "po-vo", "pct");
    let MadeOf::Percentage {
        numerator,
        denominator,
    } = &e.made_of
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        (numerator.value.as_i64(), denominator.value.as_i64()),
        (Some(458), Some(8000))
    );
    let lines = denominator.lines.as_ref().expect("the sector file's line");
    assert_eq!(lines.file, "leerlingen-sector.csv");
    // 8 of 21 WhatsApp dossiers came through an article: 38,1 % (published).
    let e = explained("kanalen", "po", "pct_artikel_van_whatsapp");
    let MadeOf::Percentage {
        numerator,
        denominator,
    } = &e.made_of
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        (numerator.value.as_i64(), denominator.value.as_i64()),
        (Some(8), Some(21))
    );
    assert!(denominator.lines.is_none());
    assert!(
        denominator.source.contains("--column whatsapp"),
        "{}",
        denominator.source
    );
}

/// School-based figures say how each dossier's school was found: the default data has all
/// three ways, and a name or alias match shows the registry's name, never the name as typed.
#[test]
fn school_matches_show_registry_names_never_the_name_as_typed() {
    let data = default_data();
    let frames = Frames::new(&data).unwrap();
    let options = Options::default();
    let mut ways = BTreeMap::new();
    let mut output = String::new();
    for stadsdeel in &data.config.stadsdelen {
        let mut r = request("stadsdelen", stadsdeel, &options);
        r.column = Some("vragen_incl_webinars");
        let explained = explain::explain(&data, &frames, &r).unwrap();
        output.push_str(&explain::text(&explained));
        output.push_str(&explain::csv(&explained[0]));
        output.push_str(&serde_json::to_string(&explained).unwrap());
        let MadeOf::Count { items, .. } = &explained[0].made_of else {
            panic!("a count")
        };
        for item in items {
            *ways
                .entry(item.matched_by.expect("how it matched"))
                .or_insert(0) += 1;
            let brin = item.brin.as_deref().expect("a brin");
            let school = data.scholen.iter().find(|s| s.brin == brin).unwrap();
            assert_eq!(item.school.as_deref(), Some(school.naam.as_str()));
        }
    }
    assert_eq!(ways.len(), 3, "{ways:?}");
    assert_eq!(ways.values().sum::<i32>(), 716, "{ways:?}");

    // The names as typed of the dossiers matched by name: those that are not the registry's
    // own spelling appear nowhere in the output.
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/dossiers.csv"))
            .unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let naam = header.iter().position(|h| h == "schoolnaam").unwrap();
    let registry: Vec<&str> = data.scholen.iter().map(|s| s.naam.as_str()).collect();
    let mut typed_differently = 0;
    for record in reader.records() {
        let typed = record.unwrap()[naam].trim().to_string();
        if typed.len() < 4 || registry.iter().any(|r| r.contains(typed.as_str())) {
            continue;
        }
        typed_differently += 1;
        assert!(
            !output.contains(&typed),
            "the name as typed {typed:?} was printed"
        );
    }
    assert!(typed_differently > 50, "{typed_differently}");
    for personal in ["@example.org", "Ouder 0", "06-0000"] {
        assert!(!output.contains(personal));
    }
}

/// With --min-cell a small count is not explained dossier by dossier, nor a percentage of its
/// row; the other figures are.
#[test]
fn small_cells_stay_hidden() {
    let args = |column: &str, format: &str| {
        run(&[
            "explain",
            "kanalen",
            "2021",
            "--row",
            "po",
            "--column",
            column,
            "--min-cell",
            "10",
            "--format",
            format,
        ])
    };
    // 8 WhatsApp dossiers of po came through an article.
    let csv = succeeded(&args("whatsapp_artikel", "csv"), "hidden csv");
    assert_eq!(csv, "id,datum\n");
    let text = succeeded(&args("whatsapp_artikel", "text"), "hidden text");
    assert!(text.contains(": <10\n"), "{text}");
    assert!(text.contains("Verborgen (--min-cell 10)"), "{text}");
    assert!(!text.contains("D20"), "{text}");
    let text = succeeded(&args("pct_whatsapp", "text"), "hidden percentage");
    assert!(text.contains(": x\n") && !text.contains("noemer"), "{text}");
    // 21 via WhatsApp: shown, and explained.
    let csv = succeeded(&args("whatsapp", "csv"), "shown csv");
    assert_eq!(csv_lines(&csv), 21, "{csv}");
}

/// --vergelijk: an unchanged figure says so; a changed one gives the earlier value and says
/// that figures.json cannot tell which dossiers entered or left.
#[test]
fn vergelijk_against_earlier_figures() {
    let data = default_data();
    let appendices = appendices::compute_all(&data, YEAR, &Options::default()).unwrap();
    let figures = oco_report::render::json::figures(YEAR, &appendices);
    let dir = common::temp_dir("explain", "vergelijk");
    let same = dir.join("same.json");
    std::fs::write(&same, &figures).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&figures).unwrap();
    let tables = json["appendices"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|a| a["tables"].as_array_mut().unwrap().iter_mut());
    let mut changed = false;
    for table in tables.filter(|t| t["id"] == "stadsdelen") {
        for row in table["rows"].as_array_mut().unwrap() {
            if row["key"] == "Zuidoost" {
                row["values"]["vragen_excl_webinars"] = serde_json::json!(40);
                changed = true;
            }
        }
    }
    assert!(changed);
    let other = dir.join("other.json");
    std::fs::write(&other, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let explain = |baseline: &Path| {
        let out = run(&[
            "explain",
            "stadsdelen",
            "2021",
            "--row",
            "Zuidoost",
            "--column",
            "vragen_excl_webinars",
            "--vergelijk",
            baseline.to_str().unwrap(),
        ]);
        succeeded(&out, "explain --vergelijk")
    };
    let text = explain(&same);
    assert!(
        text.contains("Eerder (2021): 46 (2017-2018 t/m 2020-2021); ongewijzigd"),
        "{text}"
    );
    let text = explain(&other);
    assert!(text.contains("Eerder (2021): 40 "), "{text}");
    assert!(
        text.contains("welke dossiers erbij kwamen of afvielen"),
        "{text}"
    );
}

/// Errors name what is known: the tables explain covers, a table's rows and columns; csv
/// needs one figure.
#[test]
fn unknown_rows_and_columns_are_named() {
    let out = run(&["explain", "stadsdelen", "2021", "--row", "Weesp"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no row \"Weesp\"") && err.contains("Zuidoost, Amsterdam"),
        "{err}"
    );
    let out = run(&[
        "explain",
        "stadsdelen",
        "2021",
        "--row",
        "West",
        "--column",
        "x",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("vragen_excl_webinars, pct_excl_webinars"),
        "{err}"
    );
    let out = run(&["explain", "websitebezoek", "2021", "--row", "2020-2021"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kanalen"), "{err}");
    let out = run(&[
        "explain", "sectoren", "2021", "--row", "po", "--format", "csv",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--column"));
}

/// --vergelijk against an earlier `explain --format json`: after a CRM correction (a dossier
/// removed from the export) the figure names the dossier that left it; the percentage it
/// divides says it cannot tell, and an unchanged figure says so.
#[test]
fn vergelijk_against_an_earlier_explain_names_the_dossiers() {
    let dir = common::temp_dir("explain", "correctie");
    let earlier = dir.join("earlier.json");
    let out = run(&[
        "explain",
        "stadsdelen",
        "2021",
        "--row",
        "Zuidoost",
        "--format",
        "json",
    ]);
    std::fs::write(&earlier, succeeded(&out, "explain --format json")).unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&earlier).unwrap()).unwrap();
    let counted = json
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["column"] == "vragen_excl_webinars")
        .unwrap();
    let gone = counted["items"][0]["id"].as_str().unwrap().to_string();

    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, data.join(path.file_name().unwrap())).unwrap();
    }
    let dossiers = std::fs::read_to_string(source.join("dossiers.csv")).unwrap();
    let kept: Vec<&str> = dossiers
        .split('\n')
        .filter(|line| !line.starts_with(&format!("{gone},")))
        .collect();
    assert_eq!(kept.len() + 1, dossiers.split('\n').count());
    std::fs::write(data.join("dossiers.csv"), kept.join("\n")).unwrap();

    let explain = |column: &str| {
        let out = run(&[
            "explain",
            "stadsdelen",
            "2021",
            "--data",
            data.to_str().unwrap(),
            "--row",
            "Zuidoost",
            "--column",
            column,
            "--vergelijk",
            earlier.to_str().unwrap(),
        ]);
        succeeded(&out, "explain --vergelijk")
    };
    let text = explain("vragen_excl_webinars");
    assert!(text.contains(": 45\n"), "{text}");
    assert!(
        text.contains("Eerder (2021): 46 (2017-2018 t/m 2020-2021); 0 erbij, 1 eraf\n"),
        "{text}"
    );
    assert!(text.ends_with(&format!("  eraf  {gone}\n")), "{text}");
    // 45 of 6.884 is 0,7 % as 46 was: the same figure, said so.
    let text = explain("pct_excl_webinars");
    assert!(
        text.contains("Eerder (2021): 0,7 (2017-2018 t/m 2020-2021); ongewijzigd"),
        "{text}"
    );
    let text = explain("leerlingen");
    assert!(text.contains("; ongewijzigd"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_rule_of_a_column_with_webinars_says_it_counts_them() {
    let data = default_data();
    let frames = Frames::new(&data).unwrap();
    let options = Options::default();
    for (column, said) in [
        (
            "vragen_excl_webinars",
            "Excl. webinars: zonder de vragen van kanaal webinar",
        ),
        ("vragen_incl_webinars", "incl. webinars: met die vragen"),
    ] {
        let mut r = request("stadsdelen", "Zuidoost", &options);
        r.column = Some(column);
        let explained = explain::explain(&data, &frames, &r).unwrap();
        let MadeOf::Count { rule, .. } = &explained[0].made_of else {
            panic!("a count")
        };
        assert!(rule.contains(said), "{column}: {rule}");
    }
}
