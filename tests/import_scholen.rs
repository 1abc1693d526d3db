//! `oco-report import-scholen`: the registry and the pupils per stadsdeel from DUO's files and
//! the Inspectie's schoolweging workbook.
//!
//! The expected counts of the two real DUO files (`tests/data/duo/`) were computed apart from
//! this program, with awk over the files and the postcode table: 208 Amsterdam locations
//! (the register's 198 main locations all among the pupil file's 208), 62.494 pupils.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{oco_report, succeeded, temp_dir};

const REGISTER: &str = "tests/data/duo/hoofdvestigingen-basisonderwijs-2017.csv";
const PUPILS: &str = "tests/data/duo/leerlingen-bo-gewicht-leeftijd-2016-2017.csv";

fn run(args: &[&str]) -> std::process::Output {
    oco_report(args)
}

fn import(data: &Path, files: &[&str], extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import-scholen", "--data", data.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(files);
    run(&args)
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `scholen.csv` as brin → (naam, stadsdeel, schoolweging, sector, aliassen).
fn registry(data: &Path) -> BTreeMap<String, Vec<String>> {
    let text = std::fs::read_to_string(data.join("scholen.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "brin",
            "naam",
            "stadsdeel",
            "schoolweging",
            "sector",
            "aliassen"
        ]
    );
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[0].to_string(),
                r.iter().skip(1).map(str::to_string).collect(),
            )
        })
        .collect()
}

fn per_stadsdeel(schools: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for row in schools.values() {
        *counts.entry(row[1].clone()).or_default() += 1;
    }
    counts
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn the_two_real_duo_files_give_amsterdams_schools_and_pupils_per_stadsdeel() {
    let data = temp_dir("import", "real");
    let out = import(&data, &[REGISTER, PUPILS], &[]);
    let text = succeeded(&out, "import-scholen");
    let schools = registry(&data);
    assert_eq!(schools.len(), 208);
    assert_eq!(
        per_stadsdeel(&schools),
        counts(&[
            ("Centrum", 13),
            ("West", 29),
            ("Nieuw-West", 38),
            ("Zuid", 34),
            ("Oost", 33),
            ("Noord", 31),
            ("Zuidoost", 30),
        ])
    );
    // The register's name wins over the pupil file's abbreviation, which becomes an alias.
    assert_eq!(schools["04JS00"][0], "Schoolvereniging Willemspark");
    assert!(
        schools["04JS00"][4]
            .split('|')
            .any(|a| a == "Schoolver Willemspark"),
        "{:?}",
        schools["04JS00"]
    );
    // A name without its school-type prefix is an alias.
    assert!(
        schools["05FS00"][4]
            .split('|')
            .any(|a| a == "Het Koggeschip"),
        "{:?}",
        schools["05FS00"]
    );
    // Driemond (1109) lay in Zuidoost on the files' reference date, 1 October 2016.
    assert_eq!(schools["10RG00"][1], "Zuidoost");

    let pupils = std::fs::read_to_string(data.join("leerlingen-stadsdeel.csv")).unwrap();
    let mut lines = pupils.lines();
    assert_eq!(lines.next(), Some("stadsdeel,schooljaar,leerlingen,bron"));
    let rows: Vec<(String, String)> = lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            assert_eq!(cells[1], "2016/2017", "{l}");
            assert!(l.contains("naar schoolvestiging"), "{l}");
            assert!(l.contains("peildatum 2016-10-01"), "{l}");
            (cells[0].to_string(), cells[2].to_string())
        })
        .collect();
    let expected = [
        ("Centrum", "4496"),
        ("West", "8945"),
        ("Nieuw-West", "12465"),
        ("Zuid", "9690"),
        ("Oost", "11505"),
        ("Noord", "8213"),
        ("Zuidoost", "7180"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(rows, expected);

    for needle in [
        "rows read 6.359; kept 198 (198 locations); outside the municipality 6.161",
        "rows read 17.059; kept 578 (208 locations); outside the municipality 16.481",
        "Excel damage, repaired: municipality numbers without leading zeros on 13.744 lines \
         (first: line 2)",
        "  total            208         0       208         0",
        "  not placed: 0 (written with an empty stadsdeel)",
        "  not placed:        0",
        "  total         62.494",
        "208 added, 0 moved, 0 renamed",
        "check: 19 placed by a 4-digit postcode that reaches more than one stadsdeel",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    assert!(text.contains("Pupils per stadsdeel, 2016/2017: counted by school location"));
}

#[test]
fn validate_is_clean_on_a_registry_imported_into_the_default_data() {
    let data = temp_dir("import", "validate");
    for entry in std::fs::read_dir("data").unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
    }
    let out = import(&data, &[REGISTER, PUPILS], &[]);
    let text = succeeded(&out, "import-scholen");
    // The fictitious schools of data/ are kept: old dossiers name them.
    assert!(
        text.contains("206 kept that no imported file names"),
        "{text}"
    );
    let schools = registry(&data);
    assert_eq!(schools.len(), 206 + 208);
    let out = run(&["validate", "--data", path_str(&data)]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "validate:\n{report}");

    // Importing again changes nothing: same bytes.
    let before = std::fs::read(data.join("scholen.csv")).unwrap();
    let pupils_before = std::fs::read(data.join("leerlingen-stadsdeel.csv")).unwrap();
    let out = import(&data, &[PUPILS, REGISTER], &[]);
    let text = succeeded(&out, "second import-scholen");
    assert!(text.contains("0 added, 0 moved, 0 renamed"), "{text}");
    assert_eq!(std::fs::read(data.join("scholen.csv")).unwrap(), before);
    assert_eq!(
        std::fs::read(data.join("leerlingen-stadsdeel.csv")).unwrap(),
        pupils_before
    );
}

/// A small register in Windows-1252 with Excel's damage: leading zeros lost, a house number
/// turned into a date, a leading space, doubled quotes, and a location in Almere of an
/// Amsterdam brin.
fn write_damaged_register(path: &Path) {
    let text = "BRIN_NUMMER;VESTIGINGSNUMMER;VESTIGINGSNAAM;STRAATNAAM;HUISNUMMER-TOEVOEGING;\
                POSTCODE;GEMEENTENUMMER;GEMEENTENAAM;TELEFOONNUMMER\r\n\
                11AA;0;Openbare Basisschool De Kaap;Kaapstraat;1-mrt;1013 PV;363;AMSTERDAM;0201111111\r\n\
                11AA;1;Openbare Basisschool De Kaap;Dijkweg;4;1013 KS; 363;AMSTERDAM;0201111112\r\n\
                11AA;2;De Kaap Almere;Strand;5;1311 AB;34;ALMERE;0361111113\r\n\
                22BB;00;\"Basisschool \"\"Caf\u{e9} Zuid\"\"\";Laan;12;1071AB;0363;AMSTERDAM;0202222222\r\n\
                33CC;00;De Regenboog;Noordweg;3;1021AA;0363;AMSTERDAM;0203333333\r\n\
                44DD;00;De Regenboog;Oostweg;3;1091AA;0363;AMSTERDAM;0204444444\r\n\
                55EE;00;Driemondschool;Dorpsweg;1;1109AR;0363;AMSTERDAM;0205555555\r\n";
    let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_register_is_repaired_and_its_names_made_unique() {
    let dir = temp_dir("import", "damaged");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let register = dir.join("vestigingen.csv");
    write_damaged_register(&register);
    let out = import(&data, &[path_str(&register)], &[]);
    let text = succeeded(&out, "import-scholen");
    let schools = registry(&data);
    assert_eq!(
        schools.keys().collect::<Vec<_>>(),
        ["11AA00", "11AA01", "22BB00", "33CC00", "44DD00", "55EE00"]
    );
    // Two locations of one brin with one name: the street tells them apart.
    assert_eq!(
        schools["11AA00"][0],
        "Openbare Basisschool De Kaap (Kaapstraat)"
    );
    assert_eq!(
        schools["11AA01"][0],
        "Openbare Basisschool De Kaap (Dijkweg)"
    );
    // Two brins with one name: the same.
    assert_eq!(schools["33CC00"][0], "De Regenboog (Noordweg)");
    assert_eq!(schools["44DD00"][0], "De Regenboog (Oostweg)");
    // "De Kaap" would name two schools: no alias.
    assert_eq!(schools["11AA00"][4], "");
    assert_eq!(schools["22BB00"][0], "Basisschool \"Café Zuid\"");
    assert_eq!(schools["22BB00"][4], "Café Zuid");
    assert_eq!(schools["22BB00"][1], "Zuid");
    // No reference date in the file: placed on today's date, when Driemond is in Weesp,
    // which the default stadsdelen do not list.
    assert_eq!(schools["55EE00"][1], "");
    for needle in [
        "rows read 7; kept 6 (6 locations); outside the municipality 1",
        "location numbers without leading zero on 2 lines (first: line 2)",
        "house numbers turned into dates on 1 line (first: line 2)",
        "cells with leading or trailing spaces on 1 line (first: line 3)",
        "names with quote characters (doubled quotes) on 1 line (first: line 5)",
        "municipality numbers without leading zeros on 3 lines (first: line 2)",
        "Names: 4 clashes resolved",
        "55EE00 Driemondschool: postcode 1109AR lies in Weesp",
        "11AA00 Openbare Basisschool De Kaap (Kaapstraat) (1013PV): Centrum, postcode 1013 also \
         reaches West",
        "(Windows-1252)",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let out = run(&["validate", "--data", path_str(&data)]);
    // Only scholen.csv is there: validate names the missing files, nothing in scholen.csv.
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(!report.contains("scholen.csv:"), "{report}");
}

#[test]
fn a_reimport_keeps_aliases_overrides_and_closed_schools_and_reports_moves() {
    let dir = temp_dir("import", "reimport");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("scholen.csv"),
        "brin;naam;stadsdeel;schoolweging;sector;aliassen\n\
         33CC00;De Regenboog;Noord;30,5;po;Regenboog Noord\n\
         44DD00;De Oude Regenboog;Zuid;;po;\n\
         99ZZ00;Gesloten School;West;28;po;De Gesloten\n",
    )
    .unwrap();
    std::fs::write(
        data.join("stadsdelen-overrides.csv"),
        "brin,stadsdeel,reden\n11AA01,West,Dijkweg ligt in de Spaarndammerbuurt\n",
    )
    .unwrap();
    let register = dir.join("vestigingen.csv");
    write_damaged_register(&register);

    let before = std::fs::read(data.join("scholen.csv")).unwrap();
    let out = import(&data, &[path_str(&register)], &["--dry-run"]);
    let text = succeeded(&out, "import-scholen --dry-run");
    assert_eq!(std::fs::read(data.join("scholen.csv")).unwrap(), before);
    assert!(!data.join("leerlingen-stadsdeel.csv").exists());
    for needle in [
        "dry run: nothing written",
        "4 added, 1 moved, 2 renamed; 1 kept",
        "moved: 44DD00 De Regenboog (Oostweg): Zuid -> Oost",
        "renamed: 44DD00 \"De Oude Regenboog\" -> \"De Regenboog (Oostweg)\"",
        "kept: 99ZZ00 Gesloten School",
        "  West               1         0         0         1",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }

    succeeded(
        &import(&data, &[path_str(&register)], &[]),
        "import-scholen",
    );
    let schools = registry(&data);
    // The user's alias and schoolweging stay; the name is DUO's, made unique with the street,
    // and the old name an alias.
    assert_eq!(schools["33CC00"][0], "De Regenboog (Noordweg)");
    assert_eq!(schools["33CC00"][2], "30.5".replace('.', ","));
    assert_eq!(schools["33CC00"][4], "Regenboog Noord|De Regenboog");
    // The old name of a renamed school is an alias, so old dossiers still match.
    assert!(
        schools["44DD00"][4]
            .split('|')
            .any(|a| a == "De Oude Regenboog")
    );
    assert_eq!(schools["44DD00"][1], "Oost");
    // The override wins over the postcode.
    assert_eq!(schools["11AA01"][1], "West");
    // The closed school is kept as it was.
    assert_eq!(
        schools["99ZZ00"],
        ["Gesloten School", "West", "28", "po", "De Gesloten"]
    );
}

#[test]
fn pupil_counts_under_a_title_line_in_each_header_variant() {
    let dir = temp_dir("import", "pupils");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("leerlingen-stadsdeel.csv"),
        "stadsdeel,schooljaar,leerlingen\nCentrum,2015/2016,100\nCentrum,2019/2020,5\n",
    )
    .unwrap();
    let per_class = dir.join("per-gewicht.csv");
    std::fs::write(
        &per_class,
        "Leerlingen basisonderwijs per vestiging en gewicht, peildatum 1 oktober 2019\n\
         BRIN_NUMMER;VESTIGINGSNUMMER;INSTELLINGSNAAM_VESTIGING;POSTCODE_VESTIGING;GEMEENTENUMMER;GEWICHT;TOTAAL\n\
         11AA;00;De Kaap;1011AA; 363;0.00;100\n\
         11AA;00;De Kaap;1011AA; 363;0.30;20\n\
         11AA;01;De Kaap Noord;1021AA; 363;0.00;50\n\
         12AB;00;Elders;2011AA; 392;0.00;999\n",
    )
    .unwrap();
    let per_location = dir.join("per-vestiging.csv");
    std::fs::write(
        &per_location,
        "PEILDATUM,INSTELLINGSCODE,VESTIGINGSCODE,VESTIGINGSNAAM,POSTCODE,GEMEENTENUMMER,TOTAAL\n\
         20201001,11AA,11AA00,De Kaap,1011 AA,0363,110\n\
         20201001,11AA,11AA01,De Kaap Noord,1021 AA,0363,55\n",
    )
    .unwrap();
    let out = import(&data, &[path_str(&per_class), path_str(&per_location)], &[]);
    let text = succeeded(&out, "import-scholen");
    let pupils = std::fs::read_to_string(data.join("leerlingen-stadsdeel.csv")).unwrap();
    let rows: Vec<&str> = pupils.lines().collect();
    assert_eq!(rows[0], "stadsdeel,schooljaar,leerlingen,bron");
    assert_eq!(rows[1], "Centrum,2015/2016,100,");
    let school_year = |year: &str| -> Vec<String> {
        rows.iter()
            .filter(|r| r.contains(year))
            .map(|r| r.split(',').take(3).collect::<Vec<_>>().join(","))
            .collect()
    };
    assert_eq!(
        school_year("2019/2020"),
        [
            "Centrum,2019/2020,120",
            "West,2019/2020,0",
            "Nieuw-West,2019/2020,0",
            "Zuid,2019/2020,0",
            "Oost,2019/2020,0",
            "Noord,2019/2020,50",
            "Zuidoost,2019/2020,0",
        ]
    );
    assert_eq!(school_year("2020/2021")[0], "Centrum,2020/2021,110");
    assert_eq!(school_year("2020/2021")[5], "Noord,2020/2021,55");
    assert!(text.contains("Centrum 2019/2020: 5 -> 120"), "{text}");
    assert!(text.contains("peildatum 2019-10-01"), "{text}");
    assert_eq!(registry(&data).len(), 2);
}

#[test]
fn bad_rows_are_named_and_nothing_is_written() {
    let dir = temp_dir("import", "bad");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let file = dir.join("bad.csv");
    std::fs::write(
        &file,
        "BRIN_NUMMER;VESTIGINGSNAAM;POSTCODE;GEMEENTENUMMER;TELEFOONNUMMER\n\
         11AA;De Kaap;1011AA;0363;PRIVE-0612345678\n\
         11A;De Kaap;1011 A;0363;PRIVE-0612345678\n",
    )
    .unwrap();
    let out = import(&data, &[path_str(&file)], &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("bad.csv:3: column BRIN_NUMMER: expected a brin like 12AB, got \"11A\""),
        "{text}"
    );
    assert!(text.contains("bad.csv:3: column POSTCODE:"), "{text}");
    assert!(text.contains("nothing written"), "{text}");
    assert!(!text.contains("PRIVE"), "{text}");
    assert!(!data.join("scholen.csv").exists());

    // A registry or overrides file with problems is not merged into: its problems are named.
    let register = dir.join("vestigingen.csv");
    write_damaged_register(&register);
    std::fs::write(
        data.join("scholen.csv"),
        "brin;naam;stadsdeel\n11AA00;De Kaap;Westpoort\n",
    )
    .unwrap();
    std::fs::write(
        data.join("stadsdelen-overrides.csv"),
        "brin,stadsdeel,reden\n11AA00,Weesp,\n",
    )
    .unwrap();
    let before = std::fs::read(data.join("scholen.csv")).unwrap();
    let out = import(&data, &[path_str(&register)], &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "scholen.csv:2: column stadsdeel:",
        "stadsdelen-overrides.csv:2: column stadsdeel:",
        "stadsdelen-overrides.csv:2: column reden: expected a value, got an empty cell",
        "3 problems; nothing written",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    assert_eq!(std::fs::read(data.join("scholen.csv")).unwrap(), before);

    let other = dir.join("other.csv");
    std::fs::write(&other, "naam,telefoon\nX,PRIVE-06\n").unwrap();
    let out = import(&data, &[path_str(&other)], &[]);
    assert_eq!(out.status.code(), Some(2));
    let error = String::from_utf8_lossy(&out.stderr);
    assert!(
        error.contains("other.csv: not a file import-scholen knows"),
        "{error}"
    );
    assert!(!error.contains("PRIVE"), "{error}");

    // A workbook that does not open is unusable input too: 2, as a file of no known kind.
    let broken = dir.join("schoolweging.xlsx");
    std::fs::write(&broken, b"PK\x03\x04not a zip archive").unwrap();
    let clean = dir.join("clean");
    std::fs::create_dir_all(&clean).unwrap();
    let out = import(&clean, &[path_str(&broken)], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(
        text.contains("schoolweging.xlsx: cannot read it as an XLSX or ODS workbook"),
        "{text}"
    );
    assert!(text.contains("1 problem; nothing written"), "{text}");
    assert!(!clean.join("scholen.csv").exists());
}

/// The Inspectie's workbook: a sheet per school year and a three-year average, a title row
/// above the header, location codes like `11AA|C1`.
fn write_schoolweging_xlsx(path: &Path, average_sheet: &str, headers: [&str; 4]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let rows: [(&str, &str, Option<f64>, f64); 6] = [
        (
            "11AA|C1",
            "Openbare Basisschool De Kaap (Kaapstraat)",
            Some(31.27),
            1.2,
        ),
        ("11AA|C2", "De Kaap (Dijkweg)", Some(29.5), 1.0),
        ("22BB|C1", "Café Zuid", Some(26.0), 0.8),
        ("33CC|C1", "De Regenboog", None, 0.0),
        ("11AA|C3", "Onbekend", Some(33.0), 1.0),
        ("77XX|C1", "Elders", Some(30.0), 1.0),
    ];
    for (sheet_name, shift) in [("2021-2022", 1.0), (average_sheet, 0.0)] {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name).unwrap();
        sheet
            .write_string(
                0,
                0,
                "Schoolweging per vestiging, Inspectie van het Onderwijs",
            )
            .unwrap();
        for (c, header) in headers.iter().enumerate() {
            sheet.write_string(2, c as u16, *header).unwrap();
        }
        for (r, (code, name, weging, spreiding)) in rows.iter().enumerate() {
            let r = 3 + r as u32;
            sheet.write_string(r, 0, *code).unwrap();
            sheet.write_string(r, 1, *name).unwrap();
            match weging {
                Some(w) => sheet.write_number(r, 2, w + shift).unwrap(),
                None => sheet.write_string(r, 2, "-").unwrap(),
            };
            sheet.write_number(r, 3, *spreiding).unwrap();
        }
    }
    book.save(path).unwrap();
}

fn schoolweging_of(data: &Path) -> BTreeMap<String, String> {
    registry(data)
        .into_iter()
        .map(|(brin, row)| (brin, row[2].clone()))
        .collect()
}

#[test]
fn the_inspecties_schoolweging_joins_by_brin_else_by_name() {
    let dir = temp_dir("import", "weging");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("scholen.csv"),
        "brin;naam;stadsdeel;schoolweging;sector;aliassen\n\
         33CC00;De Regenboog;Noord;29;po;\n44DD00;De Regenboog Oost;Oost;35;po;\n",
    )
    .unwrap();
    let register = dir.join("vestigingen.csv");
    write_damaged_register(&register);
    let workbook = dir.join("schoolwegingen.xlsx");
    write_schoolweging_xlsx(
        &workbook,
        "Gemiddelde 2020-2023",
        ["vestiging", "Naam", "schoolweging", "spreiding"],
    );
    let out = import(&data, &[path_str(&register), path_str(&workbook)], &[]);
    let text = succeeded(&out, "import-scholen");
    let weging = schoolweging_of(&data);
    // 11AA has two locations: joined by name, with or without the school type before it;
    // 22BB and 33CC have one: by brin.
    assert_eq!(weging["11AA00"], "31,27");
    assert_eq!(weging["11AA01"], "29,5");
    assert_eq!(weging["22BB00"], "26");
    // The Inspectie publishes none for 33CC: none. 44DD is not in the workbook: its old value
    // stays, and is listed.
    assert_eq!(weging["33CC00"], "");
    assert_eq!(weging["44DD00"], "35");
    assert!(!text.contains("missing: 11AA01"), "{text}");
    for needle in [
        "schoolwegingen.xlsx: Inspectie schoolweging, sheet \"Gemiddelde 2020-2023\": 6 rows",
        "joined 4 (by code or brin 2, by name 2)",
        "not published 1; missing 2; rows of other municipalities 1",
        "missing: 44DD00 De Regenboog (Oostweg) (kept 35 from scholen.csv)",
        "not published: 33CC00",
        "not joined: row 8, 11AA|C3 \"Onbekend\"",
    ] {
        assert!(text.contains(needle), "{needle:?} not in:\n{text}");
    }
    let out = run(&["validate", "--data", path_str(&data)]);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("scholen.csv:"));
}

#[test]
fn sheet_and_headers_are_settable_in_oco_report_toml() {
    let dir = temp_dir("import", "settings");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let register = dir.join("vestigingen.csv");
    write_damaged_register(&register);
    let workbook = dir.join("schoolwegingen.xlsx");
    write_schoolweging_xlsx(
        &workbook,
        "Driejaars",
        ["BRIN vestiging", "Vestigingsnaam", "Weging", "Spreiding"],
    );
    let out = import(&data, &[path_str(&register), path_str(&workbook)], &[]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("which sheet holds the schoolweging? Its sheets are: 2021-2022, Driejaars"),
        "{text}"
    );

    std::fs::write(
        data.join("oco-report.toml"),
        "[import.schoolweging]\nblad = \"2021-2022\"\ncode = \"BRIN vestiging\"\n\
         naam = \"Vestigingsnaam\"\nschoolweging = \"Weging\"\n",
    )
    .unwrap();
    let out = import(&data, &[path_str(&register), path_str(&workbook)], &[]);
    succeeded(&out, "import-scholen with [import.schoolweging]");
    // The sheet of 2021-2022 has every weging one higher than the average.
    assert_eq!(schoolweging_of(&data)["22BB00"], "27");

    std::fs::write(
        data.join("oco-report.toml"),
        "[import.schoolweging]\nblad = \"2021-2022\"\nkolom = \"x\"\n",
    )
    .unwrap();
    let out = import(&data, &[path_str(&register), path_str(&workbook)], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("kolom"));
}

/// A minimal OpenDocument spreadsheet, zipped without compression (method 0), byte for byte
/// the same on every run.
fn write_ods(path: &Path, sheet: &str, rows: &[Vec<&str>]) {
    let mut content = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>",
    );
    content.push_str(&format!("<table:table table:name=\"{sheet}\">"));
    for row in rows {
        content.push_str("<table:table-row>");
        for cell in row {
            match cell.parse::<f64>() {
                Ok(n) => content.push_str(&format!(
                    "<table:table-cell office:value-type=\"float\" office:value=\"{n}\">\
                     <text:p>{cell}</text:p></table:table-cell>"
                )),
                Err(_) => content.push_str(&format!(
                    "<table:table-cell office:value-type=\"string\"><text:p>{cell}</text:p>\
                     </table:table-cell>"
                )),
            }
        }
        content.push_str("</table:table-row>");
    }
    content.push_str("</table:table></office:spreadsheet></office:body></office:document-content>");
    let entries: [(&str, &[u8]); 3] = [
        (
            "mimetype",
            b"application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("META-INF/manifest.xml", MANIFEST.as_bytes()),
        ("content.xml", content.as_bytes()),
    ];
    std::fs::write(path, stored_zip(&entries)).unwrap();
}

const MANIFEST: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
    <manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" \
    manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" \
    manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
    <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>\
    </manifest:manifest>";

fn stored_zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let crc = crc32(data);
        let header = |signature: &[u8], central: bool| {
            let mut h = signature.to_vec();
            if central {
                h.extend(20u16.to_le_bytes());
            }
            h.extend(20u16.to_le_bytes()); // version needed
            h.extend(0u16.to_le_bytes()); // flags
            h.extend(0u16.to_le_bytes()); // stored
            h.extend(0u32.to_le_bytes()); // time and date
            h.extend(crc.to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((data.len() as u32).to_le_bytes());
            h.extend((name.len() as u16).to_le_bytes());
            h.extend(0u16.to_le_bytes()); // extra
            if central {
                h.extend([0u8; 6]); // comment length, disk, internal attributes
                h.extend(0u32.to_le_bytes()); // external attributes
                h.extend(offset.to_le_bytes());
            }
            h.extend(name.as_bytes());
            h
        };
        out.extend(header(b"PK\x03\x04", false));
        out.extend_from_slice(data);
        central.extend(header(b"PK\x01\x02", true));
    }
    let start = out.len() as u32;
    out.extend(&central);
    out.extend(b"PK\x05\x06");
    out.extend([0u8; 4]);
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((entries.len() as u16).to_le_bytes());
    out.extend((central.len() as u32).to_le_bytes());
    out.extend(start.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= byte as u32;
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn the_schoolweging_reads_from_an_ods_workbook_too() {
    let dir = temp_dir("import", "ods");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let register = dir.join("vestigingen.csv");
    write_damaged_register(&register);
    let workbook: PathBuf = dir.join("schoolwegingen.ods");
    write_ods(
        &workbook,
        "Gemiddeld",
        &[
            vec!["vestiging", "naam", "schoolweging", "spreiding"],
            vec!["22BB|C1", "Café Zuid", "28.25", "1.1"],
            vec!["55EE|C1", "Driemondschool", "33", "1.1"],
        ],
    );
    let out = import(&data, &[path_str(&register), path_str(&workbook)], &[]);
    let text = succeeded(&out, "import-scholen with an ODS workbook");
    assert!(text.contains("sheet \"Gemiddeld\": 2 rows"), "{text}");
    let weging = schoolweging_of(&data);
    assert_eq!(weging["22BB00"], "28,25");
    assert_eq!(weging["55EE00"], "33");
}

/// The shipped postcode table against the municipalities DUO gives each location, read here
/// without the importer: on the files' peildatum every Amsterdam location's postcode is in the
/// table, and no postcode the table holds on that day has a location of another municipality.
#[test]
fn the_postcode_table_agrees_with_the_municipalities_in_the_real_duo_files() {
    use oco_report::registry::postcode::{Lookup, PostcodeTable};
    let table = PostcodeTable::shipped();
    let day = chrono::NaiveDate::from_ymd_opt(2016, 10, 1).unwrap();
    let mut checked = 0;
    for (file, postcode_header, municipality_header) in [
        (REGISTER, "POSTCODE", "GEMEENTENUMMER"),
        (PUPILS, "POSTCODE_VESTIGING", "GEMEENTENUMMER"),
    ] {
        let (_, header, rows) = common::read_csv(Path::new(file));
        let at = |name: &str| header.iter().position(|h| h == name).unwrap();
        let (postcode, municipality) = (at(postcode_header), at(municipality_header));
        for row in rows {
            let in_amsterdam = row[municipality].trim().parse::<u32>().unwrap() == 363;
            let found = matches!(table.lookup(&row[postcode], day), Lookup::Found { .. });
            assert_eq!(
                found, in_amsterdam,
                "{file}: {} {}",
                row[postcode], row[municipality]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 6_359 + 17_059);
}

#[test]
fn the_stadsdelen_table_names_duo_when_it_divides_by_imported_counts() {
    let data = temp_dir("import", "pupil-source");
    for entry in std::fs::read_dir("data").unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), data.join(entry.file_name())).unwrap();
    }
    // Before the import, 2016/2017 holds CBS's counts (by home address).
    let table = |data: &Path| {
        succeeded(
            &run(&[
                "table",
                "stadsdelen",
                "2017",
                "--gedeeltelijk",
                "--data",
                path_str(data),
            ]),
            "table stadsdelen 2017",
        )
    };
    let before = table(&data);
    assert!(before.contains("| CBS leerlingen 2016/2017 |"), "{before}");
    assert!(before.contains("3.940"), "{before}");
    succeeded(&import(&data, &[PUPILS], &[]), "import-scholen");
    // After it, DUO's counts by school location divide: the table must not call them CBS's.
    let after = table(&data);
    assert!(after.contains("| DUO leerlingen 2016/2017 |"), "{after}");
    assert!(after.contains("4.496"), "{after}");
    assert!(
        after.contains("(DUO, geteld naar schoolvestiging, 2016/2017)"),
        "{after}"
    );
    assert!(!after.contains("CBS"), "{after}");
    // So do the prose and the chart of the stadsdelen appendix.
    let out = data.join("out");
    succeeded(
        &run(&[
            "build",
            "2017",
            "--gedeeltelijk",
            "--data",
            path_str(&data),
            "--out",
            path_str(&out),
        ]),
        "build 2017",
    );
    let appendix = std::fs::read_to_string(out.join("stadsdelen.md")).unwrap();
    assert!(
        appendix.contains("volgens DUO, geteld naar schoolvestiging (schooljaar 2016/2017)"),
        "{appendix}"
    );
    let chart = std::fs::read_to_string(out.join("stadsdelen.svg")).unwrap();
    assert!(chart.contains("(DUO 2016/2017)"), "{chart}");
    for text in [&appendix, &chart] {
        assert!(!text.contains("CBS"), "{text}");
    }
}
