//! Writing a rendered report all or nothing: the new report is made whole in a sibling folder,
//! the user's own files are carried into it, and the two folders are exchanged in one step.
//!
//! A reader, a crash, a kill or a full disk at any moment finds the output folder holding
//! either the previous report or the new one, never a mix (`tests/atomic_write.rs` kills a
//! build between every two of its file operations and looks).

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

/// Suffix of the sibling folder a build writes into, followed by its process id.
const TEMP_SUFFIX: &str = ".tmp-";

/// The one folder level a file name may have (`intern/datakwaliteit.md`).
const MAX_PARTS: usize = 2;

/// The most files and folders of the user's carried into a new report folder: a report
/// folder holds the report and some notes, not someone's home folder given as `--out`.
const MAX_CARRIED: usize = 10_000;

/// See [`crate::build::write`]; `step` is called before every operation on the file system
/// with what is about to happen, so that a test can stop the process there. `superseded`
/// names files an earlier build may have written that this one does not (`report.pdf` of a
/// build with `--pdf`): they are the report's, not the user's, and are not carried over, so
/// that no earlier build's figures stay beside the new.
pub fn write_superseding(
    files: &[(&str, &[u8])],
    superseded: &[&str],
    out_dir: &Path,
    step: &mut dyn FnMut(&str),
) -> Result<Vec<PathBuf>> {
    let names = check_names(files)?;
    let superseded: BTreeSet<&str> = superseded.iter().copied().collect();

    if std::fs::symlink_metadata(out_dir).is_ok() && !out_dir.is_dir() {
        bail!(
            "the output folder {} exists but is not a folder",
            out_dir.display()
        );
    }
    // An existing folder by its real path, so that `--out .` has a name and a link to a
    // folder gets its sibling beside the folder it points to.
    let resolved = std::fs::canonicalize(out_dir).unwrap_or_else(|_| out_dir.to_path_buf());
    let folder = resolved
        .file_name()
        .filter(|n| *n != "." && *n != "..")
        .with_context(|| format!("the output folder {} has no name", out_dir.display()))?
        .to_os_string();
    let parent = match resolved.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // The folder is replaced as a whole: a shell inside it would be left in a removed folder.
    let here = std::env::current_dir().and_then(std::fs::canonicalize);
    if out_dir.is_dir() && here.is_ok_and(|here| here.starts_with(&resolved)) {
        bail!(
            "the output folder {} is the current folder or holds it: the report folder is \
             replaced as a whole, which would leave you in a removed folder; give --out a \
             folder below it, such as out/2021 (nothing was changed)",
            out_dir.display()
        );
    }
    step("create the parent folder");
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create the folder {}", parent.display()))?;

    remove_stale_siblings(&parent, &folder, step);

    let mut temp_name = folder.clone();
    temp_name.push(format!("{TEMP_SUFFIX}{}", std::process::id()));
    let temp = TempFolder::create(parent.join(temp_name), step)?;
    let mut folders = BTreeSet::new();
    for (name, contents) in files {
        if let Some((sub, _)) = name.split_once('/')
            && folders.insert(sub)
        {
            step("create a subfolder");
            std::fs::create_dir(temp.path.join(sub))
                .with_context(|| format!("cannot create {}", temp.path.join(sub).display()))?;
        }
        let path = temp.path.join(name);
        step("write a file");
        write_synced(&path, contents)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }

    let written: Vec<PathBuf> = files.iter().map(|(name, _)| out_dir.join(name)).collect();
    let target = parent.join(&folder);
    if std::fs::symlink_metadata(&target).is_err() {
        sync_folders(&temp.path, &folders, step)?;
        step("rename the new folder into place");
        match std::fs::rename(&temp.path, &target) {
            Ok(()) => {
                temp.disarm();
                sync_folder(&parent);
                return Ok(written);
            }
            // Created meanwhile: exchanged below like any existing folder.
            Err(_) if target.is_dir() => {}
            Err(error) => {
                return Err(error).with_context(|| {
                    format!(
                        "cannot rename {} to {}",
                        temp.path.display(),
                        target.display()
                    )
                });
            }
        }
    }
    let mut left = MAX_CARRIED;
    carry_over(
        &target,
        &temp.path,
        Path::new(""),
        &names,
        &superseded,
        &mut left,
        step,
    )?;
    if let Ok(meta) = std::fs::metadata(&target) {
        let _ = std::fs::set_permissions(&temp.path, meta.permissions());
    }
    sync_folders(&temp.path, &folders, step)?;
    step("exchange the old and the new folder");
    exchange(&temp.path, &target).with_context(|| {
        format!(
            "cannot put {} in place of {}",
            temp.path.display(),
            target.display()
        )
    })?;
    sync_folder(&parent);
    // The temporary name now holds the previous report; dropping `temp` removes it. A build
    // killed before that leaves it, and the next build removes it (see
    // [`remove_stale_siblings`]).
    step("remove the previous report");
    drop(temp);
    Ok(written)
}

/// The names to write, checked: a plain file name or one folder level (`intern/NAME`), each
/// part a plain name; none twice, none both a file and a folder.
fn check_names<'a>(files: &[(&'a str, &[u8])]) -> Result<BTreeSet<&'a str>> {
    let mut names = BTreeSet::new();
    for (name, _) in files {
        let parts: Vec<&str> = name.split('/').collect();
        if parts.len() > MAX_PARTS || !parts.iter().all(|part| plain_file_name(part)) {
            bail!(
                "refusing to write {name:?}: not a plain file name \
                 (or one folder and a plain file name)"
            );
        }
        if !names.insert(*name) {
            bail!("refusing to write {name:?} twice");
        }
    }
    for name in &names {
        if let Some((folder, _)) = name.split_once('/')
            && names.contains(folder)
        {
            bail!("refusing to write {folder:?} both as a file and as a folder");
        }
    }
    Ok(names)
}

/// A plain file name: no folder separators, not `.` or `..`, not hidden, not empty.
fn plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name() == Some(std::ffi::OsStr::new(name))
}

/// Everything in the previous report folder that this build does not write (the user's notes
/// and drafts, also inside a subfolder of the report) is linked into the new folder, or copied
/// where the file system has no hard links. A folder where the report writes a file, or a file
/// where it needs a folder, stops the build before anything changed.
fn carry_over(
    old_root: &Path,
    new_root: &Path,
    relative: &Path,
    written: &BTreeSet<&str>,
    superseded: &BTreeSet<&str>,
    left: &mut usize,
    step: &mut dyn FnMut(&str),
) -> Result<()> {
    let old_dir = old_root.join(relative);
    let entries = std::fs::read_dir(&old_dir)
        .with_context(|| format!("cannot read the folder {}", old_dir.display()))?;
    let mut entries: Vec<_> = entries
        .collect::<std::io::Result<_>>()
        .with_context(|| format!("cannot read the folder {}", old_dir.display()))?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        *left = left.checked_sub(1).with_context(|| {
            format!(
                "the output folder {} holds more than {MAX_CARRIED} files and folders: is it \
                 the report's folder? Give --out a folder of its own (nothing was changed)",
                old_root.display()
            )
        })?;
        let rel = relative.join(entry.file_name());
        let key = rel.to_str();
        let from = entry.path();
        let to = new_root.join(&rel);
        let kind = entry
            .file_type()
            .with_context(|| format!("cannot read {}", from.display()))?;
        let is_written_file = key.is_some_and(|k| written.contains(k));
        let is_written_folder = key.is_some_and(|k| {
            written
                .iter()
                .any(|w| w.split_once('/').is_some_and(|(folder, _)| folder == k))
        });
        if kind.is_dir() {
            if is_written_file {
                bail!(
                    "cannot write {}: a folder of that name is in the way",
                    from.display()
                );
            }
            if !is_written_folder {
                step("create a folder of the user's");
                std::fs::create_dir(&to)
                    .with_context(|| format!("cannot create {}", to.display()))?;
            }
            carry_over(old_root, new_root, &rel, written, superseded, left, step)?;
            // After its contents: a folder the user made read-only stays so, and one kept
            // private (0700) does not become readable by others.
            if !is_written_folder && let Ok(meta) = entry.metadata() {
                let _ = std::fs::set_permissions(&to, meta.permissions());
            }
        } else if is_written_folder {
            bail!(
                "cannot write into {}: a file of that name is in the way",
                from.display()
            );
        } else if !is_written_file && !key.is_some_and(|k| superseded.contains(k)) {
            step("carry over a file of the user's");
            link_or_copy(&from, &to, kind.is_symlink()).with_context(|| {
                format!("cannot carry {} over into the new report", from.display())
            })?;
        }
    }
    Ok(())
}

fn link_or_copy(from: &Path, to: &Path, symlink: bool) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(_) if symlink => same_link(from, to),
        Err(_) => std::fs::copy(from, to).map(|_| ()),
    }
}

/// The symbolic link `from` made again as `to`, pointing where it points.
#[cfg(unix)]
fn same_link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(from)?, to)
}

/// Elsewhere (Windows lets only administrators and developer mode make links) a copy of what
/// the link points to.
#[cfg(not(unix))]
fn same_link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::copy(from, to).map(|_| ())
}

/// Removes the sibling folders of builds into the same folder whose process has ended: each
/// build holds a lock on its folder while it runs, and the system lets go of it when the
/// process ends, however it ends. What cannot be removed stays; it is in nobody's way.
fn remove_stale_siblings(parent: &Path, folder: &std::ffi::OsStr, step: &mut dyn FnMut(&str)) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let mut prefix = folder.to_os_string();
    prefix.push(TEMP_SUFFIX);
    let prefix = prefix.to_string_lossy().into_owned();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(prefix.as_str())) else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if !entry.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        let path = entry.path();
        let Ok(handle) = File::open(&path) else {
            continue;
        };
        if handle.try_lock().is_ok() {
            step("remove a folder a killed build left");
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// Swaps two folders in one step: `renameat2(RENAME_EXCHANGE)` on Linux. Elsewhere, or on a
/// file system without it, the old folder is moved aside and the new one renamed into place:
/// two steps, with a moment in between where the folder is missing (never a mixed one).
fn exchange(new: &Path, target: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt as _;
        let c = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes());
        let (from, to) = (c(new)?, c(target)?);
        // SAFETY: two NUL-terminated paths that live across the call; the system call reads
        // them and touches no other memory.
        let result = unsafe {
            libc::syscall(
                libc::SYS_renameat2,
                libc::AT_FDCWD,
                from.as_ptr(),
                libc::AT_FDCWD,
                to.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if result == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if !matches!(error.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(error);
        }
    }
    let mut aside = OsString::from(new.as_os_str());
    aside.push(".old");
    let aside = PathBuf::from(aside);
    std::fs::rename(target, &aside)?;
    if let Err(error) = std::fs::rename(new, target) {
        let _ = std::fs::rename(&aside, target);
        return Err(error);
    }
    // The old report under the temporary name, where the caller removes it.
    std::fs::rename(&aside, new)
}

/// Writes `contents` to a new file at `path` and syncs it to disk, so that no folder is put
/// in place with contents still in flight.
fn write_synced(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = File::create_new(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// The new folder's entries on disk before it is put in place.
fn sync_folders(root: &Path, folders: &BTreeSet<&str>, step: &mut dyn FnMut(&str)) -> Result<()> {
    step("sync the new folder");
    for folder in folders {
        sync_folder(&root.join(folder));
    }
    sync_folder(root);
    Ok(())
}

/// Syncs a folder's entries; a system that cannot sync folders loses only durability.
fn sync_folder(path: &Path) {
    if let Ok(dir) = File::open(path) {
        let _ = dir.sync_all();
    }
}

/// The sibling folder of [`write_observed`]: locked while this build runs, removed when
/// dropped unless renamed into place.
struct TempFolder {
    path: PathBuf,
    keep: bool,
    /// Held open for its lock; see [`remove_stale_siblings`].
    _lock: Option<File>,
}

impl TempFolder {
    fn create(path: PathBuf, step: &mut dyn FnMut(&str)) -> Result<TempFolder> {
        // A folder of this name is a leftover of an earlier run with the same process id.
        if std::fs::symlink_metadata(&path).is_ok() {
            step("remove a leftover of this process id");
            std::fs::remove_dir_all(&path)
                .with_context(|| format!("cannot remove the leftover {}", path.display()))?;
        }
        step("create the new folder");
        std::fs::create_dir(&path)
            .with_context(|| format!("cannot create the folder {}", path.display()))?;
        let lock = File::open(&path).ok().filter(|f| f.lock().is_ok());
        Ok(TempFolder {
            path,
            keep: false,
            _lock: lock,
        })
    }

    fn disarm(mut self) {
        self.keep = true;
    }
}

impl Drop for TempFolder {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_or_one_folder_deep() {
        let ok = |name: &str| check_names(&[(name, b"x".as_slice())]).is_ok();
        assert!(ok("report.md"));
        assert!(ok("intern/datakwaliteit.md"));
        for bad in [
            "../x.md",
            "intern/../x.md",
            "a/b/c.md",
            "/etc/x",
            "intern/",
            "intern/.x",
            ".x",
            "",
            "a\\b",
        ] {
            assert!(!ok(bad), "{bad:?}");
        }
        let both = [
            ("intern", b"x".as_slice()),
            ("intern/a.md", b"y".as_slice()),
        ];
        assert!(check_names(&both).is_err());
    }
}
