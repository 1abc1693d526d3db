//! Helpdesk: dossiers per theme and per sector over three school years with rises and falls
//! marked, and one sector's dossiers per month and theme.

use anyhow::{Result, bail};
use polars::prelude::*;

use super::counted::{Counted, Export, cells, cells_each, choose, school_year_key};
use super::definition::{Chart, ChartStyle, Consistency, Definition, TableDefinition, template};
use super::{Context, Counts, count_by, in_school_years, sum_by};
use crate::coverage::Period;
use crate::coverage::school_years;
use crate::period::SchoolYear;
use crate::period::Windows;
use crate::table::{Appendix, Column, ReportTable, Row, Value, ratio_tenths};

/// The appendix: its tables, template, computation, inputs and consistency rules.
pub const DEFINITION: Definition = Definition {
    id: "helpdesk",
    title: "Helpdesk",
    template: template!("helpdesk"),
    tables: &[
        TableDefinition {
            counted: Some(|cx, _| counted_themes(cx)),
            chart: Some(Chart {
                id: "helpdesk-themas",
                style: ChartStyle::Trend { category: "Thema" },
            }),
            ..TableDefinition::new("helpdesk-themas", periods)
        },
        TableDefinition {
            counted: Some(|cx, _| counted_sectors(cx)),
            chart: Some(Chart {
                id: "helpdesk-sectoren",
                style: ChartStyle::Trend {
                    category: "Sector of overstapmoment",
                },
            }),
            ..TableDefinition::new("helpdesk-sectoren", periods)
        },
        TableDefinition {
            counted: Some(|cx, _| counted_months(cx)),
            ..TableDefinition::new("helpdesk-maand", periods)
        },
    ],
    compute,
    inputs: &[crate::ingest::dossiers::FILE],
    consistency: &[Consistency::DossiersOfTheYear, Consistency::SectorGroups],
    internal: false,
};

/// The periods of the three tables: the three school years compared.
fn periods(windows: Windows) -> Vec<(&'static str, Vec<Period>)> {
    vec![(
        crate::ingest::dossiers::FILE,
        school_years(windows.helpdesk()),
    )]
}

/// Months of a school year, August first.
pub const MONTHS: [(i32, &str); 12] = [
    (8, "augustus"),
    (9, "september"),
    (10, "oktober"),
    (11, "november"),
    (12, "december"),
    (1, "januari"),
    (2, "februari"),
    (3, "maart"),
    (4, "april"),
    (5, "mei"),
    (6, "juni"),
    (7, "juli"),
];

/// `stijging` when the last value is above every earlier one, `daling` when below every
/// earlier one, otherwise empty.
pub fn trend(values: &[i64]) -> &'static str {
    match values.split_last() {
        Some((last, earlier)) if !earlier.is_empty() && earlier.iter().all(|v| last > v) => {
            "stijging"
        }
        Some((last, earlier)) if !earlier.is_empty() && earlier.iter().all(|v| last < v) => {
            "daling"
        }
        _ => "",
    }
}

fn window(cx: &Context, frame: &DataFrame) -> LazyFrame {
    let years = cx.windows.helpdesk();
    frame
        .clone()
        .lazy()
        .filter(in_school_years(years[0], years[years.len() - 1]))
}

/// The dossiers counted in the cells of `helpdesk-themas`: per theme and school year.
pub fn counted_themes(cx: &Context) -> Result<Counted> {
    let years = cx.windows.helpdesk();
    Ok(Counted {
        export: Export::Dossiers,
        parts: vec![cells(
            window(cx, &cx.frames.themas),
            &["thema", "schooljaar"],
            col("thema"),
            school_year_key(&years),
        )],
        rule: format!(
            "Dossiers geopend in het schooljaar van de kolom ({}) met dit thema in de kolom \
             themas; een dossier telt per thema één keer.",
            list_text(&years)
        ),
        by_school: false,
    })
}

/// The dossiers counted in the cells of `helpdesk-sectoren`: per sector and school year.
pub fn counted_sectors(cx: &Context) -> Result<Counted> {
    let years = cx.windows.helpdesk();
    Ok(Counted {
        export: Export::Dossiers,
        parts: vec![cells(
            window(cx, &cx.frames.dossiers),
            &["sector", "schooljaar"],
            col("sector"),
            school_year_key(&years),
        )],
        rule: format!(
            "Dossiers geopend in het schooljaar van de kolom ({}) met deze sector.",
            list_text(&years)
        ),
        by_school: false,
    })
}

/// The dossiers counted in the cells of `helpdesk-maand`: those of one sector per theme and
/// school year (the row) and month (the column), and in `totaal` the whole school year.
pub fn counted_months(cx: &Context) -> Result<Counted> {
    let years = cx.windows.helpdesk();
    let sector = month_sector(cx)?;
    let of_sector = window(cx, &cx.frames.themas).filter(cx.frames.labels.is("sector", sector));
    let by = ["thema", "schooljaar", "maand"];
    let row = choose(
        cx.config
            .themes
            .iter()
            .flat_map(|theme| {
                years.iter().map(move |year| {
                    (
                        col("thema")
                            .eq(lit(theme.as_str()))
                            .and(col("schooljaar").eq(lit(year.start_year()))),
                        format!("{theme} {year}"),
                    )
                })
            })
            .collect(),
    );
    let month = choose(
        MONTHS
            .iter()
            .map(|(month, name)| (col("maand").eq(lit(*month)), name.to_string()))
            .collect(),
    );
    Ok(Counted {
        export: Export::Dossiers,
        parts: vec![cells_each(
            of_sector,
            &by,
            vec![(row.clone(), month), (row, lit("totaal"))],
        )],
        rule: format!(
            "Dossiers van sector {sector} geopend in deze maand van het schooljaar van de rij \
             (totaal: het hele schooljaar) met dit thema in de kolom themas; een dossier telt \
             per thema één keer."
        ),
        by_school: false,
    })
}

fn month_sector<'a>(cx: &Context<'a>) -> Result<&'a str> {
    match cx.config.canonical_sector(&cx.options.maand_sector) {
        Some(sector) => Ok(sector),
        None => bail!(
            "unknown sector {:?} for the month table; known sectors: {}",
            cx.options.maand_sector,
            cx.config.sectors.join(", ")
        ),
    }
}

pub fn compute(cx: &Context) -> Result<Appendix> {
    let years = cx.windows.helpdesk();
    let dossiers = window(cx, &cx.frames.dossiers);

    let per_year = count_by(&cx.frames.labels, dossiers.clone(), &["schooljaar"])?;
    let empty_years: Vec<SchoolYear> = years
        .iter()
        .copied()
        .filter(|y| per_year.get(&[&y.start_year().to_string()]) == 0)
        .collect();
    let by_theme = counted_themes(cx)?.counts(&cx.frames.labels)?;
    let (theme_table, rising_themes, falling_themes) = trend_table(
        "helpdesk-themas",
        "Dossiers per thema",
        "thema",
        &cx.config.themes,
        &years,
        &by_theme,
        false,
        &empty_years,
    );
    let by_sector = counted_sectors(cx)?.counts(&cx.frames.labels)?;
    let (sector_table, rising_sectors, falling_sectors) = trend_table(
        "helpdesk-sectoren",
        "Dossiers per sector of overstapmoment",
        "sector",
        &cx.config.sectors,
        &years,
        &by_sector,
        true,
        &empty_years,
    );
    let maand_sector = month_sector(cx)?;
    let month_table = month_table(cx, maand_sector, &years)?;

    let current = cx.windows.current();
    let this_year = cx
        .frames
        .dossiers
        .clone()
        .lazy()
        .filter(col("schooljaar").eq(lit(current.start_year())));
    let contacts = sum_by(
        &cx.frames.labels,
        this_year.clone(),
        &["schooljaar"],
        "contactmomenten",
    )?
    .total();
    let with_contacts = count_by(
        &cx.frames.labels,
        this_year
            .clone()
            .filter(col("contactmomenten").is_not_null()),
        &["schooljaar"],
    )?
    .total();

    let mut appendix = DEFINITION.appendix();
    appendix.fact("schooljaar", Value::Text(current.to_string()));
    appendix.fact("schooljaren", Value::Text(list_text(&years)));
    appendix.fact(
        "dossiers",
        Value::Count(count_by(&cx.frames.labels, this_year, &["schooljaar"])?.total()),
    );
    appendix.fact(
        "contactmomenten",
        Value::Tenths(ratio_tenths(contacts, with_contacts)),
    );
    appendix.fact("stijging_themas", Value::Text(rising_themes.join(", ")));
    appendix.fact("daling_themas", Value::Text(falling_themes.join(", ")));
    appendix.fact("stijging_sectoren", Value::Text(rising_sectors.join(", ")));
    appendix.fact("daling_sectoren", Value::Text(falling_sectors.join(", ")));
    appendix.fact("maand_sector", Value::Text(maand_sector.to_string()));
    if !empty_years.is_empty() {
        appendix.fact("geen_trend", Value::Text(list_text(&empty_years)));
    }
    appendix
        .tables
        .extend([theme_table, sector_table, month_table]);
    Ok(appendix)
}

fn list_text(years: &[SchoolYear]) -> String {
    let names: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} en {last}", rest.join(", ")),
        _ => names.join(""),
    }
}

fn year_columns(years: &[SchoolYear]) -> Vec<Column> {
    years
        .iter()
        .map(|y| Column::new(y.to_string(), y.to_string()).with_period(y.to_string()))
        .collect()
}

/// A category × school year table with a trend column; returns the rising and falling ones.
fn trend_table(
    id: &str,
    title: &str,
    header: &str,
    categories: &[String],
    years: &[SchoolYear],
    counts: &Counts,
    with_total: bool,
    empty_years: &[SchoolYear],
) -> (ReportTable, Vec<String>, Vec<String>) {
    let mut columns = vec![Column::new(header, header)];
    columns.extend(year_columns(years));
    columns.push(Column::new("trend", "Trend"));
    let mut table = ReportTable::new(id, title, columns).with_caption(
        "Trend: stijging als het laatste schooljaar hoger is dan beide eerdere, daling als het \
         lager is dan beide.",
    );
    if !empty_years.is_empty() {
        // A rise or fall against a year without any dossier says nothing: the data do not
        // cover it.
        let names: Vec<String> = empty_years.iter().map(|y| y.to_string()).collect();
        table.caption = Some(format!(
            "Geen dossiers in {}: de gegevens dekken dat schooljaar niet, daarom geen trend.",
            names.join(", ")
        ));
    }
    let (mut rising, mut falling) = (Vec::new(), Vec::new());
    let mut totals = vec![0; years.len()];
    let push = |table: &mut ReportTable, key: &str, values: Vec<i64>, total: bool| {
        let t = if empty_years.is_empty() {
            trend(&values)
        } else {
            ""
        };
        let mut cells: Vec<Value> = values.iter().map(|v| Value::Count(*v)).collect();
        cells.push(Value::Text(t.to_string()));
        let row = Row::new(key, cells);
        table.push(if total { row.as_total() } else { row });
        t
    };
    for category in categories {
        let values: Vec<i64> = years
            .iter()
            .map(|y| counts.get(&[category, &y.to_string()]))
            .collect();
        for (total, v) in totals.iter_mut().zip(&values) {
            *total += v;
        }
        match push(&mut table, category, values, false) {
            "stijging" => rising.push(category.clone()),
            "daling" => falling.push(category.clone()),
            _ => {}
        }
    }
    if with_total {
        push(&mut table, "Totaal", totals, true);
    }
    (table, rising, falling)
}

/// One row per theme and school year (the years of a theme side by side), one column per
/// month of the school year, August first, then the year's total.
fn month_table(cx: &Context, sector: &str, years: &[SchoolYear]) -> Result<ReportTable> {
    let counts = counted_months(cx)?.counts(&cx.frames.labels)?;
    let mut columns = vec![Column::new("thema_schooljaar", "Thema")];
    columns.extend(MONTHS.iter().map(|(_, name)| Column::new(*name, *name)));
    columns.push(Column::new("totaal", "Totaal"));
    let mut table = ReportTable::new(
        "helpdesk-maand",
        format!("Dossiers sector {sector} per maand en thema"),
        columns,
    )
    .with_caption(format!(
        "Dossiers in sector {sector} per maand van het schooljaar (augustus t/m juli), per thema de \
         schooljaren onder elkaar."
    ));
    for theme in &cx.config.themes {
        for year in years {
            let row = format!("{theme} {year}");
            let mut values: Vec<i64> = MONTHS
                .iter()
                .map(|(_, month)| counts.get(&[&row, month]))
                .collect();
            values.push(counts.get(&[&row, "totaal"]));
            table.push(
                Row::new(row, values.into_iter().map(Value::Count).collect())
                    .labelled(format!("{theme} {}", short(*year))),
            );
        }
    }
    Ok(table)
}

/// `18/19`, short enough for a column header.
fn short(year: SchoolYear) -> String {
    format!(
        "{:02}/{:02}",
        year.start_year() % 100,
        year.end_year() % 100
    )
}

#[cfg(test)]
mod tests {
    use super::trend;

    #[test]
    fn trend_needs_the_last_year_beyond_both_earlier_ones() {
        assert_eq!(trend(&[10, 12, 13]), "stijging");
        assert_eq!(trend(&[12, 10, 13]), "stijging");
        assert_eq!(trend(&[10, 13, 12]), "");
        assert_eq!(trend(&[13, 12, 12]), "");
        assert_eq!(trend(&[13, 12, 11]), "daling");
        assert_eq!(trend(&[5]), "");
    }
}
