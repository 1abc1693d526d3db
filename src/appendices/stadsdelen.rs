//! Bijlage – Spreiding vragen over stadsdelen: dossiers that name a primary school, by the
//! school's stadsdeel, over four school years, against CBS primary pupils per stadsdeel.

use anyhow::{Result, bail};
use polars::prelude::*;

use super::counted::{Counted, Export, cells_each};
use super::definition::{
    Chart, ChartStyle, Consistency, Definition, Percentage, PupilSource, Pupils, TableDefinition,
    template,
};
use super::{Context, in_school_years, period_text};
use crate::coverage::Period;
use crate::coverage::school_years;
use crate::model::StadsdeelPupils;
use crate::period::SchoolYear;
use crate::period::Windows;
use crate::table::{Appendix, Column, ReportTable, Row, Value, percent_tenths};

/// The appendix: its table, template, computation, inputs and consistency rule.
pub const DEFINITION: Definition = Definition {
    id: "stadsdelen",
    title: "Bijlage – Spreiding vragen over stadsdelen",
    template: template!("stadsdelen"),
    tables: &[TableDefinition {
        counted: Some(|cx, _| counted(cx)),
        percentages: &[
            Percentage {
                column: "pct_excl_webinars",
                numerator: "vragen_excl_webinars",
                denominator: "leerlingen",
            },
            Percentage {
                column: "pct_incl_webinars",
                numerator: "vragen_incl_webinars",
                denominator: "leerlingen",
            },
        ],
        pupils: Some(Pupils {
            column: "leerlingen",
            source: PupilSource::Stadsdeel,
        }),
        chart: Some(Chart {
            id: "stadsdelen",
            style: ChartStyle::Stadsdelen,
        }),
        ..TableDefinition::new("stadsdelen", spread_periods)
    }],
    compute,
    inputs: &[
        crate::ingest::scholen::FILE,
        crate::ingest::dossiers::FILE,
        crate::ingest::leerlingen::STADSDEEL_FILE,
    ],
    consistency: &[Consistency::StadsdelenAndSchoolweging],
    internal: false,
};

/// The periods of the spread: the dossiers of its four school years.
pub fn spread_periods(windows: Windows) -> Vec<(&'static str, Vec<Period>)> {
    vec![(
        crate::ingest::dossiers::FILE,
        school_years(windows.spread()),
    )]
}

/// Dossiers of the spread window naming a primary school (`po` in the registry) that lies in a
/// stadsdeel, joined with that school's `stadsdeel` and `band`.
pub fn dossiers_naming_a_primary_school(cx: &Context) -> LazyFrame {
    let years = cx.windows.spread();
    let (first, last) = (years[0], years[years.len() - 1]);
    cx.frames
        .named
        .clone()
        .lazy()
        .filter(in_school_years(first, last))
}

/// The CBS school year whose pupil counts divide: pinned in the settings, else the latest one
/// in `leerlingen-stadsdeel.csv` that is not after the report's school year.
pub fn cbs_school_year(cx: &Context) -> Result<SchoolYear> {
    if let Some(pinned) = cx.config.cbs_schooljaar {
        return Ok(pinned);
    }
    let current = cx.windows.current();
    match cx
        .data
        .leerlingen_stadsdeel
        .iter()
        .map(|p| p.schooljaar)
        .filter(|y| *y <= current)
        .max()
    {
        Some(year) => Ok(year),
        None => bail!(
            "leerlingen-stadsdeel.csv has no school year up to {}: the stadsdeel table has no \
             denominator",
            current.slashed()
        ),
    }
}

/// The CBS row that divides the figures of `stadsdeel`.
pub fn pupils<'a>(
    cx: &Context<'a>,
    stadsdeel: &str,
    year: SchoolYear,
) -> Result<&'a StadsdeelPupils> {
    let found = cx
        .data
        .leerlingen_stadsdeel
        .iter()
        .find(|p| p.stadsdeel == stadsdeel && p.schooljaar == year);
    match found {
        Some(p) => Ok(p),
        None => bail!(
            "leerlingen-stadsdeel.csv has no pupil count for {stadsdeel} in {}",
            year.slashed()
        ),
    }
}

/// The dossiers counted in the cells of the stadsdeel table (the `vragen_` columns).
pub fn counted(cx: &Context) -> Result<Counted> {
    let named = dossiers_naming_a_primary_school(cx);
    let excl = when(col("webinar")).then(lit("")).otherwise(lit(EXCL));
    let parts = vec![cells_each(
        named,
        &["stadsdeel", "webinar"],
        vec![(col("stadsdeel"), excl), (col("stadsdeel"), lit(INCL))],
    )];
    Ok(Counted {
        export: Export::Dossiers,
        parts,
        rule: format!(
            "Dossiers geopend in de schooljaren {} die een basisschool noemen (sector po in \
             scholen.csv) die in dit stadsdeel ligt: gevonden op school_brin, anders op \
             schoolnaam, gelijk aan de naam of een alias in het register na normaliseren van \
             hoofdletters, accenten, leestekens en spaties. Excl. webinars: zonder de vragen \
             van kanaal webinar; incl. webinars: met die vragen.",
            period_text(&cx.windows.spread())
        ),
        by_school: true,
    })
}

const EXCL: &str = "vragen_excl_webinars";
const INCL: &str = "vragen_incl_webinars";

pub fn compute(cx: &Context) -> Result<Appendix> {
    let counts = counted(cx)?.counts(&cx.frames.labels)?;
    let cbs = cbs_school_year(cx)?;
    let source = crate::ingest::leerlingen::pupil_source(&cx.data.leerlingen_stadsdeel, cbs);
    let periode = period_text(&cx.windows.spread());
    let mut table = ReportTable::new(
        "stadsdelen",
        "Vragen met vermelding van de basisschool per stadsdeel",
        vec![
            Column::new("stadsdeel", "Stadsdeel"),
            Column::new(
                "leerlingen",
                format!("{} leerlingen {}", source.short, cbs.slashed()),
            )
            .with_period(cbs.slashed()),
            Column::new("vragen_excl_webinars", "Vragen excl. webinars").with_period(&periode),
            Column::new("pct_excl_webinars", "% excl.").with_period(&periode),
            Column::new("vragen_incl_webinars", "Vragen incl. webinars").with_period(&periode),
            Column::new("pct_incl_webinars", "% incl.").with_period(&periode),
        ],
    )
    .with_caption(format!(
        "Dossiers uit de schooljaren {periode} waarin een basisschool is genoemd, naar het \
         stadsdeel van die school, gedeeld door het aantal leerlingen in het basisonderwijs per \
         stadsdeel ({}, {}).",
        source.long,
        cbs.slashed()
    ));
    let (mut total_pupils, mut total_excl, mut total_incl) = (0, 0, 0);
    // (stadsdeel, dossiers, pupils) of the stadsdelen with pupils.
    let mut shares: Vec<(String, i64, i64)> = Vec::new();
    for stadsdeel in &cx.config.stadsdelen {
        let leerlingen = pupils(cx, stadsdeel, cbs)?.leerlingen;
        let excl = counts.get(&[stadsdeel, EXCL]);
        let incl = counts.get(&[stadsdeel, INCL]);
        if leerlingen > 0 {
            shares.push((stadsdeel.clone(), excl, leerlingen));
        }
        table.push(Row::new(stadsdeel, row_values(leerlingen, excl, incl)));
        total_pupils += leerlingen;
        total_excl += excl;
        total_incl += incl;
    }
    table.push(
        Row::new(
            "Amsterdam",
            row_values(total_pupils, total_excl, total_incl),
        )
        .as_total(),
    );

    let mut appendix = DEFINITION.appendix();
    if let Some(note) = crate::coverage::stale_pupil_count(cbs, cx.windows.current()) {
        table.add_note(&note);
        appendix.fact("cbs_verouderd", Value::Text(note));
    }
    if total_incl == 0 {
        table.add_note(
            "Geen enkel dossier noemt een basisschool die in het schoolregister bij een stadsdeel \
             hoort.",
        );
    }
    let lowest = lowest_share(&shares);
    appendix.fact("periode", Value::Text(periode));
    appendix.fact("cbs_schooljaar", Value::Text(cbs.slashed()));
    if source.short != "CBS" {
        appendix.fact("leerlingen_bron", Value::Text(source.long.to_string()));
    }
    appendix.fact("dossiers_excl", Value::Count(total_excl));
    appendix.fact("dossiers_incl", Value::Count(total_incl));
    appendix.fact("webinar", Value::Count(total_incl - total_excl));
    let (low_name, low_pct) = lowest.map_or((String::new(), None), |(name, n, d)| {
        (name, percent_tenths(n, d))
    });
    appendix.fact("laagste_stadsdeel", Value::Text(low_name));
    appendix.fact("laagste_pct", Value::Tenths(low_pct));
    appendix.tables.push(table);
    Ok(appendix)
}

/// The stadsdeel whose share of dossiers is below every other one's, compared on the exact
/// fractions; `None` when no dossier is counted, fewer than two stadsdelen have pupils or the
/// lowest share is shared: a ranking over zeros or ties says nothing.
fn lowest_share(shares: &[(String, i64, i64)]) -> Option<(String, i64, i64)> {
    if shares.len() < 2 || shares.iter().all(|(_, n, _)| *n == 0) {
        return None;
    }
    // a/b < c/d ⇔ a·d < c·b for positive b and d.
    let below = |(_, a, b): &(String, i64, i64), (_, c, d): &(String, i64, i64)| {
        i128::from(*a) * i128::from(*d) < i128::from(*c) * i128::from(*b)
    };
    let lowest = shares
        .iter()
        .find(|s| shares.iter().all(|o| std::ptr::eq(*s, o) || below(s, o)))?;
    Some(lowest.clone())
}

fn row_values(leerlingen: i64, excl: i64, incl: i64) -> Vec<Value> {
    vec![
        Value::Count(leerlingen),
        Value::Count(excl),
        Value::Tenths(percent_tenths(excl, leerlingen)),
        Value::Count(incl),
        Value::Tenths(percent_tenths(incl, leerlingen)),
    ]
}
