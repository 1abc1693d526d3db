//! The fast path for `dossiers.csv`: a CRM export of a million rows read on every core.
//!
//! The careful reader ([`super::read`]) reads row after row, decoding, checking and naming every
//! problem with its line and column. This path takes only files in which it will find none:
//! it gives up ([`Declined`], the rule and the line) at the first thing out of the ordinary,
//! and the careful reader then reads the whole file. What it takes:
//!
//! - UTF-8 (a UTF-8 byte order mark allowed) without NUL bytes; line ends LF or CRLF;
//! - the first line is the header, without quotes, separated by `,`, `;` or tab (the most
//!   frequent, as the careful reader decides); each contract column there at most once, the
//!   required ones all there; no renames of this file in `oco-report.toml`;
//! - every row on one line (no value spanning lines, every quote closed by the line end), as
//!   many cells as the header (blank lines skipped); every row text without control characters
//!   (but tab), U+0080-U+009F or U+FFFD, also outside the contract columns; the contract cells
//!   at most [`FAST_MAX_CELL`](super::super::csv::FAST_MAX_CELL) bytes, as for every fast path;
//! - no two configured themes the same but for case or spacing;
//! - every contract cell valid as the careful reader checks it, and every `dossier_id` once.
//!
//! It differs from the careful reader only in where rows come from and in stopping at the
//! first problem: every rule is the careful reader's own function (`parse_date`, `parse_int`,
//! `parse_bool`, `list_values`, `split_list`, `canonical_place`, `named_school`,
//! `herkomst_key`, `repeated_ids`, `Spellings`, `not_text_at`, `personal::shape`, the fast
//! paths' `fast_cell`, the header's `separator_of` and `matching_headers`), here with answers
//! remembered per value as written.
//! The file is split at line ends into one part per core; each part's lines are split at the
//! separator (lines with quotes by the csv parser the careful reader uses). Spellings that
//! depend on the order of the file (schooltype, vragen, diagnoses: the first spelling seen
//! wins) are settled afterwards, in file order. `tests/reader_agreement.rs` holds both readers
//! to the same dossiers.

use std::collections::{HashMap, HashSet};
use std::mem::MaybeUninit;
use std::path::Path;

use super::super::csv::{
    Spellings, fast_cell, list_values, matching_headers, not_text_at, once_each, parse_bool,
    parse_date, parse_int, plain_header_line, same_spelling, split_list,
};
use super::super::names::{SchoolIndex, SchoolLookup, named_school, normalize_brin};
use super::super::personal;
use super::{COLUMNS, compact, herkomst_key, repeated_ids};
use crate::config::{Config, canonical_place};
use crate::frames::{DossierColumns, DossierFrames, ITEM, SchoolPlaces, ValueColumns, renumber};
use crate::ingest::marks::Marks;
use crate::model::{CompactString, Dossier, School, SchoolMatch, ThemeSet};
use crate::parallel::{cores, on_threads};
use polars::prelude::{
    DataFrame, Int32Chunked, IntoColumn, PolarsError, PolarsResult, StringChunked, UInt32Chunked,
};

/// How the fast path splits a file among threads: parts of at least `bytes` (a smaller file
/// is one part), at most `most` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub bytes: usize,
    pub most: usize,
}

impl Split {
    /// Parts of at least 4 MiB, one per core.
    pub fn per_core() -> Split {
        Split {
            bytes: 1 << 22,
            most: cores(),
        }
    }

    /// Up to four parts of at least 64 bytes: the tests' small files are split too, so that
    /// joining parts is tested.
    pub fn small() -> Split {
        Split { bytes: 64, most: 4 }
    }
}

/// Where each contract column is (in [`COLUMNS`] order).
struct Layout {
    separator: u8,
    cells: usize,
    index: [Option<usize>; COLUMNS.len()],
}

const ID: usize = 0;
const DATUM: usize = 1;
const SECTOR: usize = 2;
const THEMAS: usize = 3;
const KANAAL: usize = 4;
const HERKOMST: usize = 5;
const BRIN: usize = 6;
const NAAM: usize = 7;
const CONTACT: usize = 8;
const PASSEND: usize = 9;
const SCHOOLTYPE: usize = 10;
const VRAGEN: usize = 11;
const DIAGNOSES: usize = 12;

/// Why the fast path left a file to the careful reader: the rule, and the line it applied to
/// where there is one. Never a cell's content: exports hold personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Declined {
    pub rule: &'static str,
    pub line: Option<usize>,
}

impl Declined {
    /// A rule about the whole file.
    fn file(rule: &'static str) -> Declined {
        Declined { rule, line: None }
    }

    fn at(rule: &'static str, line: usize) -> Declined {
        Declined {
            rule,
            line: Some(line),
        }
    }
}

/// What both ways of reading need before the parts are read: the mapped file, its layout, and
/// the parts.
struct Prepared {
    bytes: memmap2::Mmap,
    layout: Layout,
    /// Where the first row starts.
    start: usize,
    /// Each part: its stretch of the body (from the first row on), its first line, its line
    /// ends, and room for one row a line (and the last, without line end).
    parts: Vec<((usize, usize), usize, usize, usize)>,
}

impl Prepared {
    fn body(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    /// Every part read on a thread of its own into its `rows` (one for each part, in order),
    /// the pages behind each given back as it goes: the parts with their rows, or the first
    /// part's reason to leave the file to the careful reader.
    fn read_parts<R: Rows + Send>(
        &self,
        rows: Vec<R>,
        config: &Config,
        index: &Registry<'_>,
    ) -> Result<Vec<(Part, R)>, Declined> {
        let body = self.body();
        let work: Vec<_> = self
            .parts
            .iter()
            .zip(rows)
            .map(|(&((from, to), first_line, ends, _), rows)| {
                let behind = Behind::new(&self.bytes, self.start + from);
                (&body[from..to], first_line, ends, rows, behind)
            })
            .collect();
        let layout = &self.layout;
        on_threads(work, |(part, first_line, ends, mut rows, mut behind)| {
            let part = read_part(
                part,
                &mut rows,
                &mut behind,
                first_line,
                layout,
                config,
                index,
            )?;
            if part.lines != ends {
                return Err(Declined::at("lines miscounted", first_line));
            }
            Ok((part, rows))
        })
        .into_iter()
        .collect()
    }
}

fn prepare(path: &Path, config: &Config, parts: Split) -> Result<Prepared, Declined> {
    debug_assert_eq!(COLUMNS[DIAGNOSES].name, "diagnoses");
    let stem = path
        .file_stem()
        .ok_or(Declined::file("no file name"))?
        .to_string_lossy()
        .into_owned();
    if config.column_renames.contains_key(&stem) {
        return Err(Declined::file("the settings rename columns of this file"));
    }
    // Two configured themes that the careful reader's list merging would take for one
    // (`Zorg` and `zorg `): only it decides which of them a cell names.
    let themes = &config.themes;
    if (0..themes.len()).any(|i| themes[..i].iter().any(|t| same_spelling(t, &themes[i]))) {
        return Err(Declined::file(
            "two configured themes differ only in case or spacing",
        ));
    }
    let bytes = map(path).ok_or(Declined::file("empty, or cannot be mapped into memory"))?;
    let (layout, start) = header(&bytes)?;
    let body = &bytes[start..];
    // Every row sits on one line here, so the line of each part's first row is known before
    // it is read, and a part has room for one row a line (and the last, without line end).
    let header_lines = memchr::memchr_iter(b'\n', &bytes[..start]).count();
    let bounds = split(body, parts);
    let mut first_line = header_lines + 1;
    let mut prepared = Vec::with_capacity(bounds.len());
    for (from, to) in bounds {
        let ends = memchr::memchr_iter(b'\n', &body[from..to]).count();
        // A row holds a separator between every two cells and ends in a line end: no more
        // rows than that fits (blank lines, which are skipped, take no room).
        let room = (ends + 1).min((to - from) / layout.cells.max(1) + 1);
        prepared.push(((from, to), first_line, ends, room));
        first_line += ends;
    }
    Ok(Prepared {
        bytes,
        layout,
        start,
        parts: prepared,
    })
}

/// Where a part puts the dossiers it reads.
trait Rows {
    /// `None` when there is no room left (more rows than lines: not a file for this path).
    fn push(&mut self, dossier: Dossier) -> Option<()>;
}

/// The dossiers of the file, or why the careful reader is to read it.
pub fn read(
    path: &Path,
    config: &Config,
    scholen: &[School],
    parts: Split,
) -> Result<Vec<Dossier>, Declined> {
    let prepared = prepare(path, config, parts)?;
    let index = Registry::new(scholen);
    // One list for all rows, each part written by its own thread straight into its own stretch
    // of it: joining lists afterwards would copy half a million dossiers into fresh memory.
    let rooms: Vec<usize> = prepared.parts.iter().map(|p| p.3).collect();
    let mut dossiers: Vec<Dossier> = Vec::with_capacity(rooms.iter().sum());
    let mut free = dossiers.spare_capacity_mut();
    let mut filled = Vec::with_capacity(rooms.len());
    for &room in &rooms {
        let (room, rest) = free.split_at_mut(room);
        free = rest;
        filled.push(Filled::new(room));
    }
    let parts = prepared.read_parts(filled, config, &index);
    // On any `Err` (the first part's that has one) the rows already read are dropped with
    // their `Filled`.
    let parts: Vec<(Part, Filled<'_>)> = parts?;
    if parts.iter().all(|(_, filled)| filled.len == 0) {
        return Err(Declined::file("no rows"));
    }
    // The spellings as the careful reader settles them, reading the values in file order.
    let mut spellings = Spelled::new(config);
    for (part, _) in &parts {
        spellings.learn(part);
    }
    let filled: Vec<usize> = parts.into_iter().map(|(_, filled)| filled.keep()).collect();
    // SAFETY: part k wrote `filled[k]` dossiers at the start of its stretch, which began after
    // the stretches (of `rooms[j]` places) of the parts before it; each run is moved
    // down to follow the one before (`copy` allows overlap), so the first `total` places hold
    // dossiers, each once, and the list owns them from `set_len` on.
    let total: usize = filled.iter().sum();
    unsafe {
        let base = dossiers.as_mut_ptr();
        let (mut stretch, mut at) = (0, 0);
        for (k, &n) in filled.iter().enumerate() {
            if stretch != at {
                std::ptr::copy(base.add(stretch), base.add(at), n);
            }
            at += n;
            stretch += rooms[k];
        }
        dossiers.set_len(total);
    }
    drop(prepared);
    if let Some(&(_, line, _)) = repeated_ids(&dossiers, |d| (d.id.as_str(), d.line)).first() {
        return Err(Declined::at("a dossier_id given before", line));
    }
    if !spellings.as_written() {
        let chunk = dossiers.len().div_ceil(2).max(1);
        let chunks: Vec<&mut [Dossier]> = dossiers.chunks_mut(chunk).collect();
        on_threads(chunks, |chunk| {
            chunk.iter_mut().for_each(|d| spellings.apply(d))
        });
    }
    Ok(dossiers)
}

/// The dossiers of the file as their frames (see [`crate::frames::Frames`]), and how many
/// there are; or why the careful reader is to read it. The same dossiers as [`read`], but
/// never all in one list: each part puts its rows straight into frames of its own, which are
/// joined at the end. At a million dossiers the list would take some 200 MB more than the
/// frames, all of it alive while the frames are made.
pub fn read_frames(
    path: &Path,
    config: &Config,
    scholen: &[School],
    parts: Split,
) -> Result<(DossierFrames, usize), Declined> {
    let prepared = prepare(path, config, parts)?;
    let index = Registry::new(scholen);
    let places = SchoolPlaces::of(scholen);
    let framed = prepared
        .parts
        .iter()
        .map(|p| Framed::new(config, &places, p.3))
        .collect();
    let parts: Vec<(Part, Framed<'_>)> = prepared.read_parts(framed, config, &index)?;
    drop(prepared);
    let total: usize = parts.iter().map(|(_, framed)| framed.ids.len()).sum();
    if total == 0 {
        return Err(Declined::file("no rows"));
    }
    let mut spellings = Spelled::new(config);
    for (part, _) in &parts {
        spellings.learn(part);
    }
    let mut ids: Vec<(CompactString, usize)> = Vec::with_capacity(total);
    let mut work = Vec::with_capacity(parts.len());
    for (_, mut framed) in parts {
        let first_item = ids.len() as u32;
        ids.append(&mut framed.ids);
        work.push((first_item, framed.main, framed.values));
    }
    // Each part's frames finished on a core of its own (turning places into text columns).
    let finished = on_threads(work, |(first_item, main, values)| {
        let [themas, vragen, diagnoses] = values.finish(first_item)?;
        let (dossiers, open) = main.finish(first_item)?;
        Ok(DossierFrames {
            dossiers,
            themas,
            vragen,
            diagnoses,
            open,
        })
    });
    let unmade = |_: PolarsError| Declined::file("the frames could not be made");
    let frames: Vec<DossierFrames> = finished
        .into_iter()
        .collect::<PolarsResult<_>>()
        .map_err(unmade)?;
    if let Some(&(_, line, _)) = repeated_ids(&ids, |(id, line)| (id.as_str(), *line)).first() {
        return Err(Declined::at("a dossier_id given before", line));
    }
    drop(ids);
    let mut frames = DossierFrames::concat(frames).map_err(unmade)?;
    if !spellings.as_written() {
        spellings.apply_to_frames(&mut frames).map_err(unmade)?;
    }
    Ok((frames, total))
}

/// A part's rows as frames, and the dossier id and line of each (for the ids given twice).
struct Framed<'c> {
    main: DossierColumns<'c>,
    values: ValueColumns,
    ids: Vec<(CompactString, usize)>,
    room: usize,
}

impl<'c> Framed<'c> {
    fn new(config: &'c Config, places: &'c SchoolPlaces, room: usize) -> Framed<'c> {
        Framed {
            main: DossierColumns::new(config, places, room),
            values: ValueColumns::new(),
            ids: Vec::with_capacity(room),
            room,
        }
    }
}

impl Rows for Framed<'_> {
    fn push(&mut self, mut dossier: Dossier) -> Option<()> {
        if self.ids.len() == self.room {
            return None;
        }
        self.main.push(&dossier);
        self.values.push(&dossier);
        self.ids
            .push((std::mem::take(&mut dossier.id), dossier.line));
        Some(())
    }
}

/// A part's stretch of the list of dossiers, filled from its start. Until [`Filled::keep`],
/// the dossiers written are its own: dropping it drops them.
struct Filled<'s> {
    room: &'s mut [MaybeUninit<Dossier>],
    len: usize,
}

impl<'s> Filled<'s> {
    fn new(room: &'s mut [MaybeUninit<Dossier>]) -> Filled<'s> {
        Filled { room, len: 0 }
    }

    /// Hands the dossiers to the list (which takes them with `set_len`); how many there are.
    fn keep(mut self) -> usize {
        std::mem::replace(&mut self.len, 0)
    }
}

impl Rows for Filled<'_> {
    fn push(&mut self, dossier: Dossier) -> Option<()> {
        self.room.get_mut(self.len)?.write(dossier);
        self.len += 1;
        Some(())
    }
}

impl Drop for Filled<'_> {
    fn drop(&mut self) {
        for slot in &mut self.room[..self.len] {
            // SAFETY: the first `len` places were written by `push` and not handed on.
            unsafe { slot.assume_init_drop() };
        }
    }
}

/// The file's bytes, mapped into memory rather than read: a national export is hundreds of
/// megabytes, which a copy would have to allocate, fill and free again; a mapping takes the
/// pages the kernel already caches. Like ripgrep, this assumes the file is not truncated while
/// the build reads it (which would end the process with SIGBUS). `None` (the careful reader
/// reads it) for an empty file or anything that cannot be mapped.
fn map(path: &Path) -> Option<memmap2::Mmap> {
    let file = crate::ingest::regular::open(path).ok()?;
    // SAFETY: the mapping is read-only and private to this process; see above for a file
    // changed underneath.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    (!map.is_empty()).then_some(map)
}

/// The pages of the mapped file that a part has read, given back as it goes: they are not
/// read again (but on the way to an error, when they come back from the page cache), and
/// would otherwise stay resident until the file is unmapped, 1.5 GB at ten million dossiers.
/// The checks before the rows (NUL bytes, UTF-8, line ends) touch the whole part first, so
/// this does not lower what the mapping takes at its start; it keeps the mapping from being
/// resident beside the frames that grow as the rows are read.
struct Behind<'m> {
    map: &'m memmap2::Mmap,
    /// Where the part starts in the mapping.
    start: usize,
    /// How far into the part its pages have been given back.
    given_back: usize,
}

impl<'m> Behind<'m> {
    /// Pages are given back this many bytes at a time.
    const STEP: usize = 8 << 20;

    fn new(map: &'m memmap2::Mmap, start: usize) -> Behind<'m> {
        Behind {
            map,
            start,
            given_back: 0,
        }
    }

    /// The part has been read up to `at` (at most its length).
    fn reached(&mut self, at: usize) {
        if at < self.given_back + Self::STEP {
            return;
        }
        #[cfg(target_os = "linux")]
        {
            // Whole pages before `at` only: the page holding `at` is still to be read.
            // SAFETY: sysconf reads a constant of the system.
            let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) })
                .unwrap_or(4096)
                .max(1);
            let (from, to) = (self.start + self.given_back, self.start + at);
            let (from, to) = (from.next_multiple_of(page), to - to % page);
            if to > from {
                // SAFETY: the mapping is read-only and never written, so dropping its pages
                // changes no byte a slice of it reads: a page touched again is read back from
                // the file (which, as `map` says, is not changed while the build runs).
                // The range lies inside the mapping. A failure only leaves the pages resident.
                let _ = unsafe {
                    self.map.unchecked_advise_range(
                        memmap2::UncheckedAdvice::DontNeed,
                        from,
                        to - from,
                    )
                };
            }
        }
        // Elsewhere the pages stay until the file is unmapped.
        #[cfg(not(target_os = "linux"))]
        let _ = (self.map, self.start);
        self.given_back = at;
    }
}

/// One part of the file, read.
struct Part {
    /// Line ends in the part.
    lines: usize,
    /// Each value of schooltype, vragen and diagnoses once, as written, in order of first
    /// appearance.
    schooltypes: Vec<CompactString>,
    vragen: Vec<CompactString>,
    diagnoses: Vec<CompactString>,
}

/// The spelling of every value of schooltype, vragen and diagnoses as written.
struct Spelled<'c> {
    schooltypes: Answers<'c>,
    vragen: Answers<'c>,
    diagnoses: Answers<'c>,
}

/// [`Spellings`] and its answer for each value as written.
struct Answers<'c> {
    spellings: Spellings<'c>,
    answers: HashMap<CompactString, CompactString, FastHash>,
}

impl<'c> Answers<'c> {
    fn new(configured: &'c [String]) -> Answers<'c> {
        Answers {
            spellings: Spellings::new(configured),
            answers: HashMap::default(),
        }
    }

    /// Values in the order the careful reader meets them for the first time. [`Spellings`]
    /// keeps the first spelling of each value, so a value met again gets what it got the first
    /// time: asking for each value once, in this order, settles every answer.
    fn learn(&mut self, values: &[CompactString]) {
        for value in values {
            if !self.answers.contains_key(value) {
                let answer = self.spellings.spell(value).into();
                self.answers.insert(value.clone(), answer);
            }
        }
    }

    fn spell(&self, value: &str) -> CompactString {
        self.answers[value].clone()
    }

    /// As [`Spellings::spell_all`]: each spelling once, in order.
    fn spell_all(&self, values: &[CompactString]) -> Vec<CompactString> {
        once_each(values.iter().map(|value| self.spell(value)))
    }
}

impl<'c> Spelled<'c> {
    fn new(config: &'c Config) -> Spelled<'c> {
        Spelled {
            schooltypes: Answers::new(&config.schooltypes),
            vragen: Answers::new(&config.passend_vragen),
            diagnoses: Answers::new(&[]),
        }
    }

    /// The values of a part, after those of the parts before it.
    fn learn(&mut self, part: &Part) {
        self.schooltypes.learn(&part.schooltypes);
        self.vragen.learn(&part.vragen);
        self.diagnoses.learn(&part.diagnoses);
    }

    /// Whether every value is spelled as written (then [`Spelled::apply`] changes nothing).
    fn as_written(&self) -> bool {
        [&self.schooltypes, &self.vragen, &self.diagnoses]
            .iter()
            .all(|a| a.answers.iter().all(|(value, answer)| value == answer))
    }

    /// A dossier's values in their settled spelling (mostly as written: then left as they are).
    fn apply(&self, d: &mut Dossier) {
        if let Some(t) = &mut d.schooltype {
            let answer = &self.schooltypes.answers[t.as_str()];
            if answer != t {
                *t = answer.clone();
            }
        }
        for (values, answers) in [
            (&mut d.vragen, &self.vragen),
            (&mut d.diagnoses, &self.diagnoses),
        ] {
            let as_written = values.iter().all(|v| answers.answers[v.as_str()] == *v);
            // Values of a list differ as written (compared as spellings are): the same when
            // each is spelled as written.
            if !as_written {
                *values = answers.spell_all(values);
            }
        }
    }
}

impl Spelled<'_> {
    /// [`Spelled::apply`] to the dossiers as frames: schooltype in the list of the dossier
    /// frame's coded column, the questions and diagnoses in their frames, each spelling once
    /// per dossier.
    fn apply_to_frames(&self, frames: &mut DossierFrames) -> PolarsResult<()> {
        let [_, _, schooltypes] = &mut frames.open;
        let moved = schooltypes.respell(|t| self.schooltypes.spell(t).to_string());
        renumber(&mut frames.dossiers, "schooltype", &moved)?;
        for (frame, answers, name) in [
            (&mut frames.vragen, &self.vragen, "vraag"),
            (&mut frames.diagnoses, &self.diagnoses, "diagnose"),
        ] {
            let items = frame.column(ITEM)?.u32()?;
            let years = frame.column("schooljaar")?.i32()?;
            let values = frame.column(name)?.str()?;
            let (mut item, mut jaar, mut value) = (Vec::new(), Vec::new(), Vec::new());
            // A dossier's rows follow one another: its values from `run` on.
            let mut run = 0;
            for ((i, y), v) in items.iter().zip(years.iter()).zip(values.iter()) {
                let (Some(i), Some(y), Some(v)) = (i, y, v) else {
                    continue;
                };
                if item.last() != Some(&i) {
                    run = value.len();
                }
                let spelled = answers.spell(v);
                if !value[run..].contains(&spelled) {
                    item.push(i);
                    jaar.push(y);
                    value.push(spelled);
                }
            }
            let value: StringChunked = value.iter().map(|v| Some(v.as_str())).collect();
            *frame = DataFrame::new_infer_height(vec![
                UInt32Chunked::from_vec(ITEM.into(), item).into_column(),
                Int32Chunked::from_vec("schooljaar".into(), jaar).into_column(),
                value.with_name(name.into()).into_column(),
            ])?;
        }
        Ok(())
    }
}

/// The layout and where the first row starts.
fn header(bytes: &[u8]) -> Result<(Layout, usize), Declined> {
    let (text, separator, end) = plain_header_line(bytes).ok_or(Declined::at(
        "the header line is not plain (ASCII without quotes, control characters or `sep=`)",
        1,
    ))?;
    let headers: Vec<&str> = text.split(separator as char).collect();
    let mut index = [None; COLUMNS.len()];
    for (slot, column) in index.iter_mut().zip(COLUMNS) {
        *slot = match matching_headers(&headers, column.name)[..] {
            [] if column.required => return Err(Declined::at("a required column is missing", 1)),
            [] => None,
            [i] => Some(i),
            _ => return Err(Declined::at("a column is named twice in the header", 1)),
        };
    }
    let layout = Layout {
        separator,
        cells: headers.len(),
        index,
    };
    Ok((layout, end + 1))
}

/// The rows in parts as `parts` says, each starting on a new line.
fn split(body: &[u8], parts: Split) -> Vec<(usize, usize)> {
    let count = (body.len() / parts.bytes.max(1)).clamp(1, parts.most.max(1));
    let mut bounds = vec![0];
    for k in 1..count {
        let at = (body.len() * k / count).max(bounds[bounds.len() - 1]);
        match memchr::memchr(b'\n', &body[at..]) {
            Some(i) => bounds.push(at + i + 1),
            None => break,
        }
    }
    bounds.push(body.len());
    bounds.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The dossiers of one part, their lines counted from the part's start.
fn read_part<'a>(
    part: &[u8],
    rows: &mut impl Rows,
    behind: &mut Behind<'_>,
    first_line: usize,
    layout: &Layout,
    config: &Config,
    scholen: &Registry<'a>,
) -> Result<Part, Declined> {
    let line_at = |at: usize| first_line + memchr::memchr_iter(b'\n', &part[..at]).count();
    if let Some(at) = memchr::memchr(0, part) {
        return Err(Declined::at("a NUL byte", line_at(at)));
    }
    if let Err(error) = std::str::from_utf8(part) {
        return Err(Declined::at("not UTF-8", line_at(error.valid_up_to())));
    }
    // A CR only before an LF: the careful reader turns a lone one into a line end.
    if let Some(at) = memchr::memchr_iter(b'\r', part).find(|&i| part.get(i + 1) != Some(&b'\n')) {
        return Err(Declined::at("a CR without LF", line_at(at)));
    }
    let mut quoted = QuotedLine::new(layout.separator);
    let mut ranges: Vec<(usize, usize)> = Vec::with_capacity(layout.cells + 1);
    let (mut schooltypes, mut vragen, mut diagnoses) = (Vec::new(), Vec::new(), Vec::new());
    let mut seen: [HashSet<CompactString, FastHash>; 3] = Default::default();
    let mut seen_before = Seen::default();
    // Every row is one line here: line by line, a line without quotes split at the separator
    // (what the csv parser makes of it), one with quotes parsed by the csv parser. Separators,
    // line ends and quotes are found in one pass, sixteen bytes at a time.
    let mut marks = Marks::new(part, layout.separator);
    let mut lines = 0;
    let mut line_start = 0;
    while line_start < part.len() {
        ranges.clear();
        let (mut cell_start, mut has_quote, mut line_end) = (line_start, false, None);
        for at in marks.by_ref() {
            match part[at] {
                b'\n' => {
                    line_end = Some(at);
                    break;
                }
                b'"' => has_quote = true,
                _ => {
                    ranges.push((cell_start - line_start, at - line_start));
                    cell_start = at + 1;
                }
            }
        }
        let ended = line_end.is_some();
        let row_start = line_start;
        let row = &part[row_start..line_end.unwrap_or(part.len())];
        line_start += row.len() + 1;
        // The rows before this one: it is still to be parsed.
        behind.reached(row_start);
        let line = lines;
        lines += usize::from(ended);
        let content = row.strip_suffix(b"\r").unwrap_or(row);
        if content.is_empty() {
            continue; // a blank line, which csv skips
        }
        // Control characters anywhere in a row, also outside the contract columns, are for the
        // careful reader: it decides whether the file is binary data.
        let printable = printable_ascii(content);
        if !printable && not_text_at(content).is_some() {
            return Err(Declined::at(
                "a character that is no text (control character, U+0080-U+009F, U+FFFD)",
                first_line + line,
            ));
        }
        let text: &[u8] = if !has_quote {
            ranges.push((cell_start - row_start, content.len()));
            content
        } else {
            // A value spanning lines, or a quoted last line without line end: the careful
            // reader's.
            if !ended || memchr::memchr_iter(b'"', content).count() % 2 == 1 {
                return Err(Declined::at(
                    "a quote open at the line end",
                    first_line + line,
                ));
            }
            quoted.parse(content, &mut ranges).ok_or(Declined::at(
                "a line that is not one record",
                first_line + line,
            ))?
        };
        if ranges.len() != layout.cells {
            return Err(Declined::at(
                "another number of cells than the header has",
                first_line + line,
            ));
        }
        let record = Record {
            text,
            ranges: &ranges,
            printable,
        };
        let d = dossier(
            &record,
            first_line + line,
            layout,
            config,
            scholen,
            &mut seen_before,
        )
        .map_err(|rule| Declined::at(rule, first_line + line))?;
        // Values whose spelling depends on what came before, once each, in order.
        if let Some(t) = &d.schooltype
            && !seen[0].contains(t.as_str())
        {
            seen[0].insert(t.clone());
            schooltypes.push(t.clone());
        }
        for (k, (values, firsts)) in [(&d.vragen, &mut vragen), (&d.diagnoses, &mut diagnoses)]
            .into_iter()
            .enumerate()
        {
            for v in values {
                if !seen[1 + k].contains(v.as_str()) {
                    seen[1 + k].insert(v.clone());
                    firsts.push(v.clone());
                }
            }
        }
        rows.push(d)
            .ok_or(Declined::at("more rows than lines", first_line + line))?;
    }
    Ok(Part {
        lines,
        schooltypes,
        vragen,
        diagnoses,
    })
}

/// The cells of a row: where each lies in `text`.
struct Record<'t> {
    text: &'t [u8],
    ranges: &'t [(usize, usize)],
    /// Every byte of `text` printable ASCII (so is every cell).
    printable: bool,
}

impl<'t> Record<'t> {
    fn get(&self, i: usize) -> Option<&'t [u8]> {
        let &(start, end) = self.ranges.get(i)?;
        self.text.get(start..end)
    }
}

/// A line with quotes, parsed by the parser the careful reader's `csv` crate uses
/// (`csv_core`, with the same settings: the separator, quotes doubled inside quotes, no
/// trimming).
struct QuotedLine {
    parser: csv_core::Reader,
    text: Vec<u8>,
    ends: Vec<usize>,
}

impl QuotedLine {
    fn new(separator: u8) -> QuotedLine {
        QuotedLine {
            parser: csv_core::ReaderBuilder::new().delimiter(separator).build(),
            text: vec![0; 256],
            ends: vec![0; 32],
        }
    }

    /// The cells of `line` (without its line end): their text, and where each lies in it in
    /// `ranges`. `None` when the line is not one record.
    fn parse(&mut self, line: &[u8], ranges: &mut Vec<(usize, usize)>) -> Option<&[u8]> {
        use csv_core::ReadRecordResult::*;
        self.parser.reset();
        if self.text.len() < line.len() + 1 {
            self.text.resize(line.len() + 1, 0);
        }
        // The line, then its line end, which must end the record: in a value whose quote is
        // still open it would not, and the careful reader would read on into the next line.
        let (mut input, mut out, mut ends) = (line, 0, 0);
        let mut line_end_given = false;
        loop {
            let (result, read, written, ended) =
                self.parser
                    .read_record(input, &mut self.text[out..], &mut self.ends[ends..]);
            input = &input[read..];
            out += written;
            ends += ended;
            match result {
                InputEmpty if line_end_given => return None,
                InputEmpty => {
                    input = b"\n";
                    line_end_given = true;
                }
                OutputFull => {
                    let longer = self.text.len() * 2;
                    self.text.resize(longer, 0);
                }
                OutputEndsFull => {
                    let longer = self.ends.len() * 2;
                    self.ends.resize(longer, 0);
                }
                Record if line_end_given && input.is_empty() => break,
                Record | End => return None,
            }
        }
        ranges.clear();
        let mut start = 0;
        for &end in &self.ends[..ends] {
            ranges.push((start, end));
            start = end;
        }
        Some(&self.text[..out])
    }
}

/// A contract cell, trimmed as the careful reader trims it; `""` when the column is absent.
fn cell<'r>(record: &Record<'r>, layout: &Layout, column: usize) -> Result<&'r str, &'static str> {
    let Some(index) = layout.index[column] else {
        return Ok("");
    };
    let bytes = record.get(index).ok_or("a cell missing")?;
    if record.printable {
        // SAFETY: printable ASCII, every byte below 0x80: valid UTF-8.
        let text = unsafe { std::str::from_utf8_unchecked(bytes) };
        fast_cell(text, true)?;
        return Ok(text.trim());
    }
    // (The row is plain text: `read_part` sends any other to the careful reader.)
    let text = std::str::from_utf8(bytes).map_err(|_| "a cell split inside a character")?;
    fast_cell(text, false)?;
    Ok(text.trim())
}

/// Every byte printable ASCII (0x20-0x7E), eight at a time: the usual row, whose cells then
/// need no check of their own.
fn printable_ascii(bytes: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut odd = 0u64;
    for word in &mut words {
        let w = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // A byte below 0x20 (the high bit of w - 0x20 where w's is clear), or 0x7F and up
        // (0x7F + 1 or w's own high bit).
        odd |= (w.wrapping_sub(0x20 * ONES) & !w) | w.wrapping_add(ONES) | w;
    }
    odd & HIGH == 0 && words.remainder().iter().all(|&b| (0x20..0x7f).contains(&b))
}

/// What a part has worked out before and will meet again: exports list dossiers by date, and
/// name the same schools and categories over and over. Keys are [`CompactString`]s, kept
/// inside the table: a lookup reads no string elsewhere in memory.
#[derive(Default)]
struct Seen {
    /// The last `datum` cell and its date.
    date: Option<(String, chrono::NaiveDate)>,
    /// School names as written (trimmed), the registry school (brin) each names and how.
    names: HashMap<CompactString, Option<(CompactString, SchoolMatch)>, FastHash>,
    /// Sector, theme and channel cells as written (trimmed) and their configured spelling.
    sectors: Memo<Option<usize>>,
    themes: Memo<Option<usize>>,
    kanalen: Memo<Option<usize>>,
    /// Herkomst cells as written and lower-cased.
    herkomst: Memo<CompactString>,
}

/// Answers remembered per value as written. A category has a handful of spellings: they are
/// compared one by one, quicker than hashing; past [`Memo::FEW`] a hash table takes over.
struct Memo<V> {
    few: Vec<(CompactString, V)>,
    many: HashMap<CompactString, V, FastHash>,
}

impl<V> Default for Memo<V> {
    fn default() -> Memo<V> {
        Memo {
            few: Vec::new(),
            many: HashMap::default(),
        }
    }
}

impl<V: Clone> Memo<V> {
    const FEW: usize = 16;

    fn get_or(&mut self, value: &str, answer: impl FnOnce(&str) -> V) -> V {
        if let Some((_, v)) = self.few.iter().find(|(k, _)| k.as_str() == value) {
            return v.clone();
        }
        if let Some(v) = self.many.get(value) {
            return v.clone();
        }
        let v = answer(value);
        if self.few.len() < Self::FEW {
            self.few.push((value.into(), v.clone()));
        } else {
            self.many.insert(value.into(), v.clone());
        }
        v
    }
}

/// The dossier of a row, by the rules the careful reader applies, with schooltype, vragen and
/// diagnoses as written (their spellings are settled afterwards, see [`Spelled`]); for a row
/// with any problem, the rule it breaks.
fn dossier(
    record: &Record<'_>,
    line: usize,
    layout: &Layout,
    config: &Config,
    scholen: &Registry<'_>,
    seen: &mut Seen,
) -> Result<Dossier, &'static str> {
    let mut cells = [""; COLUMNS.len()];
    for (column, value) in cells.iter_mut().enumerate() {
        *value = cell(record, layout, column)?;
    }
    // Personal data in a contract cell: the careful reader refuses the row without showing it.
    // (Dates and categories are checked below: a date or a configured category is none.)
    let free = [
        ID, HERKOMST, BRIN, NAAM, CONTACT, SCHOOLTYPE, VRAGEN, DIAGNOSES,
    ];
    if free.iter().any(|&c| personal::shape(cells[c]).is_some()) {
        return Err("a contract cell that looks like personal data");
    }
    // (A blank row, which the careful reader skips, has no `dossier_id` and is refused below.)
    let text = |column: usize| Some(cells[column]).filter(|v| !v.is_empty());

    // As the careful reader's `category_places`, without its list: values it would merge
    // (same letters, other case) have the same configured place; values differing only in runs
    // of spaces are no configured spelling, and go to the careful reader.
    let mut themas = ThemeSet::default();
    for value in list_values(cells[THEMAS]) {
        let place = seen
            .themes
            .get_or(value, |v| canonical_place(&config.themes, v));
        themas.insert(place.ok_or("themas: a value not configured")?);
    }
    let contactmomenten = match text(CONTACT) {
        None => None,
        Some(value) => Some(
            parse_int(value)
                .filter(|n| *n >= 0)
                .ok_or("contactmomenten: not a whole number of at least 0")? as u32,
        ),
    };
    let named = named_school(
        cells[BRIN],
        cells[NAAM],
        &mut Lookup {
            registry: scholen,
            names: &mut seen.names,
        },
    );
    let datum = match &seen.date {
        Some((text, date)) if text == cells[DATUM] && !text.is_empty() => *date,
        _ => {
            let date = text(DATUM)
                .and_then(parse_date)
                .ok_or("datum: empty or not a date")?;
            seen.date = Some((cells[DATUM].to_string(), date));
            date
        }
    };
    let herkomst = text(HERKOMST).map(|h| seen.herkomst.get_or(h, herkomst_key));
    let passend = parse_bool(cells[PASSEND]).ok_or("passend_onderwijs: not yes or no")?;
    let sector = seen
        .sectors
        .get_or(cells[SECTOR], |v| canonical_place(&config.sectors, v))
        .ok_or("sector: not configured")?;
    let kanaal = seen
        .kanalen
        .get_or(cells[KANAAL], |v| canonical_place(&config.kanalen, v))
        .ok_or("kanaal: not configured")?;
    Ok(Dossier {
        line,
        id: text(ID).ok_or("dossier_id: empty")?.into(),
        datum,
        sector: sector as u32,
        themas,
        kanaal: kanaal as u32,
        herkomst,
        school: named.school,
        school_unmatched: named.unmatched,
        school_match: named.how,
        contactmomenten,
        passend,
        schooltype: text(SCHOOLTYPE).map(CompactString::from),
        vragen: compact(split_list(cells[VRAGEN])),
        diagnoses: compact(split_list(cells[DIAGNOSES])),
    })
}

/// The registry: [`SchoolIndex`], and its brins in a quicker table, keys and answers kept
/// inside it.
struct Registry<'a> {
    index: SchoolIndex<'a>,
    /// Normalised brin → the school's brin as the registry writes it.
    by_brin: HashMap<CompactString, CompactString, FastHash>,
}

impl<'a> Registry<'a> {
    fn new(schools: &'a [School]) -> Registry<'a> {
        let mut by_brin = HashMap::with_capacity_and_hasher(schools.len(), FastHash);
        for school in schools {
            by_brin
                .entry(normalize_brin(&school.brin).into())
                .or_insert_with(|| school.brin.as_str().into());
        }
        Registry {
            index: SchoolIndex::new(schools),
            by_brin,
        }
    }

    /// As [`SchoolIndex::by_brin`] (the school's brin), without a new string for a brin
    /// written in capitals.
    fn by_brin(&self, brin: &str) -> Option<&CompactString> {
        let trimmed = brin.trim();
        if trimmed.bytes().any(|b| b.is_ascii_lowercase()) {
            self.by_brin.get(normalize_brin(brin).as_str())
        } else {
            self.by_brin.get(trimmed)
        }
    }
}

/// The registry as the rule [`named_school`] asks it, through the quicker brin table and the
/// answers remembered per name as written.
struct Lookup<'r, 'a> {
    registry: &'r Registry<'a>,
    names: &'r mut HashMap<CompactString, Option<(CompactString, SchoolMatch)>, FastHash>,
}

impl SchoolLookup for Lookup<'_, '_> {
    fn brin_of(&mut self, brin: &str) -> Option<CompactString> {
        self.registry.by_brin(brin).cloned()
    }

    fn named(&mut self, naam: &str) -> Option<(CompactString, SchoolMatch)> {
        if let Some(found) = self.names.get(naam) {
            return found.clone();
        }
        let found = self.registry.index.brin_by_name(naam);
        self.names.insert(naam.into(), found.clone());
        found
    }
}

/// A quick hash for the sets of this reader (dossier ids, values as written): eight bytes at a
/// time, multiplied and mixed. Not resistant to crafted collisions, which a local export has no
/// reason to hold.
#[derive(Default, Clone, Copy)]
pub(super) struct FastHash;

impl std::hash::BuildHasher for FastHash {
    type Hasher = Mix;
    fn build_hasher(&self) -> Mix {
        Mix(0x243f_6a88_85a3_08d3)
    }
}

pub(super) struct Mix(u64);

impl std::hash::Hasher for Mix {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
            self.0 = (self.0 ^ word)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .rotate_left(29);
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        let word = u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59);
        self.0 = (self.0 ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    fn write_u8(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
    fn finish(&self) -> u64 {
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printable_ascii_is_every_byte_from_space_to_tilde() {
        let mut random = crate::ingest::csv::testing::random(99);
        let mut next = move || random(256) as u8;
        let edges = [0x00, 0x09, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0xc2, 0xff];
        for round in 0..20_000 {
            let len = round % 40;
            let bytes: Vec<u8> = (0..len)
                .map(|_| match next() % 4 {
                    0 => edges[next() as usize % edges.len()],
                    _ => 0x20 + next() % 0x5f,
                })
                .collect();
            let expected = bytes.iter().all(|&b| (0x20..=0x7e).contains(&b));
            assert_eq!(printable_ascii(&bytes), expected, "{bytes:?}");
        }
    }

    /// The resident size of the mapping that starts at `start`, from /proc/self/smaps.
    #[cfg(target_os = "linux")]
    fn resident_kb(start: *const u8) -> usize {
        let smaps = std::fs::read_to_string("/proc/self/smaps").expect("smaps");
        let head = format!("{:x}-", start as usize);
        let mut lines = smaps.lines().skip_while(|l| !l.starts_with(&head));
        assert!(lines.next().is_some(), "the mapping is listed");
        lines
            .find_map(|l| l.strip_prefix("Rss:"))
            .and_then(|kb| kb.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("its Rss")
    }

    /// The pages a part has read are given back (the mapping's resident size falls), and read
    /// again they hold the same bytes.
    #[cfg(target_os = "linux")]
    #[test]
    fn pages_behind_the_reader_are_given_back_and_read_back_the_same() {
        let dir = crate::ingest::csv::testing::temp_dir("behind");
        let path = dir.join("big.csv");
        let bytes: Vec<u8> = (0..(3 * Behind::STEP + 12345) as u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
            .collect();
        std::fs::write(&path, &bytes).expect("write");
        let map = map(&path).expect("mapped");
        let sum = |m: &[u8]| m.iter().map(|&b| u64::from(b)).sum::<u64>();
        let expected = sum(&bytes);
        assert_eq!(sum(&map), expected);
        let all = resident_kb(map.as_ptr());
        assert!(all * 1024 >= bytes.len() - 4096, "all resident: {all} kB");
        let start = 1000;
        let mut behind = Behind::new(&map, start);
        for at in (0..map.len() - start).step_by(4096) {
            behind.reached(at);
        }
        let after = resident_kb(map.as_ptr());
        assert!(
            after * 1024 < Behind::STEP + 8192 + start,
            "still resident: {after} kB of {all} kB"
        );
        assert_eq!(sum(&map), expected);
    }
}
