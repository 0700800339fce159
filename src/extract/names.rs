//! Person and organisation names: folding for matching, titles, and the
//! fullest form an article uses ("Mr Putin" -> "Vladimir Putin").
//!
//! Shared by quote attribution, entity canonicalisation and `--speaker`.

use std::sync::LazyLock;

use super::wordset::Words;

/// Honorifics and job titles that may stand before a name and are not part of it.
const TITLES: &[&str] = &[
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "rev",
    "reverend",
    "father",
    "sister",
    "president",
    "vice",
    "prime",
    "minister",
    "chancellor",
    "premier",
    "secretary",
    "senator",
    "sen",
    "rep",
    "representative",
    "congressman",
    "congresswoman",
    "governor",
    "gov",
    "mayor",
    "judge",
    "justice",
    "gen",
    "general",
    "col",
    "colonel",
    "lt",
    "capt",
    "captain",
    "sgt",
    "sergeant",
    "adm",
    "admiral",
    "king",
    "queen",
    "prince",
    "princess",
    "pope",
    "ambassador",
    "commissioner",
    "chairman",
    "chairwoman",
    "chair",
    "chief",
    "executive",
    "ceo",
    "director",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "coach",
    "manager",
    "foreign",
    "defence",
    "defense",
    "finance",
    "interior",
    "health",
    "state",
    "deputy",
    "former",
    "leader",
    "speaker",
    "attorney",
    "detective",
    "inspector",
    "officer",
    "superintendent",
    "cardinal",
    "bishop",
    "archbishop",
    "rabbi",
    "imam",
    "sheikh",
    "mp",
    "mpp",
    "mla",
    "mep",
    "msp",
    "councillor",
    "councilor",
    "alderman",
    "constable",
    "corporal",
    "cpl",
    "lieutenant",
    "author",
    "editor",
    "columnist",
    "economist",
    "analyst",
    "lawyer",
    "dean",
];

/// Lower-case, ASCII-folded words of a name, punctuation dropped:
/// "Mr. Sergeï Lavrov's" -> ["mr", "sergei", "lavrov"].
pub fn words(name: &str) -> Vec<String> {
    let folded = deunicode::deunicode_with_tofu_cow(name, "[?]").to_lowercase();
    let folded = if folded.contains("'s ") {
        folded.replace("'s ", " ")
    } else {
        folded
    };
    folded
        .trim_end_matches("'s")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The folded name as one string, for keys and comparisons.
pub fn fold(name: &str) -> String {
    words(name).join(" ")
}

/// Whether a word is an honorific or a title ("Mr", "President", "Dr.").
pub fn is_title(word: &str) -> bool {
    // Looked up, folded on the stack: this runs for most capitalised words.
    static SET: LazyLock<Words> = LazyLock::new(|| TITLES.iter().copied().collect());
    SET.contains_folded(word.trim_end_matches('.'))
}

/// Titles that qualify another title ("Foreign" in "Foreign Minister")
/// and begin organisations' names on their own ("Foreign Ministry",
/// "State Department"): a name is cut after them only when a title
/// follows.
const QUALIFIERS: &[&str] = &[
    "vice", "prime", "foreign", "defence", "defense", "finance", "interior", "health", "state",
    "deputy", "former",
];

fn is_qualifier(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    QUALIFIERS.contains(&w.as_str())
}

/// Titles that begin organisations' names as well as stand before
/// people's: "General Motors", "Justice Department", "King's College".
const ORGANISATION_TITLES: &[&str] = &["general", "justice", "king", "queen", "prince", "cardinal"];

/// Whether a name beginning with `word` may be an organisation's whose
/// first word only looks like a title (folded, as [`words`] gives it).
pub fn begins_organisations(word: &str) -> bool {
    ORGANISATION_TITLES.contains(&word)
}

/// A title that stands on its own before a name ("Minister", "Mr"), not
/// one that only qualifies another ("Foreign").
pub fn is_head_title(word: &str) -> bool {
    is_title(word) && !is_qualifier(word)
}

/// The name without leading titles: "Foreign Minister Sergei Lavrov" ->
/// "Sergei Lavrov". A name that is nothing but titles is returned whole,
/// and so is one whose only titles qualify a title that is not there
/// ("State Department").
pub fn strip_titles(name: &str) -> &str {
    let name = name.trim();
    // Word starts, so the name can be cut at the first word after the
    // titles, which may follow a nationality or an institution
    // ("Russian President Vladimir Putin", "Bank of England Governor
    // Andrew Bailey").
    let starts: Vec<usize> = name
        .char_indices()
        .filter(|&(i, c)| {
            !c.is_whitespace() && (i == 0 || name[..i].ends_with(char::is_whitespace))
        })
        .map(|(i, _)| i)
        .collect();
    let word = |k: usize| name[starts[k]..].split_whitespace().next().unwrap_or("");
    let mut cut = None;
    for k in 0..starts.len().saturating_sub(1) {
        let w = word(k);
        if is_title(w) {
            // "Secretary of State Jo Roe": after a title and "of", the
            // qualifier ends the title ("Jo Roe of State Farm" has none).
            // No name begins with "of" or "the": "Court of Justice of the
            // European Union" is a body's name, not a title before one.
            let joins_next = matches!(word(k + 1), "of" | "the" | "for" | "and");
            let qualified = k >= 2 && word(k - 1) == "of" && is_head_title(word(k - 2));
            if (!is_qualifier(w) || qualified) && !joins_next {
                cut = Some(k + 1);
            }
        } else if !(w.starts_with(char::is_uppercase) || matches!(w, "of" | "for" | "the" | "and"))
        {
            break;
        }
    }
    match cut {
        Some(k) => &name[starts[k]..],
        None => name,
    }
}

/// A speaker's name as the speakers facet lists it, or `None` when it is
/// no name (a description, "the spokesman"; a pronoun): capitalised
/// throughout after its titles, and not in capitals ("TONY BLAIR" is
/// listed as "Tony Blair", "NATO" as itself).
pub fn facet_form(speaker: &str) -> Option<String> {
    let bare = strip_titles(speaker).trim();
    let words: Vec<&str> = bare.split_whitespace().collect();
    let capitalised = |w: &&str| {
        w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
    };
    let pronoun = words.len() == 1
        && matches!(
            words[0].to_lowercase().as_str(),
            "it" | "they" | "we" | "i" | "you" | "he" | "she" | "this" | "that"
        );
    if words.is_empty() || pronoun || !words.iter().all(capitalised) {
        return None;
    }
    // One word in capitals is an acronym ("NATO"); several are a name
    // set in capitals (a dateline, a headline).
    let shouted = words.len() >= 2 && !bare.chars().any(char::is_lowercase);
    if !shouted {
        return Some(bare.to_owned());
    }
    let title_case = words
        .iter()
        .map(|w| {
            let mut cs = w.chars();
            cs.next().map_or(String::new(), |c| {
                c.to_uppercase()
                    .chain(cs.flat_map(char::to_lowercase))
                    .collect()
            })
        })
        .collect::<Vec<_>>()
        .join(" ");
    Some(title_case)
}

/// Whether `query` names `name`: every word of the query is a word of the
/// name, in order. `putin`, `Vladimir Putin` and `PUTIN` all name
/// "Vladimir Putin"; `put` does not.
pub fn names(query: &str, name: &str) -> bool {
    let q = words(query);
    let n = words(name);
    if q.is_empty() {
        return false;
    }
    let mut it = n.iter();
    q.iter().all(|w| it.any(|x| x == w))
}

/// The fullest of `known` that `name` is a short form of, if any: its
/// words (without titles) appear in order in the longer name and end it
/// ("Vladimir Putin" in "Vladimir Vladimirovich Putin"), or it is the
/// first word for a lone given name. The first such name wins ties.
pub fn fullest_form<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let short = words(strip_titles(name));
    if short.is_empty() {
        return None;
    }
    let mut best: Option<(&str, usize)> = None;
    for candidate in known {
        let full = words(strip_titles(candidate));
        if full.len() <= short.len() {
            continue;
        }
        let fits = is_short_form(&short, &full);
        if fits && best.is_none_or(|(_, n)| full.len() > n) {
            best = Some((candidate, full.len()));
        }
    }
    best.map(|(c, _)| c)
}

/// Whether folded `short` names the same person as folded `full`: same
/// last word and the other words in order, or a lone given name.
pub fn is_short_form(short: &[String], full: &[String]) -> bool {
    if short.len() == 1 && full.first() == short.first() {
        return true;
    }
    if short.last() != full.last() {
        return false;
    }
    let mut it = full.iter();
    short.iter().all(|w| it.any(|x| x == w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(words("Mr. Sergeï Lavrov's"), ["mr", "sergei", "lavrov"]);
        assert_eq!(fold("  Vladimir   PUTIN "), "vladimir putin");
    }

    #[test]
    fn titles_are_stripped() {
        assert_eq!(
            strip_titles("Foreign Minister Sergei Lavrov"),
            "Sergei Lavrov"
        );
        assert_eq!(strip_titles("Mr. Putin"), "Putin");
        assert_eq!(strip_titles("former Prime Minister Jo Roe"), "Jo Roe");
        assert_eq!(strip_titles("Chief Executive Tim Doe"), "Tim Doe");
        assert_eq!(strip_titles("Foreign Ministry"), "Foreign Ministry");
        assert_eq!(strip_titles("State Department"), "State Department");
        assert_eq!(strip_titles("Secretary of State Jo Roe"), "Jo Roe");
        assert_eq!(strip_titles("Jo Roe of State Farm"), "Jo Roe of State Farm");
        // A title before "of" begins a body's name, which no cut leaves
        // starting with "of".
        assert_eq!(
            strip_titles("Court of Justice of the European Union"),
            "Court of Justice of the European Union"
        );
        assert_eq!(strip_titles("President"), "President");
        assert_eq!(strip_titles("Michael McFaul"), "Michael McFaul");
        assert_eq!(
            strip_titles("Russian President Vladimir Putin"),
            "Vladimir Putin"
        );
        assert_eq!(
            strip_titles("Bank of England Governor Andrew Bailey"),
            "Andrew Bailey"
        );
        assert_eq!(
            strip_titles("U.S. Secretary of State Antony Blinken"),
            "Antony Blinken"
        );
        assert_eq!(strip_titles("Anna said President"), "Anna said President");
    }

    #[test]
    fn speaker_queries_match_names() {
        for q in ["putin", "Vladimir Putin", "PUTIN", "vladimir"] {
            assert!(names(q, "Vladimir Putin"), "{q}");
        }
        assert!(!names("put", "Vladimir Putin"));
        assert!(!names("Putin Vladimir", "Vladimir Putin"));
        assert!(!names("", "Vladimir Putin"));
    }

    #[test]
    fn short_forms_resolve_to_the_fullest() {
        let known = [
            "Vladimir Putin",
            "Xi Jinping",
            "Putin",
            "Vladimir Vladimirovich Putin",
        ];
        assert_eq!(
            fullest_form("Mr Putin", known),
            Some("Vladimir Vladimirovich Putin")
        );
        assert_eq!(fullest_form("Xi", known), Some("Xi Jinping"));
        assert_eq!(fullest_form("President Xi", known), Some("Xi Jinping"));
        assert_eq!(fullest_form("Lavrov", known), None);
        assert_eq!(
            fullest_form("Vladimir Putin", known),
            Some("Vladimir Vladimirovich Putin")
        );
    }

    #[test]
    fn facet_forms_are_names_in_one_spelling() {
        assert_eq!(facet_form("Tony Blair").as_deref(), Some("Tony Blair"));
        assert_eq!(facet_form("TONY BLAIR").as_deref(), Some("Tony Blair"));
        assert_eq!(
            facet_form("Prime Minister Tony Blair").as_deref(),
            Some("Tony Blair")
        );
        assert_eq!(facet_form("BBC").as_deref(), Some("BBC"));
        assert_eq!(facet_form("NATO").as_deref(), Some("NATO"));
        assert_eq!(
            facet_form("The New York Times").as_deref(),
            Some("The New York Times")
        );
        for none in [
            "the prime minister",
            "The prime minister",
            "a spokesman",
            "It",
            "it",
            "",
        ] {
            assert_eq!(facet_form(none), None, "{none:?}");
        }
    }
}
