//! A report table as CSV for spreadsheets and scripts.

use crate::render::number::value_plain;
use crate::table::{ReportTable, Value};

/// The table as CSV: a header of column keys, then per row its key and its values as plain
/// numbers (`1414`, `0.9`; undefined = empty). Text that a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed with `'`; numbers never
/// are. Lines end with `\n`.
pub fn table(t: &ReportTable) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new());
    let ncols = t.columns.len().max(1);

    let header: Vec<String> = t.columns.iter().map(|c| neutralise(&c.key)).collect();
    write(&mut writer, &header);
    for row in &t.rows {
        let mut record = Vec::with_capacity(ncols);
        record.push(neutralise(&row.key));
        for c in 1..ncols {
            record.push(match row.values.get(c - 1) {
                Some(Value::Text(s)) => neutralise(s),
                Some(v) => value_plain(v),
                None => String::new(),
            });
        }
        write(&mut writer, &record);
    }
    let bytes = writer
        .into_inner()
        .expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 strings is UTF-8")
}

fn write(writer: &mut ::csv::Writer<Vec<u8>>, record: &[String]) {
    writer
        .write_record(record)
        .expect("writing CSV to memory cannot fail");
}

/// OWASP CSV-injection neutralisation: a text cell that a spreadsheet would evaluate as a
/// formula gets a leading `'`.
pub fn neutralise(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{Column, Row};

    #[test]
    fn plain_numbers_keys_and_empty_undefined() {
        let mut t = ReportTable::new(
            "stadsdelen",
            "Spreiding",
            vec![
                Column::new("stadsdeel", "stadsdeel"),
                Column::new("leerlingen", "CBS leerlingen"),
                Column::new("pct_excl", "%"),
            ],
        );
        t.push(Row::new(
            "Centrum",
            vec![Value::Count(3836), Value::Tenths(Some(9))],
        ));
        t.push(Row::new("Leeg", vec![Value::Count(0), Value::Tenths(None)]));
        t.push(Row::new(
            "Groei",
            vec![Value::Count(-1234), Value::Tenths(Some(-3))],
        ));
        t.push(
            Row::new(
                "amsterdam",
                vec![Value::Count(61919), Value::Tenths(Some(120))],
            )
            .labelled("Amsterdam")
            .as_total(),
        );
        assert_eq!(
            table(&t),
            "stadsdeel,leerlingen,pct_excl\n\
             Centrum,3836,0.9\n\
             Leeg,0,\n\
             Groei,-1234,-0.3\n\
             amsterdam,61919,12.0\n"
        );
    }

    #[test]
    fn neutralises_formulas_in_text_cells_only() {
        let mut t = ReportTable::new(
            "x",
            "x",
            vec![
                Column::new("naam", "naam"),
                Column::new("tekst", "tekst"),
                Column::new("n", "n"),
            ],
        );
        for (key, text) in [
            ("a", "=SUM(A1:A9)"),
            ("b", "+31 20 123"),
            ("c", "-x"),
            ("d", "@cmd"),
            ("e", "\tx"),
            ("f", "\rx"),
            ("=g", "gewoon, met komma"),
        ] {
            t.push(Row::new(
                key,
                vec![Value::Text(text.into()), Value::Count(-5)],
            ));
        }
        let got = table(&t);
        let lines: Vec<&str> = got.split('\n').collect();
        assert_eq!(lines[1], "a,'=SUM(A1:A9),-5");
        assert_eq!(lines[2], "b,'+31 20 123,-5");
        assert_eq!(lines[3], "c,'-x,-5");
        assert_eq!(lines[4], "d,'@cmd,-5");
        assert_eq!(lines[5], "e,'\tx,-5");
        assert_eq!(lines[6], "f,\"'\rx\",-5");
        assert_eq!(lines[7], "'=g,\"gewoon, met komma\",-5");
    }

    #[test]
    fn reads_back_with_the_csv_crate() {
        let mut t = ReportTable::new("x", "x", vec![Column::new("k", "k"), Column::new("v", "v")]);
        t.push(Row::new(
            "regel\neen",
            vec![Value::Text("\"quote\"".into())],
        ));
        let got = table(&t);
        let mut reader = ::csv::Reader::from_reader(got.as_bytes());
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 1);
        assert_eq!(&rows[0][0], "regel\neen");
        assert_eq!(&rows[0][1], "\"quote\"");
    }
}
