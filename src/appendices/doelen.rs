//! Bijlage – Subsidiedoelen: the scorecard of the year's subsidy targets (`[doelen.YEAR]` in
//! `oco-report.toml`, by default the obligations of 2021), each `behaald`, `niet behaald` or
//! `onbekend`, with the value, the norm and the period each one measures.
//!
//! The periods, for report year Y:
//! - pageviews and dossiers: school year (Y-1)-Y against a fixed number;
//! - voorlichtingen per area: calendar year Y against calendar year Y-1 (held and planned
//!   sessions, as in the voorlichtingen tables);
//! - dossiers naming a primary school in the listed stadsdelen (excl. webinars, the rule of the
//!   stadsdeel spread applied to one school year) and dossiers per sector group: school year
//!   (Y-1)-Y against (Y-2)-(Y-1).
//!
//! A target is `onbekend` when the data do not cover a period it needs: no dossier of that
//! school year, no voorlichting (not even a cancelled one) dated in that calendar year, or
//! pageviews of fewer days than the school year has while the value is below the target (a
//! value above it is met however many days are missing).

use anyhow::Result;
use polars::prelude::*;

use super::definition::{Definition, TableDefinition, template};
use super::{Context, count_by};
use crate::config::canonical;
use crate::coverage::Period;
use crate::coverage::school_years;
use crate::period::SchoolYear;
use crate::period::Windows;
use crate::render::number::getal;
use crate::table::{Appendix, Column, ReportTable, Row, Value};

/// The id of the scorecard table and of its appendix.
pub const TABLE: &str = "doelen";

/// The appendix: the scorecard repeats figures of the other tables, so it is not compared with
/// last year; it reads every export.
pub const DEFINITION: Definition = Definition {
    id: TABLE,
    title: "Bijlage – Subsidiedoelen",
    template: template!("doelen"),
    tables: &[TableDefinition {
        compared_with_last_year: false,
        ..TableDefinition::new(TABLE, periods)
    }],
    compute,
    inputs: &[
        crate::ingest::scholen::FILE,
        crate::ingest::dossiers::FILE,
        crate::ingest::voorlichtingen::FILE,
        crate::ingest::pageviews::FILE,
        crate::ingest::leerlingen::STADSDEEL_FILE,
        crate::ingest::leerlingen::SECTOR_FILE,
    ],
    consistency: &[],
    internal: false,
};

/// The periods the targets measure: pageviews of the current school year, dossiers of it and
/// the one before, voorlichtingen of this calendar year and the one before.
fn periods(windows: Windows) -> Vec<(&'static str, Vec<Period>)> {
    let current = windows.current();
    vec![
        (crate::ingest::pageviews::FILE, school_years([current])),
        (
            crate::ingest::dossiers::FILE,
            school_years([SchoolYear(current.start_year() - 1), current]),
        ),
        (
            crate::ingest::voorlichtingen::FILE,
            vec![
                Period::calendar_year(windows.year - 1),
                Period::calendar_year(windows.year),
            ],
        ),
    ]
}

/// What the last column says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resultaat {
    Behaald,
    NietBehaald,
    Onbekend,
}

impl Resultaat {
    pub fn as_str(self) -> &'static str {
        match self {
            Resultaat::Behaald => "behaald",
            Resultaat::NietBehaald => "niet behaald",
            Resultaat::Onbekend => "onbekend",
        }
    }

    pub fn parse(text: &str) -> Option<Resultaat> {
        match text.trim() {
            "behaald" => Some(Resultaat::Behaald),
            "niet behaald" => Some(Resultaat::NietBehaald),
            "onbekend" => Some(Resultaat::Onbekend),
            _ => None,
        }
    }

    /// `value ≥ norm`, or onbekend when either is unknown or both are zero: `0 ≥ 0` measures
    /// nothing (no session in either year, no dossier naming a school found in the registry).
    fn of(value: Option<i64>, norm: Option<i64>) -> Resultaat {
        match (value, norm) {
            (Some(0), Some(0)) => Resultaat::Onbekend,
            (Some(v), Some(n)) if v >= n => Resultaat::Behaald,
            (Some(_), Some(_)) => Resultaat::NietBehaald,
            _ => Resultaat::Onbekend,
        }
    }
}

/// One line of the scorecard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doel {
    /// Row key: `paginaweergaven`, `dossiers`, `voorlichtingen Noord`, `dossiers stadsdelen`,
    /// `dossiers mbo`.
    pub key: String,
    /// What is promised, as the report prints it.
    pub label: String,
    /// The period the value covers (`2020-2021`, `2021`).
    pub periode: String,
    pub waarde: Option<i64>,
    pub norm: Option<i64>,
    /// Where the norm comes from: `vast doel`, or the period of last year's value.
    pub norm_periode: String,
    pub resultaat: Resultaat,
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let doelen = scorecard(cx)?;
    let year = cx.windows.year;
    let current = cx.windows.current();
    let mut table = ReportTable::new(
        TABLE,
        format!("Subsidiedoelen {year}"),
        vec![
            Column::new("doel", "Doel"),
            Column::new("periode", "Periode"),
            Column::new("waarde", "Waarde"),
            Column::new("norm", "Norm"),
            Column::new("norm_periode", "Norm uit"),
            Column::new("resultaat", "Resultaat"),
        ],
    )
    .with_caption(format!(
        "Schooljaar {current} loopt van 1 augustus {} tot en met 31 juli {}; voorlichtingen \
         tellen per kalenderjaar (uitgevoerd en gepland, niet geannuleerd). Onbekend: de gegevens \
         beslaan niet de hele periode die het doel meet.",
        current.start_year(),
        current.end_year()
    ));
    let unknown = || Value::Tenths(None);
    for d in &doelen {
        table.push(
            Row::new(
                &d.key,
                vec![
                    Value::Text(d.periode.clone()),
                    d.waarde.map_or_else(unknown, Value::Count),
                    d.norm.map_or_else(unknown, Value::Count),
                    Value::Text(d.norm_periode.clone()),
                    Value::Text(d.resultaat.as_str().to_string()),
                ],
            )
            .labelled(&d.label),
        );
    }
    if doelen
        .iter()
        .any(|d| d.waarde == Some(0) && d.norm == Some(0))
    {
        table.add_note("Ook onbekend: een doel waarvan de waarde en de norm allebei nul zijn.");
    }
    let count = |r: Resultaat| doelen.iter().filter(|d| d.resultaat == r).count() as i64;
    let missed: Vec<&str> = doelen
        .iter()
        .filter(|d| d.resultaat == Resultaat::NietBehaald)
        .map(|d| d.label.as_str())
        .collect();
    let mut appendix = DEFINITION.appendix();
    appendix.fact("jaar", Value::Text(year.to_string()));
    appendix.fact("schooljaar", Value::Text(current.to_string()));
    appendix.fact("aantal", Value::Count(doelen.len() as i64));
    appendix.fact("behaald", Value::Count(count(Resultaat::Behaald)));
    appendix.fact("niet_behaald", Value::Count(count(Resultaat::NietBehaald)));
    appendix.fact("onbekend", Value::Count(count(Resultaat::Onbekend)));
    // Labels may hold commas ("Nieuw-West, Noord of Zuidoost"): joined with semicolons.
    appendix.fact("niet_behaald_doelen", Value::Text(missed.join("; ")));
    appendix.tables.push(table);
    Ok(appendix)
}

/// The targets of the report year, evaluated.
pub fn scorecard(cx: &Context) -> Result<Vec<Doel>> {
    let doelen = cx.config.doelen_for(cx.windows.year);
    let year = cx.windows.year;
    let current = cx.windows.current();
    let previous = SchoolYear(current.start_year() - 1);
    let dossiers = cx.frames.dossiers.clone().lazy();
    let per_year = count_by(&cx.frames.labels, dossiers.clone(), &["schooljaar"])?;
    let dossier_year = |y: SchoolYear| -> Option<()> {
        (cx.frames
            .coverage
            .dossiers
            .cover(&crate::coverage::Period::school_year(y))
            == crate::coverage::Cover::Full)
            .then_some(())
    };
    let count_in = |counts: &super::Counts, y: SchoolYear, rest: &[&str]| -> Option<i64> {
        dossier_year(y)?;
        let key = y.start_year().to_string();
        let mut k: Vec<&str> = vec![&key];
        k.extend_from_slice(rest);
        Some(counts.get(&k))
    };
    let mut out = Vec::new();

    if let Some(target) = doelen.paginaweergaven {
        let pageviews = super::websitebezoek::per_school_year(cx)?;
        let seen = pageviews.days(current);
        let value = pageviews.views(current);
        let full_year = current.days();
        let (waarde, resultaat) = if seen == 0 {
            (None, Resultaat::Onbekend)
        } else if value >= target {
            (Some(value), Resultaat::Behaald)
        } else if seen < full_year {
            (Some(value), Resultaat::Onbekend)
        } else {
            (Some(value), Resultaat::NietBehaald)
        };
        out.push(Doel {
            key: "paginaweergaven".into(),
            label: format!("Unieke paginaweergaven ≥ {}", getal(target)),
            periode: current.to_string(),
            waarde,
            norm: Some(target),
            norm_periode: "vast doel".into(),
            resultaat,
        });
    }

    if let Some(target) = doelen.dossiers {
        let waarde = count_in(&per_year, current, &[]);
        out.push(Doel {
            key: "dossiers".into(),
            label: format!("Dossiers ≥ {}", getal(target)),
            periode: current.to_string(),
            waarde,
            norm: Some(target),
            norm_periode: "vast doel".into(),
            resultaat: Resultaat::of(waarde, Some(target)),
        });
    }

    if !doelen.voorlichtingen_stadsdelen.is_empty() {
        let counts = count_by(
            &cx.frames.labels,
            cx.frames.voorlichtingen.clone().lazy(),
            &["gebied", "jaar"],
        )?;
        let covered = |y: i32| {
            cx.frames
                .coverage
                .voorlichtingen
                .cover(&crate::coverage::Period::calendar_year(y))
                == crate::coverage::Cover::Full
        };
        for gebied in &doelen.voorlichtingen_stadsdelen {
            let gebied = canonical(&cx.config.voorlichting_gebieden, gebied).unwrap_or(gebied);
            let of = |y: i32| covered(y).then(|| counts.get(&[gebied, &y.to_string()]));
            let (waarde, norm) = (of(year), of(year - 1));
            out.push(Doel {
                key: format!("voorlichtingen {gebied}"),
                label: format!("Voorlichtingen in {gebied} ≥ vorig jaar"),
                periode: year.to_string(),
                waarde,
                norm,
                norm_periode: (year - 1).to_string(),
                resultaat: Resultaat::of(waarde, norm),
            });
        }
    }

    if !doelen.dossiers_stadsdelen.is_empty() {
        let stadsdelen: Vec<&str> = doelen
            .dossiers_stadsdelen
            .iter()
            .map(|s| canonical(&cx.config.stadsdelen, s).unwrap_or(s))
            .collect();
        // Dossiers naming a primary school in a stadsdeel (see [`crate::frames::Frames::named`]).
        let named = count_by(
            &cx.frames.labels,
            cx.frames.named.clone().lazy().filter(col("webinar").not()),
            &["schooljaar", "stadsdeel"],
        )?;
        let of = |y: SchoolYear| -> Option<i64> {
            stadsdelen
                .iter()
                .map(|s| count_in(&named, y, &[s]))
                .sum::<Option<i64>>()
        };
        let (waarde, norm) = (of(current), of(previous));
        out.push(Doel {
            key: "dossiers stadsdelen".into(),
            label: format!(
                "Dossiers (excl. webinars) die een basisschool in {} noemen ≥ vorig jaar",
                of_list(&stadsdelen)
            ),
            periode: current.to_string(),
            waarde,
            norm,
            norm_periode: previous.to_string(),
            resultaat: Resultaat::of(waarde, norm),
        });
    }

    if !doelen.dossiers_sectorgroepen.is_empty() {
        let per_sector = count_by(&cx.frames.labels, dossiers, &["schooljaar", "sector"])?;
        for id in &doelen.dossiers_sectorgroepen {
            let Some(group) = cx.config.sector_group(id) else {
                continue; // the settings were validated: unreachable
            };
            let of = |y: SchoolYear| -> Option<i64> {
                group
                    .sectoren
                    .iter()
                    .map(|s| {
                        let s = cx.config.canonical_sector(s).unwrap_or(s);
                        count_in(&per_sector, y, &[s])
                    })
                    .sum::<Option<i64>>()
            };
            let (waarde, norm) = (of(current), of(previous));
            out.push(Doel {
                key: format!("dossiers {}", group.id),
                label: format!("Dossiers sector {} ≥ vorig jaar", group.label),
                periode: current.to_string(),
                waarde,
                norm,
                norm_periode: previous.to_string(),
                resultaat: Resultaat::of(waarde, norm),
            });
        }
    }
    Ok(out)
}

/// Days from 1 August to 31 July of the school year.
/// `Nieuw-West, Noord of Zuidoost`.
fn of_list(items: &[&str]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} of {last}", rest.join(", ")),
        _ => items.join(""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_met_at_the_norm_and_unknown_without_a_value() {
        assert_eq!(Resultaat::of(Some(14), Some(14)), Resultaat::Behaald);
        assert_eq!(Resultaat::of(Some(7), Some(13)), Resultaat::NietBehaald);
        assert_eq!(Resultaat::of(None, Some(13)), Resultaat::Onbekend);
        assert_eq!(Resultaat::of(Some(7), None), Resultaat::Onbekend);
        assert_eq!(Resultaat::of(Some(0), Some(0)), Resultaat::Onbekend);
        assert_eq!(Resultaat::of(Some(1), Some(0)), Resultaat::Behaald);
        assert_eq!(Resultaat::of(Some(0), Some(1)), Resultaat::NietBehaald);
        for r in [
            Resultaat::Behaald,
            Resultaat::NietBehaald,
            Resultaat::Onbekend,
        ] {
            assert_eq!(Resultaat::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn lists_read_as_prose() {
        assert_eq!(
            of_list(&["Nieuw-West", "Noord", "Zuidoost"]),
            "Nieuw-West, Noord of Zuidoost"
        );
        assert_eq!(of_list(&["Noord"]), "Noord");
    }

    fn appendix(aantal: i64, behaald: i64, niet: i64, onbekend: i64) -> Appendix {
        let mut a = Appendix::new(TABLE, "Bijlage – Subsidiedoelen");
        let mut t = ReportTable::new(
            TABLE,
            "Subsidiedoelen 2021",
            vec![Column::new("doel", "Doel")],
        );
        t.push(Row::new("dossiers", vec![]).labelled("Dossiers ≥ 1.500"));
        a.tables.push(t);
        a.fact("jaar", Value::Text("2021".into()));
        a.fact("schooljaar", Value::Text("2020-2021".into()));
        a.fact("aantal", Value::Count(aantal));
        a.fact("behaald", Value::Count(behaald));
        a.fact("niet_behaald", Value::Count(niet));
        a.fact("onbekend", Value::Count(onbekend));
        a.fact(
            "niet_behaald_doelen",
            Value::Text("Dossiers ≥ 1.500; Voorlichtingen in Noord ≥ vorig jaar".into()),
        );
        a
    }

    #[test]
    fn the_template_says_how_many_targets_were_met() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("report-templates");
        let templates = crate::render::templates::Templates::from_dir(dir).unwrap();
        let render = |a: &Appendix| templates.render_appendix(a, 2021).unwrap();
        let some = render(&appendix(8, 5, 2, 1));
        assert!(some.starts_with("## Bijlage – Subsidiedoelen\n"), "{some}");
        assert!(
            some.contains(
                "Van de 8 doelen zijn er 5 behaald en 2 niet (Dossiers ≥ 1.500; Voorlichtingen in \
                 Noord ≥ vorig jaar).\nVan 1 doel is de uitkomst onbekend"
            ),
            "{some}"
        );
        assert!(some.contains("schooljaar 2020-2021"), "{some}");
        assert!(some.contains("| Dossiers ≥ 1.500 |"), "{some}");
        assert!(
            some.contains("allebei nul.\n\n**Subsidiedoelen 2021**\n"),
            "{some}"
        );
        assert!(render(&appendix(3, 3, 0, 0)).contains("Alle 3 doelen zijn behaald."));
        let none = render(&appendix(0, 0, 0, 0));
        assert!(
            none.contains("Voor 2021 zijn geen subsidiedoelen vastgelegd."),
            "{none}"
        );
        assert!(!none.contains("| Dossiers"), "{none}");
        // Every fact is used: a misspelt or missing one is an error naming it.
        let full = appendix(8, 5, 2, 1);
        for fact in full.facts.keys() {
            let mut a = full.clone();
            a.facts.remove(fact);
            let err = format!("{:#}", templates.render_appendix(&a, 2021).unwrap_err());
            assert!(
                err.contains("undefined") && err.contains(fact.as_str()),
                "{err}"
            );
        }
    }
}
