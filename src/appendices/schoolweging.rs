//! Bijlage – Spreiding vragen naar schoolweging: the dossiers of the stadsdeel spread whose
//! school has a known schoolweging, by band, helpdesk questions and webinar questions apart.

use anyhow::Result;
use polars::prelude::*;

use super::counted::{Counted, Export, cells_each};
use super::definition::{Chart, ChartStyle, Consistency, Definition, TableDefinition, template};
use super::stadsdelen::dossiers_naming_a_primary_school;
use super::{Context, count_by, period_text};
use crate::table::{Appendix, Column, ReportTable, Row, Value};

/// The appendix: its table, template, computation, inputs and consistency rule.
pub const DEFINITION: Definition = Definition {
    id: "schoolweging",
    title: "Bijlage – Spreiding vragen naar schoolweging",
    template: template!("schoolweging"),
    tables: &[TableDefinition {
        counted: Some(|cx, _| counted(cx)),
        chart: Some(Chart {
            id: "schoolweging",
            style: ChartStyle::Schoolweging,
        }),
        ..TableDefinition::new("schoolweging", super::stadsdelen::spread_periods)
    }],
    compute,
    inputs: &[crate::ingest::scholen::FILE, crate::ingest::dossiers::FILE],
    consistency: &[Consistency::StadsdelenAndSchoolweging],
    internal: false,
};

/// The dossiers counted in the cells of the schoolweging table.
pub fn counted(cx: &Context) -> Result<Counted> {
    let banded = dossiers_naming_a_primary_school(cx).filter(col("band").is_not_null());
    let how = when(col("webinar"))
        .then(lit("webinars"))
        .otherwise(lit("helpdesk"));
    let parts = vec![cells_each(
        banded,
        &["band", "webinar"],
        vec![(col("band"), how), (col("band"), lit("totaal"))],
    )];
    Ok(Counted {
        export: Export::Dossiers,
        parts,
        rule: format!(
            "Dossiers geopend in de schooljaren {} die een basisschool in een stadsdeel noemen \
             (als in de tabel stadsdelen: op school_brin, anders op naam of alias), waarvan de \
             schoolweging in scholen.csv in deze band valt. Helpdesk: niet via kanaal webinar; \
             webinars: via kanaal webinar.",
            period_text(&cx.windows.spread())
        ),
        by_school: true,
    })
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let named = dossiers_naming_a_primary_school(cx);
    let by_band = counted(cx)?.counts(&cx.frames.labels)?;
    let unknown = count_by(
        &cx.frames.labels,
        named.clone().filter(col("schoolweging").is_null()),
        &["webinar"],
    )?;
    let all = count_by(&cx.frames.labels, named, &["webinar"])?;
    let periode = period_text(&cx.windows.spread());
    let mut table = ReportTable::new(
        "schoolweging",
        "Geregistreerde vragen naar schoolweging",
        vec![
            Column::new("schoolweging", "Schoolweging"),
            Column::new("helpdesk", "Helpdesk").with_period(&periode),
            Column::new("webinars", "Webinars").with_period(&periode),
            Column::new("totaal", "Totaal").with_period(&periode),
        ],
    );
    let (mut helpdesk, mut webinars) = (0, 0);
    for band in &cx.config.bands {
        let key = band.key();
        let h = by_band.get(&[&key, "helpdesk"]);
        let w = by_band.get(&[&key, "webinars"]);
        let t = by_band.get(&[&key, "totaal"]);
        table.push(Row::new(
            key,
            vec![Value::Count(h), Value::Count(w), Value::Count(t)],
        ));
        helpdesk += h;
        webinars += w;
    }
    let n = helpdesk + webinars;
    let zonder_weging = unknown.total();
    let buiten_banden = all.total() - n - zonder_weging;
    table.caption = Some(format!(
        "Dossiers uit de schooljaren {periode} met een basisschool waarvan de schoolweging bekend \
         is (n = {}), naar schoolweging; helpdeskvragen en tijdens webinars geregistreerde vragen \
         apart.",
        crate::render::number::getal(n)
    ));

    let mut appendix = DEFINITION.appendix();
    if n == 0 {
        // Why nothing is counted: no primary school of the registry has a schoolweging, or no
        // dossier names one. Only then: the prose needs it to say which.
        let with_weging = cx
            .data
            .scholen
            .iter()
            .filter(|s| s.sector == "po" && s.stadsdeel.is_some() && s.schoolweging.is_some())
            .count();
        appendix.fact("scholen_met_weging", Value::Count(with_weging as i64));
        if with_weging == 0 {
            table.add_note("Geen basisschool in het schoolregister heeft een schoolweging.");
        }
    }
    appendix.fact("periode", Value::Text(periode));
    appendix.fact("n", Value::Count(n));
    appendix.fact("helpdesk", Value::Count(helpdesk));
    appendix.fact("webinars", Value::Count(webinars));
    appendix.fact("zonder_weging", Value::Count(zonder_weging));
    appendix.fact("buiten_banden", Value::Count(buiten_banden));
    appendix.tables.push(table);
    Ok(appendix)
}
