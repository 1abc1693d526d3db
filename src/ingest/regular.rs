//! Opening an input only when it is a regular file: a FIFO named like an export would make
//! every command wait for ever for a writer, a link to `/dev/zero` would be read until memory
//! runs out, and a folder cannot be read at all.

use std::fs::File;
use std::path::Path;

/// Why an input could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// There, but not a regular file: what it is instead (`a named pipe (FIFO)`).
    NotRegular(&'static str),
    Io(std::io::Error),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::NotRegular(what) => {
                write!(f, "is {what}, not a regular file: expected the file itself")
            }
            OpenError::Io(error) => write!(f, "{error}"),
        }
    }
}

/// Opens `path` for reading if it is a regular file (a link to one counts). Opened without
/// waiting, so that a FIFO put there between the look and the opening cannot block either;
/// what was opened is looked at again.
pub fn open(path: &Path) -> Result<File, OpenError> {
    let meta = std::fs::metadata(path).map_err(OpenError::Io)?;
    not_regular(&meta)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(OpenError::Io)?;
    not_regular(&file.metadata().map_err(OpenError::Io)?)?;
    Ok(file)
}

/// `Err` naming what the file is, when it is not a regular file.
fn not_regular(meta: &std::fs::Metadata) -> Result<(), OpenError> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(OpenError::NotRegular("a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if kind.is_fifo() {
            return Err(OpenError::NotRegular("a named pipe (FIFO)"));
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Err(OpenError::NotRegular("a device"));
        }
        if kind.is_socket() {
            return Err(OpenError::NotRegular("a socket"));
        }
    }
    Err(OpenError::NotRegular("not a file"))
}

/// The whole file, if it is a regular file of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, OpenError> {
    use std::io::Read as _;
    let file = open(path)?;
    let len = file.metadata().map_err(OpenError::Io)?.len();
    if len > limit {
        return Err(OpenError::Io(std::io::Error::other(format!(
            "the file is {len} bytes, more than the {limit} expected"
        ))));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(OpenError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(OpenError::Io(std::io::Error::other(format!(
            "the file grew beyond the {limit} bytes expected while it was read"
        ))));
    }
    Ok(bytes)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_a_device_and_a_folder_are_refused_at_once() {
        let dir = std::env::temp_dir().join(format!("oco-regular-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("map.csv")).unwrap();
        let fifo = dir.join("pijp.csv");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        std::os::unix::fs::symlink("/dev/zero", dir.join("nul.csv")).unwrap();
        std::fs::write(dir.join("gewoon.csv"), "a,b\n").unwrap();
        let what = |name: &str| match open(&dir.join(name)) {
            Err(OpenError::NotRegular(what)) => what,
            other => panic!("{name}: {other:?}"),
        };
        assert_eq!(what("pijp.csv"), "a named pipe (FIFO)");
        assert_eq!(what("nul.csv"), "a device");
        assert_eq!(what("map.csv"), "a folder");
        assert_eq!(read(&dir.join("gewoon.csv"), 100).unwrap(), b"a,b\n");
        assert!(read(&dir.join("gewoon.csv"), 3).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
