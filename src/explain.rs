//! `oco-report explain`: what one figure of a table is made of. A count lists the dossiers or
//! sessions it counts, found by the very step the table aggregates
//! ([`crate::appendices::counted`]); a percentage gives its numerator and denominator with
//! their sources; a totals row the figures it adds.
//!
//! Nothing personal is printed: dossier ids, dates, how a school was matched and the
//! registry's own names; never a school name as typed in the CRM, never a column outside the
//! contract. Small cells (`--min-cell`) stay hidden here too.

use std::collections::HashMap;

use anyhow::{Result, bail};
use serde::Serialize;
use serde_json::Value as Json;

use crate::appendices::TableDefinition;
use crate::appendices::counted::{Counted, Export};
use crate::appendices::definition::{PupilSource, Pupils};
use crate::appendices::{self, Options};
use crate::check::figures::Report;
use crate::frames::Frames;
use crate::ingest::{leerlingen, voorlichtingen};
use crate::model::DataSet;
use crate::render::number::{getal, value_nl};
use crate::render::{self, small_cells};
use crate::table::{ReportTable, Row, Value, percent_tenths};

/// The tables `explain` knows: those whose cells count dossiers or sessions (whose definition
/// names the items they count), in the report's order.
pub fn table_ids() -> Vec<&'static str> {
    appendices::tables()
        .filter(|(_, table)| table.counted.is_some())
        .map(|(_, table)| table.id)
        .collect()
}

/// What to explain.
pub struct Request<'a> {
    pub table: &'a str,
    pub year: i32,
    pub row: &'a str,
    /// `None`: every figure of the row.
    pub column: Option<&'a str>,
    pub options: &'a Options,
    pub min_cell: Option<u32>,
    /// `--vergelijk`: the figures of an earlier report.
    pub baseline: Option<&'a Baseline>,
}

/// One figure and what it is made of.
#[derive(Debug, Serialize)]
pub struct Explanation {
    pub table: String,
    pub year: i32,
    pub row: String,
    pub column: String,
    #[serde(skip)]
    row_label: String,
    #[serde(skip)]
    column_label: String,
    /// The figure counts dossiers by the school they name (CSV has the school columns).
    #[serde(skip)]
    by_school: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// As `table --format json` prints it (`"<5"` when hidden).
    pub value: Json,
    #[serde(flatten)]
    pub made_of: MadeOf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compared: Option<Comparison>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MadeOf {
    /// A count: the rule and one line per dossier or session counted.
    Count {
        rule: String,
        /// `dossiers` or `voorlichtingen`.
        counts: &'static str,
        items: Vec<Item>,
    },
    /// A count from 1 to `--min-cell` - 1, or a percentage beside one: not explained line by
    /// line.
    Hidden { rule: String, min_cell: u32 },
    /// A percentage: numerator / denominator × 100, one decimal, rounded half away from zero.
    Percentage { numerator: Part, denominator: Part },
    /// A figure read from an input file.
    Source { source: Source },
    /// A totals row or a total of sources: the figures it adds.
    Sum { terms: Vec<Term> },
    /// A word from the figures of the row (a trend).
    Comparison { rule: String, terms: Vec<Term> },
}

/// A dossier or session counted.
#[derive(Debug, Serialize)]
pub struct Item {
    /// `dossier_id` of the export; for a session, which has none, `voorlichtingen.csv:LINE`.
    pub id: String,
    pub datum: String,
    /// How the school was matched: `brin`, `naam` or `alias` (school-based tables only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_by: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brin: Option<String>,
    /// The registry's name of the school (`scholen.csv`), never the name as typed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub school: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Part {
    pub column: String,
    pub value: Json,
    /// Where the figure comes from.
    pub source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Source>,
}

#[derive(Debug, Serialize)]
pub struct Source {
    pub file: String,
    /// Lines of the file (header = line 1).
    pub lines: Vec<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schooljaar: Option<String>,
    pub description: String,
}

#[derive(Debug, Serialize)]
pub struct Term {
    pub row: String,
    pub column: String,
    pub value: Json,
}

/// The figure against the same figure of an earlier report (`--vergelijk`).
#[derive(Debug, Serialize)]
pub struct Comparison {
    pub year: i32,
    /// `null` when the earlier report has no such figure.
    pub value: Json,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    pub note: String,
    /// Ids counted now and not then, when the baseline lists what it counted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entered: Option<Vec<String>>,
    /// Ids counted then and not now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left: Option<Vec<String>>,
}

/// What `--vergelijk` compares with: the `figures.json` of an earlier report (aggregates
/// only), or what `explain --format json` said earlier (with the ids it counted).
pub enum Baseline {
    Figures(Report),
    Explained(Vec<Earlier>),
}

/// A figure as an earlier `explain --format json` gave it.
pub struct Earlier {
    year: i32,
    table: String,
    row: String,
    column: String,
    value: Json,
    period: Option<String>,
    /// The ids it counted; `None` when it did not list them (a percentage, a hidden cell).
    ids: Option<Vec<String>>,
}

impl Baseline {
    /// Reads a `figures.json` or an `explain --format json` output; the error names the file.
    pub fn read(path: &std::path::Path) -> Result<Baseline> {
        // Only a regular file, bounded as `check` reads its baseline: a FIFO would wait for
        // ever, a link to /dev/zero fill the memory.
        let bytes = crate::ingest::regular::read(path, crate::figures::MAX_FIGURES_BYTES)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| anyhow::anyhow!("{} is not UTF-8 text, so not JSON", path.display()))?;
        let json: Json = serde_json::from_str(&text)
            .map_err(|e| anyhow::anyhow!("{} is not JSON: {e}", path.display()))?;
        if json.get("appendices").is_some() {
            // Parsed again from the text, as `check` reads it, for errors with line and column.
            let report = Report::parse(&text).map_err(|e| crate::figures::not_figures(path, e))?;
            return Ok(Baseline::Figures(report));
        }
        let figures = match &json {
            Json::Array(all) => all.iter().collect(),
            one => vec![one],
        };
        let text_of = |f: &Json, key: &str| f.get(key).and_then(Json::as_str).map(str::to_string);
        let mut earlier = Vec::new();
        for f in figures {
            let (Some(table), Some(row), Some(column), Some(year)) = (
                text_of(f, "table"),
                text_of(f, "row"),
                text_of(f, "column"),
                f.get("year").and_then(Json::as_i64),
            ) else {
                bail!(
                    "{} is neither a figures.json as `build` writes it nor the output of \
                     `explain --format json`",
                    path.display()
                );
            };
            let ids = f.get("items").and_then(Json::as_array).map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.get("id").and_then(Json::as_str).map(str::to_string))
                    .collect()
            });
            earlier.push(Earlier {
                year: year as i32,
                table,
                row,
                column,
                value: f.get("value").cloned().unwrap_or(Json::Null),
                period: text_of(f, "period"),
                ids,
            });
        }
        Ok(Baseline::Explained(earlier))
    }
}

/// The figures of `request`, computed from `data` as `table` computes them.
pub fn explain(data: &DataSet, frames: &Frames, request: &Request) -> Result<Vec<Explanation>> {
    let id = request.table;
    let Some((_, definition)) =
        appendices::table_definition(id).filter(|(_, table)| table.counted.is_some())
    else {
        bail!(
            "explain knows the tables that count dossiers or sessions: {}; {id:?} is not one \
             of them",
            table_ids().join(", ")
        );
    };
    let exact = appendices::compute_table_from(data, frames, request.year, id, request.options)?;
    let mut shown = exact.clone();
    if let Some(min) = request.min_cell {
        small_cells::suppress(&mut shown, min);
    }
    let Some(counted) = appendices::counted_items(data, frames, request.year, id, request.options)?
    else {
        bail!("table {id} counts no dossiers or sessions");
    };
    let Some(row) = exact
        .row(request.row)
        .or_else(|| exact.rows.iter().find(|r| r.label == request.row))
    else {
        let keys: Vec<&str> = exact.rows.iter().map(|r| r.key.as_str()).collect();
        bail!(
            "table {id} {} has no row {:?}; its rows: {}",
            request.year,
            request.row,
            keys.join(", ")
        );
    };
    let value_columns: Vec<&str> = exact
        .columns
        .iter()
        .skip(1)
        .map(|c| c.key.as_str())
        .collect();
    let columns: Vec<&str> = match request.column {
        None => value_columns.clone(),
        Some(wanted) => {
            let found = exact.columns.iter().skip(1).find(|c| {
                c.key.eq_ignore_ascii_case(wanted) || c.label.eq_ignore_ascii_case(wanted)
            });
            match found {
                Some(c) => vec![c.key.as_str()],
                None => bail!(
                    "table {id} has no figure column {wanted:?}; its columns: {}",
                    value_columns.join(", ")
                ),
            }
        }
    };
    let explainer = Explainer {
        definition,
        data,
        frames,
        request,
        exact: &exact,
        shown: &shown,
        counted: &counted,
        registry: data
            .scholen
            .iter()
            .map(|s| (s.brin.as_str(), s.naam.as_str()))
            .collect(),
    };
    columns
        .into_iter()
        .map(|column| explainer.figure(row, column))
        .collect()
}

struct Explainer<'a> {
    data: &'a DataSet,
    frames: &'a Frames,
    request: &'a Request<'a>,
    definition: &'static TableDefinition,
    exact: &'a ReportTable,
    shown: &'a ReportTable,
    counted: &'a Counted,
    /// brin → the registry's name.
    registry: HashMap<&'a str, &'a str>,
}

impl Explainer<'_> {
    fn figure(&self, row: &Row, column: &str) -> Result<Explanation> {
        let table = self.exact;
        let exact = row
            .get(table, column)
            .expect("the column is one of the table's");
        let shown = self.shown_value(&row.key, column);
        let hidden = matches!(&shown, Value::Text(t) if small_cells::is_marker(t));
        let made_of = if let Value::Text(_) = exact {
            self.comparison(row)
        } else if let Some(percentage) = self.definition.percentage(column) {
            if hidden {
                self.hidden(row)
            } else {
                self.percentage(row, exact, percentage.numerator, percentage.denominator)?
            }
        } else if row.total {
            self.sum(row, column)
        } else if self.pupils(column).is_some() {
            self.source(row)?
        } else if hidden {
            self.hidden(row)
        } else {
            self.count(row, column, exact)?
        };
        let spec = table.columns.iter().find(|c| c.key == column);
        Ok(Explanation {
            table: table.id.clone(),
            year: self.request.year,
            row: row.key.clone(),
            column: column.to_string(),
            row_label: row.label.clone(),
            column_label: spec.map_or(column.to_string(), |c| c.label.clone()),
            by_school: self.counted.by_school,
            period: spec.and_then(|c| c.period.clone()),
            value: render::json::value(&shown),
            compared: self
                .request
                .baseline
                .map(|baseline| compare(baseline, table, row, column, exact, &made_of)),
            made_of,
        })
    }

    fn shown_value(&self, row: &str, column: &str) -> Value {
        self.shown
            .value(row, column)
            .cloned()
            .unwrap_or(Value::Tenths(None))
    }

    /// The table's rule; for a sector group, which sectors it holds.
    fn rule(&self, row: &Row) -> String {
        let group = match self.definition.rows_are_sector_groups {
            true => self.data.config.sector_group(&row.key),
            false => None,
        };
        match group {
            Some(group) => format!(
                "{} Sectorgroep {}: {}.",
                self.counted.rule,
                group.id,
                group.sectoren.join(", ")
            ),
            None => self.counted.rule.clone(),
        }
    }

    fn count(&self, row: &Row, column: &str, exact: &Value) -> Result<MadeOf> {
        let places = self.counted.items(&self.frames.labels, &row.key, column)?;
        if exact.count() != Some(places.len() as i64) {
            bail!(
                "table {} row {} column {column}: the table counts {exact:?} but the items \
                 counted are {}; please report this",
                self.exact.id,
                row.key,
                places.len()
            );
        }
        let items = places
            .into_iter()
            .map(|place| self.item(place as usize))
            .collect::<Result<Vec<_>>>()?;
        Ok(MadeOf::Count {
            rule: self.rule(row),
            counts: match self.counted.export {
                Export::Dossiers => "dossiers",
                Export::Voorlichtingen => "voorlichtingen",
            },
            items,
        })
    }

    fn item(&self, place: usize) -> Result<Item> {
        match self.counted.export {
            Export::Dossiers => {
                let Some(d) = self.data.dossiers.get(place) else {
                    bail!("dossier {place} is not in the data read");
                };
                let school = d.school.as_deref().filter(|_| self.counted.by_school);
                Ok(Item {
                    id: d.id.to_string(),
                    datum: d.datum.to_string(),
                    matched_by: school.and(d.school_match).map(|m| m.word()),
                    school: school
                        .and_then(|brin| self.registry.get(brin))
                        .map(|naam| naam.to_string()),
                    brin: school.map(str::to_string),
                })
            }
            Export::Voorlichtingen => {
                let Some(v) = self.data.voorlichtingen.get(place) else {
                    bail!("session {place} is not in the data read");
                };
                Ok(Item {
                    id: format!("{}:{}", voorlichtingen::FILE, v.line),
                    datum: v.datum.to_string(),
                    matched_by: None,
                    brin: None,
                    school: None,
                })
            }
        }
    }

    fn hidden(&self, row: &Row) -> MadeOf {
        MadeOf::Hidden {
            rule: self.rule(row),
            min_cell: self.request.min_cell.unwrap_or(0),
        }
    }

    fn percentage(
        &self,
        row: &Row,
        exact: &Value,
        numerator: &str,
        denominator: &str,
    ) -> Result<MadeOf> {
        let value = |column: &str| row.get(self.exact, column).and_then(Value::count);
        let (Some(n), Some(d)) = (value(numerator), value(denominator)) else {
            bail!(
                "row {} has no counts {numerator} and {denominator}",
                row.key
            );
        };
        if *exact != Value::Tenths(percent_tenths(n, d)) {
            bail!(
                "table {} row {}: {exact:?} is not {n} of {d}; please report this",
                self.exact.id,
                row.key
            );
        }
        let part = |column: &str, n: i64| -> Result<Part> {
            let pupils = self.pupils(column);
            let lines = if pupils.is_some() && !row.total {
                match self.source(row)? {
                    MadeOf::Source { source } => Some(source),
                    _ => None,
                }
            } else {
                None
            };
            let source = match (&lines, pupils) {
                (Some(source), _) => source.description.clone(),
                (None, Some(pupils)) => format!(
                    "de som van de kolom {column} over de andere rijen ({})",
                    pupils_file(pupils.source)
                ),
                (None, None) if row.total => {
                    format!("de som van de kolom {column} over de andere rijen")
                }
                (None, None) => format!(
                    "{} Zie: oco-report explain {} {} --row {:?} --column {column}",
                    self.rule(row),
                    self.exact.id,
                    self.request.year,
                    row.key
                ),
            };
            Ok(Part {
                column: column.to_string(),
                value: Json::from(n),
                source,
                lines,
            })
        };
        Ok(MadeOf::Percentage {
            numerator: part(numerator, n)?,
            denominator: part(denominator, d)?,
        })
    }

    /// The pupil counts of the table, when `column` holds them.
    fn pupils(&self, column: &str) -> Option<Pupils> {
        self.definition.pupils.filter(|p| p.column == column)
    }

    fn source(&self, row: &Row) -> Result<MadeOf> {
        let Some(pupils) = self.definition.pupils else {
            bail!("table {} reads no pupil counts", self.exact.id);
        };
        let source = match pupils.source {
            PupilSource::Stadsdeel => {
                let p = appendices::stadsdeel_pupils(
                    self.data,
                    self.frames,
                    self.request.year,
                    &row.key,
                    self.request.options,
                )?;
                Source {
                    file: leerlingen::STADSDEEL_FILE.to_string(),
                    lines: vec![p.line],
                    schooljaar: Some(p.schooljaar.slashed()),
                    description: format!(
                        "CBS: leerlingen basisonderwijs in {} in schooljaar {}, {} regel {}",
                        p.stadsdeel,
                        p.schooljaar.slashed(),
                        leerlingen::STADSDEEL_FILE,
                        p.line
                    ),
                }
            }
            PupilSource::SectorGroup => {
                let Some(p) = self
                    .data
                    .leerlingen_sector
                    .iter()
                    .find(|p| p.groep == row.key)
                else {
                    bail!("{} has no row {}", leerlingen::SECTOR_FILE, row.key);
                };
                let year = p.schooljaar.map(|y| y.slashed());
                Source {
                    file: leerlingen::SECTOR_FILE.to_string(),
                    lines: vec![p.line],
                    description: format!(
                        "geschat aantal Amsterdamse leerlingen in sectorgroep {}{}, {} regel {}",
                        p.groep,
                        year.as_ref()
                            .map_or(String::new(), |y| format!(" in schooljaar {y}")),
                        leerlingen::SECTOR_FILE,
                        p.line
                    ),
                    schooljaar: year,
                }
            }
        };
        Ok(MadeOf::Source { source })
    }

    fn sum(&self, total: &Row, column: &str) -> MadeOf {
        let terms = self
            .exact
            .rows
            .iter()
            .filter(|r| !r.total && r.key != total.key)
            .map(|r| Term {
                row: r.key.clone(),
                column: column.to_string(),
                value: render::json::value(&self.shown_value(&r.key, column)),
            })
            .collect();
        MadeOf::Sum { terms }
    }

    fn comparison(&self, row: &Row) -> MadeOf {
        let terms = self
            .exact
            .columns
            .iter()
            .skip(1)
            .filter(|c| c.period.is_some())
            .map(|c| Term {
                row: row.key.clone(),
                column: c.key.clone(),
                value: render::json::value(&self.shown_value(&row.key, &c.key)),
            })
            .collect();
        MadeOf::Comparison {
            rule: "stijging als het laatste schooljaar hoger is dan beide eerdere, daling als \
                   het lager is dan beide; geen trend als een schooljaar geen dossiers heeft."
                .to_string(),
            terms,
        }
    }
}

/// The export a table's pupil counts are read from.
fn pupils_file(source: PupilSource) -> &'static str {
    match source {
        PupilSource::Stadsdeel => leerlingen::STADSDEEL_FILE,
        PupilSource::SectorGroup => leerlingen::SECTOR_FILE,
    }
}

fn compare(
    baseline: &Baseline,
    table: &ReportTable,
    row: &Row,
    column: &str,
    now: &Value,
    made_of: &MadeOf,
) -> Comparison {
    let report = match baseline {
        Baseline::Figures(report) => report,
        Baseline::Explained(earlier) => {
            return compare_explained(earlier, table, row, column, now, made_of);
        }
    };
    let baseline = report;
    let before_table = baseline.table(&table.id);
    let before = before_table.and_then(|t| t.value(&row.key, column));
    let period = before_table
        .and_then(|t| t.columns.iter().find(|c| c.key == column))
        .and_then(|c| c.period.clone());
    let period_now = table
        .columns
        .iter()
        .find(|c| c.key == column)
        .and_then(|c| c.period.clone());
    let note = match before {
        None => format!(
            "het rapport van {} heeft dit cijfer niet (tabel {}, rij {}, kolom {column})",
            baseline.year, table.id, row.key
        ),
        Some(b) if b == now => "ongewijzigd".to_string(),
        Some(_) if period != period_now => format!(
            "de kolom besloeg {} en beslaat nu {}: het venster is verschoven, andere dossiers \
             vallen erin",
            period.as_deref().unwrap_or("–"),
            period_now.as_deref().unwrap_or("–")
        ),
        Some(_) => "figures.json bevat alleen totalen, geen dossiers: welke dossiers erbij \
                    kwamen of afvielen is daaruit niet af te leiden (bewaar `explain --format \
                    json` bij het rapport om dat later wel te kunnen). De regel is dezelfde \
                    gebleven: de gegevens zijn veranderd (een correctie in het CRM, een \
                    nagekomen export)."
            .to_string(),
    };
    Comparison {
        year: baseline.year,
        value: before.map_or(Json::Null, render::json::value),
        period,
        note,
        entered: None,
        left: None,
    }
}

/// Against an earlier `explain --format json`: the ids that entered and left the figure.
fn compare_explained(
    earlier: &[Earlier],
    table: &ReportTable,
    row: &Row,
    column: &str,
    now: &Value,
    made_of: &MadeOf,
) -> Comparison {
    let found = earlier.iter().find(|e| {
        e.table == table.id && e.row.eq_ignore_ascii_case(&row.key) && e.column == column
    });
    let Some(before) = found else {
        return Comparison {
            year: earlier.first().map_or(0, |e| e.year),
            value: Json::Null,
            period: None,
            note: format!(
                "de eerdere uitleg heeft dit cijfer niet (tabel {}, rij {}, kolom {column})",
                table.id, row.key
            ),
            entered: None,
            left: None,
        };
    };
    let ids_now = match made_of {
        MadeOf::Count { items, .. } => {
            Some(items.iter().map(|i| i.id.clone()).collect::<Vec<String>>())
        }
        _ => None,
    };
    let (entered, left, note) = match (&before.ids, ids_now) {
        (Some(then), Some(now_ids)) => {
            let then_set: std::collections::BTreeSet<&String> = then.iter().collect();
            let now_set: std::collections::BTreeSet<&String> = now_ids.iter().collect();
            let entered: Vec<String> = now_set
                .difference(&then_set)
                .map(|s| s.to_string())
                .collect();
            let left: Vec<String> = then_set
                .difference(&now_set)
                .map(|s| s.to_string())
                .collect();
            let note = if entered.is_empty() && left.is_empty() {
                "dezelfde dossiers".to_string()
            } else {
                format!(
                    "{} erbij, {} eraf",
                    getal(entered.len() as i64),
                    getal(left.len() as i64)
                )
            };
            (Some(entered), Some(left), note)
        }
        _ => {
            let note = if render::json::value(now) == before.value {
                "ongewijzigd"
            } else {
                "de eerdere uitleg of deze noemt geen dossiers (een percentage, een verborgen \
                 cel): welke erbij kwamen of afvielen is niet te zeggen"
            };
            (None, None, note.to_string())
        }
    };
    Comparison {
        year: before.year,
        value: before.value.clone(),
        period: before.period.clone(),
        note,
        entered,
        left,
    }
}

/// The explanations as text, numbers the Dutch way.
pub fn text(explanations: &[Explanation]) -> String {
    let mut out = String::new();
    for (i, e) in explanations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let value = json_nl(&e.value);
        let period = e
            .period
            .as_ref()
            .map_or(String::new(), |p| format!(" ({p})"));
        out.push_str(&format!(
            "{} {} · {} · {}{period}: {value}\n",
            e.table, e.year, e.row_label, e.column_label
        ));
        match &e.made_of {
            MadeOf::Count {
                rule,
                counts,
                items,
            } => {
                out.push_str(&format!("Regel: {rule}\n"));
                out.push_str(&format!("{} {counts}:\n", getal(items.len() as i64)));
                for item in items {
                    let mut line = format!("  {}  {}", item.id, item.datum);
                    for part in [item.matched_by.map(str::to_string), item.brin.clone()]
                        .into_iter()
                        .flatten()
                    {
                        line.push_str(&format!("  {part}"));
                    }
                    if let Some(school) = &item.school {
                        line.push_str(&format!("  {school}"));
                    }
                    out.push_str(&line);
                    out.push('\n');
                }
            }
            MadeOf::Hidden { rule, min_cell } => {
                out.push_str(&format!("Regel: {rule}\n"));
                out.push_str(&format!(
                    "Verborgen (--min-cell {min_cell}): een klein aantal wordt niet per dossier \
                     toegelicht.\n"
                ));
            }
            MadeOf::Percentage {
                numerator,
                denominator,
            } => {
                out.push_str(&format!(
                    "= {} / {} × 100 = {} / {} × 100, op één decimaal afgerond (half van nul af)\n",
                    numerator.column,
                    denominator.column,
                    json_nl(&numerator.value),
                    json_nl(&denominator.value)
                ));
                out.push_str(&format!(
                    "teller {}: {}\n",
                    json_nl(&numerator.value),
                    numerator.source
                ));
                out.push_str(&format!(
                    "noemer {}: {}\n",
                    json_nl(&denominator.value),
                    denominator.source
                ));
            }
            MadeOf::Source { source } => {
                out.push_str(&format!("Bron: {}\n", source.description));
            }
            MadeOf::Sum { terms } => {
                out.push_str("De som van:\n");
                for t in terms {
                    out.push_str(&format!("  {}  {}\n", t.row, json_nl(&t.value)));
                }
            }
            MadeOf::Comparison { rule, terms } => {
                out.push_str(&format!("Regel: {rule}\n"));
                for t in terms {
                    out.push_str(&format!("  {}  {}\n", t.column, json_nl(&t.value)));
                }
            }
        }
        if let Some(c) = &e.compared {
            out.push_str(&format!(
                "Eerder ({}): {}{}; {}\n",
                c.year,
                if c.value.is_null() {
                    "–".to_string()
                } else {
                    json_nl(&c.value)
                },
                c.period
                    .as_ref()
                    .map_or(String::new(), |p| format!(" ({p})")),
                c.note
            ));
            for (word, ids) in [("erbij", &c.entered), ("eraf", &c.left)] {
                for id in ids.iter().flatten() {
                    out.push_str(&format!("  {word}  {id}\n"));
                }
            }
        }
    }
    out
}

/// A JSON value from [`render::json::value`] the Dutch way (counts `1.414`, tenths `0,9`).
fn json_nl(value: &Json) -> String {
    match value {
        Json::Number(n) if n.is_i64() => getal(n.as_i64().unwrap_or(0)),
        Json::Number(n) => {
            let tenths = (n.as_f64().unwrap_or(0.0) * 10.0).round() as i64;
            value_nl(&Value::Tenths(Some(tenths)))
        }
        Json::String(s) => s.clone(),
        Json::Null => "–".to_string(),
        other => other.to_string(),
    }
}

/// The header of the lines of a count.
fn item_header(by_school: bool) -> Vec<String> {
    let mut header = vec!["id", "datum"];
    if by_school {
        header.extend(["gekoppeld_op", "brin", "school"]);
    }
    header.into_iter().map(String::from).collect()
}

/// One figure as CSV: for a count just its lines under a header, so that their number is the
/// figure; for a percentage its two parts, for a sum its terms, for a source its lines.
pub fn csv(e: &Explanation) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new());
    let mut records: Vec<Vec<String>> = Vec::new();
    let plain = |v: &Json| match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    };
    match &e.made_of {
        MadeOf::Count { items, .. } => {
            let by_school = e.by_school;
            records.push(item_header(by_school));
            for item in items {
                let mut record = vec![item.id.clone(), item.datum.clone()];
                if by_school {
                    record.push(item.matched_by.unwrap_or("").to_string());
                    record.push(item.brin.clone().unwrap_or_default());
                    record.push(item.school.clone().unwrap_or_default());
                }
                records.push(record);
            }
        }
        MadeOf::Hidden { .. } => records.push(item_header(e.by_school)),
        MadeOf::Percentage {
            numerator,
            denominator,
        } => {
            records.push(
                ["deel", "kolom", "waarde", "bron"]
                    .map(String::from)
                    .to_vec(),
            );
            for (name, part) in [("teller", numerator), ("noemer", denominator)] {
                records.push(vec![
                    name.to_string(),
                    part.column.clone(),
                    plain(&part.value),
                    part.source.clone(),
                ]);
            }
        }
        MadeOf::Source { source } => {
            records.push(
                ["bestand", "regel", "schooljaar"]
                    .map(String::from)
                    .to_vec(),
            );
            for line in &source.lines {
                records.push(vec![
                    source.file.clone(),
                    line.to_string(),
                    source.schooljaar.clone().unwrap_or_default(),
                ]);
            }
        }
        MadeOf::Sum { terms } | MadeOf::Comparison { terms, .. } => {
            records.push(["rij", "kolom", "waarde"].map(String::from).to_vec());
            for t in terms {
                records.push(vec![t.row.clone(), t.column.clone(), plain(&t.value)]);
            }
        }
    }
    for record in records {
        let record: Vec<String> = record
            .iter()
            .map(|cell| render::csv::neutralise(cell))
            .collect();
        writer
            .write_record(&record)
            .expect("writing CSV to memory cannot fail");
    }
    let bytes = writer
        .into_inner()
        .expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}
