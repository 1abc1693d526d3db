//! `dossiers.csv`: the helpdesk CRM export, one row per dossier.
//!
//! The export also carries the parent's name, e-mail, phone number and notes; those columns are
//! not selected, so they are never read past the csv record nor shown in an error.

use std::hash::BuildHasher;
use std::path::Path;

use super::csv::{Column, FileRead, Row, RowErrors, Spellings, read_rows};
use super::names::{NamedSchool, SchoolIndex, named_school};
use super::reader_choice::{self, ReaderChoice};
use super::{InputError, InputErrors};
use crate::config::Config;
use crate::frames::DossierFrames;
use crate::model::{CompactString, Dossier, School};

pub const FILE: &str = "dossiers.csv";

mod fast;

pub use fast::{Declined, Split};

const COLUMNS: &[Column] = &[
    Column::required("dossier_id"),
    Column::required("datum"),
    Column::required("sector"),
    Column::required("themas"),
    Column::required("kanaal"),
    Column::optional("herkomst"),
    Column::optional("school_brin"),
    Column::optional("schoolnaam"),
    Column::optional("contactmomenten"),
    Column::optional("passend_onderwijs"),
    Column::optional("schooltype"),
    Column::optional("vragen"),
    Column::optional("diagnoses"),
];

pub fn read(path: &Path, config: &Config, scholen: &[School]) -> Result<Vec<Dossier>, InputErrors> {
    read_file(path, config, scholen).into_result()
}

/// The dossiers without a problem, every problem, and the counts of the rows, read by the
/// reader `OCO_READER` chooses ([`reader_choice`]).
pub fn read_file(path: &Path, config: &Config, scholen: &[School]) -> FileRead<Dossier> {
    read_with(path, config, scholen, ReaderChoice::of_this_run()).0
}

/// [`read_file`] with the given choice of reader, and which reader read the file: with
/// [`ReaderChoice::Fast`], a large export without a problem is read on every core (see
/// `fast`), any other row by row.
pub fn read_with(
    path: &Path,
    config: &Config,
    scholen: &[School],
    choice: ReaderChoice,
) -> (FileRead<Dossier>, ReaderChoice) {
    read_split(path, config, scholen, choice, Split::per_core())
}

/// [`read_with`], the fast path splitting the file as `parts` says. The two readers must read
/// every file the fast path takes to the same dossiers: `tests/reader_agreement.rs` holds them
/// to it with [`Split::small`], which splits small files too.
pub fn read_split(
    path: &Path,
    config: &Config,
    scholen: &[School],
    choice: ReaderChoice,
    parts: Split,
) -> (FileRead<Dossier>, ReaderChoice) {
    if choice == ReaderChoice::Fast {
        match fast::read(path, config, scholen, parts) {
            Ok(dossiers) => {
                let rows = dossiers.len();
                return (taken_by_fast_path(path, dossiers, rows), ReaderChoice::Fast);
            }
            Err(declined) => reader_choice::declined(FILE, declined.rule, declined.line),
        }
    }
    (read_careful(path, config, scholen), ReaderChoice::Careful)
}

/// [`read_split`] for a build, which wants the dossiers as frames: the fast path puts each
/// part's rows straight into frames, and no list of all dossiers is made (the list's
/// `rows` are then empty, `stats` count them). When the careful reader reads the file, the
/// list as [`read_split`] gives it, and no frames.
pub fn read_frames_split(
    path: &Path,
    config: &Config,
    scholen: &[School],
    choice: ReaderChoice,
    parts: Split,
) -> (FileRead<Dossier>, Option<DossierFrames>, ReaderChoice) {
    if choice == ReaderChoice::Fast {
        match fast::read_frames(path, config, scholen, parts) {
            Ok((frames, rows)) => {
                let read = taken_by_fast_path(path, Vec::new(), rows);
                return (read, Some(frames), ReaderChoice::Fast);
            }
            Err(declined) => reader_choice::declined(FILE, declined.rule, declined.line),
        }
    }
    let read = read_careful(path, config, scholen);
    (read, None, ReaderChoice::Careful)
}

/// What the fast path read from the file at `path`: `dossiers` (none when it made frames
/// instead), `rows` of them in the file, no problem.
fn taken_by_fast_path(path: &Path, dossiers: Vec<Dossier>, rows: usize) -> FileRead<Dossier> {
    let name = path
        .file_name()
        .map_or(FILE.into(), |n| n.to_string_lossy());
    let mut read = FileRead::new(&name);
    read.stats.opened = true;
    read.stats.rows = rows;
    read.rows = dossiers;
    read.finish(|d| d.line)
}

/// Row by row, every problem named with its line and column.
fn read_careful(path: &Path, config: &Config, scholen: &[School]) -> FileRead<Dossier> {
    let mut reader = DossierReader::new(config, scholen);
    let mut read = read_rows(path, config, COLUMNS, |row| reader.dossier(row));
    read.errors.extend(duplicate_ids(&reader.ids));
    read.finish(|d| d.line)
}

/// What turning rows into dossiers needs across rows: the registry and the spellings seen.
struct DossierReader<'a> {
    config: &'a Config,
    scholen: SchoolIndex<'a>,
    schooltypes: Spellings<'a>,
    vragen: Spellings<'a>,
    diagnoses: Spellings<'a>,
    /// Every `dossier_id` given, with its line, also of rows with other problems.
    ids: Vec<(String, usize)>,
}

impl<'a> DossierReader<'a> {
    fn new(config: &'a Config, scholen: &'a [School]) -> DossierReader<'a> {
        DossierReader {
            config,
            scholen: SchoolIndex::new(scholen),
            schooltypes: Spellings::new(&config.schooltypes),
            vragen: Spellings::new(&config.passend_vragen),
            diagnoses: Spellings::new(&[]),
            ids: Vec::new(),
        }
    }

    /// The dossier of a row, or every problem of its cells.
    fn dossier(&mut self, row: &Row) -> Result<Dossier, InputErrors> {
        let config = self.config;
        if let Some(id) = row.text("dossier_id") {
            self.ids.push((id, row.line()));
        }
        let named = self.school(row);
        let mut errors = RowErrors::new();
        let dossier = Dossier {
            line: row.line(),
            id: errors.take(row.required_text("dossier_id")).into(),
            datum: errors.take(row.date("datum")),
            // (A value with a problem takes place 0: its row is left out.)
            sector: errors.take(row.category_place("sector", &config.sectors)) as u32,
            themas: errors
                .take(row.category_places("themas", &config.themes))
                .into_iter()
                .collect(),
            kanaal: errors.take(row.category_place("kanaal", &config.kanalen)) as u32,
            herkomst: row.text("herkomst").map(|h| herkomst_key(&h)),
            school: named.school,
            school_unmatched: named.unmatched,
            school_match: named.how,
            contactmomenten: errors
                .take(row.int_at_least("contactmomenten", 0))
                .and_then(|n| u32::try_from(n).ok()),
            passend: errors.take(row.bool("passend_onderwijs")),
            schooltype: row
                .text("schooltype")
                .map(|t| self.schooltypes.spell(&t).into()),
            vragen: compact(self.vragen.spell_all(&row.list("vragen"))),
            diagnoses: compact(self.diagnoses.spell_all(&row.list("diagnoses"))),
        };
        errors.finish(dossier)
    }

    /// The school the row names ([`named_school`]).
    fn school(&mut self, row: &Row) -> NamedSchool {
        named_school(
            row.raw("school_brin"),
            row.raw("schoolnaam"),
            &mut self.scholen,
        )
    }
}

fn compact(values: Vec<String>) -> Vec<CompactString> {
    values.into_iter().map(CompactString::from).collect()
}

/// `herkomst` as counted: lower case (ASCII ones without a detour through Unicode's tables).
fn herkomst_key(text: &str) -> CompactString {
    if text.is_ascii() {
        CompactString::from(text).to_ascii_lowercase()
    } else {
        CompactString::from(text.to_lowercase())
    }
}

/// Every `dossier_id` given on an earlier row, in file order: (the id, its line, the line it
/// was first given on), of `items` in file order. The careful reader names each; the fast path
/// declines the file on any.
///
/// A million ids in one hash table is a walk through random memory on one core. Instead each
/// core takes the ids whose hash falls in its share of the hashes (an id and its repeats share
/// a hash, so they meet on one core), sorts its (hash, place) pairs and compares the ids of
/// equal hash only: a collision, crafted or not, costs a sort of its ids, not a quadratic walk.
fn repeated_ids<'a, T: Sync>(
    items: &'a [T],
    id_of: impl Fn(&'a T) -> (&'a str, usize) + Sync,
) -> Vec<(&'a str, usize, usize)> {
    const AT_LEAST_PER_CORE: usize = 1 << 16;
    let shares = crate::parallel::cores()
        .min(items.len() / AT_LEAST_PER_CORE)
        .max(1) as u64;
    let found = crate::parallel::on_threads((0..shares).collect(), |share| {
        let mut hashes: Vec<(u64, usize)> = items
            .iter()
            .enumerate()
            .map(|(place, item)| (fast::FastHash.hash_one(id_of(item).0), place))
            .filter(|&(hash, _)| hash % shares == share)
            .collect();
        hashes.sort_unstable();
        let mut repeats = Vec::new();
        for run in hashes
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|run| run.len() > 1)
        {
            // By id, then line: the first line of each id is the one every later one repeats.
            let mut ids: Vec<(&str, usize)> = run.iter().map(|&(_, p)| id_of(&items[p])).collect();
            ids.sort_by(|a, b| a.0.cmp(b.0).then(a.1.cmp(&b.1)));
            for same in ids.chunk_by(|a, b| a.0 == b.0) {
                let first = same[0].1;
                repeats.extend(same[1..].iter().map(|&(id, line)| (id, line, first)));
            }
        }
        repeats
    });
    let mut repeats: Vec<(&str, usize, usize)> = found.into_iter().flatten().collect();
    repeats.sort_unstable_by_key(|&(_, line, _)| line);
    repeats
}

/// A `dossier_id` given before, on any row: the later row is the problem, naming both lines.
fn duplicate_ids(ids: &[(String, usize)]) -> InputErrors {
    let mut errors = InputErrors::default();
    for (id, line, first) in repeated_ids(ids, |(id, line)| (id.as_str(), *line)) {
        errors.push(InputError::duplicate(FILE, line, "dossier_id", id, first));
    }
    errors
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::ingest::csv::testing::file;

    const HEADER: &str = "dossier_id;datum;sector;themas;kanaal;naam_ouder;email;notities";

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

    fn read_text(text: &str) -> Result<Vec<Dossier>, InputErrors> {
        read(&file(FILE, text), &Config::default(), &scholen())
    }

    fn row(rest: &str) -> String {
        format!("{HEADER}\n{rest}\n")
    }

    /// Enough ids to be shared over the cores: every repeat found, with the line first given,
    /// in file order, as one hash table in file order finds them.
    #[test]
    fn repeated_ids_are_those_a_walk_in_file_order_finds() {
        let mut random = crate::ingest::csv::testing::random(0x1d5);
        let ids: Vec<(String, usize)> = (0..300_000)
            .map(|line| (format!("D{:06}", random(250_000)), line + 2))
            .collect();
        let mut first: std::collections::HashMap<&str, usize> = Default::default();
        let mut expected = Vec::new();
        for (id, line) in &ids {
            match first.get(id.as_str()) {
                Some(&at) => expected.push((id.as_str(), *line, at)),
                None => {
                    first.insert(id, *line);
                }
            }
        }
        assert!(expected.len() > 50_000, "{}", expected.len());
        assert_eq!(
            repeated_ids(&ids, |(id, line)| (id.as_str(), *line)),
            expected
        );
        let unique: Vec<(String, usize)> = (0..200_000).map(|i| (format!("D{i}"), i + 2)).collect();
        assert!(repeated_ids(&unique, |(id, line)| (id.as_str(), *line)).is_empty());
    }

    #[test]
    fn reads_a_dossier_in_configured_spellings() {
        let dossiers = read_text(&row(
            "D1;15-03-2021;Overstap PO-VO;Zorg|toelating|zorg;WhatsApp;Piet;p@x.nl;",
        ))
        .unwrap();
        let d = &dossiers[0];
        assert_eq!(d.line, 2);
        assert_eq!(d.datum, NaiveDate::from_ymd_opt(2021, 3, 15).unwrap());
        let config = Config::default();
        assert_eq!(config.sectors[d.sector as usize], "overstap po-vo");
        assert_eq!(
            d.themas.names(&config.themes).collect::<Vec<_>>(),
            vec!["toelating", "zorg"]
        );
        assert_eq!(config.kanalen[d.kanaal as usize], "whatsapp");
        assert_eq!(
            (d.school.as_ref(), d.school_unmatched.as_ref(), d.passend),
            (None, None, false)
        );
    }

    #[test]
    fn empty_themas_cell_is_fine() {
        assert!(
            read_text(&row("D1;2021-03-15;po;;telefoon;;;")).unwrap()[0]
                .themas
                .is_empty()
        );
    }

    #[test]
    fn duplicate_id_names_both_lines() {
        let err = read_text(&format!(
            "{HEADER}\nD1;2021-03-15;po;;telefoon;;;\nD2;2021-03-15;po;;telefoon;;;\nD1;2021-03-16;po;;balie;;;\n"
        ))
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("dossiers.csv:4: column dossier_id: \"D1\" appears twice"),
            "{text}"
        );
        assert!(text.contains("line 2") && text.contains("line 4"), "{text}");
    }

    #[test]
    fn unknown_sector_lists_the_known_ones() {
        let err = read_text(&row("D1;2021-03-15;kleuterschool;;telefoon;;;")).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(
                "dossiers.csv:2: column sector: expected one of: voorschool, schoolkeuze po,"
            ),
            "{text}"
        );
        assert!(text.contains("overig, got \"kleuterschool\""), "{text}");
    }

    #[test]
    fn unknown_theme_is_an_error() {
        let err = read_text(&row("D1;2021-03-15;po;zorg|sport;telefoon;;;")).unwrap_err();
        assert_eq!(err.0[0].column.as_deref(), Some("themas"));
        assert!(err.0[0].message.ends_with("got \"sport\""), "{err}");
    }

    #[test]
    fn personal_data_of_a_bad_row_never_appears() {
        let err = read_text(&row(
            "D1;31-13-2021;po;;telefoon;GEHEIM-MARKER;GEHEIM-MARKER@x.nl;GEHEIM-MARKER",
        ))
        .unwrap_err();
        let text = format!("{err}\n{err:?}");
        assert!(text.contains("dossiers.csv:2: column datum"), "{text}");
        assert!(!text.contains("GEHEIM"), "{text}");
        let err = read_text(&format!(
            "{HEADER}\nD1;2021-03-15;po;;telefoon;GEHEIM-MARKER;a;b;c\n"
        ))
        .unwrap_err();
        assert!(!format!("{err}\n{err:?}").contains("GEHEIM"));
    }

    #[test]
    fn missing_columns_are_listed_with_the_columns_found() {
        let err = read_text("dossier_id;datum;sector\nD1;2021-03-15;po\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "dossiers.csv:1: missing required columns themas, kanaal; \
             the header line has: dossier_id, datum, sector"
        );
    }

    #[test]
    fn optional_columns() {
        let header = "dossier_id,datum,sector,themas,kanaal,herkomst,contactmomenten,passend_onderwijs,\
                      schooltype,vragen,diagnoses";
        let dossiers = read_text(&format!(
            "{header}\n\
             D1,2021-03-15,po,,telefoon,Artikel,1.234,Ja,Basisonderwijs,Thuiszitten|overig|thuiszitten,ADHD|Hoogbegaafd\n\
             D2,2021-03-15,po,,telefoon,,,nee,SBO,,hoogbegaafd|adhd\n\
             D3,2021-03-15,po,,telefoon,,,,sbo,,\n"
        ))
        .unwrap();
        let d = &dossiers[0];
        assert_eq!(
            (d.herkomst.as_deref(), d.contactmomenten, d.passend),
            (Some("artikel"), Some(1234), true)
        );
        assert_eq!(d.schooltype.as_deref(), Some("basisonderwijs"));
        assert_eq!(d.vragen, vec!["thuiszitten", "overig"]);
        assert_eq!(dossiers[1].diagnoses, vec!["Hoogbegaafd", "ADHD"]);
        assert_eq!(dossiers[2].schooltype.as_deref(), Some("SBO"));
        assert_eq!(
            (dossiers[1].herkomst.as_ref(), dossiers[1].contactmomenten),
            (None, None)
        );
    }

    #[test]
    fn bad_number_and_bool_are_errors() {
        let header = "dossier_id,datum,sector,themas,kanaal,contactmomenten,passend_onderwijs";
        let err =
            read_text(&format!("{header}\nD1,2021-03-15,po,,telefoon,\"1,5\",\nD2,2021-03-15,po,,telefoon,2,misschien\n"))
                .unwrap_err();
        assert_eq!(err.len(), 2);
        assert_eq!(
            err.0[0].to_string(),
            "dossiers.csv:2: column contactmomenten: expected a whole number like 1234 or 1.234 (at most 1.000.000.000), got \"1,5\""
        );
        assert_eq!(err.0[1].column.as_deref(), Some("passend_onderwijs"));
    }

    fn resolved(brin: &str, naam: &str) -> (Option<String>, Option<String>) {
        let text = format!(
            "dossier_id;datum;sector;themas;kanaal;school_brin;schoolnaam\nD1;2021-03-15;po;;telefoon;{brin};{naam}\n"
        );
        let d = read_text(&text).unwrap().remove(0);
        (
            d.school.map(String::from),
            d.school_unmatched.map(String::from),
        )
    }

    #[test]
    fn school_by_brin_name_alias_or_unmatched() {
        let some = |s: &str| Some(s.to_string());
        assert_eq!(resolved("12ab00", ""), (some("12AB00"), None));
        assert_eq!(resolved("12AB00", "iets anders"), (some("12AB00"), None));
        assert_eq!(
            resolved("", "sint jozefschool  RIVIERA!"),
            (some("12AB00"), None)
        );
        assert_eq!(
            resolved("99ZZ00", "SINT JOZEFSCHOOL, Rivièra"),
            (some("12AB00"), None)
        );
        assert_eq!(resolved("", "kraalschool"), (some("34CD00"), None));
        assert_eq!(
            resolved("", " Sint-Jozefschool Riviera Noord "),
            (None, some("Sint-Jozefschool Riviera Noord"))
        );
        assert_eq!(resolved("99ZZ00", ""), (None, some("99ZZ00")));
        assert_eq!(resolved("", ""), (None, None));
    }
}

/// Whole data folders through [`crate::ingest::load`].
#[cfg(test)]
mod load_tests {
    use std::path::Path;

    use crate::ingest::csv::testing::{temp_dir, write};
    use crate::ingest::load;
    use crate::model::Status;

    #[test]
    fn loads_a_small_folder_of_all_exports() {
        let dir = temp_dir("load");
        write(
            &dir,
            "scholen.csv",
            "brin;naam;stadsdeel;schoolweging\n12AB00;De Kraal;Oost;27,5\n",
        );
        write(
            &dir,
            "dossiers.csv",
            "dossier_id,datum,sector,themas,kanaal,schoolnaam,email\nD1,2021-03-15,po,zorg,telefoon,de kraal,x@y.nl\n",
        );
        write(
            &dir,
            "voorlichtingen.csv",
            "datum,stadsdeel,thema,organisatie,vorm,status\n2021-03-01,Oost,X,Y,fysiek,geannuleerd\n",
        );
        write(
            &dir,
            "pageviews.csv",
            "datum,unieke_paginaweergaven\n2021-03-01,12\n",
        );
        write(
            &dir,
            "leerlingen-stadsdeel.csv",
            "stadsdeel,schooljaar,leerlingen\nOost,2020/2021,9000\n",
        );
        write(
            &dir,
            "leerlingen-sector.csv",
            "sectorgroep,leerlingen\npo,60000\n",
        );
        let data = load(&dir).unwrap();
        assert_eq!(data.dossiers[0].school.as_deref(), Some("12AB00"));
        assert_eq!(data.voorlichtingen[0].status, Status::Geannuleerd);
        assert_eq!(
            (
                data.pageviews.len(),
                data.leerlingen_stadsdeel.len(),
                data.leerlingen_sector.len()
            ),
            (1, 1, 1)
        );
    }

    #[test]
    fn reports_problems_of_all_files_at_once() {
        let dir = temp_dir("load-bad");
        write(&dir, "scholen.csv", "brin,naam,stadsdeel\n12AB00,X,West\n");
        write(
            &dir,
            "dossiers.csv",
            "dossier_id,datum,sector,themas,kanaal\nD1,gisteren,po,,telefoon\n",
        );
        write(&dir, "oco-report.toml", "");
        let err = load(&dir).unwrap_err();
        let files: Vec<&str> = err.0.iter().map(|e| e.file.as_str()).collect();
        assert_eq!(
            files,
            vec![
                "dossiers.csv",
                "voorlichtingen.csv",
                "pageviews.csv",
                "leerlingen-stadsdeel.csv",
                "leerlingen-sector.csv"
            ]
        );
    }

    #[test]
    fn read_all_keeps_the_good_rows_and_counts_every_file() {
        let dir = temp_dir("read-all");
        write(
            &dir,
            "scholen.csv",
            "brin,naam,stadsdeel\n12AB00,De Kraal,Oost\n13AB00,Y,Westpoort\n",
        );
        write(
            &dir,
            "dossiers.csv",
            "dossier_id,datum,sector,themas,kanaal,schoolnaam\n\
             D1,2021-03-15,po,,telefoon,de kraal\n\
             D2,gisteren,kleuter,,telefoon,\n\
             D1,2021-03-16,po,,balie,\n\
             D3,2021-03-17,po,,balie,De Kral\n",
        );
        write(
            &dir,
            "pageviews.csv",
            "datum,pagina,unieke_paginaweergaven\n2021-03-01,/a,12\n2021-03-01,/b,3\n2021-03-02,/a,x\n",
        );
        let report = crate::ingest::read_all(&dir).unwrap();
        let ids: Vec<&str> = report.data.dossiers.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, vec!["D1", "D3"]);
        assert_eq!(
            report.data.dossiers[1].school_unmatched.as_deref(),
            Some("De Kral")
        );
        let counts: Vec<(&str, bool, usize, usize)> = report
            .files
            .iter()
            .map(|f| (f.file.as_str(), f.opened, f.rows, f.rejected))
            .collect();
        assert_eq!(
            counts,
            vec![
                ("scholen.csv", true, 2, 1),
                ("dossiers.csv", true, 4, 2),
                ("voorlichtingen.csv", false, 0, 0),
                ("pageviews.csv", true, 3, 1),
                ("leerlingen-stadsdeel.csv", false, 0, 0),
                ("leerlingen-sector.csv", false, 0, 0),
            ]
        );
        // Two rows of one day are one day of the data, two dates of the rows.
        assert_eq!(report.data.pageviews.len(), 1);
        assert_eq!(report.data.pageviews[0].weergaven, 15);
        assert_eq!(
            report
                .pageview_rows
                .iter()
                .map(|(_, rows)| rows)
                .sum::<usize>(),
            2
        );
        assert!(report.unusable(), "the missing files");
        let lines: Vec<Option<usize>> = report
            .errors
            .0
            .iter()
            .filter(|e| e.file == "dossiers.csv")
            .map(|e| e.line)
            .collect();
        assert_eq!(lines, vec![Some(3), Some(3), Some(4)]);
        assert_eq!(load(&dir).unwrap_err(), report.errors);
    }

    #[test]
    fn a_missing_folder_is_one_problem() {
        let dir = temp_dir("gone").join("niet-hier");
        let errors = load(&dir).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors.0[0].is_unusable());
        assert!(
            errors.to_string().ends_with(
                "data folder not found: expected a folder holding the exports (docs/inputs.md)"
            ),
            "{errors}"
        );
    }

    #[test]
    fn bad_settings_file_is_an_input_error() {
        let dir = temp_dir("load-settings");
        write(&dir, "oco-report.toml", "onbekend = 1\n");
        let err = load(&dir).unwrap_err();
        assert_eq!(err.0[0].file, "oco-report.toml");
    }

    /// Headers of the contract, then random bytes that look a bit like CSV: reading may fail
    /// but must never panic.
    #[test]
    fn random_input_never_panics() {
        let files = [
            (
                "scholen.csv",
                "brin;naam;stadsdeel;schoolweging;sector;aliassen\n",
            ),
            (
                "dossiers.csv",
                "dossier_id,datum,sector,themas,kanaal,school_brin,schoolnaam,contactmomenten\n",
            ),
            (
                "voorlichtingen.csv",
                "datum,stadsdeel,thema,organisatie,vorm,locaties,deelnemers,status\n",
            ),
            ("pageviews.csv", "# x\nDay Index,Unique Pageviews\n"),
            (
                "leerlingen-stadsdeel.csv",
                "stadsdeel,schooljaar,leerlingen\n",
            ),
            ("leerlingen-sector.csv", "sectorgroep,leerlingen\n"),
        ];
        let alphabet = b"0123456789/-.,;|\"#\n\r \xe9\xc3\xa9aZpoWest";
        let mut random = crate::ingest::csv::testing::random(0x9e37_79b9_7f4a_7c15);
        // Below 2^31: the whole of each number.
        let mut next = move || random(usize::MAX);
        let dir = temp_dir("random");
        for _ in 0..150 {
            for (name, header) in files {
                let mut bytes = header.as_bytes().to_vec();
                bytes.extend((0..next() % 200).map(|_| alphabet[next() % alphabet.len()]));
                write(&dir, name, bytes);
            }
            let _ = crate::ingest::load_with(&dir, crate::config::Config::default());
        }
    }

    #[test]
    fn loads_the_default_data_set() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        if !dir.join("dossiers.csv").exists() {
            eprintln!("skipped: {} has no dossiers.csv yet", dir.display());
            return;
        }
        let data = match load(&dir) {
            Ok(data) => data,
            Err(errors) => panic!("data/ does not load:\n{errors}"),
        };
        let n = data.dossiers.len();
        let unmatched = data
            .dossiers
            .iter()
            .filter(|d| d.school_unmatched.is_some())
            .count();
        eprintln!(
            "data/: {n} dossiers ({unmatched} naming no registry school), {} scholen, {} voorlichtingen, {} days of pageviews",
            data.scholen.len(),
            data.voorlichtingen.len(),
            data.pageviews.len()
        );
        assert!(
            (4_000..=6_000).contains(&n),
            "expected about 5.000 dossiers, read {n}"
        );
        assert!(
            !data.scholen.is_empty()
                && !data.voorlichtingen.is_empty()
                && !data.pageviews.is_empty()
        );
    }
}
