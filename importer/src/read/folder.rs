//! The file I/O of reading pages, in one place: which pages a path names
//! ([`page_files`]), and reading them with the resource pages beside them, in file-name
//! order, with names made unique over all of them ([`read_files`], [`read_dir`]).
//! `graphspec import`, `graphspec inspect` and the tests all read through here.
//!
//! A docs folder (`graph-docs/ru-RU/v1.0`) holds `api/*.md` (operation pages) and
//! `resources/*.md` (resource pages, which say which Graph type a link names). A page is
//! read with the resources of `<its folder>/../resources`, with the requests the other
//! operation pages of its folder document ([`RequestIndex`]: whose request a line with a
//! query string is), and by its whole path, so its API version follows its folder
//! ([`api_version_of`](super::api_version_of)). So a page reads the same whether it is
//! read alone or with its whole folder.

use std::collections::HashMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use super::{RequestIndex, ResourceIndex, assign_names, read_page};
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
/// `<its folder>/../resources` (read once per folder; none when there is no such
/// folder), the requests of the `*.md` pages of its own folder ([`RequestIndex`], read
/// once per folder) and by its whole path, calling `progress(done, total)` after each
/// page; names are made unique over all of them ([`assign_names`]).
pub fn read_files(
    files: &[PathBuf],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<PageResult>, ReadError> {
    let mut resource_indexes: HashMap<PathBuf, ResourceIndex> = HashMap::new();
    let mut folders: HashMap<PathBuf, Folder> = HashMap::new();
    let mut results = Vec::with_capacity(files.len());
    for (done, file) in files.iter().enumerate() {
        let folder = file.parent().map(Path::to_owned).unwrap_or_default();
        let resources_dir = folder
            .parent()
            .map(|up| up.join("resources"))
            .unwrap_or_default();
        if !resource_indexes.contains_key(&resources_dir) {
            let index = resource_index(&resources_dir)?;
            resource_indexes.insert(resources_dir.clone(), index);
        }
        if !folders.contains_key(&folder) {
            folders.insert(folder.clone(), Folder::read(&folder)?);
        }
        let pages = &folders[&folder];
        let text = match pages.texts.get(file) {
            Some(text) => text.clone(),
            None => read(file)?,
        };
        results.push(read_page(
            &file.to_string_lossy(),
            &text,
            &resource_indexes[&resources_dir],
            &pages.requests,
        ));
        progress(done + 1, files.len());
    }
    assign_names(&mut results);
    Ok(results)
}

/// The operation pages of one folder: their texts and the requests they document.
struct Folder {
    texts: HashMap<PathBuf, String>,
    requests: RequestIndex,
}

impl Folder {
    /// Reads the `*.md` pages of `dir`; an empty folder when `dir` is not a folder (a
    /// page given by a bare file name).
    fn read(dir: &Path) -> Result<Folder, ReadError> {
        let listed = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let mut texts = HashMap::new();
        let mut requests = RequestIndex::new();
        if listed.is_dir() {
            for path in md_files(listed)? {
                let text = read(&path)?;
                requests.insert_page(&path.to_string_lossy(), &text);
                // Keyed as the caller names the files (`dir` joined with the name).
                texts.insert(dir.join(path.file_name().unwrap_or_default()), text);
            }
        }
        Ok(Folder { texts, requests })
    }
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
