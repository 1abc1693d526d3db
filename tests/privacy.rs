//! Personal data never leaves the exports: the values of the columns outside the input contract
//! (names, e-mail addresses, phone numbers, notes about children) appear in no output file, on
//! no standard output or error, in no error message, whether the rows are good or bad.
//!
//! A marker is planted in every such column of `dossiers.csv` and `voorlichtingen.csv` (the
//! second data set, `tests/data/tweede/`, with its own marker replaced by this one), in the
//! forms personal data takes: a name, an e-mail address, a phone number, a note over two lines
//! with quotes and separators. Then the real binary runs `build` (also with `--min-cell`),
//! `table` for every table in every format, `validate` and `check`, first on good rows, then
//! with bad rows added (bad dates, unknown categories, rows with too many or too few fields, a
//! duplicate id, an unclosed quote), where each command must fail and name the problems
//! without the marker. Output files are read inside too: the entries of `tabellen.xlsx` (a zip), the text
//! chunks of the PNGs.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::oco_report as run;
use common::{header_key, read_csv, readable_parts, write_csv};

/// Compared case-insensitively: e-mail addresses carry it in lower case.
const MARKER: &str = "geheim-q7x";

/// The columns of the contract (`docs/inputs.md`), as header keys; `aanmaakdatum` is the
/// renamed `datum` of the second data set's `oco-report.toml`.
const DOSSIER_CONTRACT: &[&str] = &[
    "dossier_id",
    "datum",
    "aanmaakdatum",
    "sector",
    "themas",
    "kanaal",
    "herkomst",
    "school_brin",
    "schoolnaam",
    "contactmomenten",
    "passend_onderwijs",
    "schooltype",
    "vragen",
    "diagnoses",
];
const VOORLICHTING_CONTRACT: &[&str] = &[
    "datum",
    "stadsdeel",
    "thema",
    "organisatie",
    "vorm",
    "locaties",
    "deelnemers",
    "status",
];

/// Personal data as it appears in exports, each holding the marker.
fn personal(column: &str, row: usize) -> String {
    let column = column.to_lowercase();
    if column.contains("mail") {
        format!("{MARKER}.ouder{row}@example.org")
    } else if column.contains("telefoon") || column.contains("phone") {
        format!("+31 6 {row:04} {}", MARKER.to_uppercase())
    } else if column.contains("naam") || column.contains("contact") {
        format!("Ouder {row} {}", MARKER.to_uppercase())
    } else {
        format!(
            "Notitie {row}: {MARKER}; zoon (8) zegt \"juf, help\"\nTweede regel {}",
            MARKER.to_uppercase()
        )
    }
}

/// The cells of a row by header key.
fn row(
    header: &[String],
    cells: &[(&str, &str)],
    personal_row: usize,
    contract: &[&str],
) -> Vec<String> {
    header
        .iter()
        .map(|h| {
            let key = header_key(h);
            if let Some((_, v)) = cells.iter().find(|(k, _)| *k == key) {
                v.to_string()
            } else if contract.contains(&key.as_str()) {
                String::new()
            } else {
                personal(h, personal_row)
            }
        })
        .collect()
}

/// A data folder: the second data set with the marker in every column outside the contract,
/// plus the bad rows when `bad`.
fn data_folder(name: &str, bad: bool) -> PathBuf {
    let dir = common::temp_dir("privacy", name);
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tweede");
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }

    // dossiers.csv
    let (separator, header, rows) = read_csv(&source.join("dossiers.csv"));
    let personal_columns: Vec<usize> = (0..header.len())
        .filter(|&i| !DOSSIER_CONTRACT.contains(&header_key(&header[i]).as_str()))
        .collect();
    assert!(
        personal_columns.len() >= 4,
        "the second data set has personal-data columns: {header:?}"
    );
    let mut out = vec![header.clone()];
    for (n, mut cells) in rows.into_iter().enumerate() {
        for &i in &personal_columns {
            cells[i] = personal(&header[i], n);
        }
        out.push(cells);
    }
    let mut tail = String::new();
    if bad {
        let c = DOSSIER_CONTRACT;
        let dossier = |id: &'static str, extra: &[(&'static str, &'static str)]| {
            let mut cells = vec![
                ("dossier_id", id),
                ("aanmaakdatum", "15-03-2021"),
                ("sector", "po"),
                ("themas", "zorg"),
                ("kanaal", "telefoon"),
            ];
            for &(k, v) in extra {
                cells.retain(|(key, _)| *key != k);
                cells.push((k, v));
            }
            cells
        };
        let bad_rows: Vec<Vec<(&str, &str)>> = vec![
            dossier("BAD-1", &[("aanmaakdatum", "31-13-2021")]),
            dossier("BAD-2", &[("sector", "kleuterschool")]),
            dossier("BAD-3", &[("kanaal", "postduif")]),
            dossier("BAD-4", &[("themas", "zorg|onbekend thema")]),
            dossier("BAD-5", &[("contactmomenten", "-1")]),
            dossier("BAD-6", &[("passend_onderwijs", "misschien")]),
            dossier("BAD-7", &[("aanmaakdatum", "")]),
            dossier("D2021-001", &[]),
        ];
        for (n, cells) in bad_rows.iter().enumerate() {
            out.push(row(&header, cells, 900 + n, c));
        }
        // Too many fields: the personal data spills into an extra one.
        let mut ragged = row(&header, &dossier("BAD-8", &[]), 910, c);
        ragged.push(personal("Notities", 911));
        out.push(ragged);
        // Too few fields.
        let mut short = row(&header, &dossier("BAD-9", &[]), 912, c);
        short.truncate(header.len() - 2);
        out.push(short);
        // An unclosed quote in a note swallows the rest of the file.
        let mut unclosed = row(&header, &dossier("BAD-10", &[]), 913, c);
        unclosed.truncate(header.len() - 1);
        let mut line = String::new();
        for cell in &unclosed {
            line.push_str(&cell.replace(['"', ';', '\n'], " "));
            line.push(separator as char);
        }
        tail = format!("{line}\"{} begint een notitie; en stopt niet\n", MARKER);
    }
    write_csv(&dir.join("dossiers.csv"), separator, &out, &tail);

    // voorlichtingen.csv
    let (separator, header, rows) = read_csv(&source.join("voorlichtingen.csv"));
    let personal_columns: Vec<usize> = (0..header.len())
        .filter(|&i| !VOORLICHTING_CONTRACT.contains(&header_key(&header[i]).as_str()))
        .collect();
    assert!(personal_columns.len() >= 2, "{header:?}");
    let mut out = vec![header.clone()];
    for (n, mut cells) in rows.into_iter().enumerate() {
        for &i in &personal_columns {
            cells[i] = personal(&header[i], n);
        }
        out.push(cells);
    }
    if bad {
        let c = VOORLICHTING_CONTRACT;
        let session = |extra: &[(&'static str, &'static str)]| {
            let mut cells = vec![
                ("datum", "12-10-2021"),
                ("stadsdeel", "Zuid"),
                ("thema", "Overstap po-vo"),
                ("organisatie", "Scholen"),
                ("vorm", "fysiek"),
            ];
            for &(k, v) in extra {
                cells.retain(|(key, _)| *key != k);
                cells.push((k, v));
            }
            cells
        };
        for (n, cells) in [
            session(&[("datum", "gisteren")]),
            session(&[("stadsdeel", "Utrecht")]),
            session(&[("locaties", "0")]),
            session(&[("status", "misschien")]),
            session(&[("thema", "")]),
        ]
        .iter()
        .enumerate()
        {
            out.push(row(&header, cells, 950 + n, c));
        }
        let mut ragged = row(&header, &session(&[]), 960, c);
        ragged.push(personal("Opmerking", 961));
        out.push(ragged);
    }
    write_csv(&dir.join("voorlichtingen.csv"), separator, &out, "");

    // The planted marker is really there, in every personal column and bad row.
    let planted = std::fs::read_to_string(dir.join("dossiers.csv")).unwrap();
    assert!(planted.to_lowercase().matches(MARKER).count() > 100);
    dir
}

fn assert_clean(out: &Output, what: &str) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        assert!(
            !text.contains(MARKER),
            "{what}: personal data on {stream}:\n{}",
            String::from_utf8_lossy(bytes)
        );
    }
}

/// Every file under `dir`, looked into (zip entries, png text chunks), holds no marker.
fn assert_no_marker_in_files(dir: &Path) -> usize {
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        // intern/: the working material is no place for personal data either.
        if path.is_dir() {
            files += assert_no_marker_in_files(&path);
            continue;
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(&path).unwrap();
        for (part, text) in readable_parts(&name, &bytes) {
            assert!(
                !String::from_utf8_lossy(&text)
                    .to_lowercase()
                    .contains(MARKER),
                "{part} holds personal data"
            );
        }
        files += 1;
    }
    files
}

/// `validate` (where the binary has it) in both formats: it lists every problem with the rows
/// read, used and rejected, never their personal data.
fn assert_validate_clean(data: &str) {
    for format in ["text", "json"] {
        let out = run(&["validate", "--data", data, "--format", format]);
        if String::from_utf8_lossy(&out.stderr).contains("unrecognized subcommand") {
            return;
        }
        assert!(
            matches!(out.status.code(), Some(0..=2)),
            "validate ran: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(&out, &format!("validate --format {format}"));
    }
}

fn table_ids() -> Vec<String> {
    let out = run(&["table", "geen-tabel", "2021"]);
    let text = String::from_utf8_lossy(&out.stderr);
    let list = text
        .split("known tables: ")
        .nth(1)
        .expect("an unknown table lists the known ones");
    list.trim().split(", ").map(str::to_string).collect()
}

#[test]
fn good_rows_personal_data_is_in_no_output() {
    let data = data_folder("good", false);
    let d = data.to_str().unwrap();
    for (name, extra) in [("out", &[][..]), ("out-min-cell", &["--min-cell", "5"][..])] {
        let out = data.join(name);
        let mut args = vec!["build", "2021", "--data", d, "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let run_build = run(&args);
        assert!(
            run_build.status.success(),
            "build {extra:?}: {}",
            String::from_utf8_lossy(&run_build.stderr)
        );
        assert_clean(&run_build, "build");
        let files = assert_no_marker_in_files(&out);
        assert!(files > 20, "{files} files written");
    }

    let ids = table_ids();
    assert!(ids.len() > 10, "{ids:?}");
    for id in &ids {
        for format in ["md", "csv", "json"] {
            let out = run(&["table", id, "2021", "--data", d, "--format", format]);
            assert!(out.status.success(), "table {id} --format {format}");
            assert!(!out.stdout.is_empty());
            assert_clean(&out, &format!("table {id} --format {format}"));
        }
    }

    assert_validate_clean(d);

    // check against last year's report of the same data.
    let baseline = data.join("out-2020");
    let out = run(&[
        "build",
        "2020",
        "--data",
        d,
        "--out",
        baseline.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let figures = baseline.join("figures.json");
    for format in ["text", "json"] {
        let args = [
            "check",
            "2021",
            "--data",
            d,
            "--baseline",
            figures.to_str().unwrap(),
            "--format",
            format,
        ];
        let out = run(&args);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "check ran: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_clean(&out, &format!("check --format {format}"));
    }
    std::fs::remove_dir_all(&data).ok();
}

#[test]
fn bad_rows_fail_every_command_without_showing_personal_data() {
    let data = data_folder("bad", true);
    let d = data.to_str().unwrap();

    let out_dir = data.join("out");
    let build = run(&[
        "build",
        "2021",
        "--data",
        d,
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(build.status.code(), Some(2), "build fails on bad rows");
    assert_clean(&build, "build");
    let errors = String::from_utf8_lossy(&build.stderr);
    // The problems are named by file, line and column (so the bad rows were read).
    for expected in [
        "dossiers.csv:",
        "column datum",
        "kleuterschool",
        "postduif",
        "column contactmomenten",
        "column passend_onderwijs",
        "appears twice",
        "fields",
        "voorlichtingen.csv:",
        "gisteren",
        "Utrecht",
        "column locaties",
        "column status",
    ] {
        assert!(errors.contains(expected), "{expected:?} in:\n{errors}");
    }
    assert!(!out_dir.exists(), "a failed build writes nothing");
    let leftovers: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    assert_validate_clean(d);

    for id in table_ids() {
        // A table reads only its own exports: those without dossiers or voorlichtingen (the
        // files with bad rows here) print.
        let reads_bad = oco_report::appendices::table_inputs(&id)
            .iter()
            .any(|f| ["dossiers.csv", "voorlichtingen.csv"].contains(f));
        let expected = if reads_bad { 2 } else { 0 };
        for format in ["md", "csv", "json"] {
            let out = run(&["table", &id, "2021", "--data", d, "--format", format]);
            assert_eq!(out.status.code(), Some(expected), "table {id} on bad rows");
            assert_clean(&out, &format!("table {id} --format {format}"));
        }
    }

    // A good baseline, then check on the bad data: an input error (exit 2) in both formats.
    let good = data_folder("bad-baseline", false);
    let baseline = good.join("out-2020");
    let out = run(&[
        "build",
        "2020",
        "--data",
        good.to_str().unwrap(),
        "--out",
        baseline.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    let figures = baseline.join("figures.json");
    for format in ["text", "json"] {
        let args = [
            "check",
            "2021",
            "--data",
            d,
            "--baseline",
            figures.to_str().unwrap(),
            "--format",
            format,
        ];
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "check fails on bad rows");
        assert_clean(&out, &format!("check --format {format}"));
    }
    std::fs::remove_dir_all(&data).ok();
    std::fs::remove_dir_all(&good).ok();
}

/// A dossiers export saved without its header line: the first data row is taken for the
/// header, and the missing-column error lists the header cells it found. Cells of a row of data
/// are not shown there, not even a plain name (no `@`, no digits, not long).
///
/// (Fails on the `csvfile.rs` of commit 8aa756d, which showed every cell but e-mail addresses,
/// phone numbers and long text; the ingest engineer's `shown_headers` shows only contract
/// column names once a cell looks like data.)
#[test]
fn a_file_without_header_line_does_not_show_the_first_row() {
    let data = data_folder("headerless", false);
    let (separator, _, rows) = read_csv(&data.join("dossiers.csv"));
    let mut first = rows[0].clone();
    // A name column as a CRM writes it: just the name.
    for cell in first.iter_mut() {
        if cell.to_lowercase().contains(MARKER) {
            *cell = format!("Jansen {}", MARKER.to_uppercase());
        }
    }
    let mut rest = vec![first];
    rest.extend(rows[1..].iter().cloned());
    write_csv(&data.join("dossiers.csv"), separator, &rest, "");
    let out = run(&[
        "table",
        "sectoren",
        "2021",
        "--data",
        data.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("missing required column"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_clean(&out, "table on a file without a header line");
    std::fs::remove_dir_all(&data).ok();
}

/// `explain` prints dossier ids, dates and registry names: never a value of a column outside
/// the contract, nor a school name as typed. The marker is also put in `schoolnaam` wherever
/// a dossier gives a `school_brin` (so the name is read, and the brin may still match). Every
/// figure of every row of every table `explain` covers, in every format; then on bad rows.
#[test]
fn explain_shows_no_personal_data() {
    let data = data_folder("explain", false);
    let (separator, header, rows) = read_csv(&data.join("dossiers.csv"));
    let column = |name: &str| {
        header
            .iter()
            .position(|h| header_key(h) == name)
            .unwrap_or_else(|| panic!("{name} in {header:?}"))
    };
    let (brin, naam) = (column("school_brin"), column("schoolnaam"));
    let mut planted = 0;
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|mut cells| {
            if !cells[brin].trim().is_empty() {
                cells[naam] = format!("Basisschool {}", MARKER.to_uppercase());
                planted += 1;
            }
            cells
        })
        .collect();
    assert!(planted > 3, "{planted} dossiers with a brin");
    let mut all = vec![header.clone()];
    all.extend(rows);
    write_csv(&data.join("dossiers.csv"), separator, &all, "");
    let d = data.to_str().unwrap();

    let explained_tables = {
        let out = run(&["explain", "geen-tabel", "2021", "--data", d, "--row", "x"]);
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        let list = text
            .split("count dossiers or sessions: ")
            .nth(1)
            .and_then(|rest| rest.split(';').next())
            .unwrap_or_else(|| panic!("the tables explain covers: {text}"))
            .to_string();
        list.split(", ").map(str::to_string).collect::<Vec<_>>()
    };
    // Every table explain traces, as its error lists them: the definitions' list, which holds
    // at least the count tables of the 2021 report.
    assert_eq!(explained_tables, oco_report::explain::table_ids());
    for published in common::COUNT_TABLES_2021 {
        assert!(
            explained_tables.iter().any(|t| t == published),
            "{published}"
        );
    }
    let mut figures = 0;
    for id in &explained_tables {
        let out = run(&["table", id, "2021", "--data", d, "--format", "csv"]);
        assert!(out.status.success(), "table {id}");
        let table = String::from_utf8(out.stdout).unwrap();
        let mut lines = table.lines();
        let columns: Vec<&str> = lines.next().unwrap().split(',').skip(1).collect();
        for line in lines {
            let row = line.split(',').next().unwrap().trim_matches('"');
            for (format, min_cell) in [("text", "1"), ("json", "3")] {
                let args = [
                    "explain",
                    id,
                    "2021",
                    "--data",
                    d,
                    "--row",
                    row,
                    "--format",
                    format,
                    "--min-cell",
                    min_cell,
                ];
                let out = run(&args);
                assert!(
                    out.status.success(),
                    "{args:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_clean(&out, &format!("{args:?}"));
            }
            // Every figure as CSV (the month table: its totals column).
            let wanted: Vec<&str> = match id.as_str() {
                "helpdesk-maand" => vec!["totaal"],
                _ => columns.clone(),
            };
            for column in wanted {
                let args = [
                    "explain", id, "2021", "--data", d, "--row", row, "--column", column,
                    "--format", "csv",
                ];
                let out = run(&args);
                assert!(
                    out.status.success(),
                    "{args:?}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                assert_clean(&out, &format!("{args:?}"));
                figures += 1;
            }
        }
    }
    assert!(figures > 100, "{figures} figures explained");

    // On bad rows explain fails as table does, naming the problems without personal data.
    let bad = data_folder("explain-bad", true);
    let b = bad.to_str().unwrap();
    for (id, row) in [("stadsdelen", "Zuid"), ("voorlichtingen-thema", "Totaal")] {
        let out = run(&["explain", id, "2021", "--data", b, "--row", row]);
        assert_eq!(out.status.code(), Some(2), "explain {id} on bad rows");
        assert!(String::from_utf8_lossy(&out.stderr).contains("oco-report validate"));
        assert_clean(&out, &format!("explain {id} on bad rows"));
    }
    std::fs::remove_dir_all(&data).ok();
    std::fs::remove_dir_all(&bad).ok();
}
