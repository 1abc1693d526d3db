//! Reading only some of the exports: `oco-report table ID` reads and validates the files that
//! table is computed from, so a missing or broken export it does not use does not block it.

use std::path::Path;

use super::{
    DataSet, InputErrors, dossiers, folder_settings, leerlingen, pageviews, scholen, voorlichtingen,
};

/// Reads and validates the exports of `dir` named in `files` (their file names, such as
/// [`dossiers::FILE`]), with the settings of `dir/oco-report.toml`; the others stay empty.
/// Dossiers are matched against the registry only when `scholen.csv` is among `files`.
pub fn load_files(dir: &Path, files: &[&str]) -> Result<DataSet, InputErrors> {
    let config = folder_settings(dir)?;
    let wants = |file: &str| files.contains(&file);
    let mut errors = InputErrors::default();
    let mut data = DataSet::empty(config);
    if wants(scholen::FILE) {
        let read = scholen::read_file(&dir.join(scholen::FILE), &data.config);
        errors.extend(read.errors);
        data.scholen = read.rows;
    }
    if wants(dossiers::FILE) {
        let read = dossiers::read_file(&dir.join(dossiers::FILE), &data.config, &data.scholen);
        errors.extend(read.errors);
        data.dossiers = read.rows;
    }
    if wants(voorlichtingen::FILE) {
        let read = voorlichtingen::read_file(&dir.join(voorlichtingen::FILE), &data.config);
        errors.extend(read.errors);
        data.voorlichtingen = read.rows;
    }
    if wants(pageviews::FILE) {
        match pageviews::read_summed(&dir.join(pageviews::FILE), &data.config) {
            Ok(mut summed) => {
                errors.extend(std::mem::take(&mut summed.errors));
                data.pageviews = summed.days;
            }
            Err(read_errors) => errors.extend(read_errors),
        }
    }
    if wants(leerlingen::STADSDEEL_FILE) {
        let path = dir.join(leerlingen::STADSDEEL_FILE);
        let read = leerlingen::read_stadsdeel_file(&path, &data.config);
        errors.extend(read.errors);
        data.leerlingen_stadsdeel = read.rows;
    }
    if wants(leerlingen::SECTOR_FILE) {
        let read = leerlingen::read_sector_file(&dir.join(leerlingen::SECTOR_FILE), &data.config);
        errors.extend(read.errors);
        data.leerlingen_sector = read.rows;
    }
    errors.or_ok(data)
}
