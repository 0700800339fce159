//! Fuzzes the article parser and extraction: any bytes, in either format,
//! parse without panicking, and every span is a real slice of the body.

#![no_main]

use libfuzzer_sys::fuzz_target;
use newsidx::article::{parse_file, Format};

fuzz_target!(|data: &[u8]| {
    for format in [Format::Text, Format::Markdown] {
        let Ok((mut article, _)) = parse_file("fuzz.txt", data, format) else {
            continue;
        };
        newsidx::extract::annotate(&mut article);
        let body = &article.body;
        for q in &article.quotes {
            assert!(q.start <= q.end && q.end <= body.len());
            assert_eq!(&body[q.start..q.end], q.text);
        }
        for e in &article.entities {
            for &(s, t) in &e.spans {
                assert!(s < t && t <= body.len() && body.is_char_boundary(s) && body.is_char_boundary(t));
            }
        }
    }
});
