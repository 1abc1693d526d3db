//! `oco-report validate` through the command line: the clean bill of the default data with its
//! row counts, the report year it chooses, school names without a match with suggestions, and
//! that no value of a column outside the contract (names, e-mail, phone, notes) ever appears
//! in its output, text or JSON, for good rows and bad ones.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value as Json, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("the binary runs");
    let run = Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{args:?}: {}", run.stderr);
    run
}

fn json_of(args: &[&str]) -> (i32, Json) {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let out = run(&args);
    let value = serde_json::from_str(&out.stdout).expect("validate prints JSON");
    (out.code, value)
}

fn file<'a>(value: &'a Json, name: &str) -> &'a Json {
    value["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["file"] == name)
        .unwrap_or_else(|| panic!("no {name} in {value}"))
}

#[test]
fn default_data_is_clean_with_row_counts() {
    let out = run(&["validate"]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let text = &out.stdout;
    assert!(
        text.contains(
            "Report year 2021 (school year 2020-2021): the latest complete school year in the \
             dossiers, which run to 2021-08-24."
        ),
        "{text}"
    );
    let dossiers = text
        .lines()
        .find(|l| l.starts_with("dossiers.csv "))
        .expect("a row for dossiers.csv");
    let cells: Vec<&str> = dossiers.split_whitespace().collect();
    assert_eq!(
        &cells[..6],
        ["dossiers.csv", "5060", "5040", "20", "0", "0"],
        "{text}"
    );
    assert!(
        dossiers.ends_with("school years 2017-2018 to 2020-2021"),
        "{dossiers}"
    );
    assert!(
        text.trim_end()
            .ends_with("No problems: every file meets the input contract (docs/inputs.md)."),
        "{text}"
    );
}

#[test]
fn default_data_as_json() {
    let (code, value) = json_of(&["validate", "--data", "data"]);
    assert_eq!(code, 0);
    assert_eq!(value["status"], "clean");
    assert_eq!(value["exit_code"], 0);
    assert_eq!(value["problems"], json!([]));
    assert_eq!(value["report_year"]["year"], 2021);
    assert_eq!(
        value["report_year"]["chosen_by"],
        "latest complete school year in the dossiers"
    );
    let expected = [
        ("dossiers.csv", 5060),
        ("voorlichtingen.csv", 415),
        ("pageviews.csv", 1485),
        ("scholen.csv", 206),
        ("leerlingen-stadsdeel.csv", 28),
        ("leerlingen-sector.csv", 6),
    ];
    let names: Vec<&str> = value["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(names, expected.map(|(name, _)| name));
    for (name, rows) in expected {
        let f = file(&value, name);
        assert_eq!(f["rows"], rows, "{f}");
        assert_eq!(f["read"], true);
        // Every row is used, outside the windows or rejected.
        let sum = f["used"].as_u64().unwrap()
            + f["outside"].as_u64().unwrap()
            + f["rejected"].as_u64().unwrap();
        assert_eq!(sum, rows, "{f}");
    }
    let cbs = file(&value, "leerlingen-stadsdeel.csv");
    assert_eq!(
        (&cbs["used"], &cbs["window"]),
        (&json!(7), &json!("CBS school year 2019/2020"))
    );
}

#[test]
fn the_year_can_be_chosen() {
    let (code, value) = json_of(&["validate", "--year", "2019"]);
    assert_eq!(code, 0);
    assert_eq!(
        value["report_year"],
        json!({"year": 2019, "school_year": "2018-2019", "chosen_by": "--year", "last_dossier": null})
    );
    let dossiers = file(&value, "dossiers.csv");
    assert_eq!(
        dossiers["window"], "school years 2015-2016 to 2018-2019",
        "{dossiers}"
    );
    let voorlichtingen = file(&value, "voorlichtingen.csv");
    assert_eq!(voorlichtingen["window"], "calendar years 2016 to 2019");
    let text = run(&["validate", "--year", "2019"]).stdout;
    assert!(
        text.contains("Report year 2019 (school year 2018-2019), as given with --year."),
        "{text}"
    );
    let out = run(&["validate", "--year", "1900"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("out of range"), "{}", out.stderr);
}

#[test]
fn school_names_without_a_match_come_with_the_nearest_registry_names() {
    let out = run(&["validate"]);
    assert!(
        out.stdout.contains(
            "School names in dossiers.csv that match no school in scholen.csv: 40 names, 40 \
             dossiers."
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(
            "  \"Dalon Zwanenhout\": 1 dossier, 1 in the report windows; nearest: Dalton \
             Zwanenhout; "
        ),
        "{}",
        out.stdout
    );
    let (_, value) = json_of(&["validate"]);
    let schools = value["unmatched_schools"].as_array().unwrap();
    assert_eq!(schools.len(), 40);
    let dalon = schools
        .iter()
        .find(|s| s["name"] == "Dalon Zwanenhout")
        .unwrap();
    assert_eq!(dalon["suggestions"].as_array().unwrap().len(), 3);
    assert_eq!(dalon["suggestions"][0], "Dalton Zwanenhout");
    assert_eq!(
        (&dalon["dossiers"], &dalon["brin"]),
        (&json!(1), &json!(false))
    );
}

/// A copy of `data/` in a temporary folder, removed when dropped.
struct Copy(PathBuf);

impl Copy {
    fn new(name: &str) -> Copy {
        let dir =
            std::env::temp_dir().join(format!("oco-report-validate-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        for entry in fs::read_dir(root().join("data")).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
        Copy(dir)
    }

    fn arg(&self) -> String {
        self.0.display().to_string()
    }

    /// Edits a UTF-8 or Windows-1252 file line by line (1-based numbers; `edit` gets a line
    /// without its line end, which is kept: the exports mix `\r\n` and `\n`).
    fn edit(&self, file: &str, edit: impl Fn(usize, String) -> String) {
        let path = self.0.join(file);
        let bytes = fs::read(&path).unwrap();
        let latin = std::str::from_utf8(&bytes).is_err();
        let text: String = if latin {
            bytes.iter().map(|&b| b as char).collect()
        } else {
            String::from_utf8(bytes).unwrap()
        };
        let lines: Vec<String> = text
            .split('\n')
            .enumerate()
            .map(|(i, line)| match line.strip_suffix('\r') {
                Some(line) => edit(i + 1, line.to_string()) + "\r",
                None => edit(i + 1, line.to_string()),
            })
            .collect();
        let text = lines.join("\n");
        let bytes = if latin {
            text.chars().map(|c| c as u32 as u8).collect()
        } else {
            text.into_bytes()
        };
        fs::write(&path, bytes).unwrap();
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const MARKER: &str = "GEHEIM7319";

/// Replaces the cell `index` (0-based, by `separator`) of a line that has no quotes.
fn set_cell(line: &str, separator: char, index: usize, value: &str) -> String {
    let mut cells: Vec<String> = line.split(separator).map(str::to_string).collect();
    cells[index] = value.to_string();
    cells.join(&separator.to_string())
}

#[test]
fn no_value_outside_the_contract_ever_appears() {
    let data = Copy::new("privacy");
    // dossiers.csv: naam_ouder 13, email 14, telefoon 15, notities 16. Every line without
    // quotes gets the marker in those columns; then some rows are broken in every way the
    // readers know, with the marker next to the break.
    data.edit("dossiers.csv", |n, line| {
        if n == 1 || line.trim().is_empty() || line.contains('"') {
            return line;
        }
        let mut line = line;
        for (i, value) in [
            (13, format!("{MARKER} Jansen")),
            (14, format!("{MARKER}@example.org")),
            (15, format!("06-{MARKER}")),
            (16, format!("Ouder zegt {MARKER}")),
        ] {
            line = set_cell(&line, ',', i, &value);
        }
        match n {
            // A bad date, a bad number, an unknown sector, an unknown theme, a bad bool.
            10 => set_cell(&line, ',', 1, "31-13-2017"),
            12 => set_cell(&line, ',', 8, "veel"),
            13 => set_cell(&line, ',', 2, "kleuterschool"),
            14 => set_cell(&line, ',', 3, "zorg|sport"),
            15 => set_cell(&line, ',', 9, "misschien"),
            // The marker in a contract column is shown like any contract value would be: but
            // not the rest of the row.
            // A row with an extra cell, and one with the marker where a cell is missing.
            19 => format!("{line},{MARKER}"),
            22 => line.replacen(',', &format!(";{MARKER};"), 1),
            // A NUL byte and a long value in the notes (never read), and in a contract column.
            24 => set_cell(&line, ',', 16, &format!("{MARKER}\0{MARKER}")),
            26 => set_cell(&line, ',', 16, &MARKER.repeat(100_000)),
            29 => set_cell(&line, ',', 4, "tele\0foon"),
            // A quote never closed in the notes, swallowing rows.
            32 => set_cell(&line, ',', 16, &format!("\"{MARKER} belt terug")),
            _ => line,
        }
    });
    // voorlichtingen.csv: contactpersoon 8 and opmerking 9.
    data.edit("voorlichtingen.csv", |n, line| {
        if n == 1 || line.trim().is_empty() || line.contains('"') {
            return line;
        }
        let line = set_cell(&line, ';', 8, &format!("Contact {MARKER}"));
        let line = set_cell(&line, ';', 9, &format!("Opmerking {MARKER}"));
        match n {
            3 => set_cell(&line, ';', 0, "gisteren"),
            5 => set_cell(&line, ';', 1, "Amstelveen"),
            7 => format!("{line};{MARKER}"),
            _ => line,
        }
    });
    // The last line of dossiers.csv opens a quote in the notes that is never closed.
    let path = data.0.join("dossiers.csv");
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(
        format!("D9999-00001,2021-08-24,vo,zorg,telefoon,,,,1,nee,,,,{MARKER},{MARKER},{MARKER},\"{MARKER}\n{MARKER}\n").as_bytes(),
    );
    fs::write(&path, bytes).unwrap();

    let text = run(&["validate", "--data", &data.arg()]);
    assert_eq!(text.code, 1, "{}{}", text.stdout, text.stderr);
    // The breaks are all reported...
    for expected in [
        "dossiers.csv:10: column datum:",
        "dossiers.csv:12: column contactmomenten:",
        "dossiers.csv:13: column sector:",
        "dossiers.csv:14: column themas:",
        "dossiers.csv:15: column passend_onderwijs:",
        "dossiers.csv:19: expected 17 fields",
        "dossiers.csv:22: expected 17 fields",
        "dossiers.csv:29: column kanaal: holds a NUL byte",
        "dossiers.csv:32: column notities: a value that starts with a quote on line 32",
        "column notities: a value that starts with a quote on line",
        "voorlichtingen.csv:3: column datum:",
        "voorlichtingen.csv:5: column stadsdeel:",
        "voorlichtingen.csv:7: expected 10 fields",
    ] {
        assert!(
            text.stdout.contains(expected),
            "missing {expected:?}:\n{}",
            text.stdout
        );
    }
    // ... and no value of a column outside the contract is, in text or JSON, nor in what
    // build says.
    assert!(
        !text.stdout.contains(MARKER) && !text.stderr.contains(MARKER),
        "{}",
        text.stdout
    );
    let json = run(&["validate", "--data", &data.arg(), "--format", "json"]);
    assert_eq!(json.code, 1);
    assert!(json.stdout.contains("dossiers.csv"));
    assert!(!json.stdout.contains(MARKER), "{}", json.stdout);
    let out = std::env::temp_dir().join(format!("oco-report-validate-{}-out", std::process::id()));
    let build = run(&[
        "build",
        "2021",
        "--data",
        &data.arg(),
        "--out",
        &out.display().to_string(),
    ]);
    assert_eq!(build.code, 2);
    assert!(
        build.stderr.contains("oco-report validate"),
        "{}",
        build.stderr
    );
    assert!(!build.stderr.contains(MARKER), "{}", build.stderr);
    assert!(!out.exists());
}

#[test]
fn privacy_of_good_rows_in_a_clean_folder() {
    let data = Copy::new("privacy-clean");
    data.edit("dossiers.csv", |n, line| {
        if n == 1 || line.trim().is_empty() || line.contains('"') {
            return line;
        }
        set_cell(&line, ',', 16, &format!("Notitie {MARKER}"))
    });
    let text = run(&["validate", "--data", &data.arg()]);
    assert_eq!(text.code, 0, "{}", text.stdout);
    let json = run(&["validate", "--data", &data.arg(), "--format", "json"]);
    assert!(!text.stdout.contains(MARKER) && !json.stdout.contains(MARKER));
}

#[test]
fn a_first_line_of_data_is_not_shown_as_column_names() {
    let data = Copy::new("no-header");
    data.edit("dossiers.csv", |n, line| match n {
        1 => format!("D0,2017-08-01,po,zorg,telefoon,,,,1,nee,,,,{MARKER} Jansen,{MARKER}@example.org,06-12345678,"),
        _ => line,
    });
    let out = run(&["validate", "--data", &data.arg()]);
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains(
            "dossiers.csv:1: missing required columns dossier_id, datum, sector, themas, kanaal; \
             the header line has: 17 cells that look like data, not column names (is the header \
             line missing?)"
        ),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains(MARKER), "{}", out.stdout);
}
