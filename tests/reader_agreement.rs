//! The two dossier readers agree: whenever the fast path takes a file, the careful reader
//! reads it without a problem to the same dossiers. Both are reached through the public
//! `dossiers::read_split`, with the choice of reader that `OCO_READER` makes for a run.

mod common;

use std::path::Path;
use std::process::Command;

use oco_report::config::Config;
use oco_report::frames::DossierFrames;
use oco_report::ingest::dossiers::{self, Split};
use oco_report::ingest::reader_choice::ReaderChoice;
use oco_report::model::{Dossier, School};

const HEADER: &str = "dossier_id,datum,sector,themas,kanaal,herkomst,school_brin,schoolnaam,\
                      contactmomenten,passend_onderwijs,schooltype,vragen,diagnoses,notities";

fn scholen() -> Vec<School> {
    let school = |brin: &str, naam: &str, aliassen: &[&str]| School {
        line: 2,
        brin: brin.to_string(),
        naam: naam.to_string(),
        stadsdeel: Some("Zuidoost".to_string()),
        schoolweging: Some(31.0),
        sector: "po".to_string(),
        aliassen: aliassen.iter().map(|a| a.to_string()).collect(),
    };
    vec![
        school("12AB00", "Sint-Jozefschool Rivièra", &[]),
        school("34CD00", "OBS De Kraal", &["Kraalschool"]),
    ]
}

/// `text` as `dossiers.csv` in `dir`, read both ways: the fast path's dossiers when it took the
/// file (split into up to four small parts), and what the careful reader makes of it.
fn both_ways(dir: &Path, text: &[u8]) -> (Option<Vec<Dossier>>, Result<Vec<Dossier>, String>) {
    both_ways_with(dir, text, &Config::default())
}

/// [`both_ways`] under the settings `config`.
fn both_ways_with(
    dir: &Path,
    text: &[u8],
    config: &Config,
) -> (Option<Vec<Dossier>>, Result<Vec<Dossier>, String>) {
    let path = dir.join(dossiers::FILE);
    std::fs::write(&path, text).expect("write dossiers.csv");
    let scholen = scholen();
    let read = |choice| dossiers::read_split(&path, config, &scholen, choice, Split::small());
    let (careful, by) = read(ReaderChoice::Careful);
    assert_eq!(by, ReaderChoice::Careful);
    if careful.errors.is_empty() {
        assert_eq!(careful.stats.rows, careful.rows.len(), "rows counted");
    }
    let (fast, by) = read(ReaderChoice::Fast);
    let fast = (by == ReaderChoice::Fast).then(|| {
        assert!(fast.errors.is_empty() && fast.stats.rows == fast.rows.len());
        fast.rows
    });
    // The fast path for a build, which puts each part's rows straight into frames, takes the
    // same files, and its frames are those of the careful reader's dossiers.
    let (framed, frames, by) =
        dossiers::read_frames_split(&path, config, &scholen, ReaderChoice::Fast, Split::small());
    assert_eq!(
        frames.is_some(),
        fast.is_some(),
        "{:?}",
        String::from_utf8_lossy(text)
    );
    assert_eq!(by == ReaderChoice::Fast, fast.is_some());
    if let Some(frames) = frames {
        assert!(framed.errors.is_empty() && framed.rows.is_empty());
        assert_eq!(Some(framed.stats.rows), fast.as_ref().map(Vec::len));
        assert!(careful.errors.is_empty(), "{:?}", careful.errors);
        let places = oco_report::frames::SchoolPlaces::of(&scholen);
        let expected =
            DossierFrames::of(&careful.rows, config, &places).expect("frames of the list");
        assert_same_frames(&frames, &expected, text);
    }
    (fast, careful.into_result().map_err(|e| e.to_string()))
}

/// The four dossier frames hold the same rows, their open text coded by the same lists.
fn assert_same_frames(got: &DossierFrames, expected: &DossierFrames, text: &[u8]) {
    for (got, expected) in got.open.iter().zip(&expected.open) {
        assert_eq!(
            got.list(),
            expected.list(),
            "{:?}",
            String::from_utf8_lossy(text)
        );
    }
    for (got, expected) in [
        (&got.dossiers, &expected.dossiers),
        (&got.themas, &expected.themas),
        (&got.vragen, &expected.vragen),
        (&got.diagnoses, &expected.diagnoses),
    ] {
        assert_eq!(got.schema(), expected.schema());
        assert!(
            got.equals_missing(expected),
            "{:?}\n{got}\n{expected}",
            String::from_utf8_lossy(text)
        );
    }
}

/// Files put together at random from ordinary and unusual pieces: whenever the fast path
/// takes one, the careful reader reads it without a problem to the same dossiers.
#[test]
fn fast_path_agrees_with_the_careful_reader() {
    let pieces: [&[&str]; 14] = [
        &["D1", "D2", "D3", "D1", "", " D4 "],
        &[
            "2021-03-15",
            "15-03-2021",
            "1/4/2021",
            "2021-02-30",
            "",
            "gisteren",
        ],
        &["po", "PO", "overstap po-vo", "kleuter", ""],
        &[
            "zorg",
            "Zorg|toelating",
            "",
            "zorg|sport",
            " kosten | Kosten ",
        ],
        &["telefoon", "WhatsApp", "webinar", "fax"],
        &["", "Artikel", "ÉCOLE", "a\"b"],
        &["", "12AB00", "12ab00", "99ZZ99"],
        &[
            "",
            "kraalschool",
            "Sint Jozefschool Riviera",
            "\"De Kraal, Oost\"",
            "x\u{85}",
        ],
        &[
            "",
            "3",
            "1.234",
            "-1",
            "1,5",
            "1000000000",
            "1000000001",
            "99999999999",
        ],
        &["", "ja", "Nee", "misschien"],
        &["", "SBO", "sbo", "basisonderwijs"],
        &["", "thuiszitten", "Thuiszitten|overig", "a  b|A B"],
        &["", "ADHD", "adhd|Hoogbegaafd"],
        &[
            "",
            "\"a, b\"",
            "\"regel\nregel\"",
            "\"x\"\"y\"",
            "a\"b",
            "\"open",
            "x\u{b}y",
        ],
    ];
    let ends = ["\n", "\r\n", "\n\n"];
    let mut next = common::random(0x9e37_79b9_7f4a_7c15);
    let dir = common::temp_dir("reader-agreement", "random");
    let (mut taken, mut left) = (0, 0);
    for _ in 0..1500 {
        let mut text = String::from(HEADER);
        text.push_str(ends[next(2)]);
        for _ in 0..1 + next(5) {
            let cells: Vec<&str> = pieces
                .iter()
                .map(|options| {
                    // Mostly the first, ordinary values.
                    if next(8) == 0 {
                        options[next(options.len())]
                    } else {
                        options[next(options.len().min(2))]
                    }
                })
                .collect();
            let mut cells = cells.join(",");
            if next(40) == 0 {
                cells.push(',');
            }
            text.push_str(&cells);
            if next(30) != 0 {
                text.push_str(ends[next(3)]);
            }
        }
        let (fast, careful) = both_ways(&dir, text.as_bytes());
        match fast {
            Some(dossiers) => {
                taken += 1;
                assert_eq!(Ok(dossiers), careful, "{text:?}");
            }
            None => left += 1,
        }
    }
    assert!(taken > 200 && left > 200, "taken {taken}, left {left}");
}

#[test]
fn fast_path_takes_an_ordinary_export() {
    let dir = common::temp_dir("reader-agreement", "ordinary");
    let text = format!(
        "\u{feff}{HEADER}\r\n\
         D1,2021-03-15,PO,Zorg|toelating|zorg,WhatsApp,Artikel,12ab00,,3,ja,SBO,thuiszitten|Overig,ADHD,\"a, b\"\r\n\
         \r\n\
         D2,15-03-2021,vo,,telefoon,,,kraalschool,,nee,sbo,,adhd|Hoogbegaafd,\r\n\
         D3,1/4/2021,overig,kosten,e-mail,,99ZZ99,École,1.234,,,,,\"zei \"\"ja\"\"\"\r\n"
    );
    let (fast, careful) = both_ways(&dir, text.as_bytes());
    let fast = fast.expect("the fast path takes it");
    assert_eq!(fast, careful.unwrap());
    assert_eq!(
        fast.iter().map(|d| d.line).collect::<Vec<_>>(),
        vec![2, 4, 5]
    );
}

/// A stray quote and a quote left open at the end of the line: the careful reader reads the
/// open value on into the next lines and names the problem, so the fast path must not take
/// the file (found by review).
#[test]
fn a_quote_open_at_the_end_of_a_line_is_for_the_careful_reader() {
    let dir = common::temp_dir("reader-agreement", "open-quote");
    let text = format!(
        "{HEADER}\n\
         D1,2021-03-15,po,zorg,telefoon,a\"b,,,,,,,,\"open\n\
         D2,2021-03-16,po,zorg,telefoon,,,,,,,,,x\n\
         D3,2021-03-16,po,zorg,telefoon,,,,,,,,,\"y\"\n"
    );
    let (fast, careful) = both_ways(&dir, text.as_bytes());
    assert!(careful.is_err(), "{careful:?}");
    assert_eq!(fast, None);
}

/// Personal data in any free-text contract cell: the careful reader refuses the row
/// without showing the value, so the fast path must not take the file.
#[test]
fn personal_data_in_a_contract_cell_is_for_the_careful_reader() {
    let dir = common::temp_dir("reader-agreement", "personal");
    for (column, value) in [
        (7, "bel 06-12345678"),
        (0, "ouder@voorbeeld.nl"),
        (5, "1012 AB 12"),
        (12, "NL91ABNA0417164300"),
        (8, "111222333"),
    ] {
        let mut cells = vec![""; 14];
        cells[..5].copy_from_slice(&["D1", "2021-03-15", "po", "zorg", "telefoon"]);
        cells[column] = value;
        let text = format!(
            "{HEADER}\n{}\nD2,2021-03-16,po,zorg,telefoon,,,,,,,,,\n",
            cells.join(",")
        );
        let (fast, careful) = both_ways(&dir, text.as_bytes());
        assert_eq!(fast, None, "{value}");
        let careful = careful.unwrap_err();
        assert!(
            careful.contains("1 cell looks like personal data"),
            "{careful}"
        );
        assert!(!careful.contains(value), "{careful}");
    }
}

/// Invisible characters are the careful reader's to remove; both read the same dossiers.
#[test]
fn invisible_characters_are_for_the_careful_reader() {
    let dir = common::temp_dir("reader-agreement", "invisible");
    let text = format!(
        "{HEADER}\nD1,2021-03-15,po,zorg,telefoon,,,kraal\u{200b}school\u{202e},,,,,,\n\
         D2,2021-03-16,po,zorg,telefoon,,,kraalschool,,,,,,\n"
    );
    let (fast, careful) = both_ways(&dir, text.as_bytes());
    assert_eq!(fast, None);
    let careful = careful.unwrap();
    assert_eq!(careful[0].school, careful[1].school);
    assert_eq!(careful[0].school.as_deref(), Some("34CD00"));
}

/// Control characters outside the contract columns: the careful reader decides whether the
/// file is binary data.
#[test]
fn control_characters_anywhere_are_for_the_careful_reader() {
    let dir = common::temp_dir("reader-agreement", "control");
    let text = format!("{HEADER}\nD1,2021-03-15,po,zorg,telefoon,,,,,,,,,a\u{b}b\n");
    assert_eq!(both_ways(&dir, text.as_bytes()).0, None);
}

/// Two configured themes differing only in case or spacing: the careful reader's merging of
/// list values decides which one a cell names (found by review).
#[test]
fn themes_configured_twice_in_other_spacing_are_for_the_careful_reader() {
    let dir = common::temp_dir("reader-agreement", "themes");
    let config =
        Config::from_toml("themas = [\"zorg\", \"passend onderwijs\", \"passend  onderwijs\"]\n")
            .unwrap();
    let text = format!(
        "{HEADER}\nD1,2021-03-15,po,passend onderwijs|passend  onderwijs,telefoon,,,,,,,,,\n"
    );
    let (fast, careful) = both_ways_with(&dir, text.as_bytes(), &config);
    assert_eq!(fast, None);
    assert_eq!(careful.unwrap()[0].themas.len(), 1);
}

/// A misspelt `OCO_READER` is refused before anything is read, naming the variable.
#[test]
fn a_wrong_reader_choice_is_refused_at_start() {
    let out = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args(["validate", "--data", "data"])
        .env("OCO_READER", "carefull")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("oco-report runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "oco-report: OCO_READER is \"carefull\": it must be `fast` or `careful` (or unset, \
         which is `fast`)"
    );
    assert!(out.stdout.is_empty());
}

/// A build reads the dossiers into frames without a list of them (the fast path, part by part);
/// its frames, `named` and coverage are those made from the careful reader's list, on the shipped
/// data and on a copy whose schooltypes need the spellings settled afterwards (`SBO` first,
/// then `sbo`, which takes the first spelling).
#[test]
fn a_build_reads_the_dossiers_into_the_frames_of_the_list() {
    let respelled = copy_of_default_data("framed-respelled");
    let path = respelled.join(dossiers::FILE);
    let text = std::fs::read_to_string(&path).expect("dossiers.csv");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).expect(name);
    let schooltype = column("schooltype");
    let mut changed = 0;
    for line in lines.iter_mut().skip(1).filter(|l| !l.contains('"')) {
        let mut cells: Vec<String> = line.split(',').map(str::to_string).collect();
        if !cells[schooltype].is_empty() && changed < 40 {
            cells[schooltype] = if changed == 0 { "SBO" } else { "sbo" }.to_string();
            changed += 1;
            *line = cells.join(",");
        }
    }
    assert!(changed >= 40, "rows with a schooltype: {changed}");
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for dir in [shipped.as_path(), respelled.as_path()] {
        let data = oco_report::build::load(dir).expect("the data");
        // The fast path for a build, chosen here whatever OCO_READER says, split in parts.
        let scholen = &data.scholen;
        let path = dir.join(dossiers::FILE);
        let (read, frames, by) = dossiers::read_frames_split(
            &path,
            &data.config,
            scholen,
            ReaderChoice::Fast,
            Split::small(),
        );
        assert_eq!(by, ReaderChoice::Fast, "{}", dir.display());
        assert_eq!(read.stats.rows, data.dossiers.len());
        let frames = frames.expect("the fast path's frames");
        let framed =
            oco_report::frames::Frames::with_dossier_frames(&data, frames).expect("framed");
        let from_list = oco_report::frames::Frames::new(&data).expect("frames");
        assert_eq!(framed.coverage, oco_report::coverage::Coverage::of(&data));
        for (got, expected) in [
            (&framed.dossiers, &from_list.dossiers),
            (&framed.themas, &from_list.themas),
            (&framed.vragen, &from_list.vragen),
            (&framed.diagnoses, &from_list.diagnoses),
            (&framed.named, &from_list.named),
        ] {
            assert!(got.height() > 0);
            assert_eq!(got.schema(), expected.schema());
            assert!(
                got.equals_missing(expected),
                "{}\n{got}\n{expected}",
                dir.display()
            );
        }
        // And the build's own loading gives a data set without the list.
        let (without, _) = oco_report::build::load_with_frames(dir).expect("load_with_frames");
        assert!(without.dossiers.is_empty());
    }
}

/// A fresh folder `NAME` holding a copy of the shipped `data/`.
fn copy_of_default_data(name: &str) -> std::path::PathBuf {
    let dir = common::temp_dir("reader-agreement", name);
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    for entry in std::fs::read_dir(&data).expect("data/") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).expect("copy");
    }
    dir
}

/// `OCO_DEBUG=0` is no debug log, and a value that is neither `0` nor `1` is refused before
/// anything is read, naming the variable.
#[test]
fn the_debug_switch_takes_only_zero_or_one() {
    let dir = copy_of_default_data("debug-switch");
    // A row the fast path declines (an unknown sector), so that a log would have a line.
    let path = dir.join(dossiers::FILE);
    let mut text = std::fs::read_to_string(&path).expect("dossiers.csv");
    text.push_str("D-NIEUW,2021-03-15,geen-sector,,telefoon\n");
    std::fs::write(&path, &text).expect("write");
    let run = |debug: &str| {
        Command::new(env!("CARGO_BIN_EXE_oco-report"))
            .args(["validate", "--data"])
            .arg(&dir)
            .env("OCO_DEBUG", debug)
            .env_remove("OCO_READER")
            .output()
            .expect("oco-report runs")
    };
    let on = String::from_utf8_lossy(&run("1").stderr).into_owned();
    assert!(on.contains("dossiers.csv: fast path declined"), "{on}");
    let off = run("0");
    assert_eq!(off.status.code(), Some(1));
    let off = String::from_utf8_lossy(&off.stderr).into_owned();
    assert!(!off.contains("debug"), "{off}");
    let wrong = run("true");
    assert_eq!(wrong.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&wrong.stderr).trim(),
        "oco-report: OCO_DEBUG is \"true\": it must be `1` (the readers' debug log) or `0` (or \
         unset, which is `0`)"
    );
    assert!(wrong.stdout.is_empty());
}

/// Under `OCO_DEBUG` the fast path says why it declined a file: the rule and the line, never
/// the content of a cell.
#[test]
fn the_debug_log_names_rule_and_line_not_content() {
    let dir = copy_of_default_data("debug");
    let path = dir.join(dossiers::FILE);
    let mut text = std::fs::read_to_string(&path).expect("dossiers.csv");
    text.push_str("GEHEIM-MARKER,2021-03-15,po,,telefoon\u{b}\n");
    std::fs::write(&path, &text).expect("write");
    let line = text.lines().count();
    let out = Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args(["validate", "--data"])
        .arg(&dir)
        .env("OCO_DEBUG", "1")
        .env_remove("OCO_READER")
        .output()
        .expect("oco-report runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!(
        "oco-report: debug: dossiers.csv: fast path declined: line {line}: a character that \
         is no text (control character, U+0080-U+009F, U+FFFD)"
    );
    assert!(stderr.lines().any(|l| l == expected), "{stderr}");
    assert!(!stderr.contains("GEHEIM"), "{stderr}");
}

/// `--help` names the environment variables the program reads, by the names it reads them by.
#[test]
fn help_names_the_environment_variables() {
    let out = common::oco_report(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    let environment = help
        .split("Environment:")
        .nth(1)
        .unwrap_or_else(|| panic!("an Environment section in {help}"));
    for variable in [
        oco_report::ingest::reader_choice::VARIABLE,
        oco_report::ingest::reader_choice::DEBUG_VARIABLE,
        oco_report::render::pdf::ENGINE_VARIABLE,
    ] {
        assert!(
            environment.contains(variable),
            "{variable} in {environment}"
        );
    }
}
