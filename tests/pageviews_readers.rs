//! The two readers of `pageviews.csv` give the same result: whatever file the fast path takes,
//! the careful reader reads without a problem to the same days, sums and rows per day; and
//! what `OCO_READER` chooses never changes what a file reads to. Through the public
//! `pageviews::read_summed_with` (a given choice) and `pageviews::read_fast` (the fast path
//! alone).

mod common;

use std::path::{Path, PathBuf};

use oco_report::config::Config;
use oco_report::ingest::pageviews::{self, FAST_MAX_CELL, FILE, Summed};
use oco_report::ingest::reader_choice::ReaderChoice;

/// `pageviews.csv` in a folder of its own for the test `name`, rewritten for each file.
struct Export(PathBuf);

impl Export {
    fn new(name: &str) -> Export {
        Export(common::temp_dir("pageviews-readers", name).join(FILE))
    }

    fn path(&self, text: &[u8]) -> &Path {
        std::fs::write(&self.0, text).expect("write pageviews.csv");
        &self.0
    }
}

/// The fast path alone, and the careful reader (`Err` when it found any problem); and both
/// choices agree on the result, problems included.
fn both_ways(export: &Export, text: &[u8]) -> (Option<Summed>, Result<Summed, String>) {
    let path = export.path(text);
    let config = Config::default();
    let careful = pageviews::read_summed_with(path, &config, ReaderChoice::Careful);
    let fast_choice = pageviews::read_summed_with(path, &config, ReaderChoice::Fast);
    assert_eq!(
        fast_choice.as_ref().map_err(|e| e.to_string()),
        careful.as_ref().map_err(|e| e.to_string()),
        "{:?}",
        String::from_utf8_lossy(text)
    );
    let careful = careful
        .and_then(|summed| match summed.errors.is_empty() {
            true => Ok(summed),
            false => Err(summed.errors),
        })
        .map_err(|e| e.to_string());
    (pageviews::read_fast(path, &config), careful)
}

#[test]
fn fast_path_takes_the_ordinary_forms() {
    let export = Export::new("ordinary");
    for text in [
        "datum,unieke_paginaweergaven\n2021-08-01,5\n2021-08-01,7\n2021-08-02,1",
        "\u{feff}Datum;Pagina;Unieke paginaweergaven\r\n1-8-2021;/home;5\r\n01/08/2021;/é;7\r\n",
        "pagina\tdatum\tunieke_paginaweergaven\textra\n/a b\t2021/08/01\t12\tx\n\n",
        // The careful reader's own rules for dates and counts: a time of day, thousands dots.
        "datum,unieke_paginaweergaven\n2021-08-01,1.234\n",
        "datum,unieke_paginaweergaven\n2021-08-01 10:00,5\n",
    ] {
        let (fast, careful) = both_ways(&export, text.as_bytes());
        assert!(fast.is_some(), "{text:?}");
        assert_eq!(fast, Some(careful.unwrap()), "{text:?}");
    }
}

#[test]
fn fast_path_leaves_the_unusual_to_the_careful_reader() {
    let export = Export::new("unusual");
    for text in [
        "datum,unieke_paginaweergaven\n2021-08-01,\"5\"\n",
        "datum,unieke_paginaweergaven\n# note\n2021-08-01,5\n",
        "datum,unieke_paginaweergaven\n2021-02-30,5\n",
        "datum,unieke_paginaweergaven\n2021-08-01,12345678901\n",
        "datum,unieke_paginaweergaven\n2021-08-01,5,6\n",
        "datum,unieke_paginaweergaven\n",
        "sep=,\ndatum,unieke_paginaweergaven\n2021-08-01,5\n",
        "datum,pagina,unieke_paginaweergaven\n2021-08-01,/\u{80},5\n",
        "datum,pagina,unieke_paginaweergaven\n2021-08-01,/\u{fffd},5\n",
        "datum,pagina,unieke_paginaweergaven\n2021-08-01,/a\rb,5\n",
        "datum,pagina,unieke_paginaweergaven\n2021-08-01,/a\u{200b}b,5\n",
        // Personal data in a contract cell: the careful reader refuses the row.
        "datum,pagina,unieke_paginaweergaven\n2021-08-01,/jan@voorbeeld.nl,5\n",
        "datum,unieke_paginaweergaven\n2021-08-01,111222333\n",
        "Day Index,Unique Pageviews\n8/1/17,5\n",
        // Not CSV, by its first bytes: the careful reader refuses the file.
        "<html>,datum,unieke_paginaweergaven\nx,2021-08-01,5\n",
        "GIF89a,datum,unieke_paginaweergaven\nx,2021-08-01,5\n",
    ] {
        let (fast, careful) = both_ways(&export, text.as_bytes());
        assert!(fast.is_none(), "{text:?}");
        let refused = ["@", "111222333", "12345678901", "<html>", "GIF89a"];
        if refused.iter().any(|r| text.contains(r)) {
            assert!(careful.is_err(), "{text:?}");
        }
    }
    let long = format!(
        "datum,pagina,unieke_paginaweergaven\n2021-08-01,/{},5\n",
        "x".repeat(FAST_MAX_CELL)
    );
    assert!(both_ways(&export, long.as_bytes()).0.is_none());
    let windows_1252 = b"datum,pagina,unieke_paginaweergaven\n2021-08-01,/caf\xe9,5\n";
    assert!(both_ways(&export, windows_1252).0.is_none());
}

/// Files put together at random from ordinary and unusual pieces: whenever the fast path
/// takes one, the careful reader reads it without a problem to the same days and sums.
#[test]
fn fast_path_agrees_with_the_careful_reader() {
    let export = Export::new("agree");
    let headers: [&[u8]; 6] = [
        b"datum,unieke_paginaweergaven",
        b"datum;pagina;unieke_paginaweergaven",
        b"Pagina,DATUM, Unieke Paginaweergaven ,bron",
        b"datum,datum,unieke_paginaweergaven",
        b"\xEF\xBB\xBFdatum\tunieke_paginaweergaven",
        b"datum,unieke paginaweergaven;x",
    ];
    let cells: [&[u8]; 33] = [
        b"2021-08-01",
        b"1-8-2021",
        b"01/08/2021",
        b"2020/02/29",
        b"2021-02-29",
        b"31-12-2020",
        b"2021-8-1",
        b"5",
        b"0",
        b"007",
        b"1.234",
        b"12345678901234567890",
        b"-3",
        b"",
        b" 5",
        b"/home",
        b"/caf\xc3\xa9",
        b"/caf\xe9",
        b"\"x\"",
        b"a\rb",
        b"/\xc2\x85",
        b"#",
        b"\t",
        b"/\xef\xbf\xbd",
        // Beyond MAX_INT; shaped like a BSN, a phone number, an e-mail address; an invisible
        // character; a time of day; a sign; grouped with a comma.
        b"12345678901",
        b"111222333",
        b"0612345678",
        b"/jan@voorbeeld.nl",
        b"/a\xe2\x80\x8bb",
        b"2021-08-01 10:00",
        b"+5",
        b"1,234",
        b"1.000.000.001",
    ];
    let ends: [&[u8]; 3] = [b"\n", b"\r\n", b"\n\n"];
    let mut next = common::random(0x9e37_79b9_7f4a_7c15);
    let (mut taken, mut left) = (0, 0);
    for _ in 0..3000 {
        let header = headers[next(headers.len())];
        let separator = if header.contains(&b';') && !header.contains(&b',') {
            b';'
        } else if header.contains(&b'\t') {
            b'\t'
        } else {
            b','
        };
        let columns = header.iter().filter(|&&b| b == separator).count() + 1;
        let mut text = header.to_vec();
        text.extend_from_slice(ends[next(2)]);
        for _ in 0..next(6) {
            for c in 0..columns + usize::from(next(20) == 0) {
                if c > 0 {
                    text.push(separator);
                }
                // Mostly sensible cells: a date first, a count last.
                let cell = match (c, next(10)) {
                    (_, 0) => cells[next(cells.len())],
                    (0, _) => cells[next(7)],
                    (c, _) if c + 1 == columns => cells[7 + next(3)],
                    _ => cells[15 + next(2)],
                };
                text.extend_from_slice(cell);
            }
            text.extend_from_slice(ends[next(3)]);
        }
        let (fast, careful) = both_ways(&export, &text);
        match fast {
            Some(summed) => {
                taken += 1;
                let text = String::from_utf8_lossy(&text);
                assert_eq!(Ok(summed), careful, "{text:?}");
            }
            None => left += 1,
        }
    }
    assert!(taken > 300 && left > 300, "taken {taken}, left {left}");
}

/// A file of many parts (larger than one part per core takes) reads the same both ways, and
/// a problem in its last part sends the whole file to the careful reader.
#[test]
fn a_file_of_many_parts_reads_the_same_both_ways() {
    let export = Export::new("parts");
    let mut text = b"datum,pagina,unieke_paginaweergaven\n".to_vec();
    let mut next = common::random(7);
    while text.len() < 17 << 20 {
        let row = format!(
            "2021-{:02}-{:02},/pagina/{},{}\n",
            1 + next(12),
            1 + next(28),
            next(1000),
            next(100_000)
        );
        text.extend_from_slice(row.as_bytes());
    }
    let (fast, careful) = both_ways(&export, &text);
    let careful = careful.unwrap();
    assert_eq!(fast.as_ref(), Some(&careful));
    assert_eq!(careful.days.len(), 12 * 28);
    text.extend_from_slice(b"2021-02-30,/laatste,1\n");
    let (fast, careful) = both_ways(&export, &text);
    assert!(fast.is_none());
    assert!(careful.unwrap_err().contains("2021-02-30"));
}

/// Under `OCO_DEBUG` the fast path says which rule sent the file to the careful reader and on
/// which line, never the cell; under `OCO_READER=careful` it is not tried at all. The table
/// is the same either way.
#[test]
fn the_debug_log_names_the_rule_and_line_and_the_switch_turns_the_fast_path_off() {
    let dir = common::temp_dir("pageviews-readers", "debug");
    let plain = std::fs::read_to_string("data/pageviews.csv").expect("the default pageviews");
    let mut lines: Vec<String> = plain.lines().map(str::to_string).collect();
    let (date, count) = lines[899].split_once(',').expect("datum,weergaven");
    let (date, count) = (date.to_string(), count.to_string());
    lines[899] = format!("{date},\"{count}\"");
    std::fs::write(dir.join(FILE), lines.join("\n") + "\n").unwrap();
    let data = dir.to_str().unwrap();
    let run = |vars: &[(&str, &str)]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_oco-report"))
            .args(["table", "websitebezoek", "2021", "--data", data])
            .env_remove("OCO_READER")
            .env_remove("OCO_DEBUG")
            .envs(vars.iter().copied())
            .output()
            .expect("oco-report runs");
        let stdout = common::succeeded(&out, "table websitebezoek");
        (stdout, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (table, log) = run(&[("OCO_DEBUG", "1")]);
    assert_eq!(
        log.lines()
            .filter(|l| l.contains("fast path declined"))
            .collect::<Vec<_>>(),
        ["oco-report: debug: pageviews.csv: fast path declined: line 900: a quote"],
        "{log}"
    );
    assert!(!log.contains(&count), "{log}");
    let (careful_table, careful_log) = run(&[("OCO_DEBUG", "1"), ("OCO_READER", "careful")]);
    assert!(
        !careful_log.contains("pageviews.csv: fast path"),
        "{careful_log}"
    );
    assert_eq!(careful_table, table);
    let (quiet_table, quiet_log) = run(&[]);
    assert!(!quiet_log.contains("debug"), "{quiet_log}");
    assert_eq!(quiet_table, table);
}
