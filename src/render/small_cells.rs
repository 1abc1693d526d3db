//! Small-cell protection for published tables (`--min-cell N`, off by default).
//!
//! A table cell that counts one or two dossiers can point at one family: with a school, a
//! stadsdeel and a school year, a reader may know whose question it was. With `--min-cell N`
//! every count from 1 to N-1 is shown as `<N` in every output that is published: the markdown,
//! `report.html`, `tabellen.xlsx`, `figures.json`, the charts and their text alternatives, and
//! `table` in every format.
//!
//! The choices:
//!
//! - **Zero stays 0.** That nobody asked is not personal, and `<N` for 0 would hide the
//!   difference between none and a few.
//! - **Totals rows are not suppressed** (`Amsterdam`, `Totaal`), nor are the facts the prose
//!   quotes (`dossiers`, `met_diagnose`, ...): they are aggregates, and the report needs them.
//!   Suppression therefore does not protect against differencing (a total minus the other
//!   rows): it is a guard against printing a 1 or a 2 next to a school or a diagnosis, not a
//!   full disclosure-control method.
//! - **A percentage or average in a row with a hidden count is hidden too**, shown as `x` (the
//!   CBS sign for "geheim"): 2 of 21 WhatsApp dossiers is 9,5 %, which gives the 2 back. This
//!   hides some percentages that give nothing away, which is the safe side.
//! - **Tables that count no people keep their figures**: `websitebezoek` (pageviews) and the
//!   three `voorlichtingen-*` tables (sessions of a public agenda); their definitions say so
//!   ([`crate::appendices::TableDefinition::counts_people`]).
//! - A table with hidden cells says so in its caption.
//! - `check` computes its figures from the data and compares them exactly; a `figures.json`
//!   built with `--min-cell` holds `"<5"` and `"x"` strings where numbers were, so keep an
//!   unsuppressed `figures.json` (a build without `--min-cell`) as the baseline of `check`.
//!
//! The default is off: the 2021 report prints small counts.

use crate::appendices;
use crate::table::{Appendix, ReportTable, Value};

/// Whether table `id` counts no people (its definition says so): never suppressed. A table
/// the definitions do not know is protected.
pub fn exempt(id: &str) -> bool {
    appendices::table_definition(id).is_some_and(|(_, table)| !table.counts_people)
}

/// The sign of a hidden percentage or average.
pub const HIDDEN: &str = "x";

/// Hides the small counts of every table of `appendices` (see the module documentation).
/// `min` below 2 hides nothing.
pub fn suppress_all(appendices: &mut [Appendix], min: u32) {
    for table in appendices.iter_mut().flat_map(|a| a.tables.iter_mut()) {
        suppress(table, min);
    }
}

/// Hides the counts from 1 to `min - 1` of a table's rows that are not totals, and the
/// percentages and averages of those rows; notes it in the caption. Returns whether anything
/// was hidden.
pub fn suppress(table: &mut ReportTable, min: u32) -> bool {
    if min < 2 || exempt(&table.id) {
        return false;
    }
    let min = i64::from(min);
    let marker = format!("<{min}");
    let mut hidden = false;
    for row in table.rows.iter_mut().filter(|r| !r.total) {
        let small = |v: &Value| matches!(v, Value::Count(n) if *n > 0 && *n < min);
        if !row.values.iter().any(small) {
            continue;
        }
        hidden = true;
        for value in &mut row.values {
            if small(value) {
                *value = Value::Text(marker.clone());
            } else if matches!(value, Value::Tenths(Some(_))) {
                *value = Value::Text(HIDDEN.to_string());
            }
        }
    }
    if hidden {
        let note = format!(
            "Aantallen kleiner dan {min} (behalve 0) staan er als <{min}, percentages en \
             gemiddelden in die rijen als {HIDDEN}."
        );
        table.caption = Some(match table.caption.take() {
            Some(caption) if !caption.trim().is_empty() => {
                let caption = caption.trim_end();
                let stop = if caption.ends_with('.') { "" } else { "." };
                format!("{caption}{stop} {note}")
            }
            _ => note,
        });
    }
    hidden
}

/// What a cell hidden by [`suppress`] shows, if `text` is one: `<N` (a count below N) or
/// [`HIDDEN`] (a percentage or average).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marker {
    Below(i64),
    Hidden,
}

/// Whether `text` is what [`suppress`] writes in place of a number.
pub fn marker(text: &str) -> Option<Marker> {
    if text == HIDDEN {
        return Some(Marker::Hidden);
    }
    let digits = text.strip_prefix('<')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().map(Marker::Below)
}

pub fn is_marker(text: &str) -> bool {
    marker(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, Row};

    fn kanalen() -> ReportTable {
        let mut t = ReportTable::new(
            "kanalen",
            "WhatsApp per sector",
            vec![
                Column::new("sectorgroep", "sectorgroep"),
                Column::new("dossiers", "dossiers"),
                Column::new("whatsapp", "whatsapp"),
                Column::new("pct", "%"),
                Column::new("trend", "trend"),
            ],
        )
        .with_caption("Dossiers van 1 december 2020 t/m 31 juli 2021");
        t.push(Row::new(
            "po",
            vec![
                Value::Count(225),
                Value::Count(21),
                Value::Tenths(Some(93)),
                Value::Text("stijging".into()),
            ],
        ));
        t.push(Row::new(
            "mbo",
            vec![
                Value::Count(72),
                Value::Count(4),
                Value::Tenths(Some(56)),
                Value::Text(String::new()),
            ],
        ));
        t.push(Row::new(
            "ho",
            vec![
                Value::Count(9),
                Value::Count(0),
                Value::Tenths(None),
                Value::Text(String::new()),
            ],
        ));
        t.push(
            Row::new(
                "totaal",
                vec![
                    Value::Count(3),
                    Value::Count(1),
                    Value::Tenths(Some(333)),
                    Value::Text(String::new()),
                ],
            )
            .as_total(),
        );
        t
    }

    #[test]
    fn small_counts_and_the_percentages_of_their_row_are_hidden() {
        let mut t = kanalen();
        assert!(suppress(&mut t, 5));
        let text = |s: &str| Value::Text(s.to_string());
        assert_eq!(
            t.rows[0].values,
            kanalen().rows[0].values,
            "nothing small: unchanged"
        );
        assert_eq!(
            t.rows[1].values,
            vec![Value::Count(72), text("<5"), text("x"), text("")]
        );
        assert_eq!(
            t.rows[2].values,
            kanalen().rows[2].values,
            "zero stays 0, ≥ 5 stays"
        );
        assert_eq!(t.rows[3].values, kanalen().rows[3].values, "totals stay");
        assert_eq!(
            t.caption.as_deref(),
            Some(
                "Dossiers van 1 december 2020 t/m 31 juli 2021. Aantallen kleiner dan 5 \
                 (behalve 0) staan er als <5, percentages en gemiddelden in die rijen als x."
            )
        );
    }

    #[test]
    fn the_threshold_itself_is_shown() {
        let mut t = kanalen();
        assert!(!suppress(&mut t, 4), "4 is not below 4");
        assert_eq!(t, kanalen(), "unchanged, caption too");
        assert!(suppress(&mut t, 10));
        assert_eq!(t.rows[2].values[0], Value::Text("<10".into()));
    }

    #[test]
    fn off_below_two_and_for_tables_about_no_people() {
        for min in [0, 1] {
            let mut t = kanalen();
            assert!(!suppress(&mut t, min));
            assert_eq!(t, kanalen());
        }
        let mut t = kanalen();
        t.id = "voorlichtingen-thema".into();
        assert!(!suppress(&mut t, 1000));
    }

    #[test]
    fn exempt_are_the_tables_of_pageviews_and_sessions() {
        let unprotected: Vec<&str> = appendices::table_ids()
            .into_iter()
            .filter(|id| exempt(id))
            .collect();
        assert_eq!(
            unprotected,
            [
                "websitebezoek",
                "voorlichtingen-stadsdeel",
                "voorlichtingen-thema",
                "voorlichtingen-organisatie",
            ]
        );
        assert!(!exempt("geen-tabel"), "an unknown table is protected");
    }

    #[test]
    fn markers() {
        assert_eq!(marker("<5"), Some(Marker::Below(5)));
        assert_eq!(marker("<10"), Some(Marker::Below(10)));
        assert_eq!(marker("x"), Some(Marker::Hidden));
        for not in ["<", "<5a", "5", "", "X", "<-5", "< 5", "stijging"] {
            assert_eq!(marker(not), None, "{not}");
        }
    }
}
