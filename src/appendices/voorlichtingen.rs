//! Voorlichtingen: held and planned info sessions per calendar year, by stadsdeel, thema and
//! host organisation, over the report year and the three years before it.

use anyhow::Result;
use polars::prelude::*;

use super::counted::{Counted, Export, cells};
use super::definition::{Chart, ChartStyle, Consistency, Definition, TableDefinition, template};
use super::{Context, count_by, ordered_categories, sum_by};
use crate::coverage::Period;
use crate::period::Windows;
use crate::table::{Appendix, Column, ReportTable, Row, Value};

/// The appendix: its tables (sessions of a public agenda, no people), template, computation,
/// inputs and consistency rule.
pub const DEFINITION: Definition = Definition {
    id: "voorlichtingen",
    title: "Voorlichtingen",
    template: template!("voorlichtingen"),
    tables: &[
        TableDefinition {
            counts_people: false,
            counted: Some(counted),
            ..TableDefinition::new("voorlichtingen-stadsdeel", periods)
        },
        TableDefinition {
            counts_people: false,
            counted: Some(counted),
            chart: Some(Chart {
                id: "voorlichtingen",
                style: ChartStyle::Voorlichtingen,
            }),
            ..TableDefinition::new("voorlichtingen-thema", periods)
        },
        TableDefinition {
            counts_people: false,
            counted: Some(counted),
            ..TableDefinition::new("voorlichtingen-organisatie", periods)
        },
    ],
    compute,
    inputs: &[crate::ingest::voorlichtingen::FILE],
    consistency: &[Consistency::VoorlichtingenTotals],
    internal: false,
};

/// The periods of the three tables: the calendar years, oldest first.
fn periods(windows: Windows) -> Vec<(&'static str, Vec<Period>)> {
    let mut years = windows.voorlichtingen();
    years.reverse();
    vec![(
        crate::ingest::voorlichtingen::FILE,
        years.into_iter().map(Period::calendar_year).collect(),
    )]
}

/// The three tables: (table id, column of the frame, header of the first column).
const TABLES: [(&str, &str, &str); 3] = [
    ("voorlichtingen-stadsdeel", "gebied", "Stadsdeel"),
    ("voorlichtingen-thema", "thema", "Thema"),
    ("voorlichtingen-organisatie", "organisatie", "Organisatie"),
];

fn sessions_of_the_window(cx: &Context) -> LazyFrame {
    let years = cx.windows.voorlichtingen();
    let (newest, oldest) = (years[0], years[years.len() - 1]);
    cx.frames.voorlichtingen.clone().lazy().filter(
        col("jaar")
            .gt_eq(lit(oldest))
            .and(col("jaar").lt_eq(lit(newest))),
    )
}

/// The sessions counted in the cells of one of the three tables: per category (the frame's
/// `column`) and calendar year.
pub fn counted(cx: &Context, table: &str) -> Result<Counted> {
    let (_, column, header) = TABLES
        .iter()
        .find(|(id, _, _)| *id == table)
        .copied()
        .unwrap_or(TABLES[0]);
    let years = cx.windows.voorlichtingen();
    Ok(Counted {
        export: Export::Voorlichtingen,
        parts: vec![cells(
            sessions_of_the_window(cx),
            &[column, "jaar"],
            col(column),
            col("jaar"),
        )],
        rule: format!(
            "Voorlichtingen uit voorlichtingen.csv met datum in het kalenderjaar van de kolom \
             ({} t/m {}) en deze waarde in de kolom {}; status uitgevoerd of gepland, \
             geannuleerde tellen niet.",
            years[years.len() - 1],
            years[0],
            match column {
                "gebied" => "stadsdeel",
                _ => header,
            }
            .to_lowercase()
        ),
        by_school: false,
    })
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let years = cx.windows.voorlichtingen();
    let newest = years[0];
    let sessions = sessions_of_the_window(cx);
    let this_year = sessions.clone().filter(col("jaar").eq(lit(newest)));
    let several_at_once = this_year.clone().filter(col("locaties").gt(lit(1)));

    let mut appendix = DEFINITION.appendix();
    for (id, column, header) in TABLES {
        let counts = counted(cx, id)?.counts(&cx.frames.labels)?;
        let reached = sum_by(
            &cx.frames.labels,
            several_at_once.clone(),
            &[column],
            "locaties",
        )?;
        let categories = match column {
            "gebied" => cx.config.voorlichting_gebieden.clone(),
            _ => {
                let configured = if column == "thema" {
                    &cx.config.voorlichting_themas
                } else {
                    &cx.config.voorlichting_organisaties
                };
                let mut seen: Vec<(String, i64)> = Vec::new();
                for key in counts.keys() {
                    let n = counts.get(&[&key[0], &key[1]]);
                    match seen.iter_mut().find(|(s, _)| *s == key[0]) {
                        Some(entry) => entry.1 += n,
                        None => seen.push((key[0].clone(), n)),
                    }
                }
                ordered_categories(configured, &seen)
            }
        };
        let mut table = year_table(id, header, &years, &categories, &counts, &reached);
        if column == "gebied" {
            group_the_others(&mut table, &cx.config.stadsdelen);
        }
        appendix.tables.push(table);
    }

    let per_year = count_by(&cx.frames.labels, sessions.clone(), &["jaar"])?;
    let per_form = count_by(&cx.frames.labels, sessions.clone(), &["jaar", "vorm"])?;
    let previous = (newest - 1).to_string();
    appendix.fact("jaar", Value::Text(newest.to_string()));
    appendix.fact("totaal", Value::Count(per_year.get(&[&newest.to_string()])));
    appendix.fact("vorig_jaar", Value::Text(previous.clone()));
    appendix.fact("vorig_totaal", Value::Count(per_year.get(&[&previous])));
    appendix.fact(
        "vorig_fysiek",
        Value::Count(per_form.get(&[&previous, "fysiek"])),
    );
    appendix.fact(
        "vorig_webinar",
        Value::Count(per_form.get(&[&previous, "webinar"])),
    );
    let locaties = sum_by(&cx.frames.labels, this_year, &["jaar"], "locaties")?;
    appendix.fact("locaties", Value::Count(locaties.total()));
    let several = sum_by(&cx.frames.labels, several_at_once, &["jaar"], "locaties")?;
    appendix.fact("meervoudige_locaties", Value::Count(several.total()));
    Ok(appendix)
}

/// The areas that are neither a stadsdeel nor the whole city (Abcoude, Diemen, Landsmeer)
/// under the heading `Overig`, as the report has always printed them.
fn group_the_others(table: &mut ReportTable, stadsdelen: &[String]) {
    let other = table.rows.iter_mut().find(|row| {
        !row.total
            && !row.key.eq_ignore_ascii_case(CITY_WIDE)
            && !stadsdelen.iter().any(|s| s.eq_ignore_ascii_case(&row.key))
    });
    if let Some(row) = other {
        row.group = Some("Overig".to_string());
    }
}

/// The area of a session for the whole city.
const CITY_WIDE: &str = "Stadsbreed";

fn year_table(
    id: &str,
    header: &str,
    years: &[i32],
    categories: &[String],
    counts: &super::Counts,
    reached: &super::Counts,
) -> ReportTable {
    let mut columns = vec![Column::new(header.to_lowercase(), header)];
    for year in years {
        columns.push(
            Column::new(year.to_string(), format!("Aantal {year}")).with_period(year.to_string()),
        );
    }
    let title = format!("Voorlichtingen per {}", header.to_lowercase());
    let mut table = ReportTable::new(id, title, columns);
    let mut totals = vec![0; years.len()];
    for category in categories {
        let values: Vec<i64> = years
            .iter()
            .map(|y| counts.get(&[category, &y.to_string()]))
            .collect();
        for (total, v) in totals.iter_mut().zip(&values) {
            *total += v;
        }
        let mut row = Row::new(category, values.into_iter().map(Value::Count).collect());
        let locations = reached.get(&[category]);
        if locations > 0 {
            row = row.labelled(format!(
                "{category} (in {} {locations} deelnemende locaties)",
                years[0]
            ));
        }
        table.push(row);
    }
    table.push(Row::new("Totaal", totals.into_iter().map(Value::Count).collect()).as_total());
    table.caption = Some(
        "Uitgevoerde en geplande voorlichtingen per kalenderjaar; geannuleerde tellen niet mee."
            .to_string(),
    );
    table
}
