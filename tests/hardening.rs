//! What a slip in the settings, a strange file or a hostile template must not do (issue 15):
//! publish personal data, give wrong figures, hang, exhaust memory, read outside the folder.
//! The interrupted build is `tests/atomic_write.rs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{read_csv, succeeded, temp_dir, write_csv};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A copy of a data folder of the repository.
fn copy_of(source: &str, name: &str) -> PathBuf {
    let dir = temp_dir("hardening", name);
    for entry in std::fs::read_dir(repo(source)).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Runs oco-report in `cwd`, killed (and the test failed) if it takes more than `limit`.
fn run_within(args: &[&str], cwd: &Path, limit: Duration) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output()));
    match receive.recv_timeout(limit) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .status();
            panic!("oco-report {args:?} still ran after {limit:?}");
        }
    }
}

/// A `figures.json` of 2020 to check against.
fn baseline() -> &'static Path {
    static BASELINE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BASELINE.get_or_init(|| {
        let out = temp_dir("hardening", "baseline").join("2020");
        let data = repo("tests/data/tweede");
        built(2020, &data, &out, "baseline build");
        out.join("figures.json")
    })
}

/// A table that reads the exports `expected` names (`table` reads only the exports its table
/// is computed from), so that `table` meets the problem too.
fn table_reading(expected: &[&str]) -> &'static str {
    let names = |file: &str| expected.iter().any(|e| e.contains(file));
    if names("pageviews.csv") {
        "websitebezoek"
    } else if names("voorlichtingen.csv") {
        "voorlichtingen-stadsdeel"
    } else if names("leerlingen-sector.csv") {
        "sectoren"
    } else {
        "stadsdelen" // dossiers, scholen, leerlingen-stadsdeel
    }
}

/// `build YEAR --data DATA --out OUT`, which must succeed.
fn built(year: i32, data: &Path, out: &Path, what: &str) {
    let year = year.to_string();
    let (data, out) = (data.to_str().unwrap(), out.to_str().unwrap());
    succeeded(&run(&["build", &year, "--data", data, "--out", out]), what);
}

fn run(args: &[&str]) -> Output {
    run_within(args, &repo(""), Duration::from_secs(60))
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every command on `data`: exit 2 with `expected` in what it says; `build` writes nothing.
fn every_command_refuses(data: &Path, expected: &[&str]) {
    let d = data.to_str().unwrap();
    let out_dir = data.join("uit");
    let o = out_dir.to_str().unwrap();
    let baseline = baseline();
    let commands: [Vec<&str>; 4] = [
        vec!["validate", "--data", d],
        vec!["build", "2021", "--data", d, "--out", o],
        vec!["table", table_reading(expected), "2021", "--data", d],
        vec![
            "check",
            "2021",
            "--data",
            d,
            "--baseline",
            baseline.to_str().unwrap(),
        ],
    ];
    for args in commands {
        let out = run(&args);
        let said = text(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}:\n{said}");
        for e in expected {
            assert!(said.contains(e), "{args:?}: {e:?} in:\n{said}");
        }
    }
    assert!(!out_dir.exists(), "a refused build writes nothing");
}

// -------------------------------------------------------------------------------------------
// 1. Personal data by its shape.

#[test]
fn a_contract_column_mapped_onto_e_mail_addresses_is_refused_naming_column_and_count() {
    let data = copy_of("data", "email-mapped");
    let mut settings = std::fs::read_to_string(data.join("oco-report.toml")).unwrap();
    settings.push_str("\n[kolommen.dossiers]\nschoolnaam = \"email\"\n");
    std::fs::write(data.join("oco-report.toml"), &settings).unwrap();
    // A header known to hold personal data is refused by name, before any row is read.
    every_command_refuses(
        &data,
        &[
            "[kolommen.dossiers] schoolnaam",
            "\"email\" holds personal data",
        ],
    );
    // Under a header the settings cannot know (`contact`), by the shape of the values.
    let settings = settings.replace("schoolnaam = \"email\"", "schoolnaam = \"contact\"");
    std::fs::write(data.join("oco-report.toml"), settings).unwrap();
    let path = data.join("dossiers.csv");
    let dossiers = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, dossiers.replacen(",email,", ",contact,", 1)).unwrap();
    let (_, header, rows) = read_csv(&path);
    let email = header.iter().position(|h| h == "contact").unwrap();
    let addresses = rows.iter().filter(|r| r[email].contains('@')).count();
    assert!(addresses > 4000, "{addresses}");

    let count = format!("{addresses} cells (read from the export column contact)");
    every_command_refuses(&data, &["column schoolnaam", &count, "e-mail address"]);
    let out = run(&[
        "validate",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    for out in [
        out,
        run(&["validate", "--data", data.to_str().unwrap()]),
        run(&["build", "2021", "--data", data.to_str().unwrap()]),
    ] {
        let said = text(&out);
        assert!(!said.contains("@example"), "an address shown:\n{said}");
    }
}

#[test]
fn personal_data_typed_into_any_contract_cell_is_never_shown_or_used() {
    let data = copy_of("tests/data/tweede", "typed");
    let path = data.join("dossiers.csv");
    let (separator, header, mut rows) = read_csv(&path);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let planted = [
        ("Schoolnaam", "bel 06-12345678"),
        ("Herkomst", "ouder@voorbeeld.nl"),
        ("Schooltype", "1012 AB 12"),
        ("Diagnoses", "NL91ABNA0417164300"),
        ("Vragen", "bsn 111222333"),
    ];
    for (i, (name, value)) in planted.iter().enumerate() {
        rows[i][column(name)] = value.to_string();
    }
    let mut all = vec![header.clone()];
    all.extend(rows);
    write_csv(&path, separator, &all, "");
    // Also where the registry names its schools.
    let scholen = std::fs::read_to_string(data.join("scholen.csv")).unwrap();
    std::fs::write(
        data.join("scholen.csv"),
        scholen.replace("Regenboogschool", "regenboog@school.nl"),
    )
    .unwrap();

    every_command_refuses(
        &data,
        &[
            "dossiers.csv:2: column schoolnaam: holds what looks like a phone number",
            "dossiers.csv:3: column herkomst: holds what looks like an e-mail address",
            "dossiers.csv:4: column schooltype: holds what looks like a postcode with house number",
            "column diagnoses: 1 cell looks like personal data (a bank account number (IBAN)), on line 5",
            "column vragen: 1 cell looks",
            "a BSN",
            "scholen.csv: column aliassen: 1 cell looks",
        ],
    );
    let said = text(&run(&["validate", "--data", data.to_str().unwrap()]));
    for (_, value) in planted {
        for part in value.split(' ').filter(|p| p.len() > 4) {
            assert!(!said.contains(part), "{part:?} shown:\n{said}");
        }
    }
    assert!(!said.contains("regenboog@"), "{said}");
}

// -------------------------------------------------------------------------------------------
// 3. Settings that would give wrong figures.

fn with_settings(name: &str, extra: &str) -> PathBuf {
    let data = copy_of("tests/data/tweede", name);
    // First: keys after the file's own tables would belong to the last of them.
    let settings = std::fs::read_to_string(data.join("oco-report.toml")).unwrap();
    std::fs::write(data.join("oco-report.toml"), format!("{extra}\n{settings}")).unwrap();
    data
}

#[test]
fn settings_with_a_value_twice_nan_or_falling_bands_are_refused_by_every_command() {
    let default_sectors = oco_report::config::Config::default().sectors;
    let mut twice = default_sectors.clone();
    twice.push("PO ".to_string());
    let list = |items: &[String]| {
        items
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            format!("sectoren = [{}]\n", list(&twice)),
            vec!["sectoren: \"PO \" is listed twice (entries 3 and 14)"],
        ),
        (
            "stadsdelen = [\"Centrum\", \"West\", \"Nieuw-West\", \"Zuid\", \"Oost\", \"Noord\", \
             \"Zuidoost\", \"centrum\"]\n"
                .to_string(),
            vec!["stadsdelen: \"centrum\" is listed twice"],
        ),
        (
            "[passend]\nvragen = [\"thuiszitten\", \"overig\", \"Thuiszitten\"]\n".to_string(),
            vec!["[passend] vragen", "listed twice"],
        ),
        (
            "[voorlichtingen]\norganisaties = [\"Scholen\", \"\"]\n".to_string(),
            vec!["[voorlichtingen] organisaties: entry 2 is empty"],
        ),
        (
            "[[sectorgroepen]]\nid = \"a\"\nlabel = \"A\"\nsectoren = [\"po\", \"po\"]\n"
                .to_string(),
            vec!["[[sectorgroepen]] a sectoren", "listed twice"],
        ),
        (
            "themas = [\"zorg\", \"zorg\\u202e\"]\n".to_string(),
            vec!["themas: entry 2 holds the invisible character \\u{202e}"],
        ),
    ];
    for (i, (extra, expected)) in cases.iter().enumerate() {
        let data = with_settings(&format!("twice-{i}"), extra);
        every_command_refuses(&data, expected);
    }
    // The bands: replacing the data set's own.
    for (i, (grenzen, expected)) in [
        ("[20, nan]", "expected numbers like 20, got NaN"),
        ("[20, inf]", "expected numbers like 20, got inf"),
        (
            "[20, 30, 30, 40]",
            "strictly rising edges, got 30 followed by 30",
        ),
        ("[40, 30]", "strictly rising edges, got 40 followed by 30"),
        ("[20]", "from 2 to 50 edges, got 1"),
    ]
    .iter()
    .enumerate()
    {
        let data = copy_of("tests/data/tweede", &format!("bands-{i}"));
        let settings = std::fs::read_to_string(data.join("oco-report.toml")).unwrap();
        let settings = settings.replace("grenzen = [20, 30, 40]", &format!("grenzen = {grenzen}"));
        std::fs::write(data.join("oco-report.toml"), settings).unwrap();
        every_command_refuses(&data, &["[schoolweging] grenzen", expected]);
    }
}

#[test]
fn a_hundred_thousand_sectors_are_refused_at_once() {
    let sectors: Vec<String> = (0..100_000).map(|i| format!("\"sector {i}\"")).collect();
    let data = with_settings("many", &format!("sectoren = [{}]\n", sectors.join(", ")));
    // The data set's own sectors would be unknown anyway; the size is said first.
    let start = Instant::now();
    every_command_refuses(&data, &["sectoren: at most 300 entries, got 100000"]);
    assert!(start.elapsed() < Duration::from_secs(30));
    // At the limit, a long list is fine as far as the settings go.
    let config = oco_report::config::Config::from_toml(&format!(
        "sectoren = [{}]\n[[sectorgroepen]]\nid = \"g\"\nlabel = \"G\"\nsectoren = [\"sector 1\"]\n\
         [kanalen]\ngroepen = [\"g\"]\n[doelen.2021]\n",
        sectors[..300].join(", ")
    ));
    assert!(config.is_ok(), "{config:?}");
}

// -------------------------------------------------------------------------------------------
// 4. and 5. Bounded work; only regular files.

#[test]
fn an_endless_header_line_is_refused_without_reading_it_into_columns() {
    let data = copy_of("tests/data/tweede", "endless");
    // 8 MB of separators: millions of empty column names if taken as a header.
    std::fs::write(data.join("pageviews.csv"), ",;".repeat(4 << 20)).unwrap();
    std::fs::write(data.join("voorlichtingen.csv"), ",;".repeat(4 << 20) + "\n").unwrap();
    let start = Instant::now();
    let out = run(&["validate", "--data", data.to_str().unwrap()]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("pageviews.csv: the header line (or a blank or comment line before it) is 8388608 bytes long"),
        "{said}"
    );
    assert!(
        said.contains("voorlichtingen.csv: the header line"),
        "{said}"
    );
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifo_a_device_or_a_folder_named_like_an_input_is_refused_at_once() {
    use std::os::unix::fs::symlink;
    let mkfifo = |path: &Path| {
        let status = Command::new("mkfifo").arg(path).status().unwrap();
        assert!(status.success());
    };
    let cases: [(&str, &str, &str); 5] = [
        (
            "pageviews.csv",
            "fifo",
            "pageviews.csv: is a named pipe (FIFO), not a regular file",
        ),
        (
            "oco-report.toml",
            "fifo",
            "oco-report.toml: is a named pipe (FIFO), not a regular file",
        ),
        (
            "dossiers.csv",
            "zero",
            "dossiers.csv: is a device, not a regular file",
        ),
        (
            "scholen.csv",
            "folder",
            "scholen.csv: is a folder, not a regular file",
        ),
        (
            "oco-report.toml",
            "zero",
            "oco-report.toml: is a device, not a regular file",
        ),
    ];
    for (i, (file, what, expected)) in cases.iter().enumerate() {
        let data = copy_of("tests/data/tweede", &format!("special-{i}"));
        let path = data.join(file);
        std::fs::remove_file(&path).unwrap();
        match *what {
            "fifo" => mkfifo(&path),
            "zero" => symlink("/dev/zero", &path).unwrap(),
            _ => std::fs::create_dir(&path).unwrap(),
        }
        let d = data.to_str().unwrap();
        let o = data.join("uit");
        for args in [
            vec!["validate", "--data", d],
            vec!["build", "2021", "--data", d, "--out", o.to_str().unwrap()],
            vec!["table", table_reading(&[expected]), "2021", "--data", d],
        ] {
            let out = run_within(&args, &repo(""), Duration::from_secs(20));
            let said = text(&out);
            assert_eq!(
                out.status.code(),
                Some(2),
                "{file} {what} {args:?}:\n{said}"
            );
            assert!(said.contains(expected), "{expected:?} in:\n{said}");
        }
        assert!(!o.exists());
    }
}

// -------------------------------------------------------------------------------------------
// 6. Templates.

#[cfg(unix)]
#[test]
fn a_template_linking_outside_its_folder_is_refused() {
    let templates = temp_dir("hardening", "templates-link");
    for entry in std::fs::read_dir(repo("report-templates")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, templates.join(path.file_name().unwrap())).unwrap();
    }
    // A link inside the folder is fine; one out of it is not.
    std::fs::rename(
        templates.join("sectoren.md"),
        templates.join("sectoren.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink("sectoren.txt", templates.join("sectoren.md")).unwrap();
    assert!(oco_report::render::templates::Templates::from_dir(&templates).is_ok());
    std::fs::remove_file(templates.join("kanalen.md")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", templates.join("kanalen.md")).unwrap();

    let out_dir = templates.join("uit");
    let out = run(&[
        "build",
        "2021",
        "--data",
        repo("tests/data/tweede").to_str().unwrap(),
        "--templates",
        templates.to_str().unwrap(),
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("kanalen.md is a link to a file outside the templates folder"),
        "{said}"
    );
    assert!(!said.contains("root:"), "{said}");
    assert!(!out_dir.exists());
}

#[test]
fn a_runaway_template_stops_within_seconds() {
    use oco_report::render::templates::Templates;
    let templates = temp_dir("hardening", "templates-fuel");
    std::fs::write(
        templates.join("x.md"),
        "## X\n{% for a in range(100000) %}{% for b in range(100000) %}.{% endfor %}{% endfor %}\n",
    )
    .unwrap();
    let loaded = Templates::from_dir(&templates).unwrap();
    let start = Instant::now();
    let error = loaded
        .render_appendix(&oco_report::table::Appendix::new("x", "X"), 2021)
        .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(format!("{error:#}").contains("fuel"), "{error:#}");
}

// -------------------------------------------------------------------------------------------
// 7. Invisible characters.

#[test]
fn invisible_characters_are_removed_before_matching_and_reach_no_output() {
    let plain = temp_dir("hardening", "invisible-plain").join("2021");
    let tweede = repo("tests/data/tweede");
    built(2021, &tweede, &plain, "build");

    let data = copy_of("tests/data/tweede", "invisible");
    let path = data.join("dossiers.csv");
    let (separator, header, mut rows) = read_csv(&path);
    let naam = header.iter().position(|h| h == "Schoolnaam").unwrap();
    let mut planted = 0;
    for row in rows.iter_mut() {
        let name = row[naam].clone();
        if name.chars().count() > 4 {
            let cut = name.char_indices().nth(3).unwrap().0;
            let mark = if planted % 2 == 0 {
                '\u{200b}'
            } else {
                '\u{202e}'
            };
            row[naam] = format!("{}{mark}{}\u{2066}", &name[..cut], &name[cut..]);
            planted += 1;
        }
    }
    assert!(planted >= 4, "{planted}");
    let mut all = vec![header];
    all.extend(rows);
    write_csv(&path, separator, &all, "");
    let out = data.join("uit");
    built(2021, &data, &out, "build with invisible characters");
    // The same report, byte for byte: every name matched as without them.
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&plain).unwrap() {
        let name = entry.unwrap().file_name();
        let (a, b) = (plain.join(&name), out.join(&name));
        if a.is_file() {
            assert_eq!(
                std::fs::read(&a).unwrap(),
                std::fs::read(&b).unwrap(),
                "{name:?}"
            );
            if name.to_string_lossy().ends_with(".png") {
                continue; // the same bytes as without the characters, just asserted
            }
            let contents = std::fs::read(&b).unwrap();
            // A zip (the workbook, the docx) and a picture inside one are binary: their raw
            // bytes can hold any sequence by chance; the text is in the entries looked at.
            let binary = |bytes: &[u8]| {
                bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\x89PNG\r\n\x1a\n")
            };
            for (part, bytes) in common::readable_parts(&name.to_string_lossy(), &contents)
                .into_iter()
                .filter(|(_, bytes)| !binary(bytes))
            {
                let text = String::from_utf8_lossy(&bytes);
                assert!(
                    !text.chars().any(oco_report::ingest::personal::is_invisible),
                    "{part}"
                );
            }
            names.push(name);
        }
    }
    assert!(names.len() > 20);
    let said = text(&succeeded_or_problems(&run(&[
        "validate",
        "--data",
        data.to_str().unwrap(),
    ])));
    let note = format!(
        "dossiers.csv: invisible characters (\\u{{200b}}, \\u{{202e}}, \\u{{2066}}) removed \
         from {planted} cells before matching"
    );
    assert!(said.contains(&note), "{note}\n{said}");
    for args in [
        vec!["validate", "--data", data.to_str().unwrap()],
        vec![
            "table",
            "datakwaliteit-scholen",
            "2021",
            "--data",
            data.to_str().unwrap(),
            "--format",
            "csv",
        ],
    ] {
        let said = text(&succeeded_or_problems(&run(&args)));
        assert!(
            !said.chars().any(oco_report::ingest::personal::is_invisible),
            "{said}"
        );
    }
}

fn succeeded_or_problems(out: &Output) -> Output {
    assert!(matches!(out.status.code(), Some(0 | 1)), "{}", text(out));
    out.clone()
}

#[test]
fn a_message_quoting_a_value_carries_no_invisible_character() {
    let data = copy_of("tests/data/tweede", "invisible-message");
    let path = data.join("dossiers.csv");
    let (separator, header, mut rows) = read_csv(&path);
    let datum = header.iter().position(|h| h == "Aanmaakdatum").unwrap();
    rows[0][datum] = "31-13-20\u{202e}21".to_string();
    let mut all = vec![header];
    all.extend(rows);
    write_csv(&path, separator, &all, "");
    let out = run(&["validate", "--data", data.to_str().unwrap()]);
    let said = text(&out);
    assert_eq!(out.status.code(), Some(1), "{said}");
    assert!(said.contains("got \"31-13-2021\""), "{said}");
    assert!(
        !said.chars().any(oco_report::ingest::personal::is_invisible),
        "{said}"
    );
}

#[test]
fn problems_kept_per_file_are_capped_and_the_rest_counted() {
    let data = copy_of("tests/data/tweede", "many-problems");
    let path = data.join("dossiers.csv");
    let (separator, header, mut rows) = read_csv(&path);
    let good = rows.len();
    let datum = header.iter().position(|h| h == "Aanmaakdatum").unwrap();
    let id = header.iter().position(|h| h == "Dossier_ID").unwrap();
    let template = rows[0].clone();
    for i in 0..3000 {
        let mut row = template.clone();
        row[id] = format!("KAPOT-{i}");
        row[datum] = "31-13-2021".to_string();
        rows.push(row);
    }
    let mut all = vec![header];
    all.extend(rows);
    write_csv(&path, separator, &all, "");
    let mut pageviews = std::fs::read_to_string(data.join("pageviews.csv")).unwrap();
    let bad_rows = "gisteren,12\n".repeat(2500);
    // Before the analytics export's totals line, which stays its last line.
    let totals = pageviews.trim_end().rfind('\n').unwrap() + 1;
    pageviews.insert_str(totals, &bad_rows);
    std::fs::write(data.join("pageviews.csv"), pageviews).unwrap();

    let out = run(&[
        "validate",
        "--data",
        data.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let file = |name: &str| {
        json["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["file"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(file("dossiers.csv")["rows"], good + 3000);
    assert_eq!(file("dossiers.csv")["rejected"], 3000);
    assert_eq!(file("pageviews.csv")["rejected"], 2500);
    let said = text(&run(&["validate", "--data", data.to_str().unwrap()]));
    assert!(
        said.contains("dossiers.csv: ... and 2000 more problems on 2000 more rows, not listed"),
        "{said}"
    );
    assert!(
        said.contains("pageviews.csv: ... and 1500 more problems on 1500 more rows, not listed"),
        "{said}"
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_fifo_given_as_the_baseline_of_check_is_refused_at_once() {
    let dir = temp_dir("hardening", "baseline-fifo");
    let fifo = dir.join("figures.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let data = repo("tests/data/tweede");
    let out = run_within(
        &[
            "check",
            "2021",
            "--data",
            data.to_str().unwrap(),
            "--baseline",
            fifo.to_str().unwrap(),
        ],
        &repo(""),
        Duration::from_secs(20),
    );
    let said = text(&out);
    assert_eq!(out.status.code(), Some(2), "{said}");
    assert!(
        said.contains("is a named pipe (FIFO), not a regular file"),
        "{said}"
    );
}

#[test]
fn a_fifo_or_a_device_given_to_explain_vergelijk_is_refused_at_once() {
    let dir = temp_dir("hardening", "vergelijk-fifo");
    let fifo = dir.join("figures.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let data = repo("tests/data/tweede");
    for (baseline, what) in [
        (
            fifo.to_str().unwrap(),
            "is a named pipe (FIFO), not a regular file",
        ),
        ("/dev/zero", "is a device, not a regular file"),
    ] {
        let out = run_within(
            &[
                "explain",
                "stadsdelen",
                "2021",
                "--row",
                "Zuidoost",
                "--data",
                data.to_str().unwrap(),
                "--vergelijk",
                baseline,
            ],
            &repo(""),
            Duration::from_secs(20),
        );
        let said = text(&out);
        assert_eq!(out.status.code(), Some(2), "{said}");
        assert!(said.contains(what), "{said}");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_a_device_given_to_import_scholen_is_refused_at_once() {
    let dir = temp_dir("hardening", "import-fifo");
    let fifo = dir.join("hoofdvestigingen.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let data = copy_of("tests/data/tweede", "import-fifo-data");
    for (file, what) in [
        (
            fifo.to_str().unwrap(),
            "is a named pipe (FIFO), not a regular file",
        ),
        ("/dev/zero", "is a device, not a regular file"),
    ] {
        let out = run_within(
            &[
                "import-scholen",
                file,
                "--data",
                data.to_str().unwrap(),
                "--dry-run",
            ],
            &repo(""),
            Duration::from_secs(20),
        );
        let said = text(&out);
        assert_eq!(out.status.code(), Some(2), "{said}");
        assert!(said.contains(what), "{said}");
    }
}
