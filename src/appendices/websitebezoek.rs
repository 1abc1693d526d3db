//! Bijlage – Websitebezoek: unique pageviews per school year over four school years.

use anyhow::Result;
use polars::prelude::*;

use super::definition::{Chart, ChartStyle, Consistency, Definition, TableDefinition, template};
use super::{Context, Counts, count_by, sum_by};
use crate::coverage::school_years;
use crate::period::SchoolYear;
use crate::table::{Appendix, Column, ReportTable, Row, Value, ratio_tenths};

/// The appendix: its table, template, computation, inputs and consistency rule.
pub const DEFINITION: Definition = Definition {
    id: "websitebezoek",
    title: "Bijlage – Websitebezoek",
    template: template!("websitebezoek"),
    tables: &[TableDefinition {
        counts_people: false,
        caption_names_gaps: true,
        chart: Some(Chart {
            id: "websitebezoek",
            style: ChartStyle::WeeklyPageviews,
        }),
        ..TableDefinition::new("websitebezoek", |w| {
            vec![(crate::ingest::pageviews::FILE, school_years(w.spread()))]
        })
    }],
    compute,
    inputs: &[crate::ingest::pageviews::FILE],
    consistency: &[Consistency::WebsiteFacts],
    internal: false,
};

/// Unique pageviews, and the days the export covers, per school year.
pub struct PerSchoolYear {
    views: Counts,
    days: Counts,
}

impl PerSchoolYear {
    pub fn views(&self, year: SchoolYear) -> i64 {
        self.views.get(&[&year.start_year().to_string()])
    }

    pub fn days(&self, year: SchoolYear) -> i64 {
        self.days.get(&[&year.start_year().to_string()])
    }
}

pub fn per_school_year(cx: &Context) -> Result<PerSchoolYear> {
    let pageviews = cx.frames.pageviews.clone().lazy();
    Ok(PerSchoolYear {
        views: sum_by(
            &cx.frames.labels,
            pageviews.clone(),
            &["schooljaar"],
            "weergaven",
        )?,
        days: count_by(&cx.frames.labels, pageviews, &["schooljaar"])?,
    })
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let years = cx.windows.spread();
    let per_year = per_school_year(cx)?;
    let mut table = ReportTable::new(
        "websitebezoek",
        "Unieke paginaweergaven per schooljaar",
        vec![
            Column::new("schooljaar", "Schooljaar"),
            Column::new("unieke_paginaweergaven", "Unieke paginaweergaven"),
        ],
    );
    let mut incomplete = Vec::new();
    for year in &years {
        let seen = per_year.days(*year);
        if seen < year.days() {
            incomplete.push(format!("{year}: {seen} van {} dagen", year.days()));
        }
        table.push(Row::new(
            year.to_string(),
            vec![Value::Count(per_year.views(*year))],
        ));
    }
    if !incomplete.is_empty() {
        table.caption = Some(format!("Onvolledige gegevens: {}.", incomplete.join("; ")));
    }
    let first = years[0];
    let last = years[years.len() - 1];
    let first_views = per_year.views(first);
    let last_views = per_year.views(last);
    let mut appendix = DEFINITION.appendix();
    appendix.fact("eerste_jaar", Value::Text(first.to_string()));
    appendix.fact("eerste", Value::Count(first_views));
    appendix.fact(
        "eerste_miljoen",
        Value::Tenths(ratio_tenths(first_views, 1_000_000)),
    );
    appendix.fact("laatste_jaar", Value::Text(last.to_string()));
    appendix.fact("laatste", Value::Count(last_views));
    appendix.fact(
        "laatste_miljoen",
        Value::Tenths(ratio_tenths(last_views, 1_000_000)),
    );
    appendix.tables.push(table);
    Ok(appendix)
}
