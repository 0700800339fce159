//! Photo captions and embedded posts: paragraphs that name the people of
//! a picture or a post, not whom the article goes on to quote.

use super::spans::Para;
use super::words::CREDITS;

/// Whether a paragraph is a caption: it ends with a credit in brackets
/// ("… at her home. (Jo Roe/CBC)", "( Toronto Star file photo )",
/// "(Submitted by Jo Roe)") or is an embedded post signed with a
/// handle and a date ("… — Jo Roe (@jroe) May 2, 2019").
pub fn is_caption(text: &str) -> bool {
    let text = text.trim_end();
    if let Some(inner) = text.strip_suffix(')') {
        let Some(open) = inner.rfind('(') else {
            return false;
        };
        return is_credit(&inner[open + 1..]);
    }
    signed_post(text)
}

/// The paragraphs of `paras` that are captions, as byte ranges.
pub fn captions(body: &str, paras: &[Para]) -> Vec<(usize, usize)> {
    paras
        .iter()
        .filter(|p| is_caption(&body[p.start..p.end]))
        .map(|p| (p.start, p.end))
        .collect()
}

/// "Jo Roe/CBC", "AFP/Getty Images", "file photo": a credit, not an
/// aside ("(The vote is on Monday.)") nor a hat tip ("h/t Mediaite").
fn is_credit(inner: &str) -> bool {
    let inner = inner.trim();
    if inner.is_empty() || inner.len() > 80 || inner.starts_with("h/t") {
        return false;
    }
    if inner.contains('/') {
        return true;
    }
    !inner.ends_with(['.', '?', '!'])
        && inner
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| CREDITS.contains(w.to_lowercase().as_str()))
}

/// "… — Jo Roe (@jroe) December 18, 2018": a post's signature, its
/// author's handle in brackets and then a date ending in a year.
fn signed_post(text: &str) -> bool {
    let Some(at) = text.rfind("(@") else {
        return false;
    };
    let Some(close) = text[at..].find(')') else {
        return false;
    };
    let date = text[at + close + 1..].trim();
    let year = date
        .rsplit(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap_or("");
    date.len() <= 24 && year.len() == 4 && text[..at].contains(['—', '-'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credits_and_signed_posts_make_captions() {
        for text in [
            "Ana Cruz at her shop in Lisbon. (Tom Reed/Harbour Herald)",
            "Ana Cruz, left, before the race. ( Harbour Herald file photo )",
            "Ana Cruz with her dog. (Submitted by Lou Cruz)",
            "Ana Cruz in 2001. ( THE HARBOUR PRESS FILE PHOTO )",
            "We won. Thanks all! https://t.co/x — Ana Cruz (@anacruz) May 2, 2019",
        ] {
            assert!(is_caption(text), "{text}");
        }
        for text in [
            "Ana Cruz said she would run again (and win).",
            "The vote was close. (Ana Cruz has since resigned.)",
            "Ana Cruz spoke to the board. (h/t Harbour Herald)",
            "Ana Cruz (@anacruz) wrote to the board on Monday about the plan.",
            "Ana Cruz said: (WARNING: the video has graphic images.)",
        ] {
            assert!(!is_caption(text), "{text}");
        }
    }
}
