//! Mojibake repair: UTF-8 that was decoded as Latin-1 or Windows-1252, once
//! or more ("FranÃ§ois", "donâ€™t"), back to the text it was.
//!
//! Whether a run of characters is mis-decoded UTF-8, and what it said, is
//! decided by plsfix (a Rust port of Python's ftfy), which fixes only what
//! is clearly mojibake: French, Polish or Greek text stays as it is. It is
//! called only on lines that hold a sign of mojibake, so clean text pays a
//! byte search.

use std::borrow::Cow;

use plsfix::{fix_text, TextFixerConfig};

/// The text with its mis-decoded UTF-8 repaired, line by line; borrowed
/// when there is nothing to repair.
pub fn repair(text: &str) -> Cow<'_, str> {
    if !suspect(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match repair_line(line) {
            Some(fixed) if fixed != line => {
                out.push_str(&fixed);
                changed = true;
            }
            _ => out.push_str(line),
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(text)
    }
}

/// Stands for `&` while plsfix reads a line: plsfix always decodes HTML
/// entities, and an entity written out in the text is no mojibake. A
/// noncharacter, so no text has it.
const AMPERSAND: char = '\u{FDD0}';

/// The line as plsfix repairs it, or `None` when it shows no sign of
/// mojibake (or holds the stand-in for `&`). "Ã " alone (an "à" whose
/// no-break space became a space) is too weak a sign to act on; on a line
/// with other mojibake plsfix repairs it too.
fn repair_line(line: &str) -> Option<String> {
    if !suspect(line) || line.contains(AMPERSAND) {
        return None;
    }
    let config = TextFixerConfig {
        unescape_html: Some(false),
        remove_terminal_escapes: false,
        fix_encoding: true,
        // "Ã " for "à" whose no-break space became a space.
        restore_byte_a0: true,
        // "â€" with its last byte lost stands for the character it was.
        replace_lossy_sequences: true,
        // Mojibake beside correct text on the same line.
        decode_inconsistent_utf8: true,
        // A C1 control is Windows-1252 read as Latin-1: "\u{92}" is "’".
        fix_c1_controls: true,
        fix_latin_ligatures: false,
        fix_character_width: false,
        uncurl_quotes: false,
        fix_line_breaks: false,
        remove_control_chars: false,
        normalization: None,
        max_decode_length: 1_000_000,
    };
    let shielded = rejoin_accents(line).replace('&', &AMPERSAND.to_string());
    Some(fix_text(&shielded, Some(&config)).replace(AMPERSAND, "&"))
}

/// Spacing accents that compatibility decomposition (NFKD) splits into a
/// space and a combining mark. Mojibake is full of them: "¨" is the second
/// byte of "è", "´" that of "ô".
const SPLIT_ACCENTS: [(char, char); 4] = [
    ('\u{308}', '¨'),
    ('\u{304}', '¯'),
    ('\u{301}', '´'),
    ('\u{327}', '¸'),
];

/// The spacing accent a combining mark was split from.
fn spacing_accent(mark: char) -> Option<char> {
    SPLIT_ACCENTS
        .iter()
        .find(|&&(m, _)| m == mark)
        .map(|&(_, accent)| accent)
}

/// The line with each split accent that follows the first byte of
/// mojibake ("Ã ̈", once "Ã¨") made one character again, so that the
/// bytes decode.
fn rejoin_accents(line: &str) -> Cow<'_, str> {
    let chars: Vec<char> = line.chars().collect();
    let split = |i: usize| {
        lead(chars[i])
            && chars.get(i + 1) == Some(&' ')
            && chars.get(i + 2).copied().and_then(spacing_accent).is_some()
    };
    if !(0..chars.len()).any(split) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < chars.len() {
        out.push(chars[i]);
        if split(i) {
            out.extend(spacing_accent(chars[i + 2]));
            i += 3;
        } else {
            i += 1;
        }
    }
    Cow::Owned(out)
}

/// Whether a character is what the first byte of a two- to four-byte
/// UTF-8 character (0xC2 to 0xF4) becomes when read as Latin-1.
fn lead(c: char) -> bool {
    ('\u{C2}'..='\u{F4}').contains(&c)
}

/// Whether the text holds what mis-decoded UTF-8 leaves behind: the first
/// byte of a multi-byte character read as Latin-1 or Windows-1252 ("Ã",
/// "â", "Å", …) followed by a continuation byte read the same way ("©",
/// "€", "™", or a C1 control, or an accent split from its space), or a C1
/// control alone.
fn suspect(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Every lead character, U+00C2 to U+00F4, is 0xC3 in UTF-8, and every
    // C1 control is 0xC2 0x80..=0x9F: clean text costs a byte search.
    memchr::memchr2_iter(0xC2, 0xC3, bytes).any(|at| {
        let Some(&second) = bytes.get(at + 1) else {
            return false;
        };
        if bytes[at] == 0xC2 {
            return (0x80..=0x9F).contains(&second);
        }
        if !(0x82..=0xB4).contains(&second) {
            return false;
        }
        let mut after = text[at + 2..].chars();
        match after.next() {
            Some(' ') => after.next().and_then(spacing_accent).is_some(),
            next => next.is_some_and(continuation),
        }
    })
}

/// Whether a character is what a UTF-8 continuation byte (0x80 to 0xBF)
/// becomes when read as Latin-1 or Windows-1252.
fn continuation(c: char) -> bool {
    matches!(c, '\u{80}'..='\u{BF}')
        || matches!(
            c,
            '€' | '‚'
                | 'ƒ'
                | '„'
                | '…'
                | '†'
                | '‡'
                | 'ˆ'
                | '‰'
                | 'Š'
                | '‹'
                | 'Œ'
                | 'Ž'
                | '‘'
                | '’'
                | '“'
                | '”'
                | '•'
                | '–'
                | '—'
                | '˜'
                | '™'
                | 'š'
                | '›'
                | 'œ'
                | 'ž'
                | 'Ÿ'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UTF-8 read as Windows-1252, the way a wrongly labelled page is.
    fn misread(s: &str) -> String {
        let (text, _, _) = encoding_rs::WINDOWS_1252.decode(s.as_bytes());
        text.into_owned()
    }

    /// UTF-8 read as Latin-1: every byte is the code point of its value.
    fn misread_latin1(s: &str) -> String {
        s.bytes().map(char::from).collect()
    }

    #[test]
    fn once_misread_names_and_punctuation_are_repaired() {
        for good in [
            "Renée Dubois spoke in Besançon",
            "the mayor of Kraków, Jacek Majchrowski",
            "It isn’t over — “not yet”, he said…",
            "a £40 rise, 12°C",
            "Ελληνικά και Русский и 中文",
        ] {
            assert_eq!(repair(&misread(good)), good, "{}", misread(good));
            assert_eq!(repair(&misread_latin1(good)), good);
        }
    }

    #[test]
    fn twice_misread_text_is_repaired() {
        let good = "Gérard Depardieu’s “exile”";
        assert_eq!(repair(&misread(&misread(good))), good);
        assert_eq!(repair(&misread_latin1(&misread(good))), good);
        assert_eq!(repair(&misread_latin1(&misread_latin1(good))), good);
    }

    #[test]
    fn only_the_misread_line_changes() {
        let text = format!(
            "Première ligne, écrite correctement.\n{} a parlé.\nFin.",
            misread("Hélène Ségara")
        );
        assert_eq!(
            repair(&text),
            "Première ligne, écrite correctement.\nHélène Ségara a parlé.\nFin."
        );
    }

    #[test]
    fn an_entity_written_in_the_text_stays() {
        let text = format!("AT&amp;T and {}", misread("Nestlé"));
        assert_eq!(repair(&text), "AT&amp;T and Nestlé");
    }

    #[test]
    fn correct_text_in_many_languages_is_left_alone() {
        for good in [
            "Où est passée l’équipe de Noël ? À Besançon, « très bien ».",
            "Die Größe des Übels: „Straße“, sagte er. STRAßE…",
            "¿Cómo está, señora Ibáñez? ¡Olé!",
            "Źdźbło trawy, gęś i żółw w Łodzi",
            "Ağustos’ta İzmir’de Çiğdem Işık ile görüştük",
            "Η Αθήνα είναι η πρωτεύουσα της Ελλάδας",
            "Вчера в Санкт-Петербурге шёл снег",
            "昨天北京下雪了，“很冷”。",
            "SÃO JOÃO, NÃO, CAFÉ… Â la carte? PÂTÉ“",
            "Ça‚ Ñ— Ò¡ ©2024 ½ ±3 µg",
        ] {
            assert_eq!(repair(good), good);
        }
    }

    #[test]
    fn a_windows_1252_character_read_as_latin1_is_restored() {
        assert_eq!(repair("don\u{92}t"), "don’t");
    }

    #[test]
    fn mojibake_that_went_through_nfkd_is_repaired() {
        // NFKD splits the "¨" of "Ã¨" into a space and U+0308.
        let decomposed = "Gr\u{c3} \u{308}ve et fen\u{c3}\u{aa}tre";
        assert_eq!(repair(decomposed), "Grève et fenêtre");
        let twice = "mis\u{c3}\u{83}\u{c2} \u{308}re";
        assert_eq!(repair(twice), "misère");
        // A combining mark after a space elsewhere stays where it is.
        assert_eq!(repair("café a \u{308}"), "café a \u{308}");
    }

    #[test]
    fn plain_ascii_is_not_copied() {
        assert!(matches!(repair("nothing to do here"), Cow::Borrowed(_)));
    }
}
