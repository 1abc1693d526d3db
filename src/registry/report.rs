//! What an import did, as text: rows read, kept and outside the municipality per file; the
//! schools per stadsdeel and how each was placed; name clashes resolved; the schoolweging
//! joined or missing; the pupils per stadsdeel; Excel damage found; the changes against the
//! registry in the data folder.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::config::Config;
use crate::render::number::getal;

use super::duo::DuoKind;
use super::merge::{Imported, Join, Placed, PupilRow, Pupils, Registry};
use super::postcode::Placement;
use super::{Options, Sources};

pub struct Report<'a> {
    pub options: &'a Options,
    pub gemeente: &'a str,
    pub config: &'a Config,
    pub sources: &'a Sources,
    pub imported: &'a BTreeMap<String, Imported>,
    pub registry: &'a Registry,
    pub joins: &'a [Join],
    pub pupils: &'a Pupils,
    pub pupils_changed: &'a [(PupilRow, Option<i64>)],
    pub written: &'a [PathBuf],
}

pub fn text(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "import-scholen into {} (municipality {})",
        r.options.data.display(),
        r.gemeente
    );
    files(&mut out, r);
    stadsdelen(&mut out, r);
    names(&mut out, r);
    schoolweging(&mut out, r);
    pupils(&mut out, r);
    changes(&mut out, r);
    if r.options.dry_run {
        out.push_str("\ndry run: nothing written\n");
    } else {
        let written: Vec<String> = r.written.iter().map(|p| p.display().to_string()).collect();
        let _ = writeln!(out, "\nwrote {}", written.join(", "));
    }
    out
}

fn files(out: &mut String, r: &Report) {
    out.push_str("\nFiles\n");
    for file in &r.sources.duo {
        let what = match (file.kind, file.main_locations_only) {
            (DuoKind::Register, true) => "DUO school register, main locations only",
            (DuoKind::Register, false) => "DUO school register",
            (DuoKind::PupilCounts, _) => "DUO pupil counts per school location",
        };
        let date = file
            .reference_date
            .map(|d| format!(", peildatum {d}"))
            .unwrap_or_default();
        let _ = writeln!(out, "  {}: {what}{date} ({})", file.file, file.encoding);
        let _ = writeln!(
            out,
            "    rows read {}; kept {} ({} locations); outside the municipality {}",
            getal(file.rows as i64),
            getal(file.rows_kept as i64),
            getal(file.locations.len() as i64),
            getal(file.rows_outside as i64)
        );
        for damage in &file.damage {
            let _ = writeln!(
                out,
                "    warning: Excel damage, repaired: {} on {} line{} (first: line {})",
                damage.what,
                getal(damage.count as i64),
                if damage.count == 1 { "" } else { "s" },
                damage.first_line
            );
        }
    }
    for workbook in &r.sources.workbooks {
        let _ = writeln!(
            out,
            "  {}: Inspectie schoolweging, sheet {:?}: {} rows",
            workbook.file,
            workbook.sheet,
            getal(workbook.rows.len() as i64)
        );
    }
}

fn stadsdelen(out: &mut String, r: &Report) {
    if r.imported.is_empty() {
        out.push_str("\nNo school location of the municipality in the files.\n");
        return;
    }
    out.push_str("\nSchools per stadsdeel, and how each was placed\n");
    let _ = writeln!(
        out,
        "  {:<12} {:>7} {:>9} {:>9} {:>9}",
        "stadsdeel", "schools", "6-digit", "4-digit", "override"
    );
    let mut counts: BTreeMap<&str, BTreeMap<Placement, i64>> = BTreeMap::new();
    let mut not_placed = Vec::new();
    let mut straddling = Vec::new();
    for (code, location) in r.imported {
        match &location.placed {
            Placed::In {
                stadsdeel,
                how,
                straddles,
            } => {
                *counts
                    .entry(stadsdeel.as_str())
                    .or_default()
                    .entry(*how)
                    .or_default() += 1;
                if *how == Placement::FourDigit && !straddles.is_empty() {
                    straddling.push(format!(
                        "    {code} {} ({}): {stadsdeel}, postcode {} also reaches {}",
                        name_of(r, code),
                        location.location.postcode,
                        &location.location.postcode[..4],
                        straddles.join(", ")
                    ));
                }
            }
            Placed::Not(why) => not_placed.push(format!("    {code} {}: {why}", name_of(r, code))),
        }
    }
    let mut total = [0i64; 4];
    for stadsdeel in &r.config.stadsdelen {
        let by = counts.get(stadsdeel.as_str());
        let n = |p: Placement| by.and_then(|b| b.get(&p)).copied().unwrap_or(0);
        let row = [
            n(Placement::SixDigit) + n(Placement::FourDigit) + n(Placement::Override),
            n(Placement::SixDigit),
            n(Placement::FourDigit),
            n(Placement::Override),
        ];
        for (t, v) in total.iter_mut().zip(row) {
            *t += v;
        }
        let _ = writeln!(
            out,
            "  {:<12} {:>7} {:>9} {:>9} {:>9}",
            stadsdeel,
            getal(row[0]),
            getal(row[1]),
            getal(row[2]),
            getal(row[3])
        );
    }
    let _ = writeln!(
        out,
        "  {:<12} {:>7} {:>9} {:>9} {:>9}",
        "total",
        getal(total[0]),
        getal(total[1]),
        getal(total[2]),
        getal(total[3])
    );
    let _ = writeln!(
        out,
        "  not placed: {} (written with an empty stadsdeel)",
        getal(not_placed.len() as i64)
    );
    for line in not_placed {
        let _ = writeln!(out, "{line}");
    }
    if !straddling.is_empty() {
        let _ = writeln!(
            out,
            "  check: {} placed by a 4-digit postcode that reaches more than one stadsdeel \
             (a wrong one goes in stadsdelen-overrides.csv: brin,stadsdeel,reden)",
            getal(straddling.len() as i64)
        );
        for line in straddling {
            let _ = writeln!(out, "{line}");
        }
    }
}

fn name_of<'a>(r: &'a Report, code: &str) -> &'a str {
    r.registry
        .entries
        .iter()
        .find(|e| e.school.brin == code)
        .map_or("", |e| e.school.naam.as_str())
}

fn names(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "\nNames: {} clash{} resolved (a street, postcode or code added)",
        getal(r.registry.clashes.len() as i64),
        if r.registry.clashes.len() == 1 {
            ""
        } else {
            "es"
        }
    );
    for clash in &r.registry.clashes {
        let _ = writeln!(out, "    {} {:?} -> {:?}", clash.brin, clash.from, clash.to);
    }
    let _ = writeln!(
        out,
        "  aliases added: {}; left out because another school has that name or alias: {}",
        getal(r.registry.aliases_added as i64),
        getal(r.registry.aliases_dropped.len() as i64)
    );
    for (code, alias) in &r.registry.aliases_dropped {
        let _ = writeln!(out, "    {code} {alias:?}");
    }
}

fn schoolweging(out: &mut String, r: &Report) {
    if r.joins.is_empty() {
        out.push_str(
            "\nSchoolweging: no Inspectie workbook given; imported schools keep the \
             schoolweging scholen.csv had\n",
        );
        return;
    }
    for (join, workbook) in r.joins.iter().zip(&r.sources.workbooks) {
        let _ = writeln!(
            out,
            "\nSchoolweging ({}, sheet {:?}): joined {} (by code or brin {}, by name {}); \
             not published {}; missing {}; rows of other municipalities {}",
            workbook.file,
            workbook.sheet,
            getal((join.by_code + join.by_name) as i64),
            getal(join.by_code as i64),
            getal(join.by_name as i64),
            getal(join.not_published.len() as i64),
            getal(join.missing.len() as i64),
            getal(join.elsewhere as i64)
        );
        for code in &join.missing {
            let kept = r
                .registry
                .entries
                .iter()
                .find(|e| e.school.brin == *code)
                .and_then(|e| e.school.schoolweging)
                .map(|w| {
                    format!(
                        " (kept {} from scholen.csv)",
                        format!("{w}").replace('.', ",")
                    )
                })
                .unwrap_or_default();
            let _ = writeln!(out, "    missing: {code} {}{kept}", name_of(r, code));
        }
        for code in &join.not_published {
            let _ = writeln!(out, "    not published: {code} {}", name_of(r, code));
        }
        for (row, code, name) in &join.unjoined {
            let _ = writeln!(
                out,
                "    not joined: row {row}, {code} {name:?} (no single school of that brin by \
                 that name)"
            );
        }
    }
}

fn pupils(out: &mut String, r: &Report) {
    let years: Vec<_> = {
        let mut y: Vec<_> = r.pupils.per_stadsdeel.keys().map(|(y, _)| *y).collect();
        y.dedup();
        y
    };
    for year in years {
        let dates: Vec<String> = r
            .pupils
            .dates
            .get(&year)
            .into_iter()
            .flatten()
            .map(|d| d.to_string())
            .collect();
        let _ = writeln!(
            out,
            "\nPupils per stadsdeel, {}: counted by school location, not by home address \
             (DUO, peildatum {})",
            year.slashed(),
            dates.join(", ")
        );
        let mut total = 0;
        for stadsdeel in &r.config.stadsdelen {
            let n = r
                .pupils
                .per_stadsdeel
                .get(&(year, stadsdeel.clone()))
                .copied()
                .unwrap_or(0);
            total += n;
            let _ = writeln!(out, "  {:<12} {:>7}", stadsdeel, getal(n));
        }
        let _ = writeln!(out, "  {:<12} {:>7}", "total", getal(total));
        let _ = writeln!(
            out,
            "  not placed:  {:>7}",
            getal(r.pupils.not_placed.get(&year).copied().unwrap_or(0))
        );
    }
}

fn changes(out: &mut String, r: &Report) {
    let c = &r.registry.changes;
    let _ = writeln!(
        out,
        "\nChanges to scholen.csv: {} added, {} moved, {} renamed; {} kept that no imported \
         file names (closed schools, or of files not imported); {} schools in all",
        getal(c.added.len() as i64),
        getal(c.moved.len() as i64),
        getal(c.renamed.len() as i64),
        getal(c.not_imported.len() as i64),
        getal(r.registry.entries.len() as i64)
    );
    for code in &c.added {
        let _ = writeln!(out, "    added: {code} {}", name_of(r, code));
    }
    for (code, from, to) in &c.moved {
        let from = if from.is_empty() { "(none)" } else { from };
        let to = if to.is_empty() { "(none)" } else { to };
        let _ = writeln!(
            out,
            "    moved: {code} {}: {from} -> {to}",
            name_of(r, code)
        );
    }
    for (code, from, to) in &c.renamed {
        let _ = writeln!(
            out,
            "    renamed: {code} {from:?} -> {to:?} (old name kept as alias)"
        );
    }
    for code in &c.not_imported {
        let _ = writeln!(out, "    kept: {code} {}", name_of(r, code));
    }
    if !r.pupils_changed.is_empty() {
        let _ = writeln!(
            out,
            "\nChanges to leerlingen-stadsdeel.csv: {} rows",
            getal(r.pupils_changed.len() as i64)
        );
        for (row, before) in r.pupils_changed {
            let before = before.map_or("(new)".to_string(), getal);
            let _ = writeln!(
                out,
                "    {} {}: {before} -> {}",
                row.stadsdeel,
                row.schooljaar.slashed(),
                getal(row.leerlingen)
            );
        }
    }
}
