//! What the exports cover: per dated export (dossiers, voorlichtingen, pageviews) its first and
//! last date and its rows per month; the school years of the CBS pupil counts. Computed once
//! from the typed rows (with the frames, see [`crate::frames::Frames::coverage`]) and used by
//! `build`, `table`, `check` and `validate`:
//!
//! - a report year whose school year holds no row of an export it needs is refused
//!   ([`Coverage::refusal`]);
//! - a table whose school years or calendar years an export covers only in part says so in its
//!   caption, and its appendix gets the fact `gedeeltelijk` for the prose ([`Coverage::mark`]);
//! - a CBS pupil count more than one school year older than the report's school year is stale
//!   ([`stale_pupil_count`]).
//!
//! An export covers whole months: from the month of its first date to the month of its last,
//! except a period without a single row in it (a school year never exported).
//! An agenda has no session on most days and an export is taken at some day of a month, so a
//! finer rule would call every year partial; a coarser one would miss a year that ends in May.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::ingest::{dossiers, pageviews, voorlichtingen};
use crate::model::DataSet;
use crate::period::{SchoolYear, Windows};
use crate::render::number::dutch_date;
use crate::table::{Appendix, Value};

/// The dates one export holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportCoverage {
    pub file: &'static str,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    /// Rows per (year, month).
    months: BTreeMap<(i32, u32), usize>,
}

/// A period a table counts: a school year or a calendar year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// `2020-2021` or `2021`.
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// How much of a period an export covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cover {
    Full,
    Partial,
    /// Not a single month of it.
    Outside,
}

/// A period of a table that an export covers only in part or not at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub file: &'static str,
    pub period: String,
    pub cover: Cover,
    /// The tables counting that period from that export.
    pub tables: Vec<&'static str>,
}

/// The coverage of every dated export of a data set.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub dossiers: ExportCoverage,
    pub voorlichtingen: ExportCoverage,
    pub pageviews: ExportCoverage,
    /// The school years of `leerlingen-stadsdeel.csv`, oldest first.
    pub cbs_years: Vec<SchoolYear>,
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

impl Period {
    pub fn school_year(year: SchoolYear) -> Period {
        Period {
            label: year.to_string(),
            from: date(year.start_year(), 8, 1),
            to: date(year.end_year(), 7, 31),
        }
    }

    pub fn calendar_year(year: i32) -> Period {
        Period {
            label: year.to_string(),
            from: date(year, 1, 1),
            to: date(year, 12, 31),
        }
    }
}

impl ExportCoverage {
    pub fn of(file: &'static str, dates: impl IntoIterator<Item = NaiveDate>) -> ExportCoverage {
        let mut coverage = ExportCoverage {
            file,
            ..ExportCoverage::default()
        };
        // Exports come mostly in date order: a run of one month is counted before it is looked
        // up, so a million dossiers cost a few hundred map lookups, not a million.
        let mut run: Option<((i32, u32), usize)> = None;
        for d in dates {
            coverage.first = Some(coverage.first.map_or(d, |f| f.min(d)));
            coverage.last = Some(coverage.last.map_or(d, |l| l.max(d)));
            let month = (d.year(), d.month());
            match &mut run {
                Some((current, n)) if *current == month => *n += 1,
                _ => {
                    if let Some((done, n)) = run.replace((month, 1)) {
                        *coverage.months.entry(done).or_default() += n;
                    }
                }
            }
        }
        if let Some((done, n)) = run {
            *coverage.months.entry(done).or_default() += n;
        }
        coverage
    }

    /// The first day of the first month and the last day of the last month.
    fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let (first, last) = (self.first?, self.last?);
        let start = date(first.year(), first.month(), 1);
        let (y, m) = if last.month() == 12 {
            (last.year() + 1, 1)
        } else {
            (last.year(), last.month() + 1)
        };
        let end = date(y, m, 1).pred_opt().unwrap_or(last);
        Some((start, end))
    }

    pub fn cover(&self, period: &Period) -> Cover {
        // A period without a single row inside the span is a hole in the export (a school year
        // never exported), not a period it covers: the same rule as the refusal's.
        if self.rows_in(period) == 0 {
            return Cover::Outside;
        }
        match self.span() {
            Some((start, end)) if end < period.from || start > period.to => Cover::Outside,
            Some((start, end)) if start <= period.from && end >= period.to => Cover::Full,
            Some(_) => Cover::Partial,
            None => Cover::Outside,
        }
    }

    /// Rows dated in the months of `period`.
    pub fn rows_in(&self, period: &Period) -> usize {
        let from = (period.from.year(), period.from.month());
        let to = (period.to.year(), period.to.month());
        self.months.range(from..=to).map(|(_, n)| n).sum()
    }

    /// `1 augustus 2017 t/m 24 augustus 2021`, or `geen rijen`.
    pub fn span_nl(&self) -> String {
        match (self.first, self.last) {
            (Some(first), Some(last)) => format!("{} t/m {}", dutch_date(first), dutch_date(last)),
            _ => "geen rijen".to_string(),
        }
    }

    /// `2017-08-01 to 2021-08-24`, or `no rows`.
    pub fn span_en(&self) -> String {
        match (self.first, self.last) {
            (Some(first), Some(last)) => format!("{first} to {last}"),
            _ => "no rows".to_string(),
        }
    }
}

/// Which export each table counts, over which periods, for report year `windows.year` (its
/// definition says, see [`crate::appendices::TableDefinition::periods`]); nothing for a table
/// the definitions do not know.
pub fn table_windows(table: &str, windows: Windows) -> Vec<(&'static str, Vec<Period>)> {
    crate::appendices::table_definition(table).map_or_else(Vec::new, |(_, t)| (t.periods)(windows))
}

/// `years` as periods.
pub fn school_years(years: impl IntoIterator<Item = SchoolYear>) -> Vec<Period> {
    years.into_iter().map(Period::school_year).collect()
}

/// The exports of [`Coverage`] a table reads.
pub fn table_exports(table: &str) -> Vec<&'static str> {
    let windows = Windows::new(2000);
    table_windows(table, windows)
        .into_iter()
        .map(|(file, _)| file)
        .collect()
}

/// The dated exports a whole build reads.
pub const ALL_EXPORTS: [&str; 3] = [dossiers::FILE, voorlichtingen::FILE, pageviews::FILE];

impl Coverage {
    pub fn of(data: &DataSet) -> Coverage {
        Coverage::with_dossier_dates(data, data.dossiers.iter().map(|d| d.datum))
    }

    /// [`Coverage::of`], the dossiers given by their dates (a build that read the dossiers
    /// into frames keeps no list of them).
    pub fn with_dossier_dates(
        data: &DataSet,
        dossier_dates: impl IntoIterator<Item = NaiveDate>,
    ) -> Coverage {
        let mut cbs_years: Vec<SchoolYear> = data
            .leerlingen_stadsdeel
            .iter()
            .map(|p| p.schooljaar)
            .collect();
        cbs_years.sort();
        cbs_years.dedup();
        Coverage {
            dossiers: ExportCoverage::of(dossiers::FILE, dossier_dates),
            voorlichtingen: ExportCoverage::of(
                voorlichtingen::FILE,
                data.voorlichtingen.iter().map(|v| v.datum),
            ),
            pageviews: ExportCoverage::of(pageviews::FILE, data.pageviews.iter().map(|p| p.datum)),
            cbs_years,
        }
    }

    pub fn export(&self, file: &str) -> Option<&ExportCoverage> {
        [&self.dossiers, &self.voorlichtingen, &self.pageviews]
            .into_iter()
            .find(|e| e.file == file)
    }

    /// The CBS school year the stadsdeel table divides by for school year `current`: `pinned`
    /// in the settings, else the latest one not after `current`.
    pub fn cbs_year(&self, pinned: Option<SchoolYear>, current: SchoolYear) -> Option<SchoolYear> {
        pinned.or_else(|| {
            self.cbs_years
                .iter()
                .rev()
                .find(|y| **y <= current)
                .copied()
        })
    }

    /// The exports of `files` (of [`ALL_EXPORTS`]) without a row in school year `current`:
    /// `build` refuses the report year (see [`Coverage::refusal`]).
    pub fn without_rows_in(&self, current: SchoolYear, files: &[&str]) -> Vec<&ExportCoverage> {
        let period = Period::school_year(current);
        files
            .iter()
            .filter_map(|file| self.export(file))
            .filter(|e| e.rows_in(&period) == 0)
            .collect()
    }

    /// What `check` and `validate` report about report year `windows.year`: the exports that
    /// make `build` refuse it, the periods covered in part or not at all, the stale pupil
    /// counts (`pinned`: the CBS school year of the settings; `sector_years`: the school years
    /// `leerlingen-sector.csv` gives).
    pub fn findings(
        &self,
        windows: Windows,
        pinned: Option<SchoolYear>,
        sector_years: &[SchoolYear],
    ) -> Findings<'_> {
        let current = windows.current();
        Findings {
            uncovered: self.without_rows_in(current, &ALL_EXPORTS),
            gaps: self.gaps(windows),
            stale_stadsdeel: self
                .cbs_year(pinned, current)
                .filter(|used| stale_pupil_count(*used, current).is_some()),
            stale_sector: stale_years(sector_years, current),
        }
    }

    /// Why report year `year` cannot be built from `files` (of [`ALL_EXPORTS`]): one of them
    /// holds no row in the report's school year. The message names every one of them and the
    /// dates it covers. `None` when each has rows in that school year.
    pub fn refusal(&self, year: i32, files: &[&str]) -> Option<String> {
        let current = Windows::new(year).current();
        let period = Period::school_year(current);
        if self.without_rows_in(current, files).is_empty() {
            return None;
        }
        let exports: Vec<&ExportCoverage> =
            files.iter().filter_map(|file| self.export(file)).collect();
        let mut message = format!(
            "the exports do not cover report year {year} (school year {current}, {} to {}):",
            period.from, period.to
        );
        for e in &exports {
            let rows = e.rows_in(&period);
            let verdict = if rows == 0 {
                format!("nothing in {current}")
            } else {
                format!("{rows} rows in {current}")
            };
            message.push_str(&format!("\n  {}: {}; {verdict}", e.file, e.span_en()));
        }
        message.push_str(
            "\nNothing was written. Choose a year the exports cover, or add --gedeeltelijk to \
             build it anyway (the report then marks what the data do not cover).",
        );
        Some(message)
    }

    /// Every period of a table that an export covers in part or not at all, per export and
    /// period, with the tables counting it; in the order of the report's tables.
    pub fn gaps(&self, windows: Windows) -> Vec<Gap> {
        let mut gaps: Vec<Gap> = Vec::new();
        for table in crate::appendices::table_ids() {
            for (file, periods) in table_windows(table, windows) {
                let Some(export) = self.export(file) else {
                    continue;
                };
                for period in periods {
                    let cover = export.cover(&period);
                    if cover == Cover::Full {
                        continue;
                    }
                    match gaps
                        .iter_mut()
                        .find(|g| g.file == file && g.period == period.label)
                    {
                        Some(gap) => gap.tables.push(table),
                        None => gaps.push(Gap {
                            file,
                            period: period.label,
                            cover,
                            tables: vec![table],
                        }),
                    }
                }
            }
        }
        gaps
    }

    /// The note of a table whose periods an export covers in part or not at all, in Dutch:
    /// `Let op: dossiers.csv loopt van 1 augustus 2017 t/m 24 augustus 2021; geen gegevens
    /// over 2014-2015 en 2015-2016.`
    pub fn note(&self, table: &str, windows: Windows) -> Option<String> {
        let mut notes = Vec::new();
        for (file, periods) in table_windows(table, windows) {
            let Some(export) = self.export(file) else {
                continue;
            };
            let (mut outside, mut partial) = (Vec::new(), Vec::new());
            for period in &periods {
                match export.cover(period) {
                    Cover::Full => {}
                    Cover::Partial => partial.push(period.label.clone()),
                    Cover::Outside => outside.push(period.label.clone()),
                }
            }
            if outside.is_empty() && partial.is_empty() {
                continue;
            }
            let mut parts = Vec::new();
            if !outside.is_empty() {
                parts.push(format!("geen gegevens over {}", list_nl(&outside)));
            }
            if !partial.is_empty() {
                parts.push(format!("gedeeltelijke gegevens over {}", list_nl(&partial)));
            }
            let span = match export.first {
                Some(_) => format!("loopt van {}", export.span_nl()),
                None => "bevat geen rijen".to_string(),
            };
            notes.push(format!("Let op: {file} {span}; {}.", parts.join(", ")));
        }
        (!notes.is_empty()).then(|| notes.join(" "))
    }

    /// Marks the partly covered periods of every table of `appendices` in its caption, and gives
    /// each appendix with such a table the fact `gedeeltelijk` (the notes, for the prose); not
    /// the caption of a table whose definition says it names its gaps itself
    /// ([`TableDefinition::caption_names_gaps`](crate::appendices::TableDefinition)).
    pub fn mark(&self, appendices: &mut [Appendix], windows: Windows) {
        for appendix in appendices {
            let mut notes: Vec<String> = Vec::new();
            for table in &mut appendix.tables {
                let Some(note) = self.note(&table.id, windows) else {
                    continue;
                };
                let names_gaps = crate::appendices::table_definition(&table.id)
                    .is_some_and(|(_, t)| t.caption_names_gaps);
                if !names_gaps {
                    table.add_note(&note);
                }
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            if !notes.is_empty() {
                appendix.fact("gedeeltelijk", Value::Text(notes.join(" ")));
            }
        }
    }
}

/// What the exports say about a report year (see [`Coverage::findings`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Findings<'a> {
    /// The dated exports without a row in the report's school year: `build` refuses the year.
    pub uncovered: Vec<&'a ExportCoverage>,
    /// The periods of the report's tables that an export covers in part or not at all.
    pub gaps: Vec<Gap>,
    /// The school year of the pupils per stadsdeel that divide, when it is more than one
    /// school year older than the report's.
    pub stale_stadsdeel: Option<SchoolYear>,
    /// The school years of `leerlingen-sector.csv` more than one school year older.
    pub stale_sector: Vec<SchoolYear>,
}

/// The warning of `check` and `validate` on a stale pupil count: `FILE: the pupils WHICH
/// divide the dossiers of CURRENT, more than one school year older`, `which` such as
/// `of 2016/2017`.
pub fn stale_warning(file: &str, which: &str, current: SchoolYear) -> String {
    format!(
        "{file}: the pupils {which} divide the dossiers of {current}, more than one school \
         year older"
    )
}

/// `a`, `a en b`, `a, b en c`.
pub fn list_nl(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} en {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// The note on a pupil count (CBS) of school year `used` that divides the dossiers of school
/// year `current`, when it is more than one school year older: the pupils may have moved since.
pub fn stale_pupil_count(used: SchoolYear, current: SchoolYear) -> Option<String> {
    (used.start_year() < current.start_year() - 1).then(|| {
        format!(
            "Let op: de leerlingaantallen per stadsdeel ({}) zijn meer dan een schooljaar ouder dan \
             schooljaar {current}.",
            used.slashed()
        )
    })
}

/// The school years of `years` more than one school year older than `current`, sorted, once.
pub fn stale_years(years: &[SchoolYear], current: SchoolYear) -> Vec<SchoolYear> {
    let mut stale: Vec<SchoolYear> = years
        .iter()
        .copied()
        .filter(|used| used.start_year() < current.start_year() - 1)
        .collect();
    stale.sort();
    stale.dedup();
    stale
}

/// The note on pupil counts per sector group (`leerlingen-sector.csv`) of school years more
/// than one school year older than `current`; `years` are the school years the file gives.
pub fn stale_sector_counts(years: &[SchoolYear], current: SchoolYear) -> Option<String> {
    let names: Vec<String> = stale_years(years, current)
        .iter()
        .map(|y| y.slashed())
        .collect();
    (!names.is_empty()).then(|| {
        format!(
            "Let op: de leerlingaantallen per sector ({}) zijn meer dan een schooljaar ouder dan \
             schooljaar {current}.",
            list_nl(&names)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        date(y, m, day)
    }

    #[test]
    fn an_export_covers_the_months_from_its_first_to_its_last_date() {
        let e = ExportCoverage::of("x.csv", [d(2021, 8, 24), d(2017, 8, 1), d(2019, 3, 3)]);
        assert_eq!(e.first, Some(d(2017, 8, 1)));
        assert_eq!(e.last, Some(d(2021, 8, 24)));
        let year = |y| Period::school_year(SchoolYear(y));
        assert_eq!(e.cover(&year(2017)), Cover::Full);
        assert_eq!(e.cover(&year(2018)), Cover::Full);
        assert_eq!(e.cover(&year(2020)), Cover::Outside, "no row in 2020-2021");
        assert_eq!(e.cover(&year(2021)), Cover::Partial);
        assert_eq!(e.cover(&year(2016)), Cover::Outside);
        assert_eq!(e.cover(&year(2024)), Cover::Outside);
        assert_eq!(e.rows_in(&year(2021)), 1);
        assert_eq!(e.rows_in(&year(2018)), 1);
        assert_eq!(e.rows_in(&year(2020)), 0);
        // An agenda from 20 January to 21 December covers its calendar year.
        let agenda = ExportCoverage::of("v.csv", [d(2017, 1, 20), d(2017, 12, 21)]);
        assert_eq!(agenda.cover(&Period::calendar_year(2017)), Cover::Full);
        assert_eq!(agenda.cover(&Period::calendar_year(2018)), Cover::Outside);
        // A school year without a row between the first and the last date is a hole.
        let holed = ExportCoverage::of("h.csv", [d(2017, 8, 1), d(2018, 3, 1), d(2020, 7, 31)]);
        assert_eq!(holed.cover(&year(2017)), Cover::Full);
        assert_eq!(holed.cover(&year(2018)), Cover::Outside);
        assert_eq!(holed.cover(&year(2019)), Cover::Full);
        let empty = ExportCoverage::of("e.csv", []);
        assert_eq!(empty.cover(&year(2020)), Cover::Outside);
        assert_eq!(empty.span_nl(), "geen rijen");
    }

    #[test]
    fn a_pupil_count_two_school_years_old_is_stale() {
        assert_eq!(stale_pupil_count(SchoolYear(2019), SchoolYear(2020)), None);
        assert_eq!(stale_pupil_count(SchoolYear(2020), SchoolYear(2020)), None);
        assert_eq!(
            stale_pupil_count(SchoolYear(2016), SchoolYear(2020)).as_deref(),
            Some(
                "Let op: de leerlingaantallen per stadsdeel (2016/2017) zijn meer dan een schooljaar \
                 ouder dan schooljaar 2020-2021."
            )
        );
    }

    #[test]
    fn sector_counts_of_old_school_years_are_stale() {
        let current = SchoolYear(2020);
        assert_eq!(stale_sector_counts(&[], current), None);
        assert_eq!(stale_sector_counts(&[SchoolYear(2019)], current), None);
        assert_eq!(
            stale_sector_counts(
                &[
                    SchoolYear(2017),
                    SchoolYear(2019),
                    SchoolYear(2016),
                    SchoolYear(2017)
                ],
                current
            )
            .as_deref(),
            Some(
                "Let op: de leerlingaantallen per sector (2016/2017 en 2017/2018) zijn meer dan \
                 een schooljaar ouder dan schooljaar 2020-2021."
            )
        );
    }

    #[test]
    fn notes_name_the_export_its_dates_and_the_periods_it_misses() {
        let coverage = Coverage {
            dossiers: ExportCoverage::of(
                dossiers::FILE,
                [
                    d(2017, 8, 1),
                    d(2018, 10, 1),
                    d(2019, 10, 1),
                    d(2020, 10, 1),
                    d(2021, 8, 24),
                ],
            ),
            ..Coverage::default()
        };
        let note = coverage.note("stadsdelen", Windows::new(2018)).unwrap();
        assert_eq!(
            note,
            "Let op: dossiers.csv loopt van 1 augustus 2017 t/m 24 augustus 2021; geen \
             gegevens over 2014-2015, 2015-2016 en 2016-2017."
        );
        assert_eq!(coverage.note("stadsdelen", Windows::new(2021)), None);
        let note = coverage
            .note("helpdesk-themas", Windows::new(2022))
            .unwrap();
        assert!(
            note.ends_with("; gedeeltelijke gegevens over 2021-2022."),
            "{note}"
        );
        let findings = coverage.findings(Windows::new(2025), None, &[SchoolYear(2017)]);
        let uncovered: Vec<&str> = findings.uncovered.iter().map(|e| e.file).collect();
        assert_eq!(
            uncovered,
            vec![dossiers::FILE],
            "no row in 2024-2025 (the other exports are not in this coverage)"
        );
        assert_eq!(findings.stale_stadsdeel, None, "no pupil count at all");
        assert_eq!(findings.stale_sector, vec![SchoolYear(2017)]);
        let with_pupils = Coverage {
            cbs_years: vec![SchoolYear(2016), SchoolYear(2019)],
            ..coverage.clone()
        };
        let findings = with_pupils.findings(Windows::new(2021), None, &[]);
        assert!(findings.uncovered.iter().all(|e| e.file != dossiers::FILE));
        assert_eq!(
            findings.stale_stadsdeel, None,
            "2019/2020 divides 2020-2021"
        );
        let pinned = with_pupils.findings(Windows::new(2021), Some(SchoolYear(2016)), &[]);
        assert_eq!(pinned.stale_stadsdeel, Some(SchoolYear(2016)));
        let refusal = coverage.refusal(2025, &[dossiers::FILE]).unwrap();
        assert!(
            refusal.contains("dossiers.csv: 2017-08-01 to 2021-08-24; nothing in 2024-2025"),
            "{refusal}"
        );
        assert_eq!(coverage.refusal(2021, &[dossiers::FILE]), None);
    }
}
