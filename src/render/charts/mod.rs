//! The charts of the report, drawn with plotters from the same report tables the markdown
//! prints, each as SVG (for the HTML report and the markdown) and PNG (twice the SVG's
//! resolution, for documents and presentations).
//!
//! | chart | table | what |
//! |---|---|---|
//! | `websitebezoek` | `websitebezoek` (+ the daily pageviews) | unique pageviews per week, one line per school year |
//! | `stadsdelen` | `stadsdelen` | % per stadsdeel, excl. and incl. webinars |
//! | `schoolweging` | `schoolweging` | helpdesk (black) and webinar (grey) questions per band |
//! | `sectoren` | `sectoren` | % per sector group |
//! | `voorlichtingen` | `voorlichtingen-thema` | sessions per thema, one bar per year |
//! | `helpdesk-themas`, `helpdesk-sectoren` | same | three school years per category, ▲/▼ trend |
//! | `passend-schooltype`, `passend-vragen`, `passend-diagnoses` | same | current year black, the year before grey |
//!
//! The text is drawn with DejaVu Sans, compiled into the binary and rasterised in pure Rust
//! (plotters with `ab_glyph`), so every machine draws the same PNG, fontconfig or not. The
//! SVG names the same font (falling back to `sans-serif`). Greys only: the charts print the
//! same in black and white. Output is deterministic: no hash-map order, no time, integer
//! coordinates.
//!
//! Every chart carries a text alternative made from its table's figures ([`Chart::alt`]):
//! the SVG's `<desc>`, the markdown image's alt text, the HTML figure's caption.

mod draw;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use anyhow::{Context as _, Result, anyhow, bail};
use chrono::{Datelike, NaiveDate};
use plotters::prelude::*;
use plotters::style::RGBColor;

use crate::appendices::{self, definition::ChartStyle};
use crate::model::PageviewDay;
use crate::period::SchoolYear;
use crate::render::number::{getal, tiendes};
use crate::render::small_cells;
use crate::table::{Appendix, ReportTable, Row, Value};

/// DejaVu Sans 2.37 (licence: `assets/fonts/LICENSE-DejaVu.txt`).
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");

/// The font's name for plotters, written as is into the SVG's `font-family`.
pub const FAMILY: &str = "DejaVu Sans, sans-serif";

/// A chart of the report: one [`crate::appendices::definition::Chart`] of a table of [`appendices::ALL`].
#[derive(Debug, Clone, Copy)]
pub struct Planned {
    /// File stem: `schoolweging` → `schoolweging.svg`, `schoolweging.png`.
    pub id: &'static str,
    /// The appendix holding the table.
    pub appendix: &'static str,
    /// The table drawn.
    pub table: &'static str,
    pub style: ChartStyle,
}

/// Every chart, in report order (that of the appendices and their tables).
pub fn planned() -> Vec<Planned> {
    appendices::tables()
        .filter_map(|(appendix, table)| {
            let chart = table.chart?;
            Some(Planned {
                id: chart.id,
                appendix: appendix.id,
                table: table.id,
                style: chart.style,
            })
        })
        .collect()
}

fn find(id: &str) -> Option<Planned> {
    planned().into_iter().find(|c| c.id == id)
}

/// PNG pixels per SVG pixel.
pub const PNG_SCALE: u32 = 2;

/// A drawn chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// File stem: `schoolweging` → `schoolweging.svg`, `schoolweging.png`.
    pub id: String,
    /// The appendix the chart belongs to.
    pub appendix: String,
    /// The table it is drawn from.
    pub table: String,
    pub title: String,
    /// Text alternative: title, subtitle and every figure drawn, in Dutch.
    pub alt: String,
    /// A standalone SVG document with `<title>` and `<desc>`.
    pub svg: String,
    pub png: Vec<u8>,
    /// Size of the SVG in pixels (the PNG is [`PNG_SCALE`] times larger).
    pub width: u32,
    pub height: u32,
}

impl Chart {
    pub fn svg_name(&self) -> String {
        format!("{}.svg", self.id)
    }

    pub fn png_name(&self) -> String {
        format!("{}.png", self.id)
    }
}

/// Every chart of [`planned`] whose appendix is among `appendices`, in that order.
/// `pageviews` are the daily figures the websitebezoek chart needs for its weekly lines.
pub fn render_all(appendices: &[Appendix], pageviews: &[PageviewDay]) -> Result<Vec<Chart>> {
    let wanted: Vec<(&str, &Appendix)> = planned()
        .into_iter()
        .filter_map(|chart| {
            let appendix = appendices.iter().find(|a| a.id == chart.appendix)?;
            Some((chart.id, appendix))
        })
        .collect();
    // Drawing and compressing a chart is a few milliseconds of one core: on every core.
    crate::parallel::map(&wanted, 2, |&(id, appendix)| {
        render(appendix, id, pageviews).with_context(|| format!("chart {id}"))
    })
    .into_iter()
    .collect()
}

/// Draws chart `id` from the tables of `appendix`.
pub fn render(appendix: &Appendix, id: &str, pageviews: &[PageviewDay]) -> Result<Chart> {
    let spec = spec(appendix, id, pageviews)?;
    let table = source(appendix, id)?.1.id.clone();
    let (svg, png, width, height) = draw_spec(&spec)?;
    Ok(Chart {
        id: id.to_string(),
        appendix: appendix.id.clone(),
        table,
        title: spec.title.clone(),
        alt: spec.alt.clone(),
        svg,
        png,
        width,
        height,
    })
}

/// The markdown that embeds chart `id` of `appendix`: `![<text alternative>](<id>.svg)`.
/// Errors name the chart and the table it misses.
pub fn markdown(appendix: &Appendix, id: &str) -> Result<String> {
    let spec = spec(appendix, id, &[])?;
    Ok(format!("![{}]({id}.svg)", escape_markdown(&spec.alt)))
}

/// The ids of the charts of an appendix, in report order.
pub fn chart_ids(appendix_id: &str) -> Vec<&'static str> {
    planned()
        .into_iter()
        .filter(|c| c.appendix == appendix_id)
        .map(|c| c.id)
        .collect()
}

/// Markdown inline text: every ASCII punctuation character that could start markup is
/// backslash-escaped.
fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '>' | '&' | '!' | '#' | '|'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `&`, `<`, `>` and quotes as XML entities.
pub(crate) fn escape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// What a chart shows, independent of how it is drawn.

/// A figure drawn in a chart: a count or a number in tenths (a percentage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Num {
    Count(i64),
    Tenths(i64),
    /// A count hidden by `--min-cell N` ([`small_cells`]): no bar, labelled `<N`.
    Below(i64),
    /// A percentage or average hidden with it: no bar, labelled `x`.
    Hidden,
}

impl Num {
    fn of(value: &Value) -> Option<Num> {
        match value {
            Value::Count(n) => Some(Num::Count(*n)),
            Value::Tenths(Some(t)) => Some(Num::Tenths(*t)),
            Value::Text(s) => match small_cells::marker(s)? {
                small_cells::Marker::Below(n) => Some(Num::Below(n)),
                small_cells::Marker::Hidden => Some(Num::Hidden),
            },
            _ => None,
        }
    }

    pub(crate) fn as_f64(self) -> f64 {
        match self {
            Num::Count(n) => n as f64,
            Num::Tenths(t) => t as f64 / 10.0,
            Num::Below(_) | Num::Hidden => 0.0,
        }
    }

    /// As the report prints it: `1.414`, `0,9`, `<5`, `x`.
    pub(crate) fn nl(self) -> String {
        match self {
            Num::Count(n) => getal(n),
            Num::Tenths(t) => tiendes(t),
            Num::Below(n) => format!("<{n}"),
            Num::Hidden => small_cells::HIDDEN.to_string(),
        }
    }
}

pub(crate) struct BarSeries {
    pub name: String,
    pub shade: RGBColor,
}

impl BarSeries {
    /// Light bars get a black outline so they stand out on white paper.
    pub(crate) fn outlined(&self) -> bool {
        self.shade.0 >= 180
    }
}

pub(crate) struct BarChart {
    pub horizontal: bool,
    pub categories: Vec<String>,
    pub series: Vec<BarSeries>,
    /// `values[category][series]`.
    pub values: Vec<Vec<Option<Num>>>,
    /// The figures are percentages in tenths (axis with decimals, `%` in the text).
    pub tenths: bool,
    pub value_axis: String,
    pub category_axis: String,
}

impl BarChart {
    pub(crate) fn max(&self) -> f64 {
        self.values
            .iter()
            .flatten()
            .flatten()
            .map(|n| n.as_f64())
            .fold(0.0, f64::max)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// The newest school year: thick, black, on top.
    Bold,
    /// The year before.
    Dashed,
    /// The one before that.
    Dotted,
    /// Older: thin grey.
    Thin,
}

impl LineKind {
    fn dutch(self) -> &'static str {
        match self {
            LineKind::Bold => "dikke zwarte lijn",
            LineKind::Dashed => "gestreepte lijn",
            LineKind::Dotted => "stippellijn",
            LineKind::Thin => "dunne grijze lijn",
        }
    }
}

pub(crate) struct LineSeries {
    pub name: String,
    pub kind: LineKind,
    /// (x in months since 1 August, value); `None` breaks the line.
    pub points: Vec<Option<(f64, f64)>>,
}

pub(crate) struct LineChart {
    /// Oldest first; drawn in this order so the last lies on top.
    pub series: Vec<LineSeries>,
    pub x_axis: String,
    pub y_axis: String,
}

pub(crate) enum Body {
    Bars(BarChart),
    Lines(LineChart),
}

pub(crate) struct Spec {
    pub title: String,
    pub subtitle: Option<String>,
    pub body: Body,
    pub alt: String,
}

/// Chart `id` and the table it is drawn from; errors say which chart wants which table.
fn source<'a>(appendix: &'a Appendix, id: &str) -> Result<(Planned, &'a ReportTable)> {
    let Some(chart) = find(id) else {
        bail!(
            "unknown chart {id:?}; known charts: {}",
            planned()
                .iter()
                .map(|c| c.id)
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    let table = appendix.table(chart.table).ok_or_else(|| {
        anyhow!(
            "appendix {} has no table {:?} to draw chart {id:?} from",
            appendix.id,
            chart.table
        )
    })?;
    Ok((chart, table))
}

fn spec(appendix: &Appendix, id: &str, pageviews: &[PageviewDay]) -> Result<Spec> {
    let (chart, table) = source(appendix, id)?;
    let mut spec = match chart.style {
        ChartStyle::WeeklyPageviews => websitebezoek(table, pageviews),
        ChartStyle::Stadsdelen => stadsdelen(table),
        ChartStyle::Schoolweging => schoolweging(table),
        ChartStyle::Sectoren => sectoren(table),
        ChartStyle::Voorlichtingen => voorlichtingen(table),
        ChartStyle::Trend { category } => helpdesk(table, category),
        ChartStyle::TwoYears { category } => passend(table, category),
    };
    spec.alt = alt_text(&spec);
    Ok(spec)
}

/// Darkest first: black, then lighter greys, far enough apart to tell in print.
fn shades(n: usize) -> Vec<RGBColor> {
    let greys: &[u8] = match n {
        0 | 1 => &[0],
        2 => &[0, 150],
        3 => &[0, 115, 190],
        _ => &[0, 95, 150, 205],
    };
    (0..n)
        .map(|i| {
            let g = greys[i.min(greys.len() - 1)];
            RGBColor(g, g, g)
        })
        .collect()
}

/// The value columns of a table whose cells are all numbers (not the label column); the `<5`
/// and `x` of hidden small counts count as numbers.
fn numeric_columns(table: &ReportTable) -> Vec<usize> {
    (1..table.columns.len())
        .filter(|c| {
            table.rows.iter().all(|r| match r.values.get(c - 1) {
                Some(Value::Text(s)) => small_cells::is_marker(s),
                _ => true,
            })
        })
        .collect()
}

/// The columns with these keys, or every numeric column when the table lacks one of them.
fn columns(table: &ReportTable, keys: &[&str]) -> Vec<usize> {
    let found: Vec<usize> = keys
        .iter()
        .filter_map(|k| table.columns.iter().position(|c| c.key == *k))
        .filter(|c| *c > 0)
        .collect();
    if found.len() == keys.len() {
        found
    } else {
        numeric_columns(table)
    }
}

fn cell(row: &Row, column: usize) -> Option<Num> {
    row.values.get(column.checked_sub(1)?).and_then(Num::of)
}

/// The first four digits of a period, column key or label (`2020-2021` → 2020).
fn year_of(text: &str) -> Option<i32> {
    let digits: String = text.chars().take(4).collect();
    (digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

/// Series names for columns: their period when they have one, else their label.
fn series_name(table: &ReportTable, column: usize) -> String {
    let c = &table.columns[column];
    c.period.clone().unwrap_or_else(|| c.label.clone())
}

/// A bar chart of these columns over the rows (totals rows only when `totals`). When every
/// series is a year, the newest is black and older ones lighter; otherwise the first series
/// is black.
fn bar_chart(
    table: &ReportTable,
    columns: &[usize],
    names: Vec<String>,
    totals: bool,
    label: impl Fn(&Row) -> String,
) -> BarChart {
    let rows: Vec<&Row> = table.rows.iter().filter(|r| totals || !r.total).collect();
    let by_darkness = shades(columns.len());
    let years: Vec<Option<i32>> = names.iter().map(|n| year_of(n)).collect();
    let shade = |i: usize| -> RGBColor {
        if years.iter().all(Option::is_some) {
            // Rank by year, newest first.
            let rank = years.iter().filter(|y| **y > years[i]).count();
            by_darkness[rank.min(by_darkness.len() - 1)]
        } else {
            by_darkness[i]
        }
    };
    let series = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| BarSeries {
            name,
            shade: shade(i),
        })
        .collect();
    let values: Vec<Vec<Option<Num>>> = rows
        .iter()
        .map(|r| columns.iter().map(|c| cell(r, *c)).collect())
        .collect();
    let tenths = values
        .iter()
        .flatten()
        .flatten()
        .any(|n| matches!(n, Num::Tenths(_) | Num::Hidden));
    BarChart {
        horizontal: true,
        categories: rows.iter().map(|r| label(r)).collect(),
        series,
        values,
        tenths,
        value_axis: String::new(),
        category_axis: String::new(),
    }
}

/// The sum of a column over the rows that are not totals, or the totals row's value; `None`
/// when a hidden small count (`<5`) makes the sum unknown.
fn column_total(table: &ReportTable, column: usize) -> Option<i64> {
    if let Some(total) = table.rows.iter().find(|r| r.total)
        && let Some(Num::Count(n)) = cell(total, column)
    {
        return Some(n);
    }
    let mut sum = 0i64;
    for row in table.rows.iter().filter(|r| !r.total) {
        match cell(row, column) {
            Some(Num::Count(n)) => sum += n,
            Some(Num::Below(_)) => return None,
            _ => {}
        }
    }
    Some(sum)
}

/// A column total as the report prints it; `onbekend` when hidden counts make it unknown.
fn total_nl(total: Option<i64>) -> String {
    total.map_or_else(|| "onbekend".to_string(), getal)
}

fn period_of(table: &ReportTable, column: usize) -> Option<String> {
    table.columns.get(column).and_then(|c| c.period.clone())
}

fn stadsdelen(table: &ReportTable) -> Spec {
    let cols = columns(table, &["pct_excl_webinars", "pct_incl_webinars"]);
    let names = if cols.len() == 2 && table.columns[cols[0]].key == "pct_excl_webinars" {
        vec!["excl. webinars".to_string(), "incl. webinars".to_string()]
    } else {
        cols.iter().map(|c| series_name(table, *c)).collect()
    };
    let mut chart = bar_chart(table, &cols, names, true, |r| r.label.clone());
    chart.horizontal = false;
    // Who counted the pupils is the first word of the column's label ("CBS leerlingen
    // 2019/2020", "DUO leerlingen 2016/2017" for counts imported by school location).
    let pupils = table
        .columns
        .iter()
        .find(|c| c.key == "leerlingen")
        .and_then(|c| Some((c.label.split_whitespace().next()?, c.period.clone()?)));
    chart.value_axis = match pupils {
        Some((source, year)) => format!("% van de leerlingen ({source} {year})"),
        None => "% van de leerlingen".to_string(),
    };
    chart.category_axis = "Stadsdeel van de basisschool".to_string();
    let mut subtitle = Vec::new();
    if let Some(period) = cols.first().and_then(|c| period_of(table, *c)) {
        subtitle.push(format!("Schooljaren {period}"));
    }
    let counts: Vec<usize> = ["vragen_excl_webinars", "vragen_incl_webinars"]
        .iter()
        .filter_map(|k| table.columns.iter().position(|c| c.key == *k))
        .collect();
    if counts.len() == 2 {
        subtitle.push(format!(
            "n = {} excl. webinars, {} incl. webinars",
            total_nl(column_total(table, counts[0])),
            total_nl(column_total(table, counts[1]))
        ));
    }
    Spec {
        title: format!("{}, als % van de leerlingen", table.title),
        subtitle: (!subtitle.is_empty()).then(|| subtitle.join("; ")),
        body: Body::Bars(chart),
        alt: String::new(),
    }
}

fn schoolweging(table: &ReportTable) -> Spec {
    let cols = columns(table, &["helpdesk", "webinars"]);
    let names = cols
        .iter()
        .map(|c| table.columns[*c].label.clone())
        .collect();
    let mut chart = bar_chart(table, &cols, names, false, |r| r.label.clone());
    chart.horizontal = false;
    chart.value_axis = "Aantal vragen".to_string();
    chart.category_axis = "Schoolweging van de basisschool".to_string();
    let totals: Vec<Option<i64>> = cols.iter().map(|c| column_total(table, *c)).collect();
    let mut subtitle = Vec::new();
    if let Some(period) = cols.first().and_then(|c| period_of(table, *c)) {
        subtitle.push(format!("Schooljaren {period}"));
    }
    let parts: Vec<String> = chart
        .series
        .iter()
        .zip(&totals)
        .map(|(s, n)| format!("{} {}", s.name.to_lowercase(), total_nl(*n)))
        .collect();
    let n: Option<i64> = totals.iter().copied().sum();
    subtitle.push(format!("n = {} ({})", total_nl(n), parts.join(", ")));
    Spec {
        title: table.title.clone(),
        subtitle: Some(subtitle.join("; ")),
        body: Body::Bars(chart),
        alt: String::new(),
    }
}

fn sectoren(table: &ReportTable) -> Spec {
    let cols = columns(table, &["pct"]);
    let names = cols.iter().map(|c| series_name(table, *c)).collect();
    let mut chart = bar_chart(table, &cols, names, false, |r| r.label.clone());
    chart.value_axis = "Dossiers als % van het aantal leerlingen".to_string();
    chart.category_axis = "Sector".to_string();
    let subtitle = cols.first().and_then(|c| period_of(table, *c)).map(|p| {
        format!("Schooljaar {p}; dossiers gedeeld door het geschatte aantal Amsterdamse leerlingen")
    });
    Spec {
        title: format!("{}: dossiers als % van de leerlingen", table.title),
        subtitle,
        body: Body::Bars(chart),
        alt: String::new(),
    }
}

fn voorlichtingen(table: &ReportTable) -> Spec {
    let cols = numeric_columns(table);
    let names: Vec<String> = cols.iter().map(|c| series_name(table, *c)).collect();
    let totals: Vec<String> = cols
        .iter()
        .zip(&names)
        .map(|(c, name)| format!("{name}: {}", total_nl(column_total(table, *c))))
        .collect();
    let mut chart = bar_chart(table, &cols, names, false, |r| r.label.clone());
    chart.value_axis = "Aantal voorlichtingen".to_string();
    chart.category_axis = "Thema".to_string();
    Spec {
        title: format!("{} en kalenderjaar", table.title),
        subtitle: Some(format!(
            "Gehouden en geplande voorlichtingen, geannuleerde niet; totaal {}",
            totals.join(", ")
        )),
        body: Body::Bars(chart),
        alt: String::new(),
    }
}

fn helpdesk(table: &ReportTable, category: &str) -> Spec {
    let cols = numeric_columns(table);
    let names: Vec<String> = cols.iter().map(|c| series_name(table, *c)).collect();
    let trend = table.columns.iter().position(|c| c.key == "trend");
    let mut chart = bar_chart(table, &cols, names.clone(), false, |r| {
        let mark = trend
            .and_then(|c| r.values.get(c - 1))
            .map(|v| match v {
                Value::Text(t) if t == "stijging" => " ▲",
                Value::Text(t) if t == "daling" => " ▼",
                _ => "",
            })
            .unwrap_or("");
        format!("{}{mark}", r.label)
    });
    chart.value_axis = "Aantal dossiers".to_string();
    chart.category_axis = category.to_string();
    let mut subtitle = Vec::new();
    if let (Some(first), Some(last)) = (names.first(), names.last()) {
        subtitle.push(format!("Schooljaren {first} t/m {last}"));
    }
    if trend.is_some() {
        subtitle.push(
            "▲ stijging, ▼ daling: het laatste schooljaar hoger of lager dan beide eerdere"
                .to_string(),
        );
    }
    if table.rows.iter().any(|r| r.total) {
        let totals: Vec<String> = cols
            .iter()
            .zip(&names)
            .map(|(c, name)| format!("{name}: {}", total_nl(column_total(table, *c))))
            .collect();
        subtitle.push(format!("totaal {}", totals.join(", ")));
    }
    Spec {
        title: table.title.clone(),
        subtitle: (!subtitle.is_empty()).then(|| subtitle.join("; ")),
        body: Body::Bars(chart),
        alt: String::new(),
    }
}

fn passend(table: &ReportTable, category: &str) -> Spec {
    let cols = numeric_columns(table);
    let names: Vec<String> = cols.iter().map(|c| series_name(table, *c)).collect();
    let mut chart = bar_chart(table, &cols, names.clone(), false, |r| r.label.clone());
    chart.value_axis = "Aantal dossiers".to_string();
    chart.category_axis = category.to_string();
    let colours: Vec<String> = chart
        .series
        .iter()
        .map(|s| {
            let colour = if s.shade.0 == 0 { "zwart" } else { "grijs" };
            format!("{} {colour}", s.name)
        })
        .collect();
    let title = if colours.len() == 2 {
        format!("{} ({})", table.title, colours.join(", "))
    } else {
        table.title.clone()
    };
    Spec {
        title,
        subtitle: Some(
            "Dossiers passend onderwijs; een dossier telt per waarde één keer".to_string(),
        ),
        body: Body::Bars(chart),
        alt: String::new(),
    }
}

fn websitebezoek(table: &ReportTable, pageviews: &[PageviewDay]) -> Spec {
    let column = columns(table, &["unieke_paginaweergaven"])
        .first()
        .copied()
        .unwrap_or(1);
    let by_day: BTreeMap<NaiveDate, i64> =
        pageviews.iter().map(|p| (p.datum, p.weergaven)).collect();
    let rows: Vec<&Row> = table.rows.iter().filter(|r| !r.total).collect();
    let n = rows.len();
    let series = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let kind = match n - 1 - i {
                0 => LineKind::Bold,
                1 => LineKind::Dashed,
                2 => LineKind::Dotted,
                _ => LineKind::Thin,
            };
            let total = cell(row, column).map_or_else(|| "–".to_string(), |n| n.nl());
            let points = SchoolYear::parse(&row.key)
                .map(|year| weekly(year, &by_day))
                .unwrap_or_default();
            LineSeries {
                name: format!("{} ({total})", row.label),
                kind,
                points,
            }
        })
        .collect();
    Spec {
        title: "Unieke paginaweergaven per week".to_string(),
        subtitle: Some(match table.caption.as_deref().map(str::trim) {
            // The table's caption only says something when the export is incomplete.
            Some(caption) if !caption.is_empty() => format!(
                "Per schooljaar van augustus tot en met juli, tussen haakjes het totaal van het \
                 schooljaar. {caption}"
            ),
            _ => "Per schooljaar van augustus tot en met juli; tussen haakjes het totaal van het \
                  schooljaar"
                .to_string(),
        }),
        body: Body::Lines(LineChart {
            series,
            x_axis: "Maand van het schooljaar".to_string(),
            y_axis: "Unieke paginaweergaven per week".to_string(),
        }),
        alt: String::new(),
    }
}

/// Weeks of a school year: 52 blocks of 7 days from 1 August, the last one taking the one or
/// two days left before 1 August. A week's value is the sum of its days in the export; the
/// last, longer block is scaled to 7 days (`sum × 7 / 8`, rounded) so it does not jump. Days
/// missing from the export are not made up: a week with some shows lower, a week with none
/// breaks the line (and the table's caption says the data are incomplete). Each point sits at
/// the middle of its week, in months since 1 August.
fn weekly(year: SchoolYear, by_day: &BTreeMap<NaiveDate, i64>) -> Vec<Option<(f64, f64)>> {
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(year.start_year(), 8, 1),
        NaiveDate::from_ymd_opt(year.end_year(), 8, 1),
    ) else {
        return Vec::new();
    };
    let days = (end - start).num_days();
    (0..52)
        .map(|week| {
            let first = week * 7;
            let last = if week == 51 { days } else { first + 7 };
            // In i128: no count from the export, however large, can overflow the sum.
            let (mut sum, mut seen) = (0i128, 0i64);
            for d in first..last {
                if let Some(v) = by_day.get(&(start + chrono::Duration::days(d))) {
                    sum += i128::from(*v);
                    seen += 1;
                }
            }
            if seen == 0 {
                return None;
            }
            let length = i128::from(last - first);
            let value = (2 * sum * 7 + length) / (2 * length); // rounded half up
            let middle = start + chrono::Duration::days((first + last) / 2);
            Some((month_position(middle), value as f64))
        })
        .collect()
}

/// A date as months since 1 August (1 August = 0, the middle of August ≈ 0,5).
fn month_position(date: NaiveDate) -> f64 {
    let month = (date.month() + 4) % 12; // August = 0
    let next = if date.month() == 12 {
        NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
    };
    let days_in_month = next
        .and_then(|n| date.with_day(1).map(|f| (n - f).num_days()))
        .unwrap_or(30) as f64;
    month as f64 + (date.day() as f64 - 0.5) / days_in_month
}

/// The text alternative: title, subtitle, what kind of chart, every figure drawn.
fn alt_text(spec: &Spec) -> String {
    let mut out = format!("Grafiek: {}.", spec.title.trim_end_matches('.'));
    if let Some(sub) = &spec.subtitle {
        out.push(' ');
        out.push_str(sub.trim_end_matches('.'));
        out.push('.');
    }
    match &spec.body {
        Body::Bars(b) => {
            out.push_str(if b.horizontal {
                " Liggend staafdiagram"
            } else {
                " Staafdiagram"
            });
            if b.series.len() > 1 {
                let legend: Vec<String> = b
                    .series
                    .iter()
                    .map(|s| format!("{} {}", s.name, shade_name(s.shade)))
                    .collect();
                out.push_str(&format!(" ({})", legend.join(", ")));
            }
            out.push_str(&format!(", {}: ", b.value_axis.to_lowercase()));
            let suffix = if b.tenths { "%" } else { "" };
            let entries: Vec<String> = b
                .categories
                .iter()
                .zip(&b.values)
                .map(|(category, values)| {
                    let figures: Vec<String> = values
                        .iter()
                        .zip(&b.series)
                        .map(|(v, s)| {
                            let v = match v {
                                None => "–".to_string(),
                                Some(n @ (Num::Below(_) | Num::Hidden)) => n.nl(),
                                Some(n) => format!("{}{suffix}", n.nl()),
                            };
                            if b.series.len() > 1 {
                                format!("{} {v}", s.name)
                            } else {
                                v
                            }
                        })
                        .collect();
                    format!("{category}: {}", figures.join(", "))
                })
                .collect();
            out.push_str(&entries.join("; "));
            out.push('.');
        }
        Body::Lines(l) => {
            out.push_str(" Lijngrafiek met één lijn per schooljaar: ");
            let lines: Vec<String> = l
                .series
                .iter()
                .rev()
                .map(|s| format!("{} {}", s.name, s.kind.dutch()))
                .collect();
            out.push_str(&lines.join(", "));
            out.push('.');
        }
    }
    out
}

fn shade_name(shade: RGBColor) -> &'static str {
    match shade.0 {
        0 => "zwart",
        1..=120 => "donkergrijs",
        121..=170 => "grijs",
        _ => "lichtgrijs",
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing.

fn register_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED
        .get_or_init(|| plotters::style::register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        bail!("the embedded chart font (assets/fonts/DejaVuSans.ttf) is not a readable font")
    }
}

/// SVG text, PNG bytes, SVG width and height.
fn draw_spec(spec: &Spec) -> Result<(String, Vec<u8>, u32, u32)> {
    register_font()?;
    let width = draw::WIDTH as u32;
    let height = {
        let mut scratch = String::new();
        let area = SVGBackend::with_string(&mut scratch, (width, 100)).into_drawing_area();
        draw::height(&draw::Painter::new(&area, 1.0, false), spec)? as u32
    };

    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        draw::draw(&draw::Painter::new(&area, 1.0, false), spec)?;
        area.present()
            .map_err(|e| anyhow!("writing the SVG: {e:?}"))?;
    }
    let svg = accessible_svg(&svg, &spec.title, &spec.alt);

    let (pw, ph) = (width * PNG_SCALE, height * PNG_SCALE);
    // One canvas for every chart drawn on this thread: megabytes each, and fresh memory costs
    // its first touch (about as much as drawing on it).
    thread_local! {
        static CANVAS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let png = CANVAS.with_borrow_mut(|pixels| -> Result<Vec<u8>> {
        pixels.clear();
        pixels.resize((pw as usize) * (ph as usize) * 3, 255);
        {
            let area = BitMapBackend::with_buffer(pixels, (pw, ph)).into_drawing_area();
            draw::draw(&draw::Painter::new(&area, f64::from(PNG_SCALE), true), spec)?;
            area.present()
                .map_err(|e| anyhow!("drawing the PNG: {e:?}"))?;
        }
        encode_png(pixels, pw, ph)
    })?;
    Ok((svg, png, width, height))
}

/// The SVG with `role="img"`, an `aria-label`, a `<title>` and a `<desc>`.
fn accessible_svg(svg: &str, title: &str, alt: &str) -> String {
    let Some(open) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(end) = svg[open..].find('>').map(|e| open + e) else {
        return svg.to_string();
    };
    format!(
        "{} role=\"img\" aria-label=\"{}\">\n<title>{}</title>\n<desc>{}</desc>{}",
        &svg[..end],
        escape_xml(title),
        escape_xml(title),
        escape_xml(alt),
        &svg[end + 1..]
    )
}

fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Default);
        let mut writer = encoder.write_header().context("encoding a PNG")?;
        writer.write_image_data(rgb).context("encoding a PNG")?;
        writer.finish().context("encoding a PNG")?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_of_a_school_year() {
        let year = SchoolYear(2020);
        let start = NaiveDate::from_ymd_opt(2020, 8, 1).unwrap();
        let by_day: BTreeMap<NaiveDate, i64> = (0..365)
            .map(|d| (start + chrono::Duration::days(d), 10))
            .collect();
        let weeks = weekly(year, &by_day);
        assert_eq!(weeks.len(), 52);
        // Every full week: 70; the last block (8 days) scaled to 7 days: 70.
        assert!(weeks.iter().all(|w| w.unwrap().1 == 70.0));
        assert!(weeks[0].unwrap().0 > 0.0 && weeks[0].unwrap().0 < 0.2);
        assert!(weeks[51].unwrap().0 > 11.5 && weeks[51].unwrap().0 < 12.0);
        // A week without data breaks the line; missing days are not made up.
        let mut gap = by_day.clone();
        for d in 7..15 {
            gap.remove(&(start + chrono::Duration::days(d)));
        }
        let weeks = weekly(year, &gap);
        assert_eq!(weeks[1], None);
        assert_eq!(weeks[2].unwrap().1, 60.0);
    }

    #[test]
    fn month_positions() {
        let d = |m, day| NaiveDate::from_ymd_opt(2021, m, day).unwrap();
        assert!((month_position(d(8, 1)) - 0.5 / 31.0).abs() < 1e-9);
        assert!((month_position(d(7, 31)) - (11.0 + 30.5 / 31.0)).abs() < 1e-9);
        assert!((month_position(d(1, 16)) - 5.5 / 1.0 + 0.0).abs() < 0.1);
    }

    #[test]
    fn markdown_alt_text_is_escaped() {
        assert_eq!(
            escape_markdown("a [b] *c* <d> 1_2"),
            "a \\[b\\] \\*c\\* \\<d\\> 1\\_2"
        );
    }

    #[test]
    fn newest_year_is_black() {
        let s = shades(3);
        assert_eq!(s[0], RGBColor(0, 0, 0));
        assert_eq!(year_of("2020-2021"), Some(2020));
        assert_eq!(year_of("helpdesk"), None);
    }
}
