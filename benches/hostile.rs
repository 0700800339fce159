//! Hostile inputs at two sizes, four times apart: a cost that grows with
//! the input's square shows as a ratio near 16 between them, a linear one
//! near 4. The shapes are those that once stalled a whole run: many quotes
//! of one name, of thousands of distinct names, of one surname, and pages
//! nested thousands of elements deep.
//!
//! `cargo bench --bench hostile`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use newsidx::article::{parse_file, Format, ParseOptions};

fn text(shape: &str, n: usize) -> String {
    let body: Vec<String> = (0..n)
        .map(|i| match shape {
            "one_name" => "\"a,\" said Bob.".to_owned(),
            "distinct_names" => format!("\"a,\" said Bob Smith{i}x."),
            "one_surname" => format!("Ann{i} Smith met him. \"a,\" Smith said."),
            _ => unreachable!(),
        })
        .collect();
    format!("Title\n\n{}", body.join(" "))
}

fn nested(n: usize) -> String {
    format!(
        "<html><body>{}<p>Deep text.</p>{}</body></html>",
        "<div>".repeat(n),
        "</div>".repeat(n)
    )
}

fn hostile(c: &mut Criterion) {
    let opts = ParseOptions::default();
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for shape in ["one_name", "distinct_names", "one_surname"] {
        for n in [5_000, 20_000] {
            let input = text(shape, n);
            group.bench_with_input(BenchmarkId::new(shape, n), &input, |b, input| {
                b.iter(|| {
                    let (mut articles, _) =
                        parse_file("x.txt", input.as_bytes(), Format::Text, &opts).unwrap();
                    newsidx::extract::annotate(&mut articles[0], true);
                    articles[0].quotes.len()
                })
            });
        }
    }
    for n in [3_000, 12_000] {
        let input = nested(n);
        group.bench_with_input(BenchmarkId::new("nested_divs", n), &input, |b, input| {
            b.iter(|| {
                parse_file("x.html", input.as_bytes(), Format::Html, &opts)
                    .unwrap()
                    .0
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, hostile);
criterion_main!(benches);
