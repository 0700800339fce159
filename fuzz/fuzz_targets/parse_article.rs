//! Fuzzes the article parser and extraction: any bytes, in either format,
//! parse without panicking, and every span is a real slice of the body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use newsidx::article::{parse_file, Format, ParseOptions};

fuzz_target!(|data: &[u8]| {
    for format in [
        Format::Text,
        Format::Markdown,
        Format::Html,
        Format::Json,
        Format::JsonLines,
    ] {
        let Ok((articles, _)) = parse_file("fuzz.txt", data, format, &ParseOptions::default())
        else {
            continue;
        };
        for mut article in articles {
            newsidx::extract::annotate(&mut article, true);
            let body = &article.body;
            for q in &article.quotes {
                assert!(q.start <= q.end && q.end <= body.len());
                assert_eq!(&body[q.start..q.end], q.text);
            }
            for e in &article.entities {
                for &(s, t) in &e.spans {
                    assert!(
                        s < t
                            && t <= body.len()
                            && body.is_char_boundary(s)
                            && body.is_char_boundary(t)
                    );
                }
            }
        }
    }
});
