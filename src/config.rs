//! The report's settings: built-in defaults that reproduce the 2021 report, overridden by an
//! optional `oco-report.toml` beside the data.
//!
//! Category lists give both the values the exports may use (matched case-insensitively) and the
//! order in which the report prints its rows.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use serde::Deserialize;

use crate::period::SchoolYear;

/// File name of the settings file, looked up in the data folder.
pub const CONFIG_FILE: &str = "oco-report.toml";

/// A settings file is a few kilobytes; one larger than this is no settings file (the lists
/// in it are bounded anyway, see [`MAX_CATEGORIES`]).
const MAX_SETTINGS_BYTES: u64 = 16 << 20;

/// The most themes `themas` may list: a dossier keeps its themes as a set of places in the
/// list, in two machine words (`model::ThemeSet`).
pub const MAX_THEMES: usize = 128;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Dossier sectors and transition moments, in the helpdesk table's order.
    pub sectors: Vec<String>,
    /// Dossier themes, in the helpdesk table's order.
    pub themes: Vec<String>,
    /// Contact channels of a dossier; [`WEBINAR`] marks questions asked during a webinar.
    pub kanalen: Vec<String>,
    /// The stadsdelen, in the order of the stadsdeel spread table.
    pub stadsdelen: Vec<String>,
    /// Allowed values of `voorlichtingen.stadsdeel`, in the voorlichtingen table's order.
    pub voorlichting_gebieden: Vec<String>,
    /// Row order of the voorlichtingen thema table; themes not listed follow, by total.
    pub voorlichting_themas: Vec<String>,
    /// Row order of the voorlichtingen organisatie table; hosts not listed follow, by total.
    pub voorlichting_organisaties: Vec<String>,
    /// Row order of the passend onderwijs schooltype table.
    pub schooltypes: Vec<String>,
    /// Row order of the passend onderwijs question table; others follow, by count.
    pub passend_vragen: Vec<String>,
    /// Schoolweging bands: each is [lower, upper), the last one [lower, upper].
    pub bands: Vec<Band>,
    /// The groups of "Bereik per sector", keyed by id in `leerlingen-sector.csv`.
    pub sector_groups: Vec<SectorGroup>,
    /// Sector groups of the channel table (ids of `sector_groups`).
    pub kanalen_groepen: Vec<String>,
    /// First day counted by the channel table (the day the WhatsApp channel opened);
    /// `None` counts the whole current school year.
    pub kanalen_vanaf: Option<NaiveDate>,
    /// CBS school year of the pupil counts; `None` takes the latest one not after the report's.
    pub cbs_schooljaar: Option<SchoolYear>,
    /// Per input file (`dossiers`), contract column name → header the export uses instead.
    pub column_renames: BTreeMap<String, BTreeMap<String, String>>,
    /// Subsidy targets per report year (`[doelen.2021]`). A year without an entry gets
    /// [`Doelen::default`], the obligations of 2021; a year with one gets exactly the targets
    /// it lists.
    pub doelen: BTreeMap<i32, Doelen>,
    /// Settings of `oco-report check` (`[check]`).
    pub check: CheckSettings,
    /// Settings of `oco-report import-scholen` (`[import]`).
    pub import: crate::registry::ImportSettings,
}

/// The subsidy targets of one report year Y, each measured over a stated period: school year
/// (Y-1)-Y for dossiers and pageviews, calendar year Y for voorlichtingen. "Last year" is the
/// school year or calendar year before.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Doelen {
    /// Unique pageviews in school year (Y-1)-Y at least this many.
    #[serde(default)]
    pub paginaweergaven: Option<i64>,
    /// Dossiers in school year (Y-1)-Y at least this many.
    #[serde(default)]
    pub dossiers: Option<i64>,
    /// Voorlichtingen (held and planned) in calendar year Y in each of these areas at least as
    /// many as in Y-1 (values of `[voorlichtingen] gebieden`).
    #[serde(default)]
    pub voorlichtingen_stadsdelen: Vec<String>,
    /// Dossiers (excl. webinars) naming a primary school in these stadsdelen, together: school
    /// year (Y-1)-Y at least as many as the one before.
    #[serde(default)]
    pub dossiers_stadsdelen: Vec<String>,
    /// Dossiers in each of these sector groups (ids of `[[sectorgroepen]]`): school year
    /// (Y-1)-Y at least as many as the one before.
    #[serde(default)]
    pub dossiers_sectorgroepen: Vec<String>,
}

impl Default for Doelen {
    /// The obligations of the 2021 subsidy.
    fn default() -> Doelen {
        let stadsdelen = strings(&["Nieuw-West", "Noord", "Zuidoost"]);
        Doelen {
            paginaweergaven: Some(1_500_000),
            dossiers: Some(1_500),
            voorlichtingen_stadsdelen: stadsdelen.clone(),
            dossiers_stadsdelen: stadsdelen,
            dossiers_sectorgroepen: strings(&["voorschoolleeftijd", "mbo"]),
        }
    }
}

/// Settings of `oco-report check`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckSettings {
    /// A change from last year's figure beyond this many percent is a warning (an error under
    /// `--strict`).
    pub tolerantie: f64,
    /// Changes are judged only when the old or the new figure is at least this large, so that
    /// 2 → 5 is no alarm.
    pub minimum: i64,
    /// Categories of last year's report that may be missing this year, as `table/row` (or a
    /// table id for a whole table and all its rows), with the reason.
    pub verdwenen: BTreeMap<String, String>,
}

impl Default for CheckSettings {
    fn default() -> CheckSettings {
        CheckSettings {
            tolerantie: 50.0,
            minimum: 20,
            verdwenen: BTreeMap::new(),
        }
    }
}

/// The channel value of questions registered during a webinar.
pub const WEBINAR: &str = "webinar";

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub lower: f64,
    pub upper: f64,
    /// Closed at the top: only the last band includes its upper edge.
    pub upper_inclusive: bool,
}

impl Band {
    /// `20-25`, the band's key in tables and CSV.
    pub fn key(&self) -> String {
        format!("{}-{}", trim_number(self.lower), trim_number(self.upper))
    }

    pub fn contains(&self, weging: f64) -> bool {
        weging >= self.lower
            && (weging < self.upper || (self.upper_inclusive && weging == self.upper))
    }
}

fn trim_number(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SectorGroup {
    pub id: String,
    /// Row label as the report prints it.
    pub label: String,
    /// Dossier sectors counted in this group.
    pub sectoren: Vec<String>,
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

impl Default for Config {
    fn default() -> Config {
        let group = |id: &str, label: &str, sectoren: &[&str]| SectorGroup {
            id: id.to_string(),
            label: label.to_string(),
            sectoren: strings(sectoren),
        };
        Config {
            sectors: strings(&[
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
            ]),
            themes: strings(&[
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
            ]),
            kanalen: strings(&[
                "telefoon", "e-mail", "whatsapp", "website", "balie", WEBINAR,
            ]),
            stadsdelen: strings(&[
                "Centrum",
                "West",
                "Nieuw-West",
                "Zuid",
                "Oost",
                "Noord",
                "Zuidoost",
            ]),
            voorlichting_gebieden: strings(&[
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
            ]),
            voorlichting_themas: strings(&[
                "Overstap po-vo",
                "Overstap vmbo-mbo",
                "Basisschoolkeuze en stedelijk toelatingsbeleid",
                "Rechten en plichten",
                "Onderwijsstelsel",
                "Ouderbetrokkenheid",
                "Ouderbijdrage",
                "Leerlingvolgsysteem",
                "Corona achterstanden",
            ]),
            voorlichting_organisaties: strings(&[
                "Scholen",
                "Kinderopvang",
                "Buurtcentrum",
                "Weekendschool",
                "Moskee",
                "Facebook",
            ]),
            schooltypes: strings(&[
                "basisonderwijs",
                "overstap naar voortgezet onderwijs",
                "voortgezet onderwijs",
                "(overstap naar) speciaal onderwijs",
                "mbo",
            ]),
            passend_vragen: strings(&[
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
            ]),
            bands: bands_from_edges(&[20.0, 25.0, 30.0, 35.0, 40.0]).expect("default edges rise"),
            sector_groups: vec![
                group(
                    "voorschoolleeftijd",
                    "voorschoolleeftijd (incl voorschoolkeuze en schoolkeuze po)",
                    &["voorschool", "schoolkeuze po"],
                ),
                group(
                    "voorschool-geindiceerd",
                    "voorschool (alleen geïndiceerde kinderen)",
                    &["voorschool"],
                ),
                group("po", "po", &["po"]),
                group("po-vo", "po-vo", &["overstap po-vo"]),
                group("vo", "vo (incl vmbo-mbo)", &["vo", "overstap vmbo-mbo"]),
                group("mbo", "mbo (incl mbo-ho)", &["mbo", "overstap mbo-ho"]),
            ],
            kanalen_groepen: strings(&["po", "vo", "mbo"]),
            kanalen_vanaf: None,
            cbs_schooljaar: None,
            column_renames: BTreeMap::new(),
            doelen: BTreeMap::new(),
            check: CheckSettings::default(),
            import: crate::registry::ImportSettings::default(),
        }
    }
}

/// The most entries a list of the settings may have: a few hundred categories is already more
/// rows than a table of the report can show, and every list becomes tables and charts.
pub const MAX_CATEGORIES: usize = 300;

/// The most schoolweging band edges.
/// Headers of the export columns that hold personal data (those of the CRM's and the
/// voorlichtingen exports in data/): a `[kolommen]` rename onto one of them is a slip
/// that the shape of the values does not always betray (a parent's name looks like any
/// text), so it is refused by name.
const PERSONAL_HEADERS: [&str; 12] = [
    "naam_ouder",
    "ouder",
    "email",
    "e-mail",
    "emailadres",
    "e-mailadres",
    "telefoon",
    "telefoonnummer",
    "notities",
    "contactpersoon",
    "opmerking",
    "opmerkingen",
];

/// The largest target a `[doelen.YEAR]` count may have, as the exports' counts are bounded
/// (whole numbers above 1.000.000.000 are refused).
const MAX_TARGET: i64 = 1_000_000_000;

pub const MAX_BAND_EDGES: usize = 50;

/// Bands from rising edges: [e0,e1), [e1,e2), ..., [en-1,en].
pub fn bands_from_edges(edges: &[f64]) -> Result<Vec<Band>> {
    if let Some(bad) = edges.iter().find(|e| !e.is_finite()) {
        bail!("expected numbers like 20, got {bad}");
    }
    if edges.len() < 2 || edges.len() > MAX_BAND_EDGES {
        bail!(
            "expected from 2 to {MAX_BAND_EDGES} edges, got {}",
            edges.len()
        );
    }
    if let Some(w) = edges.windows(2).find(|w| w[0] >= w[1]) {
        bail!(
            "expected strictly rising edges, got {} followed by {}",
            trim_number(w[0]),
            trim_number(w[1])
        );
    }
    let last = edges.len() - 2;
    Ok(edges
        .windows(2)
        .enumerate()
        .map(|(i, w)| Band {
            lower: w[0],
            upper: w[1],
            upper_inclusive: i == last,
        })
        .collect())
}

/// The settings file as written: every field optional, defaults filled in by [`Config::load`].
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    sectoren: Option<Vec<String>>,
    themas: Option<Vec<String>>,
    kanalen: Option<KanalenFile>,
    stadsdelen: Option<Vec<String>>,
    sectorgroepen: Option<Vec<SectorGroup>>,
    schoolweging: Option<SchoolwegingFile>,
    voorlichtingen: Option<VoorlichtingenFile>,
    passend: Option<PassendFile>,
    cbs: Option<CbsFile>,
    kolommen: Option<BTreeMap<String, BTreeMap<String, String>>>,
    doelen: Option<BTreeMap<String, Doelen>>,
    check: Option<CheckFile>,
    import: Option<crate::registry::ImportSettings>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckFile {
    tolerantie: Option<f64>,
    minimum: Option<i64>,
    verdwenen: Option<BTreeMap<String, String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct KanalenFile {
    waarden: Option<Vec<String>>,
    groepen: Option<Vec<String>>,
    vanaf: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchoolwegingFile {
    grenzen: Vec<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct VoorlichtingenFile {
    gebieden: Option<Vec<String>>,
    themas: Option<Vec<String>>,
    organisaties: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PassendFile {
    schooltypes: Option<Vec<String>>,
    vragen: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CbsFile {
    schooljaar: Option<String>,
}

impl Config {
    /// The settings of the data folder: defaults, overridden by `DIR/oco-report.toml` if present.
    pub fn load(data_dir: &Path) -> Result<Config> {
        let path = data_dir.join(CONFIG_FILE);
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(Config::default());
        }
        let bytes = crate::ingest::regular::read(&path, MAX_SETTINGS_BYTES)
            .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{}: cannot read it as UTF-8 text", path.display()))?;
        Config::from_toml(&text).with_context(|| format!("{}", path.display()))
    }

    /// The settings from the text of an `oco-report.toml`.
    pub fn from_toml(text: &str) -> Result<Config> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut config = Config::default();
        if let Some(v) = file.sectoren {
            config.sectors = v;
        }
        if let Some(v) = file.themas {
            if v.len() > MAX_THEMES {
                bail!("themas: at most {} themes, got {}", MAX_THEMES, v.len());
            }
            config.themes = v;
        }
        if let Some(v) = file.stadsdelen {
            config.stadsdelen = v;
        }
        if let Some(v) = file.sectorgroepen {
            config.sector_groups = v;
        }
        if let Some(k) = file.kanalen {
            if let Some(v) = k.waarden {
                config.kanalen = v;
            }
            if let Some(v) = k.groepen {
                config.kanalen_groepen = v;
            }
            if let Some(v) = k.vanaf {
                config.kanalen_vanaf = Some(toml_date(&v).context("[kanalen] vanaf")?);
            }
        }
        if let Some(s) = file.schoolweging {
            config.bands = bands_from_edges(&s.grenzen).context("[schoolweging] grenzen")?;
        }
        if let Some(v) = file.voorlichtingen {
            if let Some(x) = v.gebieden {
                config.voorlichting_gebieden = x;
            }
            if let Some(x) = v.themas {
                config.voorlichting_themas = x;
            }
            if let Some(x) = v.organisaties {
                config.voorlichting_organisaties = x;
            }
        }
        if let Some(p) = file.passend {
            if let Some(x) = p.schooltypes {
                config.schooltypes = x;
            }
            if let Some(x) = p.vragen {
                config.passend_vragen = x;
            }
        }
        if let Some(c) = file.cbs {
            if let Some(s) = c.schooljaar {
                config.cbs_schooljaar = Some(SchoolYear::parse(&s).with_context(|| {
                    format!("[cbs] schooljaar: expected a school year like 2019/2020, got {s:?}")
                })?);
            }
        }
        if let Some(k) = file.kolommen {
            config.column_renames = k;
        }
        if let Some(doelen) = file.doelen {
            for (year, targets) in doelen {
                let Ok(year) = year.trim().parse::<i32>() else {
                    bail!("[doelen.{year}]: expected a report year, like [doelen.2021]");
                };
                config.doelen.insert(year, targets);
            }
        }
        if let Some(c) = file.check {
            if let Some(t) = c.tolerantie {
                if !(t.is_finite() && t >= 0.0) {
                    bail!("[check] tolerantie: expected a percentage like 50, got {t}");
                }
                config.check.tolerantie = t;
            }
            if let Some(m) = c.minimum {
                if m < 0 {
                    bail!("[check] minimum: expected a number of at least 0, got {m}");
                }
                config.check.minimum = m;
            }
            if let Some(v) = c.verdwenen {
                config.check.verdwenen = v;
            }
        }
        if let Some(import) = file.import {
            config.import = import;
        }
        config.validate()?;
        Ok(config)
    }

    /// Every check of the settings, in one place: `validate`, `build`, `table` and `check` all
    /// read the settings through [`Config::load`], which calls this. Lists are not empty where
    /// the report needs rows, hold no value twice (compared as the exports are matched: case
    /// and surrounding spaces ignored), no empty value, and at most [`MAX_CATEGORIES`]
    /// entries; every reference names a listed value. Each message names the key.
    fn validate(&self) -> Result<()> {
        let lists: [(&str, &[String], bool); 12] = [
            ("sectoren", &self.sectors, true),
            ("themas", &self.themes, true),
            ("[kanalen] waarden", &self.kanalen, true),
            ("[kanalen] groepen", &self.kanalen_groepen, false),
            ("stadsdelen", &self.stadsdelen, true),
            (
                "[voorlichtingen] gebieden",
                &self.voorlichting_gebieden,
                true,
            ),
            ("[voorlichtingen] themas", &self.voorlichting_themas, false),
            (
                "[voorlichtingen] organisaties",
                &self.voorlichting_organisaties,
                false,
            ),
            ("[passend] schooltypes", &self.schooltypes, false),
            ("[passend] vragen", &self.passend_vragen, false),
            ("[[sectorgroepen]] id", &self.sector_group_ids(), true),
            (
                "[[sectorgroepen]] label",
                &self
                    .sector_groups
                    .iter()
                    .map(|g| g.label.clone())
                    .collect::<Vec<_>>(),
                true,
            ),
        ];
        for (key, list, needed) in lists {
            check_categories(key, list, needed)?;
        }
        for group in &self.sector_groups {
            check_categories(
                &format!("[[sectorgroepen]] {} sectoren", group.id),
                &group.sectoren,
                true,
            )?;
        }
        for (year, doelen) in &self.doelen {
            // A target is a count to reach: a negative one is met by nothing at all, and the
            // report would print "Dossiers ≥ -5 ... behaald".
            for (key, target) in [
                ("paginaweergaven", doelen.paginaweergaven),
                ("dossiers", doelen.dossiers),
            ] {
                if let Some(target) = target.filter(|&t| !(0..=MAX_TARGET).contains(&t)) {
                    bail!(
                        "[doelen.{year}] {key}: expected a number from 0 to {MAX_TARGET}, got \
                         {target}"
                    );
                }
            }
            check_list(
                &format!("[doelen.{year}] voorlichtingen_stadsdelen"),
                &doelen.voorlichtingen_stadsdelen,
                false,
            )?;
            check_list(
                &format!("[doelen.{year}] dossiers_stadsdelen"),
                &doelen.dossiers_stadsdelen,
                false,
            )?;
            check_list(
                &format!("[doelen.{year}] dossiers_sectorgroepen"),
                &doelen.dossiers_sectorgroepen,
                false,
            )?;
        }
        if self.doelen.len() > MAX_CATEGORIES {
            bail!(
                "[doelen]: at most {MAX_CATEGORIES} years, got {}",
                self.doelen.len()
            );
        }
        if self.check.verdwenen.len() > MAX_CATEGORIES {
            bail!(
                "[check.verdwenen]: at most {MAX_CATEGORIES} entries, got {}",
                self.check.verdwenen.len()
            );
        }
        for (file, renames) in &self.column_renames {
            let key = format!("[kolommen.{file}]");
            // A misspelt file name renames nothing, silently.
            let files = renamable_files();
            if !files.contains(&file.as_str()) {
                bail!(
                    "{key}: no file {file}.csv has columns to rename; expected one of: {}",
                    files.join(", ")
                );
            }
            if renames.len() > MAX_CATEGORIES {
                bail!(
                    "{key}: at most {MAX_CATEGORIES} columns, got {}",
                    renames.len()
                );
            }
            let headers: Vec<String> = renames.values().cloned().collect();
            if let Err(error) = check_list(&key, &headers, false) {
                bail!("{error:#} (one export column per contract column)");
            }
            for (column, header) in renames {
                let personal = PERSONAL_HEADERS
                    .iter()
                    .any(|p| p.eq_ignore_ascii_case(header.trim()));
                if personal {
                    bail!(
                        "{key} {column}: the export column {header:?} holds personal data \
                         (names, contact details or notes): a contract column is never read \
                         from it, since its values would be shown (explain prints dossier \
                         ids, the data-quality list school names)"
                    );
                }
            }
        }
        for group in &self.sector_groups {
            for sector in &group.sectoren {
                if self.canonical_sector(sector).is_none() {
                    bail!(
                        "[[sectorgroepen]] {}: unknown sector {sector:?}; known: {}",
                        group.id,
                        self.sectors.join(", ")
                    );
                }
            }
        }
        for id in &self.kanalen_groepen {
            if self.sector_group(id).is_none() {
                bail!("[kanalen] groepen: unknown sector group {id:?}");
            }
        }
        for (year, doelen) in &self.doelen {
            for gebied in &doelen.voorlichtingen_stadsdelen {
                if canonical(&self.voorlichting_gebieden, gebied).is_none() {
                    bail!(
                        "[doelen.{year}] voorlichtingen_stadsdelen: unknown area {gebied:?}; \
                         known: {}",
                        self.voorlichting_gebieden.join(", ")
                    );
                }
            }
            for stadsdeel in &doelen.dossiers_stadsdelen {
                if canonical(&self.stadsdelen, stadsdeel).is_none() {
                    bail!(
                        "[doelen.{year}] dossiers_stadsdelen: unknown stadsdeel {stadsdeel:?}; \
                         known: {}",
                        self.stadsdelen.join(", ")
                    );
                }
            }
            for id in &doelen.dossiers_sectorgroepen {
                if self.sector_group(id).is_none() {
                    bail!("[doelen.{year}] dossiers_sectorgroepen: unknown sector group {id:?}");
                }
            }
        }
        Ok(())
    }

    fn sector_group_ids(&self) -> Vec<String> {
        self.sector_groups.iter().map(|g| g.id.clone()).collect()
    }

    /// The subsidy targets of report year `year`: its `[doelen.YEAR]`, else the 2021 defaults.
    pub fn doelen_for(&self, year: i32) -> Doelen {
        self.doelen.get(&year).cloned().unwrap_or_default()
    }

    pub fn sector_group(&self, id: &str) -> Option<&SectorGroup> {
        self.sector_groups
            .iter()
            .find(|g| g.id.eq_ignore_ascii_case(id))
    }

    /// The configured spelling of a sector, matched case-insensitively.
    pub fn canonical_sector(&self, value: &str) -> Option<&str> {
        canonical(&self.sectors, value)
    }

    /// The band a schoolweging falls in, as an index into `bands`.
    pub fn band_of(&self, weging: f64) -> Option<usize> {
        self.bands.iter().position(|b| b.contains(weging))
    }
}

/// [`check_list`] for a list of categories, whose entries have no spaces around them: the
/// exports' values are matched without theirs, so `"po "` would match no cell and every `po`
/// would be an unknown category.
fn check_categories(key: &str, list: &[String], needed: bool) -> Result<()> {
    check_list(key, list, needed)?;
    if let Some((i, item)) = list
        .iter()
        .enumerate()
        .find(|(_, i)| i.trim() != i.as_str())
    {
        bail!(
            "{key}: entry {} ({item:?}) has spaces around it: expected {:?}",
            i + 1,
            item.trim()
        );
    }
    Ok(())
}

/// The files whose columns `[kolommen.FILE]` renames, by their names without `.csv`.
fn renamable_files() -> Vec<&'static str> {
    crate::ingest::EXPORTS
        .iter()
        .chain([&crate::registry::postcode::OVERRIDES_FILE])
        .map(|f| f.trim_end_matches(".csv"))
        .collect()
}

/// A list of the settings: at most [`MAX_CATEGORIES`] entries, none empty or twice (as
/// [`canonical`] compares them), not empty itself when `needed`.
fn check_list(key: &str, list: &[String], needed: bool) -> Result<()> {
    if list.len() > MAX_CATEGORIES {
        bail!(
            "{key}: at most {MAX_CATEGORIES} entries, got {}",
            list.len()
        );
    }
    if needed && list.is_empty() {
        bail!("{key}: expected at least one entry, got an empty list");
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for (i, item) in list.iter().enumerate() {
        let value = item.trim();
        if value.is_empty() {
            bail!("{key}: entry {} is empty: expected a name", i + 1);
        }
        if let Some(c) = value
            .chars()
            .find(|&c| c.is_control() || crate::ingest::personal::is_invisible(c))
        {
            bail!(
                "{key}: entry {} holds the invisible character \\u{{{:x}}}: expected plain text",
                i + 1,
                c as u32
            );
        }
        if let Some(first) = seen.insert(value.to_lowercase(), i) {
            bail!(
                "{key}: {item:?} is listed twice (entries {} and {}): each value once",
                first + 1,
                i + 1
            );
        }
    }
    Ok(())
}

/// The listed spelling of `value`, compared case-insensitively with surrounding spaces ignored.
pub fn canonical<'a>(list: &'a [String], value: &str) -> Option<&'a str> {
    canonical_place(list, value).map(|i| list[i].as_str())
}

/// Where in `list` [`canonical`] finds `value`.
pub fn canonical_place(list: &[String], value: &str) -> Option<usize> {
    let value = value.trim();
    // Between ASCII texts lower-casing is ASCII lower-casing: no allocation (a hot path, once
    // per cell of a million-row export).
    let same = |item: &str| {
        if item.is_ascii() && value.is_ascii() {
            item.eq_ignore_ascii_case(value)
        } else {
            item.to_lowercase() == value.to_lowercase()
        }
    };
    list.iter().position(|item| same(item))
}

fn toml_date(value: &toml::Value) -> Result<NaiveDate> {
    let text = match value {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        other => bail!("expected a date like 2020-12-01, got {other}"),
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .with_context(|| format!("expected a date like 2020-12-01, got {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges_belong_to_the_band_above_and_the_top_edge_to_the_last_band() {
        let config = Config::default();
        assert_eq!(config.band_of(20.0), Some(0));
        assert_eq!(config.band_of(24.99), Some(0));
        assert_eq!(config.band_of(25.0), Some(1));
        assert_eq!(config.band_of(30.0), Some(2));
        assert_eq!(config.band_of(40.0), Some(3));
        assert_eq!(config.band_of(40.01), None);
        assert_eq!(config.band_of(19.99), None);
        assert_eq!(config.bands[0].key(), "20-25");
    }

    #[test]
    fn toml_overrides_defaults_and_keeps_the_rest() {
        let config =
            Config::from_toml("[kanalen]\nvanaf = 2020-12-01\n[cbs]\nschooljaar = \"2018/2019\"\n")
                .unwrap();
        assert_eq!(config.kanalen_vanaf, NaiveDate::from_ymd_opt(2020, 12, 1));
        assert_eq!(config.cbs_schooljaar, Some(SchoolYear(2018)));
        assert_eq!(config.sectors.len(), 13);
        let quoted = Config::from_toml("[kanalen]\nvanaf = \"2020-12-01\"\n").unwrap();
        assert_eq!(quoted.kanalen_vanaf, config.kanalen_vanaf);
    }

    #[test]
    fn at_most_128_themes() {
        let list = |n: usize| {
            (0..n)
                .map(|i| format!("\"thema {i}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert!(Config::from_toml(&format!("themas = [{}]\n", list(128))).is_ok());
        let err = Config::from_toml(&format!("themas = [{}]\n", list(129))).unwrap_err();
        assert!(
            format!("{err:#}").contains("at most 128 themes, got 129"),
            "{err:#}"
        );
    }

    #[test]
    fn unknown_settings_and_sectors_are_errors() {
        assert!(Config::from_toml("onbekend = 1\n").is_err());
        let err = Config::from_toml(
            "[[sectorgroepen]]\nid = \"x\"\nlabel = \"x\"\nsectoren = [\"kleuterschool\"]\n",
        )
        .unwrap_err();
        assert!(format!("{err:#}").contains("kleuterschool"));
    }

    #[test]
    fn targets_default_to_the_2021_obligations_and_a_year_table_replaces_them() {
        let config = Config::from_toml(
            "[doelen.2022]\ndossiers = 1600\n[check]\ntolerantie = 25\n\n\
             [check.verdwenen]\n\"voorlichtingen-thema/Ouderbijdrage\" = \"thema vervallen\"\n",
        )
        .unwrap();
        assert_eq!(config.doelen_for(2021), Doelen::default());
        assert_eq!(config.doelen_for(2021).paginaweergaven, Some(1_500_000));
        let y2022 = config.doelen_for(2022);
        assert_eq!(y2022.dossiers, Some(1600));
        assert_eq!(y2022.paginaweergaven, None);
        assert!(y2022.voorlichtingen_stadsdelen.is_empty());
        assert_eq!(config.check.tolerantie, 25.0);
        assert_eq!(config.check.minimum, 20);
        assert_eq!(config.check.verdwenen.len(), 1);
        let err = Config::from_toml("[doelen.2021]\nvoorlichtingen_stadsdelen = [\"Noordoost\"]\n")
            .unwrap_err();
        assert!(format!("{err:#}").contains("Noordoost"));
        assert!(Config::from_toml("[doelen.volgend]\ndossiers = 1\n").is_err());
        assert!(Config::from_toml("[check]\ntolerantie = -1\n").is_err());
        for bad in ["dossiers = -5", "paginaweergaven = 99999999999999999"] {
            let err = Config::from_toml(&format!("[doelen.2021]\n{bad}\n")).unwrap_err();
            let key = bad.split(' ').next().unwrap();
            assert!(
                format!("{err:#}").contains(&format!("[doelen.2021] {key}")),
                "{err:#}"
            );
        }
    }

    #[test]
    fn a_contract_column_read_from_a_personal_export_column_is_refused() {
        for header in [
            "naam_ouder",
            "Email",
            " telefoon ",
            "notities",
            "contactpersoon",
        ] {
            let toml = format!("[kolommen.dossiers]\ndossier_id = {header:?}\n");
            let err = format!("{:#}", Config::from_toml(&toml).unwrap_err());
            assert!(err.contains("[kolommen.dossiers] dossier_id"), "{err}");
        }
        assert!(Config::from_toml("[kolommen.dossiers]\ndatum = \"Aanmaakdatum\"\n").is_ok());
    }

    #[test]
    fn columns_of_a_file_that_is_no_input_cannot_be_renamed() {
        let err = Config::from_toml("[kolommen.dosiers]\ndatum = \"Aanmaakdatum\"\n").unwrap_err();
        let err = format!("{err:#}");
        assert!(
            err.contains("[kolommen.dosiers]") && err.contains("dossiers"),
            "{err}"
        );
        for file in renamable_files() {
            let toml = format!("[kolommen.{file:?}]\nx = \"y\"\n");
            assert!(Config::from_toml(&toml).is_ok(), "{file}");
        }
    }

    #[test]
    fn a_category_with_spaces_around_it_is_refused() {
        let err = Config::from_toml("themas = [\"schoolkeuze \", \"toelating\"]\n").unwrap_err();
        assert!(
            format!("{err:#}").contains("themas: entry 1 (\"schoolkeuze \") has spaces"),
            "{err:#}"
        );
    }

    #[test]
    fn categories_match_case_insensitively() {
        let config = Config::default();
        assert_eq!(
            config.canonical_sector(" Overstap PO-VO "),
            Some("overstap po-vo")
        );
        assert_eq!(config.canonical_sector("kleuterschool"), None);
    }
}
