//! Every table of the report in one Excel workbook (`tabellen.xlsx`), for readers who want to
//! work with the figures, and to print.
//!
//! One sheet per table, named by the table's title (cut to Excel's 31 characters), in report
//! order. Above the table its title and caption, then the column headers as the report prints
//! them (frozen, and repeated on every printed page), then one row per table row, the row
//! label first, totals rows in bold, a group heading (`Overig`) as a row of its own. Numbers
//! are numbers: counts with a thousands format, percentages and averages as the number the
//! report prints (0,9 % is the number 0.9) with one decimal; an undefined value or empty text
//! is an empty cell. The same values as `oco-report table ID --format csv`. Printed on A4,
//! fit to the page's width, landscape when the table is wide, "Pagina N van M" below.
//!
//! Text from the data is always written as a string cell, never as a formula; a text that a
//! spreadsheet would evaluate when the cell is edited (starting with `=`, `+`, `-`, `@`, tab or
//! carriage return: OWASP's formula injection) gets Excel's "quote prefix" cell property, the
//! `'` Excel itself puts before such text: shown without the `'`, kept as text. Text longer than
//! Excel's 32.767 characters is cut (ending in `…`) instead of failing the build.
//!
//! The workbook is byte-identical from build to build: its creation date is fixed to 1 August
//! of the report year (the day after the school year it reports on ends) instead of the clock.

use anyhow::{Context as _, Result};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet,
};

use crate::render::number::value_nl;
use crate::render::small_cells;
use crate::table::{Appendix, ReportTable, Value};

/// Longest sheet name Excel accepts.
const MAX_SHEET_NAME: usize = 31;

/// Longest text Excel holds in a cell, in characters.
const MAX_CELL_TEXT: usize = 32_767;

/// The workbook of every table of `appendices`, as the bytes of an .xlsx file.
pub fn workbook(appendices: &[Appendix], year: i32) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(u16::try_from(year).unwrap_or(2000), 8, 1)
        .context("the workbook's creation date")?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("Tussentijds verslag OCO {year} – tabellen"))
            .set_author("oco-report")
            .set_creation_datetime(&created),
    );
    let mut names: Vec<String> = Vec::new();
    for table in appendices.iter().flat_map(|a| &a.tables) {
        let name = sheet_name(&table.title, &names);
        let sheet = book.add_worksheet();
        sheet
            .set_name(&name)
            .with_context(|| format!("sheet name {name:?}"))?;
        write_table(sheet, table).with_context(|| format!("sheet {name}"))?;
        names.push(name);
    }
    book.save_to_buffer().context("writing tabellen.xlsx")
}

/// The table's title, stripped of characters Excel forbids, cut to 31 characters and made
/// unique.
pub fn sheet_name(title: &str, taken: &[String]) -> String {
    let clean: String = title
        .trim()
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .collect();
    let clean = clean.trim_matches('\'');
    let base: String = clean.chars().take(MAX_SHEET_NAME).collect();
    let base = if base.is_empty() {
        "tabel".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) {
        let suffix = format!(" ({n})");
        let keep = MAX_SHEET_NAME - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}

/// Columns beyond which a sheet prints landscape.
const LANDSCAPE_COLUMNS: usize = 6;

/// The row of the column headers: below the title, the caption and an empty row.
pub fn header_row(table: &ReportTable) -> u32 {
    if caption(table).is_some() { 3 } else { 2 }
}

fn caption(table: &ReportTable) -> Option<&str> {
    table
        .caption
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
}

fn write_table(sheet: &mut Worksheet, table: &ReportTable) -> Result<()> {
    let header = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let count = Format::new().set_num_format("#,##0");
    let tenths = Format::new().set_num_format("0.0");
    let text = Format::new();
    let hidden = Format::new().set_align(FormatAlign::Right);
    let group = Format::new().set_italic();
    let bold = |f: &Format| f.clone().set_bold();
    let ncols = table.columns.len().max(1);
    let mut widths: Vec<usize> = vec![8; ncols];

    write_text(
        sheet,
        0,
        0,
        table.title.trim(),
        &Format::new().set_bold().set_font_size(13),
    )?;
    if let Some(caption) = caption(table) {
        write_text(sheet, 1, 0, caption, &Format::new().set_italic())?;
    }
    let first = header_row(table);
    for (c, column) in table.columns.iter().enumerate() {
        write_text(sheet, first, col(c), &column.label, &header)?;
        widths[c] = widths[c].max(column.label.chars().count());
    }
    let mut at = first;
    for row in &table.rows {
        at = at.checked_add(1).context("too many rows")?;
        if let Some(heading) = &row.group {
            write_text(sheet, at, 0, heading, &group)?;
            at = at.checked_add(1).context("too many rows")?;
        }
        let pick = |f: &Format| if row.total { bold(f) } else { f.clone() };
        write_text(sheet, at, 0, &row.label, &pick(&text))?;
        widths[0] = widths[0].max(row.label.chars().count());
        for (i, value) in row.values.iter().enumerate().take(ncols - 1) {
            let c = i + 1;
            match value {
                Value::Count(n) => {
                    sheet.write_number_with_format(at, col(c), *n as f64, &pick(&count))?;
                }
                Value::Tenths(Some(t)) => {
                    sheet.write_number_with_format(at, col(c), *t as f64 / 10.0, &pick(&tenths))?;
                }
                Value::Tenths(None) => {}
                Value::Text(s) if s.is_empty() => {}
                // `<5` or `x` of a hidden small count: text, right-aligned like the numbers.
                Value::Text(s) if small_cells::is_marker(s) => {
                    write_text(sheet, at, col(c), s, &pick(&hidden))?;
                }
                Value::Text(s) => {
                    write_text(sheet, at, col(c), s, &pick(&text))?;
                }
            }
            widths[c] = widths[c].max(value_nl(value).chars().count());
        }
    }
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(col(c), (*w).min(60) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(first + 1, 0)?;
    sheet.set_repeat_rows(first, first)?;
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    if ncols > LANDSCAPE_COLUMNS {
        sheet.set_landscape();
    }
    sheet.set_footer("&CPagina &P van &N");
    Ok(())
}

/// A string cell (never a formula), quote-prefixed when it starts like a formula, cut to
/// Excel's limit.
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    column: u16,
    text: &str,
    format: &Format,
) -> Result<()> {
    let text = if text.chars().count() > MAX_CELL_TEXT {
        let mut cut: String = text.chars().take(MAX_CELL_TEXT - 1).collect();
        cut.push('…');
        std::borrow::Cow::Owned(cut)
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    if starts_like_formula(&text) {
        let format = format.clone().set_quote_prefix();
        sheet.write_string_with_format(row, column, text.as_ref(), &format)?;
    } else {
        sheet.write_string_with_format(row, column, text.as_ref(), format)?;
    }
    Ok(())
}

/// OWASP's formula-injection characters at the start of a text.
pub(crate) fn starts_like_formula(text: &str) -> bool {
    text.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_are_valid_and_unique() {
        assert_eq!(sheet_name("stadsdelen", &[]), "stadsdelen");
        assert_eq!(
            sheet_name("a/b:c", &["x".to_string()]),
            "abc",
            "forbidden characters dropped"
        );
        let long = "een-heel-lange-tabelnaam-van-meer-dan-31-tekens";
        let first = sheet_name(long, &[]);
        assert_eq!(first.chars().count(), 31);
        let second = sheet_name(long, std::slice::from_ref(&first));
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with(" (2)"), "{second}");
    }

    #[test]
    fn sheets_print_on_a4_fit_to_width_with_the_header_repeated() {
        use std::io::Read as _;
        let columns: Vec<crate::table::Column> = (0..8)
            .map(|c| crate::table::Column::new(format!("k{c}"), format!("kolom {c}")))
            .collect();
        let mut wide =
            ReportTable::new("breed", "Een brede tabel", columns).with_caption("Het onderschrift.");
        wide.push(crate::table::Row::new("a", vec![Value::Count(1); 7]));
        wide.push(crate::table::Row::new("b", vec![Value::Count(2); 7]).opening_group("Overig"));
        let mut appendix = Appendix::new("x", "X");
        appendix.tables.push(wide);
        let book = workbook(&[appendix], 2021).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(book)).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            archive
                .by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let sheet = read("xl/worksheets/sheet1.xml");
        assert!(sheet.contains("paperSize=\"9\""), "{sheet}");
        assert!(sheet.contains("orientation=\"landscape\""), "{sheet}");
        assert!(sheet.contains("fitToHeight=\"0\""), "{sheet}");
        assert!(
            sheet.contains("<fitToPage/>") || sheet.contains("fitToPage=\"1\""),
            "{sheet}"
        );
        assert!(sheet.contains("Pagina &amp;P van &amp;N"), "{sheet}");
        let book = read("xl/workbook.xml");
        assert!(book.contains("<sheet name=\"Een brede tabel\""), "{book}");
        // Title, caption, an empty row, then the header (row 4) repeated on every page.
        assert!(book.contains("_xlnm.Print_Titles"), "{book}");
        assert!(book.contains("$4:$4"), "{book}");
        let strings = read("xl/sharedStrings.xml");
        for text in ["Een brede tabel", "Het onderschrift.", "kolom 0", "Overig"] {
            assert!(strings.contains(text), "{text}");
        }
    }

    #[test]
    fn the_same_tables_give_the_same_bytes() {
        let mut a = Appendix::new("x", "X");
        let mut t = ReportTable::new(
            "x",
            "Tabel x",
            vec![
                crate::table::Column::new("k", "k"),
                crate::table::Column::new("n", "n"),
                crate::table::Column::new("p", "%"),
            ],
        );
        t.push(crate::table::Row::new(
            "a",
            vec![Value::Count(1414), Value::Tenths(Some(9))],
        ));
        t.push(crate::table::Row::new(
            "b",
            vec![Value::Count(0), Value::Tenths(None)],
        ));
        a.tables.push(t);
        let one = workbook(std::slice::from_ref(&a), 2021).unwrap();
        let two = workbook(&[a], 2021).unwrap();
        assert_eq!(one, two);
        assert_eq!(&one[..2], b"PK");
    }
}
