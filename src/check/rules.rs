//! The checks themselves: pure functions from reports to [`Check`] lines. The rules are in the
//! documentation of [`crate::check`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::figures::{Figure, Period, Report, category, figures};
use super::{Check, Group, Status};
use crate::appendices;
use crate::appendices::definition::Consistency;
use crate::appendices::doelen::{self, Doel, Resultaat};
use crate::config::{CheckSettings, Config};
use crate::period::SchoolYear;
use crate::render::number::dutch_date;
use crate::render::number::{getal, value_nl};
use crate::table::{ReportTable, Value};

/// Whether table `id` is left out of the comparisons with last year (its definition says so:
/// the scorecard repeats figures of other tables, and the data-quality list holds findings,
/// not categories). A table the definitions do not know is compared.
fn not_compared(id: &str) -> bool {
    appendices::table_definition(id).is_some_and(|(_, table)| !table.compared_with_last_year)
}

/// A value as the lines print it: numbers the Dutch way, text quoted.
pub(super) fn show(v: Option<&Value>) -> String {
    match v {
        None => "(no row)".to_string(),
        Some(Value::Text(s)) => format!("{s:?}"),
        Some(v) => value_nl(v),
    }
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Count(n) => *n == 0,
        Value::Tenths(t) => t.is_none_or(|t| t == 0),
        Value::Text(s) => s.is_empty(),
    }
}

type Key = (String, String, String, Option<Period>);

fn figures_text(n: usize) -> String {
    if n == 1 {
        "1 figure".to_string()
    } else {
        format!("{n} figures")
    }
}

fn periods_text(periods: &BTreeSet<Period>) -> String {
    let names: Vec<String> = periods.iter().map(|p| p.to_string()).collect();
    names.join(", ")
}

/// Figures of a period both reports cover must be equal.
pub fn restatements(baseline: &Report, current: &Report) -> Vec<Check> {
    let mut out = Vec::new();
    let by = baseline.year;
    for base_table in baseline.tables() {
        if not_compared(&base_table.id) {
            continue;
        }
        let Some(cur_table) = current.table(&base_table.id) else {
            continue; // a vanished table is reported by `vanished`
        };
        let base = figures(base_table);
        let cur = figures(cur_table);
        let index = |fs: &[Figure<'_>]| -> HashMap<Key, usize> {
            fs.iter()
                .enumerate()
                .filter(|(_, f)| f.period.is_some())
                .map(|(i, f)| (f.identity(), i))
                .collect()
        };
        let cover = |fs: &[Figure<'_>]| -> HashSet<(String, Period)> {
            fs.iter()
                .filter_map(|f| Some((f.slot.clone(), f.period.clone()?)))
                .collect()
        };
        let (base_index, cur_index) = (index(&base), index(&cur));
        let (base_cover, cur_cover) = (cover(&base), cover(&cur));
        let mut compared = 0;
        let mut periods = BTreeSet::new();
        let mut failed = Vec::new();
        for b in &base {
            let Some(period) = &b.period else { continue };
            if !cur_cover.contains(&(b.slot.clone(), period.clone())) {
                continue;
            }
            compared += 1;
            periods.insert(period.clone());
            match cur_index.get(&b.identity()).map(|&i| &cur[i]) {
                Some(c) if c.value == b.value => {}
                Some(c) => failed.push(
                    Check::new(
                        Group::Restatements,
                        Status::Fail,
                        format!(
                            "{}: {} in the {by} report, {} now",
                            c.label(),
                            show(Some(b.value)),
                            show(Some(c.value))
                        ),
                    )
                    .at(c)
                    .values(Some(b.value), Some(c.value)),
                ),
                None if is_zero(b.value) => {}
                None => failed.push(
                    Check::new(
                        Group::Restatements,
                        Status::Fail,
                        format!(
                            "{}: {} in the {by} report, no such row now",
                            b.label(),
                            show(Some(b.value))
                        ),
                    )
                    .at(b)
                    .values(Some(b.value), None),
                ),
            }
        }
        for c in &cur {
            let Some(period) = &c.period else { continue };
            if !base_cover.contains(&(c.slot.clone(), period.clone()))
                || base_index.contains_key(&c.identity())
                || is_zero(c.value)
            {
                continue;
            }
            failed.push(
                Check::new(
                    Group::Restatements,
                    Status::Fail,
                    format!(
                        "{}: no such row in the {by} report, {} now",
                        c.label(),
                        show(Some(c.value))
                    ),
                )
                .at(c)
                .values(None, Some(c.value)),
            );
        }
        let id = &base_table.id;
        if compared == 0 {
            let theirs: BTreeSet<Period> = base.iter().filter_map(|f| f.period.clone()).collect();
            let reason = if theirs.is_empty() {
                "its figures carry no period".to_string()
            } else {
                format!(
                    "no period in common (the {by} report: {})",
                    periods_text(&theirs)
                )
            };
            out.push(
                Check::new(Group::Restatements, Status::Skip, format!("{id}: {reason}")).table(id),
            );
        } else if failed.is_empty() {
            out.push(
                Check::new(
                    Group::Restatements,
                    Status::Ok,
                    format!(
                        "{id}: {} of {} as in the {by} report",
                        figures_text(compared),
                        periods_text(&periods)
                    ),
                )
                .table(id),
            );
        } else {
            out.extend(failed);
        }
    }
    out
}

/// Totals rows are the sum of the other rows and a `totaal` column the sum of the row's other
/// counts, for every count column; one `ok` line per table with totals, one `fail` per wrong
/// total.
pub fn table_totals(t: &ReportTable) -> Vec<Check> {
    let mut failed = Vec::new();
    let mut checked = 0;
    let data_columns = &t.columns[1.min(t.columns.len())..];
    for total in t.rows.iter().filter(|r| r.total) {
        for (i, column) in data_columns.iter().enumerate() {
            let Some(Value::Count(stated)) = total.values.get(i) else {
                continue;
            };
            let parts: Option<Vec<i64>> = t
                .rows
                .iter()
                .filter(|r| !r.total)
                .map(|r| r.values.get(i).and_then(Value::count))
                .collect();
            let Some(parts) = parts.filter(|p| !p.is_empty()) else {
                continue;
            };
            checked += 1;
            let sum: i64 = parts.iter().sum();
            if sum != *stated {
                failed.push(
                    Check::new(
                        Group::Consistency,
                        Status::Fail,
                        format!(
                            "{} / {} / {}: total {}, but its rows add up to {}",
                            t.id,
                            total.key,
                            column.key,
                            getal(*stated),
                            getal(sum)
                        ),
                    )
                    .table(&t.id)
                    .values(Some(&Value::Count(sum)), Some(&Value::Count(*stated))),
                );
                let c = failed.last_mut().expect("just pushed");
                c.row = Some(total.key.clone());
                c.column = Some(column.key.clone());
                c.period = column.period.clone();
            }
        }
    }
    if let Some(ti) = data_columns
        .iter()
        .position(|c| c.key.eq_ignore_ascii_case("totaal"))
    {
        for row in &t.rows {
            let Some(Value::Count(stated)) = row.values.get(ti) else {
                continue;
            };
            let parts: Vec<i64> = row
                .values
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != ti)
                .filter_map(|(_, v)| v.count())
                .collect();
            if parts.is_empty() {
                continue;
            }
            checked += 1;
            let sum: i64 = parts.iter().sum();
            if sum != *stated {
                let mut c = Check::new(
                    Group::Consistency,
                    Status::Fail,
                    format!(
                        "{} / {} / {}: total {}, but the row adds up to {}",
                        t.id,
                        row.key,
                        data_columns[ti].key,
                        getal(*stated),
                        getal(sum)
                    ),
                )
                .table(&t.id)
                .values(Some(&Value::Count(sum)), Some(&Value::Count(*stated)));
                c.row = Some(row.key.clone());
                c.column = Some(data_columns[ti].key.clone());
                failed.push(c);
            }
        }
    }
    if checked == 0 {
        return Vec::new();
    }
    if !failed.is_empty() {
        return failed;
    }
    let totals: Vec<&str> = t
        .rows
        .iter()
        .filter(|r| r.total)
        .map(|r| r.key.as_str())
        .collect();
    let what = match totals.is_empty() {
        true => "column totaal is the sum of each row".to_string(),
        false => format!("{} is the sum of the rows", totals.join(", ")),
    };
    vec![
        Check::new(
            Group::Consistency,
            Status::Ok,
            format!("{}: {what} ({checked} totals)", t.id),
        )
        .table(&t.id),
    ]
}

fn count_at(r: &Report, table: &str, row: &str, column: &str) -> Option<i64> {
    r.table(table)?.value(row, column)?.count()
}

fn fact_count(r: &Report, appendix: &str, name: &str) -> Option<i64> {
    r.fact(appendix, name)?.count()
}

fn fact_text(r: &Report, appendix: &str, name: &str) -> Option<String> {
    match r.fact(appendix, name)? {
        Value::Text(s) => Some(s.clone()),
        _ => None,
    }
}

/// One quantity as several places state it.
struct Quantity {
    what: String,
    sources: Vec<(String, Option<i64>)>,
}

impl Quantity {
    fn new(what: impl Into<String>) -> Quantity {
        Quantity {
            what: what.into(),
            sources: Vec::new(),
        }
    }

    fn from(mut self, source: impl Into<String>, value: Option<i64>) -> Quantity {
        self.sources.push((source.into(), value));
        self
    }

    fn present(&self) -> Vec<(&str, i64)> {
        self.sources
            .iter()
            .filter_map(|(s, v)| v.map(|v| (s.as_str(), v)))
            .collect()
    }

    /// Equal wherever it is stated; `None` when fewer than two places state it.
    fn equal(&self) -> Option<Result<String, String>> {
        let present = self.present();
        if present.len() < 2 {
            return None;
        }
        let listed = present
            .iter()
            .map(|(s, v)| format!("{} in {s}", getal(*v)))
            .collect::<Vec<_>>()
            .join(", ");
        Some(if present.iter().all(|(_, v)| *v == present[0].1) {
            Ok(format!("{}: {} in {}", self.what, getal(present[0].1), {
                present
                    .iter()
                    .map(|(s, _)| *s)
                    .collect::<Vec<_>>()
                    .join(", ")
            }))
        } else {
            Err(format!("{} differs: {listed}", self.what))
        })
    }

    /// The first source at most the second (equal when `equal`).
    fn at_most(&self, equal: bool) -> Option<Result<String, String>> {
        if equal {
            return self.equal();
        }
        let present = self.present();
        if present.len() != 2 {
            return None;
        }
        let ((a, x), (b, y)) = (present[0], present[1]);
        let text = format!("{}: {} in {a}, {} in {b}", self.what, getal(x), getal(y));
        Some(if x <= y {
            Ok(text)
        } else {
            Err(format!("{text}: more than the whole"))
        })
    }
}

/// Several related quantities as one line: `ok` when all hold, else one `fail` per one that
/// does not; `skip` when none could be checked.
fn group(name: &str, results: Vec<Option<Result<String, String>>>) -> Vec<Check> {
    let results: Vec<Result<String, String>> = results.into_iter().flatten().collect();
    if results.is_empty() {
        return vec![Check::new(
            Group::Consistency,
            Status::Skip,
            format!("{name}: the tables or facts it compares are missing"),
        )];
    }
    let failed: Vec<Check> = results
        .iter()
        .filter_map(|r| r.as_ref().err())
        .map(|e| Check::new(Group::Consistency, Status::Fail, e.clone()))
        .collect();
    if !failed.is_empty() {
        return failed;
    }
    let message = if results.len() == 1 {
        results[0].clone().unwrap_or_default()
    } else {
        format!("{name} ({} comparisons)", results.len())
    };
    vec![Check::new(Group::Consistency, Status::Ok, message)]
}

/// The same quantity agrees across tables (see the module documentation): the consistency
/// rules the appendices name in their definitions, each once, in the order of [`Consistency`].
pub fn agreements(r: &Report, config: &Config) -> Vec<Check> {
    let mut rules: Vec<Consistency> = appendices::ALL
        .iter()
        .flat_map(|a| a.consistency.iter().copied())
        .collect();
    rules.sort();
    rules.dedup();
    rules
        .into_iter()
        .flat_map(|rule| consistency(rule, r, config))
        .collect()
}

fn consistency(rule: Consistency, r: &Report, config: &Config) -> Vec<Check> {
    match rule {
        Consistency::DossiersOfTheYear => dossiers_of_the_year(r),
        Consistency::SectorGroups => sector_groups(r, config),
        Consistency::KanalenWithinSectoren => kanalen_within_sectoren(r),
        Consistency::VoorlichtingenTotals => voorlichtingen_totals(r),
        Consistency::StadsdelenAndSchoolweging => stadsdelen_and_schoolweging(r),
        Consistency::WebsiteFacts => website_facts(r),
    }
}

fn dossiers_of_the_year(r: &Report) -> Vec<Check> {
    let sj = SchoolYear(r.year - 1).to_string();
    group(
        "dossiers",
        vec![
            Quantity::new(format!("dossiers {sj}"))
                .from("sectoren", fact_count(r, "sectoren", "dossiers"))
                .from(
                    format!("helpdesk-sectoren / Totaal / {sj}"),
                    count_at(r, "helpdesk-sectoren", "Totaal", &sj),
                )
                .from("helpdesk", fact_count(r, "helpdesk", "dossiers"))
                .from(
                    "passend-onderwijs",
                    fact_count(r, "passend-onderwijs", "totaal_dossiers"),
                )
                .equal(),
        ],
    )
}

fn sector_groups(r: &Report, config: &Config) -> Vec<Check> {
    let sj = SchoolYear(r.year - 1).to_string();
    let mut groups = Vec::new();
    if let Some(sectoren) = r.table("sectoren") {
        for row in &sectoren.rows {
            let stated = row.get(sectoren, "dossiers").and_then(Value::count);
            let Some(g) = config.sector_group(&row.key) else {
                continue;
            };
            let summed: Option<i64> = g
                .sectoren
                .iter()
                .map(|s| count_at(r, "helpdesk-sectoren", s, &sj))
                .sum();
            groups.push(
                Quantity::new(format!("dossiers {sj} of sector group {}", g.id))
                    .from(format!("sectoren / {} / dossiers", g.id), stated)
                    .from(
                        format!("helpdesk-sectoren ({})", g.sectoren.join(" + ")),
                        summed,
                    )
                    .equal(),
            );
        }
    }
    group(
        &format!("sectoren is the sum of its sectors in helpdesk-sectoren {sj}"),
        groups,
    )
}

fn kanalen_within_sectoren(r: &Report) -> Vec<Check> {
    let current = SchoolYear(r.year - 1);
    let mut kanalen = Vec::new();
    if r.table("sectoren").is_some() {
        let whole_year = fact_text(r, "kanalen", "vanaf").is_some_and(|v| {
            chrono::NaiveDate::from_ymd_opt(current.start_year(), 8, 1)
                .is_some_and(|d| dutch_date(d) == v)
        });
        if let Some(k) = r.table("kanalen") {
            for row in &k.rows {
                let get = |c: &str| row.get(k, c).and_then(Value::count);
                kanalen.push(
                    Quantity::new(format!("dossiers of sector group {}", row.key))
                        .from(format!("kanalen / {} / dossiers", row.key), get("dossiers"))
                        .from(
                            format!("sectoren / {} / dossiers", row.key),
                            count_at(r, "sectoren", &row.key, "dossiers"),
                        )
                        .at_most(whole_year),
                );
                kanalen.push(
                    Quantity::new(format!("WhatsApp dossiers of {}", row.key))
                        .from("whatsapp", get("whatsapp"))
                        .from("dossiers", get("dossiers"))
                        .at_most(false),
                );
                kanalen.push(
                    Quantity::new(format!("WhatsApp dossiers via an article of {}", row.key))
                        .from("whatsapp_artikel", get("whatsapp_artikel"))
                        .from("whatsapp", get("whatsapp"))
                        .at_most(false),
                );
            }
        }
    }
    group("kanalen counts within sectoren", kanalen)
}

fn voorlichtingen_totals(r: &Report) -> Vec<Check> {
    let tables = [
        "voorlichtingen-stadsdeel",
        "voorlichtingen-thema",
        "voorlichtingen-organisatie",
    ];
    let mut voorlichtingen = Vec::new();
    if let Some(first) = r.table(tables[0]) {
        let jaar = fact_text(r, "voorlichtingen", "jaar");
        let vorig = fact_text(r, "voorlichtingen", "vorig_jaar");
        for column in first.columns.iter().skip(1) {
            let mut q = Quantity::new(format!("voorlichtingen {}", column.key));
            for id in tables {
                q = q.from(
                    format!("{id} / Totaal"),
                    count_at(r, id, "Totaal", &column.key),
                );
            }
            if jaar.as_deref() == Some(column.key.as_str()) {
                q = q.from("fact totaal", fact_count(r, "voorlichtingen", "totaal"));
            }
            if vorig.as_deref() == Some(column.key.as_str()) {
                q = q.from(
                    "fact vorig_totaal",
                    fact_count(r, "voorlichtingen", "vorig_totaal"),
                );
            }
            voorlichtingen.push(q.equal());
        }
    }
    group(
        "voorlichtingen totals agree across the three tables and the facts",
        voorlichtingen,
    )
}

fn stadsdelen_and_schoolweging(r: &Report) -> Vec<Check> {
    let sum_of = |table: &str, column: &str| -> Option<i64> {
        let t = r.table(table)?;
        t.rows
            .iter()
            .filter(|row| !row.total)
            .map(|row| row.get(t, column).and_then(Value::count))
            .sum()
    };
    let amsterdam = |column: &str| -> Option<i64> {
        let t = r.table("stadsdelen")?;
        t.rows.iter().find(|row| row.total)?.get(t, column)?.count()
    };
    let n_plus_zonder = fact_count(r, "schoolweging", "n")
        .zip(fact_count(r, "schoolweging", "zonder_weging"))
        .map(|(n, z)| n + z);
    group(
        "stadsdelen and schoolweging count the same dossiers",
        vec![
            Quantity::new("dossiers naming a primary school, excl. webinars")
                .from("stadsdelen (total row)", amsterdam("vragen_excl_webinars"))
                .from(
                    "fact dossiers_excl",
                    fact_count(r, "stadsdelen", "dossiers_excl"),
                )
                .equal(),
            Quantity::new("dossiers naming a primary school, incl. webinars")
                .from("stadsdelen (total row)", amsterdam("vragen_incl_webinars"))
                .from(
                    "fact dossiers_incl",
                    fact_count(r, "stadsdelen", "dossiers_incl"),
                )
                .from("schoolweging n + zonder_weging", n_plus_zonder)
                .equal(),
            Quantity::new("schoolweging dossiers")
                .from("column totaal", sum_of("schoolweging", "totaal"))
                .from("fact n", fact_count(r, "schoolweging", "n"))
                .equal(),
            Quantity::new("schoolweging helpdesk dossiers")
                .from("column helpdesk", sum_of("schoolweging", "helpdesk"))
                .from(
                    "stadsdelen excl. webinars",
                    amsterdam("vragen_excl_webinars"),
                )
                .at_most(false),
        ],
    )
}

fn website_facts(r: &Report) -> Vec<Check> {
    let sj = SchoolYear(r.year - 1).to_string();
    let website = r.table("websitebezoek");
    let first_row = website
        .and_then(|t| t.rows.first())
        .and_then(|row| row.values.first())
        .and_then(Value::count);
    group(
        "websitebezoek facts quote the table",
        vec![
            Quantity::new(format!("pageviews {sj}"))
                .from(
                    format!("websitebezoek / {sj}"),
                    count_at(r, "websitebezoek", &sj, "unieke_paginaweergaven"),
                )
                .from("fact laatste", fact_count(r, "websitebezoek", "laatste"))
                .equal(),
            Quantity::new("pageviews of the first school year")
                .from("websitebezoek, first row", first_row)
                .from("fact eerste", fact_count(r, "websitebezoek", "eerste"))
                .equal(),
        ],
    )
}

/// Categories of the baseline (rows with a non-zero figure) missing from the current report,
/// unless `[check.verdwenen]` notes them: as `table/category`, or the table id for every
/// category of that table (a table whose rows changed shape).
pub fn vanished(baseline: &Report, current: &Report, settings: &CheckSettings) -> Vec<Check> {
    let by = baseline.year;
    let note = |key: &str| {
        settings
            .verdwenen
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
    };
    let mut out = Vec::new();
    let mut tables = 0;
    for base in baseline.tables() {
        if not_compared(&base.id) {
            continue;
        }
        let Some(cur) = current.table(&base.id) else {
            out.push(
                match note(&base.id) {
                    Some(why) => Check::new(
                        Group::Consistency,
                        Status::Ok,
                        format!(
                            "{}: table of the {by} report gone, as noted: {why}",
                            base.id
                        ),
                    ),
                    None => Check::new(
                        Group::Consistency,
                        Status::Fail,
                        format!(
                            "{}: table of the {by} report is missing; if that is right, say why in \
                         oco-report.toml: [check.verdwenen] \"{}\" = \"...\"",
                            base.id, base.id
                        ),
                    ),
                }
                .table(&base.id),
            );
            continue;
        };
        tables += 1;
        let now: HashSet<String> = cur.rows.iter().map(|r| category(cur, r)).collect();
        let mut seen = HashSet::new();
        for row in base.rows.iter().filter(|r| !r.total) {
            let cat = category(base, row);
            if cat.is_empty() || now.contains(&cat) || !seen.insert(cat.clone()) {
                continue;
            }
            let had_figures = base
                .rows
                .iter()
                .filter(|r| category(base, r) == cat)
                .any(|r| {
                    r.values
                        .iter()
                        .any(|v| matches!(v, Value::Count(n) if *n != 0))
                });
            if !had_figures {
                continue;
            }
            let key = format!("{}/{cat}", base.id);
            let mut check = match note(&key).or_else(|| note(&base.id)) {
                Some(why) => Check::new(
                    Group::Consistency,
                    Status::Ok,
                    format!(
                        "{}: {cat:?} of the {by} report gone, as noted: {why}",
                        base.id
                    ),
                ),
                None => Check::new(
                    Group::Consistency,
                    Status::Fail,
                    format!(
                        "{}: {cat:?} of the {by} report is missing; if that is right, say why in \
                         oco-report.toml: [check.verdwenen] \"{key}\" = \"...\"",
                        base.id
                    ),
                ),
            }
            .table(&base.id);
            check.row = Some(cat);
            out.push(check);
        }
    }
    if !out.iter().any(|c| c.status == Status::Fail) && tables > 0 {
        out.insert(
            0,
            Check::new(
                Group::Consistency,
                Status::Ok,
                format!("every category of the {by} report is still there ({tables} tables)"),
            ),
        );
    }
    out
}

/// Changes from last year beyond the tolerance (see the module documentation).
pub fn changes(baseline: &Report, current: &Report, settings: &CheckSettings) -> Vec<Check> {
    let mut out = Vec::new();
    for cur_table in current.tables() {
        if not_compared(&cur_table.id) {
            continue;
        }
        let cur = figures(cur_table);
        let base_table = baseline.table(&cur_table.id);
        let base = base_table.map(figures).unwrap_or_default();
        let index = |fs: &[Figure<'_>]| -> HashMap<Key, usize> {
            fs.iter()
                .enumerate()
                .map(|(i, f)| (f.identity(), i))
                .collect()
        };
        let (cur_index, base_index) = (index(&cur), index(&base));
        // Newest single period per kind (calendar, school).
        let mut newest: BTreeMap<bool, Period> = BTreeMap::new();
        for p in cur
            .iter()
            .filter_map(|f| f.period.clone())
            .filter(Period::is_single)
        {
            let kind = matches!(p, Period::School(_));
            if newest.get(&kind).is_none_or(|n| p > *n) {
                newest.insert(kind, p);
            }
        }
        let mut judged = 0;
        let mut flagged = Vec::new();
        for f in &cur {
            let Value::Count(new) = *f.value else {
                continue;
            };
            let old: Option<(&Figure<'_>, bool)> = match &f.period {
                Some(p) if p.is_single() => {
                    let kind = matches!(p, Period::School(_));
                    if newest.get(&kind) != Some(p) {
                        continue;
                    }
                    let key = (
                        f.table.to_string(),
                        f.category.clone(),
                        f.slot.clone(),
                        p.previous(),
                    );
                    cur_index
                        .get(&key)
                        .map(|&i| (&cur[i], false))
                        .or_else(|| base_index.get(&key).map(|&i| (&base[i], true)))
                }
                // A window, a range of days or no period: the same cell of last year.
                _ => base
                    .iter()
                    .find(|b| {
                        b.row.key == f.row.key
                            && b.column.key == f.column.key
                            && (f.period.is_none() || b.period != f.period)
                    })
                    .map(|b| (b, true)),
            };
            let Some((o, from_baseline)) = old else {
                continue;
            };
            let Value::Count(was) = *o.value else {
                continue;
            };
            judged += 1;
            if was.abs().max(new.abs()) < settings.minimum {
                continue;
            }
            let beyond = if was == 0 {
                new != 0
            } else {
                ((new - was) as f64 / was as f64).abs() * 100.0 > settings.tolerantie
            };
            if !beyond {
                continue;
            }
            let change = if was == 0 {
                "new".to_string()
            } else {
                let pct = (new - was) as f64 * 100.0 / was as f64;
                format!("{pct:+.1} %").replace('.', ",")
            };
            let then = match (&o.period, from_baseline) {
                (Some(p), false) => format!("{p}"),
                (Some(p), true) => format!("{p} (the {} report)", baseline.year),
                (None, _) => format!("the {} report", baseline.year),
            };
            flagged.push(
                Check::new(
                    Group::Changes,
                    Status::Warn,
                    format!(
                        "{}: {}, was {} in {then}: {change}",
                        f.label(),
                        getal(new),
                        getal(was)
                    ),
                )
                .at(f)
                .values(Some(o.value), Some(f.value)),
            );
        }
        if judged > 0 && flagged.is_empty() {
            out.push(
                Check::new(
                    Group::Changes,
                    Status::Ok,
                    format!(
                        "{}: {} within the tolerance",
                        cur_table.id,
                        figures_text(judged)
                    ),
                )
                .table(&cur_table.id),
            );
        }
        out.extend(flagged);
    }
    out
}

/// The scorecard as the `doelen` table states it; `None` without that table.
pub fn targets(r: &Report) -> Option<Vec<Doel>> {
    let t = r.table(doelen::TABLE)?;
    let text = |row: &crate::table::Row, c: &str| match row.get(t, c) {
        Some(Value::Text(s)) => s.clone(),
        _ => String::new(),
    };
    let count = |row: &crate::table::Row, c: &str| row.get(t, c).and_then(Value::count);
    Some(
        t.rows
            .iter()
            .map(|row| Doel {
                key: row.key.clone(),
                label: row.label.clone(),
                periode: text(row, "periode"),
                waarde: count(row, "waarde"),
                norm: count(row, "norm"),
                norm_periode: text(row, "norm_periode"),
                resultaat: Resultaat::parse(&text(row, "resultaat")).unwrap_or(Resultaat::Onbekend),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Appendix, Column, Row};

    fn count(n: i64) -> Value {
        Value::Count(n)
    }

    /// A voorlichtingen-like table: one column per calendar year, a Totaal row.
    fn years_table(years: &[i32], rows: &[(&str, &[i64])]) -> ReportTable {
        let mut columns = vec![Column::new("stadsdeel", "Stadsdeel")];
        columns.extend(
            years
                .iter()
                .map(|y| Column::new(y.to_string(), y.to_string()).with_period(y.to_string())),
        );
        let mut t = ReportTable::new("voorlichtingen-stadsdeel", "V", columns);
        let mut totals = vec![0; years.len()];
        for (key, values) in rows {
            for (t, v) in totals.iter_mut().zip(values.iter()) {
                *t += v;
            }
            t.push(Row::new(*key, values.iter().map(|v| count(*v)).collect()));
        }
        t.push(Row::new("Totaal", totals.into_iter().map(count).collect()).as_total());
        t
    }

    fn report(year: i32, tables: Vec<ReportTable>) -> Report {
        let mut a = Appendix::new("voorlichtingen", "Voorlichtingen");
        a.tables = tables;
        Report {
            year,
            appendices: vec![a],
        }
    }

    fn statuses(checks: &[Check]) -> Vec<Status> {
        checks.iter().map(|c| c.status).collect()
    }

    #[test]
    fn a_broken_total_fails_naming_row_column_and_both_numbers() {
        let good = years_table(&[2021, 2020], &[("Oost", &[15, 25]), ("West", &[7, 19])]);
        let ok = table_totals(&good);
        assert_eq!(statuses(&ok), vec![Status::Ok]);
        assert!(
            ok[0]
                .message
                .contains("Totaal is the sum of the rows (2 totals)")
        );

        let mut broken = good.clone();
        broken.rows[2].values[1] = count(45);
        let checks = table_totals(&broken);
        assert_eq!(statuses(&checks), vec![Status::Fail]);
        let c = &checks[0];
        assert_eq!(c.table.as_deref(), Some("voorlichtingen-stadsdeel"));
        assert_eq!(c.row.as_deref(), Some("Totaal"));
        assert_eq!(c.column.as_deref(), Some("2020"));
        assert_eq!(c.period.as_deref(), Some("2020"));
        assert_eq!(
            (c.old.clone(), c.new.clone()),
            (Some(count(44)), Some(count(45)))
        );
        assert!(
            c.message.contains("total 45, but its rows add up to 44"),
            "{}",
            c.message
        );
    }

    #[test]
    fn a_totaal_column_is_the_sum_of_the_row_and_text_columns_are_left_alone() {
        let mut t = ReportTable::new(
            "schoolweging",
            "S",
            vec![
                Column::new("band", "band"),
                Column::new("helpdesk", "helpdesk"),
                Column::new("webinars", "webinars"),
                Column::new("totaal", "totaal"),
                Column::new("trend", "trend"),
            ],
        );
        let text = || Value::Text("stijging".into());
        t.push(Row::new(
            "20-25",
            vec![count(150), count(21), count(171), text()],
        ));
        t.push(Row::new(
            "25-30",
            vec![count(132), count(13), count(146), text()],
        ));
        let checks = table_totals(&t);
        assert_eq!(statuses(&checks), vec![Status::Fail]);
        assert!(
            checks[0]
                .message
                .contains("schoolweging / 25-30 / totaal: total 146")
        );
        t.rows[1].values[2] = count(145);
        assert_eq!(statuses(&table_totals(&t)), vec![Status::Ok]);
        // A table without totals has nothing to check.
        t.columns[3].key = "alles".into();
        assert!(table_totals(&t).is_empty());
    }

    #[test]
    fn restatements_compare_the_periods_both_reports_cover() {
        let last = report(
            2020,
            vec![years_table(
                &[2020, 2019],
                &[("Oost", &[25, 17]), ("Abcoude", &[0, 1])],
            )],
        );
        // Only 2020 is in both reports.
        let same = report(
            2021,
            vec![years_table(
                &[2021, 2020],
                &[("Oost", &[15, 25]), ("Abcoude", &[0, 0])],
            )],
        );
        let checks = restatements(&last, &same);
        assert_eq!(statuses(&checks), vec![Status::Ok]);
        assert!(
            checks[0].message.contains("3 figures of 2020"),
            "{}",
            checks[0].message
        );

        let edited = report(
            2021,
            vec![years_table(
                &[2021, 2020],
                &[("Oost", &[15, 24]), ("Abcoude", &[0, 0])],
            )],
        );
        let checks = restatements(&last, &edited);
        let failed: Vec<&Check> = checks.iter().filter(|c| c.status == Status::Fail).collect();
        assert_eq!(failed.len(), 2, "{checks:#?}"); // Oost and the total
        assert_eq!(failed[0].row.as_deref(), Some("Oost"));
        assert_eq!(failed[0].period.as_deref(), Some("2020"));
        assert_eq!(failed[0].old, Some(count(25)));
        assert_eq!(failed[0].new, Some(count(24)));
        assert!(
            failed[0]
                .message
                .contains("voorlichtingen-stadsdeel / Oost / 2020: 25 in the 2020 report, 24 now")
        );

        // A row of zeros may go; a row with a figure may neither go nor appear.
        let without_abcoude = report(
            2021,
            vec![years_table(&[2021, 2020], &[("Oost", &[15, 25])])],
        );
        assert_eq!(
            statuses(&restatements(&last, &without_abcoude)),
            vec![Status::Ok]
        );
        let new_row = report(
            2021,
            vec![years_table(
                &[2021, 2020],
                &[
                    ("Oost", &[15, 25]),
                    ("Abcoude", &[0, 0]),
                    ("Diemen", &[1, 2]),
                ],
            )],
        );
        let checks = restatements(&last, &new_row);
        assert!(
            checks
                .iter()
                .any(|c| c.status == Status::Fail
                    && c.message.contains("Diemen / 2020: no such row"))
        );
    }

    #[test]
    fn windows_that_moved_are_not_restatements() {
        let window = |year: i32, n: i64| {
            let p = format!("{}-{} t/m {}-{}", year - 4, year - 3, year - 1, year);
            let mut t = ReportTable::new(
                "stadsdelen",
                "S",
                vec![
                    Column::new("s", "s"),
                    Column::new("vragen", "v").with_period(p),
                ],
            );
            t.push(Row::new("Centrum", vec![count(n)]));
            report(year, vec![t])
        };
        let checks = restatements(&window(2020, 26), &window(2021, 41));
        assert_eq!(statuses(&checks), vec![Status::Skip]);
        assert!(checks[0].message.contains("no period in common"));
    }

    #[test]
    fn a_vanished_category_fails_unless_noted() {
        let last = report(
            2020,
            vec![years_table(&[2020], &[("Oost", &[25]), ("Diemen", &[1])])],
        );
        let now = report(2021, vec![years_table(&[2021], &[("Oost", &[15])])]);
        let mut settings = CheckSettings::default();
        let checks = vanished(&last, &now, &settings);
        assert_eq!(statuses(&checks), vec![Status::Fail]);
        assert!(
            checks[0]
                .message
                .contains("\"Diemen\" of the 2020 report is missing")
        );
        assert!(
            checks[0]
                .message
                .contains("[check.verdwenen] \"voorlichtingen-stadsdeel/Diemen\"")
        );
        settings.verdwenen.insert(
            "voorlichtingen-stadsdeel/Diemen".into(),
            "Diemen valt niet meer onder OCO".into(),
        );
        let checks = vanished(&last, &now, &settings);
        assert_eq!(statuses(&checks), vec![Status::Ok, Status::Ok]);
        assert!(
            checks[1]
                .message
                .contains("as noted: Diemen valt niet meer onder OCO")
        );
    }

    #[test]
    fn changes_beyond_the_tolerance_warn_from_the_minimum_on() {
        let last = report(
            2020,
            vec![years_table(&[2020, 2019], &[("Oost", &[25, 17])])],
        );
        let now = report(
            2021,
            vec![years_table(
                &[2021, 2020],
                &[("Oost", &[15, 25]), ("West", &[7, 19]), ("Noord", &[40, 0])],
            )],
        );
        let settings = CheckSettings::default(); // 50 %, from 20
        let checks = changes(&last, &now, &settings);
        let warned: Vec<&str> = checks
            .iter()
            .filter(|c| c.status == Status::Warn)
            .map(|c| c.row.as_deref().unwrap())
            .collect();
        // Oost -40 % and Totaal +41 % are within 50 %; West 19 → 7 is -63 % but both are
        // below 20; Noord is new.
        assert_eq!(warned, vec!["Noord"], "{checks:#?}");
        let noord = checks
            .iter()
            .find(|c| c.row.as_deref() == Some("Noord"))
            .unwrap();
        assert!(
            noord.message.contains("40, was 0 in 2020: new"),
            "{}",
            noord.message
        );
        let strict = CheckSettings {
            tolerantie: 30.0,
            minimum: 5,
            ..CheckSettings::default()
        };
        let warned = changes(&last, &now, &strict)
            .iter()
            .filter(|c| c.status == Status::Warn)
            .count();
        assert_eq!(warned, 4); // Oost -40 %, West -63 %, Noord new, Totaal +41 %
    }
}
