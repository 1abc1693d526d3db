//! `report.docx`: the combined report as a Word document, made from `report.md`, for OCO's
//! master document.
//!
//! What Word and LibreOffice get:
//! - headings in Word's built-in styles (`Heading1` … `Heading3`, outline levels set), so they
//!   merge into a master document and show in the navigation pane; every appendix (a
//!   `## ` heading after the first) starts on a new page;
//! - every table as a native Word table: the header row repeated on each page, no row split
//!   across pages, the rows kept together where the table fits on a page, numeric columns
//!   right-aligned as the markdown aligns them, totals rows bold, numbers as the report prints
//!   them (Dutch: `1.414`, `0,9`);
//! - every chart as its PNG (twice the SVG's resolution: about 240 dpi at the printed width of
//!   16 cm) with the chart's figures as alt text;
//! - numbered captions with Word's own `SEQ` fields: "Tabel 3: …" above a table (the bold
//!   title the markdown puts there), "Figuur 2: …" below a chart;
//! - A4, "Pagina N van M" in the footer, language nl-NL; the title, the author `oco-report`
//!   and how it was made in the document's properties instead of in the text.
//!
//! Written as WordprocessingML with the `zip` crate the workbook writer already brings:
//! docx-rs (0.4.22) cannot mark a table header row (`w:tblHeader`) nor set the language, and
//! would add the `image` crate and a second `zip`. The file is byte-identical from build to
//! build: fixed dates in the properties and in the archive, parts in a fixed order.

use std::fmt::Write as _;
use std::io::Write as _;

use anyhow::{Context as _, Result};
use comrak::nodes::{AstNode, NodeValue, TableAlignment};
use comrak::{Arena, Options, parse_document};

use crate::render::charts::Chart;

/// The heading of the table of contents in `report.md`.
const CONTENTS: &str = "Inhoud";

/// Printed width of a chart: the text width of A4 with 2 cm margins, less a little.
const CHART_WIDTH_EMU: u64 = 16 * 360_000;
/// Text width in twentieths of a point: 21 cm less two margins of 2 cm.
const TEXT_WIDTH_TWIPS: u64 = 9_638;
/// Tables with more columns than this get a smaller font, with more than
/// [`VERY_WIDE_TABLE`] smaller still (as in `report.html`).
const WIDE_TABLE: usize = 8;
const VERY_WIDE_TABLE: usize = 20;

/// What the document's properties say.
pub struct Properties<'a> {
    pub title: &'a str,
    /// The report year: the properties' dates are 1 August of it, as in `tabellen.xlsx`.
    pub year: i32,
    /// How the document was made: the colophon, kept out of the text.
    pub description: &'a str,
}

/// The report `markdown` (the rendered `report.md`) as the bytes of a .docx file, with the
/// `charts` its images name.
pub fn report(markdown: &str, charts: &[Chart], properties: &Properties) -> Result<Vec<u8>> {
    let arena = Arena::new();
    let mut options = Options::default();
    options.extension.table = true;
    let root = parse_document(&arena, markdown, &options);
    let mut body = Body::new(charts);
    for node in root.children() {
        body.block(node);
    }
    body.finish();
    package(&body, properties)
}

/// The document body being written, with what the parts around it need.
struct Body<'c> {
    xml: String,
    charts: &'c [Chart],
    /// The charts placed, in order: their relationship ids are `rIdImage1`, … .
    images: Vec<&'c Chart>,
    tables: usize,
    figures: usize,
    /// `## ` headings seen: every one after the first starts a new page.
    appendices: usize,
    /// A bold paragraph alone, held until we know whether a table follows (then it becomes
    /// the table's caption).
    pending_title: Option<String>,
    /// The paragraph after a table is its note (the markdown's italic caption).
    after_table: bool,
    /// The list after the `Inhoud` heading is the table of contents.
    contents_next: bool,
}

impl<'c> Body<'c> {
    fn new(charts: &'c [Chart]) -> Body<'c> {
        Body {
            xml: String::new(),
            charts,
            images: Vec::new(),
            tables: 0,
            figures: 0,
            appendices: 0,
            pending_title: None,
            after_table: false,
            contents_next: false,
        }
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>) {
        let value = node.data.borrow().value.clone();
        if let NodeValue::Table(_) = value {
        } else if let Some(title) = self.pending_title.take() {
            self.paragraph("", &bold_run(&title));
        }
        let after_table = std::mem::take(&mut self.after_table);
        match value {
            NodeValue::Heading(heading) => {
                let level = heading.level.clamp(1, 3);
                let contents = level == 2
                    && plain_text(node).trim() == CONTENTS
                    && node
                        .next_sibling()
                        .is_some_and(|n| matches!(n.data.borrow().value, NodeValue::List(_)));
                let mut properties = if contents {
                    // Not a heading of the document: the table of contents leaves it out.
                    "<w:pStyle w:val=\"TOCHeading\"/>".to_string()
                } else {
                    format!("<w:pStyle w:val=\"Heading{level}\"/>")
                };
                if level == 2 {
                    self.appendices += 1;
                    if self.appendices > 1 {
                        properties.push_str("<w:pageBreakBefore/>");
                    }
                }
                self.paragraph(&properties, &runs(node, Style::default()));
                self.contents_next = contents;
            }
            NodeValue::Paragraph => {
                if let Some(chart) = self.only_chart(node) {
                    self.chart(chart);
                } else if let Some(title) = only_bold(node) {
                    self.pending_title = Some(title);
                } else if after_table && only_italic(node) {
                    self.paragraph(
                        "<w:pStyle w:val=\"Tabelnoot\"/>",
                        &runs(node, Style::default()),
                    );
                } else {
                    self.paragraph("", &runs(node, Style::default()));
                }
            }
            NodeValue::List(_) if self.contents_next => {
                self.contents_next = false;
                self.contents(node);
            }
            NodeValue::List(_) => {
                for item in node.children() {
                    for child in item.children() {
                        match child.data.borrow().value {
                            NodeValue::Paragraph => {}
                            _ => continue,
                        }
                        self.paragraph(
                            "<w:pStyle w:val=\"ListBullet\"/>",
                            &runs(child, Style::default()),
                        );
                    }
                }
            }
            NodeValue::Table(table) => {
                let title = self.pending_title.take();
                self.table(node, &table.alignments, title.as_deref());
                self.after_table = true;
            }
            NodeValue::ThematicBreak => {}
            NodeValue::CodeBlock(code) => {
                for line in code.literal.lines() {
                    self.paragraph("", &text_run(line, Style::default()));
                }
            }
            NodeValue::HtmlBlock(html) => {
                self.paragraph("", &text_run(html.literal.trim(), Style::default()));
            }
            _ => {
                for child in node.children() {
                    self.block(child);
                }
            }
        }
    }

    /// The table of contents as Word's own `TOC` field over the `Heading2` headings, its
    /// entries as the markdown lists them: Word fills in the page numbers when the field is
    /// updated (F9, or right-click, "Veld bijwerken"), as it does for a table of contents it
    /// made itself; no page numbers are guessed here, Word paginates differently than a browser.
    fn contents<'a>(&mut self, list: &'a AstNode<'a>) {
        let entries: Vec<String> = list
            .children()
            .map(|item| plain_text(item).trim().to_string())
            .filter(|e| !e.is_empty())
            .collect();
        let begin = "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> TOC \\o \"2-2\" \\h \\z \\u </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
        let end = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
        let count = entries.len();
        if count == 0 {
            self.paragraph("<w:pStyle w:val=\"TOC2\"/>", &format!("{begin}{end}"));
        }
        for (i, entry) in entries.iter().enumerate() {
            let mut runs = String::new();
            if i == 0 {
                runs.push_str(begin);
            }
            runs.push_str(&text_run(entry, Style::default()));
            if i + 1 == count {
                runs.push_str(end);
            }
            self.paragraph("<w:pStyle w:val=\"TOC2\"/>", &runs);
        }
    }

    fn finish(&mut self) {
        if let Some(title) = self.pending_title.take() {
            self.paragraph("", &bold_run(&title));
        }
    }

    fn paragraph(&mut self, properties: &str, runs: &str) {
        self.xml.push_str("<w:p>");
        if !properties.is_empty() {
            let _ = write!(self.xml, "<w:pPr>{properties}</w:pPr>");
        }
        self.xml.push_str(runs);
        self.xml.push_str("</w:p>");
    }

    /// The chart a paragraph consists of: one image naming a chart's SVG.
    fn only_chart<'a>(&self, node: &'a AstNode<'a>) -> Option<&'c Chart> {
        let mut children = node.children();
        let image = children.next()?;
        if children.next().is_some() {
            return None;
        }
        let NodeValue::Image(link) = &image.data.borrow().value else {
            return None;
        };
        self.charts.iter().find(|c| c.svg_name() == link.url)
    }

    /// The chart's PNG, kept with its caption "Figuur N: title" below it.
    fn chart(&mut self, chart: &'c Chart) {
        self.images.push(chart);
        self.figures += 1;
        let n = self.images.len();
        let cx = CHART_WIDTH_EMU;
        let cy = CHART_WIDTH_EMU * u64::from(chart.height) / u64::from(chart.width.max(1));
        let alt = escape_attribute(&chart.alt);
        let name = escape_attribute(&chart.png_name());
        let drawing = format!(
            "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
             <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
             <wp:docPr id=\"{n}\" name=\"Grafiek {n}\" descr=\"{alt}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">\
             <pic:pic><pic:nvPicPr><pic:cNvPr id=\"{n}\" name=\"{name}\" descr=\"{alt}\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"rIdImage{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
             <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>\
             </a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        );
        self.paragraph("<w:keepNext/><w:spacing w:after=\"60\"/>", &drawing);
        let caption = caption_runs("Figuur", self.figures, &chart.title);
        self.paragraph("<w:pStyle w:val=\"Caption\"/>", &caption);
    }

    /// A native table: the caption above it kept with it, the header row repeated, no row
    /// split, every row kept with the next so that a table that fits on a page is not split.
    fn table<'a>(
        &mut self,
        node: &'a AstNode<'a>,
        alignments: &[TableAlignment],
        title: Option<&str>,
    ) {
        self.tables += 1;
        if let Some(title) = title {
            let caption = caption_runs("Tabel", self.tables, title);
            self.paragraph("<w:pStyle w:val=\"Caption\"/><w:keepNext/>", &caption);
        }
        let rows: Vec<(bool, Vec<String>, Vec<String>)> = node
            .children()
            .map(|row| {
                let header = matches!(row.data.borrow().value, NodeValue::TableRow(true));
                let cells: Vec<&AstNode> = row.children().collect();
                let texts = cells.iter().map(|c| plain_text(c)).collect();
                let runs = cells
                    .iter()
                    .map(|c| {
                        runs(
                            c,
                            Style {
                                bold: header,
                                ..Style::default()
                            },
                        )
                    })
                    .collect();
                (header, texts, runs)
            })
            .collect();
        let columns = alignments.len().max(1);
        let size = if columns > VERY_WIDE_TABLE {
            12
        } else if columns > WIDE_TABLE {
            14
        } else {
            17
        };
        // Column widths in proportion to their longest cell; a header may wrap between its
        // words, so it counts with its longest word.
        let mut longest = vec![3u64; columns];
        for (header, texts, _) in &rows {
            for (c, text) in texts.iter().enumerate().take(columns) {
                let chars = if *header {
                    text.split_whitespace()
                        .map(|w| w.chars().count())
                        .max()
                        .unwrap_or(0)
                } else {
                    text.chars().count()
                };
                longest[c] = longest[c].max((chars as u64).min(45));
            }
        }
        // A character of the table's font takes about 0,6 em; a wide table gets narrow cell
        // margins; a table wider than the page is narrowed in proportion.
        let margin: u64 = if columns > WIDE_TABLE { 30 } else { 80 };
        let natural: Vec<u64> = longest
            .iter()
            .map(|l| l * u64::from(size) * 6 + 2 * margin + 20)
            .collect();
        let total: u64 = natural.iter().sum::<u64>().max(1);
        let widths: Vec<u64> = if total > TEXT_WIDTH_TWIPS {
            natural
                .iter()
                .map(|w| TEXT_WIDTH_TWIPS * w / total)
                .collect()
        } else {
            natural
        };

        let _ = write!(
            self.xml,
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"OcoTabel\"/><w:tblW w:w=\"{}\" w:type=\"dxa\"/>\
             <w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:left w:w=\"{margin}\" w:type=\"dxa\"/><w:right w:w=\"{margin}\" w:type=\"dxa\"/></w:tblCellMar>\
             <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" \
             w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
            widths.iter().sum::<u64>()
        );
        for width in &widths {
            let _ = write!(self.xml, "<w:gridCol w:w=\"{width}\"/>");
        }
        self.xml.push_str("</w:tblGrid>");
        let last = rows.len().saturating_sub(1);
        for (r, (header, _, cells)) in rows.iter().enumerate() {
            self.xml.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if *header {
                self.xml.push_str("<w:tblHeader/>");
            }
            self.xml.push_str("</w:trPr>");
            for (c, runs) in cells.iter().enumerate().take(columns) {
                let border = if *header {
                    "<w:tcBorders><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders>"
                } else {
                    ""
                };
                let _ = write!(
                    self.xml,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{}\" w:type=\"dxa\"/>{border}</w:tcPr><w:p><w:pPr><w:pStyle w:val=\"Tabeltekst\"/>",
                    widths[c]
                );
                if r < last {
                    self.xml.push_str("<w:keepNext/>");
                }
                if alignments.get(c) == Some(&TableAlignment::Right) {
                    self.xml.push_str("<w:jc w:val=\"right\"/>");
                }
                let _ = write!(
                    self.xml,
                    "<w:rPr><w:sz w:val=\"{size}\"/></w:rPr></w:pPr>{}</w:p></w:tc>",
                    sized(runs, size)
                );
            }
            // A row the markdown left short still needs every cell.
            for width in widths.iter().skip(cells.len()) {
                let _ = write!(
                    self.xml,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p/></w:tc>"
                );
            }
            self.xml.push_str("</w:tr>");
        }
        self.xml.push_str("</w:tbl>");
    }
}

/// Run formatting from the markdown's emphasis.
#[derive(Clone, Copy, Default)]
struct Style {
    bold: bool,
    italic: bool,
}

/// The runs of a node's inline content.
fn runs<'a>(node: &'a AstNode<'a>, style: Style) -> String {
    let mut out = String::new();
    for child in node.children() {
        let value = child.data.borrow().value.clone();
        match value {
            NodeValue::Text(text) => out.push_str(&text_run(&text, style)),
            NodeValue::Code(code) => out.push_str(&text_run(&code.literal, style)),
            NodeValue::HtmlInline(html) => out.push_str(&text_run(&html, style)),
            NodeValue::SoftBreak => out.push_str(&text_run(" ", style)),
            NodeValue::LineBreak => out.push_str("<w:r><w:br/></w:r>"),
            NodeValue::Strong => out.push_str(&runs(
                child,
                Style {
                    bold: true,
                    ..style
                },
            )),
            NodeValue::Emph => out.push_str(&runs(
                child,
                Style {
                    italic: true,
                    ..style
                },
            )),
            // An image that is no chart: its alt text.
            NodeValue::Image(_) => out.push_str(&text_run(&plain_text(child), style)),
            _ => out.push_str(&runs(child, style)),
        }
    }
    out
}

fn text_run(text: &str, style: Style) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut properties = String::new();
    if style.bold {
        properties.push_str("<w:b/>");
    }
    if style.italic {
        properties.push_str("<w:i/>");
    }
    let properties = if properties.is_empty() {
        String::new()
    } else {
        format!("<w:rPr>{properties}</w:rPr>")
    };
    format!(
        "<w:r>{properties}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        escape_text(text)
    )
}

fn bold_run(text: &str) -> String {
    text_run(
        text,
        Style {
            bold: true,
            italic: false,
        },
    )
}

/// The runs of a table cell with the table's font size.
fn sized(runs: &str, size: u32) -> String {
    let size = format!("<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>");
    // After the bold and italic of a run: WordprocessingML fixes the order in `w:rPr`.
    runs.replace("</w:rPr><w:t", &format!("{size}</w:rPr><w:t"))
        .replace("<w:r><w:t", &format!("<w:r><w:rPr>{size}</w:rPr><w:t"))
}

/// "Tabel 3: title" with the number as Word's `SEQ Tabel` field, so that Word renumbers
/// and lists them like captions it made itself.
fn caption_runs(label: &str, number: usize, title: &str) -> String {
    format!(
        "<w:r><w:t xml:space=\"preserve\">{label} </w:t></w:r>\
         <w:fldSimple w:instr=\" SEQ {label} \\* ARABIC \"><w:r><w:t>{number}</w:t></w:r></w:fldSimple>\
         <w:r><w:t xml:space=\"preserve\">: {}</w:t></w:r>",
        escape_text(title.trim())
    )
}

/// The text of a node, markup dropped.
fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for descendant in node.descendants() {
        match &descendant.data.borrow().value {
            NodeValue::Text(text) => out.push_str(text),
            NodeValue::Code(code) => out.push_str(&code.literal),
            NodeValue::HtmlInline(html) => out.push_str(html),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

/// The text of a paragraph that is one bold span and nothing else (`**Titel**`).
fn only_bold<'a>(node: &'a AstNode<'a>) -> Option<String> {
    let mut children = node.children();
    let strong = children.next()?;
    if children.next().is_some() || !matches!(strong.data.borrow().value, NodeValue::Strong) {
        return None;
    }
    Some(plain_text(strong))
}

fn only_italic<'a>(node: &'a AstNode<'a>) -> bool {
    let mut children = node.children();
    let first = children.next();
    children.next().is_none()
        && first.is_some_and(|e| matches!(e.data.borrow().value, NodeValue::Emph))
}

/// Text for an XML element: `&`, `<`, `>` escaped, characters XML 1.0 cannot hold dropped.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for an XML attribute in double quotes.
fn escape_attribute(text: &str) -> String {
    escape_text(text).replace('"', "&quot;")
}

const NAMESPACES: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
     xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" \
     xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" \
     xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" \
     xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

const XML_HEADER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The parts of the package, zipped in a fixed order with fixed times.
fn package(body: &Body, properties: &Properties) -> Result<Vec<u8>> {
    let body_xml = &body.xml;
    let document = format!(
        "{XML_HEADER}<w:document {NAMESPACES}><w:body>{body_xml}\
         <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
         <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
         </w:sectPr></w:body></w:document>"
    );
    let mut relationships = String::from(
        "<Relationship Id=\"rIdStyles\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>\
         <Relationship Id=\"rIdSettings\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/>\
         <Relationship Id=\"rIdNumbering\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/>\
         <Relationship Id=\"rIdFooter\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" Target=\"footer1.xml\"/>",
    );
    for n in 1..=body.images.len() {
        let _ = write!(
            relationships,
            "<Relationship Id=\"rIdImage{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/grafiek{n}.png\"/>"
        );
    }
    let document_rels = format!(
        "{XML_HEADER}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">{relationships}</Relationships>"
    );
    let date = format!("{:04}-08-01T00:00:00Z", properties.year.clamp(1, 9999));
    let core = format!(
        "{XML_HEADER}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{title}</dc:title><dc:creator>oco-report</dc:creator><cp:lastModifiedBy>oco-report</cp:lastModifiedBy>\
         <dc:description>{description}</dc:description><dc:language>nl-NL</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}</dcterms:modified></cp:coreProperties>",
        title = escape_text(properties.title),
        description = escape_text(properties.description),
    );
    let app = format!(
        "{XML_HEADER}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>oco-report {}</Application></Properties>",
        env!("CARGO_PKG_VERSION")
    );

    let mut parts: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), CONTENT_TYPES.into()),
        ("_rels/.rels".into(), ROOT_RELS.into()),
        ("docProps/core.xml".into(), core.into_bytes()),
        ("docProps/app.xml".into(), app.into_bytes()),
        ("word/document.xml".into(), document.into_bytes()),
        (
            "word/_rels/document.xml.rels".into(),
            document_rels.into_bytes(),
        ),
        ("word/styles.xml".into(), STYLES.into()),
        ("word/settings.xml".into(), SETTINGS.into()),
        ("word/numbering.xml".into(), NUMBERING.into()),
        ("word/footer1.xml".into(), FOOTER.into()),
    ];
    for (i, chart) in body.images.iter().enumerate() {
        parts.push((
            format!("word/media/grafiek{}.png", i + 1),
            chart.png.clone(),
        ));
    }

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, contents) in &parts {
        // PNGs are compressed already.
        let method = if name.ends_with(".png") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(zip::DateTime::default());
        zip.start_file(name.as_str(), options)
            .with_context(|| format!("report.docx: {name}"))?;
        zip.write_all(contents)
            .with_context(|| format!("report.docx: {name}"))?;
    }
    Ok(zip.finish().context("report.docx")?.into_inner())
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>";

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const SETTINGS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:defaultTabStop w:val=\"708\"/><w:characterSpacingControl w:val=\"doNotCompress\"/>\
<w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"nl-NL\"/><w:decimalSymbol w:val=\",\"/><w:listSeparator w:val=\";\"/>\
</w:settings>";

const NUMBERING: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:abstractNum w:abstractNumId=\"0\"><w:multiLevelType w:val=\"singleLevel\"/>\
<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\u{2022}\"/><w:lvlJc w:val=\"left\"/>\
<w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>\
<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

const FOOTER: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:ftr xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">\
<w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>\
<w:r><w:t xml:space=\"preserve\">Pagina </w:t></w:r>\
<w:fldSimple w:instr=\" PAGE \\* ARABIC \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
<w:r><w:t xml:space=\"preserve\"> van </w:t></w:r>\
<w:fldSimple w:instr=\" NUMPAGES \\* ARABIC \"><w:r><w:t>1</w:t></w:r></w:fldSimple>\
</w:p></w:ftr>";

/// Word's built-in styles by their built-in names (`heading 1` with id `Heading1`), so that a
/// master document maps them onto its own; `Tabeltekst` and `Tabelnoot` are ours.
const STYLES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>\
<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"nl-NL\" w:eastAsia=\"nl-NL\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>\
<w:pPrDefault><w:pPr><w:spacing w:after=\"140\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:widowControl/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>\
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"240\"/><w:outlineLvl w:val=\"0\"/></w:pPr>\
<w:rPr><w:b/><w:bCs/><w:sz w:val=\"36\"/><w:szCs w:val=\"36\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/>\
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"160\"/><w:outlineLvl w:val=\"1\"/></w:pPr>\
<w:rPr><w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading3\"><w:name w:val=\"heading 3\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/>\
<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"160\" w:after=\"80\"/><w:outlineLvl w:val=\"2\"/></w:pPr>\
<w:rPr><w:b/><w:bCs/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TOCHeading\"><w:name w:val=\"TOC Heading\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/><w:qFormat/>\
<w:pPr><w:keepNext/><w:spacing w:before=\"200\" w:after=\"160\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"TOC2\"><w:name w:val=\"toc 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/>\
<w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9628\"/></w:tabs><w:spacing w:after=\"60\"/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Caption\"><w:name w:val=\"caption\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"35\"/><w:unhideWhenUsed/><w:qFormat/>\
<w:pPr><w:spacing w:before=\"120\" w:after=\"80\"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"ListBullet\"><w:name w:val=\"List Bullet\"/><w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>\
<w:pPr><w:numPr><w:numId w:val=\"1\"/></w:numPr><w:spacing w:after=\"40\"/><w:contextualSpacing/></w:pPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Footer\"><w:name w:val=\"footer\"/><w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>\
<w:pPr><w:spacing w:after=\"0\"/></w:pPr><w:rPr><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Tabeltekst\"><w:name w:val=\"Tabeltekst\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:before=\"20\" w:after=\"20\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:rPr><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"Tabelnoot\"><w:name w:val=\"Tabelnoot\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
<w:pPr><w:spacing w:before=\"60\" w:after=\"240\"/></w:pPr><w:rPr><w:i/><w:iCs/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/>\
<w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
<w:style w:type=\"table\" w:customStyle=\"1\" w:styleId=\"OcoTabel\"><w:name w:val=\"OCO tabel\"/><w:basedOn w:val=\"TableNormal\"/>\
<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/>\
<w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"BBBBBB\"/></w:tblBorders>\
<w:tblCellMar><w:left w:w=\"80\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>";

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    fn bytes(docx: &[u8], name: &str) -> Vec<u8> {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
        let mut file = archive.by_name(name).unwrap();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        bytes
    }

    fn part(docx: &[u8], name: &str) -> String {
        String::from_utf8(bytes(docx, name)).unwrap()
    }

    fn properties() -> Properties<'static> {
        Properties {
            title: "Verslag",
            year: 2021,
            description: "gemaakt met oco-report",
        }
    }

    fn chart(id: &str) -> Chart {
        Chart {
            id: id.to_string(),
            appendix: "a".to_string(),
            table: id.to_string(),
            title: "Dossiers per band".to_string(),
            alt: "Grafiek: 20-25: 150 & \"meer\"".to_string(),
            svg: String::new(),
            png: vec![0x89, b'P', b'N', b'G'],
            width: 760,
            height: 400,
        }
    }

    const MARKDOWN: &str = "# Verslag 2021\n\n## Inhoud\n\n- [Een](#een)\n- [Twee](#twee)\n\n\
        ## Een\n\nTekst met *nadruk* & <b>html</b>.\n\n**Dossiers per stadsdeel**\n\n\
        | Stadsdeel | Aantal |\n|---|--:|\n| Noord | 1.414 |\n| **Totaal** | **3.836** |\n\n\
        *n = 3.836*\n\n![Grafiek: Dossiers](schoolweging.svg)\n\n## Twee\n\n**Tweede tabel**\n\n\
        | a | b |\n|---|--:|\n| x | 0,9 |\n";

    #[test]
    fn tables_captions_headings_and_images_are_native_word() {
        let docx = report(MARKDOWN, &[chart("schoolweging")], &properties()).unwrap();
        let document = part(&docx, "word/document.xml");
        assert_eq!(document.matches("<w:tbl>").count(), 2, "{document}");
        assert_eq!(document.matches("<w:tblHeader/>").count(), 2);
        assert_eq!(document.matches("<w:cantSplit/>").count(), 5);
        assert!(document.contains("<w:pStyle w:val=\"Heading1\"/>"));
        assert_eq!(
            document.matches("<w:pStyle w:val=\"Heading2\"/>").count(),
            2,
            "Inhoud is no heading of the document"
        );
        assert!(document.contains("<w:pStyle w:val=\"TOCHeading\"/>"));
        // The contents: Word's TOC field over the Heading2s, the entries as cached result.
        assert!(document.contains(
            "<w:instrText xml:space=\"preserve\"> TOC \\o \"2-2\" \\h \\z \\u </w:instrText>"
        ));
        assert_eq!(document.matches("<w:pStyle w:val=\"TOC2\"/>").count(), 2);
        assert_eq!(document.matches("w:fldCharType=\"begin\"").count(), 1);
        assert_eq!(document.matches("w:fldCharType=\"end\"").count(), 1);
        // Inhoud on the first page, each appendix after it on a new page.
        assert_eq!(document.matches("<w:pageBreakBefore/>").count(), 2);
        assert!(document.contains(
            "SEQ Tabel \\* ARABIC \"><w:r><w:t>2</w:t></w:r></w:fldSimple><w:r><w:t xml:space=\"preserve\">: Tweede tabel"
        ));
        assert!(document.contains(
            "SEQ Figuur \\* ARABIC \"><w:r><w:t>1</w:t></w:r></w:fldSimple><w:r><w:t xml:space=\"preserve\">: Dossiers per band"
        ));
        assert!(document.contains("descr=\"Grafiek: 20-25: 150 &amp; &quot;meer&quot;\""));
        assert!(document.contains(">1.414</w:t>"));
        assert!(document.contains(
            "<w:b/><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr><w:t xml:space=\"preserve\">3.836</w:t>"
        ));
        assert!(document.contains("<w:jc w:val=\"right\"/>"));
        assert!(
            document.contains(">&lt;b&gt;</w:t>") && document.contains(">&lt;/b&gt;</w:t>"),
            "raw HTML stays text"
        );
        assert!(document.contains("<w:pStyle w:val=\"Tabelnoot\"/>"));
        assert!(!document.contains("**"), "no markdown left: {document}");
        assert_eq!(bytes(&docx, "word/media/grafiek1.png").len(), 4);
        let styles = part(&docx, "word/styles.xml");
        assert!(styles.contains("w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/>"));
        assert!(styles.contains("<w:lang w:val=\"nl-NL\""));
        let footer = part(&docx, "word/footer1.xml");
        assert!(footer.contains("Pagina ") && footer.contains(" NUMPAGES "));
        let core = part(&docx, "docProps/core.xml");
        assert!(core.contains("<dc:description>gemaakt met oco-report</dc:description>"));
    }

    #[test]
    fn the_same_report_gives_the_same_bytes() {
        let one = report(MARKDOWN, &[chart("schoolweging")], &properties()).unwrap();
        let two = report(MARKDOWN, &[chart("schoolweging")], &properties()).unwrap();
        assert_eq!(one, two);
    }

    #[test]
    fn text_that_xml_cannot_hold_is_dropped() {
        assert_eq!(escape_text("a\u{1}b<&>"), "ab&lt;&amp;&gt;");
    }
}
