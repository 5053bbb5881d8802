//! Decoding one page of 1,000 users — the emulator's seeded tenant, as `GET /users`
//! answers it — into the typed models (`Collection<model::User>`) and, side by side in
//! the same run, into `serde_json::Value`, the untyped baseline.
//!
//! `scripts/decode-bench.sh` runs it and prints the medians and their ratio.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use graphspec::Collection;
use graphspec::model::User;
use graphspec_emulator::Tenant;

fn page() -> Vec<u8> {
    let tenant = Tenant::seed(1000);
    let page = serde_json::json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
        "value": tenant.users(),
    });
    serde_json::to_vec(&page).expect("a page serializes")
}

fn decode(c: &mut Criterion) {
    let bytes = page();
    // Both read the same bytes to the same information: check once before timing.
    let typed: Collection<User> = serde_json::from_slice(&bytes).expect("the page reads as users");
    assert_eq!(typed.value.len(), 1000);
    let mut group = c.benchmark_group("decode_1000_users");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("serde_json::Value", |b| {
        b.iter(|| {
            serde_json::from_slice::<serde_json::Value>(std::hint::black_box(&bytes)).unwrap()
        })
    });
    group.bench_function("Collection<model::User>", |b| {
        b.iter(|| serde_json::from_slice::<Collection<User>>(std::hint::black_box(&bytes)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
