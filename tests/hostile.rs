//! Hostile and broken inputs through the real binary: a copy of `data/` with one file broken
//! per test. For each, `oco-report validate` exits with the right status and names the file,
//! the line and the column where there is one, and `oco-report build` refuses the data (exit 2)
//! saying to run `validate`. Nothing ever panics.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the default data folder in a fresh temporary folder, removed when dropped.
struct Data {
    tmp: PathBuf,
}

impl Data {
    fn new(name: &str) -> Data {
        let tmp =
            std::env::temp_dir().join(format!("oco-report-hostile-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&tmp);
        fs::create_dir_all(tmp.join("data")).unwrap();
        for entry in fs::read_dir(root().join("data")).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), tmp.join("data").join(entry.file_name())).unwrap();
        }
        Data { tmp }
    }

    fn dir(&self) -> PathBuf {
        self.tmp.join("data")
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir().join(file)
    }

    fn write(&self, file: &str, bytes: impl AsRef<[u8]>) {
        fs::write(self.path(file), bytes).unwrap();
    }

    /// The lines of a file as bytes (without their `\n`).
    fn lines(&self, file: &str) -> Vec<Vec<u8>> {
        let bytes = fs::read(self.path(file)).unwrap();
        bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
    }

    /// Rewrites line `number` (1-based) of `file` with `edit`, which gets the line without
    /// its line end (the exports mix `\r\n` and `\n`).
    fn edit_line(&self, file: &str, number: usize, edit: impl FnOnce(Vec<u8>) -> Vec<u8>) {
        let mut lines = self.lines(file);
        let mut line = std::mem::take(&mut lines[number - 1]);
        let cr = line.last() == Some(&b'\r');
        if cr {
            line.pop();
        }
        let mut edited = edit(line);
        if cr {
            edited.push(b'\r');
        }
        lines[number - 1] = edited;
        self.write(file, lines.join(&b'\n'));
    }

    fn validate(&self, extra: &[&str]) -> Run {
        let dir = self.dir();
        let mut args = vec!["validate", "--data", dir.to_str().unwrap()];
        args.extend(extra);
        run(&args)
    }

    /// `build 2021` of this data refuses it: exit 2, the problems, and the hint to validate.
    fn build_refuses(&self, expected: &str) {
        let dir = self.dir();
        let out = self.tmp.join("out");
        let build = run(&[
            "build",
            "2021",
            "--data",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(build.code, 2, "build: {}{}", build.stdout, build.stderr);
        assert!(build.stderr.contains(expected), "{}", build.stderr);
        assert!(
            build.stderr.contains(&format!(
                "Run `oco-report validate --data {}`",
                dir.display()
            )),
            "{}",
            build.stderr
        );
        assert!(!out.exists(), "build wrote {} from bad data", out.display());
    }
}

impl Drop for Data {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.tmp);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    took: Duration,
}

fn run(args: &[&str]) -> Run {
    let start = Instant::now();
    let out: Output = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("the binary runs");
    let run = Run {
        code: out.status.code().expect("exited, not killed"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        took: start.elapsed(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stdout.contains("panicked"),
        "{args:?} panicked:\n{}",
        run.stderr
    );
    run
}

/// `validate` exits with `code` and its output holds every one of `expected`; the JSON form
/// agrees on the exit code.
fn validate_says(data: &Data, code: i32, expected: &[&str]) -> Run {
    let text = data.validate(&[]);
    assert_eq!(text.code, code, "{}{}", text.stdout, text.stderr);
    for e in expected {
        assert!(
            text.stdout.contains(e),
            "missing {e:?} in:\n{}",
            text.stdout
        );
    }
    let json = data.validate(&["--format", "json"]);
    assert_eq!(json.code, code);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON output");
    assert_eq!(value["exit_code"], code);
    text
}

fn replace(line: Vec<u8>, from: &str, to: &[u8]) -> Vec<u8> {
    let at = line
        .windows(from.len())
        .position(|w| w == from.as_bytes())
        .unwrap_or_else(|| panic!("{from:?} not in {:?}", String::from_utf8_lossy(&line)));
    let mut out = line[..at].to_vec();
    out.extend_from_slice(to);
    out.extend_from_slice(&line[at + from.len()..]);
    out
}

#[test]
fn missing_file() {
    let data = Data::new("missing");
    fs::remove_file(data.path("pageviews.csv")).unwrap();
    let out = validate_says(&data, 2, &["pageviews.csv: file not found in"]);
    assert!(
        out.stdout.contains("cannot read pageviews.csv"),
        "{}",
        out.stdout
    );
    // The other files are still checked and counted.
    assert!(out.stdout.contains("5060"), "{}", out.stdout);
    data.build_refuses("pageviews.csv: file not found");
}

#[test]
fn missing_data_folder() {
    let data = Data::new("nofolder");
    fs::remove_dir_all(data.dir()).unwrap();
    validate_says(&data, 2, &["data folder not found"]);
    data.build_refuses("data folder not found");
}

#[test]
fn missing_required_columns_are_listed_with_the_columns_found() {
    let data = Data::new("columns");
    data.edit_line("dossiers.csv", 1, |l| {
        replace(
            replace(l, ",sector,", b",sectoor,"),
            ",kanaal,",
            b",channel,",
        )
    });
    validate_says(
        &data,
        1,
        &[
            "dossiers.csv:1: missing required columns sector, kanaal; the header line has: \
           dossier_id, datum, sectoor, themas, channel, herkomst",
        ],
    );
    data.build_refuses("missing required columns sector, kanaal");
}

#[test]
fn bad_date() {
    let data = Data::new("date");
    data.edit_line("dossiers.csv", 12, |l| {
        replace(l, "2017-08-03", b"31-13-2017")
    });
    let expected = "dossiers.csv:12: column datum: expected a date like 2021-03-15, 15-03-2021 or \
                    15/03/2021, got \"31-13-2017\"";
    validate_says(&data, 1, &[expected]);
    data.build_refuses(expected);
}

#[test]
fn bad_numbers_every_one_of_them() {
    let data = Data::new("number");
    // Two bad cells in one row: both are reported, the row is rejected once.
    data.edit_line("voorlichtingen.csv", 3, |l| {
        replace(replace(l, ";45;", b";veel;"), ";1;", b";0;")
    });
    data.edit_line("scholen.csv", 4, |l| replace(l, "21,69", b"dertig"));
    let out = validate_says(
        &data,
        1,
        &[
            "voorlichtingen.csv:3: column locaties: expected a whole number of at least 1, got \"0\"",
            "voorlichtingen.csv:3: column deelnemers: expected a whole number like 1234 or 1.234 \
             (at most 1.000.000.000), got \"veel\"",
            "scholen.csv:4: column schoolweging: expected a number like 31,27 or 31.27, got \
             \"dertig\"",
            "3 problems (2 rows rejected)",
        ],
    );
    let row = out
        .stdout
        .lines()
        .find(|l| l.starts_with("voorlichtingen.csv "))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    // rows, used, outside (line 3 is of 2017), rejected, problems
    assert_eq!(&cells[1..6], ["415", "372", "42", "1", "2"], "{row}");
    data.build_refuses("column deelnemers");
}

#[test]
fn duplicate_dossier_id_names_both_lines() {
    let data = Data::new("duplicate");
    data.edit_line("dossiers.csv", 40, |l| {
        replace(l, "D2017-00039", b"D2017-00017")
    });
    let expected = "dossiers.csv:40: column dossier_id: \"D2017-00017\" appears twice: on line 18 \
                    and on line 40";
    validate_says(&data, 1, &[expected]);
    data.build_refuses(expected);
}

#[test]
fn duplicate_of_a_rejected_row_is_still_found() {
    let data = Data::new("duplicate-bad");
    data.edit_line("dossiers.csv", 18, |l| {
        replace(l, "2017-08-09", b"gisteren")
    });
    data.edit_line("dossiers.csv", 40, |l| {
        replace(l, "D2017-00039", b"D2017-00017")
    });
    validate_says(
        &data,
        1,
        &[
            "dossiers.csv:18: column datum:",
            "\"D2017-00017\" appears twice: on line 18 and on line 40",
        ],
    );
}

#[test]
fn unknown_sector_and_stadsdeel_list_the_known_ones() {
    let data = Data::new("unknown");
    // One unknown value in two spellings is one entry, shown as first written.
    data.edit_line("dossiers.csv", 10, |l| {
        replace(l, ",vo,", b",Kleuterschool,")
    });
    data.edit_line("dossiers.csv", 20, |l| {
        replace(l, ",po,", b",kleuterschool,")
    });
    data.edit_line("voorlichtingen.csv", 2, |l| {
        replace(l, ";Nieuw-West;", b";Amstelveen;")
    });
    let out = validate_says(
        &data,
        1,
        &[
            "dossiers.csv:10: column sector: expected one of: voorschool, schoolkeuze po, po,",
            "voorlichtingen.csv:2: column stadsdeel: expected one of: Centrum,",
            "dossiers.csv, column sector: \"Kleuterschool\" on 2 rows (line 10, 20); known: \
             voorschool, schoolkeuze po, po, overstap po-vo, vo, overstap vmbo-mbo, mbo, \
             overstap mbo-ho, overstap vo-ho, ho, so, overstap regulier-so, overig",
            "voorlichtingen.csv, column stadsdeel: \"Amstelveen\" on 1 row (line 2); known: \
             Centrum,",
        ],
    );
    let json = data.validate(&["--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let unknown = &value["unknown_values"][0];
    assert_eq!(
        (&unknown["value"], &unknown["rows"], &unknown["lines"]),
        (
            &serde_json::json!("Kleuterschool"),
            &serde_json::json!(2),
            &serde_json::json!([10, 20])
        ),
        "{}",
        out.stdout
    );
    assert_eq!(unknown["known"].as_array().unwrap().len(), 13);
    data.build_refuses("got \"Amstelveen\"");
}

#[test]
fn empty_file() {
    let data = Data::new("empty");
    data.write("voorlichtingen.csv", "");
    let expected = "voorlichtingen.csv: the file is empty: expected a header line";
    validate_says(&data, 1, &[expected]);
    data.build_refuses(expected);
}

#[test]
fn header_only() {
    let data = Data::new("header");
    data.write("pageviews.csv", "datum,unieke_paginaweergaven\n");
    let expected = "pageviews.csv: the file has a header line (line 1) but no rows under it";
    validate_says(&data, 1, &[expected]);
    data.build_refuses(expected);
}

#[test]
fn ragged_rows() {
    let data = Data::new("ragged");
    data.edit_line("voorlichtingen.csv", 3, |mut l| {
        l.extend_from_slice(b";extra");
        l
    });
    data.edit_line("voorlichtingen.csv", 9, |l| {
        let last = l.iter().rposition(|&b| b == b';').unwrap();
        l[..last].to_vec()
    });
    let first = "voorlichtingen.csv:3: expected 10 fields as in the header line, found 11";
    validate_says(
        &data,
        1,
        &[
            first,
            "voorlichtingen.csv:9: expected 10 fields as in the header line, found 9",
        ],
    );
    data.build_refuses(first);
}

#[test]
fn quote_never_closed_runs_to_the_end_of_the_file() {
    let data = Data::new("quote-end");
    data.edit_line("leerlingen-sector.csv", 3, |l| {
        [b"\"".as_slice(), &l].concat()
    });
    let expected = "leerlingen-sector.csv:3: column sectorgroep: a value that starts with a quote \
                    on line 3 is never closed: the rest of the file (lines 3-7) is read as that \
                    one value";
    validate_says(&data, 1, &[expected]);
    data.build_refuses(expected);
}

#[test]
fn quote_not_closed_on_its_line_swallows_rows() {
    let data = Data::new("quote-mid");
    // The note of line 10 opens a quote it does not close: the next quote, on line 17,
    // closes it, and lines 11 to 17 are read as part of the note.
    let notes = data.lines("dossiers.csv")[9].clone();
    assert!(
        notes.trim_ascii_end().ends_with(b","),
        "line 10 has an empty last cell"
    );
    data.edit_line("dossiers.csv", 10, |mut l| {
        l.extend_from_slice(b"\"Belt terug");
        l
    });
    let out = validate_says(
        &data,
        1,
        &[
            "dossiers.csv:10: column notities: a value that starts with a quote on line 10 runs \
           on to line 17 and takes in lines that look like whole rows",
        ],
    );
    data.build_refuses("dossiers.csv:10: column notities:");
    // In a contract column the row comes out short.
    let data = Data::new("quote-mid-contract");
    data.edit_line("dossiers.csv", 101, |l| {
        replace(l, ",,,1,", b",,\"Het Lijsterpad,1,")
    });
    validate_says(
        &data,
        1,
        &[
            "dossiers.csv:101: expected 17 fields as in the header line, found 9 (a value \
           containing the separator must be put in quotes); the row runs on to line 103",
        ],
    );
    data.build_refuses("dossiers.csv:101:");
    drop(out);
}

#[test]
fn quote_left_open_on_the_last_line() {
    let data = Data::new("quote-last");
    let mut bytes = fs::read(data.path("pageviews.csv")).unwrap();
    bytes.extend_from_slice(b"\"");
    data.write("pageviews.csv", bytes);
    validate_says(
        &data,
        1,
        &[
            "pageviews.csv:1487: column datum: a value that starts with a quote on line 1487 is \
           never closed",
        ],
    );
}

#[test]
fn bytes_that_are_neither_utf8_nor_windows_1252() {
    // scholen.csv is Windows-1252: 0x81 and 0x9D are the bytes it leaves undefined.
    let data = Data::new("bytes-1252");
    data.edit_line("scholen.csv", 6, |l| {
        replace(l, ";Centrum;", b";Cen\x81trum;")
    });
    data.edit_line("scholen.csv", 7, |l| replace(l, ";po;", b";p\x9Do;"));
    let expected = "scholen.csv:6: column stadsdeel: holds the byte 0x81, which is neither UTF-8 \
                    nor Windows-1252 text";
    validate_says(
        &data,
        1,
        &[
            expected,
            "scholen.csv:7: column sector: holds the byte 0x9D",
        ],
    );
    data.build_refuses(expected);

    // dossiers.csv is UTF-8: one Windows-1252 byte does not turn its accents into two
    // characters each, it is an error of its own row.
    let data = Data::new("bytes-mixed");
    data.edit_line("dossiers.csv", 36, |l| {
        replace(l, "VRIJE SCHOOL", b"VRIJE SCH\xe9OOL")
    });
    let expected = "dossiers.csv:36: column schoolnaam: holds bytes that are not UTF-8 while the \
                    rest of the file is UTF-8";
    let out = validate_says(&data, 1, &[expected]);
    assert!(
        out.stdout.contains("1 problem (1 row rejected)"),
        "{}",
        out.stdout
    );
    data.build_refuses(expected);
}

#[test]
fn nul_byte() {
    let data = Data::new("nul");
    data.edit_line("dossiers.csv", 21, |l| {
        replace(l, ",e-mail,", b",e-\0mail,")
    });
    let expected = "dossiers.csv:21: column kanaal: holds a NUL byte";
    validate_says(&data, 1, &[expected]);
    data.build_refuses(expected);

    // In a column outside the contract it is never read.
    let data = Data::new("nul-notes");
    data.edit_line("dossiers.csv", 21, |l| {
        replace(l, "Ouder 0000", b"Ouder \x000")
    });
    validate_says(&data, 0, &["No problems"]);
}

#[test]
fn ten_megabyte_field() {
    let big = "x".repeat(10 * 1024 * 1024);
    let data = Data::new("big");
    data.edit_line("dossiers.csv", 41, |l| {
        replace(l, "montessori lyceum klaverlanen", big.as_bytes())
    });
    let expected = format!(
        "dossiers.csv:41: column schoolnaam: holds a value of {} characters: expected at most \
         1000",
        big.len()
    );
    let out = validate_says(&data, 1, &[&expected]);
    assert!(out.took < Duration::from_secs(10), "took {:?}", out.took);
    assert!(out.stdout.len() < 20_000, "the value is not echoed");
    data.build_refuses(&expected);

    // Outside the contract a long note is no problem, and is not read either.
    let data = Data::new("big-notes");
    data.edit_line("dossiers.csv", 41, |l| {
        replace(l, "Ouder 000040", big.as_bytes())
    });
    let out = validate_says(&data, 0, &["No problems"]);
    assert!(out.took < Duration::from_secs(10), "took {:?}", out.took);
}

#[test]
fn not_csv_at_all() {
    let cases: [(&str, &[u8], &str); 4] = [
        (
            "png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0",
            "found a PNG image",
        ),
        (
            "xlsx",
            b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0",
            "found an Excel workbook",
        ),
        (
            "pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
            "found a PDF document",
        ),
        (
            "html",
            b"<!DOCTYPE html>\n<html><body>Inloggen</body></html>\n",
            "found HTML or XML",
        ),
    ];
    for (name, bytes, found) in cases {
        let data = Data::new(&format!("not-csv-{name}"));
        data.write("dossiers.csv", bytes);
        let expected = format!("dossiers.csv: expected a CSV text file, {found}");
        validate_says(
            &data,
            2,
            &[&expected, "cannot read dossiers.csv as CSV at all"],
        );
        data.build_refuses(&expected);
    }
    // Random bytes: binary data.
    let data = Data::new("not-csv-random");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let noise: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect();
    data.write("voorlichtingen.csv", noise);
    validate_says(
        &data,
        2,
        &["voorlichtingen.csv: expected a CSV text file, found binary data"],
    );
    data.build_refuses("found binary data");
}

#[test]
fn text_that_is_not_a_csv_export() {
    let data = Data::new("prose");
    data.write(
        "leerlingen-sector.csv",
        "Beste collega,\nHierbij de cijfers die je vroeg.\n",
    );
    validate_says(
        &data,
        1,
        &["leerlingen-sector.csv:1: missing required columns sectorgroep, leerlingen"],
    );
    data.build_refuses("missing required columns sectorgroep, leerlingen");
}

#[test]
fn bad_settings_file() {
    let data = Data::new("settings");
    data.write("oco-report.toml", "sectoren = 12\n");
    validate_says(&data, 2, &["oco-report.toml:", "nothing could be read"]);
    data.build_refuses("oco-report.toml:");
}
