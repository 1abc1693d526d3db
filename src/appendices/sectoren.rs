//! Bijlage – Bereik per sector: dossiers of the current school year per sector group, against
//! the approximate number of Amsterdam pupils in that group.

use anyhow::{Result, bail};
use polars::prelude::*;

use super::counted::{Counted, Export, cells_each, in_group};
use super::definition::{
    Chart, ChartStyle, Consistency, Definition, Percentage, PupilSource, Pupils, TableDefinition,
    template,
};
use super::{Context, count_by};
use crate::coverage::Period;
use crate::coverage::school_years;
use crate::period::Windows;
use crate::table::{Appendix, Column, ReportTable, Row, Value, percent_tenths};

/// The appendix: its table, template, computation, inputs and consistency rules.
pub const DEFINITION: Definition = Definition {
    id: "sectoren",
    title: "Bijlage – Bereik per sector",
    template: template!("sectoren"),
    tables: &[TableDefinition {
        counted: Some(|cx, _| counted(cx)),
        percentages: &[Percentage {
            column: "pct",
            numerator: "dossiers",
            denominator: "leerlingen",
        }],
        pupils: Some(Pupils {
            column: "leerlingen",
            source: PupilSource::SectorGroup,
        }),
        rows_are_sector_groups: true,
        chart: Some(Chart {
            id: "sectoren",
            style: ChartStyle::Sectoren,
        }),
        ..TableDefinition::new("sectoren", current_school_year)
    }],
    compute,
    inputs: &[
        crate::ingest::dossiers::FILE,
        crate::ingest::leerlingen::SECTOR_FILE,
    ],
    consistency: &[
        Consistency::DossiersOfTheYear,
        Consistency::SectorGroups,
        Consistency::KanalenWithinSectoren,
    ],
    internal: false,
};

/// The periods of a table of the current school year's dossiers.
pub fn current_school_year(windows: Windows) -> Vec<(&'static str, Vec<Period>)> {
    vec![(
        crate::ingest::dossiers::FILE,
        school_years([windows.current()]),
    )]
}

fn this_year(cx: &Context) -> LazyFrame {
    let current = cx.windows.current();
    cx.frames
        .dossiers
        .clone()
        .lazy()
        .filter(col("schooljaar").eq(lit(current.start_year())))
}

/// The dossiers counted in the `dossiers` column, per sector group.
pub fn counted(cx: &Context) -> Result<Counted> {
    // A sector may lie in more than one group: one cell per group.
    let groups = cx
        .config
        .sector_groups
        .iter()
        .map(|group| (in_group(group), lit("dossiers")))
        .collect();
    let parts = vec![cells_each(this_year(cx), &["sector"], groups)];
    Ok(Counted {
        export: Export::Dossiers,
        parts,
        rule: format!(
            "Dossiers geopend in schooljaar {} (1 augustus t/m 31 juli) met een sector van deze \
             sectorgroep (oco-report.toml, [[sectorgroepen]]).",
            cx.windows.current()
        ),
        by_school: false,
    })
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let current = cx.windows.current();
    let per_sector = count_by(&cx.frames.labels, this_year(cx), &["sector"])?;
    let per_group = counted(cx)?.counts(&cx.frames.labels)?;
    let jaar = current.to_string();
    let mut table = ReportTable::new(
        "sectoren",
        "Bereik per sector",
        vec![
            Column::new("sectorgroep", "Sector"),
            Column::new("leerlingen", "Amsterdamse leerlingen in deze sector (ca)"),
            Column::new("dossiers", format!("Dossiers {jaar}")).with_period(&jaar),
            Column::new("pct", "%").with_period(&jaar),
        ],
    )
    .with_caption(format!(
        "Dossiers van schooljaar {jaar} per sector, gedeeld door het geschatte aantal \
         Amsterdamse leerlingen in die sector."
    ));
    for group in &cx.config.sector_groups {
        let Some(pupils) = cx
            .data
            .leerlingen_sector
            .iter()
            .find(|p| p.groep == group.id)
        else {
            bail!(
                "leerlingen-sector.csv has no pupil count for sector group {}",
                group.id
            );
        };
        let dossiers = per_group.get(&[&group.id, "dossiers"]);
        table.push(
            Row::new(
                &group.id,
                vec![
                    Value::Count(pupils.leerlingen),
                    Value::Count(dossiers),
                    Value::Tenths(percent_tenths(dossiers, pupils.leerlingen)),
                ],
            )
            .labelled(&group.label),
        );
    }
    let mut appendix = DEFINITION.appendix();
    let years: Vec<_> = cx
        .data
        .leerlingen_sector
        .iter()
        .filter_map(|p| p.schooljaar)
        .collect();
    if let Some(note) = crate::coverage::stale_sector_counts(&years, current) {
        table.add_note(&note);
        appendix.fact("leerlingen_verouderd", Value::Text(note));
    }
    appendix.fact("schooljaar", Value::Text(jaar));
    appendix.fact("dossiers", Value::Count(per_sector.total()));
    appendix.tables.push(table);
    Ok(appendix)
}
