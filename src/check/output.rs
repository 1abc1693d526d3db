//! The outcome of `check` as test-runner text and as JSON.

use serde_json::{Value as Json, json};

use super::{Check, Group, Outcome, Status};
use crate::appendices::doelen::{Doel, Resultaat};
use crate::render::json::value;
use crate::render::number::getal;

fn tag(status: Status) -> &'static str {
    match status {
        Status::Ok => "ok",
        Status::Warn => "warn",
        Status::Fail => "FAIL",
        Status::Skip => "skip",
    }
}

fn heading(o: &Outcome, group: Group) -> String {
    match group {
        Group::Restatements => format!(
            "restatements: figures of a period that the {} report also shows",
            o.baseline_year
        ),
        Group::Consistency => "consistency: totals, the same quantity across tables, categories \
                               of last year"
            .to_string(),
        Group::Coverage => "coverage: what the exports hold of the report's periods".to_string(),
        Group::Changes => format!(
            "changes from last year: beyond {} % is a warning (figures of {} or more)",
            percent(o.tolerantie),
            getal(o.minimum)
        ),
    }
}

fn percent(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}").replace('.', ",")
    }
}

fn target_line(d: &Doel) -> String {
    let value = |v: Option<i64>| v.map_or("onbekend".to_string(), getal);
    if d.norm_periode == "vast doel" || d.norm_periode.is_empty() {
        format!("{}: {} in {}", d.label, value(d.waarde), d.periode)
    } else {
        format!(
            "{}: {} in {}, {} in {}",
            d.label,
            value(d.waarde),
            d.periode,
            value(d.norm),
            d.norm_periode
        )
    }
}

fn summary(o: &Outcome) -> String {
    let mut verdict = if o.passed() { "passed" } else { "FAILED" }.to_string();
    if o.strict {
        verdict.push_str(" (--strict)");
    }
    let targets = match &o.targets {
        Some(t) => {
            let n = |r: Resultaat| t.iter().filter(|d| d.resultaat == r).count();
            format!(
                "targets {}: {} behaald, {} niet behaald, {} onbekend",
                o.year,
                n(Resultaat::Behaald),
                n(Resultaat::NietBehaald),
                n(Resultaat::Onbekend)
            )
        }
        None => format!("targets {}: no scorecard", o.year),
    };
    format!(
        "{verdict}: {} ok, {} failed, {} warnings, {} skipped; {targets}",
        o.count(Status::Ok),
        o.count(Status::Fail),
        o.count(Status::Warn),
        o.count(Status::Skip)
    )
}

pub fn text(o: &Outcome) -> String {
    let mut out = format!(
        "oco-report check {}: {} against {} (report {})\n",
        o.year, o.source, o.baseline, o.baseline_year
    );
    if o.baseline_year != o.year - 1 {
        out.push_str(&format!(
            "note: the baseline is not last year's report; changes span {} years\n",
            o.year - o.baseline_year
        ));
    }
    for group in [
        Group::Coverage,
        Group::Restatements,
        Group::Consistency,
        Group::Changes,
    ] {
        let lines: Vec<&Check> = o.checks.iter().filter(|c| c.group == group).collect();
        if group == Group::Coverage && lines.is_empty() {
            continue; // data that cover every period: nothing to say, as before
        }
        out.push('\n');
        out.push_str(&heading(o, group));
        out.push('\n');
        if lines.is_empty() {
            out.push_str("  (nothing to compare)\n");
        }
        for c in lines {
            out.push_str(&format!("  {:<5} {}\n", tag(c.status), c.message));
        }
    }
    out.push('\n');
    match &o.targets {
        Some(targets) => {
            out.push_str(&format!(
                "targets {}: behaald, niet behaald or onbekend{}\n",
                o.year,
                if o.strict {
                    " (--strict: all must be behaald)"
                } else {
                    " (reported; they fail only under --strict)"
                }
            ));
            if targets.is_empty() {
                out.push_str("  (no targets set for this year)\n");
            }
            for d in targets {
                out.push_str(&format!(
                    "  {:<12}  {}\n",
                    d.resultaat.as_str(),
                    target_line(d)
                ));
            }
        }
        None => out.push_str(&format!(
            "targets {}: the checked figures have no doelen table\n",
            o.year
        )),
    }
    out.push('\n');
    out.push_str(&summary(o));
    out.push('\n');
    out
}

pub fn json(o: &Outcome) -> Json {
    let checks: Vec<Json> = o
        .checks
        .iter()
        .map(|c| {
            json!({
                "group": c.group,
                "status": c.status,
                "message": c.message,
                "table": c.table,
                "row": c.row,
                "column": c.column,
                "period": c.period,
                "old": c.old.as_ref().map(value),
                "new": c.new.as_ref().map(value),
            })
        })
        .collect();
    let targets = o.targets.as_ref().map(|t| {
        t.iter()
            .map(|d| {
                json!({
                    "key": d.key,
                    "label": d.label,
                    "period": d.periode,
                    "value": d.waarde,
                    "norm": d.norm,
                    "norm_period": d.norm_periode,
                    "result": d.resultaat.as_str(),
                })
            })
            .collect::<Vec<_>>()
    });
    let n = |r: Resultaat| {
        o.targets
            .as_ref()
            .map_or(0, |t| t.iter().filter(|d| d.resultaat == r).count())
    };
    json!({
        "year": o.year,
        "checked": o.source,
        "baseline": {"file": o.baseline, "year": o.baseline_year},
        "strict": o.strict,
        "settings": {"tolerantie": o.tolerantie, "minimum": o.minimum},
        "passed": o.passed(),
        "exit_code": o.exit_code(),
        "checks": checks,
        "targets": targets,
        "summary": {
            "ok": o.count(Status::Ok),
            "failed": o.count(Status::Fail),
            "warnings": o.count(Status::Warn),
            "skipped": o.count(Status::Skip),
            "behaald": n(Resultaat::Behaald),
            "niet_behaald": n(Resultaat::NietBehaald),
            "onbekend": n(Resultaat::Onbekend),
            "line": summary(o),
        },
    })
}
