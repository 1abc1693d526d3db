//! A second, hand-made data set (`tests/data/tweede/`), built to the input contract
//! (`docs/inputs.md`) in the forms the default data does not use, with every expected figure
//! computed by hand below. The real binary is run on it: `table ID 2021 --format csv` for every
//! table id, and `build 2021`, whose output must not contain the personal data of the exports.
//!
//! # The forms
//!
//! - `dossiers.csv`: Windows-1252 (`è` 0xE8, `é` 0xE9, `’` 0x92), `;`, CRLF, dates as
//!   `15-03-2021` and `15/03/2021`, headers in other case and order (`Dossier_ID`, `THEMAS`,
//!   `School BRIN`), `datum` renamed to `Aanmaakdatum` in `oco-report.toml`, personal-data
//!   columns (`Naam ouder`, `E-mailadres`, `Telefoon`, `Notities`, one note spanning two lines)
//!   carrying the marker `PERSOONSGEGEVEN-XYZ`.
//! - `pageviews.csv`: the web-analytics export: `#` comment lines, `Day Index,Unique Pageviews`,
//!   US dates (`8/1/20`, a leap day `2/29/20`), quoted thousands (`"1,234"`), a totals line.
//! - `scholen.csv`: UTF-8 with BOM, `,`, headers in other order, schoolweging with a decimal comma
//!   in quotes (`"25,0"`), aliases, an empty sector (= po), a vo school, a school outside
//!   Amsterdam.
//! - `voorlichtingen.csv`: UTF-8, `,`, ISO and Dutch dates, statuses in mixed case, personal data
//!   in `Contactpersoon` and `Opmerking`.
//! - `leerlingen-stadsdeel.csv`: school years `2018-2019` … `2021-2022`, thousands dots.
//! - `leerlingen-sector.csv`: `;`, CRLF, the six default ids in mixed case and another order.
//! - `oco-report.toml`: bands `grenzen = [20, 30, 40]`, CBS pinned to 2019/2020, the rename.
//!
//! # The registry (scholen.csv)
//!
//! | brin   | naam                     | stadsdeel  | weging | band (new bands) | sector | aliassen |
//! |--------|--------------------------|------------|--------|------------------|--------|----------|
//! | 10AA00 | De Regenboog             | Centrum    | 25,0   | 20-30            | po     | Regenboogschool |
//! | 10BB00 | Sint-Jozefschool Rivièra | West       | 30,0   | 30-40 (edge)     | po     | De Rivièra |
//! | 10CC00 | École Élan               | Nieuw-West | 40,0   | 30-40 (40 incl.) | PO     | |
//! | 10DD00 | 't Kraaiennest           | Zuid       | 20,0   | 20-30 (edge)     | po     | |
//! | 10EE00 | De Vuurtoren             | Noord      | 40,1   | none (above 40)  | po     | |
//! | 10FF00 | Het Baken                | Zuidoost   | empty  | none (unknown)   | po     | |
//! | 10GG00 | De Meerpaal              | Oost       | 34,5   | 30-40            | empty = po | |
//! | 20AA00 | Het Stedelijk Lyceum     | Oost       | 31,0   | (vo: never counted) | vo  | Stedelijk, Lyceum Oost |
//! | 30AA00 | De Brug                  | empty      | 28,0   | (no stadsdeel: never counted) | po | |
//!
//! # The dossiers (dossiers.csv, in file order)
//!
//! Report year 2021: helpdesk tables 2018-2019 … 2020-2021, spread 2017-2018 … 2020-2021,
//! passend 2020-2021 against 2019-2020, sectoren and kanalen 2020-2021 (1 Aug 2020 – 31 Jul 2021).
//!
//! ```text
//! id         date        sector             themas                  kanaal    school as typed → registry; other
//! D2015-001  15-10-2015  po                 zorg                    telefoon  brin 10AA00; passend (2015-2016: outside every window)
//! D2015-002  20/11/2015  vo                 leerplicht              e-mail    "Onbekende School" (outside)
//! D2017-001  31-07-2017  po                 schoolkeuze             telefoon  "De Regenboog" (2016-2017: outside)
//! -- 2017-2018: only in the four-year spread (stadsdelen, schoolweging, datakwaliteit)
//! D2017-002  01-08-2017  po                 schoolkeuze             telefoon  brin 10AA00 → Centrum
//! D2018-001  12/03/2018  po                 toelating               e-mail    "Sint Jozefschool Riviera" → West
//! D2018-002  05-06-2018  overstap po-vo     schoolkeuze|toelating   telefoon  "De Regenbog" → unmatched
//! D2018-003  31-07-2018  Overstap PO-VO     toelating               balie     brin 99ZZ99 → unmatched
//! -- 2018-2019
//! D2018-004  01-08-2018  PO                 zorg                    telefoon  "’t Kraaiennest" → Zuid
//! D2018-005  10-10-2018  vo                 toelating|organisatie   e-mail    brin 20AA00 → vo school
//! D2018-006  14-11-2018  overstap po-vo     toelating               telefoon  "De Brug" → outside Amsterdam
//! D2019-001  15/01/2019  VO                 toelating               telefoon
//! D2019-002  20-02-2019  po                 schoolkeuze|zorg        Webinar   "regenboogschool" (alias) → Centrum
//! D2019-003  15-03-2019  po                 beoordeling             telefoon  "de rivièra" (alias) → West
//! D2019-004  01-04-2019  overstap po-vo     schoolkeuze             e-mail    "De Meerpaal" → Oost
//! D2019-005  02-05-2019  mbo                kosten                  e-mail
//! D2019-006  03-06-2019  so                 zorg                    telefoon  passend: mbo / leerlingdossier / dyscalculie
//! D2019-007  31-07-2019  voorschool         organisatie             telefoon
//! -- 2019-2020
//! D2019-008  01-08-2019  po                 toelating|beoordeling   telefoon  "Ecole  -  Elan" → Nieuw-West
//! D2019-009  12-09-2019  po                 zorg|communicatie       telefoon  brin 10bb00 → West; passend: basisonderwijs / thuiszitten / autisme
//! D2019-010  05/11/2019  po                 schoolkeuze             whatsapp  "De Vuurtoren" → Noord
//! D2019-011  10-12-2019  po                 zorg                    webinar   brin 10EE00 → Noord
//! D2020-001  20-01-2020  overstap po-vo     schoolkeuze|toelating   e-mail    "de  meerpaal." → Oost
//! D2020-002  14-02-2020  overstap po-vo     toelating               e-mail    "St. Jozefschool Rivièra" → unmatched (near miss)
//! D2020-003  16-03-2020  overstap po-vo     schoolkeuze             telefoon
//! D2020-004  15-04-2020  overstap mbo-ho    kosten                  e-mail
//! D2020-005  20-05-2020  so                 zorg                    telefoon  passend: (overstap naar) speciaal onderwijs / oneens overstap so/sbo / -
//! D2020-006  31-07-2020  vo                 zorg|Zorg|veiligheid    WhatsApp  herkomst artikel; passend: voortgezet onderwijs / thuiszitten|overig / dyslexie
//! -- 2020-2021, the report's school year
//! D2020-007  01-08-2020  vo                 toelating|zorg          whatsapp  herkomst Artikel; contactmomenten 1
//! D2020-008  15-09-2020  overstap vmbo-mbo  toelating               e-mail
//! D2020-009  01-10-2020  po                 Zorg|communicatie|zorg  WhatsApp  "ecole élan" → Nieuw-West; herkomst artikel; cm 4;
//!                                                                             passend: Basisonderwijs / thuiszitten|(onvoldoende) ondersteuning|Thuiszitten / ADHD|dyslexie
//! D2020-010  12-11-2020  po                 schoolkeuze             Webinar   "DE REGENBOOG" → Centrum
//! D2020-011  08-12-2020  po                 toelating               webinar   brin 10CC00 → Nieuw-West
//! D2021-001  19/01/2021  po                 zorg                    whatsapp  "HET BAKEN" → Zuidoost; cm 2; passend: basisonderwijs / (onvoldoende) ondersteuning / -
//! D2021-002  23-02-2021  po                 sancties                telefoon  "De Regenbog" → unmatched
//! D2021-003  10-03-2021  overstap po-vo     schoolkeuze             telefoon  cm 6; passend: overstap naar voortgezet onderwijs / voorrang schoolkeuze|Hoogbegaafdheidsaanbod / hoogbegaafd
//! D2021-004  14-04-2021  voorschool         organisatie|actueel     telefoon
//! D2021-005  18-05-2021  schoolkeuze po     schoolkeuze             telefoon
//! D2021-006  02-06-2021  mbo                kosten                  telefoon
//! D2021-007  30-06-2021  mbo                toelating               e-mail    passend nee, yet mbo / overig / dyscalculie filled in: not passend
//! D2021-008  07-07-2021  overig             (empty)                 balie
//! D2021-009  31/07/2021  VO                 zorg|kosten             telefoon  cm 3; passend: SBO / overig / Dyslexie|autisme
//! -- 2021-2022: outside every window
//! D2021-010  01-08-2021  vo                 zorg                    whatsapp  "Nergensschool"; herkomst artikel; passend: voortgezet onderwijs / thuiszitten / autisme
//! ```

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

mod common;
use common::{oco_report, succeeded};
use common::{readable_parts, unpack};

/// Every table id with its hand-checked test below; `every_table_id_is_checked` compares this
/// with the ids the binary knows.
const CHECKED: &[&str] = &[
    "websitebezoek",
    "stadsdelen",
    "schoolweging",
    "sectoren",
    "voorlichtingen-stadsdeel",
    "voorlichtingen-thema",
    "voorlichtingen-organisatie",
    "helpdesk-themas",
    "helpdesk-sectoren",
    "helpdesk-maand",
    "passend-schooltype",
    "passend-vragen",
    "passend-diagnoses",
    "kanalen",
    "datakwaliteit-scholen",
    "doelen",
];

/// The personal-data marker of the exports, compared case-insensitively (e-mail addresses
/// carry it in lower case).
const MARKER: &str = "persoonsgegeven-xyz";

fn tweede() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tweede")
}

/// `table ID 2021 --data DIR --format csv [extra...]`.
fn table_csv_in(data: &Path, id: &str, extra: &[&str]) -> String {
    let data = data.to_str().expect("UTF-8 path");
    let mut args = vec!["table", id, "2021", "--data", data, "--format", "csv"];
    args.extend_from_slice(extra);
    succeeded(&oco_report(&args), &format!("table {id}"))
}

fn expect_csv_in(data: &Path, id: &str, extra: &[&str], expected: &[&str]) {
    let got = table_csv_in(data, id, extra);
    assert!(got.ends_with('\n'), "{id}: CSV ends with a newline");
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(lines, expected, "table {id} --format csv");
}

fn expect_csv(id: &str, expected: &[&str]) {
    expect_csv_in(&tweede(), id, &[], expected);
}

/// `build 2021` of the data set, once per test run.
fn built() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let out = common::temp_dir("oco-tweede", "build");
        let data = tweede();
        let args = [
            "build",
            "2021",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        succeeded(&oco_report(&args), "build 2021");
        out
    })
}

#[test]
fn every_table_id_is_checked() {
    // An unknown id makes the binary list the known ones.
    let out = oco_report(&[
        "table",
        "geen-tabel",
        "2021",
        "--data",
        tweede().to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let known = err
        .split("known tables: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no list of tables in: {err}"));
    let known: Vec<&str> = known.trim().split(", ").collect();
    let unchecked: Vec<&&str> = known.iter().filter(|id| !CHECKED.contains(*id)).collect();
    assert!(
        unchecked.is_empty(),
        "tables without hand-checked expectations for tests/data/tweede: {unchecked:?}"
    );
    let gone: Vec<&&str> = CHECKED.iter().filter(|id| !known.contains(*id)).collect();
    assert!(
        gone.is_empty(),
        "checked tables the binary no longer has: {gone:?}"
    );
}

/// The fixture files really are in the forms this test is about (an editor re-saving one as
/// UTF-8 or with LF would silently make the test weaker).
#[test]
fn the_files_are_in_the_forms_they_exercise() {
    let read = |name: &str| std::fs::read(tweede().join(name)).expect(name);
    let dossiers = read("dossiers.csv");
    assert!(
        std::str::from_utf8(&dossiers).is_err(),
        "dossiers.csv is Windows-1252"
    );
    for byte in [0xE8u8, 0xE9, 0x92] {
        assert!(
            dossiers.contains(&byte),
            "dossiers.csv holds byte {byte:#x}"
        );
    }
    let crlf = dossiers.windows(2).filter(|w| w == b"\r\n").count();
    let lf = dossiers.iter().filter(|&&b| b == b'\n').count();
    // Every line ends with CRLF; one note spans two lines with a bare LF inside its quotes.
    assert_eq!((crlf, lf), (43, 44), "dossiers.csv: CRLF lines");
    let header = dossiers.split(|&b| b == b'\r').next().unwrap();
    let header = String::from_utf8_lossy(header);
    assert!(
        header.starts_with("Sector;Dossier_ID;Aanmaakdatum;"),
        "{header}"
    );
    assert!(!header.to_lowercase().split(';').any(|h| h == "datum"));
    assert!(String::from_utf8_lossy(&dossiers).contains("PERSOONSGEGEVEN-XYZ"));

    let scholen = read("scholen.csv");
    assert!(
        scholen.starts_with(b"\xEF\xBB\xBF"),
        "scholen.csv has a BOM"
    );
    let scholen = String::from_utf8(scholen).unwrap();
    for weging in ["\"25,0\"", "\"30,0\"", "\"40,0\""] {
        assert!(scholen.contains(weging), "scholen.csv: {weging}");
    }

    let pageviews = String::from_utf8(read("pageviews.csv")).unwrap();
    assert!(pageviews.starts_with("# "));
    assert!(pageviews.contains("\nDay Index,Unique Pageviews\n3/1/16,"));
    assert!(pageviews.trim_end().ends_with("\n,\"42,456\""));

    let voorlichtingen = String::from_utf8(read("voorlichtingen.csv")).unwrap();
    assert!(voorlichtingen.contains("PERSOONSGEGEVEN-XYZ"));
    let stadsdeel = String::from_utf8(read("leerlingen-stadsdeel.csv")).unwrap();
    assert!(stadsdeel.contains(",2019-2020,") && stadsdeel.contains(",2020-2021,"));
    let toml = String::from_utf8(read("oco-report.toml")).unwrap();
    for setting in [
        "grenzen = [20, 30, 40]",
        "schooljaar = \"2019/2020\"",
        "datum = \"Aanmaakdatum\"",
    ] {
        assert!(toml.contains(setting), "oco-report.toml: {setting}");
    }
}

/// Unique pageviews per school year (1 Aug – 31 Jul), from the analytics export:
/// - 2017-2018: 8/1/17 1,234 + 12/24/17 766 + 7/31/18 1,000 = 3000
/// - 2018-2019: 8/1/18 2,500 + 1/15/19 1,250 + 7/31/19 1,250 = 5000
/// - 2019-2020: 8/1/19 3,000 + 2/29/20 1,000 + 7/31/20 1,001 = 5001
/// - 2020-2021: 8/1/20 4,000 + 7/31/21 2,345 = 6345
///
/// Ignored: 3/1/16 (2015-2016), 8/1/16 and 7/31/17 (2016-2017), 8/1/21 (2021-2022) and the
/// totals line `,"42,456"` (the sum of all fifteen days; read as a day it would be an error).
#[test]
fn websitebezoek() {
    expect_csv(
        "websitebezoek",
        &[
            "schooljaar,unieke_paginaweergaven",
            "2017-2018,3000",
            "2018-2019,5000",
            "2019-2020,5001",
            "2020-2021,6345",
        ],
    );
}

/// Dossiers 2017-2018 … 2020-2021 naming a po school with a stadsdeel, against CBS 2019/2020
/// (the pin; the file also holds 2018-2019, 2020-2021 and 2021-2022):
///
/// | stadsdeel  | pupils | excl. (dossiers)                                   | webinar (dossiers)          |
/// |------------|-------:|----------------------------------------------------|-----------------------------|
/// | Centrum    |    400 | 1 (D2017-002 brin, on 1 Aug 2017)                  | 2 (D2019-002 alias, D2020-010 upper case) |
/// | West       |    200 | 3 (D2018-001 no accent/hyphen, D2019-003 alias with accent, D2019-009 brin lower case) | 0 |
/// | Nieuw-West |  1.000 | 2 (D2019-008 spacing/punctuation, D2020-009 é for É) | 1 (D2020-011 brin)        |
/// | Zuid       |    800 | 1 (D2018-004 ’ for ')                              | 0                           |
/// | Oost       |    600 | 2 (D2019-004, D2020-001 double space and dot)      | 0                           |
/// | Noord      |    300 | 1 (D2019-010)                                      | 1 (D2019-011 brin)          |
/// | Zuidoost   |    700 | 1 (D2021-001 upper case)                           | 0                           |
/// | Amsterdam  |  4.000 | 11                                                 | 4                           |
///
/// Not counted: D2015-001 and D2017-001 (before 1 Aug 2017, the latter on 31 Jul 2017),
/// D2018-005 (vo school), D2018-006 (no stadsdeel), the unmatched D2018-002, D2018-003,
/// D2020-002 (near miss "St. Jozefschool Rivièra"), D2021-002, and D2021-010 (2021-2022).
///
/// Percentages, rounded half away from zero from the integers:
/// Centrum 1/400 = 0,25 % → 0,3 and 3/400 = 0,75 % → 0,8; West 3/200 = 1,5 %; Nieuw-West
/// 2/1000 = 0,2 %, 3/1000 = 0,3 %; Zuid 1/800 = 0,125 % → 0,1; Oost 2/600 = 0,333 % → 0,3;
/// Noord 1/300 = 0,333 % → 0,3, 2/300 = 0,667 % → 0,7; Zuidoost 1/700 = 0,143 % → 0,1;
/// Amsterdam 11/4000 = 0,275 % → 0,3 and 15/4000 = 0,375 % → 0,4.
#[test]
fn stadsdelen_with_the_pinned_cbs_year() {
    expect_csv(
        "stadsdelen",
        &[
            "stadsdeel,leerlingen,vragen_excl_webinars,pct_excl_webinars,vragen_incl_webinars,pct_incl_webinars",
            "Centrum,400,1,0.3,3,0.8",
            "West,200,3,1.5,3,1.5",
            "Nieuw-West,1000,2,0.2,3,0.3",
            "Zuid,800,1,0.1,1,0.1",
            "Oost,600,2,0.3,2,0.3",
            "Noord,300,1,0.3,2,0.7",
            "Zuidoost,700,1,0.1,1,0.1",
            "Amsterdam,4000,11,0.3,15,0.4",
        ],
    );
}

/// Without the pin the latest school year not after 2020-2021 divides: 2020-2021 (2021-2022 is
/// after it). Same dossiers as above:
/// Centrum 1/500 = 0,2 %, 3/500 = 0,6 %; West 3/250 = 1,2 %; Nieuw-West 2/1250 = 0,16 % → 0,2,
/// 3/1250 = 0,24 % → 0,2; Zuid 1/1000 = 0,1 %; Oost 2/750 = 0,267 % → 0,3; Noord 1/375 = 0,267 %
/// → 0,3, 2/375 = 0,533 % → 0,5; Zuidoost 1/875 = 0,114 % → 0,1; Amsterdam 11/5000 = 0,22 % →
/// 0,2, 15/5000 = 0,3 %.
#[test]
fn stadsdelen_without_the_pin_take_the_latest_cbs_year_up_to_the_report() {
    let dir = common::temp_dir("oco-tweede", "unpinned");
    for entry in std::fs::read_dir(tweede()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(
        dir.join("oco-report.toml"),
        "[schoolweging]\ngrenzen = [20, 30, 40]\n\n[kolommen.dossiers]\ndatum = \"Aanmaakdatum\"\n",
    )
    .unwrap();
    expect_csv_in(
        &dir,
        "stadsdelen",
        &[],
        &[
            "stadsdeel,leerlingen,vragen_excl_webinars,pct_excl_webinars,vragen_incl_webinars,pct_incl_webinars",
            "Centrum,500,1,0.2,3,0.6",
            "West,250,3,1.2,3,1.2",
            "Nieuw-West,1250,2,0.2,3,0.2",
            "Zuid,1000,1,0.1,1,0.1",
            "Oost,750,2,0.3,2,0.3",
            "Noord,375,1,0.3,2,0.5",
            "Zuidoost,875,1,0.1,1,0.1",
            "Amsterdam,5000,11,0.2,15,0.3",
        ],
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// The dossiers of the stadsdelen table in the configured bands [20,30) and [30,40]:
/// - 20-30: De Regenboog 25,0 (1 helpdesk, 2 webinar) + 't Kraaiennest 20,0, the lower edge
///   (1 helpdesk) = 2 helpdesk, 2 webinars. (In the default bands 25,0 would open 25-30.)
/// - 30-40: Sint-Jozefschool 30,0, the edge belongs to the band above (3) + École Élan 40,0, the
///   top edge is in the last band (2 helpdesk, 1 webinar) + De Meerpaal 34,5 (2) = 7 helpdesk,
///   1 webinar.
/// - in no band: De Vuurtoren 40,1 (1 + 1 webinar) and Het Baken without weging (1): 3 dossiers,
///   so n = 12 of the 15 of the stadsdelen table.
#[test]
fn schoolweging_in_the_configured_bands() {
    expect_csv(
        "schoolweging",
        &[
            "schoolweging,helpdesk,webinars,totaal",
            "20-30,2,2,4",
            "30-40,7,1,8",
        ],
    );
}

/// Dossiers of 2020-2021 (1 Aug 2020 – 31 Jul 2021, so D2020-007 and D2021-009 count, D2020-006
/// and D2021-010 do not) per sector group, against leerlingen-sector.csv (ids in mixed case):
/// - voorschoolleeftijd = voorschool 1 (D2021-004) + schoolkeuze po 1 (D2021-005) = 2 of 800
///   = 0,25 % → 0,3
/// - voorschool-geindiceerd = voorschool 1 of 200 = 0,5 %
/// - po: D2020-009, D2020-010, D2020-011, D2021-001, D2021-002 = 5 of 400 = 1,25 % → 1,3
/// - po-vo: D2021-003 = 1 of 1.000 = 0,1 %
/// - vo = vo 2 (D2020-007, D2021-009) + overstap vmbo-mbo 1 (D2020-008) = 3 of 2.000 = 0,15 %
///   → 0,2
/// - mbo = mbo 2 (D2021-006, D2021-007) + overstap mbo-ho 0 = 2 of 1.600 = 0,125 % → 0,1
#[test]
fn sectoren() {
    expect_csv(
        "sectoren",
        &[
            "sectorgroep,leerlingen,dossiers,pct",
            "voorschoolleeftijd,800,2,0.3",
            "voorschool-geindiceerd,200,1,0.5",
            "po,400,5,1.3",
            "po-vo,1000,1,0.1",
            "vo,2000,3,0.2",
            "mbo,1600,2,0.1",
        ],
    );
}

// voorlichtingen.csv, counted per calendar year 2021, 2020, 2019, 2018:
//
// | date       | gebied     | thema                  | organisatie  | locaties | status      | counts in |
// |------------|------------|------------------------|--------------|---------:|-------------|-----------|
// | 10-06-2015 | Oost       | Rechten en plichten    | Buurtcentrum |          | uitgevoerd  | - (2015) |
// | 31-12-2017 | Zuid       | Overstap po-vo         | Scholen      |        1 | uitgevoerd  | - (2017) |
// | 20-01-2018 | Centrum    | Overstap po-vo         | Scholen      |        1 | uitgevoerd  | 2018 |
// | 31/12/2018 | zuid       | overstap PO-VO         | scholen      |          | (empty)     | 2018 |
// | 2019-01-01 | Oost       | Rechten en plichten    | Buurtcentrum |          | Uitgevoerd  | 2019 |
// | 05-03-2019 | Noord      | Onderwijsstelsel       | Kinderopvang |          | geannuleerd | never |
// | 12-05-2020 | Stadsbreed | Overstap po-vo         | Facebook     |          | uitgevoerd  | 2020 |
// | 01-10-2020 | Nieuw-West | Mediawijsheid          | Bibliotheek  |          | uitgevoerd  | 2020 |
// | 01-11-2020 | Diemen     | mediawijsheid          | bibliotheek  |          | uitgevoerd  | 2020 |
// | 02-02-2021 | Stadsbreed | Basisschoolkeuze en …  | Kinderopvang |       12 | uitgevoerd  | 2021 |
// | 03-03-2021 | West       | Overstap po-vo         | Scholen      |          | GEANNULEERD | never |
// | 01-06-2021 | Oost       | Corona achterstanden   | Weekendschool|        3 | uitgevoerd  | 2021 |
// | 15-11-2021 | West       | Overstap po-vo         | Scholen      |          | Gepland     | 2021 |
// | 31-12-2021 | Landsmeer  | Ouderbijdrage          | Moskee       |        1 | gepland     | 2021 |
// | 05-01-2022 | Zuidoost   | Overstap po-vo         | Huiskamer    |          | gepland     | - (2022) |
//
// Totals 2021: 4, 2020: 3, 2019: 1, 2018: 2. Onderwijsstelsel (only cancelled) and Huiskamer
// (only 2022) have no row; Mediawijsheid and Bibliotheek (not configured) follow the configured
// ones, spelled as first seen.

/// Every gebied has a row, in the configured order.
#[test]
fn voorlichtingen_stadsdeel() {
    expect_csv(
        "voorlichtingen-stadsdeel",
        &[
            "stadsdeel,2021,2020,2019,2018",
            "Centrum,0,0,0,1",
            "Nieuw-West,0,1,0,0",
            "Noord,0,0,0,0",
            "Oost,1,0,1,0",
            "West,1,0,0,0",
            "Zuid,0,0,0,1",
            "Zuidoost,0,0,0,0",
            "Abcoude,0,0,0,0",
            "Diemen,0,1,0,0",
            "Landsmeer,1,0,0,0",
            "Stadsbreed,1,1,0,0",
            "Totaal,4,3,1,2",
        ],
    );
}

#[test]
fn voorlichtingen_thema() {
    expect_csv(
        "voorlichtingen-thema",
        &[
            "thema,2021,2020,2019,2018",
            "Overstap po-vo,1,1,0,2",
            "Basisschoolkeuze en stedelijk toelatingsbeleid,1,0,0,0",
            "Rechten en plichten,0,0,1,0",
            "Ouderbijdrage,1,0,0,0",
            "Corona achterstanden,1,0,0,0",
            "Mediawijsheid,0,2,0,0",
            "Totaal,4,3,1,2",
        ],
    );
}

#[test]
fn voorlichtingen_organisatie() {
    expect_csv(
        "voorlichtingen-organisatie",
        &[
            "organisatie,2021,2020,2019,2018",
            "Scholen,1,0,0,2",
            "Kinderopvang,1,0,0,0",
            "Buurtcentrum,0,0,1,0",
            "Weekendschool,1,0,0,0",
            "Moskee,1,0,0,0",
            "Facebook,0,1,0,0",
            "Bibliotheek,0,2,0,0",
            "Totaal,4,3,1,2",
        ],
    );
}

/// The 2021 sessions reaching several locations at once (12 Stadsbreed/Basisschoolkeuze/
/// Kinderopvang, 3 Oost/Corona achterstanden/Weekendschool) are named in the row labels.
#[test]
fn voorlichtingen_labels_name_the_locations_reached_in_2021() {
    let out = oco_report(&[
        "table",
        "voorlichtingen-stadsdeel",
        "2021",
        "--data",
        tweede().to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&succeeded(&out, "table json")).unwrap();
    let labels: Vec<&str> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels[3], "Oost (in 2021 3 deelnemende locaties)");
    assert_eq!(labels[10], "Stadsbreed (in 2021 12 deelnemende locaties)");
    assert_eq!(labels[0], "Centrum");
}

/// Themes per school year, each once per dossier:
/// - 2018-2019: zorg D2018-004, D2019-002, D2019-006 (3); toelating D2018-005, D2018-006,
///   D2019-001 (3); organisatie D2018-005, D2019-007 (2); schoolkeuze D2019-002, D2019-004 (2);
///   beoordeling D2019-003; kosten D2019-005.
/// - 2019-2020: zorg D2019-009, D2019-011, D2020-005, D2020-006 (`zorg|Zorg|veiligheid`: once)
///   (4); schoolkeuze D2019-010, D2020-001, D2020-003 (3); toelating D2019-008, D2020-001,
///   D2020-002 (3); beoordeling D2019-008; veiligheid D2020-006; communicatie D2019-009; kosten
///   D2020-004.
/// - 2020-2021: toelating D2020-007, D2020-008, D2020-011, D2021-007 (4); zorg D2020-007,
///   D2020-009 (`Zorg|communicatie|zorg`: once), D2021-001, D2021-009 (4); schoolkeuze
///   D2020-010, D2021-003, D2021-005 (3); kosten D2021-006, D2021-009 (2); organisatie,
///   actueel D2021-004; sancties D2021-002; communicatie D2020-009; D2021-008 has none.
///
/// Leerplicht only in 2015 (D2015-002): 0. Trend: stijging above both earlier years, daling
/// below both (toelating 3,3,4 rises; schoolkeuze 2,3,3 and zorg 3,4,4 do not).
#[test]
fn helpdesk_themas() {
    expect_csv(
        "helpdesk-themas",
        &[
            "thema,2018-2019,2019-2020,2020-2021,trend",
            "schoolkeuze,2,3,3,",
            "toelating,3,3,4,stijging",
            "organisatie,2,0,1,",
            "beoordeling,1,1,0,daling",
            "actueel,0,0,1,stijging",
            "veiligheid,0,1,0,",
            "sancties,0,0,1,stijging",
            "leerplicht,0,0,0,",
            "zorg,3,4,4,",
            "communicatie,0,1,1,",
            "kosten,1,1,2,stijging",
        ],
    );
}

/// Dossiers per sector (mixed case in the file) and school year; 31 July closes a school year
/// and 1 August opens the next (D2019-007 31-07-2019 in 2018-2019, D2019-008 01-08-2019 in
/// 2019-2020, D2020-006 31-07-2020 in 2019-2020, D2020-007 01-08-2020 and D2021-009 31-07-2021
/// in 2020-2021, D2021-010 01-08-2021 in none).
/// - 2018-2019 (10): voorschool 1, po 3, overstap po-vo 2, vo 2, mbo 1, so 1
/// - 2019-2020 (10): po 4, overstap po-vo 3, vo 1, overstap mbo-ho 1, so 1
/// - 2020-2021 (14): voorschool 1, schoolkeuze po 1, po 5, overstap po-vo 1, vo 2,
///   overstap vmbo-mbo 1, mbo 2, overig 1
#[test]
fn helpdesk_sectoren() {
    expect_csv(
        "helpdesk-sectoren",
        &[
            "sector,2018-2019,2019-2020,2020-2021,trend",
            "voorschool,1,0,1,",
            "schoolkeuze po,0,0,1,stijging",
            "po,3,4,5,stijging",
            "overstap po-vo,2,3,1,daling",
            "vo,2,1,2,",
            "overstap vmbo-mbo,0,0,1,stijging",
            "mbo,1,0,2,stijging",
            "overstap mbo-ho,0,1,0,",
            "overstap vo-ho,0,0,0,",
            "ho,0,0,0,",
            "so,1,1,0,daling",
            "overstap regulier-so,0,0,0,",
            "overig,0,0,1,stijging",
            "Totaal,10,10,14,stijging",
        ],
    );
}

/// A row of the month table: theme and school year, the twelve months August first, the total.
fn maand(theme: &str, year: &str, months: [u32; 12]) -> String {
    let cells: Vec<String> = months.iter().map(u32::to_string).collect();
    let total: u32 = months.iter().sum();
    format!("{theme} {year},{},{total}", cells.join(","))
}

const MONTHS_HEADER: &str = "thema_schooljaar,augustus,september,oktober,november,december,\
                             januari,februari,maart,april,mei,juni,juli,totaal";

/// The month table's rows: every theme × the three school years, with the months given.
fn maand_table(cells: &[(&str, &str, usize)]) -> Vec<String> {
    let themes = [
        "schoolkeuze",
        "toelating",
        "organisatie",
        "beoordeling",
        "actueel",
        "veiligheid",
        "sancties",
        "leerplicht",
        "zorg",
        "communicatie",
        "kosten",
    ];
    let mut lines = vec![MONTHS_HEADER.to_string()];
    for theme in themes {
        for year in ["2018-2019", "2019-2020", "2020-2021"] {
            let mut months = [0; 12];
            for (t, y, month) in cells {
                if *t == theme && *y == year {
                    months[*month] += 1;
                }
            }
            lines.push(maand(theme, year, months));
        }
    }
    lines
}

// Month columns, August first.
const AUG: usize = 0;
const OKT: usize = 2;
const NOV: usize = 3;
const JAN: usize = 5;
const FEB: usize = 6;
const MRT: usize = 7;
const APR: usize = 8;
const JUL: usize = 11;

/// Sector vo (the default): D2018-005 October 2018 (toelating, organisatie), D2019-001 January
/// 2019 (toelating), D2020-006 31 July 2020 (zorg, veiligheid: July of 2019-2020), D2020-007
/// 1 August 2020 (toelating, zorg: August of 2020-2021), D2021-009 31 July 2021 (zorg, kosten:
/// July of 2020-2021). D2015-002 and D2021-010 (1 August 2021) are outside. 33 rows.
#[test]
fn helpdesk_maand_vo() {
    let expected = maand_table(&[
        ("toelating", "2018-2019", OKT),
        ("organisatie", "2018-2019", OKT),
        ("toelating", "2018-2019", JAN),
        ("zorg", "2019-2020", JUL),
        ("veiligheid", "2019-2020", JUL),
        ("toelating", "2020-2021", AUG),
        ("zorg", "2020-2021", AUG),
        ("zorg", "2020-2021", JUL),
        ("kosten", "2020-2021", JUL),
    ]);
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    assert_eq!(expected.len(), 34);
    assert_eq!(expected[4], "toelating 2018-2019,0,0,1,0,0,1,0,0,0,0,0,0,2");
    expect_csv("helpdesk-maand", &expected);
}

/// `--sector` matches case-insensitively. Overstap po-vo: D2018-006 November 2018 (toelating),
/// D2019-004 April 2019 (schoolkeuze), D2020-001 January 2020 (schoolkeuze, toelating),
/// D2020-002 February 2020 (toelating), D2020-003 March 2020 (schoolkeuze), D2021-003 March
/// 2021 (schoolkeuze); D2018-002 and D2018-003 are of 2017-2018.
#[test]
fn helpdesk_maand_other_sector() {
    let expected = maand_table(&[
        ("toelating", "2018-2019", NOV),
        ("schoolkeuze", "2018-2019", APR),
        ("schoolkeuze", "2019-2020", JAN),
        ("toelating", "2019-2020", JAN),
        ("toelating", "2019-2020", FEB),
        ("schoolkeuze", "2019-2020", MRT),
        ("schoolkeuze", "2020-2021", MRT),
    ]);
    let expected: Vec<&str> = expected.iter().map(String::as_str).collect();
    expect_csv_in(
        &tweede(),
        "helpdesk-maand",
        &["--sector", "Overstap PO-VO"],
        &expected,
    );
}

// Passend onderwijs: dossiers with passend_onderwijs ja/Ja/1 of 2020-2021 (D2020-009,
// D2021-001, D2021-003, D2021-009) and 2019-2020 (D2019-009, D2020-005, D2020-006). Not:
// D2015-001 (2015), D2019-006 (2018-2019), D2021-007 (passend nee, although its schooltype,
// vragen and diagnoses are filled in), D2021-010 (2021-2022). Hence no row for mbo,
// leerlingdossier or dyscalculie.

/// Configured schooltypes first, in their order, those with a count; then the others (SBO).
/// 2020-2021: basisonderwijs 2 (D2020-009 `Basisonderwijs`, D2021-001), overstap naar voortgezet
/// onderwijs 1, SBO 1. 2019-2020: basisonderwijs, voortgezet onderwijs, (overstap naar) speciaal
/// onderwijs 1 each.
#[test]
fn passend_schooltype() {
    expect_csv(
        "passend-schooltype",
        &[
            "schooltype,2020-2021,2019-2020",
            "basisonderwijs,2,1",
            "overstap naar voortgezet onderwijs,1,0",
            "voortgezet onderwijs,0,1",
            "(overstap naar) speciaal onderwijs,0,1",
            "SBO,1,0",
        ],
    );
}

/// 2020-2021: (onvoldoende) ondersteuning D2020-009, D2021-001 (2); thuiszitten D2020-009
/// (`thuiszitten|…|Thuiszitten`: once); voorrang schoolkeuze and Hoogbegaafdheidsaanbod
/// D2021-003; overig D2021-009. 2019-2020: thuiszitten D2019-009, D2020-006 (2); overig
/// D2020-006; oneens overstap so/sbo D2020-005. Configured order, then the unlisted one.
#[test]
fn passend_vragen() {
    expect_csv(
        "passend-vragen",
        &[
            "vraag,2020-2021,2019-2020",
            "(onvoldoende) ondersteuning,2,0",
            "oneens overstap so/sbo,0,1",
            "thuiszitten,1,2",
            "voorrang schoolkeuze,1,0",
            "overig,1,1",
            "Hoogbegaafdheidsaanbod,1,0",
        ],
    );
}

/// 2020-2021: dyslexie D2020-009, D2021-009 (`Dyslexie`, spelled as first seen in the file:
/// `dyslexie` of D2015-001) (2); ADHD D2020-009; hoogbegaafd D2021-003; autisme D2021-009.
/// 2019-2020: autisme D2019-009; dyslexie D2020-006. Order: current year's count, then the
/// previous year's, then name (byte order: `ADHD` before `hoogbegaafd`).
#[test]
fn passend_diagnoses() {
    expect_csv(
        "passend-diagnoses",
        &[
            "diagnose,2020-2021,2019-2020",
            "dyslexie,2,1",
            "autisme,1,1",
            "ADHD,1,0",
            "hoogbegaafd,1,0",
        ],
    );
}

/// 1 August 2020 – 31 July 2021 (no `[kanalen] vanaf`):
/// - po: 5 dossiers; WhatsApp D2020-009 (herkomst artikel) and D2021-001 (zoekmachine):
///   2/5 = 40,0 %; via artikel 1/2 = 50,0 %
/// - vo (vo + overstap vmbo-mbo): D2020-007, D2021-009, D2020-008 = 3; WhatsApp D2020-007
///   (herkomst `Artikel`) = 1/3 = 33,3 %; via artikel 1/1 = 100,0 %
/// - mbo (mbo + overstap mbo-ho): D2021-006, D2021-007 = 2; no WhatsApp: 0,0 %, and the share
///   of no WhatsApp dossiers is undefined (empty)
///
/// D2020-006 (WhatsApp, artikel, 31 July 2020) and D2021-010 (1 August 2021) are outside.
#[test]
fn kanalen() {
    expect_csv(
        "kanalen",
        &[
            "sectorgroep,dossiers,whatsapp,pct_whatsapp,whatsapp_artikel,pct_artikel_van_whatsapp,pct_artikel_van_dossiers",
            // The last column: via an article as % of all dossiers (1 of 5, 1 of 3, 0 of 2).
            "po,5,2,40.0,1,50.0,20.0",
            "vo,3,1,33.3,1,100.0,33.3",
            "mbo,2,0,0.0,0,,0.0",
        ],
    );
}

/// Names (or a brin) of 2017-2018 … 2020-2021 that match no registry school: "De Regenbog"
/// (D2018-002, D2021-002), "99ZZ99" (D2018-003), "St. Jozefschool Rivièra" (D2020-002); by
/// count, then name. Not listed: "Onbekende School" (2015) and "Nergensschool" (2021-2022).
///
/// Suggestions: the three registry schools whose name or alias is nearest after normalising,
/// by 1 − Damerau-Levenshtein distance / longer length, ties by name:
/// - "de regenbog": de regenboog 1 − 1/12; de brug 1 − 6/11; then de meerpaal and
///   (alias) de riviera both 1 − 7/11: De Meerpaal before Sint-Jozefschool Rivièra.
/// - "99zz99": sint jozefschool riviera shares the z: 1 − 23/24; every other name shares
///   nothing, 0, so by name: 't Kraaiennest, De Brug.
/// - "st jozefschool riviera": sint jozefschool riviera 1 − 2/24; then (alias)
///   regenboogschool, (alias) stedelijk and ecole elan all 1 − 17/22: De Regenboog, Het
///   Stedelijk Lyceum (École Élan sorts after them).
#[test]
fn datakwaliteit_scholen() {
    expect_csv(
        "datakwaliteit-scholen",
        &[
            "schoolnaam,dossiers,suggesties",
            "De Regenbog,2,De Regenboog; De Brug; De Meerpaal",
            "99ZZ99,1,Sint-Jozefschool Rivièra; 't Kraaiennest; De Brug",
            "St. Jozefschool Rivièra,1,Sint-Jozefschool Rivièra; De Regenboog; Het Stedelijk Lyceum",
        ],
    );
}

/// The default targets (no `[doelen.2021]` in the settings):
/// - paginaweergaven 2020-2021: 6345 < 1.500.000, but only 2 of 365 days present: onbekend
/// - dossiers 2020-2021: 14 < 1.500: niet behaald
/// - voorlichtingen 2021 against 2020 (both years have sessions): Nieuw-West 0 < 1 niet behaald;
///   Noord 0 and 0, Zuidoost 0 and 0 (the Zuidoost session is of 2022): onbekend, `0 ≥ 0`
///   measures nothing
/// - dossiers naming a po school in Nieuw-West, Noord or Zuidoost, excl. webinars: 2020-2021
///   D2020-009 + D2021-001 = 2 against 2019-2020 D2019-008 + D2019-010 = 2: behaald
/// - voorschoolleeftijd 2 (D2021-004, D2021-005) against 0: behaald
/// - mbo 2 (D2021-006, D2021-007) against 1 (overstap mbo-ho D2020-004): behaald
#[test]
fn doelen() {
    expect_csv(
        "doelen",
        &[
            "doel,periode,waarde,norm,norm_periode,resultaat",
            "paginaweergaven,2020-2021,6345,1500000,vast doel,onbekend",
            "dossiers,2020-2021,14,1500,vast doel,niet behaald",
            "voorlichtingen Nieuw-West,2021,0,1,2020,niet behaald",
            "voorlichtingen Noord,2021,0,0,2020,onbekend",
            "voorlichtingen Zuidoost,2021,0,0,2020,onbekend",
            "dossiers stadsdelen,2020-2021,2,2,2019-2020,behaald",
            "dossiers voorschoolleeftijd,2020-2021,2,0,2019-2020,behaald",
            "dossiers mbo,2020-2021,2,1,2019-2020,behaald",
        ],
    );
}

/// The figures the prose quotes, as `build` writes them to figures.json:
/// - stadsdelen: 11 excl., 15 incl., 4 webinar; lowest Zuid 0,1 % (1/800 = 0,125 % is below
///   Zuidoost's 1/700, which also prints 0,1)
/// - schoolweging: n = 12 (9 helpdesk, 3 webinar), 3 dossiers in no band
/// - helpdesk: 14 dossiers; contactmomenten of 2020-2021: (1 + 4 + 2 + 6 + 3) / 5 = 3,2
/// - passend: 4 against 3; one in 14/4 = 3,5 → 4; 3 with a diagnosis; contactmomenten
///   (4 + 2 + 6 + 3) / 4 = 3,75 → 3,8
/// - voorlichtingen: 4 in 2021 reaching 12 + 3 + 1 + 1 = 17 locations, 15 of them at once; 2020:
///   3, of which 1 fysiek and 1 webinar (and 1 facebook-live)
/// - datakwaliteit: 3 names, 4 dossiers
#[test]
fn facts_in_figures_json() {
    let text = std::fs::read_to_string(built().join("figures.json")).unwrap();
    let figures: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(figures["year"], 2021);
    let fact = |appendix: &str, name: &str| -> serde_json::Value {
        let found = figures["appendices"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == appendix)
            .unwrap_or_else(|| panic!("no appendix {appendix}"));
        found["facts"][name].clone()
    };
    let expected = serde_json::json!({
        "stadsdelen": {
            "dossiers_excl": 11, "dossiers_incl": 15, "webinar": 4,
            "cbs_schooljaar": "2019/2020", "laagste_stadsdeel": "Zuid", "laagste_pct": 0.1,
            "periode": "2017-2018 t/m 2020-2021",
        },
        "schoolweging": {
            "n": 12, "helpdesk": 9, "webinars": 3, "zonder_weging": 1, "buiten_banden": 2,
        },
        "sectoren": { "dossiers": 14, "schooljaar": "2020-2021" },
        "helpdesk": {
            "dossiers": 14, "contactmomenten": 3.2,
            "stijging_themas": "toelating, actueel, sancties, kosten",
            "daling_themas": "beoordeling",
            "stijging_sectoren": "schoolkeuze po, po, overstap vmbo-mbo, mbo, overig",
            "daling_sectoren": "overstap po-vo, so",
            "schooljaren": "2018-2019, 2019-2020 en 2020-2021",
        },
        "passend-onderwijs": {
            "dossiers": 4, "dossiers_vorig": 3, "totaal_dossiers": 14, "een_op": 4,
            "met_diagnose": 3, "contactmomenten": 3.8, "contactmomenten_alle": 3.2,
        },
        "voorlichtingen": {
            "totaal": 4, "vorig_totaal": 3, "vorig_fysiek": 1, "vorig_webinar": 1,
            "locaties": 17, "meervoudige_locaties": 15,
        },
        "websitebezoek": { "eerste": 3000, "laatste": 6345 },
        "kanalen": { "vanaf": "1 augustus 2020", "tot": "31 juli 2021" },
    });
    // The data-quality list is working material: not in figures.json, in intern/.
    assert!(
        figures["appendices"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["id"] != "datakwaliteit"),
        "figures.json holds no data-quality appendix"
    );
    let datakwaliteit = std::fs::read_to_string(built().join("intern/datakwaliteit.md")).unwrap();
    assert!(
        datakwaliteit.contains("In 4 dossiers staat een school")
            && datakwaliteit.contains(": 3 verschillende schoolnamen"),
        "{datakwaliteit}"
    );
    for (appendix, facts) in expected.as_object().unwrap() {
        for (name, value) in facts.as_object().unwrap() {
            assert_eq!(&fact(appendix, name), value, "{appendix}.{name}");
        }
    }
}

/// Names, e-mail addresses, phone numbers and notes of the exports appear in no output file
/// (looking inside compressed ones: the entries of a zip such as an xlsx workbook, the text
/// chunks of a png; the pixels of a chart cannot be read, its svg twin can), and in no table in
/// any format.
#[test]
fn personal_data_appears_in_no_output() {
    let mut names = Vec::new();
    for name in output_files(built()) {
        let path = built().join(&name);
        let bytes = std::fs::read(&path).unwrap();
        for (part, text) in readable_parts(&name, &bytes) {
            assert!(
                !String::from_utf8_lossy(&text)
                    .to_lowercase()
                    .contains(MARKER),
                "{part} holds personal data"
            );
        }
        names.push(name);
    }
    names.sort();
    for expected in [
        "figures.json",
        "report.md",
        "stadsdelen.md",
        "intern/datakwaliteit.md",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    let data = tweede();
    for id in CHECKED {
        for format in ["md", "csv", "json"] {
            let out = oco_report(&[
                "table",
                id,
                "2021",
                "--data",
                data.to_str().unwrap(),
                "--format",
                format,
            ]);
            assert!(out.status.success(), "table {id} --format {format}");
            assert_no_marker(&out, &format!("table {id} --format {format}"));
        }
    }
}

fn assert_no_marker(out: &Output, what: &str) {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!text.to_lowercase().contains(MARKER), "{what}: {text}");
}

/// `check 2021` against the 2020 report of the same data prints categories and figures, never
/// personal data (its checks may fail: exit status 1).
#[test]
fn personal_data_appears_in_no_check_output() {
    let out = common::temp_dir("oco-tweede", "check-2020");
    let data = tweede();
    let data = data.to_str().unwrap();
    let build = [
        "build",
        "2020",
        "--data",
        data,
        "--out",
        out.to_str().unwrap(),
    ];
    succeeded(&oco_report(&build), "build 2020");
    let baseline = out.join("figures.json");
    for format in ["text", "json"] {
        let args = [
            "check",
            "2021",
            "--data",
            data,
            "--baseline",
            baseline.to_str().unwrap(),
            "--format",
            format,
        ];
        let run = oco_report(&args);
        assert!(
            matches!(run.status.code(), Some(0 | 1)),
            "check --format {format} ran ({}): {}",
            run.status,
            String::from_utf8_lossy(&run.stderr)
        );
        assert!(!run.stdout.is_empty(), "check --format {format} printed");
        assert_no_marker(&run, &format!("check --format {format}"));
    }
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn unpacking_reads_what_python_zipfile_and_zlib_write() {
    // Python: zipfile with a deflated entry (fixed Huffman codes, back references) and a stored
    // one; the central directory gives names, methods, sizes and CRC-32s.
    let zip: &[u8] = &[
        0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x04,
        0xc0, 0x26, 0xdc, 0x07, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00,
        0x61, 0x2e, 0x78, 0x6d, 0x6c, 0x4b, 0x4c, 0x4a, 0x4e, 0x44, 0x45, 0x00, 0x50, 0x4b, 0x03,
        0x04, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x67, 0xba, 0x8e, 0xeb,
        0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x62, 0x2e, 0x74,
        0x78, 0x74, 0x78, 0x79, 0x7a, 0x50, 0x4b, 0x01, 0x02, 0x14, 0x03, 0x14, 0x00, 0x00, 0x00,
        0x08, 0x00, 0x00, 0x00, 0x21, 0x00, 0x04, 0xc0, 0x26, 0xdc, 0x07, 0x00, 0x00, 0x00, 0x12,
        0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0x01, 0x00, 0x00, 0x00, 0x00, 0x61, 0x2e, 0x78, 0x6d, 0x6c, 0x50, 0x4b, 0x01, 0x02,
        0x14, 0x03, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x21, 0x00, 0x67, 0xba, 0x8e,
        0xeb, 0x03, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80, 0x01, 0x2a, 0x00, 0x00, 0x00, 0x62, 0x2e, 0x74,
        0x78, 0x74, 0x50, 0x4b, 0x05, 0x06, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x02, 0x00, 0x66,
        0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];
    assert_eq!(
        unpack::zip_entries(zip).unwrap(),
        vec![
            ("a.xml".to_string(), b"abcabcabcabcabcabc".to_vec()),
            ("b.txt".to_string(), b"xyz".to_vec()),
        ]
    );
    // Python: zlib.compressobj(9, DEFLATED, -15), a raw stream with dynamic Huffman codes.
    let dynamic: &[u8] = &[
        0x45, 0x8d, 0x21, 0x0e, 0x02, 0x41, 0x0c, 0x00, 0xfd, 0xbe, 0xa2, 0x0e, 0x53, 0x04, 0xb8,
        0xcd, 0x39, 0x82, 0x82, 0x60, 0x0e, 0x77, 0xae, 0x77, 0x94, 0xd2, 0xe4, 0xd8, 0x92, 0x76,
        0x0f, 0xc1, 0x8b, 0xf8, 0x07, 0x1f, 0xe3, 0x02, 0x09, 0xb8, 0x19, 0x33, 0x13, 0xc3, 0xc5,
        0x6c, 0x2c, 0x44, 0x57, 0x3c, 0x59, 0x84, 0xb2, 0x07, 0xc6, 0x24, 0xc2, 0x51, 0x95, 0x23,
        0x6d, 0x19, 0x5a, 0x16, 0x2e, 0xbd, 0x09, 0xae, 0xf1, 0x6f, 0x26, 0x0d, 0xcc, 0xb6, 0xf1,
        0xe9, 0x0b, 0x07, 0x66, 0xbf, 0x11, 0x8d, 0x29, 0xe7, 0xae, 0xcb, 0x19, 0x57, 0x78, 0xd4,
        0x52, 0x97, 0x3b, 0x7b, 0xf0, 0x39, 0x3e, 0x0b, 0x68, 0xf5, 0xae, 0xaf, 0xa7, 0x53, 0x03,
        0x8b, 0x0a, 0x7b, 0x27, 0x52, 0x2e, 0x65, 0xde, 0xfc, 0x42, 0xe9, 0x0d,
    ];
    assert_eq!(
        String::from_utf8(unpack::inflate(dynamic).unwrap()).unwrap(),
        "schoolnaam,dossiers,suggesties\n\
         De Regenbog,2,De Regenboog; De Brug; De Meerpaal\n\
         99ZZ99,1,Sint-Jozefschool Rivièra; 't Kraaiennest; De Brug\n"
    );
}

/// Two builds of the same data write the same bytes.
#[test]
fn build_is_byte_identical_twice() {
    let again = common::temp_dir("oco-tweede", "again");
    let data = tweede();
    let args = [
        "build",
        "2021",
        "--data",
        data.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
    ];
    succeeded(&oco_report(&args), "second build 2021");
    let names = output_files(built());
    assert_eq!(names, output_files(&again));
    for name in &names {
        let left = std::fs::read(built().join(name)).unwrap();
        let right = std::fs::read(again.join(name)).unwrap();
        assert!(left == right, "{name:?} differs between two builds");
    }
    std::fs::remove_dir_all(&again).ok();
}

/// The files of an output folder by name, those of `intern/` as `intern/NAME`, sorted.
fn output_files(dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().is_dir() {
            for inner in std::fs::read_dir(entry.path()).unwrap() {
                let inner = inner.unwrap().file_name().to_string_lossy().into_owned();
                names.push(format!("{name}/{inner}"));
            }
        } else {
            names.push(name);
        }
    }
    names.sort();
    names
}
