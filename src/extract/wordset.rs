//! A set of lower-case words looked up in any case, for the word lists
//! extraction reads on nearly every word of a body.

use rustc_hash::FxHashSet;

/// A set of lower-case words. Hashed with rustc-hash's Fx, not SipHash:
/// the rules look up nearly every word of a body, and the keys are our
/// own lists, not input (with SipHash, quote extraction took 438.7 M
/// instructions on bbc/tech; with Fx 385.9 M).
#[derive(Debug, Default)]
pub struct Words {
    set: FxHashSet<&'static str>,
    /// The longest entry's length in bytes: a longer word is in no list
    /// without being hashed (most words of a body are longer than any
    /// name particle).
    longest: usize,
}

impl Words {
    /// Whether `word`, already in lower case, is in the list.
    pub fn contains(&self, word: &str) -> bool {
        word.len() <= self.longest && self.set.contains(word)
    }

    /// Whether `word`, in any case, is in the list. Short ASCII words are
    /// folded on the stack, and not at all when already in lower case:
    /// this runs for nearly every word of a body.
    pub fn contains_folded(&self, word: &str) -> bool {
        if !word.is_ascii() {
            return self.contains(&word.to_lowercase());
        }
        if word.len() > self.longest {
            return false;
        }
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.set.contains(word);
        }
        let mut buf = [0u8; 32];
        let Some(folded) = buf.get_mut(..word.len()) else {
            return self.contains(&word.to_ascii_lowercase());
        };
        folded.copy_from_slice(word.as_bytes());
        folded.make_ascii_lowercase();
        std::str::from_utf8(folded).is_ok_and(|w| self.set.contains(w))
    }
}

impl FromIterator<&'static str> for Words {
    fn from_iter<I: IntoIterator<Item = &'static str>>(entries: I) -> Self {
        let set: FxHashSet<&'static str> = entries.into_iter().collect();
        let longest = set.iter().map(|w| w.len()).max().unwrap_or(0);
        Words { set, longest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_found_in_any_case() {
        let words: Words = ["de", "straße", "von"].into_iter().collect();
        for w in ["de", "De", "DE", "von", "Von", "Straße", "STRAßE"] {
            assert!(words.contains_folded(w), "{w}");
        }
        // Not in it, some longer than any entry.
        for w in [
            "",
            "d",
            "dee",
            "vonn",
            "Vonnegut",
            "strasse",
            "Anything-Longer",
        ] {
            assert!(!words.contains_folded(w), "{w}");
        }
        assert!(words.contains("von") && !words.contains("Von"));
    }
}
