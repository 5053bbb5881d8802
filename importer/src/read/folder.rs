//! The file I/O of reading pages, in one place: which pages a path names
//! ([`page_files`]), and reading them with the resource pages beside them, in file-name
//! order, with names made unique over all of them ([`read_files`], [`read_dir`]).
//! `graphspec import`, `graphspec inspect` and the tests all read through here.
//!
//! A docs folder (`graph-docs/ru-RU/v1.0`) holds `api/*.md` (operation pages) and
//! `resources/*.md` (resource pages, which say which Graph type a link names). A page is
//! read with the resources of `<its folder>/../resources`, and by its whole path, so its
//! API version follows its folder ([`api_version_of`](super::api_version_of)).

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::{ResourceIndex, assign_names, read_page};
use crate::page::PageResult;

/// A file or folder that could not be read.
#[derive(Debug)]
pub struct ReadError {
    /// The file or folder.
    pub path: PathBuf,
    /// What went wrong.
    pub source: io::Error,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot read {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// The operation pages `path` names, sorted by name: the file itself; or, for a folder,
/// its `api/*.md` when it has an `api` folder, else its own `*.md`.
pub fn page_files(path: &Path) -> Result<Vec<PathBuf>, ReadError> {
    if path.is_file() {
        return Ok(vec![path.to_owned()]);
    }
    let api = path.join("api");
    md_files(if api.is_dir() { &api } else { path })
}

/// Reads a docs folder: every `<dir>/api/*.md` page in file-name order, with the
/// resource pages of `<dir>/resources/`, calling `progress(done, total)` after each page;
/// names are made unique over the folder ([`assign_names`]).
pub fn read_dir(
    dir: &Path,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<PageResult>, ReadError> {
    read_files(&md_files(&dir.join("api"))?, progress)
}

/// Reads operation pages in the order given, each with the resource pages of
/// `<its folder>/../resources` (read once per folder; none when there is no such folder)
/// and by its whole path, calling `progress(done, total)` after each page; names are
/// made unique over all of them ([`assign_names`]).
pub fn read_files(
    files: &[PathBuf],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<PageResult>, ReadError> {
    let mut indexes: HashMap<PathBuf, ResourceIndex> = HashMap::new();
    let mut results = Vec::with_capacity(files.len());
    for (done, file) in files.iter().enumerate() {
        let resources_dir = file
            .parent()
            .and_then(Path::parent)
            .map(|folder| folder.join("resources"))
            .unwrap_or_default();
        if !indexes.contains_key(&resources_dir) {
            let index = resource_index(&resources_dir)?;
            indexes.insert(resources_dir.clone(), index);
        }
        let text = read(file)?;
        results.push(read_page(
            &file.to_string_lossy(),
            &text,
            &indexes[&resources_dir],
        ));
        progress(done + 1, files.len());
    }
    assign_names(&mut results);
    Ok(results)
}

/// The index of the resource pages `dir/*.md`; empty when `dir` is not a folder.
fn resource_index(dir: &Path) -> Result<ResourceIndex, ReadError> {
    if !dir.is_dir() {
        return Ok(ResourceIndex::new());
    }
    let mut pages = Vec::new();
    for path in md_files(dir)? {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        pages.push((name, read(&path)?));
    }
    Ok(ResourceIndex::from_pages(pages))
}

/// The `*.md` files of a folder, sorted by name.
fn md_files(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| ReadError {
        path: dir.to_owned(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    Ok(files)
}

fn read(path: &Path) -> Result<String, ReadError> {
    std::fs::read_to_string(path).map_err(|source| ReadError {
        path: path.to_owned(),
        source,
    })
}
