//! Throughput of the code generator: definitions parsed + validated + emitted per second.
//!
//! Input: the hand-written definitions of `api-defs/src/{user,group,subscribedsku}.rs`
//! (the real seed operations), so the numbers describe the definitions users ship.
//! Three stages are measured side by side so their ratios show where time goes:
//! `parse`, `parse+validate`, and `parse+validate+emit` (the whole proc macro).
//!
//! `cargo bench -p graphspec-codegen`

use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use proc_macro2::TokenStream;

/// The token streams of every `endpoint!` call in the api-defs sources.
fn definitions() -> (Vec<TokenStream>, u64) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api-defs/src");
    let mut calls = Vec::new();
    let mut operations = 0;
    for name in ["user.rs", "group.rs", "subscribedsku.rs"] {
        let source = std::fs::read_to_string(dir.join(name)).expect("api-defs source");
        let file = syn::parse_file(&source).expect("parses");
        for item in file.items {
            if let syn::Item::Macro(m) = item
                && m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "endpoint")
            {
                let mut errors = graphspec_codegen::Errors::default();
                operations += graphspec_codegen::dsl::parse_items(m.mac.tokens.clone(), &mut errors)
                    .len() as u64;
                calls.push(m.mac.tokens);
            }
        }
    }
    (calls, operations)
}

fn bench(c: &mut Criterion) {
    let (calls, operations) = definitions();
    let mut group = c.benchmark_group("codegen");
    group.throughput(Throughput::Elements(operations));
    group.bench_function("parse", |b| {
        b.iter(|| {
            let mut errors = graphspec_codegen::Errors::default();
            for call in &calls {
                std::hint::black_box(graphspec_codegen::dsl::parse_items(
                    call.clone(),
                    &mut errors,
                ));
            }
        })
    });
    group.bench_function("parse+validate", |b| {
        b.iter(|| {
            let mut errors = graphspec_codegen::Errors::default();
            for call in &calls {
                for item in graphspec_codegen::dsl::parse_items(call.clone(), &mut errors) {
                    std::hint::black_box(
                        graphspec_codegen::valid::validate(&item.operation, &mut errors)
                            .forms
                            .len(),
                    );
                }
            }
        })
    });
    group.bench_function("parse+validate+emit", |b| {
        b.iter(|| {
            for call in &calls {
                std::hint::black_box(graphspec_codegen::endpoint(call.clone()));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
