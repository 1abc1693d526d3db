//! Kanalen: per sector group, how many dossiers came in through WhatsApp and how many of
//! those through a website article.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::counted::{Counted, Export, cells_each, in_group};
use super::definition::{Consistency, Definition, Percentage, TableDefinition, template};
use super::{Context, count_by};
use crate::render::number::dutch_date;
use crate::table::{Appendix, Column, ReportTable, Row, Value, percent_tenths};

/// The appendix: its table, template, computation, inputs and consistency rule.
pub const DEFINITION: Definition = Definition {
    id: "kanalen",
    title: "Kanalen: WhatsApp per sector",
    template: template!("kanalen"),
    tables: &[TableDefinition {
        counted: Some(|cx, _| counted(cx)),
        percentages: &[
            Percentage {
                column: "pct_whatsapp",
                numerator: "whatsapp",
                denominator: "dossiers",
            },
            Percentage {
                column: "pct_artikel_van_whatsapp",
                numerator: "whatsapp_artikel",
                denominator: "whatsapp",
            },
            Percentage {
                column: "pct_artikel_van_dossiers",
                numerator: "whatsapp_artikel",
                denominator: "dossiers",
            },
        ],
        rows_are_sector_groups: true,
        ..TableDefinition::new("kanalen", super::sectoren::current_school_year)
    }],
    compute,
    inputs: &[crate::ingest::dossiers::FILE],
    consistency: &[Consistency::KanalenWithinSectoren],
    internal: false,
};

/// The first and last day the table counts.
fn period(cx: &Context) -> (NaiveDate, NaiveDate) {
    let current = cx.windows.current();
    let start = NaiveDate::from_ymd_opt(current.start_year(), 8, 1).expect("1 August exists");
    let end = NaiveDate::from_ymd_opt(current.end_year(), 7, 31).expect("31 July exists");
    // A start day outside this school year (the channel opened later, or long before) leaves
    // the whole school year.
    let from = cx
        .config
        .kanalen_vanaf
        .filter(|d| (start..=end).contains(d))
        .unwrap_or(start);
    (from, end)
}

fn dossiers_of_the_period(cx: &Context) -> LazyFrame {
    let (from, end) = period(cx);
    let in_period = col("datum")
        .gt_eq(lit(from))
        .and(col("datum").lt_eq(lit(end)));
    cx.frames.dossiers.clone().lazy().filter(in_period)
}

/// The dossiers counted in the count columns, per sector group.
pub fn counted(cx: &Context) -> Result<Counted> {
    let whatsapp = when(col("whatsapp"))
        .then(lit("whatsapp"))
        .otherwise(lit(""));
    let via_article = when(col("whatsapp").and(col("herkomst").eq(lit("artikel"))))
        .then(lit("whatsapp_artikel"))
        .otherwise(lit(""));
    let mut groups = Vec::new();
    for id in &cx.config.kanalen_groepen {
        let Some(group) = cx.config.sector_group(id) else {
            continue;
        };
        for column in [lit("dossiers"), whatsapp.clone(), via_article.clone()] {
            groups.push((in_group(group), column));
        }
    }
    let parts = vec![cells_each(
        dossiers_of_the_period(cx),
        &["sector", "whatsapp", "herkomst"],
        groups,
    )];
    let (from, end) = period(cx);
    Ok(Counted {
        export: Export::Dossiers,
        parts,
        rule: format!(
            "Dossiers geopend van {} t/m {} met een sector van deze sectorgroep. whatsapp: \
             kanaal whatsapp; whatsapp_artikel: kanaal whatsapp en herkomst artikel.",
            dutch_date(from),
            dutch_date(end)
        ),
        by_school: false,
    })
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let (from, end) = period(cx);
    let in_period = count_by(&cx.frames.labels, dossiers_of_the_period(cx), &["whatsapp"])?.total();
    let counts = counted(cx)?.counts(&cx.frames.labels)?;

    let periode = format!("{} t/m {}", dutch_date(from), dutch_date(end));
    let columns = vec![
        Column::new("sectorgroep", "Sector"),
        Column::new("dossiers", "Dossiers").with_period(&periode),
        Column::new("whatsapp", "Via WhatsApp").with_period(&periode),
        Column::new("pct_whatsapp", "% via WhatsApp").with_period(&periode),
        Column::new("whatsapp_artikel", "WhatsApp via artikel").with_period(&periode),
        Column::new("pct_artikel_van_whatsapp", "% van WhatsApp").with_period(&periode),
        Column::new(
            "pct_artikel_van_dossiers",
            "WhatsApp via artikel als % van alle dossiers",
        )
        .with_period(&periode),
    ];
    let mut table = ReportTable::new("kanalen", "WhatsApp per sector", columns).with_caption(
        format!("Dossiers van {periode}; herkomst artikel = WhatsApp aangeklikt bij een artikel."),
    );
    for id in &cx.config.kanalen_groepen {
        let Some(group) = cx.config.sector_group(id) else {
            continue;
        };
        let all = counts.get(&[&group.id, "dossiers"]);
        let whatsapp = counts.get(&[&group.id, "whatsapp"]);
        let article = counts.get(&[&group.id, "whatsapp_artikel"]);
        table.push(Row::new(
            &group.id,
            vec![
                Value::Count(all),
                Value::Count(whatsapp),
                Value::Tenths(percent_tenths(whatsapp, all)),
                Value::Count(article),
                Value::Tenths(percent_tenths(article, whatsapp)),
                Value::Tenths(percent_tenths(article, all)),
            ],
        ));
    }
    let mut appendix = DEFINITION.appendix();
    if in_period == 0 {
        appendix.fact(
            "geen_dossiers",
            Value::Text(format!(
                "Van {} tot en met {} bevatten de gegevens geen dossiers; de percentages zijn \
                 daarom niet te berekenen.",
                dutch_date(from),
                dutch_date(end)
            )),
        );
    }
    appendix.fact("vanaf", Value::Text(dutch_date(from)));
    appendix.fact("tot", Value::Text(dutch_date(end)));
    appendix.tables.push(table);
    Ok(appendix)
}
