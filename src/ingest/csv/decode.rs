//! Bytes to text: reading the file, refusing what is not CSV text (workbooks, documents,
//! binary data), detecting the encoding (UTF-8, UTF-8 or UTF-16 with a byte order mark,
//! Windows-1252), line ends, and the "not text" test both readers apply.

use std::path::Path;

use encoding_rs::{Encoding, WINDOWS_1252};

use crate::ingest::error::InputError;

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

pub(super) fn read_bytes(path: &Path, file: &str) -> Result<Vec<u8>, InputError> {
    use crate::ingest::regular::{self, OpenError};
    regular::read(path, u64::MAX).map_err(|error| match error {
        OpenError::Io(error) if error.kind() == std::io::ErrorKind::NotFound => {
            let dir = path
                .parent()
                .map(|d| d.display().to_string())
                .unwrap_or_default();
            InputError::not_found(file, if dir.is_empty() { "." } else { &dir })
        }
        OpenError::Io(error) => InputError::unreadable(file, &error),
        not_regular => InputError::unusable(file, not_regular.to_string()),
    })
}

/// How a file's bytes became text, for the words of a problem with a character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Decoded {
    /// UTF-8 throughout (or UTF-16 with a byte order mark).
    Text,
    /// UTF-8 with some bytes that are not; each became U+FFFD.
    MixedUtf8,
    /// Windows-1252: any byte decodes, the five it leaves undefined to control characters.
    Windows1252,
}

impl Decoded {
    /// What is wrong with a cell holding `c` (see [`first_not_text`]).
    pub(super) fn not_text(self, c: char) -> String {
        let expected = "expected text in UTF-8 or Windows-1252";
        match (c, self) {
            ('\0', _) => format!("holds a NUL byte: {expected}, not binary data"),
            ('\u{fffd}', Decoded::MixedUtf8) => format!(
                "holds bytes that are not UTF-8 while the rest of the file is UTF-8: {expected}, \
                 one encoding for the whole file"
            ),
            ('\u{fffd}', _) => format!(
                "holds U+FFFD (\u{fffd}), the mark of characters lost in an earlier conversion: \
                 {expected}, with the original characters"
            ),
            ('\u{81}' | '\u{8d}' | '\u{8f}' | '\u{90}' | '\u{9d}', Decoded::Windows1252) => {
                format!(
                    "holds the byte 0x{:02X}, which is neither UTF-8 nor Windows-1252 text: {expected} \
                 (was the file saved in another encoding?)",
                    c as u32
                )
            }
            _ => format!(
                "holds the control character U+{:04X}, which is not text: {expected}",
                c as u32
            ),
        }
    }
}

/// The first character that is no text: a control character other than tab and line ends,
/// or U+FFFD standing in for bytes that could not be decoded. Looks at the UTF-8 bytes, which
/// is fast enough to run over every cell.
pub(super) fn first_not_text(value: &str) -> Option<char> {
    let at = not_text_at(value.as_bytes())?;
    value.get(at..)?.chars().next()
}

/// Where in UTF-8 `bytes` the first character that is no text starts (see `first_not_text`).
pub fn not_text_at(bytes: &[u8]) -> Option<usize> {
    bytes.iter().enumerate().position(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | 0x7f => true,
        // U+0080 to U+009F
        0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..0xa0).contains(n)),
        // U+FFFD
        0xef => bytes.get(i + 1..i + 3) == Some(&[0xbf, 0xbd]),
        _ => false,
    })
}

fn is_not_text(c: char) -> bool {
    matches!(c, '\0'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{fffd}')
}

/// Files that are something else than CSV text, by their first bytes.
const NOT_CSV: &[(&[u8], &str)] = &[
    (
        b"PK\x03\x04",
        "an Excel workbook (zip); save it from Excel as CSV",
    ),
    (
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        "an Excel 97-2003 workbook; save it from Excel as CSV",
    ),
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
];

/// UTF-8 (BOM stripped), UTF-16 with BOM, else Windows-1252, which decodes any byte. A file
/// that is mostly UTF-8 but holds a few bytes that are not stays UTF-8 (those bytes become
/// U+FFFD and the rows holding them an error), so one stray byte does not turn every accent of
/// the file into two wrong characters. Binary files, workbooks and web pages are refused.
pub(super) fn decode(file: &str, mut bytes: Vec<u8>) -> Result<(String, Decoded), InputError> {
    let not_csv =
        |what: &str| InputError::unusable(file, format!("expected a CSV text file, found {what}"));
    if let Some((_, what)) = NOT_CSV.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(not_csv(what));
    }
    let (text, decoded) = match Encoding::for_bom(&bytes) {
        Some((encoding, bom)) if encoding == encoding_rs::UTF_8 => {
            bytes.drain(..bom);
            utf8_or_windows_1252(bytes)
        }
        Some((encoding, bom)) => (
            decode_with_bom(file, encoding, &bytes[bom..])?,
            Decoded::Text,
        ),
        None => utf8_or_windows_1252(bytes),
    };
    let start = text
        .trim_start()
        .get(..16)
        .unwrap_or(text.trim_start())
        .to_ascii_lowercase();
    if ["<!doctype", "<html", "<?xml", "<table"]
        .iter()
        .any(|tag| start.starts_with(tag))
    {
        return Err(not_csv(
            "HTML or XML (a web page, or a spreadsheet saved as XML?)",
        ));
    }
    if looks_binary(&text) {
        return Err(not_csv(
            "binary data (NUL bytes and control characters): save the export as CSV text",
        ));
    }
    Ok((text, decoded))
}

fn utf8_or_windows_1252(bytes: Vec<u8>) -> (String, Decoded) {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return (text, Decoded::Text),
        Err(error) => error.into_bytes(),
    };
    let (multibyte, invalid) = utf8_tally(&bytes);
    if multibyte > invalid {
        (
            String::from_utf8_lossy(&bytes).into_owned(),
            Decoded::MixedUtf8,
        )
    } else {
        let text = WINDOWS_1252
            .decode_without_bom_handling(&bytes)
            .0
            .into_owned();
        (text, Decoded::Windows1252)
    }
}

/// Valid multi-byte UTF-8 characters, and bytes that are not UTF-8.
fn utf8_tally(mut bytes: &[u8]) -> (usize, usize) {
    let leads = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xC0).count();
    let (mut multibyte, mut invalid) = (0, 0);
    loop {
        match std::str::from_utf8(bytes) {
            Ok(valid) => return (multibyte + leads(valid.as_bytes()), invalid),
            Err(error) => {
                let (valid, rest) = bytes.split_at(error.valid_up_to());
                multibyte += leads(valid);
                let bad = error.error_len().unwrap_or(rest.len());
                invalid += bad;
                bytes = &rest[bad..];
            }
        }
    }
}

/// Text that is largely control characters is binary data, not a CSV export; a few of them
/// are problems of the rows holding them.
fn looks_binary(text: &str) -> bool {
    if first_not_text(text).is_none() {
        return false;
    }
    let (mut bad, mut all) = (0usize, 0usize);
    for c in text.chars() {
        all += 1;
        bad += usize::from(is_not_text(c) && c != '\u{fffd}');
    }
    bad * 10 >= all || (bad >= 16 && bad * 100 >= all)
}

fn decode_with_bom(
    file: &str,
    encoding: &'static Encoding,
    bytes: &[u8],
) -> Result<String, InputError> {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    if had_errors {
        let message = format!(
            "the file starts with a {} byte order mark but is not valid {0}",
            encoding.name()
        );
        return Err(InputError::unusable(file, message));
    }
    Ok(text.into_owned())
}

/// Old Mac exports end lines with a bare CR, which the csv parser would not count as lines.
pub(super) fn normalize_line_ends(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{self, *};
    use crate::config::Config;

    #[test]
    fn windows_1252_with_semicolons() {
        let path = file(
            "w.csv",
            b"naam;datum\r\nCaf\xe9 de Kroon;15-03-2021\r\n".as_slice(),
        );
        assert_eq!(
            read_ok(&path),
            vec![(2, "Café de Kroon".to_string(), "2021-03-15".to_string())]
        );
    }

    #[test]
    fn utf8_with_bom() {
        let path = file("b.csv", "\u{feff}naam,datum\nRivièra,2021-03-15\n");
        assert_eq!(read_ok(&path)[0].1, "Rivièra");
    }

    #[test]
    fn missing_file_names_the_folder() {
        let dir = testing::temp_dir("nofile");
        let (_, errors) = read(&dir.join("dossiers.csv"), &Config::default());
        assert_eq!(
            errors.to_string(),
            format!("dossiers.csv: file not found in {}", dir.display())
        );
    }

    #[test]
    fn excel_workbook_and_binary_are_refused() {
        let (_, errors) = read(
            &file("x.csv", b"PK\x03\x04rest".as_slice()),
            &Config::default(),
        );
        assert!(errors.to_string().contains("Excel workbook"), "{errors}");
        let (_, errors) = read(
            &file("n.csv", b"naam,datum\n\0\0".as_slice()),
            &Config::default(),
        );
        assert!(errors.to_string().contains("binary"), "{errors}");
    }

    #[test]
    fn utf16_excel_unicode_text_is_decoded() {
        let text = "naam\tdatum\r\nRivièra\t15-03-2021\r\n";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(read_ok(&file("t.csv", bytes))[0].1, "Rivièra");
    }

    #[test]
    fn mostly_utf8_stays_utf8_and_stray_bytes_are_row_problems() {
        let path = file(
            "m.csv",
            b"naam,datum\nRivi\xc3\xa8ra,2021-03-15\nCaf\xe9,2021-03-16\nCr\xc3\xa8me,2021-03-17\n"
                .as_slice(),
        );
        let (rows, errors) = read(&path, &Config::default());
        assert_eq!(rows[0].1, "Rivièra");
        assert_eq!(rows[1].1, "Crème");
        assert_eq!(errors.len(), 1);
        assert!(
            errors.0[0]
                .to_string()
                .starts_with("m.csv:3: column naam: holds bytes that are not UTF-8 while the rest"),
            "{errors}"
        );
        // Mostly Windows-1252: decoded as such, a byte it leaves undefined is a problem.
        let bad = problems(b"naam,datum\nCaf\xe9,2021-03-15\nDi\x81,2021-03-16\n".as_slice());
        assert_eq!(bad.len(), 1);
        assert!(
            bad[0].starts_with("t.csv:3: column naam: holds the byte 0x81, which is neither UTF-8 nor Windows-1252 text"),
            "{bad:?}"
        );
        assert!(problems("naam,datum\nbel\u{7},2021-03-15\n")[0].contains("U+0007"));
    }

    #[test]
    fn binary_files_and_documents_are_unusable() {
        for (bytes, found) in [
            (b"%PDF-1.4\n".as_slice(), "a PDF document"),
            (
                b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".as_slice(),
                "an Excel 97-2003 workbook",
            ),
            (b"\n  <!DOCTYPE html><html>".as_slice(), "HTML or XML"),
            (
                b"naam,datum\n\x01\x02\x03\x04\x05\x06".as_slice(),
                "binary data",
            ),
        ] {
            let (_, errors) = read(&file("b.csv", bytes), &Config::default());
            assert_eq!(errors.len(), 1);
            assert!(errors.0[0].is_unusable());
            assert!(errors.0[0].message.contains(found), "{errors}");
        }
        let (_, errors) = read(&testing::temp_dir("gone").join("x.csv"), &Config::default());
        assert!(errors.0[0].is_unusable());
        let (_, errors) = read(&file("e.csv", ""), &Config::default());
        assert!(!errors.0[0].is_unusable());
    }
}
