//! `build::write` is all or nothing: a build killed (SIGKILL, a real child process) between any
//! two of its file operations leaves the output folder holding the previous report or the new
//! one, never a mix; the user's own files survive either way; and the next build removes what
//! the killed one left.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use oco_report::build::{self, Rendered};

/// Set in the child process: the output folder, and the step to stop at.
const CHILD_OUT: &str = "OCO_TEST_WRITE_OUT";
const CHILD_STOP: &str = "OCO_TEST_WRITE_STOP_AT";

fn rendered(version: &str) -> Rendered {
    let text = |name: &str| (name.to_string(), format!("{name} van build {version}\n"));
    let mut files = vec![
        text("report.md"),
        text("stadsdelen.md"),
        text("figures.json"),
        text("intern/datakwaliteit.md"),
    ];
    if version == "oud" {
        files.push(text("alleen-oud.md"));
    }
    Rendered {
        appendices: Vec::new(),
        files,
        binaries: vec![(
            "tabellen.xlsx".to_string(),
            format!("werkboek {version}").into_bytes(),
        )],
    }
}

/// Not a test of its own: the child process. It writes the new report and, at the step it is
/// told, says so on standard output and waits to be killed.
#[test]
fn child_process_writing_the_new_report() {
    let (Ok(out), Ok(stop)) = (std::env::var(CHILD_OUT), std::env::var(CHILD_STOP)) else {
        return;
    };
    let stop: usize = stop.parse().unwrap();
    let mut count = 0;
    build::write_observed(&rendered("nieuw"), Path::new(&out), &mut |what| {
        if count == stop {
            println!("STOPPED {count} before: {what}");
            loop {
                std::thread::sleep(std::time::Duration::from_secs(60));
            }
        }
        count += 1;
    })
    .unwrap();
    println!("STEPS {count}");
}

/// Runs the child writing into `out`, killed before step `stop`; `Some(steps)` when it ran to
/// the end without stopping.
fn run_child(out: &Path, stop: usize) -> Option<usize> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_process_writing_the_new_report",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_OUT, out)
        .env(CHILD_STOP, stop.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    for line in stdout.lines() {
        let line = line.unwrap();
        // The harness may have written the test's name on the same line first.
        if line.contains("STOPPED ") {
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
            return None;
        }
        if let Some((_, steps)) = line.split_once("STEPS ") {
            assert!(child.wait().unwrap().success());
            return Some(steps.parse().unwrap());
        }
    }
    panic!("the child neither stopped nor finished: {:?}", child.wait());
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

fn siblings(out: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "2021")
        .collect();
    names.sort();
    names
}

/// The previous report with files of the user's, beside it and inside `intern/`.
fn previous_report(out: &Path) {
    build::write(&rendered("oud"), out).unwrap();
    std::fs::write(out.join("notities.txt"), "mijn aantekeningen\n").unwrap();
    std::fs::write(out.join("intern").join("eigen.md"), "eigen\n").unwrap();
    std::fs::create_dir(out.join("concept")).unwrap();
    std::fs::write(out.join("concept").join("brief.md"), "# Brief\n").unwrap();
}

#[test]
fn a_build_killed_between_any_two_file_operations_leaves_the_old_report_or_the_new() {
    let root = common::temp_dir("atomic-write", "kill");
    let out = root.join("2021");

    // The expected states: the previous report, or the new one with everything of the old
    // that the new build does not write carried over.
    previous_report(&out);
    let old = snapshot(&out);
    let mut new = old.clone();
    for (name, contents) in rendered("nieuw").files {
        new.insert(PathBuf::from(name), contents.into_bytes());
    }
    new.insert(PathBuf::from("tabellen.xlsx"), b"werkboek nieuw".to_vec());
    assert_ne!(old, new);

    let steps = run_child(&out, usize::MAX).expect("the child ran to the end");
    assert_eq!(snapshot(&out), new);
    assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));
    assert!(steps >= 10, "{steps} steps");

    let (mut saw_old, mut saw_new) = (0, 0);
    for stop in 0..steps {
        std::fs::remove_dir_all(&out).unwrap();
        previous_report(&out);
        assert_eq!(run_child(&out, stop), None, "stopped at step {stop}");
        let after_kill = snapshot(&out);
        if after_kill == old {
            saw_old += 1;
        } else if after_kill == new {
            saw_new += 1;
        } else {
            panic!(
                "killed before step {stop}: a mixed report {:?}",
                after_kill.keys()
            );
        }
        // The next build finishes the job and removes what the killed one left.
        build::write(&rendered("nieuw"), &out).unwrap();
        assert_eq!(snapshot(&out), new, "rebuild after a kill at step {stop}");
        assert!(
            siblings(&out).is_empty(),
            "left beside the report after a kill at step {stop}: {:?}",
            siblings(&out)
        );
    }
    assert!(saw_old > 0 && saw_new > 0, "old {saw_old}, new {saw_new}");
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn a_folder_in_the_way_stops_the_build_before_anything_changes() {
    let root = common::temp_dir("atomic-write", "in-the-way");
    let out = root.join("2021");
    previous_report(&out);
    std::fs::remove_file(out.join("figures.json")).unwrap();
    std::fs::create_dir(out.join("figures.json")).unwrap();
    let before = snapshot(&out);
    let error = build::write(&rendered("nieuw"), &out).unwrap_err();
    assert!(format!("{error:#}").contains("in the way"), "{error:#}");
    assert_eq!(snapshot(&out), before);
    assert!(out.join("figures.json").is_dir());
    assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));

    // A file where the report needs its folder `intern/`.
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("intern"), "een bestand\n").unwrap();
    let error = build::write(&rendered("nieuw"), &out).unwrap_err();
    assert!(format!("{error:#}").contains("in the way"), "{error:#}");
    assert_eq!(std::fs::read(out.join("intern")).unwrap(), b"een bestand\n");
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn a_live_builds_folder_is_left_alone_and_a_dead_ones_removed() {
    let root = common::temp_dir("atomic-write", "stale");
    let out = root.join("2021");
    // A build that died (no lock held) and one that runs (its folder locked).
    let dead = root.join("2021.tmp-999999999");
    std::fs::create_dir_all(dead.join("intern")).unwrap();
    std::fs::write(dead.join("report.md"), "half\n").unwrap();
    let live = root.join("2021.tmp-999999998");
    std::fs::create_dir(&live).unwrap();
    let lock = std::fs::File::open(&live).unwrap();
    lock.lock().unwrap();
    // Not ours: other names are never touched.
    std::fs::create_dir(root.join("2021.tmp-abc")).unwrap();
    std::fs::create_dir(root.join("2020.tmp-1")).unwrap();

    build::write(&rendered("nieuw"), &out).unwrap();
    assert!(!dead.exists(), "the dead build's folder is removed");
    assert!(live.exists(), "a running build's folder stays");
    assert!(root.join("2021.tmp-abc").exists() && root.join("2020.tmp-1").exists());
    drop(lock);
    std::fs::remove_dir_all(&root).ok();
}

#[cfg(unix)]
#[test]
fn the_users_folders_keep_their_permissions() {
    use std::os::unix::fs::PermissionsExt as _;
    let root = common::temp_dir("atomic-write", "permissions");
    let out = root.join("2021");
    previous_report(&out);
    let private = out.join("prive");
    std::fs::create_dir(&private).unwrap();
    std::fs::write(private.join("brief.md"), "geheim\n").unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o750)).unwrap();
    build::write(&rendered("nieuw"), &out).unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&private), 0o700);
    assert_eq!(mode(&out), 0o750);
    assert_eq!(
        std::fs::read(private.join("brief.md")).unwrap(),
        b"geheim\n"
    );
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn a_folder_with_more_files_of_its_own_than_a_report_folder_is_refused_unchanged() {
    let root = common::temp_dir("atomic-write", "too-many");
    let out = root.join("2021");
    previous_report(&out);
    let many = out.join("veel");
    std::fs::create_dir(&many).unwrap();
    for i in 0..10_000 {
        std::fs::write(many.join(format!("{i}.txt")), "").unwrap();
    }
    let before = snapshot(&out);
    let error = build::write(&rendered("nieuw"), &out).unwrap_err();
    assert!(
        format!("{error:#}").contains("holds more than 10000 files and folders"),
        "{error:#}"
    );
    assert_eq!(snapshot(&out), before);
    assert!(siblings(&out).is_empty(), "{:?}", siblings(&out));
    std::fs::remove_dir_all(&root).ok();
}

#[test]
fn a_pdf_or_internal_report_of_an_earlier_build_does_not_stay_beside_the_new_report() {
    let root = common::temp_dir("atomic-write", "superseded");
    let out = root.join("2021");
    // An earlier build with --pdf and --met-intern.
    let mut earlier = rendered("oud");
    for name in build::WRITTEN_BY_SOME_BUILDS {
        earlier
            .binaries
            .push((name.to_string(), b"van build oud".to_vec()));
    }
    build::write(&earlier, &out).unwrap();
    std::fs::write(out.join("notities.txt"), "mijn aantekeningen\n").unwrap();

    build::write(&rendered("nieuw"), &out).unwrap();
    for name in build::WRITTEN_BY_SOME_BUILDS {
        assert!(
            !out.join(name).exists(),
            "{name} of the earlier build stayed"
        );
    }
    assert_eq!(
        std::fs::read(out.join("notities.txt")).unwrap(),
        b"mijn aantekeningen\n"
    );
    assert_eq!(
        std::fs::read(out.join("report.md")).unwrap(),
        b"report.md van build nieuw\n"
    );
    std::fs::remove_dir_all(&root).ok();
}
