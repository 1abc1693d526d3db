//! `report.pdf`: `report.html` printed by headless Chromium.
//!
//! The HTML carries the print layout itself (see [`crate::render::html`]): A4, "Pagina N van
//! M" in a CSS `@page` margin box (Chromium 131 and later), every appendix on a new page, a
//! table with its caption kept on one page when it fits, its header row repeated when it
//! must split. Chromium is told to print no header or footer of its own (no date, no
//! `file://` path). Chosen over Typst as a library, which would add some hundreds of crates
//! to the build for a second layout of the same report; Chromium is one Debian package and
//! prints the HTML the reader already has.
//!
//! The HTML is written into a private temporary folder (with Chromium's profile), printed
//! there, and the PDF read back; the folder is removed afterwards, also after an error.
//! Chromium's dates in the PDF are replaced by 1 August of the report year, so that two
//! builds give the same bytes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

/// The environment variable that names the browser to print with, when it is not on the PATH
/// as one of [`BROWSERS`].
pub const ENGINE_VARIABLE: &str = "OCO_REPORT_CHROMIUM";

/// The names of Chromium looked for on the PATH, in this order.
pub const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// How long printing may take before it is given up.
const TIMEOUT: Duration = Duration::from_secs(180);

/// What `build --pdf` says when no browser is found.
pub const HOW_TO_INSTALL: &str = "report.pdf is printed by Chromium, which was not found: \
    install it (Debian and Ubuntu: `sudo apt-get install chromium`; elsewhere Chromium or \
    Google Chrome 131 or later) or name the program in OCO_REPORT_CHROMIUM. Everything but \
    the PDF is built without it: leave out --pdf.";

/// The browser that prints.
#[derive(Debug, Clone)]
pub struct Engine {
    program: PathBuf,
}

impl Engine {
    /// The browser of [`ENGINE_VARIABLE`], else the first of [`BROWSERS`] on the PATH.
    pub fn find() -> Result<Engine> {
        if let Some(program) = std::env::var_os(ENGINE_VARIABLE).filter(|p| !p.is_empty()) {
            let program = PathBuf::from(program);
            if let Some(found) = executable(&program) {
                return Ok(Engine { program: found });
            }
            bail!(
                "{ENGINE_VARIABLE} names {}, which is not a program that can be run. {HOW_TO_INSTALL}",
                program.display()
            );
        }
        BROWSERS
            .iter()
            .find_map(|name| executable(Path::new(name)))
            .map(|program| Engine { program })
            .ok_or_else(|| anyhow::anyhow!(HOW_TO_INSTALL))
    }

    /// The program that prints.
    pub fn program(&self) -> &Path {
        &self.program
    }

    /// The report `html` printed to PDF, with the page of every appendix in the table of
    /// contents: printed once to learn on which page each heading lands, then again with
    /// those page numbers (and once more should that have moved a heading).
    pub fn print_report(&self, html: &str, year: i32) -> Result<Vec<u8>> {
        let mut pdf = self.print(html, year)?;
        let mut pages = anchor_pages(&pdf);
        for _ in 0..2 {
            if pages.is_empty() {
                break;
            }
            let numbered = crate::render::html::with_contents_pages(html, &pages);
            pdf = self.print(&numbered, year)?;
            let printed = anchor_pages(&pdf);
            if printed == pages {
                break;
            }
            pages = printed;
        }
        Ok(pdf)
    }

    /// `html` printed to PDF; the PDF's dates set to 1 August of `year`.
    pub fn print(&self, html: &str, year: i32) -> Result<Vec<u8>> {
        let folder = PrivateFolder::create()?;
        let page = folder.path.join("report.html");
        std::fs::write(&page, html).with_context(|| format!("writing {}", page.display()))?;
        let profile = folder.path.join("profiel");
        std::fs::create_dir(&profile)?;
        let output = folder.path.join("report.pdf");
        let mut command = Command::new(&self.program);
        command
            .arg("--headless")
            .arg("--disable-gpu")
            .arg("--no-first-run")
            .arg("--disable-background-networking")
            .arg("--disable-component-update")
            .arg("--disable-sync")
            .arg("--disable-extensions")
            .arg("--no-pdf-header-footer")
            .arg("--generate-pdf-document-outline")
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--print-to-pdf={}", output.display()));
        // Chromium refuses to run as root inside its sandbox.
        if running_as_root() {
            command.arg("--no-sandbox");
        }
        command
            .arg(file_url(&page))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        let mut child = command
            .spawn()
            .with_context(|| format!("starting {}", self.program.display()))?;
        let stderr = child.stderr.take();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut stderr) = stderr {
                use std::io::Read as _;
                let _ = stderr.read_to_string(&mut text);
            }
            text
        });
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if started.elapsed() > TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                bail!(
                    "{} did not finish printing within {} seconds",
                    self.program.display(),
                    TIMEOUT.as_secs()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let messages = reader.join().unwrap_or_default();
        let pdf = std::fs::read(&output)
            .ok()
            .filter(|b| b.starts_with(b"%PDF"));
        match pdf {
            Some(mut pdf) if status.success() => {
                fix_dates(&mut pdf, year);
                Ok(pdf)
            }
            _ => {
                let tail: Vec<&str> = messages.lines().rev().take(5).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                bail!(
                    "{} printed no PDF ({status}): {}",
                    self.program.display(),
                    tail.join(" | ")
                )
            }
        }
    }
}

/// The page (from 1) each named destination of `pdf` points to: Chromium names every element
/// with an `id` that a link points to (the headings the table of contents links to) in the
/// catalog's `/Dests` dictionary, `/anchor [PAGE 0 R /XYZ …]`. Empty when the PDF is not laid
/// out as Chromium writes it.
pub fn anchor_pages(pdf: &[u8]) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    let Some(catalog) = find(pdf, b"/Type /Catalog") else {
        return found;
    };
    let catalog = &pdf[catalog..];
    let (Some(dests), Some(root)) = (
        reference_after(catalog, b"/Dests "),
        reference_after(catalog, b"/Pages "),
    ) else {
        return found;
    };
    let mut pages = Vec::new();
    collect_pages(pdf, root, &mut pages, 0);
    let Some(dictionary) = object(pdf, dests) else {
        return found;
    };
    for entry in dictionary.split(|&b| b == b'/').skip(1) {
        // `name [12 0 R /XYZ 0 841 0]`: the entry's name, then the page's object number.
        let Some(space) = entry.iter().position(|&b| b == b' ' || b == b'[') else {
            continue;
        };
        let (name, rest) = entry.split_at(space);
        let Some(open) = rest.iter().position(|&b| b == b'[') else {
            continue;
        };
        let number: String = rest[open + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| b as char)
            .collect();
        let Ok(number) = number.parse::<u32>() else {
            continue;
        };
        if let Some(index) = pages.iter().position(|&p| p == number) {
            found.insert(pdf_name(name), index + 1);
        }
    }
    found
}

/// The object number of the reference `N 0 R` after `key` in `text`.
fn reference_after(text: &[u8], key: &[u8]) -> Option<u32> {
    let at = find(text, key)? + key.len();
    let digits: String = text[at..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .map(|&b| b as char)
        .collect();
    digits.parse().ok()
}

/// The dictionary of object `number`, from `<<` to its `endobj`.
fn object(pdf: &[u8], number: u32) -> Option<&[u8]> {
    let header = format!("\n{number} 0 obj");
    let start = find(pdf, header.as_bytes())? + header.len();
    let end = find(&pdf[start..], b"endobj")?;
    Some(&pdf[start..start + end])
}

/// The page objects under the page-tree node `number`, in order.
fn collect_pages(pdf: &[u8], number: u32, pages: &mut Vec<u32>, depth: usize) {
    let Some(node) = object(pdf, number) else {
        return;
    };
    if depth > 32 {
        return;
    }
    match find(node, b"/Kids [") {
        Some(at) if find(node, b"/Type /Pages").is_some() => {
            let start = at + b"/Kids [".len();
            let end = node[start..].iter().position(|&b| b == b']').unwrap_or(0);
            let kids = String::from_utf8_lossy(&node[start..start + end]).to_string();
            let numbers: Vec<u32> = kids
                .split(" R")
                .filter_map(|r| r.split_whitespace().next()?.parse().ok())
                .collect();
            for kid in numbers {
                collect_pages(pdf, kid, pages, depth + 1);
            }
        }
        _ => pages.push(number),
    }
}

/// A PDF name as text: `#xx` is the byte xx.
fn pdf_name(raw: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'#' && i + 2 < raw.len() {
            if let Ok(byte) = u8::from_str_radix(&String::from_utf8_lossy(&raw[i + 1..i + 3]), 16) {
                bytes.push(byte);
                i += 3;
                continue;
            }
        }
        bytes.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&bytes).to_string()
}

/// `program` if it can be run: a path to an executable file, or a name found on the PATH.
fn executable(program: &Path) -> Option<PathBuf> {
    if program.components().count() > 1 {
        return is_executable(program).then(|| program.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    let Ok(metadata) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        metadata.is_file() && metadata.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        metadata.is_file()
    }
}

fn running_as_root() -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: geteuid has no preconditions and touches no memory of ours.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// A `file://` URL for an absolute path, bytes outside the unreserved set percent-encoded.
fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for byte in path.to_string_lossy().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            url.push(byte as char);
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

/// Chromium writes the time of printing as `/CreationDate (D:20261203124500+00'00')` and
/// `/ModDate (…)`: each becomes 1 August of `year`, written over the same number of bytes
/// so that the PDF's cross-reference offsets stay right.
fn fix_dates(pdf: &mut [u8], year: i32) {
    for key in [&b"/CreationDate ("[..], &b"/ModDate ("[..]] {
        let mut from = 0;
        while let Some(at) = find(&pdf[from..], key) {
            let start = from + at + key.len();
            let end = pdf[start..]
                .iter()
                .position(|&b| b == b')')
                .map_or(pdf.len(), |e| start + e);
            let old = &pdf[start..end];
            if old.starts_with(b"D:") && old.len() >= 16 {
                let fixed = format!("D:{:04}0801000000", year.clamp(0, 9999));
                let mut replacement = fixed.into_bytes();
                // The time zone (`+00'00'` or `Z`) after the digits stays as it was.
                replacement.extend_from_slice(&old[16..]);
                pdf[start..end].copy_from_slice(&replacement);
            }
            from = end;
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A new folder only this user can read, removed when dropped.
struct PrivateFolder {
    path: PathBuf,
}

impl PrivateFolder {
    fn create() -> Result<PrivateFolder> {
        let base = std::env::temp_dir();
        let pid = std::process::id();
        for n in 0..1000 {
            let path = base.join(format!("oco-report-pdf-{pid}-{n}"));
            // Readable by this user only. Elsewhere (Windows) the temporary folder is in the
            // user's own profile, whose permissions a new folder inherits.
            #[cfg_attr(not(unix), allow(unused_mut))]
            let mut builder = std::fs::DirBuilder::new();
            #[cfg(unix)]
            {
                use std::os::unix::fs::DirBuilderExt as _;
                builder.mode(0o700);
            }
            match builder.create(&path) {
                Ok(()) => return Ok(PrivateFolder { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => {
                    return Err(e).with_context(|| format!("cannot create {}", path.display()));
                }
            }
        }
        bail!("cannot create a temporary folder in {}", base.display())
    }
}

impl Drop for PrivateFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_fixed_in_place() {
        let mut pdf =
            b"<< /CreationDate (D:20261203124500+00'00') /ModDate (D:20261203124501+00'00') >>"
                .to_vec();
        let len = pdf.len();
        fix_dates(&mut pdf, 2021);
        assert_eq!(pdf.len(), len);
        assert_eq!(
            String::from_utf8(pdf).unwrap(),
            "<< /CreationDate (D:20210801000000+00'00') /ModDate (D:20210801000000+00'00') >>"
        );
    }

    #[test]
    fn named_destinations_give_the_page_of_each_heading() {
        let pdf = b"%PDF-1.4\n1 0 obj\n<</Type /Page>>\nendobj\n2 0 obj\n<</Type /Page>>\nendobj\n\
            3 0 obj\n<</Type /Page>>\nendobj\n4 0 obj\n<</Type /Pages\n/Count 2\n/Kids [2 0 R 1 0 R]\n/Parent 5 0 R>>\nendobj\n\
            5 0 obj\n<</Type /Pages\n/Count 3\n/Kids [4 0 R 3 0 R]>>\nendobj\n\
            6 0 obj\n<</inhoud [2 0 R /XYZ 0 808.1 0]\n/bijlage--websitebezoek [1 0 R /XYZ 0 841.9 0]\n/caf#C3#A9 [3 0 R /XYZ 0 841.9 0]>>\nendobj\n\
            7 0 obj\n<</Type /Catalog\n/Pages 5 0 R\n/Dests 6 0 R>>\nendobj\n";
        let pages = anchor_pages(pdf);
        assert_eq!(pages.get("inhoud"), Some(&1));
        assert_eq!(pages.get("bijlage--websitebezoek"), Some(&2));
        assert_eq!(pages.get("café"), Some(&3));
        assert!(anchor_pages(b"%PDF-1.4 nothing").is_empty());
    }

    #[test]
    fn file_urls_are_encoded() {
        assert_eq!(
            file_url(Path::new("/tmp/a b/r%.html")),
            "file:///tmp/a%20b/r%25.html"
        );
    }

    #[test]
    fn a_missing_engine_says_what_to_install() {
        let message = HOW_TO_INSTALL;
        assert!(message.contains("apt-get install chromium"));
        assert!(message.contains(ENGINE_VARIABLE));
    }
}
