//! Criterion benches: request building vs a hand-written baseline, and bulk reprocessing
//! against the in-process emulator in every shape of `bench::SHAPES` (single requests and
//! `$batch`es of 20, one and eight in flight), so batched and single compare at the same
//! concurrency. The emulator adds no latency here; `license-bench` also measures with it.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use graphspec::Cloud;
use graphspec_license_bot::bench::{
    SHAPES, build_by_hand, build_with_graphspec, bulk_reprocess, emulator_and_client,
};
use graphspec_license_bot::list_user_ids;

fn request_building(c: &mut Criterion) {
    let base = Cloud::Global.v1();
    let root = Cloud::Global.root();
    let id = "047dd774-f1c4-40f2-82f0-278de79f9b83";
    let mut group = c.benchmark_group("build reprocessLicenseAssignment");
    group.bench_function("graphspec", |b| {
        b.iter(|| build_with_graphspec(black_box(&base), black_box(id)))
    });
    group.bench_function("format! + http::Request::builder()", |b| {
        b.iter(|| build_by_hand(black_box(root), black_box(id)))
    });
    group.finish();
}

fn bulk(c: &mut Criterion) {
    const USERS: usize = 1_000;
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let (emulator, client) =
        runtime.block_on(emulator_and_client(USERS, std::time::Duration::ZERO));
    let ids = runtime
        .block_on(list_user_ids(&client, 999))
        .expect("listing");
    let mut group = c.benchmark_group(format!("reprocess {USERS} users"));
    group.sample_size(10);
    for shape in SHAPES {
        group.bench_function(shape.name, |b| {
            b.to_async(&runtime)
                .iter(|| bulk_reprocess(&client, &ids, shape.options))
        });
    }
    group.finish();
    drop(emulator);
}

criterion_group!(benches, request_building, bulk);
criterion_main!(benches);
