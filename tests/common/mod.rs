//! Helpers shared by the integration tests (`mod common;`): running the binary, temporary
//! folders, reading the text inside the output files, compressed ones included.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The count tables of the 2021 report: `explain` must trace each of them. A new count table
/// is traced too (the tests compare with `explain::table_ids()`, which the definitions make),
/// so this list stays as published; it catches a table that stops being explained.
pub const COUNT_TABLES_2021: [&str; 13] = [
    "stadsdelen",
    "schoolweging",
    "sectoren",
    "voorlichtingen-stadsdeel",
    "voorlichtingen-thema",
    "voorlichtingen-organisatie",
    "helpdesk-themas",
    "helpdesk-sectoren",
    "helpdesk-maand",
    "passend-schooltype",
    "passend-vragen",
    "passend-diagnoses",
    "kanalen",
];

/// Runs the `oco-report` binary with `args` in the project folder.
pub fn oco_report(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oco-report"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("oco-report runs")
}

/// The standard output of a run that succeeded; a failed run fails the test, showing its
/// standard error.
pub fn succeeded(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

/// A seeded stream of numbers below `n` (a linear congruential generator, its upper bits): the
/// same inputs on every run of a randomised test.
pub fn random(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    }
}

/// A fresh, empty folder `PREFIX-PID-NAME` in cargo's folder for integration-test files.
pub fn temp_dir(prefix: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

/// A header cell as the readers match it: lower case, spaces and underscores alike.
pub fn header_key(header: &str) -> String {
    header
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// A CSV export as (separator, header, rows): UTF-8 (with or without BOM) or Windows-1252,
/// `;` or `,`.
pub fn read_csv(path: &Path) -> (u8, Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned(),
    };
    let first = text.lines().next().unwrap_or("");
    let separator = if first.matches(';').count() > first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>());
    let header = records.next().unwrap();
    (separator, header, records.collect())
}

/// Writes rows as UTF-8 CSV, then `raw_tail` as it is.
pub fn write_csv(path: &Path, separator: u8, rows: &[Vec<String>], raw_tail: &str) {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        writer.write_record(row).unwrap();
    }
    let mut bytes = writer.into_inner().unwrap();
    bytes.extend_from_slice(raw_tail.as_bytes());
    std::fs::write(path, bytes).unwrap();
}

/// The text an output file holds, as (where, bytes): the file itself, and for a zip its
/// entries inflated, for a png its text chunks.
pub fn readable_parts(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut parts = vec![(name.to_string(), bytes.to_vec())];
    if bytes.starts_with(b"PK\x03\x04") {
        for (entry, text) in unpack::zip_entries(bytes).unwrap_or_else(|e| panic!("{name}: {e}")) {
            parts.push((format!("{name}/{entry}"), text));
        }
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        for (chunk, text) in unpack::png_texts(bytes).unwrap_or_else(|e| panic!("{name}: {e}")) {
            parts.push((format!("{name} {chunk} chunk"), text));
        }
    }
    parts
}

/// Just enough of zip, deflate (RFC 1951) and png to read the text inside an output file,
/// without a dependency. Every inflated zip entry is checked against its CRC-32 and size.
pub mod unpack {
    fn u16_at(b: &[u8], at: usize) -> Result<usize, String> {
        let s = b.get(at..at + 2).ok_or("truncated")?;
        Ok(u16::from_le_bytes([s[0], s[1]]) as usize)
    }

    fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
        let s = b.get(at..at + 4).ok_or("truncated")?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }

    /// (name, contents) of every entry, from the central directory.
    pub fn zip_entries(b: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
        let end = (0..=b.len().saturating_sub(22))
            .rev()
            .find(|&i| b[i..].starts_with(b"PK\x05\x06"))
            .ok_or("no end of central directory")?;
        let count = u16_at(b, end + 10)?;
        let mut at = u32_at(b, end + 16)? as usize;
        let mut entries = Vec::new();
        for _ in 0..count {
            if !b.get(at..).is_some_and(|r| r.starts_with(b"PK\x01\x02")) {
                return Err(format!("no central directory header at {at}"));
            }
            let method = u16_at(b, at + 10)?;
            let crc = u32_at(b, at + 16)?;
            let (packed, size) = (u32_at(b, at + 20)? as usize, u32_at(b, at + 24)? as usize);
            let (name_len, extra_len) = (u16_at(b, at + 28)?, u16_at(b, at + 30)?);
            let comment_len = u16_at(b, at + 32)?;
            let local = u32_at(b, at + 42)? as usize;
            let name = b.get(at + 46..at + 46 + name_len).ok_or("truncated name")?;
            let name = String::from_utf8_lossy(name).into_owned();
            let start = local + 30 + u16_at(b, local + 26)? + u16_at(b, local + 28)?;
            let data = b.get(start..start + packed).ok_or("truncated entry")?;
            let contents = match method {
                0 => data.to_vec(),
                8 => inflate(data).map_err(|e| format!("{name}: {e}"))?,
                other => return Err(format!("{name}: compression method {other}")),
            };
            if contents.len() != size || crc32(&contents) != crc {
                return Err(format!(
                    "{name}: inflated contents fail the size or CRC check"
                ));
            }
            entries.push((name, contents));
            at += 46 + name_len + extra_len + comment_len;
        }
        Ok(entries)
    }

    /// The text chunks (tEXt, zTXt, iTXt) of a png, keyword and text, inflated where needed.
    pub fn png_texts(b: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
        let mut out = Vec::new();
        let mut at = 8;
        while at + 8 <= b.len() {
            let len = u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]) as usize;
            let kind = String::from_utf8_lossy(&b[at + 4..at + 8]).into_owned();
            let data = b.get(at + 8..at + 8 + len).ok_or("truncated chunk")?;
            let text = match kind.as_str() {
                "tEXt" => Some(data.to_vec()),
                "zTXt" => {
                    let nul = data.iter().position(|&c| c == 0).ok_or("zTXt keyword")?;
                    let mut text = data[..nul].to_vec();
                    text.extend(inflate(data.get(nul + 4..).ok_or("zTXt")?)?);
                    Some(text)
                }
                "iTXt" => {
                    let nul = data.iter().position(|&c| c == 0).ok_or("iTXt keyword")?;
                    let compressed = data.get(nul + 1) == Some(&1);
                    let rest = data.get(nul + 3..).ok_or("iTXt")?;
                    // language tag and translated keyword, each ended by a NUL
                    let mut skip = 0;
                    for _ in 0..2 {
                        skip += rest[skip..].iter().position(|&c| c == 0).ok_or("iTXt")? + 1;
                    }
                    let mut text = data[..skip + nul + 3].to_vec();
                    let body = &rest[skip..];
                    text.extend(if compressed {
                        inflate(body.get(2..).ok_or("iTXt")?)?
                    } else {
                        body.to_vec()
                    });
                    Some(text)
                }
                _ => None,
            };
            if let Some(text) = text {
                out.push((kind, text));
            }
            at += 12 + len;
        }
        Ok(out)
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in data {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    struct Bits<'a> {
        data: &'a [u8],
        pos: usize,
        buf: u32,
        count: u32,
    }

    impl Bits<'_> {
        fn take(&mut self, n: u32) -> Result<u32, String> {
            while self.count < n {
                let byte = *self.data.get(self.pos).ok_or("deflate stream ends early")?;
                self.pos += 1;
                self.buf |= u32::from(byte) << self.count;
                self.count += 8;
            }
            let value = self.buf & ((1u32 << n) - 1);
            self.buf >>= n;
            self.count -= n;
            Ok(value)
        }
    }

    /// Canonical Huffman code: codes per length, symbols in code order.
    struct Huffman {
        count: [u16; 16],
        symbols: Vec<u16>,
    }

    impl Huffman {
        fn new(lengths: &[u8]) -> Huffman {
            let mut count = [0u16; 16];
            for &l in lengths {
                count[l as usize] += 1;
            }
            let mut offset = [0u16; 16];
            for len in 1..15 {
                offset[len + 1] = offset[len] + count[len];
            }
            let mut symbols = vec![0; lengths.len()];
            for (symbol, &l) in lengths.iter().enumerate() {
                if l != 0 {
                    symbols[offset[l as usize] as usize] = symbol as u16;
                    offset[l as usize] += 1;
                }
            }
            Huffman { count, symbols }
        }

        fn decode(&self, bits: &mut Bits) -> Result<u16, String> {
            let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
            for len in 1..16 {
                code |= bits.take(1)? as i32;
                let count = i32::from(self.count[len]);
                if code - first < count {
                    return Ok(self.symbols[(index + code - first) as usize]);
                }
                index += count;
                first = (first + count) << 1;
                code <<= 1;
            }
            Err("bad Huffman code".into())
        }
    }

    const LENGTH_BASE: [u16; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const LENGTH_EXTRA: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    const DIST_BASE: [u16; 30] = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
        2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ];
    const DIST_EXTRA: [u8; 30] = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
        13, 13,
    ];

    /// A raw deflate stream (RFC 1951), inflated.
    pub fn inflate(data: &[u8]) -> Result<Vec<u8>, String> {
        let mut bits = Bits {
            data,
            pos: 0,
            buf: 0,
            count: 0,
        };
        let mut out = Vec::new();
        loop {
            let last = bits.take(1)? == 1;
            match bits.take(2)? {
                0 => {
                    // stored: the rest of the current byte is padding
                    bits.buf = 0;
                    bits.count = 0;
                    let at = bits.pos;
                    let len = u16_at(data, at)?;
                    let block = data.get(at + 4..at + 4 + len).ok_or("stored block")?;
                    out.extend_from_slice(block);
                    bits.pos = at + 4 + len;
                }
                1 => {
                    let mut lengths = [0u8; 288];
                    lengths[..144].fill(8);
                    lengths[144..256].fill(9);
                    lengths[256..280].fill(7);
                    lengths[280..].fill(8);
                    let dist = Huffman::new(&[5; 30]);
                    codes(&mut bits, &mut out, &Huffman::new(&lengths), &dist)?;
                }
                2 => {
                    let nlen = bits.take(5)? as usize + 257;
                    let ndist = bits.take(5)? as usize + 1;
                    let ncode = bits.take(4)? as usize + 4;
                    const ORDER: [usize; 19] = [
                        16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
                    ];
                    let mut code_lengths = [0u8; 19];
                    for &i in &ORDER[..ncode] {
                        code_lengths[i] = bits.take(3)? as u8;
                    }
                    let code = Huffman::new(&code_lengths);
                    let mut lengths = vec![0u8; nlen + ndist];
                    let mut i = 0;
                    while i < lengths.len() {
                        let symbol = code.decode(&mut bits)?;
                        let (value, repeat) = match symbol {
                            0..=15 => (symbol as u8, 1),
                            16 if i > 0 => (lengths[i - 1], 3 + bits.take(2)? as usize),
                            17 => (0, 3 + bits.take(3)? as usize),
                            18 => (0, 11 + bits.take(7)? as usize),
                            _ => return Err("bad code lengths".into()),
                        };
                        let end = i + repeat;
                        lengths
                            .get_mut(i..end)
                            .ok_or("too many lengths")?
                            .fill(value);
                        i = end;
                    }
                    let literal = Huffman::new(&lengths[..nlen]);
                    let dist = Huffman::new(&lengths[nlen..]);
                    codes(&mut bits, &mut out, &literal, &dist)?;
                }
                _ => return Err("bad block type".into()),
            }
            if last {
                return Ok(out);
            }
        }
    }

    fn codes(
        bits: &mut Bits,
        out: &mut Vec<u8>,
        literal: &Huffman,
        dist: &Huffman,
    ) -> Result<(), String> {
        loop {
            let symbol = literal.decode(bits)? as usize;
            match symbol {
                0..=255 => out.push(symbol as u8),
                256 => return Ok(()),
                _ => {
                    let s = symbol - 257;
                    let base = *LENGTH_BASE.get(s).ok_or("bad length code")? as usize;
                    let len = base + bits.take(u32::from(LENGTH_EXTRA[s]))? as usize;
                    let d = dist.decode(bits)? as usize;
                    let base = *DIST_BASE.get(d).ok_or("bad distance code")? as usize;
                    let back = base + bits.take(u32::from(DIST_EXTRA[d]))? as usize;
                    if back > out.len() {
                        return Err("distance beyond the start".into());
                    }
                    for _ in 0..len {
                        out.push(out[out.len() - back]);
                    }
                }
            }
        }
    }
}
