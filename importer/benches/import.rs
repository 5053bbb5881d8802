//! The whole-corpus import, as `graphspec import` runs it: read the 1,492 resource pages
//! and 2,424 operation pages of `../shared/graph-docs/ru-RU/v1.0`, cross-check with
//! `permissions.json`, and render every generated file and the report. Measured side by
//! side with reading the files alone (the I/O floor), so the ratio shows what parsing
//! costs. Target: the whole import under 5 s on the project's 2-core machines.
//!
//! `cargo bench -p graphspec-importer --bench import`

use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use graphspec_importer::import;
use graphspec_importer::permissions_json::PermissionsData;
use graphspec_importer::read::read_dir;

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared")
}

fn read_all(dir: &Path) -> usize {
    let mut bytes = 0;
    for sub in ["resources", "api"] {
        for entry in std::fs::read_dir(dir.join(sub))
            .expect("docs folder")
            .flatten()
        {
            bytes += std::fs::read(entry.path()).map_or(0, |b| b.len());
        }
    }
    bytes
}

fn bench(c: &mut Criterion) {
    let docs = shared().join("graph-docs/ru-RU/v1.0");
    let permissions_text =
        std::fs::read_to_string(shared().join("graph-permissions/permissions.json"))
            .expect("permissions.json");
    let cargo_toml = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-defs/Cargo.toml"),
    )
    .expect("api-defs/Cargo.toml");

    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    group.bench_function("read files only", |b| b.iter(|| read_all(&docs)));
    group.bench_function("read + parse pages", |b| {
        b.iter(|| read_dir(&docs, &mut |_, _| {}).expect("read").len())
    });
    group.bench_function("whole import (read, parse, cross-check, render)", |b| {
        b.iter(|| {
            let pages = read_dir(&docs, &mut |_, _| {}).expect("read");
            let permissions = PermissionsData::from_json(&permissions_text).expect("json");
            let imported = import(pages, Some(&permissions), None, "graph-docs/ru-RU/v1.0");
            imported.files(&cargo_toml).expect("files").len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
