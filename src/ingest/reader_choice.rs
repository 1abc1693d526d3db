//! Which reader takes an export. Each large export has a fast path (bytes on every core) and
//! the careful reader (row by row, naming every problem); the fast path gives up at the first
//! thing out of the ordinary and the careful reader then reads the whole file, so the two
//! must agree on every rule. `OCO_READER=careful` turns the fast paths off, so that every test
//! suite can be run through either reader; `OCO_DEBUG=1` says on stderr why a fast path
//! declined a file.

/// The environment variable that chooses the reader.
pub const VARIABLE: &str = "OCO_READER";
/// The environment variable that turns on the debug log of the readers.
pub const DEBUG_VARIABLE: &str = "OCO_DEBUG";

/// Which reader the exports are read by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReaderChoice {
    /// The fast path where it takes the file, else the careful reader (the default).
    Fast,
    /// Only the careful reader.
    Careful,
}

impl ReaderChoice {
    /// The reader of this run: `OCO_READER`'s choice. (A wrong value is refused by the command
    /// line before any file is read, see [`check_environment`]; here it counts as the
    /// default.)
    pub fn of_this_run() -> Self {
        Self::from_env().unwrap_or(Self::Fast)
    }

    /// The choice `OCO_READER` makes; an error names the variable and what it may be.
    pub fn from_env() -> anyhow::Result<Self> {
        match std::env::var(VARIABLE) {
            Err(std::env::VarError::NotPresent) => Ok(Self::Fast),
            Ok(value) if value.is_empty() || value == "fast" => Ok(Self::Fast),
            Ok(value) if value == "careful" => Ok(Self::Careful),
            Ok(value) => anyhow::bail!(
                "{VARIABLE} is {value:?}: it must be `fast` or `careful` (or unset, which is \
                 `fast`)"
            ),
            Err(std::env::VarError::NotUnicode(_)) => {
                anyhow::bail!("{VARIABLE} must be `fast` or `careful` (or unset, which is `fast`)")
            }
        }
    }
}

/// Whether `OCO_DEBUG` asks for the readers' debug log: `1` does; unset, empty or `0` does
/// not (any other value is refused at start, see [`check_environment`]).
pub fn debugging() -> bool {
    std::env::var_os(DEBUG_VARIABLE).is_some_and(|v| v == "1")
}

/// Refuses a value of `OCO_READER` or `OCO_DEBUG` that is neither of its choices: misspelt,
/// it would otherwise leave the default in force, unnoticed (`OCO_DEBUG=0` or `=true` are
/// not to be guessed at).
pub fn check_environment() -> anyhow::Result<()> {
    ReaderChoice::from_env()?;
    match std::env::var_os(DEBUG_VARIABLE) {
        None => Ok(()),
        Some(value) if value.is_empty() || value == "0" || value == "1" => Ok(()),
        Some(value) => anyhow::bail!(
            "{DEBUG_VARIABLE} is {:?}: it must be `1` (the readers' debug log) or `0` (or \
             unset, which is `0`)",
            value.to_string_lossy()
        ),
    }
}

/// Notes on stderr, under `OCO_DEBUG`, why the fast path left `file` to the careful reader:
/// `line N: rule`, or the rule alone for one about the whole file, in the same form for every
/// export. The rule is a `'static` text of the program, never a cell's content: exports hold
/// personal data.
pub fn declined(file: &str, rule: &'static str, line: Option<usize>) {
    if !debugging() {
        return;
    }
    match line {
        Some(line) => {
            eprintln!("oco-report: debug: {file}: fast path declined: line {line}: {rule}")
        }
        None => eprintln!("oco-report: debug: {file}: fast path declined: {rule}"),
    }
}
