//! Generates a large, fictitious data folder to the input contract (`docs/inputs.md`), for
//! benchmarks at a national scale: many steunpunten, ~1M dossiers, tens of millions of
//! pageview rows.
//!
//! ```sh
//! cargo run --release --example generate -- --dossiers 1000000 --pageview-rows 10000000 --out DIR
//! ```
//!
//! Options: `--dossiers N` (default 1.000.000), `--pageview-rows N` (default 10 × dossiers),
//! `--schools N` (default: one per 200 dossiers, at least 200), `--schools-by brin|typed`
//! (default `brin`; see below), `--seed N`, `--out DIR` (required).
//!
//! What it writes (report year 2021: school years 2017-2018 … 2020-2021, plus a few dossiers
//! of 2016-2017 and August 2021 outside every window):
//!
//! - `scholen.csv`: `;`, decimal commas; a synthetic registry with stadsdelen from the
//!   configured seven (some schools outside Amsterdam), schoolwegingen 18-42 (some empty, some
//!   outside the bands), sectors po/so/vo/mbo, aliases for one school in ten.
//! - `dossiers.csv`: `,`, UTF-8; the contract columns plus personal-data columns (name,
//!   e-mail, phone, notes, some quoted with commas). Dates mostly ISO, one in ten Dutch
//!   (`15-03-2021`); schools mostly by `school_brin` (a few brins unknown), some by
//!   `schoolnaam` or alias in another case, some misspelled names that match nothing. With
//!   `--schools-by typed`, as in OCO's own CRM, where the school is a typed name: one dossier in
//!   three names no school, one in ten of the rest a brin, and the others a name as someone
//!   typed it: the registry's name or alias, in another case, without its accents, with its
//!   spaces and punctuation changed (all of which match), or misspelt, without its article or
//!   with "basisschool" before it (which match nothing).
//! - `pageviews.csv`: the plain form with a `pagina` column, one row per page per day, sorted by
//!   day, as analytics exports are (`datum,pagina,unieke_paginaweergaven`).
//! - `voorlichtingen.csv` (one session per 100 dossiers), `leerlingen-stadsdeel.csv`,
//!   `leerlingen-sector.csv`. No `oco-report.toml`: the defaults apply.
//!
//! Seeded (splitmix64, std only): the same arguments write byte for byte the same files.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

const STADSDELEN: [&str; 7] = [
    "Centrum",
    "West",
    "Nieuw-West",
    "Zuid",
    "Oost",
    "Noord",
    "Zuidoost",
];
const SECTORS: [(&str, u32); 13] = [
    ("voorschool", 2),
    ("schoolkeuze po", 3),
    ("po", 23),
    ("overstap po-vo", 25),
    ("vo", 17),
    ("overstap vmbo-mbo", 6),
    ("mbo", 6),
    ("overstap mbo-ho", 2),
    ("overstap vo-ho", 1),
    ("ho", 1),
    ("so", 3),
    ("overstap regulier-so", 2),
    ("overig", 3),
];
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
const KANALEN: [(&str, u32); 6] = [
    ("telefoon", 50),
    ("e-mail", 25),
    ("whatsapp", 8),
    ("website", 7),
    ("balie", 3),
    ("webinar", 7),
];
const HERKOMST: [&str; 7] = [
    "artikel",
    "homepage",
    "voorlichting",
    "okt",
    "eerder-contact",
    "zoekmachine",
    "school",
];
const SCHOOLTYPES: [&str; 5] = [
    "basisonderwijs",
    "overstap naar voortgezet onderwijs",
    "voortgezet onderwijs",
    "(overstap naar) speciaal onderwijs",
    "mbo",
];
const VRAGEN: [&str; 10] = [
    "(onvoldoende) ondersteuning",
    "oneens overstap so/sbo",
    "schoolkeuze/ondersteuningsaanbod",
    "testen/onderzoek",
    "thuiszitten",
    "verwijdering/doublure/verzuim",
    "schorsing en verwijdering gedrag",
    "voorrang schoolkeuze",
    "leerlingdossier",
    "overig",
];
const DIAGNOSES: [&str; 6] = [
    "ADHD",
    "autisme",
    "dyslexie",
    "dyscalculie",
    "hoogbegaafd",
    "angststoornis",
];
const NAME_WORDS: [&str; 16] = [
    "De Regenboog",
    "Het Anker",
    "De Vuurtoren",
    "Sint-Jozefschool",
    "De Kraal",
    "Het Baken",
    "De Meerpaal",
    "'t Kraaiennest",
    "De Zonnewijzer",
    "Het Palet",
    "De Linde",
    "Montessorischool",
    "Daltonschool",
    "De Springplank",
    "Het Klaverblad",
    "École Élan",
];
const VOORLICHTING_THEMAS: [&str; 5] = [
    "Overstap po-vo",
    "Overstap vmbo-mbo",
    "Basisschoolkeuze en stedelijk toelatingsbeleid",
    "Rechten en plichten",
    "Onderwijsstelsel",
];
const ORGANISATIES: [&str; 6] = [
    "Scholen",
    "Kinderopvang",
    "Buurtcentrum",
    "Weekendschool",
    "Moskee",
    "Facebook",
];
const GEBIEDEN: [&str; 11] = [
    "Centrum",
    "Nieuw-West",
    "Noord",
    "Oost",
    "West",
    "Zuid",
    "Zuidoost",
    "Abcoude",
    "Diemen",
    "Landsmeer",
    "Stadsbreed",
];
const SECTOR_GROUP_PUPILS: [(&str, u32); 6] = [
    ("voorschoolleeftijd", 16_000),
    ("voorschool-geindiceerd", 4_000),
    ("po", 66_000),
    ("po-vo", 8_000),
    ("vo", 42_000),
    ("mbo", 27_000),
];
const PAGE_SECTIONS: [&str; 8] = [
    "/artikelen/",
    "/vragen/",
    "/scholen/",
    "/nieuws/",
    "/voorlichtingen/",
    "/passend-onderwijs/",
    "/overstap/",
    "/over-oco/",
];

/// First and last day of the report's four school years (2017-08-01 … 2021-07-31).
const FIRST_DAY: (i32, u32, u32) = (2017, 8, 1);
const DAYS: u32 = 1461;

struct Args {
    dossiers: u64,
    pageview_rows: u64,
    schools: Option<u64>,
    typed_names: bool,
    seed: u64,
    out: PathBuf,
}

fn usage() -> ! {
    eprintln!(
        "usage: generate --out DIR [--dossiers N] [--pageview-rows N] [--schools N] \
         [--schools-by brin|typed] [--seed N]"
    );
    std::process::exit(2)
}

fn parse_args() -> Args {
    let mut args = Args {
        dossiers: 1_000_000,
        pageview_rows: 0,
        schools: None,
        typed_names: false,
        seed: 0x0C0_0005_CA1E,
        out: PathBuf::new(),
    };
    let mut pageviews_given = false;
    let mut it = std::env::args().skip(1);
    let number = |value: Option<String>| -> u64 {
        let value = value.unwrap_or_else(|| usage());
        value
            .replace(['_', '.'], "")
            .parse()
            .unwrap_or_else(|_| usage())
    };
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--dossiers" => args.dossiers = number(it.next()),
            "--pageview-rows" => {
                args.pageview_rows = number(it.next());
                pageviews_given = true;
            }
            "--schools" => args.schools = Some(number(it.next())),
            "--schools-by" => match it.next().as_deref() {
                Some("brin") => args.typed_names = false,
                Some("typed") => args.typed_names = true,
                _ => usage(),
            },
            "--seed" => args.seed = number(it.next()),
            "--out" => args.out = PathBuf::from(it.next().unwrap_or_else(|| usage())),
            "-h" | "--help" => usage(),
            _ => usage(),
        }
    }
    if args.out.as_os_str().is_empty() {
        usage();
    }
    if !pageviews_given {
        args.pageview_rows = args.dossiers * 10;
    }
    args
}

fn main() {
    let args = parse_args();
    fs::create_dir_all(&args.out).expect("create the output folder");
    let n_schools = args
        .schools
        .unwrap_or_else(|| (args.dossiers / 200).max(200)) as usize;
    let schools = schools(n_schools, args.seed);
    write_scholen(&args.out, &schools);
    write_dossiers(
        &args.out,
        &schools,
        args.dossiers,
        args.typed_names,
        args.seed,
    );
    write_pageviews(&args.out, args.pageview_rows, args.seed);
    write_voorlichtingen(&args.out, (args.dossiers / 100).max(50), args.seed);
    write_leerlingen(&args.out, n_schools as u64);
    let size: u64 = fs::read_dir(&args.out)
        .expect("list the output folder")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    eprintln!(
        "wrote {} schools, {} dossiers, {} pageview rows into {} ({:.1} MB)",
        schools.len(),
        args.dossiers,
        args.pageview_rows,
        args.out.display(),
        size as f64 / 1e6
    );
}

// ---------------------------------------------------------------------------------------
// Random numbers and dates
// ---------------------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    /// An independent stream per file, so one file does not reshuffle the others.
    fn stream(seed: u64, part: u64) -> Rng {
        let mut r = Rng(seed ^ part.wrapping_mul(0xA24B_AED4_963E_E407));
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

    /// Uniform in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() >> 32) * n) >> 32
    }

    /// True with probability `percent`/100.
    fn percent(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn weighted<'a>(&mut self, items: &'a [(&'a str, u32)]) -> &'a str {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut at = self.below(u64::from(total)) as u32;
        for (item, weight) in items {
            if at < *weight {
                return item;
            }
            at -= weight;
        }
        items[items.len() - 1].0
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn month_days(y: i32, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day `offset` days after `start`.
fn add_days(start: (i32, u32, u32), offset: u32) -> (i32, u32, u32) {
    let (mut y, mut m, mut d) = start;
    let mut left = offset;
    while left > 0 {
        let rest = month_days(y, m) - d;
        if left <= rest {
            d += left;
            break;
        }
        left -= rest + 1;
        d = 1;
        m += 1;
        if m > 12 {
            m = 1;
            y += 1;
        }
    }
    (y, m, d)
}

fn writer(dir: &Path, name: &str) -> BufWriter<File> {
    let file = File::create(dir.join(name)).unwrap_or_else(|e| panic!("create {name}: {e}"));
    BufWriter::with_capacity(1 << 20, file)
}

// ---------------------------------------------------------------------------------------
// The files
// ---------------------------------------------------------------------------------------

struct School {
    brin: String,
    naam: String,
    alias: Option<String>,
    stadsdeel: Option<&'static str>,
    /// Hundredths.
    weging: Option<u32>,
    sector: &'static str,
}

/// Location codes `00AA00` …: two digits, two letters, two digits, all distinct.
fn brin(i: usize) -> String {
    let letters = |n: usize| (b'A' + (n % 26) as u8) as char;
    format!(
        "{:02}{}{}{:02}",
        i % 100,
        letters(i / 100),
        letters(i / 2600),
        i / 67_600
    )
}

fn schools(n: usize, seed: u64) -> Vec<School> {
    let mut rng = Rng::stream(seed, 1);
    (0..n)
        .map(|i| {
            let word = NAME_WORDS[i % NAME_WORDS.len()];
            let sector = match rng.below(100) {
                0..=79 => "po",
                80..=86 => "so",
                87..=96 => "vo",
                _ => "mbo",
            };
            School {
                brin: brin(i),
                naam: format!("{word} {}", i + 1),
                alias: (i % 10 == 3).then(|| format!("{word}school {}", i + 1)),
                stadsdeel: (!rng.percent(8)).then(|| *rng.pick(&STADSDELEN)),
                weging: (!rng.percent(5)).then(|| 1800 + rng.below(2401) as u32),
                sector,
            }
        })
        .collect()
}

fn write_scholen(dir: &Path, schools: &[School]) {
    let mut w = writer(dir, "scholen.csv");
    writeln!(w, "brin;naam;stadsdeel;schoolweging;sector;aliassen").unwrap();
    for s in schools {
        let weging = s
            .weging
            .map(|h| format!("{},{:02}", h / 100, h % 100))
            .unwrap_or_default();
        writeln!(
            w,
            "{};{};{};{};{};{}",
            s.brin,
            s.naam,
            s.stadsdeel.unwrap_or(""),
            weging,
            s.sector,
            s.alias.as_deref().unwrap_or("")
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn write_dossiers(dir: &Path, schools: &[School], n: u64, typed_names: bool, seed: u64) {
    let mut rng = Rng::stream(seed, 2);
    let mut w = writer(dir, "dossiers.csv");
    writeln!(
        w,
        "dossier_id,datum,sector,themas,kanaal,herkomst,school_brin,schoolnaam,contactmomenten,\
         passend_onderwijs,schooltype,vragen,diagnoses,naam_ouder,email,telefoon,notities"
    )
    .unwrap();
    let mut themas = String::new();
    for i in 0..n {
        // Spread over the four school years in date order, a few before and after.
        let offset = (i * u64::from(DAYS) / n.max(1)) as u32;
        let (y, m, d) = match i % 500 {
            0 => add_days((2016, 9, 1), offset % 300),
            1 => add_days((2021, 8, 1), offset % 25),
            _ => add_days(FIRST_DAY, offset),
        };
        let datum = if rng.percent(10) {
            format!("{d:02}-{m:02}-{y}")
        } else {
            format!("{y}-{m:02}-{d:02}")
        };
        let sector = rng.weighted(&SECTORS);
        themas.clear();
        for k in 0..(rng.below(3)) {
            if k > 0 {
                themas.push('|');
            }
            let thema: &&str = rng.pick(&THEMES);
            themas.push_str(thema);
        }
        let kanaal = rng.weighted(&KANALEN);
        let herkomst = if rng.percent(40) {
            ""
        } else {
            rng.pick(&HERKOMST)
        };
        let school = rng.pick(schools);
        let (brin, naam): (&str, String) = if typed_names {
            typed_school(&mut rng, school)
        } else {
            match rng.below(100) {
                0..=59 => (&school.brin, String::new()),
                60..=61 => ("99ZZ99", String::new()),
                62..=71 => ("", school.naam.to_uppercase()),
                72..=74 => (
                    "",
                    school.alias.clone().unwrap_or_else(|| school.naam.clone()),
                ),
                75..=76 => ("", format!("{}e", school.naam)),
                _ => ("", String::new()),
            }
        };
        let contact = if rng.percent(20) {
            String::new()
        } else {
            (1 + rng.below(9)).to_string()
        };
        let passend = rng.percent(20);
        let (schooltype, vragen, diagnoses) = if passend {
            let vragen = if rng.percent(70) {
                rng.pick(&VRAGEN).to_string()
            } else {
                format!("{}|{}", rng.pick(&VRAGEN), rng.pick(&VRAGEN))
            };
            let diagnoses = if rng.percent(50) {
                ""
            } else {
                rng.pick(&DIAGNOSES)
            };
            (*rng.pick(&SCHOOLTYPES), vragen, diagnoses)
        } else {
            ("", String::new(), "")
        };
        let notities = match rng.below(10) {
            0 => "\"Belt terug, ouder werkt overdag\"",
            1 => "\"Vraag over toelating, broertje zit al op school\"",
            _ => "",
        };
        writeln!(
            w,
            "D{:08},{datum},{sector},{themas},{kanaal},{herkomst},{brin},{naam},{contact},{},\
             {schooltype},{vragen},{diagnoses},Ouder {i:08},ouder{i:08}@example.org,06-{:08},{notities}",
            i + 1,
            if passend { "ja" } else { "nee" },
            i % 100_000_000,
        )
        .unwrap();
    }
    w.flush().unwrap();
}

/// The school of a dossier in a CRM where it is typed: see the module's documentation.
fn typed_school<'a>(rng: &mut Rng, school: &'a School) -> (&'a str, String) {
    if rng.below(3) == 0 {
        return ("", String::new());
    }
    if rng.percent(10) {
        return (&school.brin, String::new());
    }
    let naam = &school.naam;
    let typed = match rng.below(100) {
        0..=34 => naam.clone(),
        35..=49 => naam.to_lowercase(),
        50..=54 => naam.to_uppercase(),
        55..=64 => school.alias.clone().unwrap_or_else(|| naam.clone()),
        65..=69 => naam.replace(['É', 'é'], "E").replace('\'', ""),
        70..=77 => naam.replacen(' ', "  ", 1).replace('-', " "),
        78..=87 => {
            // One letter dropped, at one of three places per school: a few spellings each.
            let letters: Vec<char> = naam.chars().collect();
            let at = 1 + (rng.below(3) as usize * 3) % (letters.len() - 1);
            letters[..at].iter().chain(&letters[at + 1..]).collect()
        }
        88..=93 => naam
            .split_once(' ')
            .filter(|(first, _)| ["De", "Het", "'t"].contains(first))
            .map_or_else(|| format!("{naam}e"), |(_, rest)| rest.to_string()),
        _ => format!("basisschool {naam}"),
    };
    ("", typed)
}

fn write_pageviews(dir: &Path, rows: u64, seed: u64) {
    let mut rng = Rng::stream(seed, 3);
    let mut w = writer(dir, "pageviews.csv");
    writeln!(w, "datum,pagina,unieke_paginaweergaven").unwrap();
    let per_day = rows / u64::from(DAYS);
    let extra = rows % u64::from(DAYS);
    for day in 0..DAYS {
        let (y, m, d) = add_days(FIRST_DAY, day);
        let pages = per_day + u64::from(u64::from(day) < extra);
        for page in 0..pages {
            let section = PAGE_SECTIONS[(page % PAGE_SECTIONS.len() as u64) as usize];
            let views = 1 + rng.below(120);
            writeln!(w, "{y}-{m:02}-{d:02},{section}{page}-pagina,{views}").unwrap();
        }
    }
    w.flush().unwrap();
}

fn write_voorlichtingen(dir: &Path, n: u64, seed: u64) {
    let mut rng = Rng::stream(seed, 4);
    let mut w = writer(dir, "voorlichtingen.csv");
    writeln!(
        w,
        "datum;stadsdeel;thema;organisatie;vorm;locaties;deelnemers;status"
    )
    .unwrap();
    for i in 0..n {
        // Calendar years 2017 … 2021.
        let (y, m, d) = add_days((2017, 1, 1), (i * 1826 / n) as u32);
        let vorm = *rng.pick(&["fysiek", "fysiek", "webinar", "facebook-live"]);
        let locaties = if vorm == "webinar" && rng.percent(20) {
            (2 + rng.below(10)).to_string()
        } else {
            String::new()
        };
        let status = match rng.below(20) {
            0 => "geannuleerd",
            1 => "gepland",
            _ => "uitgevoerd",
        };
        writeln!(
            w,
            "{d:02}-{m:02}-{y};{};{};{};{vorm};{locaties};{};{status}",
            rng.pick(&GEBIEDEN),
            rng.pick(&VOORLICHTING_THEMAS),
            rng.pick(&ORGANISATIES),
            5 + rng.below(80),
        )
        .unwrap();
    }
    w.flush().unwrap();
}

fn write_leerlingen(dir: &Path, schools: u64) {
    let mut w = writer(dir, "leerlingen-stadsdeel.csv");
    writeln!(w, "stadsdeel,schooljaar,leerlingen").unwrap();
    for year in 2016..=2020 {
        for (i, stadsdeel) in STADSDELEN.iter().enumerate() {
            // About 250 pupils per primary school, spread over the stadsdelen.
            let pupils = schools * 250 * (10 + i as u64) / 91 + (year - 2016) as u64 * 100;
            writeln!(w, "{stadsdeel},{year}/{},{pupils}", year + 1).unwrap();
        }
    }
    w.flush().unwrap();
    let mut w = writer(dir, "leerlingen-sector.csv");
    writeln!(w, "sectorgroep,leerlingen").unwrap();
    let scale = (schools / 200).max(1);
    for (group, pupils) in SECTOR_GROUP_PUPILS {
        writeln!(w, "{group},{}", u64::from(pupils) * scale).unwrap();
    }
    w.flush().unwrap();
}
