//! Generates the default data set of `oco-report` (the folder `data/`): fictitious but realistic
//! CSV exports that reproduce every published figure of OCO's tussentijds verslag 2021
//! (see `docs/cijfers-2021.md`) under the rules of `docs/inputs.md`.
//!
//! Files written into the output folder:
//! `scholen.csv` (Windows-1252, `;`, CRLF), `dossiers.csv` (UTF-8 with BOM, `,`, RFC 4180),
//! `voorlichtingen.csv` (UTF-8, `;`), `pageviews.csv`, `leerlingen-stadsdeel.csv`,
//! `leerlingen-sector.csv` and `oco-report.toml`.
//!
//! The generator is seeded (`SEED`) and uses only std with its own splitmix64 generator and no
//! transcendental float functions, so every run writes byte for byte the same files.
//! All school names, BRIN codes and personal data are invented.
//!
//! Run: `cargo run --example generate_default -- --out data`
//! (default output folder: `data`).

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

// =====================================================================================
// Target figures
// =====================================================================================

const SEED: u64 = 0x0C0_2021_0825;

/// A calendar date as (year, month, day).
type Ymd = (i32, u32, u32);

/// School years of the dossiers: index 0..=3 = 2017-2018 .. 2020-2021 (CURRENT = the report's
/// school year); index 4 = the first weeks of 2021-2022 (August 2021, outside the report).
const CURRENT: usize = 3;

const STADSDELEN: [&str; 7] = [
    "Centrum",
    "West",
    "Nieuw-West",
    "Zuid",
    "Oost",
    "Noord",
    "Zuidoost",
];

/// CBS primary pupils per stadsdeel, school years 2016/2017 .. 2019/2020 (order of STADSDELEN).
const CBS_SCHOOLJAREN: [&str; 4] = ["2016/2017", "2017/2018", "2018/2019", "2019/2020"];
const CBS_PUPILS: [[u32; 7]; 4] = [
    [3_940, 8_870, 12_020, 10_962, 10_398, 8_051, 7_010],
    [3_902, 8_945, 12_140, 10_931, 10_511, 8_129, 6_962],
    [3_868, 9_012, 12_262, 10_884, 10_590, 8_210, 6_915],
    [3_836, 9_050, 12_364, 10_856, 10_652, 8_277, 6_884],
];

const SECTOR_GROUP_PUPILS: [(&str, u32); 6] = [
    ("voorschoolleeftijd", 16_000),
    ("voorschool-geindiceerd", 4_000),
    ("po", 66_000),
    ("po-vo", 8_000),
    ("vo", 42_000),
    ("mbo", 27_000),
];

const SECTORS: [&str; 13] = [
    "voorschool",
    "schoolkeuze po",
    "po",
    "overstap po-vo",
    "vo",
    "overstap vmbo-mbo",
    "mbo",
    "overstap mbo-ho",
    "overstap vo-ho",
    "ho",
    "so",
    "overstap regulier-so",
    "overig",
];
/// Other capitalisations (matching is case-insensitive), used for ~3% of the dossiers.
const SECTORS_CAPITALISED: [&str; 13] = [
    "Voorschool",
    "Schoolkeuze PO",
    "PO",
    "Overstap PO-VO",
    "VO",
    "Overstap VMBO-MBO",
    "MBO",
    "Overstap MBO-HO",
    "Overstap VO-HO",
    "HO",
    "SO",
    "Overstap Regulier-SO",
    "Overig",
];
const S_VOORSCHOOL: usize = 0;
const S_SCHOOLKEUZE_PO: usize = 1;
const S_PO: usize = 2;
const S_PO_VO: usize = 3;
const S_VO: usize = 4;
const S_VMBO_MBO: usize = 5;
const S_MBO: usize = 6;
const S_MBO_HO: usize = 7;
const S_VO_HO: usize = 8;
const S_SO: usize = 10;
const S_REGULIER_SO: usize = 11;
const S_OVERIG: usize = 12;

/// Dossiers per school year and sector (order of SECTORS). 2020-2021 is exact (1.414) and gives
/// the "Bereik per sector" figures: voorschool 25, +schoolkeuze po = 78, po 329, po-vo 458,
/// vo + vmbo-mbo 302, mbo + mbo-ho 102, the rest 145. Trends 2018-2019 -> 2020-2021:
/// rising voorschool, schoolkeuze po, po-vo, regulier-so, mbo-ho, vo-ho; falling vo; the rest between.
const SECTOR_DOSSIERS: [[u32; 13]; 4] = [
    [8, 30, 300, 290, 240, 70, 55, 14, 10, 14, 36, 14, 30], // 2017-2018: 1.111
    [11, 35, 335, 305, 255, 84, 70, 18, 14, 16, 46, 18, 37], // 2018-2019: 1.244
    [14, 38, 315, 360, 245, 76, 78, 20, 12, 20, 38, 22, 33], // 2019-2020: 1.271
    [25, 53, 329, 458, 222, 80, 75, 27, 20, 18, 42, 30, 35], // 2020-2021: 1.414
];
/// Dossiers dated 2021-08-01 .. 2021-08-24 (school year 2021-2022: outside the report).
const AUGUST_2021_DOSSIERS: [u32; 13] = [0, 1, 3, 2, 5, 3, 3, 1, 0, 0, 1, 0, 1];
const AUGUST_2021_LAST_DAY: u32 = 24;

/// 2020-2021, sectors of the channel table: (sector, dossiers Aug-Nov 2020, dossiers Dec 2020-Jul 2021).
/// WhatsApp opened 2020-12-01: the channel table counts Dec-Jul: po 225, vo 148+48 = 196, mbo 53+19 = 72.
const CHANNEL_SPLIT_2021: [(usize, u32, u32); 5] = [
    (S_PO, 104, 225),
    (S_VO, 74, 148),
    (S_VMBO_MBO, 32, 48),
    (S_MBO, 22, 53),
    (S_MBO_HO, 8, 19),
];
/// WhatsApp dossiers 2020-12-01 .. 2021-07-31 per channel group: (sectors, dossiers, whatsapp, of which herkomst artikel).
const WHATSAPP_GROUPS: [(&[usize], u32, u32, u32); 3] = [
    (&[S_PO], 225, 21, 8),
    (&[S_VO, S_VMBO_MBO], 196, 41, 14),
    (&[S_MBO, S_MBO_HO], 72, 21, 11),
];
const WHATSAPP_OPENED: Ymd = (2020, 12, 1);

/// Schoolweging bands [20,25) [25,30) [30,35) [35,40] (index 0..3) and no known weging (index 4).
const NO_WEGING: usize = 4;

/// Dossiers 2017-08-01 .. 2021-07-31 naming an Amsterdam primary school, kanaal != webinar,
/// by stadsdeel (rows) x schoolweging band (columns, last = no weging).
/// Rows 36, 110, 130, 105, 95, 86, 46 (= 608); columns 150, 132, 86, 211, 29.
const HELPDESK_SD_BAND: [[u32; 5]; 7] = [
    [24, 8, 2, 0, 2],    // Centrum
    [22, 42, 22, 18, 6], // West
    [4, 12, 18, 90, 6],  // Nieuw-West
    [78, 20, 3, 0, 4],   // Zuid
    [20, 38, 18, 15, 4], // Oost
    [2, 10, 15, 55, 4],  // Noord
    [0, 2, 8, 33, 3],    // Zuidoost
];
/// The same for kanaal = webinar (all in 2020-2021): rows 5, 14, 20, 19, 25, 3, 22 (= 108);
/// columns 21, 13, 14, 56, 4.
const WEBINAR_SD_BAND: [[u32; 5]; 7] = [
    [4, 1, 0, 0, 0],  // Centrum
    [2, 4, 4, 3, 1],  // West
    [0, 1, 3, 15, 1], // Nieuw-West
    [13, 4, 1, 0, 1], // Zuid
    [2, 3, 5, 14, 1], // Oost
    [0, 0, 0, 3, 0],  // Noord
    [0, 0, 1, 21, 0], // Zuidoost
];
/// How the 608 helpdesk dossiers with a known primary school spread over the school years.
const HELPDESK_SCHOOL_PER_YEAR: [u32; 4] = [130, 146, 150, 182];
/// Webinar dossiers 2020-2021 per sector: (sector, with a counted Amsterdam primary school, other).
const WEBINAR_DOSSIERS: [(usize, u32, u32); 5] = [
    (S_PO_VO, 80, 5),
    (S_SCHOOLKEUZE_PO, 14, 0),
    (S_VOORSCHOOL, 6, 0),
    (S_PO, 8, 0),
    (S_VMBO_MBO, 0, 4),
];
/// Dossiers per school year with a misspelled school name that matches nothing (data-quality list).
const MISSPELLED_PER_YEAR: [u32; 4] = [10, 10, 10, 10];

/// Amsterdam primary schools in the registry per stadsdeel x band (last column: no weging).
const PO_SCHOOLS_SD_BAND: [[u32; 5]; 7] = [
    [5, 2, 1, 0, 1],  // Centrum 9
    [5, 8, 5, 3, 1],  // West 22
    [2, 4, 6, 17, 1], // Nieuw-West 30
    [16, 6, 2, 0, 2], // Zuid 26
    [6, 8, 6, 5, 1],  // Oost 26
    [1, 3, 5, 10, 1], // Noord 20
    [0, 1, 3, 12, 1], // Zuidoost 17
];
/// Band-edge schoolwegingen (stadsdeel, band, weging in hundredths): each given to one school.
const EDGE_WEGINGEN: [(usize, usize, u32); 4] =
    [(3, 0, 2000), (1, 1, 2500), (4, 2, 3000), (6, 3, 4000)];
const N_OUTSIDE_PO: usize = 10;
const N_SO: usize = 15;
const N_VO: usize = 25;
const N_MBO: usize = 6;
const N_WITH_ALIASES: usize = 30;
const N_PO_SECTOR_EMPTY: usize = 8;

const THEMES: [&str; 11] = [
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
const T_BEOORDELING: usize = 3;
const T_ACTUEEL: usize = 4;
const T_LEERPLICHT: usize = 7;
const T_ZORG: usize = 8;
/// Relative weight of each theme per sector (order of THEMES; actueel is added by date instead).
const THEME_WEIGHTS: [[f64; 11]; 13] = [
    [4.0, 4.0, 2.0, 0.0, 0.0, 0.3, 0.0, 0.0, 1.0, 1.0, 2.0], // voorschool
    [6.0, 5.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.3, 0.5], // schoolkeuze po
    [0.5, 1.0, 2.0, 1.5, 0.0, 1.5, 1.0, 1.0, 3.0, 3.0, 1.0], // po
    [4.0, 5.0, 0.5, 3.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.5, 0.2], // overstap po-vo
    [0.5, 1.0, 1.5, 2.0, 0.0, 1.0, 2.0, 1.5, 2.0, 2.0, 1.0], // vo
    [3.0, 4.0, 0.5, 0.5, 0.0, 0.0, 0.0, 1.0, 1.0, 0.5, 0.5], // overstap vmbo-mbo
    [0.5, 1.0, 2.0, 2.0, 0.0, 0.5, 1.5, 1.0, 1.0, 1.0, 1.5], // mbo
    [2.0, 3.0, 0.5, 0.5, 0.0, 0.0, 0.0, 0.0, 0.5, 0.3, 1.0], // overstap mbo-ho
    [2.0, 3.0, 0.5, 1.0, 0.0, 0.0, 0.0, 0.0, 0.3, 0.3, 0.5], // overstap vo-ho
    [0.5, 2.0, 1.0, 1.0, 0.0, 0.3, 0.5, 0.0, 0.5, 0.5, 2.0], // ho
    [0.5, 1.0, 1.0, 0.5, 0.0, 0.5, 0.5, 1.0, 5.0, 1.0, 0.5], // so
    [1.0, 2.0, 0.3, 0.5, 0.0, 0.0, 0.0, 0.5, 5.0, 0.5, 0.0], // overstap regulier-so
    [0.5, 0.5, 1.0, 0.5, 0.0, 1.0, 0.5, 0.5, 1.0, 2.0, 1.0], // overig
];
/// Per school year multiplier of each theme weight: the report's rises (schoolkeuze, toelating,
/// organisatie, beoordeling, actueel) and falls (veiligheid, sancties, leerplicht) in 2020-2021;
/// zorg, communicatie and kosten go up and down (2020-2021 between the two years before).
const THEME_YEAR_FACTOR: [[f64; 11]; 4] = [
    [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
    [1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.9, 1.2, 0.9],
    [1.0, 1.0, 1.0, 0.9, 0.0, 1.0, 1.0, 0.95, 1.15, 0.85, 1.15],
    [1.05, 1.1, 1.3, 1.3, 0.0, 0.6, 0.6, 0.65, 1.0, 1.12, 1.0],
];
/// Trend of each theme in 2020-2021 against both 2018-2019 and 2019-2020 (order of THEMES):
/// 1 = rise (above both), -1 = fall (below both), 0 = neither (between the two).
const THEME_TREND: [i32; 11] = [1, 1, 1, 1, 1, -1, -1, -1, 0, 0, 0];
/// Chance that a dossier gets the provisional theme "actueel" (lerarentekort, corona, ...), by date.
const ACTUEEL_CHANCE: [(Ymd, f64); 4] = [
    ((2017, 8, 1), 0.0),
    ((2018, 9, 1), 0.015),
    ((2020, 3, 1), 0.12),
    ((2020, 8, 1), 0.14),
];

const KANAAL_WEBINAR: &str = "webinar";
const KANAAL_WHATSAPP: &str = "whatsapp";
const HERKOMST: [&str; 7] = [
    "artikel",
    "homepage",
    "voorlichting",
    "okt",
    "eerder-contact",
    "zoekmachine",
    "",
];

/// Contact moments 2020-2021: all dossiers 4.383 / 1.414 = 3,0997 -> 3,1;
/// passend onderwijs 940 / 200 = 4,70.
const CONTACT_SUM_2021_ALL: u32 = 4_383;
const CONTACT_SUM_2021_PASSEND: u32 = 940;

/// Passend onderwijs.
const SCHOOLTYPES: [&str; 5] = [
    "basisonderwijs",
    "overstap naar voortgezet onderwijs",
    "voortgezet onderwijs",
    "(overstap naar) speciaal onderwijs",
    "mbo",
];
/// Passend dossiers per school year and schooltype (order of SCHOOLTYPES, last = empty schooltype).
/// Totals 190, 210, 221, 200.
const PASSEND_SCHOOLTYPE: [[u32; 6]; 4] = [
    [48, 40, 58, 18, 6, 20],
    [50, 45, 62, 20, 8, 25],
    [46, 44, 68, 21, 9, 33],
    [83, 22, 34, 48, 8, 5],
];
/// Sectors a passend dossier of each schooltype is taken from (last = empty schooltype).
const SCHOOLTYPE_SECTORS: [&[usize]; 6] = [
    &[S_PO, S_PO, S_PO, S_PO, S_SCHOOLKEUZE_PO],
    &[S_PO_VO],
    &[S_VO],
    &[S_SO, S_REGULIER_SO],
    &[S_MBO, S_VMBO_MBO],
    &[S_PO, S_PO_VO, S_VO, S_SO, S_OVERIG],
];
const VRAGEN: [&str; 18] = [
    "(onvoldoende) ondersteuning",
    "oneens overstap so/sbo",
    "schoolkeuze/ondersteuningsaanbod",
    "testen/onderzoek",
    "thuiszitten",
    "verwijdering/doublure/verzuim",
    "schorsing en verwijdering gedrag",
    "oneens overstap vso/pro",
    "vrijstelling/thuisonderwijs",
    "voorrang schoolkeuze",
    "oneens advies lwoo",
    "(dreiging) melding VT",
    "weigering aanmelding basisonderwijs",
    "weigering aanmelding voortgezet onderwijs",
    "onvoldoende inzet lwoo",
    "Corona en passend onderwijs",
    "leerlingdossier",
    "overig",
];
/// Dossiers naming each vraag per school year (order of VRAGEN). 2019-2020 and 2020-2021 exact.
#[rustfmt::skip]
const VRAGEN_COUNTS: [[u32; 18]; 4] = [
    [52, 20, 18, 16, 18, 13, 11, 11, 5, 3, 4, 3, 4, 3, 2, 0, 0, 32],
    [58, 22, 20, 18, 20, 15, 12, 12, 6, 3, 5, 3, 5, 4, 2, 0, 0, 35],
    [60, 24, 22, 20, 19, 14, 13, 13, 5, 4, 4, 4, 4, 3, 3, 0, 0, 37],
    [48, 28, 29, 14, 13, 6, 5, 7, 4, 7, 3, 0, 12, 10, 0, 16, 6, 36],
];
/// Schooltypes each vraag fits (indices into SCHOOLTYPES; an empty schooltype fits every vraag).
const VRAAG_SCHOOLTYPES: [&[usize]; 18] = [
    &[0, 1, 2, 3, 4], // (onvoldoende) ondersteuning
    &[0, 3],          // oneens overstap so/sbo
    &[0, 1, 2, 3, 4], // schoolkeuze/ondersteuningsaanbod
    &[0, 1, 2, 3],    // testen/onderzoek
    &[0, 1, 2, 3, 4], // thuiszitten
    &[0, 2, 3, 4],    // verwijdering/doublure/verzuim
    &[0, 2, 3, 4],    // schorsing en verwijdering gedrag
    &[1, 2, 3],       // oneens overstap vso/pro
    &[0, 2, 3],       // vrijstelling/thuisonderwijs
    &[0, 1],          // voorrang schoolkeuze
    &[1, 2],          // oneens advies lwoo
    &[0, 2, 3],       // (dreiging) melding VT
    &[0, 3],          // weigering aanmelding basisonderwijs
    &[1, 2, 3],       // weigering aanmelding voortgezet onderwijs
    &[2],             // onvoldoende inzet lwoo
    &[0, 1, 2, 3, 4], // Corona en passend onderwijs
    &[0, 1, 2, 3, 4], // leerlingdossier
    &[0, 1, 2, 3, 4], // overig
];
const DIAGNOSES: [&str; 7] = [
    "fysieke beperking/ziekte",
    "autisme/ass",
    "hoogbegaafd",
    "dyslexie",
    "psychisch probleem/angst",
    "gedragsprobleem/adhd",
    "leerprobleem",
];
/// Passend dossiers naming at least one diagnosis, and dossiers per diagnosis, per school year.
const DIAGNOSE_DOSSIERS: [u32; 4] = [70, 78, 80, 82];
const DIAGNOSE_COUNTS: [[u32; 7]; 4] = [
    [19, 16, 7, 11, 9, 13, 9],
    [21, 18, 9, 12, 10, 14, 10],
    [22, 18, 8, 14, 10, 15, 10],
    [19, 17, 16, 13, 12, 12, 9],
];

/// Voorlichtingen: counted sessions per calendar year as (stadsdeel, thema, organisatie, sessions).
/// Margins 2021/2020/2019/2018 as published (docs/cijfers-2021.md). 2017: 43 sessions.
const VL_2017: &[(&str, &str, &str, u32)] = &[
    ("Centrum", OPOVO, SCHOLEN, 3),
    ("West", OPOVO, SCHOLEN, 7),
    ("Nieuw-West", OPOVO, SCHOLEN, 8),
    ("Zuid", OPOVO, SCHOLEN, 6),
    ("Oost", OPOVO, SCHOLEN, 6),
    ("Noord", OPOVO, SCHOLEN, 4),
    ("Zuidoost", OPOVO, SCHOLEN, 4),
    ("Nieuw-West", OPOVO, WEEKENDSCHOOL, 1),
    ("Zuid", BSK, KINDEROPVANG, 2),
    ("Oost", STELSEL, BUURTCENTRUM, 1),
    ("Landsmeer", OPOVO, SCHOLEN, 1),
];
const VL_2018: &[(&str, &str, &str, u32)] = &[
    ("Nieuw-West", OPOVO, WEEKENDSCHOOL, 2),
    ("Zuidoost", OPOVO, WEEKENDSCHOOL, 2),
    ("Noord", OPOVO, WEEKENDSCHOOL, 1),
    ("West", OPOVO, WEEKENDSCHOOL, 1),
    ("Oost", OPOVO, WEEKENDSCHOOL, 1),
    ("Zuid", BSK, KINDEROPVANG, 2),
    ("Oost", BSK, KINDEROPVANG, 1),
    ("West", BSK, KINDEROPVANG, 2),
    ("Nieuw-West", BSK, KINDEROPVANG, 1),
    ("Centrum", BSK, KINDEROPVANG, 1),
    ("Zuidoost", BSK, KINDEROPVANG, 1),
    ("Nieuw-West", STELSEL, MOSKEE, 1),
    ("Noord", STELSEL, MOSKEE, 1),
    ("Zuidoost", STELSEL, BUURTCENTRUM, 1),
    ("Nieuw-West", "Ouderbetrokkenheid", SCHOLEN, 1),
    ("West", "Ouderbetrokkenheid", SCHOLEN, 1),
    ("Zuid", "Ouderbijdrage", SCHOLEN, 1),
    ("Noord", "Leerlingvolgsysteem", BUURTCENTRUM, 1),
    ("Centrum", OPOVO, SCHOLEN, 4),
    ("Nieuw-West", OPOVO, SCHOLEN, 13),
    ("Noord", OPOVO, SCHOLEN, 8),
    ("Oost", OPOVO, SCHOLEN, 7),
    ("West", OPOVO, SCHOLEN, 13),
    ("Zuid", OPOVO, SCHOLEN, 8),
    ("Zuidoost", OPOVO, SCHOLEN, 9),
    ("Abcoude", OPOVO, SCHOLEN, 1),
    ("Landsmeer", OPOVO, SCHOLEN, 2),
];
const VL_2019: &[(&str, &str, &str, u32)] = &[
    ("Nieuw-West", OPOVO, WEEKENDSCHOOL, 1),
    ("Zuidoost", OPOVO, WEEKENDSCHOOL, 1),
    ("Noord", OPOVO, WEEKENDSCHOOL, 1),
    ("Nieuw-West", OPOVO, BUURTCENTRUM, 1),
    ("Oost", OPOVO, BUURTCENTRUM, 1),
    ("Zuid", BSK, KINDEROPVANG, 2),
    ("Oost", BSK, KINDEROPVANG, 1),
    ("West", BSK, KINDEROPVANG, 1),
    ("Centrum", BSK, KINDEROPVANG, 1),
    ("Zuidoost", BSK, BUURTCENTRUM, 1),
    ("Nieuw-West", RECHTEN, BUURTCENTRUM, 1),
    ("Oost", RECHTEN, BUURTCENTRUM, 1),
    ("Centrum", OPOVO, SCHOLEN, 2),
    ("Nieuw-West", OPOVO, SCHOLEN, 10),
    ("Noord", OPOVO, SCHOLEN, 5),
    ("Oost", OPOVO, SCHOLEN, 14),
    ("West", OPOVO, SCHOLEN, 13),
    ("Zuid", OPOVO, SCHOLEN, 8),
    ("Zuidoost", OPOVO, SCHOLEN, 12),
    ("Abcoude", OPOVO, SCHOLEN, 1),
    ("Diemen", OPOVO, SCHOLEN, 1),
    ("Landsmeer", OPOVO, SCHOLEN, 3),
];
const VL_2020: &[(&str, &str, &str, u32)] = &[
    ("Nieuw-West", OPOVO, WEEKENDSCHOOL, 3),
    ("Zuidoost", OPOVO, WEEKENDSCHOOL, 3),
    ("Noord", OPOVO, WEEKENDSCHOOL, 3),
    ("West", OPOVO, WEEKENDSCHOOL, 2),
    ("Oost", OPOVO, WEEKENDSCHOOL, 2),
    ("Zuid", OPOVO, WEEKENDSCHOOL, 1),
    ("Oost", OPOVO, BUURTCENTRUM, 1),
    ("Nieuw-West", VMBO_MBO, SCHOLEN, 2),
    ("Noord", VMBO_MBO, SCHOLEN, 2),
    ("Oost", VMBO_MBO, SCHOLEN, 4),
    ("West", VMBO_MBO, SCHOLEN, 3),
    ("Zuid", VMBO_MBO, SCHOLEN, 3),
    ("Zuidoost", VMBO_MBO, SCHOLEN, 1),
    ("Centrum", VMBO_MBO, SCHOLEN, 1),
    ("Zuid", BSK, KINDEROPVANG, 1),
    ("Oost", BSK, KINDEROPVANG, 1),
    ("West", BSK, KINDEROPVANG, 1),
    ("Centrum", BSK, KINDEROPVANG, 1),
    ("Nieuw-West", RECHTEN, BUURTCENTRUM, 1),
    ("Noord", STELSEL, BUURTCENTRUM, 1),
    ("Centrum", OPOVO, SCHOLEN, 4),
    ("Nieuw-West", OPOVO, SCHOLEN, 8),
    ("Noord", OPOVO, SCHOLEN, 7),
    ("Oost", OPOVO, SCHOLEN, 17),
    ("West", OPOVO, SCHOLEN, 13),
    ("Zuid", OPOVO, SCHOLEN, 15),
    ("Zuidoost", OPOVO, SCHOLEN, 8),
    ("Landsmeer", OPOVO, SCHOLEN, 3),
];
const VL_2021: &[(&str, &str, &str, u32)] = &[
    ("Stadsbreed", BSK, KINDEROPVANG, 9),
    ("Zuidoost", BSK, KINDEROPVANG, 1),
    ("Stadsbreed", BSK, FACEBOOK, 2),
    ("Nieuw-West", RECHTEN, BUURTCENTRUM, 4),
    ("Oost", RECHTEN, BUURTCENTRUM, 3),
    ("Noord", RECHTEN, BUURTCENTRUM, 1),
    ("Zuidoost", RECHTEN, BUURTCENTRUM, 2),
    ("West", RECHTEN, BUURTCENTRUM, 1),
    ("Zuidoost", "Corona achterstanden", BUURTCENTRUM, 1),
    ("Nieuw-West", OPOVO, BUURTCENTRUM, 1),
    ("Zuid", OPOVO, BUURTCENTRUM, 1),
    ("Noord", STELSEL, MOSKEE, 1),
    ("Nieuw-West", OPOVO, MOSKEE, 1),
    ("Nieuw-West", OPOVO, WEEKENDSCHOOL, 1),
    ("Zuidoost", OPOVO, WEEKENDSCHOOL, 1),
    ("Noord", OPOVO, WEEKENDSCHOOL, 1),
    ("Nieuw-West", VMBO_MBO, SCHOLEN, 1),
    ("Oost", VMBO_MBO, SCHOLEN, 1),
    ("West", VMBO_MBO, SCHOLEN, 1),
    ("Zuidoost", VMBO_MBO, SCHOLEN, 1),
    ("Zuid", VMBO_MBO, SCHOLEN, 1),
    ("Centrum", OPOVO, SCHOLEN, 1),
    ("Nieuw-West", OPOVO, SCHOLEN, 8),
    ("Noord", OPOVO, SCHOLEN, 4),
    ("Oost", OPOVO, SCHOLEN, 11),
    ("West", OPOVO, SCHOLEN, 5),
    ("Zuid", OPOVO, SCHOLEN, 10),
    ("Zuidoost", OPOVO, SCHOLEN, 8),
    ("Landsmeer", OPOVO, SCHOLEN, 2),
];
const OPOVO: &str = "Overstap po-vo";
const VMBO_MBO: &str = "Overstap vmbo-mbo";
const BSK: &str = "Basisschoolkeuze en stedelijk toelatingsbeleid";
const RECHTEN: &str = "Rechten en plichten";
const STELSEL: &str = "Onderwijsstelsel";
const SCHOLEN: &str = "Scholen";
const KINDEROPVANG: &str = "Kinderopvang";
const BUURTCENTRUM: &str = "Buurtcentrum";
const WEEKENDSCHOOL: &str = "Weekendschool";
const MOSKEE: &str = "Moskee";
const FACEBOOK: &str = "Facebook";
/// Counted sessions per month (Jan..Dec) per calendar year 2017..2021. 2020: lockdown from
/// 13 March, no sessions until July; first webinar in September.
const VL_MONTHS: [[u32; 12]; 5] = [
    [6, 7, 5, 2, 2, 2, 0, 0, 6, 6, 5, 2],
    [12, 12, 8, 4, 3, 5, 1, 0, 14, 12, 12, 4],
    [11, 12, 8, 3, 3, 4, 1, 0, 13, 11, 12, 4],
    [15, 17, 8, 0, 0, 0, 2, 0, 30, 22, 14, 4],
    [8, 9, 9, 5, 5, 8, 3, 0, 14, 12, 10, 2],
];
/// 2020: 57 physical sessions, 55 webinars.
const VL_2020_FYSIEK: u32 = 57;
/// 2021: the nine city-wide kinderopvang webinars on basisschoolkeuze reached 81 locations.
const VL_2021_KO_LOCATIES: [u32; 9] = [14, 12, 11, 9, 8, 8, 7, 6, 6];
/// 2021: two Facebook live sessions watched by 1.084 parents.
const VL_2021_FACEBOOK_DEELNEMERS: [u32; 2] = [612, 472];
/// The agenda was read on this day: later sessions are still "gepland".
const VL_AGENDA_READ: Ymd = (2021, 8, 25);
/// Extra cancelled sessions (never counted): (date, stadsdeel, thema, organisatie, vorm).
const VL_CANCELLED: [(Ymd, &str, &str, &str, &str); 6] = [
    ((2019, 11, 20), "West", OPOVO, SCHOLEN, "fysiek"),
    ((2020, 3, 16), "Zuid", OPOVO, SCHOLEN, "fysiek"),
    ((2020, 3, 18), "Noord", VMBO_MBO, SCHOLEN, "fysiek"),
    ((2020, 3, 24), "Nieuw-West", OPOVO, WEEKENDSCHOOL, "fysiek"),
    ((2021, 1, 19), "Oost", OPOVO, SCHOLEN, "webinar"),
    ((2021, 9, 28), "Zuidoost", RECHTEN, BUURTCENTRUM, "fysiek"),
];

/// Unique pageviews per school year 2017-2018 .. 2020-2021 (target 2021: 1.500.000, met);
/// the days of August 2021 continue at the 2021-2022 rate.
const PAGEVIEWS_PER_YEAR: [u64; 4] = [802_417, 1_004_233, 1_197_860, 1_514_962];
const PAGEVIEWS_2021_2022_RATE: u64 = 1_580_000;

/// Amsterdam (regio noord) school holidays, inclusive.
const HOLIDAYS: [(Ymd, Ymd); 26] = [
    ((2016, 12, 24), (2017, 1, 8)),
    ((2017, 2, 18), (2017, 2, 26)),
    ((2017, 4, 22), (2017, 5, 7)),
    ((2017, 7, 22), (2017, 9, 3)),
    ((2017, 10, 21), (2017, 10, 29)),
    ((2017, 12, 23), (2018, 1, 7)),
    ((2018, 2, 17), (2018, 2, 25)),
    ((2018, 4, 27), (2018, 5, 13)),
    ((2018, 7, 21), (2018, 9, 2)),
    ((2018, 10, 20), (2018, 10, 28)),
    ((2018, 12, 22), (2019, 1, 6)),
    ((2019, 2, 16), (2019, 2, 24)),
    ((2019, 4, 20), (2019, 5, 5)),
    ((2019, 7, 13), (2019, 8, 25)),
    ((2019, 10, 19), (2019, 10, 27)),
    ((2019, 12, 21), (2020, 1, 5)),
    ((2020, 2, 15), (2020, 2, 23)),
    ((2020, 4, 25), (2020, 5, 10)),
    ((2020, 7, 4), (2020, 8, 16)),
    ((2020, 10, 17), (2020, 10, 25)),
    ((2020, 12, 19), (2021, 1, 3)),
    ((2021, 2, 20), (2021, 2, 28)),
    ((2021, 4, 24), (2021, 5, 9)),
    ((2021, 7, 17), (2021, 8, 29)),
    ((2021, 10, 16), (2021, 10, 24)),
    ((2021, 12, 25), (2022, 1, 9)),
];
/// First lockdown: schools closed.
const LOCKDOWN_2020: (Ymd, Ymd) = ((2020, 3, 16), (2020, 5, 10));

const SETTINGS_TOML: &str =
    "# Settings of the report for this data set. Anything not set here takes the built-in default
# (sectors, themes, stadsdelen, schoolweging bands, sector groups: see README).

[kanalen]
# The WhatsApp channel opened on this day: the channel table counts dossiers from here on.
vanaf = \"2020-12-01\"
";

// =====================================================================================
// Main
// =====================================================================================

fn main() {
    let mut out = PathBuf::from("data");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" => out = PathBuf::from(args.next().expect("--out needs a folder")),
            "-h" | "--help" => {
                println!("usage: generate_default [--out DIR]   (default DIR: data)");
                return;
            }
            other => panic!("unknown argument {other:?} (usage: generate_default [--out DIR])"),
        }
    }
    fs::create_dir_all(&out).expect("create output folder");

    let schools = build_schools();
    let sessions = build_voorlichtingen();
    let dossiers = build_dossiers(&schools, &sessions);

    write_scholen(&out, &schools);
    write_dossiers(&out, &dossiers);
    write_voorlichtingen(&out, &sessions);
    write_pageviews(&out);
    write_leerlingen_stadsdeel(&out);
    write_leerlingen_sector(&out);
    write_settings(&out);
    eprintln!(
        "wrote {} schools, {} dossiers, {} voorlichtingen into {}",
        schools.len(),
        dossiers.len(),
        sessions.len(),
        out.display()
    );
}

// =====================================================================================
// Random numbers (splitmix64) and small helpers
// =====================================================================================

struct Rng(u64);

impl Rng {
    /// An independent stream per part, so tuning one file does not reshuffle the others.
    fn stream(part: u64) -> Rng {
        let mut r = Rng(SEED ^ part.wrapping_mul(0xA24B_AED4_963E_E407));
        r.next_u64();
        r
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        ((self.next_u64() >> 11) % n as u64) as usize
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Uniform integer in [lo, hi].
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        assert!(total > 0.0, "all weights zero");
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.iter().rposition(|w| *w > 0.0).unwrap()
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
    /// `k` distinct indices out of `weights.len()`, drawn one by one proportional to weight.
    fn sample_weighted(&mut self, weights: &[f64], k: usize) -> Vec<usize> {
        let mut w = weights.to_vec();
        let mut chosen = Vec::with_capacity(k);
        for _ in 0..k {
            let i = self.weighted(&w);
            chosen.push(i);
            w[i] = 0.0;
        }
        chosen
    }
}

/// Splits `total` over `weights` exactly (largest remainder; ties to the lower index).
fn apportion(total: u32, weights: &[f64]) -> Vec<u32> {
    let sum: f64 = weights.iter().sum();
    let exact: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut counts: Vec<u32> = exact.iter().map(|x| *x as u32).collect();
    let mut rest = total - counts.iter().sum::<u32>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|a, b| {
        let fa = exact[*a] - counts[*a] as f64;
        let fb = exact[*b] - counts[*b] as f64;
        fb.partial_cmp(&fa).unwrap().then(a.cmp(b))
    });
    for i in order {
        if rest == 0 {
            break;
        }
        counts[i] += 1;
        rest -= 1;
    }
    counts
}

// ----- calendar (days since 1970-01-01) -----

fn day(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn ymd(z: i32) -> Ymd {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + if m <= 2 { 1 } else { 0 };
    (y, m, d)
}

fn dayt(t: Ymd) -> i32 {
    day(t.0, t.1, t.2)
}

/// 0 = Monday .. 6 = Sunday.
fn weekday(z: i32) -> u32 {
    (z + 3).rem_euclid(7) as u32
}

fn days_in_month(y: i32, m: u32) -> u32 {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (day(ny, nm, 1) - day(y, m, 1)) as u32
}

fn in_holiday(z: i32) -> bool {
    HOLIDAYS.iter().any(|(a, b)| z >= dayt(*a) && z <= dayt(*b))
}

fn in_lockdown(z: i32) -> bool {
    z >= dayt(LOCKDOWN_2020.0) && z <= dayt(LOCKDOWN_2020.1)
}

/// School year index (0 = 2017-2018) of a day.
fn school_year(z: i32) -> usize {
    let (y, m, _) = ymd(z);
    let start = if m >= 8 { y } else { y - 1 };
    (start - 2017) as usize
}

/// (year, month) of month `i` (0 = August) of school year `sy`.
fn school_month(sy: usize, i: usize) -> (i32, u32) {
    let m = (i + 7) % 12 + 1;
    let y = 2017 + sy as i32 + if m >= 8 { 0 } else { 1 };
    (y, m as u32)
}

fn iso(z: i32) -> String {
    let (y, m, d) = ymd(z);
    format!("{y:04}-{m:02}-{d:02}")
}

fn dmy(z: i32, sep: char) -> String {
    let (y, m, d) = ymd(z);
    format!("{d:02}{sep}{m:02}{sep}{y:04}")
}

// ----- text -----

/// Latin-1 letters with an accent -> base letter (enough for the names made here).
fn strip_accents(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'É' => 'E',
            other => other,
        })
        .collect()
}

/// The matching rule of the tool: accents dropped, lowercase, non-alphanumerics to one space, trimmed.
fn normalise(s: &str) -> String {
    let lower = strip_accents(s).to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn csv_field(s: &str, sep: char) -> String {
    let needs = s.contains(sep)
        || s.contains('"')
        || s.contains('\n')
        || s.contains('\r')
        || s.starts_with(' ')
        || s.ends_with(' ');
    if needs {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_line(fields: &[String], sep: char, eol: &str) -> String {
    let mut line = fields
        .iter()
        .map(|f| csv_field(f, sep))
        .collect::<Vec<_>>()
        .join(&sep.to_string());
    line.push_str(eol);
    line
}

fn write_file(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).unwrap_or_else(|e| panic!("write {name}: {e}"));
}

// =====================================================================================
// Schools
// =====================================================================================

struct School {
    brin: String,
    naam: String,
    /// Index into STADSDELEN; None = outside Amsterdam.
    stadsdeel: Option<usize>,
    /// Schoolweging in hundredths (3127 = 31,27).
    weging: Option<u32>,
    sector: &'static str,
    /// false: the sector cell is left empty (the tool reads it as po).
    sector_written: bool,
    aliassen: Vec<String>,
    /// Band index (0..4 = NO_WEGING) of Amsterdam primary schools.
    band: Option<usize>,
    popularity: f64,
}

const NAME_PREFIXES_PO: [&str; 10] = [
    "OBS",
    "CBS",
    "Dalton",
    "Montessorischool",
    "Jenaplanschool",
    "Basisschool",
    "IKC",
    "Daltonschool",
    "R.K. Basisschool",
    "Vrije School",
];
const ADJECTIVES: [&str; 16] = [
    "Blauwe", "Kleine", "Zilveren", "Groene", "Stille", "Vrolijke", "Wijze", "Dappere", "Lichte",
    "Verre", "Gulle", "Lange", "Zachte", "Rode", "Vlugge", "Trouwe",
];
const NOUNS_DE: [&str; 30] = [
    "Reiger",
    "Wilg",
    "Lijster",
    "Meerkoet",
    "Kwikstaart",
    "Roerdomp",
    "Ekster",
    "Karekiet",
    "Notelaar",
    "Linde",
    "Esdoorn",
    "Hazelaar",
    "Kastanje",
    "Lantaarn",
    "Vlonder",
    "Otter",
    "Bever",
    "Zwaluw",
    "Specht",
    "Fuut",
    "Merel",
    "Kievit",
    "Spreeuw",
    "Vuurtoren",
    "Meeuw",
    "Pelikaan",
    "Walnoot",
    "Populier",
    "Kade",
    "Boei",
];
const COMPOUND_HEAD: [&str; 18] = [
    "Zilver", "Wilgen", "Kraaien", "Lijster", "Linden", "Riet", "Klaver", "Eiken", "Berken",
    "Elzen", "Iepen", "Hazel", "Zwanen", "Reiger", "Noten", "Kastanje", "Meidoorn", "Vlinder",
];
const COMPOUND_TAIL_HET: [&str; 8] = [
    "hout", "nest", "werf", "erf", "eiland", "plein", "bosje", "pad",
];
const SAINTS: [&str; 10] = [
    "Vitus",
    "Bonifatius",
    "Willibrord",
    "Ignatius",
    "Gerardus",
    "Lidwina",
    "Adelbert",
    "Walburga",
    "Ludger",
    "Hubertus",
];
const PLACE_HEAD: [&str; 14] = [
    "Noorder", "Zuider", "Ooster", "Wester", "Amstel", "Vijver", "Linden", "Riet", "Berken",
    "Klaver", "Zilver", "Reiger", "Elzen", "Wilgen",
];
/// (No "poort", "veld", "hout": Noorderpoort, Oostpoort, Westerveld, Oosterhout are real names.)
const PLACE_TAIL: [&str; 6] = ["kade", "werf", "wei", "haven", "brug", "lanen"];
const VO_FORMS: [&str; 9] = [
    "{} College",
    "{} Lyceum",
    "Scholengemeenschap {}",
    "Gymnasium {}",
    "{} Mavo",
    "Montessori Lyceum {}",
    "Vmbo {}",
    "Technisch College {}",
    "Kunstcollege {}",
];
const SO_PREFIXES: [&str; 6] = [
    "SBO",
    "SO",
    "VSO",
    "Mytylschool",
    "Orthopedagogisch Centrum",
    "Tyltylschool",
];
const MBO_FORMS: [&str; 5] = [
    "MBO College {}",
    "Vakschool {}",
    "ROC {}",
    "Zorgcollege {}",
    "Techniek College {}",
];
/// Hand-made names with accents (Windows-1252 bytes in scholen.csv) and apostrophes.
const SPECIAL_PO_NAMES: [&str; 7] = [
    "Sint-Odulphusschool Rivièra",
    "Montessorischool Belvédère",
    "Het Ideeënhuis",
    "Jenaplanschool Lumière",
    "IKC De Reünie",
    "'t Kraaiennest",
    "OBS 't Klaverweitje",
];

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn compound(rng: &mut Rng) -> String {
    let head = *rng.pick(&COMPOUND_HEAD);
    let tail = *rng.pick(&COMPOUND_TAIL_HET);
    format!("{head}{tail}")
}

fn place_word(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&PLACE_HEAD), rng.pick(&PLACE_TAIL))
}

fn po_name(rng: &mut Rng) -> String {
    let prefix = *rng.pick(&NAME_PREFIXES_PO);
    match rng.weighted(&[30.0, 20.0, 15.0, 15.0, 10.0, 5.0]) {
        0 => format!("De {} {}", rng.pick(&ADJECTIVES), rng.pick(&NOUNS_DE)),
        1 => format!(
            "{prefix} De {} {}",
            rng.pick(&ADJECTIVES),
            rng.pick(&NOUNS_DE)
        ),
        2 => {
            let art = if rng.chance(0.35) { "'t" } else { "Het" };
            format!("{art} {}", compound(rng))
        }
        3 => format!("{prefix} {}", capitalise(&compound(rng))),
        4 => format!("{prefix} Het {}", compound(rng)),
        _ => format!(
            "Sint-{}school {}",
            rng.pick(&SAINTS),
            capitalise(&place_word(rng))
        ),
    }
}

/// The part of a name without type prefix and article ("OBS De Blauwe Reiger" -> "Blauwe Reiger").
fn name_core(naam: &str) -> String {
    let mut rest = naam;
    let mut prefixes: Vec<&str> = NAME_PREFIXES_PO.to_vec();
    prefixes.extend(SO_PREFIXES);
    for p in prefixes {
        if let Some(r) = rest.strip_prefix(p).and_then(|r| r.strip_prefix(' ')) {
            rest = r;
            break;
        }
    }
    for art in ["De ", "Het ", "'t "] {
        if let Some(r) = rest.strip_prefix(art) {
            rest = r;
            break;
        }
    }
    rest.to_string()
}

fn build_schools() -> Vec<School> {
    let mut rng = Rng::stream(1);
    let mut schools: Vec<School> = Vec::new();
    // Normalised names, aliases and name cores in use: no two may coincide.
    let mut taken: HashSet<String> = HashSet::new();
    let mut cores: HashSet<String> = HashSet::new();
    let mut brins: HashSet<String> = HashSet::new();

    let mut new_brin = |rng: &mut Rng| loop {
        let letters = b"ABCDEFGHJKLMNPRSTUVWXYZ";
        let b = format!(
            "9{}{}{}{}",
            rng.below(10),
            letters[rng.below(letters.len())] as char,
            letters[rng.below(letters.len())] as char,
            if rng.chance(0.85) {
                "00".to_string()
            } else {
                format!("{:02}", rng.range(1, 4))
            }
        );
        if brins.insert(b.clone()) {
            return b;
        }
    };
    let mut saints: HashSet<String> = HashSet::new();
    let mut claim =
        |naam: &str, taken: &mut HashSet<String>, cores: &mut HashSet<String>| -> bool {
            let n = normalise(naam);
            let c = normalise(&name_core(naam));
            if taken.contains(&n) || cores.contains(&c) || taken.contains(&c) {
                return false;
            }
            // One school per patron saint ("Sint-Vitusschool ...").
            if let Some(saint) = naam
                .strip_prefix("Sint-")
                .and_then(|r| r.split("school").next())
                && !saints.insert(saint.to_string())
            {
                return false;
            }
            taken.insert(n);
            cores.insert(c);
            true
        };

    // Amsterdam primary schools, cell by cell (stadsdeel x band); the hand-made names are
    // spread over the city (one every 21 schools).
    let mut specials = SPECIAL_PO_NAMES.iter();
    let mut slot = 0;
    for (sd, row) in PO_SCHOOLS_SD_BAND.iter().enumerate() {
        for (band, n) in row.iter().enumerate() {
            for k in 0..*n {
                let special = if slot % 21 == 10 {
                    specials.next()
                } else {
                    None
                };
                slot += 1;
                let naam = loop {
                    let candidate = match special {
                        Some(s) => s.to_string(),
                        None => po_name(&mut rng),
                    };
                    if claim(&candidate, &mut taken, &mut cores) {
                        break candidate;
                    }
                    assert!(special.is_none(), "hand-made name {candidate} collides");
                };
                let weging = if band == NO_WEGING {
                    None
                } else if let Some(e) = EDGE_WEGINGEN
                    .iter()
                    .find(|e| e.0 == sd && e.1 == band && k == 0)
                {
                    Some(e.2)
                } else {
                    let lo = 2000 + 500 * band as u32;
                    let hi = lo + 499;
                    Some(rng.range(lo + 1, hi))
                };
                let popularity = *rng.pick(&[1.0, 1.0, 2.0, 2.0, 3.0, 4.0]);
                schools.push(School {
                    brin: new_brin(&mut rng),
                    naam,
                    stadsdeel: Some(sd),
                    weging,
                    sector: "po",
                    sector_written: true,
                    aliassen: vec![],
                    band: Some(band),
                    popularity,
                });
            }
        }
    }
    // A few primary schools with an empty sector cell (read as po).
    let n_po = schools.len();
    for i in rng.sample_weighted(&vec![1.0; n_po], N_PO_SECTOR_EMPTY) {
        schools[i].sector_written = false;
    }
    // Primary schools outside Amsterdam.
    for i in 0..N_OUTSIDE_PO {
        let naam = loop {
            let c = po_name(&mut rng);
            if claim(&c, &mut taken, &mut cores) {
                break c;
            }
        };
        let weging = if i % 3 == 2 {
            None
        } else {
            Some(rng.range(2200, 3400))
        };
        schools.push(School {
            brin: new_brin(&mut rng),
            naam,
            stadsdeel: None,
            weging,
            sector: "po",
            sector_written: true,
            aliassen: vec![],
            band: None,
            popularity: 1.0,
        });
    }
    // Special, secondary and vocational schools in Amsterdam (no schoolweging).
    let sd_weights: Vec<f64> = CBS_PUPILS[3].iter().map(|p| *p as f64).collect();
    for (sector, n) in [("so", N_SO), ("vo", N_VO), ("mbo", N_MBO)] {
        for _ in 0..n {
            let naam = loop {
                let c = match sector {
                    "so" => {
                        let p = *rng.pick(&SO_PREFIXES);
                        if rng.chance(0.5) {
                            format!("{p} De {} {}", rng.pick(&ADJECTIVES), rng.pick(&NOUNS_DE))
                        } else {
                            format!("{p} {}", capitalise(&compound(&mut rng)))
                        }
                    }
                    "vo" => rng
                        .pick(&VO_FORMS)
                        .replace("{}", &capitalise(&place_word(&mut rng))),
                    _ => rng
                        .pick(&MBO_FORMS)
                        .replace("{}", &capitalise(&place_word(&mut rng))),
                };
                if claim(&c, &mut taken, &mut cores) {
                    break c;
                }
            };
            schools.push(School {
                brin: new_brin(&mut rng),
                naam,
                stadsdeel: Some(rng.weighted(&sd_weights)),
                weging: None,
                sector,
                sector_written: true,
                aliassen: vec![],
                band: None,
                popularity: *rng.pick(&[1.0, 2.0, 3.0]),
            });
        }
    }
    // Aliases: other names parents use, for some schools (mostly Amsterdam primary schools).
    let weights: Vec<f64> = schools
        .iter()
        .map(|s| match (s.sector, s.stadsdeel) {
            ("po", Some(_)) => 3.0,
            ("vo", _) => 2.0,
            _ => 1.0,
        })
        .collect();
    let mut picked = rng.sample_weighted(&weights, N_WITH_ALIASES);
    // The accented and apostrophe schools always get one (they are the hardest to type).
    for (i, s) in schools.iter().enumerate() {
        if SPECIAL_PO_NAMES.contains(&s.naam.as_str()) && !picked.contains(&i) {
            picked.push(i);
        }
    }
    picked.sort();
    for i in picked {
        let naam = schools[i].naam.clone();
        let core = name_core(&naam);
        let own_core = normalise(&core);
        let prefix = NAME_PREFIXES_PO
            .iter()
            .chain(SO_PREFIXES.iter())
            .find(|p| naam.starts_with(&format!("{p} ")));
        let words: Vec<&str> = core.split(' ').collect();
        let mut candidates: Vec<String> = Vec::new();
        if schools[i].sector == "vo" {
            // The distinctive place word ("Westerwei Lyceum" -> "Westerwei"), or "SG Amstelpoort".
            let place = naam
                .split(' ')
                .find(|w| PLACE_HEAD.iter().any(|h| w.starts_with(h)))
                .unwrap_or(&naam);
            candidates.push(place.to_string());
            if naam.starts_with("Scholengemeenschap ") {
                candidates.push(format!("SG {place}"));
            }
        } else {
            if core != naam {
                candidates.push(core.clone()); // "OBS De Blauwe Reiger" -> "Blauwe Reiger"
            }
            let last = words[words.len() - 1];
            if words.len() > 1 && !NOUNS_DE.contains(&last) {
                candidates.push(last.to_string()); // "Sint-Vitusschool Elzenhaven" -> "Elzenhaven"
            }
            if let Some(saint) = naam
                .strip_prefix("Sint-")
                .and_then(|r| r.split("school").next())
            {
                candidates.push(format!("Sint {saint}")); // "Sint-Vitusschool Elzenbrug" -> "Sint Vitus"
            }
            if let Some(p) = prefix {
                candidates.push(format!("{p} {core}")); // -> "OBS Blauwe Reiger"
            }
            if let (Some(sd), true) = (schools[i].stadsdeel, core != naam && words.len() <= 2) {
                candidates.push(format!("{core} {}", STADSDELEN[sd])); // -> "Vlindernest Centrum"
            }
        }
        rng.shuffle(&mut candidates);
        let want = if rng.chance(0.4) { 2 } else { 1 };
        for c in candidates {
            if schools[i].aliassen.len() >= want {
                break;
            }
            let n = normalise(&c);
            if n.is_empty() || taken.contains(&n) || (cores.contains(&n) && n != own_core) {
                continue;
            }
            taken.insert(n);
            schools[i].aliassen.push(c);
        }
    }
    schools
}

/// scholen.csv: DUO/Excel style, `;`, Windows-1252 (Latin-1 subset), decimal comma, CRLF.
fn write_scholen(dir: &Path, schools: &[School]) {
    let mut text = csv_line(
        &[
            "brin",
            "naam",
            "stadsdeel",
            "schoolweging",
            "sector",
            "aliassen",
        ]
        .map(String::from),
        ';',
        "\r\n",
    );
    for s in schools {
        let weging = s
            .weging
            .map(|w| format!("{},{:02}", w / 100, w % 100))
            .unwrap_or_default();
        text.push_str(&csv_line(
            &[
                s.brin.clone(),
                s.naam.clone(),
                s.stadsdeel
                    .map(|i| STADSDELEN[i].to_string())
                    .unwrap_or_default(),
                weging,
                if s.sector_written {
                    s.sector.to_string()
                } else {
                    String::new()
                },
                s.aliassen.join("|"),
            ],
            ';',
            "\r\n",
        ));
    }
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| {
            let code = c as u32;
            assert!(
                code < 0x80 || (0xA0..=0xFF).contains(&code),
                "not in Latin-1: {c:?}"
            );
            code as u8
        })
        .collect();
    write_file(dir, "scholen.csv", &bytes);
}

// =====================================================================================
// Voorlichtingen
// =====================================================================================

struct Session {
    day: i32,
    stadsdeel: &'static str,
    thema: &'static str,
    organisatie: &'static str,
    vorm: &'static str,
    locaties: Option<u32>,
    deelnemers: Option<u32>,
    status: &'static str,
    contactpersoon: String,
    opmerking: String,
}

/// Months (1..12) a session of this kind can fall in, for calendar year `year`.
fn vl_allowed_months(year: i32, thema: &str, org: &str, stadsdeel: &str) -> Vec<u32> {
    let all = vec![1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12];
    match (year, thema, org) {
        (2021, BSK, KINDEROPVANG) if stadsdeel == "Stadsbreed" => vec![2, 3, 4, 5, 6],
        (2021, BSK, KINDEROPVANG) => vec![3],
        (2021, BSK, FACEBOOK) => vec![1, 3],
        (2021, RECHTEN, _) => vec![3, 4, 5, 6, 7],
        (2021, "Corona achterstanden", _) => vec![6],
        (2021, _, MOSKEE) => vec![6, 9],
        (2021, _, WEEKENDSCHOOL) => vec![1, 2, 3, 10, 11],
        (2021, VMBO_MBO, _) => vec![9, 10, 11],
        (2020, BSK, _) => vec![2, 11],
        (2020, VMBO_MBO, _) => vec![1, 2, 3, 10, 11],
        (2020, _, WEEKENDSCHOOL) => vec![1, 2, 3, 9, 10, 11],
        (_, BSK, _) => vec![1, 2, 3, 4, 5, 6],
        (_, _, WEEKENDSCHOOL) => vec![1, 2, 3, 9, 10, 11],
        (_, _, BUURTCENTRUM) | (_, _, MOSKEE) => vec![1, 2, 3, 4, 5, 6, 9, 10, 11],
        _ => all,
    }
}

/// A day in the month for a session: a school day (Weekendschool: Sunday), not in a holiday.
fn vl_day(rng: &mut Rng, y: i32, m: u32, org: &str) -> i32 {
    let last = match (y, m) {
        (2020, 3) => 12, // lockdown from 13 March 2020
        _ => days_in_month(y, m),
    };
    let days: Vec<i32> = (1..=last)
        .map(|d| day(y, m, d))
        .filter(|z| !in_holiday(*z))
        .filter(|z| {
            if org == WEEKENDSCHOOL {
                weekday(*z) == 6
            } else {
                weekday(*z) < 5
            }
        })
        .collect();
    assert!(!days.is_empty(), "no day for a session in {y}-{m}");
    *rng.pick(&days)
}

fn build_voorlichtingen() -> Vec<Session> {
    let mut rng = Rng::stream(2);
    let mut sessions: Vec<Session> = Vec::new();
    for (yi, table) in [VL_2017, VL_2018, VL_2019, VL_2020, VL_2021]
        .iter()
        .enumerate()
    {
        let year = 2017 + yi as i32;
        // Month slots of the year; constrained kinds of session pick first, Scholen po-vo last.
        let mut slots: Vec<u32> = VL_MONTHS[yi].to_vec();
        let total: u32 = table.iter().map(|r| r.3).sum();
        assert_eq!(total, slots.iter().sum::<u32>(), "month plan of {year}");
        let mut kinds: Vec<(&str, &str, &str, u32)> = table.to_vec();
        kinds.sort_by_key(|(sd, th, org, _)| vl_allowed_months(year, th, org, sd).len());
        let mut year_sessions: Vec<Session> = Vec::new();
        let mut ko_locaties = VL_2021_KO_LOCATIES.iter();
        let mut fb_deelnemers = VL_2021_FACEBOOK_DEELNEMERS.iter();
        for (sd, thema, org, n) in kinds {
            let allowed = vl_allowed_months(year, thema, org, sd);
            for _ in 0..n {
                let free: Vec<f64> = (1..=12u32)
                    .map(|m| {
                        if allowed.contains(&m) {
                            slots[m as usize - 1] as f64
                        } else {
                            0.0
                        }
                    })
                    .collect();
                let m = rng.weighted(&free) as u32 + 1;
                slots[m as usize - 1] -= 1;
                let z = vl_day(&mut rng, year, m, org);
                let mut s = Session {
                    day: z,
                    stadsdeel: sd,
                    thema,
                    organisatie: org,
                    vorm: "fysiek",
                    locaties: if year >= 2020 || rng.chance(0.4) {
                        Some(1)
                    } else {
                        None
                    },
                    deelnemers: None,
                    status: "uitgevoerd",
                    contactpersoon: String::new(),
                    opmerking: String::new(),
                };
                if org == FACEBOOK {
                    s.vorm = "facebook-live";
                    s.deelnemers = Some(*fb_deelnemers.next().unwrap());
                    s.opmerking = "Facebook live; terug te kijken op de pagina".into();
                } else if year == 2021 && org == KINDEROPVANG && sd == "Stadsbreed" {
                    s.vorm = "webinar";
                    let l = *ko_locaties.next().unwrap();
                    s.locaties = Some(l);
                    s.opmerking = format!("Webinar voor ouders van {l} kinderopvanglocaties");
                }
                year_sessions.push(s);
            }
        }
        year_sessions.sort_by_key(|s| s.day);
        // Form of the sessions of 2020 and 2021 (earlier years: all physical).
        if year == 2020 {
            let webinar_from = day(2020, 9, 1);
            let early_fysiek = year_sessions
                .iter()
                .filter(|s| s.day < webinar_from)
                .count() as u32;
            let autumn: Vec<usize> = (0..year_sessions.len())
                .filter(|i| {
                    year_sessions[*i].day >= webinar_from
                        && year_sessions[*i].day < day(2020, 11, 1)
                })
                .collect();
            let n_fysiek = (VL_2020_FYSIEK - early_fysiek) as usize;
            // Physical autumn sessions: a share of September and October; the first session of
            // September is a webinar (the first webinar took place in September 2020).
            let weights: Vec<f64> = autumn
                .iter()
                .enumerate()
                .map(|(k, _)| if k == 0 { 0.0 } else { 1.0 })
                .collect();
            let fysiek: Vec<usize> = rng
                .sample_weighted(&weights, n_fysiek)
                .into_iter()
                .map(|k| autumn[k])
                .collect();
            for (i, s) in year_sessions.iter_mut().enumerate() {
                if s.day >= webinar_from && !fysiek.contains(&i) {
                    s.vorm = "webinar";
                }
            }
        }
        if year == 2021 {
            for s in year_sessions.iter_mut() {
                if s.vorm != "fysiek" {
                    continue;
                }
                let (_, m, _) = ymd(s.day);
                if m <= 5
                    || (m >= 9 && s.organisatie == SCHOLEN && s.thema == OPOVO && rng.chance(0.25))
                {
                    s.vorm = "webinar";
                }
            }
        }
        for s in year_sessions.iter_mut() {
            if s.day > dayt(VL_AGENDA_READ) {
                s.status = "gepland";
            }
            if s.deelnemers.is_none() && s.status == "uitgevoerd" && !rng.chance(0.08) {
                s.deelnemers = Some(match s.vorm {
                    "webinar" => rng.range(15, 60),
                    _ => rng.range(10, 55),
                });
            }
            s.contactpersoon = format!("Contactpersoon {:03}", rng.range(1, 140));
            if s.opmerking.is_empty() {
                s.opmerking = vl_remark(&mut rng, s);
            }
        }
        sessions.extend(year_sessions);
    }
    for (d, sd, thema, org, vorm) in VL_CANCELLED {
        sessions.push(Session {
            day: dayt(d),
            stadsdeel: sd,
            thema,
            organisatie: org,
            vorm,
            locaties: Some(1),
            deelnemers: None,
            status: "geannuleerd",
            contactpersoon: format!("Contactpersoon {:03}", rng.range(1, 140)),
            opmerking: if d.0 == 2020 {
                "Afgelast; lockdown".into()
            } else {
                "Afgezegd door organisatie".into()
            },
        });
    }
    sessions.sort_by_key(|s| s.day);
    sessions
}

fn vl_remark(rng: &mut Rng, s: &Session) -> String {
    let options: &[&str] = match (s.organisatie, s.vorm) {
        (_, "webinar") => &[
            "Via Teams",
            "Webinar, vragen via de chat",
            "Opname gedeeld met ouders",
            "",
        ],
        (SCHOLEN, _) if s.thema == VMBO_MBO => &["In de klas, twee groepen", "Mbo-kit getest", ""],
        (SCHOLEN, _) => &[
            "Ouderavond groep 8",
            "Ouderavond groep 7 en 8; tolk aanwezig",
            "Informatieavond",
            "",
        ],
        (WEEKENDSCHOOL, _) => &["Zondagochtend, ouders en leerlingen", ""],
        (KINDEROPVANG, _) => &["Ouders van peuters", "Samen met de locatiemanager", ""],
        _ => &[
            "Koffieochtend voor ouders",
            "Met \"sleutelpersonen\" uit de buurt",
            "",
        ],
    };
    let mut r = rng.pick(options).to_string();
    if s.status == "gepland" && !r.is_empty() {
        r.push_str(" (gepland)");
    }
    r
}

/// voorlichtingen.csv: Dutch Excel style, `;`, UTF-8 without BOM, dates DD-MM-YYYY.
fn write_voorlichtingen(dir: &Path, sessions: &[Session]) {
    let header = [
        "datum",
        "stadsdeel",
        "thema",
        "organisatie",
        "vorm",
        "locaties",
        "deelnemers",
        "status",
        "contactpersoon",
        "opmerking",
    ];
    let mut text = csv_line(&header.map(String::from), ';', "\n");
    for s in sessions {
        text.push_str(&csv_line(
            &[
                dmy(s.day, '-'),
                s.stadsdeel.to_string(),
                s.thema.to_string(),
                s.organisatie.to_string(),
                s.vorm.to_string(),
                s.locaties.map(|l| l.to_string()).unwrap_or_default(),
                s.deelnemers.map(|l| l.to_string()).unwrap_or_default(),
                s.status.to_string(),
                s.contactpersoon.clone(),
                s.opmerking.clone(),
            ],
            ';',
            "\n",
        ));
    }
    write_file(dir, "voorlichtingen.csv", text.as_bytes());
}

// =====================================================================================
// Dossiers
// =====================================================================================

#[derive(Clone)]
struct Dossier {
    day: i32,
    year: usize,
    sector: usize,
    themes: Vec<usize>,
    duplicate_theme: bool,
    kanaal: &'static str,
    herkomst: &'static str,
    school_brin: String,
    schoolnaam: String,
    /// Index of the school the dossier resolves to (None: no school or a misspelled name).
    school: Option<usize>,
    contact: u32,
    passend: bool,
    schooltype: Option<usize>,
    vragen: Vec<usize>,
    diagnoses: Vec<usize>,
}

impl Dossier {
    fn new(day: i32, sector: usize) -> Dossier {
        Dossier {
            day,
            year: school_year(day),
            sector,
            themes: vec![],
            duplicate_theme: false,
            kanaal: "",
            herkomst: "",
            school_brin: String::new(),
            schoolnaam: String::new(),
            school: None,
            contact: 1,
            passend: false,
            schooltype: None,
            vragen: vec![],
            diagnoses: vec![],
        }
    }
    fn webinar(&self) -> bool {
        self.kanaal == KANAAL_WEBINAR
    }
}

/// Relative number of dossiers per month of the school year (August .. July), per sector.
fn month_profile(sector: usize) -> [f64; 12] {
    match sector {
        S_PO_VO => [0.3, 0.8, 0.9, 1.1, 0.8, 1.5, 1.8, 1.8, 1.2, 0.8, 0.7, 0.4],
        S_VOORSCHOOL | S_SCHOOLKEUZE_PO => {
            [0.4, 0.9, 0.9, 1.0, 0.7, 1.5, 1.5, 1.3, 1.0, 0.9, 0.8, 0.4]
        }
        S_VO => [0.8, 1.5, 1.1, 1.1, 0.7, 1.0, 1.0, 1.0, 0.8, 0.9, 1.0, 0.6],
        S_VMBO_MBO | S_MBO | S_MBO_HO => {
            [1.2, 1.3, 0.8, 0.8, 0.5, 0.9, 1.0, 1.1, 1.0, 1.0, 1.0, 0.7]
        }
        _ => [
            0.45, 1.0, 0.9, 1.0, 0.75, 1.2, 1.25, 1.25, 1.0, 0.9, 1.0, 0.55,
        ],
    }
}

/// A day in month (y, m) for a dossier: mostly working days, fewer in holidays.
fn dossier_day(rng: &mut Rng, y: i32, m: u32, first: u32, last: u32) -> i32 {
    let days: Vec<i32> = (first..=last).map(|d| day(y, m, d)).collect();
    let weights: Vec<f64> = days
        .iter()
        .map(|z| {
            let w = match weekday(*z) {
                0 => 1.15,
                1..=3 => 1.0,
                4 => 0.85,
                5 => 0.04,
                _ => 0.03,
            };
            if in_holiday(*z) { w * 0.45 } else { w }
        })
        .collect();
    days[rng.weighted(&weights)]
}

fn build_dossiers(schools: &[School], sessions: &[Session]) -> Vec<Dossier> {
    let mut rng = Rng::stream(3);
    let mut ds: Vec<Dossier> = Vec::new();

    // 1. Dates: exact counts per school year, sector and month.
    for (sy, counts) in SECTOR_DOSSIERS.iter().enumerate() {
        for (sector, &n) in counts.iter().enumerate() {
            let mut profile = month_profile(sector);
            if sy == 2 {
                // First lockdown: fewer questions mid-March to May 2020.
                profile[7] *= 0.8;
                profile[8] *= 0.6;
                profile[9] *= 0.75;
            }
            let per_month: Vec<u32> = match CHANNEL_SPLIT_2021
                .iter()
                .find(|c| sy == CURRENT && c.0 == sector)
            {
                Some((_, aug_nov, dec_jul)) => {
                    assert_eq!(aug_nov + dec_jul, n);
                    if sector == S_VO {
                        // VO: a quiet first half of 2020-2021 (December, January too).
                        profile[4] *= 0.7;
                        profile[5] *= 0.7;
                    }
                    let mut v = apportion(*aug_nov, &profile[0..4]);
                    v.extend(apportion(*dec_jul, &profile[4..12]));
                    v
                }
                None => apportion(n, &profile),
            };
            for (i, k) in per_month.iter().enumerate() {
                let (y, m) = school_month(sy, i);
                for _ in 0..*k {
                    let z = dossier_day(&mut rng, y, m, 1, days_in_month(y, m));
                    ds.push(Dossier::new(z, sector));
                }
            }
        }
    }
    for (sector, n) in AUGUST_2021_DOSSIERS.iter().enumerate() {
        for _ in 0..*n {
            let z = dossier_day(&mut rng, 2021, 8, 2, AUGUST_2021_LAST_DAY);
            ds.push(Dossier::new(z, sector));
        }
    }
    // School-year edges: dossiers dated exactly 31 July and 1 August (same month: counts unchanged).
    for (y, m, d) in [
        (2017, 8, 1),
        (2018, 7, 31),
        (2018, 8, 1),
        (2019, 7, 31),
        (2019, 8, 1),
        (2020, 7, 31),
        (2020, 8, 1),
        (2021, 7, 31),
        (2021, 8, 1),
    ] {
        let target = day(y, m, d);
        let same_month: Vec<usize> = (0..ds.len())
            .filter(|i| {
                let (yy, mm, _) = ymd(ds[*i].day);
                yy == y && mm == m && ds[*i].day != target
            })
            .collect();
        for k in 0..2 {
            let i = same_month[(k * 7 + 3) % same_month.len()];
            ds[i].day = target;
        }
    }
    ds.sort_by_key(|d| (d.day, d.sector));
    let is_edge = |z: i32| {
        let (_, m, d) = ymd(z);
        (m == 7 && d == 31) || (m == 8 && d == 1)
    };

    // 2. Passend onderwijs: per school year exact numbers per schooltype.
    for (sy, per_type) in PASSEND_SCHOOLTYPE.iter().enumerate() {
        for (st, n) in per_type.iter().enumerate() {
            let pool = SCHOOLTYPE_SECTORS[st];
            let weights: Vec<f64> = ds
                .iter()
                .map(|d| {
                    if d.year != sy || d.passend {
                        return 0.0;
                    }
                    pool.iter().filter(|s| **s == d.sector).count() as f64
                })
                .collect();
            for i in rng.sample_weighted(&weights, *n as usize) {
                ds[i].passend = true;
                ds[i].schooltype = if st < 5 { Some(st) } else { None };
            }
        }
    }

    // 3. Webinar questions (2020-2021, from September 2020): dated on the day of a webinar.
    let webinar_days: Vec<i32> = sessions
        .iter()
        .filter(|s| s.vorm == "webinar" && s.status != "geannuleerd")
        .map(|s| s.day)
        .filter(|z| school_year(*z) == CURRENT)
        .collect();
    let mut webinar_counted: Vec<usize> = Vec::new();
    let mut webinar_other: Vec<usize> = Vec::new();
    for (sector, counted, other) in WEBINAR_DOSSIERS {
        let weights: Vec<f64> = ds
            .iter()
            .map(|d| {
                let (y, m, _) = ymd(d.day);
                let month_has_webinar = webinar_days.iter().any(|w| {
                    let (wy, wm, _) = ymd(*w);
                    wy == y && wm == m
                });
                if d.year == CURRENT
                    && d.sector == sector
                    && !d.passend
                    && !is_edge(d.day)
                    && month_has_webinar
                {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        let chosen = rng.sample_weighted(&weights, (counted + other) as usize);
        for (k, i) in chosen.into_iter().enumerate() {
            let (y, m, _) = ymd(ds[i].day);
            let same_month: Vec<i32> = webinar_days
                .iter()
                .copied()
                .filter(|w| {
                    let (wy, wm, _) = ymd(*w);
                    wy == y && wm == m
                })
                .collect();
            ds[i].day = *rng.pick(&same_month);
            ds[i].kanaal = KANAAL_WEBINAR;
            if (k as u32) < counted {
                webinar_counted.push(i)
            } else {
                webinar_other.push(i)
            }
        }
    }

    // 4. Channels. WhatsApp exists from 2020-12-01; exact numbers for the channel table.
    let whatsapp_from = dayt(WHATSAPP_OPENED);
    let window_end = day(2021, 7, 31);
    let mut whatsapp_article: Vec<usize> = Vec::new();
    let mut whatsapp_fixed: HashSet<usize> = HashSet::new();
    for (sectors, total, n_whatsapp, n_article) in WHATSAPP_GROUPS {
        let members: Vec<usize> = (0..ds.len())
            .filter(|i| {
                ds[*i].day >= whatsapp_from
                    && ds[*i].day <= window_end
                    && sectors.contains(&ds[*i].sector)
            })
            .collect();
        assert_eq!(members.len() as u32, total, "channel group {sectors:?}");
        for i in &members {
            whatsapp_fixed.insert(*i);
        }
        let weights: Vec<f64> = members
            .iter()
            .map(|i| if ds[*i].webinar() { 0.0 } else { 1.0 })
            .collect();
        let chosen = rng.sample_weighted(&weights, n_whatsapp as usize);
        for (k, j) in chosen.into_iter().enumerate() {
            let i = members[j];
            ds[i].kanaal = KANAAL_WHATSAPP;
            if (k as u32) < n_article {
                whatsapp_article.push(i);
            }
        }
    }
    for (i, d) in ds.iter_mut().enumerate() {
        if !d.kanaal.is_empty() {
            continue;
        }
        let lockdown_closed =
            in_lockdown(d.day) || (d.day >= day(2020, 12, 15) && d.day <= day(2021, 3, 1));
        let whatsapp = if d.day >= whatsapp_from && !whatsapp_fixed.contains(&i) {
            14.0
        } else {
            0.0
        };
        let balie = if lockdown_closed { 0.0 } else { 3.0 };
        let phone = if d.day >= dayt(LOCKDOWN_2020.0) {
            50.0
        } else {
            53.0
        };
        let weights = [phone, 36.0, whatsapp, 7.0, balie];
        d.kanaal =
            ["telefoon", "e-mail", KANAAL_WHATSAPP, "website", "balie"][rng.weighted(&weights)];
    }

    // WhatsApp went on after the school year: two August 2021 dossiers of the channel table's
    // sectors came in by WhatsApp (the table must stop at 2021-07-31).
    for (sectors, ..) in WHATSAPP_GROUPS.iter().take(2) {
        if let Some(d) = ds
            .iter_mut()
            .find(|d| d.year == 4 && sectors.contains(&d.sector))
        {
            d.kanaal = KANAAL_WHATSAPP;
        }
    }

    // 5. Schools.
    assign_schools(&mut rng, &mut ds, schools, &webinar_counted, &webinar_other);

    // 6. Themes (own random stream from here on, so each step can be tuned on its own).
    let mut rng = Rng::stream(7);
    for d in ds.iter_mut() {
        assign_themes(&mut rng, d);
    }
    enforce_theme_trends(&mut rng, &mut ds);

    // 7. Herkomst.
    let mut rng = Rng::stream(8);
    let article: HashSet<usize> = whatsapp_article.into_iter().collect();
    for (i, d) in ds.iter_mut().enumerate() {
        d.herkomst = if article.contains(&i) {
            "artikel"
        } else if d.webinar() {
            if rng.chance(0.9) { "voorlichting" } else { "" }
        } else {
            let mut w = [15.0, 20.0, 6.0, 4.0, 14.0, 22.0, 19.0];
            match d.year {
                0 => w[6] = 35.0,
                3 => {
                    w[4] = 20.0;
                    if [S_VOORSCHOOL, S_SCHOOLKEUZE_PO, S_PO_VO].contains(&d.sector) {
                        w[2] = 16.0;
                    }
                    if d.sector == S_REGULIER_SO || d.passend {
                        w[3] = 14.0;
                    }
                }
                _ => {}
            }
            if d.themes.contains(&2) {
                w[0] += 8.0; // organisatie: often after reading an article
            }
            if d.kanaal == KANAAL_WHATSAPP && whatsapp_fixed.contains(&i) {
                w[0] = 0.0; // the channel table's article numbers are exact
            }
            HERKOMST[rng.weighted(&w)]
        };
    }

    // 8. Contact moments (exact averages in 2020-2021).
    let mut rng = Rng::stream(9);
    for d in ds.iter_mut() {
        d.contact = if d.webinar() {
            if rng.chance(0.8) { 1 } else { 2 }
        } else if d.passend && d.year == CURRENT {
            *rng.pick(&[2, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8, 10])
        } else if d.passend {
            *rng.pick(&[2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 6, 8])
        } else if d.year == CURRENT {
            *rng.pick(&[1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8])
        } else {
            *rng.pick(&[1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 6])
        };
    }
    let current: Vec<usize> = (0..ds.len()).filter(|i| ds[*i].year == CURRENT).collect();
    let passend_now: Vec<usize> = current.iter().copied().filter(|i| ds[*i].passend).collect();
    let other_now: Vec<usize> = current
        .iter()
        .copied()
        .filter(|i| !ds[*i].passend && !ds[*i].webinar())
        .collect();
    let webinar_sum: u32 = current
        .iter()
        .filter(|i| ds[**i].webinar())
        .map(|i| ds[*i].contact)
        .sum();
    adjust_sum(
        &mut rng,
        &mut ds,
        &passend_now,
        CONTACT_SUM_2021_PASSEND,
        2,
        14,
    );
    adjust_sum(
        &mut rng,
        &mut ds,
        &other_now,
        CONTACT_SUM_2021_ALL - CONTACT_SUM_2021_PASSEND - webinar_sum,
        1,
        12,
    );

    // 9. Passend details: questions and diagnoses, exact per school year.
    let mut rng = Rng::stream(10);
    for sy in 0..4 {
        let passend: Vec<usize> = (0..ds.len())
            .filter(|i| ds[*i].year == sy && ds[*i].passend)
            .collect();
        assign_vragen(&mut rng, &mut ds, &passend, &VRAGEN_COUNTS[sy]);
        let weights = vec![1.0; passend.len()];
        let with_diagnosis: Vec<usize> = rng
            .sample_weighted(&weights, DIAGNOSE_DOSSIERS[sy] as usize)
            .into_iter()
            .map(|k| passend[k])
            .collect();
        assign_diagnoses(&mut rng, &mut ds, &with_diagnosis, &DIAGNOSE_COUNTS[sy]);
    }
    ds
}

/// Moves values of `members` up or down by one until they sum to `target`.
fn adjust_sum(
    rng: &mut Rng,
    ds: &mut [Dossier],
    members: &[usize],
    target: u32,
    min: u32,
    max: u32,
) {
    let mut sum: u32 = members.iter().map(|i| ds[*i].contact).sum();
    while sum != target {
        let i = *rng.pick(members);
        if sum < target && ds[i].contact < max {
            ds[i].contact += 1;
            sum += 1;
        } else if sum > target && ds[i].contact > min {
            ds[i].contact -= 1;
            sum -= 1;
        }
    }
}

/// Gives each listed passend dossier at least one vraag; vraag v ends up in exactly counts[v] dossiers.
fn assign_vragen(rng: &mut Rng, ds: &mut [Dossier], members: &[usize], counts: &[u32; 18]) {
    let fits = |d: &Dossier, v: usize| match d.schooltype {
        None => true,
        Some(st) => VRAAG_SCHOOLTYPES[v].contains(&st),
    };
    // Most constrained questions first.
    let mut order: Vec<usize> = (0..VRAGEN.len()).collect();
    order.sort_by_key(|v| (VRAAG_SCHOOLTYPES[*v].len(), *v));
    for v in order {
        for _ in 0..counts[v] {
            let candidates: Vec<usize> = members
                .iter()
                .copied()
                .filter(|i| {
                    fits(&ds[*i], v) && !ds[*i].vragen.contains(&v) && ds[*i].vragen.len() < 3
                })
                .collect();
            assert!(!candidates.is_empty(), "no dossier for vraag {}", VRAGEN[v]);
            let least = candidates
                .iter()
                .map(|i| ds[*i].vragen.len())
                .min()
                .unwrap();
            let i = if rng.chance(0.9) {
                let low: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|i| ds[*i].vragen.len() == least)
                    .collect();
                *rng.pick(&low)
            } else {
                *rng.pick(&candidates)
            };
            ds[i].vragen.push(v);
        }
    }
    // Repair: every passend dossier has at least one vraag.
    while let Some(empty) = members.iter().copied().find(|i| ds[*i].vragen.is_empty()) {
        let donor = members
            .iter()
            .copied()
            .find(|i| {
                ds[*i].vragen.len() >= 2 && ds[*i].vragen.iter().any(|v| fits(&ds[empty], *v))
            })
            .expect("a dossier with a spare vraag");
        let pos = ds[donor]
            .vragen
            .iter()
            .position(|v| fits(&ds[empty], *v))
            .unwrap();
        let v = ds[donor].vragen.remove(pos);
        ds[empty].vragen.push(v);
    }
    for i in members {
        ds[*i].vragen.sort();
    }
}

/// Every listed dossier gets at least one diagnosis; diagnosis k ends up in exactly counts[k] dossiers.
fn assign_diagnoses(rng: &mut Rng, ds: &mut [Dossier], members: &[usize], counts: &[u32; 7]) {
    let total: u32 = counts.iter().sum();
    assert!(total as usize >= members.len());
    let mut tokens: Vec<usize> = Vec::new();
    for (k, n) in counts.iter().enumerate() {
        tokens.extend(std::iter::repeat_n(k, *n as usize));
    }
    rng.shuffle(&mut tokens);
    for k in tokens {
        let candidates: Vec<usize> = members
            .iter()
            .copied()
            .filter(|i| !ds[*i].diagnoses.contains(&k))
            .collect();
        let least = candidates
            .iter()
            .map(|i| ds[*i].diagnoses.len())
            .min()
            .unwrap();
        let low: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|i| ds[*i].diagnoses.len() == least)
            .collect();
        let i = *rng.pick(&low);
        ds[i].diagnoses.push(k);
    }
    for i in members {
        ds[*i].diagnoses.sort();
    }
}

/// How a parent's school name reaches the CRM.
fn name_variant(rng: &mut Rng, school: &School) -> String {
    let naam = &school.naam;
    let accented = strip_accents(naam) != *naam;
    let choice = rng.weighted(&[
        40.0,                              // exact
        10.0,                              // lowercase
        3.0,                               // uppercase
        if accented { 40.0 } else { 0.0 }, // accent missing
        17.0,                              // punctuation and spacing
        if school.aliassen.is_empty() {
            0.0
        } else {
            45.0
        }, // an alias
    ]);
    match choice {
        0 => naam.clone(),
        1 => naam.to_lowercase(),
        2 => naam.to_uppercase(),
        3 => {
            let s = strip_accents(naam);
            if rng.chance(0.5) {
                s.replace('-', " ")
            } else {
                s
            }
        }
        4 => match rng.below(6) {
            0 => naam.replace(' ', "  "),
            1 => format!("{naam}."),
            2 => format!(" {naam} "),
            3 if naam.contains('-') => naam.replace('-', " "),
            3 => naam.replacen(' ', ". ", 1),
            4 if naam.contains('\'') => naam.replace('\'', ""),
            _ => format!("{naam},"),
        },
        _ => {
            let a = rng.pick(&school.aliassen).clone();
            if rng.chance(0.3) { a.to_lowercase() } else { a }
        }
    }
}

/// A near miss: one letter swapped, dropped or doubled, so that it matches no registry name.
fn misspell(rng: &mut Rng, naam: &str, taken: &HashSet<String>) -> String {
    loop {
        let mut chars: Vec<char> = naam.chars().collect();
        let letters: Vec<usize> = (1..chars.len().saturating_sub(2))
            .filter(|k| {
                chars[*k].is_alphabetic()
                    && chars[*k + 1].is_alphabetic()
                    && chars[*k] != chars[*k + 1]
            })
            .collect();
        let k = *rng.pick(&letters);
        match rng.below(3) {
            0 => chars.swap(k, k + 1),
            1 => {
                chars.remove(k);
            }
            _ => {
                let c = chars[k];
                chars.insert(k, c);
            }
        }
        let s: String = chars.into_iter().collect();
        if !taken.contains(&normalise(&s)) && normalise(&s) != normalise(naam) {
            return s;
        }
    }
}

fn assign_schools(
    rng: &mut Rng,
    ds: &mut [Dossier],
    schools: &[School],
    webinar_counted: &[usize],
    webinar_other: &[usize],
) {
    let mut taken: HashSet<String> = HashSet::new();
    for s in schools {
        taken.insert(normalise(&s.naam));
        for a in &s.aliassen {
            taken.insert(normalise(a));
        }
    }
    let amsterdam_po: Vec<usize> = (0..schools.len())
        .filter(|i| schools[*i].band.is_some())
        .collect();
    let by_sector = |sector: &str, amsterdam: bool| -> Vec<usize> {
        (0..schools.len())
            .filter(|i| {
                schools[*i].sector == sector && schools[*i].stadsdeel.is_some() == amsterdam
            })
            .collect()
    };
    let outside_po = by_sector("po", false);
    let vo = by_sector("vo", true);
    let so = by_sector("so", true);
    let mbo = by_sector("mbo", true);
    let mut edge_pending: Vec<usize> = (0..schools.len())
        .filter(|i| {
            schools[*i]
                .weging
                .is_some_and(|w| EDGE_WEGINGEN.iter().any(|e| e.2 == w))
        })
        .collect();
    edge_pending.extend(edge_pending.clone()); // at least two counted dossiers at each band-edge school

    let name = |rng: &mut Rng, d: &mut Dossier, school: usize| {
        let s = &schools[school];
        d.school = Some(school);
        if rng.chance(0.45) {
            d.school_brin = s.brin.clone();
            if rng.chance(0.3) {
                d.schoolnaam = s.naam.clone();
            }
        } else {
            d.schoolnaam = name_variant(rng, s);
        }
    };
    let mut pick_in_cell = |rng: &mut Rng, sd: usize, band: usize, helpdesk: bool| -> usize {
        let edge = edge_pending
            .iter()
            .position(|i| schools[*i].stadsdeel == Some(sd) && schools[*i].band == Some(band));
        if let (Some(pos), true) = (edge, helpdesk) {
            return edge_pending.remove(pos);
        }
        let cell: Vec<usize> = amsterdam_po
            .iter()
            .copied()
            .filter(|i| schools[*i].stadsdeel == Some(sd) && schools[*i].band == Some(band))
            .collect();
        let w: Vec<f64> = cell.iter().map(|i| schools[*i].popularity).collect();
        cell[rng.weighted(&w)]
    };
    let cells = |table: &[[u32; 5]; 7]| -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        for (sd, row) in table.iter().enumerate() {
            for (band, n) in row.iter().enumerate() {
                v.extend(std::iter::repeat_n((sd, band), *n as usize));
            }
        }
        v
    };

    // Helpdesk dossiers naming an Amsterdam primary school: exactly the 608 cells.
    let mut hcells = cells(&HELPDESK_SD_BAND);
    rng.shuffle(&mut hcells);
    // The report year leans a little towards Nieuw-West, Noord and Zuidoost (the subsidy's focus):
    // its cells are drawn with extra weight there and placed last (school years are filled in order).
    let lean: Vec<f64> = hcells
        .iter()
        .map(|(sd, _)| if [2, 5, 6].contains(sd) { 1.4 } else { 1.0 })
        .collect();
    let last_year = rng.sample_weighted(&lean, HELPDESK_SCHOOL_PER_YEAR[CURRENT] as usize);
    let mut ordered: Vec<(usize, usize)> = (0..hcells.len())
        .filter(|i| !last_year.contains(i))
        .map(|i| hcells[i])
        .collect();
    ordered.extend(last_year.iter().map(|i| hcells[*i]));
    let hcells = ordered;
    let mut next_cell = 0;
    let po_weight = |d: &Dossier| match d.sector {
        S_PO => 1.0,
        S_PO_VO => 0.4,
        S_SCHOOLKEUZE_PO => 0.6,
        S_VOORSCHOOL => 0.3,
        S_REGULIER_SO => 0.8,
        S_SO => 0.1,
        S_OVERIG => 0.15,
        _ => 0.0,
    };
    for (sy, &n) in HELPDESK_SCHOOL_PER_YEAR.iter().enumerate() {
        let weights: Vec<f64> = ds
            .iter()
            .map(|d| {
                if d.year != sy || d.webinar() {
                    return 0.0;
                }
                let w = po_weight(d);
                let (_, m, dd) = ymd(d.day);
                if w > 0.0 && ((m == 8 && dd == 1) || (m == 7 && dd == 31)) {
                    w * 50.0
                } else {
                    w
                }
            })
            .collect();
        for i in rng.sample_weighted(&weights, n as usize) {
            let (sd, band) = hcells[next_cell];
            next_cell += 1;
            let school = pick_in_cell(rng, sd, band, true);
            name(rng, &mut ds[i], school);
        }
    }
    assert_eq!(next_cell, hcells.len());

    // Webinar questions: 108 name an Amsterdam primary school.
    let mut wcells = cells(&WEBINAR_SD_BAND);
    rng.shuffle(&mut wcells);
    assert_eq!(wcells.len(), webinar_counted.len());
    for (k, i) in webinar_counted.iter().enumerate() {
        let school = pick_in_cell(rng, wcells[k].0, wcells[k].1, false);
        name(rng, &mut ds[*i], school);
    }
    for (k, i) in webinar_other.iter().enumerate() {
        let pool = match k % 5 {
            0 => &vo,
            1 => &outside_po,
            _ => continue,
        };
        let school = *rng.pick(pool);
        name(rng, &mut ds[*i], school);
    }

    assert!(
        edge_pending.is_empty(),
        "band-edge schools without dossiers"
    );

    // Misspelled names (match nothing), spread over the school years.
    for (sy, &n) in MISSPELLED_PER_YEAR.iter().enumerate() {
        let weights: Vec<f64> = ds
            .iter()
            .map(|d| {
                let free = d.school.is_none() && d.schoolnaam.is_empty() && !d.webinar();
                if d.year == sy && free && po_weight(d) > 0.0 {
                    1.0
                } else {
                    0.0
                }
            })
            .collect();
        for i in rng.sample_weighted(&weights, n as usize) {
            let s = &schools[*rng.pick(&amsterdam_po)];
            let base = if !s.aliassen.is_empty() && rng.chance(0.2) {
                rng.pick(&s.aliassen).clone()
            } else {
                s.naam.clone()
            };
            ds[i].schoolnaam = misspell(rng, &base, &taken);
        }
    }

    // Other schools: secondary, special, vocational, and primary schools outside Amsterdam.
    for d in ds.iter_mut() {
        if d.school.is_some() || !d.schoolnaam.is_empty() || d.webinar() {
            continue;
        }
        let (pool, p): (&[usize], f64) = match d.sector {
            S_VO | S_VO_HO => (&vo, 0.4),
            S_VMBO_MBO => (&vo, 0.3),
            S_PO_VO => (&vo, 0.06),
            S_SO | S_REGULIER_SO => (&so, 0.35),
            S_MBO | S_MBO_HO => (&mbo, 0.35),
            S_PO | S_SCHOOLKEUZE_PO => (&outside_po, 0.015),
            _ => (&vo, 0.0),
        };
        if p > 0.0 && rng.chance(p) {
            let w: Vec<f64> = pool.iter().map(|i| schools[*i].popularity).collect();
            let school = pool[rng.weighted(&w)];
            name(rng, d, school);
        }
    }
    // Every accented or apostrophe school is typed at least once without its accents and
    // hyphens or without its apostrophe ("Sint Odulphusschool Riviera", "t Kraaiennest").
    for &school in &amsterdam_po {
        let naam = &schools[school].naam;
        let plain = strip_accents(naam).replace(['-', '\''], " ");
        if plain == *naam || ds.iter().any(|d| d.schoolnaam == plain) {
            continue;
        }
        let mine = |d: &Dossier| d.school == Some(school) && d.year <= CURRENT;
        let by_name = ds.iter().position(|d| mine(d) && d.school_brin.is_empty());
        if let Some(i) = by_name.or_else(|| ds.iter().position(mine)) {
            ds[i].school_brin.clear();
            ds[i].schoolnaam = plain;
        }
    }
    // August 2021 (school year 2021-2022): some name Amsterdam primary schools; never counted.
    for d in ds.iter_mut() {
        if d.year == 4 && d.school.is_none() && po_weight(d) > 0.0 && rng.chance(0.6) {
            let school = *rng.pick(&amsterdam_po);
            name(rng, d, school);
        }
    }
}

fn assign_themes(rng: &mut Rng, d: &mut Dossier) {
    let sy = d.year.min(CURRENT);
    let (_, m, _) = ymd(d.day);
    let first_half = [8, 9, 10, 11, 12, 1].contains(&m);
    let mut w: Vec<f64> = (0..11)
        .map(|t| THEME_WEIGHTS[d.sector][t] * THEME_YEAR_FACTOR[sy][t])
        .collect();
    if d.sector == S_VO && d.year == CURRENT && first_half {
        // VO, first half of 2020-2021: especially fewer questions on beoordeling and leerplicht.
        for (t, x) in w.iter_mut().enumerate() {
            *x *= if t == T_BEOORDELING || t == T_LEERPLICHT {
                0.3
            } else {
                0.8
            };
        }
    }
    if d.webinar() {
        w = vec![3.0, 3.0, 0.5, 2.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0, 0.0];
    }
    let n = if d.passend {
        *rng.pick(&[1, 2, 2, 3])
    } else {
        *rng.pick(&[1, 1, 1, 1, 1, 1, 2, 2, 2, 3])
    };
    let mut themes: Vec<usize> = Vec::new();
    if d.passend && rng.chance(0.9) {
        themes.push(T_ZORG);
    }
    while themes.len() < n {
        let mut ww = w.clone();
        for t in &themes {
            ww[*t] = 0.0;
        }
        if ww.iter().sum::<f64>() == 0.0 {
            break;
        }
        themes.push(rng.weighted(&ww));
    }
    let actueel_p = ACTUEEL_CHANCE
        .iter()
        .rev()
        .find(|(from, _)| d.day >= dayt(*from))
        .map(|x| x.1)
        .unwrap_or(0.0);
    if !d.webinar() && rng.chance(actueel_p) {
        if rng.chance(0.3) && !d.passend {
            themes = vec![T_ACTUEEL];
        } else if themes.len() < 3 {
            themes.push(T_ACTUEEL);
        } else {
            themes[2] = T_ACTUEEL;
        }
    }
    if !d.passend && rng.chance(0.004) {
        themes.clear(); // no theme registered
    } else if rng.chance(0.005) {
        d.duplicate_theme = true; // the same theme twice in one cell (counts once)
    }
    d.themes = themes;
}

/// Makes the 2020-2021 count of each theme follow THEME_TREND with a safety margin, by adding the
/// theme to (or removing it from) a few 2020-2021 dossiers that have room for it (or another theme).
fn enforce_theme_trends(rng: &mut Rng, ds: &mut [Dossier]) {
    let count = |ds: &[Dossier], y: usize, t: usize| {
        ds.iter()
            .filter(|d| d.year == y && d.themes.contains(&t))
            .count() as i64
    };
    for t in 0..THEMES.len() {
        let (a, b, c) = (count(ds, 1, t), count(ds, 2, t), count(ds, CURRENT, t));
        let (lo, hi) = (a.min(b), a.max(b));
        let (min, max) = match THEME_TREND[t] {
            1 => (hi + hi / 12 + 1, i64::MAX),
            -1 => (0, lo - lo / 12 - 1),
            _ => (lo + (hi - lo) / 4, hi - (hi - lo) / 4),
        };
        let target = c.clamp(min, max);
        let mut candidates: Vec<usize> = (0..ds.len())
            .filter(|i| {
                let d = &ds[*i];
                if d.year != CURRENT || d.webinar() || d.themes.is_empty() {
                    return false;
                }
                if target > c {
                    !d.themes.contains(&t) && d.themes.len() < 3 && THEME_WEIGHTS[d.sector][t] > 0.0
                } else {
                    d.themes.contains(&t) && d.themes.len() >= 2 && !(t == T_ZORG && d.passend)
                }
            })
            .collect();
        rng.shuffle(&mut candidates);
        let n = (target - c).unsigned_abs() as usize;
        assert!(candidates.len() >= n, "cannot move theme {}", THEMES[t]);
        for i in candidates.into_iter().take(n) {
            if target > c {
                ds[i].themes.push(t);
            } else {
                ds[i].themes.retain(|x| *x != t);
            }
        }
    }
}

const NOTES: [&str; 12] = [
    "Belt terug na gesprek met school",
    "Vraag over aanmelding, doorverwezen naar de website",
    "Ouder vraagt: \"mag school dit zomaar?\"",
    "Mail gestuurd met uitleg; ouder tevreden",
    "Gesprek met mentor gepland, daarna opnieuw contact",
    "Advies gegeven over bezwaar, termijn nagevraagd",
    "Doorverwezen naar OKA",
    "Ouder belt namens de andere ouder, spreekt weinig Nederlands",
    "Voorbeeldbrief gestuurd",
    "Terugbelverzoek, geen gehoor",
    "Informatie over \"de loting\" gegeven",
    "Casus besproken met collega, advies volgt",
];

/// dossiers.csv: CRM export, UTF-8 with BOM, `,`, RFC 4180 quoting, CRLF.
fn write_dossiers(dir: &Path, dossiers: &[Dossier]) {
    let mut rng = Rng::stream(4);
    let header = [
        "dossier_id",
        "datum",
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
        "naam_ouder",
        "email",
        "telefoon",
        "notities",
    ];
    let mut text = String::from("\u{feff}");
    text.push_str(&csv_line(&header.map(String::from), ',', "\r\n"));
    let mut order: Vec<usize> = (0..dossiers.len()).collect();
    order.sort_by_key(|i| (dossiers[*i].day, *i));
    let mut seq_in_year = 0;
    let mut last_year = 0;
    for (row, i) in order.iter().enumerate() {
        let d = &dossiers[*i];
        let (y, _, _) = ymd(d.day);
        if y != last_year {
            last_year = y;
            seq_in_year = 0;
        }
        seq_in_year += 1;
        let person = row + 1;
        let datum = match rng.weighted(&[93.0, 5.0, 2.0]) {
            0 => iso(d.day),
            1 => dmy(d.day, '-'),
            _ => dmy(d.day, '/'),
        };
        let sector = if rng.chance(0.03) {
            SECTORS_CAPITALISED[d.sector]
        } else {
            SECTORS[d.sector]
        };
        let mut themes: Vec<&str> = d.themes.iter().map(|t| THEMES[*t]).collect();
        if d.duplicate_theme && !themes.is_empty() {
            themes.push(themes[0]);
        }
        // Mostly ja/nee; a few 1/0 and true/false; a few empty cells (= not passend) in 2017-2018.
        let spelling = rng.weighted(&[96.0, 2.0, 2.0]);
        let passend = if d.passend {
            ["ja", "1", "true"][spelling]
        } else if d.year == 0 && rng.chance(0.02) {
            ""
        } else {
            ["nee", "0", "false"][spelling]
        };
        let note = if d.kanaal == KANAAL_WEBINAR {
            if rng.chance(0.7) {
                "Vraag gesteld tijdens webinar".to_string()
            } else {
                String::new()
            }
        } else if rng.chance(0.35) {
            String::new()
        } else {
            rng.pick(&NOTES).to_string()
        };
        text.push_str(&csv_line(
            &[
                format!("D{y}-{seq_in_year:05}"),
                datum,
                sector.to_string(),
                themes.join("|"),
                d.kanaal.to_string(),
                d.herkomst.to_string(),
                d.school_brin.clone(),
                d.schoolnaam.clone(),
                d.contact.to_string(),
                passend.to_string(),
                d.schooltype
                    .map(|s| SCHOOLTYPES[s].to_string())
                    .unwrap_or_default(),
                d.vragen
                    .iter()
                    .map(|v| VRAGEN[*v])
                    .collect::<Vec<_>>()
                    .join("|"),
                d.diagnoses
                    .iter()
                    .map(|v| DIAGNOSES[*v])
                    .collect::<Vec<_>>()
                    .join("|"),
                format!("Ouder {person:06}"),
                format!("ouder{person:06}@example.org"),
                format!("06-{person:08}"),
                note,
            ],
            ',',
            "\r\n",
        ));
    }
    write_file(dir, "dossiers.csv", text.as_bytes());
}

// =====================================================================================
// Pageviews
// =====================================================================================

/// Linear interpolation through (day of the school year, value) anchors.
fn interpolate(anchors: &[(f64, f64)], x: f64) -> f64 {
    for w in anchors.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if x >= x0 && x <= x1 {
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
    }
    anchors[anchors.len() - 1].1
}

/// pageviews.csv: one row per day 2017-08-01 .. 2021-08-24, exact school-year totals.
fn write_pageviews(dir: &Path) {
    let mut rng = Rng::stream(5);
    // Season over the school year (day 0 = 1 August): busier second half, peak January-March.
    let season = [
        (0.0, 0.50),
        (31.0, 0.80),
        (75.0, 0.92),
        (122.0, 1.00),
        (153.0, 1.05),
        (168.0, 1.35),
        (212.0, 1.45),
        (242.0, 1.30),
        (288.0, 1.08),
        (333.0, 0.95),
        (350.0, 0.70),
        (366.0, 0.50),
    ];
    let weekday_factor = [1.12, 1.10, 1.05, 1.02, 0.92, 0.72, 0.86];
    // `start`: 1 August of the school year of `z`.
    let raw = |rng: &mut Rng, z: i32, start: i32| -> f64 {
        let t = (z - start) as f64;
        let mut v = interpolate(&season, t) * weekday_factor[weekday(z) as usize];
        if in_holiday(z) && ymd(z).1 != 7 && ymd(z).1 != 8 {
            v *= 0.78;
        } else if in_holiday(z) {
            v *= 0.88;
        }
        // First lockdown: a clear dip from mid-March, recovering in May 2020.
        let ld = dayt(LOCKDOWN_2020.0);
        if z >= ld && z < day(2020, 4, 20) {
            v *= 0.84;
        } else if z >= day(2020, 4, 20) && z <= day(2020, 5, 17) {
            v *= 0.84 + 0.16 * (z - day(2020, 4, 20)) as f64 / 27.0;
        }
        // Growth within the year, and day-to-day noise of +/- 4%.
        v *= 0.95 + 0.10 * t / 365.0;
        v * (0.96 + 0.08 * rng.unit())
    };
    let mut rows: Vec<(i32, u64)> = Vec::new();
    for (sy, total) in PAGEVIEWS_PER_YEAR.iter().enumerate() {
        let start = day(2017 + sy as i32, 8, 1);
        let end = day(2018 + sy as i32, 7, 31);
        let raws: Vec<f64> = (start..=end).map(|z| raw(&mut rng, z, start)).collect();
        let counts = apportion(*total as u32, &raws);
        rows.extend((start..=end).zip(counts.iter().map(|c| *c as u64)));
    }
    // 1-24 August 2021 at the 2021-2022 rate (outside the report year).
    // (The size of a school year's raw curve is taken from 2020-2021.)
    let year_raw: f64 = {
        let mut probe = Rng::stream(6);
        let prev = day(2020, 8, 1);
        (prev..day(2021, 8, 1))
            .map(|z| raw(&mut probe, z, prev))
            .sum()
    };
    let start = day(2021, 8, 1);
    for z in start..=day(2021, 8, AUGUST_2021_LAST_DAY) {
        let v = raw(&mut rng, z, start) * PAGEVIEWS_2021_2022_RATE as f64 / year_raw;
        rows.push((z, (v + 0.5) as u64));
    }
    let mut text = String::from("datum,unieke_paginaweergaven\n");
    for (z, v) in rows {
        text.push_str(&format!("{},{}\n", iso(z), v));
    }
    write_file(dir, "pageviews.csv", text.as_bytes());
}

// =====================================================================================
// Pupil numbers and settings
// =====================================================================================

/// leerlingen-stadsdeel.csv: CBS primary pupils per stadsdeel, 2016/2017 .. 2019/2020.
fn write_leerlingen_stadsdeel(dir: &Path) {
    let mut text = String::from("stadsdeel,schooljaar,leerlingen\n");
    for (y, jaar) in CBS_SCHOOLJAREN.iter().enumerate() {
        for (sd, naam) in STADSDELEN.iter().enumerate() {
            text.push_str(&format!("{naam},{jaar},{}\n", CBS_PUPILS[y][sd]));
        }
    }
    write_file(dir, "leerlingen-stadsdeel.csv", text.as_bytes());
}

/// leerlingen-sector.csv: approximate Amsterdam pupils per sector group.
fn write_leerlingen_sector(dir: &Path) {
    let mut text = String::from("sectorgroep,leerlingen\n");
    for (group, n) in SECTOR_GROUP_PUPILS {
        text.push_str(&format!("{group},{n}\n"));
    }
    write_file(dir, "leerlingen-sector.csv", text.as_bytes());
}

/// oco-report.toml: the report's settings for this data set.
fn write_settings(dir: &Path) {
    write_file(dir, "oco-report.toml", SETTINGS_TOML.as_bytes());
}
