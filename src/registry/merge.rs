//! Merging what the DUO files and the Inspectie's workbook give into the registry
//! (`scholen.csv`) and the pupil counts (`leerlingen-stadsdeel.csv`) already in the data
//! folder: a re-import keeps the user's aliases, overrides and closed schools.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::config::Config;
use crate::ingest::names::normalize_name;
use crate::model::{School, StadsdeelPupils};
use crate::period::SchoolYear;

use super::duo::{DuoFile, DuoKind, Location};
use super::postcode::{Lookup, Override, Placement, PostcodeTable, configured};
use super::schoolweging::Workbook;

/// A location as imported: what DUO says, where it was placed.
#[derive(Debug, Clone)]
pub struct Imported {
    pub location: Location,
    /// The file its name and postcode come from.
    pub file: String,
    /// Names other files give the same location.
    pub other_names: Vec<String>,
    pub placed: Placed,
}

/// Where a location was placed, and how.
#[derive(Debug, Clone, PartialEq)]
pub enum Placed {
    In {
        stadsdeel: String,
        how: Placement,
        /// Other stadsdelen its 4-digit postcode reaches: worth a look.
        straddles: Vec<String>,
    },
    /// Not placed: why.
    Not(String),
}

impl Placed {
    pub fn stadsdeel(&self) -> Option<&str> {
        match self {
            Placed::In { stadsdeel, .. } => Some(stadsdeel),
            Placed::Not(_) => None,
        }
    }
}

/// The locations of all DUO files, one per code: a register's name and postcode before a
/// pupil file's, the first file given before later ones.
pub fn combine_locations(
    files: &[DuoFile],
    table: &PostcodeTable,
    overrides: &BTreeMap<String, Override>,
    config: &Config,
    today: NaiveDate,
) -> BTreeMap<String, Imported> {
    let mut ordered: Vec<&DuoFile> = files.iter().collect();
    ordered.sort_by_key(|f| f.kind != DuoKind::Register);
    // A file without a reference date (a register) describes the moment of the files beside
    // it, if they say; else today.
    let latest = files.iter().filter_map(|f| f.reference_date).max();
    let mut imported: BTreeMap<String, Imported> = BTreeMap::new();
    for file in ordered {
        let day = file.reference_date.or(latest).unwrap_or(today);
        for (code, location) in &file.locations {
            match imported.get_mut(code) {
                Some(known) => {
                    let same =
                        normalize_name(&known.location.name) == normalize_name(&location.name);
                    if !same && !known.other_names.contains(&location.name) {
                        known.other_names.push(location.name.clone());
                    }
                }
                None => {
                    let placed = place(location, table, overrides, config, day);
                    imported.insert(
                        code.clone(),
                        Imported {
                            location: location.clone(),
                            file: file.file.clone(),
                            other_names: Vec::new(),
                            placed,
                        },
                    );
                }
            }
        }
    }
    imported
}

fn place(
    location: &Location,
    table: &PostcodeTable,
    overrides: &BTreeMap<String, Override>,
    config: &Config,
    day: NaiveDate,
) -> Placed {
    let over = overrides
        .get(&location.code)
        .or_else(|| overrides.get(&location.code[..4]));
    if let Some(over) = over {
        return Placed::In {
            stadsdeel: over.stadsdeel.clone(),
            how: Placement::Override,
            straddles: Vec::new(),
        };
    }
    match table.lookup(&location.postcode, day) {
        Lookup::Found { area, placement } => match configured(config, &area.stadsdeel) {
            Some(stadsdeel) => Placed::In {
                stadsdeel: stadsdeel.to_string(),
                how: placement,
                straddles: area.straddles.clone(),
            },
            None => Placed::Not(format!(
                "postcode {} lies in {} on {day}, which is not one of the stadsdelen of \
                 oco-report.toml",
                location.postcode, area.stadsdeel
            )),
        },
        Lookup::Invalid | Lookup::Unknown => Placed::Not(format!(
            "postcode {} is not in the postcode table on {day}",
            location.postcode
        )),
    }
}

/// A school of the new registry, and what happened to it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub school: School,
    /// Imported now (else kept from the old registry: closed, or of a file not imported).
    pub imported: bool,
    pub street: Option<String>,
    pub postcode: Option<String>,
}

/// A name changed to tell schools apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Clash {
    pub brin: String,
    pub from: String,
    pub to: String,
}

/// What the merge changed against the old registry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Changes {
    pub added: Vec<String>,
    /// Old schools no imported file names: kept, listed.
    pub not_imported: Vec<String>,
    /// Code, old stadsdeel, new stadsdeel.
    pub moved: Vec<(String, String, String)>,
    /// Code, old name, new name.
    pub renamed: Vec<(String, String, String)>,
}

#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub entries: Vec<Entry>,
    pub clashes: Vec<Clash>,
    pub changes: Changes,
    /// Aliases left out because another school has that name or alias.
    pub aliases_dropped: Vec<(String, String)>,
    pub aliases_added: usize,
}

/// The new registry: every imported location, and every old school no file names (closed
/// schools stay, since old dossiers still name them).
pub fn registry(imported: &BTreeMap<String, Imported>, old: &[School]) -> Registry {
    let old_by_code: BTreeMap<&str, &School> = old.iter().map(|s| (s.brin.as_str(), s)).collect();
    let mut changes = Changes::default();
    let mut entries: Vec<Entry> = Vec::new();
    for (code, location) in imported {
        let before = old_by_code.get(code.as_str());
        let stadsdeel = location.placed.stadsdeel().map(str::to_string);
        match before {
            None => changes.added.push(code.clone()),
            Some(before) if before.stadsdeel != stadsdeel => changes.moved.push((
                code.clone(),
                before.stadsdeel.clone().unwrap_or_default(),
                stadsdeel.clone().unwrap_or_default(),
            )),
            Some(_) => {}
        }
        entries.push(Entry {
            school: School {
                line: 0,
                brin: code.clone(),
                naam: location.location.name.clone(),
                stadsdeel,
                schoolweging: before.and_then(|b| b.schoolweging),
                sector: before.map_or_else(|| "po".to_string(), |b| b.sector.clone()),
                aliassen: before.map(|b| b.aliassen.clone()).unwrap_or_default(),
            },
            imported: true,
            street: location.location.street.clone(),
            postcode: Some(location.location.postcode.clone()),
        });
    }
    for school in old {
        if !imported.contains_key(&school.brin) {
            changes.not_imported.push(school.brin.clone());
            entries.push(Entry {
                school: school.clone(),
                imported: false,
                street: None,
                postcode: None,
            });
        }
    }
    entries.sort_by(|a, b| a.school.brin.cmp(&b.school.brin));
    let clashes = unique_names(&mut entries);
    let mut registry = Registry {
        entries,
        clashes,
        changes,
        ..Registry::default()
    };
    add_aliases(&mut registry, imported, &old_by_code);
    registry
}

/// Makes the names of imported schools unique after normalisation: a name another school
/// already uses (a kept school's name, anyone's alias, another imported location) gets the
/// street added, else the postcode, else the location code.
fn unique_names(entries: &mut [Entry]) -> Vec<Clash> {
    let mut clashes = Vec::new();
    for round in 0..3 {
        let mut owners: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            owners
                .entry(normalize_name(&entry.school.naam))
                .or_default()
                .insert(i);
        }
        // Aliases of schools: kept as the user wrote them, so names give way to them.
        for (i, entry) in entries.iter().enumerate() {
            for alias in &entry.school.aliassen {
                owners.entry(normalize_name(alias)).or_default().insert(i);
            }
        }
        let mut changed = false;
        for i in 0..entries.len() {
            if !entries[i].imported {
                continue;
            }
            let key = normalize_name(&entries[i].school.naam);
            if owners.get(&key).is_none_or(|o| o.len() < 2) {
                continue;
            }
            let entry = &entries[i];
            let suffix = match round {
                0 => entry.street.clone().or_else(|| entry.postcode.clone()),
                1 => entry.postcode.clone(),
                _ => None,
            }
            .unwrap_or_else(|| entry.school.brin.clone());
            let from = entry.school.naam.clone();
            let to = format!("{from} ({suffix})");
            clashes.push(Clash {
                brin: entry.school.brin.clone(),
                from,
                to: to.clone(),
            });
            entries[i].school.naam = to;
            changed = true;
        }
        if !changed {
            break;
        }
    }
    // A clash resolved over two rounds is one change: from the first name to the last.
    let mut merged: Vec<Clash> = Vec::new();
    for clash in clashes {
        match merged.iter_mut().find(|c| c.brin == clash.brin) {
            Some(first) => first.to = clash.to,
            None => merged.push(clash),
        }
    }
    merged.sort_by(|a, b| a.brin.cmp(&b.brin));
    merged
}

/// School-type words DUO puts before the name parents use ("Openbare Basisschool De Kaap" →
/// "De Kaap"), longest first.
const PREFIXES: &[&str] = &[
    "algemeen bijzondere basisschool",
    "protestants christelijke basisschool",
    "rooms katholieke basisschool",
    "r k basisschool",
    "openbare montessorischool",
    "openbare basisschool",
    "katholieke basisschool",
    "christelijke basisschool",
    "oecumenische basisschool",
    "evangelische basisschool",
    "islamitische basisschool",
    "chr nat basissch",
    "isl bas",
    "brede school",
    "basisschool",
    "openbare",
    "obs",
    "rkbs",
    "pcbs",
    "cbs",
    "bs",
];

/// A name's normalised key, and its key without the school-type prefix.
fn name_keys(name: &str) -> Vec<String> {
    std::iter::once(normalize_name(name))
        .chain(without_prefix(name).map(|n| normalize_name(&n)))
        .collect()
}

/// The name without its school-type prefix (and quotes around what is left), or `None` when
/// it has none.
pub fn without_prefix(name: &str) -> Option<String> {
    let words: Vec<&str> = name.split_whitespace().collect();
    for prefix in PREFIXES {
        let prefix_words = prefix.split(' ').count();
        for take in 1..=words.len().saturating_sub(1).min(prefix_words + 1) {
            if normalize_name(&words[..take].join(" ")) == *prefix {
                let rest = words[take..].join(" ");
                let rest = rest.trim_matches(|c| c == '"' || c == '\'').to_string();
                return (!normalize_name(&rest).is_empty()).then_some(rest);
            }
        }
    }
    None
}

/// Aliases: the user's (kept), the old name of a renamed school, names other files give the
/// location, and the name without its school-type prefix; each only where no other school
/// has it as name or alias.
fn add_aliases(
    registry: &mut Registry,
    imported: &BTreeMap<String, Imported>,
    old_by_code: &BTreeMap<&str, &School>,
) {
    let mut claims: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    let mut candidates: Vec<Vec<String>> = Vec::new();
    for (i, entry) in registry.entries.iter().enumerate() {
        let mut names = Vec::new();
        if entry.imported {
            let code = entry.school.brin.as_str();
            if let Some(before) = old_by_code.get(code) {
                if before.naam != entry.school.naam {
                    registry.changes.renamed.push((
                        code.to_string(),
                        before.naam.clone(),
                        entry.school.naam.clone(),
                    ));
                    names.push(before.naam.clone());
                }
            }
            if let Some(location) = imported.get(code) {
                names.extend(location.other_names.iter().cloned());
                names.extend(without_prefix(&location.location.name));
                names.extend(
                    location
                        .other_names
                        .iter()
                        .filter_map(|n| without_prefix(n)),
                );
            }
        }
        let mut seen = BTreeSet::new();
        names.retain(|n| seen.insert(normalize_name(n)));
        for name in entry.school.aliassen.iter().chain(&names) {
            claims.entry(normalize_name(name)).or_default().insert(i);
        }
        claims
            .entry(normalize_name(&entry.school.naam))
            .or_default()
            .insert(i);
        candidates.push(names);
    }
    for (i, names) in candidates.into_iter().enumerate() {
        let entry = &mut registry.entries[i];
        let mut keys: BTreeSet<String> = std::iter::once(&entry.school.naam)
            .chain(&entry.school.aliassen)
            .map(|n| normalize_name(n))
            .collect();
        for name in names {
            let key = normalize_name(&name);
            if key.is_empty() || keys.contains(&key) {
                continue;
            }
            if claims.get(&key).is_some_and(|owners| owners.len() > 1) {
                registry
                    .aliases_dropped
                    .push((entry.school.brin.clone(), name));
                continue;
            }
            keys.insert(key);
            entry.school.aliassen.push(name);
            registry.aliases_added += 1;
        }
    }
}

/// How the workbook's rows joined the registry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Join {
    /// Joined by brin (one location) or by location code.
    pub by_code: usize,
    pub by_name: usize,
    /// Rows of the workbook for a brin in the registry that joined no school (code, name).
    pub unjoined: Vec<(usize, String, String)>,
    /// Rows whose brin is not in the municipality's registry.
    pub elsewhere: usize,
    /// Imported schools (sector po) the workbook has no row for; they keep the value
    /// `scholen.csv` had, if any.
    pub missing: Vec<String>,
    /// Imported schools whose joined row publishes none (too few pupils).
    pub not_published: Vec<String>,
}

/// Sets the schoolweging of imported schools from the workbook: by location code when the
/// workbook gives one, by brin where both the registry and the workbook have one location of
/// it, else by normalised name among the brin's locations.
pub fn join_schoolweging(registry: &mut Registry, workbook: &Workbook) -> Join {
    let mut join = Join::default();
    let mut by_brin: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, entry) in registry.entries.iter().enumerate() {
        if entry.imported {
            by_brin.entry(&entry.school.brin[..4]).or_default().push(i);
        }
    }
    let mut rows_per_brin: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &workbook.rows {
        if let Some(brin) = &row.brin {
            *rows_per_brin.entry(brin).or_default() += 1;
        }
    }
    let mut values: BTreeMap<usize, Option<f64>> = BTreeMap::new();
    for row in &workbook.rows {
        let Some(brin) = row.brin.as_deref() else {
            continue;
        };
        let Some(locations) = by_brin.get(brin) else {
            join.elsewhere += 1;
            continue;
        };
        let by_code = row.location.as_ref().and_then(|code| {
            locations
                .iter()
                .copied()
                .find(|&i| registry.entries[i].school.brin == *code)
        });
        let only_one = (locations.len() == 1 && rows_per_brin[brin] == 1).then(|| locations[0]);
        let found = if let Some(i) = by_code.or(only_one) {
            join.by_code += 1;
            Some(i)
        } else {
            // The Inspectie and DUO do not always both write the school type before the name.
            let keys = name_keys(&row.naam);
            let named: Vec<usize> = locations
                .iter()
                .copied()
                .filter(|&i| {
                    let school = &registry.entries[i].school;
                    std::iter::once(&school.naam)
                        .chain(&school.aliassen)
                        .flat_map(|n| name_keys(n))
                        .any(|k| keys.contains(&k))
                })
                .collect();
            match named[..] {
                [i] => {
                    join.by_name += 1;
                    Some(i)
                }
                _ => None,
            }
        };
        match found {
            Some(i) if !values.contains_key(&i) => {
                values.insert(i, row.schoolweging);
            }
            _ => join
                .unjoined
                .push((row.row, row.code.clone(), row.naam.clone())),
        }
    }
    for (i, entry) in registry.entries.iter_mut().enumerate() {
        if !entry.imported {
            continue;
        }
        match values.get(&i) {
            Some(Some(value)) => entry.school.schoolweging = Some(*value),
            Some(None) => {
                entry.school.schoolweging = None;
                join.not_published.push(entry.school.brin.clone());
            }
            // A value of an earlier publication is better than none: kept, and listed.
            None => {
                if entry.school.sector == "po" {
                    join.missing.push(entry.school.brin.clone());
                }
            }
        }
    }
    join
}

/// Pupils of the imported pupil files per stadsdeel and school year, counted by the
/// location of the school; and the pupils of locations not placed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pupils {
    pub per_stadsdeel: BTreeMap<(SchoolYear, String), i64>,
    pub not_placed: BTreeMap<SchoolYear, i64>,
    /// The reference dates of the files, per school year.
    pub dates: BTreeMap<SchoolYear, BTreeSet<NaiveDate>>,
}

pub fn pupils(files: &[DuoFile], imported: &BTreeMap<String, Imported>) -> Pupils {
    let mut pupils = Pupils::default();
    let mut seen: BTreeSet<(String, SchoolYear)> = BTreeSet::new();
    for file in files.iter().filter(|f| f.kind == DuoKind::PupilCounts) {
        for ((code, year), count) in &file.pupils {
            // Two files of the same school year count a location once: the first file's.
            if !seen.insert((code.clone(), *year)) {
                continue;
            }
            if let Some(date) = file.reference_date {
                pupils.dates.entry(*year).or_default().insert(date);
            }
            match imported.get(code).and_then(|l| l.placed.stadsdeel()) {
                Some(stadsdeel) => {
                    *pupils
                        .per_stadsdeel
                        .entry((*year, stadsdeel.to_string()))
                        .or_default() += count
                }
                None => *pupils.not_placed.entry(*year).or_default() += count,
            }
        }
    }
    pupils
}

/// One row of the new `leerlingen-stadsdeel.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct PupilRow {
    pub stadsdeel: String,
    pub schooljaar: SchoolYear,
    pub leerlingen: i64,
    pub bron: String,
}

/// The old rows with the imported school years replaced: (new rows, replaced (old, new)).
pub fn pupil_rows(
    old: &[(StadsdeelPupils, String)],
    pupils: &Pupils,
    config: &Config,
) -> (Vec<PupilRow>, Vec<(PupilRow, Option<i64>)>) {
    let years: BTreeSet<SchoolYear> = pupils.per_stadsdeel.keys().map(|(y, _)| *y).collect();
    let mut rows: Vec<PupilRow> = old
        .iter()
        .filter(|(p, _)| !years.contains(&p.schooljaar))
        .map(|(p, bron)| PupilRow {
            stadsdeel: p.stadsdeel.clone(),
            schooljaar: p.schooljaar,
            leerlingen: p.leerlingen,
            bron: bron.clone(),
        })
        .collect();
    let mut changed = Vec::new();
    for year in &years {
        let dates: Vec<String> = pupils
            .dates
            .get(year)
            .into_iter()
            .flatten()
            .map(|d| d.to_string())
            .collect();
        let bron = format!(
            "DUO, leerlingen naar schoolvestiging (niet naar woonadres), peildatum {}",
            dates.join(" en ")
        );
        for stadsdeel in &config.stadsdelen {
            let count = pupils
                .per_stadsdeel
                .get(&(*year, stadsdeel.clone()))
                .copied()
                .unwrap_or(0);
            let before = old
                .iter()
                .find(|(p, _)| p.schooljaar == *year && p.stadsdeel == *stadsdeel)
                .map(|(p, _)| p.leerlingen);
            let row = PupilRow {
                stadsdeel: stadsdeel.clone(),
                schooljaar: *year,
                leerlingen: count,
                bron: bron.clone(),
            };
            if before != Some(count) {
                changed.push((row.clone(), before));
            }
            rows.push(row);
        }
    }
    let place = |s: &str| config.stadsdelen.iter().position(|x| x == s);
    rows.sort_by(|a, b| {
        (a.schooljaar, place(&a.stadsdeel), &a.stadsdeel).cmp(&(
            b.schooljaar,
            place(&b.stadsdeel),
            &b.stadsdeel,
        ))
    });
    (rows, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn school_type_prefixes_come_off() {
        assert_eq!(
            without_prefix("Openbare Basisschool De Kaap").as_deref(),
            Some("De Kaap")
        );
        assert_eq!(
            without_prefix("Rooms Katholieke Basisschool Het Koggeschip").as_deref(),
            Some("Het Koggeschip")
        );
        assert_eq!(
            without_prefix("R.K. Basisschool De Pijp").as_deref(),
            Some("De Pijp")
        );
        assert_eq!(without_prefix("OBS De Kraal").as_deref(), Some("De Kraal"));
        assert_eq!(
            without_prefix("Basisschool \"De Maasparel\"").as_deref(),
            Some("De Maasparel")
        );
        assert_eq!(without_prefix("Basisschool"), None);
        assert_eq!(without_prefix("Asvo School"), None);
        assert_eq!(without_prefix("Bosschool"), None);
    }
}
