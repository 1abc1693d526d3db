//! A report table as a GitHub-flavoured markdown table.

use crate::render::number::value_nl;
use crate::render::small_cells;
use crate::table::{ReportTable, Value};

/// The table in GitHub-flavoured markdown: a header of column labels, the row labels in the
/// first column, numeric columns right-aligned, totals rows in bold, numbers the Dutch way;
/// then the caption, if any, in italics as a paragraph of its own. Columns are padded to equal
/// width so the source reads as a table too. Ends with a newline.
pub fn table(t: &ReportTable) -> String {
    let ncols = t.columns.len().max(1);
    // A column is numeric (right-aligned) when none of its cells is text, other than the `<5`
    // and `x` of a hidden small count (see `small_cells`).
    let numeric: Vec<bool> = (0..ncols)
        .map(|c| {
            c > 0
                && t.rows.iter().all(|r| match r.values.get(c - 1) {
                    Some(Value::Text(s)) => small_cells::is_marker(s),
                    _ => true,
                })
        })
        .collect();

    let header: Vec<String> = (0..ncols)
        .map(|c| {
            t.columns
                .get(c)
                .map(|col| escape(&col.label))
                .unwrap_or_default()
        })
        .collect();
    let mut body: Vec<Vec<String>> = Vec::with_capacity(t.rows.len());
    for row in &t.rows {
        if let Some(group) = &row.group {
            let mut cells = vec![String::new(); ncols];
            cells[0] = escape(group);
            body.push(cells);
        }
        body.push(
            (0..ncols)
                .map(|c| {
                    let text = if c == 0 {
                        escape(&row.label)
                    } else {
                        match row.values.get(c - 1) {
                            // `<5` cannot start a tag or an autolink: printed as it is.
                            Some(Value::Text(s)) if small_cells::is_marker(s) => s.clone(),
                            Some(Value::Text(s)) => escape(s),
                            Some(v) => value_nl(v),
                            None => String::new(),
                        }
                    };
                    if row.total && !text.is_empty() {
                        format!("**{text}**")
                    } else {
                        text
                    }
                })
                .collect(),
        );
    }

    let width: Vec<usize> = (0..ncols)
        .map(|c| {
            std::iter::once(&header)
                .chain(body.iter())
                .map(|cells| cells[c].chars().count())
                .max()
                .unwrap_or(0)
                .max(3)
        })
        .collect();

    let mut out = String::new();
    push_line(&mut out, &header, &width, &numeric);
    let rule: Vec<String> = (0..ncols)
        .map(|c| {
            if numeric[c] {
                format!("{}:", "-".repeat(width[c] - 1))
            } else {
                "-".repeat(width[c])
            }
        })
        .collect();
    push_line(&mut out, &rule, &width, &numeric);
    for cells in &body {
        push_line(&mut out, cells, &width, &numeric);
    }

    if let Some(caption) = t.caption.as_deref() {
        let caption = escape(caption);
        let caption = caption.trim();
        if !caption.is_empty() {
            out.push('\n');
            out.push('*');
            out.push_str(caption);
            out.push_str("*\n");
        }
    }
    out
}

fn push_line(out: &mut String, cells: &[String], width: &[usize], numeric: &[bool]) {
    out.push('|');
    for (c, cell) in cells.iter().enumerate() {
        let pad = " ".repeat(width[c] - cell.chars().count());
        out.push(' ');
        if numeric[c] {
            out.push_str(&pad);
            out.push_str(cell);
        } else {
            out.push_str(cell);
            out.push_str(&pad);
        }
        out.push_str(" |");
    }
    out.push('\n');
}

/// Text from the data as markdown inline text that renders as exactly that text: line breaks
/// (and other control characters) become spaces, and every ASCII punctuation character that
/// could start markup is backslash-escaped: `|` (a cell border), `\\` (else `\\|` would end the
/// cell), `<` (raw HTML, autolinks), `[` `]` `!` (links and images: a school name must not make
/// `report.html` fetch anything), `*` `_` `~` `` ` `` (emphasis, code), `&` (entities), `#`.
/// Table cells, row and column labels, captions and titles all go through here.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            c if c.is_control() => out.push(' '),
            '\\' | '|' | '<' | '>' | '[' | ']' | '!' | '*' | '_' | '~' | '`' | '&' | '#' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
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
                Column::new("leerlingen", "CBS leerlingen 2019/2020"),
                Column::new("vragen", "vragen"),
                Column::new("pct", "%"),
            ],
        )
        .with_caption("n = 608, schooljaren 2017-2018 t/m 2020-2021");
        t.push(Row::new(
            "Centrum",
            vec![Value::Count(3836), Value::Count(36), Value::Tenths(Some(9))],
        ));
        t.push(Row::new(
            "Leeg",
            vec![Value::Count(0), Value::Count(0), Value::Tenths(None)],
        ));
        t.push(
            Row::new(
                "amsterdam",
                vec![
                    Value::Count(61919),
                    Value::Count(608),
                    Value::Tenths(Some(10)),
                ],
            )
            .labelled("Amsterdam")
            .as_total(),
        );
        t
    }

    #[test]
    fn renders_a_dutch_right_aligned_table_with_bold_totals_and_caption() {
        // The bold cells are wider than the others, so widths follow them.
        let got = table(&stadsdelen());
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(
            lines[0],
            "| stadsdeel     | CBS leerlingen 2019/2020 |  vragen |       % |"
        );
        assert_eq!(
            lines[1],
            "| ------------- | -----------------------: | ------: | ------: |"
        );
        assert_eq!(
            lines[2],
            "| Centrum       |                    3.836 |      36 |     0,9 |"
        );
        assert_eq!(
            lines[3],
            "| Leeg          |                        0 |       0 |       – |"
        );
        assert_eq!(
            lines[4],
            "| **Amsterdam** |               **61.919** | **608** | **1,0** |"
        );
        assert_eq!(lines[5], "");
        assert_eq!(lines[6], "*n = 608, schooljaren 2017-2018 t/m 2020-2021*");
        assert_eq!(lines.len(), 7);
        assert!(got.ends_with("*\n"));
    }

    #[test]
    fn escapes_pipes_and_line_breaks_in_text_cells() {
        let mut t = ReportTable::new(
            "x",
            "x",
            vec![
                Column::new("naam", "naam | alias"),
                Column::new("suggestie", "suggestie"),
            ],
        )
        .with_caption("regel één\nregel *twee*");
        t.push(Row::new(
            "a|b",
            vec![Value::Text("De Regenboog\r\nNoord | Oost".into())],
        ));
        assert_eq!(
            table(&t),
            concat!(
                "| naam \\| alias | suggestie                  |\n",
                "| ------------- | -------------------------- |\n",
                "| a\\|b          | De Regenboog Noord \\| Oost |\n",
                "\n",
                "*regel één regel \\*twee\\**\n",
            )
        );
    }

    #[test]
    fn text_columns_stay_left_aligned_and_missing_cells_are_empty() {
        let mut t = ReportTable::new(
            "x",
            "x",
            vec![
                Column::new("a", "a"),
                Column::new("n", "n"),
                Column::new("trend", "trend"),
            ],
        );
        t.push(Row {
            key: "r".into(),
            label: "r".into(),
            values: vec![Value::Count(1)],
            total: false,
            group: None,
        });
        t.push(Row::new(
            "s",
            vec![Value::Count(2), Value::Text("stijging".into())],
        ));
        let got = table(&t);
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines[1], "| --- | --: | -------- |");
        assert_eq!(lines[2], "| r   |   1 |          |");
        assert_eq!(lines[3], "| s   |   2 | stijging |");
        assert_eq!(got, table(&t), "deterministic");
    }

    #[test]
    fn no_caption_no_paragraph() {
        let mut t = stadsdelen();
        t.caption = None;
        assert!(table(&t).ends_with("** |\n"));
    }

    #[test]
    fn a_group_heading_is_a_row_of_its_own_without_figures() {
        let mut t = ReportTable::new(
            "g",
            "g",
            vec![Column::new("gebied", "Gebied"), Column::new("n", "Aantal")],
        );
        t.push(Row::new("Zuidoost", vec![Value::Count(14)]));
        t.push(Row::new("Abcoude", vec![Value::Count(0)]).opening_group("Overig|x"));
        let got = table(&t);
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines[3], "| Overig\\|x |        |", "{got}");
        assert_eq!(lines[4], "| Abcoude   |      0 |", "{got}");
    }
}
