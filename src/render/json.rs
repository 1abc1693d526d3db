//! Report tables and facts as JSON for scripts, in the one format of [`crate::figures`].
//!
//! Objects are `serde_json::Map`s or structs whose fields are declared in the order the file
//! has always had, so the output is byte-deterministic; order that matters (columns, rows,
//! appendices, tables) is kept in arrays.

use serde_json::Value as Json;

use crate::figures::{Cell, Figures, TableFigures};
use crate::table::{Appendix, ReportTable, Value};

/// One table:
/// `{"id", "title", "caption"?, "columns": [{"key", "label", "period"?}],
///   "rows": [{"key", "label", "total"?: true, "values": {column_key: number | string | null}}]}`.
/// Counts are integers, tenths decimal numbers (`9` → `0.9`), undefined values `null`.
pub fn table(t: &ReportTable) -> Json {
    serde_json::to_value(TableFigures::of(t)).expect("tables always serialise")
}

/// Every figure of the report, pretty-printed, ending with a newline:
/// `{"year": 2021, "appendices": [{"id", "title", "facts": {name: value}, "tables": [table…]}]}`.
/// The top levels keep that order; facts are sorted by name.
pub fn figures(year: i32, appendices: &[Appendix]) -> String {
    Figures::of(year, appendices).to_text()
}

/// A value as JSON: counts as integers, tenths as decimals (`0.9`), undefined as `null`.
pub fn value(v: &Value) -> Json {
    serde_json::to_value(Cell::from(v)).expect("values always serialise")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, Row};

    fn stadsdelen() -> ReportTable {
        let mut t = ReportTable::new(
            "stadsdelen",
            "Spreiding vragen over stadsdelen",
            vec![
                Column::new("stadsdeel", "stadsdeel"),
                Column::new("leerlingen", "CBS leerlingen").with_period("2019/2020"),
                Column::new("pct_excl", "%"),
            ],
        )
        .with_caption("n = 608");
        t.push(Row::new(
            "Centrum",
            vec![Value::Count(3836), Value::Tenths(Some(9))],
        ));
        t.push(Row::new("Leeg", vec![Value::Count(0), Value::Tenths(None)]));
        t.push(
            Row::new(
                "amsterdam",
                vec![Value::Count(61919), Value::Tenths(Some(120))],
            )
            .labelled("Amsterdam")
            .as_total(),
        );
        t
    }

    #[test]
    fn table_shape_and_number_types() {
        let got = table(&stadsdelen());
        let expected = serde_json::json!({
            "id": "stadsdelen",
            "title": "Spreiding vragen over stadsdelen",
            "caption": "n = 608",
            "columns": [
                {"key": "stadsdeel", "label": "stadsdeel"},
                {"key": "leerlingen", "label": "CBS leerlingen", "period": "2019/2020"},
                {"key": "pct_excl", "label": "%"}
            ],
            "rows": [
                {"key": "Centrum", "label": "Centrum", "values": {"leerlingen": 3836, "pct_excl": 0.9}},
                {"key": "Leeg", "label": "Leeg", "values": {"leerlingen": 0, "pct_excl": null}},
                {"key": "amsterdam", "label": "Amsterdam", "total": true,
                 "values": {"leerlingen": 61919, "pct_excl": 12.0}}
            ]
        });
        assert_eq!(got, expected);
        let text = serde_json::to_string(&got).unwrap();
        assert!(text.contains(r#""pct_excl":0.9"#), "{text}");
        assert!(text.contains(r#""pct_excl":12.0"#), "{text}");
        assert!(text.contains(r#""leerlingen":3836,"#), "{text}");
    }

    #[test]
    fn no_caption_no_key() {
        let mut t = stadsdelen();
        t.caption = None;
        assert!(table(&t).get("caption").is_none());
    }

    #[test]
    fn tenths_print_with_one_decimal() {
        for (t, s) in [
            (9, "0.9"),
            (57, "5.7"),
            (120, "12.0"),
            (-3, "-0.3"),
            (1, "0.1"),
            (12345, "1234.5"),
        ] {
            assert_eq!(
                serde_json::to_string(&value(&Value::Tenths(Some(t)))).unwrap(),
                s
            );
        }
    }

    #[test]
    fn figures_file_is_pretty_deterministic_and_ends_with_a_newline() {
        let mut a = Appendix::new("stadsdelen", "Bijlage – Spreiding vragen over stadsdelen");
        a.fact("dossiers_incl", Value::Count(716));
        a.fact("dossiers_excl", Value::Count(608));
        a.fact("laagste_pct", Value::Tenths(Some(7)));
        a.fact("periode", Value::Text("2017-2018 t/m 2020-2021".into()));
        a.tables.push(stadsdelen());
        let b = Appendix::new("leeg", "Leeg");
        let got = figures(2021, &[a.clone(), b]);
        assert!(got.ends_with("}\n") && !got.ends_with("\n\n"));
        assert_eq!(
            got,
            figures(2021, &[a.clone(), Appendix::new("leeg", "Leeg")])
        );
        let parsed: Json = serde_json::from_str(&got).unwrap();
        assert_eq!(parsed["year"], 2021);
        assert_eq!(parsed["appendices"][0]["facts"]["dossiers_excl"], 608);
        assert_eq!(parsed["appendices"][0]["facts"]["laagste_pct"], 0.7);
        assert_eq!(
            parsed["appendices"][0]["tables"][0]["rows"][0]["values"]["pct_excl"],
            0.9
        );
        assert_eq!(parsed["appendices"][1]["tables"], serde_json::json!([]));
        // Top levels in a fixed order, facts sorted, pretty-printed.
        let expected_start = "{\n  \"year\": 2021,\n  \"appendices\": [\n    {\n      \"id\": \"stadsdelen\",\n      \"title\": \"Bijlage – Spreiding vragen over stadsdelen\",\n      \"facts\": {\n        \"dossiers_excl\": 608,\n        \"dossiers_incl\": 716,\n        \"laagste_pct\": 0.7,\n        \"periode\": \"2017-2018 t/m 2020-2021\"\n      },\n      \"tables\": [";
        assert!(got.starts_with(expected_start), "{got}");
    }
}
