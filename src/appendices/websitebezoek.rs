//! Bijlage – Websitebezoek: unique pageviews per school year over four school years.

use anyhow::Result;
use polars::prelude::*;

use super::{Context, count_by, sum_by};
use crate::table::{Appendix, Column, ReportTable, Row, Value, ratio_tenths};

pub fn compute(cx: &Context) -> Result<Appendix> {
    let years = cx.windows.spread();
    let views = sum_by(
        cx.frames.pageviews.clone().lazy(),
        &["schooljaar"],
        "weergaven",
    )?;
    let days = count_by(cx.frames.pageviews.clone().lazy(), &["schooljaar"])?;
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
        let key = year.start_year().to_string();
        let days_in_year = (chrono::NaiveDate::from_ymd_opt(year.end_year(), 8, 1))
            .zip(chrono::NaiveDate::from_ymd_opt(year.start_year(), 8, 1))
            .map_or(365, |(end, start)| (end - start).num_days());
        let seen = days.get(&[&key]);
        if seen < days_in_year {
            incomplete.push(format!("{year}: {seen} van {days_in_year} dagen"));
        }
        table.push(Row::new(
            year.to_string(),
            vec![Value::Count(views.get(&[&key]))],
        ));
    }
    if !incomplete.is_empty() {
        table.caption = Some(format!("Onvolledige gegevens: {}.", incomplete.join("; ")));
    }
    let first = years[0];
    let last = years[years.len() - 1];
    let first_views = views.get(&[&first.start_year().to_string()]);
    let last_views = views.get(&[&last.start_year().to_string()]);
    let mut appendix = Appendix::new("websitebezoek", "Bijlage – Websitebezoek");
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
