//! Bytes to text: byte-order marks (UTF-8, UTF-16), UTF-8 with a few bad
//! bytes, the charset a page declares, and a guessed legacy encoding.
//!
//! Decoding is encoding_rs's; the guess is chardetng's (Firefox's
//! detector), for text that is neither UTF-8 nor says what it is.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

use super::error::{ReadError, Warning};

/// Decodes a file's bytes. `html` lets a page's own `<meta charset>`
/// decide for bytes that are not UTF-8.
pub fn decode(bytes: &[u8], html: bool) -> Result<(String, Option<Warning>), ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, bad) = decode_with(encoding, &bytes[bom..]);
        return Ok((
            text,
            (bad > 0).then_some(Warning::BadBytes(bad, encoding.name())),
        ));
    }
    // A NUL byte never occurs in text; a few in the first 8 kB mean binary
    // (UTF-16 without a byte-order mark included: it is too rare to guess).
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Err(ReadError::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_owned(), None));
    }
    let declared = if html { declared_charset(bytes) } else { None };
    let encoding = match declared {
        Some(e) => e,
        None if mostly_utf8(bytes) => UTF_8,
        None => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
            let (text, _) = decode_with(guess, bytes);
            return Ok((text, Some(Warning::Guessed(guess.name()))));
        }
    };
    // A page that says it is in a legacy encoding is not odd.
    let (text, bad) = decode_with(encoding, bytes);
    Ok((
        text,
        (bad > 0).then_some(Warning::BadBytes(bad, encoding.name())),
    ))
}

/// The text, and how many malformed sequences became U+FFFD.
fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    if encoding == UTF_8 {
        let bad = utf8_errors(bytes);
        return (String::from_utf8_lossy(bytes).into_owned(), bad);
    }
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(
        decoder
            .max_utf8_buffer_length(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (_, _, _) = decoder.decode_to_string(bytes, &mut text, true);
    // Legacy encodings cannot encode U+FFFD: each one is a bad sequence.
    let bad = text.matches('\u{FFFD}').count();
    (text, bad)
}

/// Malformed sequences in `bytes` as UTF-8.
fn utf8_errors(mut bytes: &[u8]) -> usize {
    let mut bad = 0;
    while let Err(e) = std::str::from_utf8(bytes) {
        bad += 1;
        let skip = e.valid_up_to() + e.error_len().unwrap_or(bytes.len() - e.valid_up_to());
        bytes = &bytes[skip..];
    }
    bad
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 with a few bad
/// bytes: more well-formed multi-byte characters than malformed sequences.
/// Text in a legacy encoding almost never forms a valid UTF-8 sequence, so
/// one stray Latin-1 byte no longer turns "Café" into "CafÃ©".
fn mostly_utf8(bytes: &[u8]) -> bool {
    let bad = utf8_errors(bytes);
    let text = String::from_utf8_lossy(bytes);
    let good = text
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{FFFD}')
        .count();
    good > 0 && good >= bad
}

/// How far into a page its charset is looked for. Browsers prescan 1024
/// bytes and switch when the parser meets a later `<meta>`; saved pages
/// often carry long scripts before it.
const PRESCAN_BYTES: usize = 8192;

/// The encoding a page declares near its start (`<meta charset>`, `<meta
/// http-equiv content="…; charset=…">` or an XML declaration).
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head =
        String::from_utf8_lossy(&bytes[..bytes.len().min(PRESCAN_BYTES)]).to_ascii_lowercase();
    let value = |at: usize| {
        let rest = head[at..].trim_start_matches(['=', ' ', '"', '\'']);
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || "-_:.".contains(c)))
            .unwrap_or(rest.len());
        Encoding::for_label(&rest.as_bytes()[..end])
    };
    if head.starts_with("<?xml") {
        if let Some(at) = head.find("encoding") {
            return value(at + "encoding".len());
        }
    }
    let mut from = 0;
    while let Some(meta) = head[from..].find("<meta").map(|i| from + i) {
        let end = head[meta..].find('>').map_or(head.len(), |i| meta + i);
        if let Some(at) = head[meta..end].find("charset") {
            // A page served as UTF-16 is read as bytes here: what it says
            // of itself is wrong (as browsers take it).
            return value(meta + at + "charset".len()).map(|e| {
                if e == UTF_16LE || e == UTF_16BE {
                    UTF_8
                } else {
                    e
                }
            });
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_whitespace_files_are_empty() {
        assert_eq!(decode(b"", false), Err(ReadError::Empty));
        assert_eq!(decode(b" \n\n\t", false), Err(ReadError::Empty));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert_eq!(
            decode(b"PK\x03\x04\x00\x00abc", false),
            Err(ReadError::Binary)
        );
    }

    #[test]
    fn boms_decide() {
        let (s, w) = decode(b"\xEF\xBB\xBFTitle\n\nBody", false).unwrap();
        assert_eq!((s.as_str(), w), ("Title\n\nBody", None));
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("Café “quoted”".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (s, w) = decode(&utf16le, false).unwrap();
        assert_eq!((s.as_str(), w), ("Café “quoted”", None));
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("Zürich".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode(&utf16be, false).unwrap().0, "Zürich");
    }

    #[test]
    fn legacy_text_is_guessed() {
        let (s, w) = decode(
            b"Caf\xe9 owners say \x93no\x94 to the plan for the square",
            false,
        )
        .unwrap();
        assert_eq!(s, "Café owners say “no” to the plan for the square");
        assert_eq!(w, Some(Warning::Guessed("windows-1252")));
    }

    #[test]
    fn a_stray_byte_in_utf8_is_replaced_alone() {
        let (s, w) = decode(
            "Café, Zürich, São Paulo: \u{201C}yes\u{201D}".as_bytes(),
            false,
        )
        .unwrap();
        assert_eq!(w, None);
        let mut bytes = s.into_bytes();
        bytes.extend_from_slice(b" and one bad \xe9 byte");
        let (s, w) = decode(&bytes, false).unwrap();
        assert!(s.starts_with("Café, Zürich, São Paulo"), "{s}");
        assert!(s.ends_with("one bad \u{FFFD} byte"), "{s}");
        assert_eq!(w, Some(Warning::BadBytes(1, "UTF-8")));
    }

    #[test]
    fn a_page_says_its_charset() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-2\"></head><body>\xa3\xf3d\xbc</body></html>";
        let (s, w) = decode(page, true).unwrap();
        assert!(s.contains("Łódź"), "{s}");
        assert_eq!(w, None);
        let page = b"<meta charset='utf-8'><p>Just one bad byte: \xff</p>";
        let (s, w) = decode(page, true).unwrap();
        assert!(s.contains("byte: \u{FFFD}"), "{s}");
        assert_eq!(w, Some(Warning::BadBytes(1, "UTF-8")));
        // As text, the same bytes say nothing.
        assert!(matches!(
            decode(page, false).unwrap().1,
            Some(Warning::Guessed(_))
        ));
    }
}
