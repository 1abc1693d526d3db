//! Passend onderwijs: the dossiers about passend onderwijs of the current school year against
//! the year before, by schooltype, question and diagnosis.

use anyhow::Result;
use polars::prelude::*;

use super::counted::{Counted, Export, cells, school_year_key};
use super::definition::{Chart, ChartStyle, Consistency, Definition, TableDefinition, template};
use super::{Context, Counts, count_by, ordered_categories, sum_by};
use crate::coverage::Period;
use crate::coverage::school_years;
use crate::period::SchoolYear;
use crate::period::Windows;
use crate::table::{Appendix, Column, ReportTable, Row, Value, ratio_tenths};

/// The appendix: its tables, template, computation, inputs and consistency rule.
pub const DEFINITION: Definition = Definition {
    id: "passend-onderwijs",
    title: "Passend onderwijs",
    template: template!("passend-onderwijs"),
    tables: &[
        TableDefinition {
            counted: Some(counted),
            chart: Some(Chart {
                id: "passend-schooltype",
                style: ChartStyle::TwoYears {
                    category: "Schooltype",
                },
            }),
            ..TableDefinition::new("passend-schooltype", periods)
        },
        TableDefinition {
            counted: Some(counted),
            chart: Some(Chart {
                id: "passend-vragen",
                style: ChartStyle::TwoYears { category: "Vraag" },
            }),
            ..TableDefinition::new("passend-vragen", periods)
        },
        TableDefinition {
            counted: Some(counted),
            chart: Some(Chart {
                id: "passend-diagnoses",
                style: ChartStyle::TwoYears {
                    category: "Diagnose",
                },
            }),
            ..TableDefinition::new("passend-diagnoses", periods)
        },
    ],
    compute,
    inputs: &[crate::ingest::dossiers::FILE],
    consistency: &[Consistency::DossiersOfTheYear],
    internal: false,
};

/// The periods of the three tables: the school year before and the current one.
fn periods(windows: Windows) -> Vec<(&'static str, Vec<Period>)> {
    let [now, before] = windows.passend();
    vec![(crate::ingest::dossiers::FILE, school_years([before, now]))]
}

fn both_years(cx: &Context, frame: &DataFrame) -> LazyFrame {
    let [current, previous] = cx.windows.passend();
    frame.clone().lazy().filter(
        col("schooljaar")
            .eq(lit(current.start_year()))
            .or(col("schooljaar").eq(lit(previous.start_year()))),
    )
}

/// The dossiers counted in the cells of `passend-schooltype`, `passend-vragen` or
/// `passend-diagnoses`: per value and school year.
pub fn counted(cx: &Context, table: &str) -> Result<Counted> {
    let years = cx.windows.passend();
    let (frame, column, what) = match table {
        "passend-schooltype" => (
            both_years(cx, &cx.frames.dossiers).filter(col("passend")),
            "schooltype",
            "met dit schooltype",
        ),
        "passend-vragen" => (
            both_years(cx, &cx.frames.vragen),
            "vraag",
            "met deze vraag in de kolom vragen",
        ),
        _ => (
            both_years(cx, &cx.frames.diagnoses),
            "diagnose",
            "met deze diagnose in de kolom diagnoses",
        ),
    };
    Ok(Counted {
        export: Export::Dossiers,
        parts: vec![cells(
            frame,
            &[column, "schooljaar"],
            col(column),
            school_year_key(&years),
        )],
        rule: format!(
            "Dossiers passend onderwijs (passend_onderwijs = ja) geopend in het schooljaar van \
             de kolom ({} of {}) {what}; een dossier telt per waarde één keer.",
            years[0], years[1]
        ),
        by_school: false,
    })
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let [current, previous] = cx.windows.passend();
    let both = |frame: &DataFrame| both_years(cx, frame);
    let passend = both(&cx.frames.dossiers).filter(col("passend"));
    let schooltypes = counted(cx, "passend-schooltype")?.counts(&cx.frames.labels)?;
    let vragen = counted(cx, "passend-vragen")?.counts(&cx.frames.labels)?;
    let diagnoses = counted(cx, "passend-diagnoses")?.counts(&cx.frames.labels)?;

    let years = [current, previous];
    let schooltype_rows = ordered_categories(&cx.config.schooltypes, &totals(&schooltypes));
    let vraag_rows = ordered_categories(&cx.config.passend_vragen, &totals(&vragen));
    let diagnose_rows = by_current_count(&diagnoses, current, previous);

    let mut appendix = DEFINITION.appendix();
    appendix.tables.push(compare_table(
        "passend-schooltype",
        "Vragen per schooltype",
        "schooltype",
        &schooltype_rows,
        &schooltypes,
        &years,
    ));
    appendix.tables.push(compare_table(
        "passend-vragen",
        "Veelgestelde vragen",
        "vraag",
        &vraag_rows,
        &vragen,
        &years,
    ));
    appendix.tables.push(compare_table(
        "passend-diagnoses",
        "Diagnoses genoemd in de dossiers",
        "diagnose",
        &diagnose_rows,
        &diagnoses,
        &years,
    ));

    let per_year = count_by(&cx.frames.labels, passend.clone(), &["schooljaar"])?;
    let all_per_year = count_by(
        &cx.frames.labels,
        both(&cx.frames.dossiers),
        &["schooljaar"],
    )?;
    let key = |y: SchoolYear| y.start_year().to_string();
    let dossiers = per_year.get(&[&key(current)]);
    for (year, n) in [
        (current, dossiers),
        (previous, per_year.get(&[&key(previous)])),
    ] {
        if n == 0 {
            // Zeros for a year without any passend onderwijs dossier would read as a fall.
            for table in &mut appendix.tables {
                let caption = table.caption.take().unwrap_or_default();
                table.caption = Some(format!(
                    "{caption} Geen dossiers passend onderwijs in {year}: de gegevens dekken dat \
                     schooljaar niet."
                ));
            }
        }
    }
    let total = all_per_year.get(&[&key(current)]);
    let with_diagnosis = count_by(
        &cx.frames.labels,
        passend.clone().filter(col("diagnose")),
        &["schooljaar"],
    )?;
    let this_year =
        |frame: LazyFrame| frame.filter(col("schooljaar").eq(lit(current.start_year())));
    let average_contacts = |frame: LazyFrame| -> Result<Option<i64>> {
        let with = frame.filter(col("contactmomenten").is_not_null());
        let sum = sum_by(
            &cx.frames.labels,
            with.clone(),
            &["schooljaar"],
            "contactmomenten",
        )?
        .total();
        Ok(ratio_tenths(
            sum,
            count_by(&cx.frames.labels, with, &["schooljaar"])?.total(),
        ))
    };
    appendix.fact("schooljaar", Value::Text(current.to_string()));
    appendix.fact("vorig_schooljaar", Value::Text(previous.to_string()));
    appendix.fact("dossiers", Value::Count(dossiers));
    appendix.fact(
        "dossiers_vorig",
        Value::Count(per_year.get(&[&key(previous)])),
    );
    appendix.fact("totaal_dossiers", Value::Count(total));
    let one_in = if dossiers > 0 {
        (2 * total + dossiers) / (2 * dossiers)
    } else {
        0
    };
    appendix.fact("een_op", Value::Count(one_in));
    appendix.fact(
        "met_diagnose",
        Value::Count(with_diagnosis.get(&[&key(current)])),
    );
    appendix.fact(
        "contactmomenten",
        Value::Tenths(average_contacts(this_year(passend))?),
    );
    appendix.fact(
        "contactmomenten_alle",
        Value::Tenths(average_contacts(this_year(
            cx.frames.dossiers.clone().lazy(),
        ))?),
    );
    Ok(appendix)
}

/// Total per category over both years, leaving out dossiers without a value.
fn totals(counts: &Counts) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = Vec::new();
    for key in counts.keys().into_iter().filter(|k| !k[0].is_empty()) {
        let n = counts.get(&[&key[0], &key[1]]);
        match out.iter_mut().find(|(s, _)| *s == key[0]) {
            Some(entry) => entry.1 += n,
            None => out.push((key[0].clone(), n)),
        }
    }
    out
}

/// Categories by the current year's count, then the previous year's, then name.
fn by_current_count(counts: &Counts, current: SchoolYear, previous: SchoolYear) -> Vec<String> {
    let mut rows: Vec<(String, i64, i64)> = totals(counts)
        .into_iter()
        .map(|(name, _)| {
            let now = counts.get(&[&name, &current.to_string()]);
            let before = counts.get(&[&name, &previous.to_string()]);
            (name, now, before)
        })
        .collect();
    rows.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then(b.2.cmp(&a.2))
            .then_with(|| a.0.cmp(&b.0))
    });
    rows.into_iter().map(|(name, _, _)| name).collect()
}

fn compare_table(
    id: &str,
    title: &str,
    header: &str,
    rows: &[String],
    counts: &Counts,
    years: &[SchoolYear; 2],
) -> ReportTable {
    let mut columns = vec![Column::new(header, header)];
    for year in years {
        columns.push(Column::new(year.to_string(), year.to_string()).with_period(year.to_string()));
    }
    let mut table = ReportTable::new(id, title, columns).with_caption(format!(
        "Dossiers passend onderwijs, {} tegenover {}; een dossier telt per waarde één keer.",
        years[0], years[1]
    ));
    for name in rows {
        let values = years
            .iter()
            .map(|y| Value::Count(counts.get(&[name, &y.to_string()])));
        table.push(Row::new(name, values.collect()));
    }
    table
}
