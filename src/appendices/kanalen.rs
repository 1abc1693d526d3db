//! Kanalen: per sector group, how many dossiers came in through WhatsApp and how many of
//! those through a website article.

use anyhow::Result;
use chrono::NaiveDate;
use polars::prelude::*;

use super::{Context, count_by};
use crate::table::{Appendix, Column, ReportTable, Row, Value, percent_tenths};

pub fn compute(cx: &Context) -> Result<Appendix> {
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
    let in_period = col("datum")
        .gt_eq(lit(from))
        .and(col("datum").lt_eq(lit(end)));
    let dossiers = cx.frames.dossiers.clone().lazy().filter(in_period);
    let counts = count_by(dossiers.clone(), &["sector", "whatsapp"])?;
    let via_article = count_by(
        dossiers.filter(col("whatsapp").and(col("herkomst").eq(lit("artikel")))),
        &["sector"],
    )?;

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
        let (mut all, mut whatsapp, mut article) = (0, 0, 0);
        for sector in &group.sectoren {
            let w = counts.get(&[sector, "true"]);
            all += w + counts.get(&[sector, "false"]);
            whatsapp += w;
            article += via_article.get(&[sector]);
        }
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
    let mut appendix = Appendix::new("kanalen", "Kanalen: WhatsApp per sector");
    if counts.total() == 0 {
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

/// `1 december 2020`.
pub fn dutch_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}
