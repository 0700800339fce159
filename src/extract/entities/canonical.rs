//! Groups an article's mentions into entities, one per canonical name:
//! the fullest form the article uses, and one name for a place's aliases.
//!
//! "Putin" and "Mr Putin" join "Vladimir Putin"; "U.S." joins "United States".

use std::collections::HashMap;

use super::Mention;
use crate::extract::names;
use crate::{Entity, EntityKind};

/// Places with several common names, by folded alias (see [`names::fold`]).
const PLACE_ALIASES: &[(&str, &str)] = &[
    ("us", "United States"),
    ("u s", "United States"),
    ("usa", "United States"),
    ("u s a", "United States"),
    ("united states", "United States"),
    ("united states of america", "United States"),
    ("uk", "United Kingdom"),
    ("u k", "United Kingdom"),
    ("britain", "United Kingdom"),
    ("great britain", "United Kingdom"),
    ("united kingdom", "United Kingdom"),
    ("uae", "United Arab Emirates"),
    ("u a e", "United Arab Emirates"),
    ("united arab emirates", "United Arab Emirates"),
    ("ussr", "Soviet Union"),
    ("u s s r", "Soviet Union"),
    ("soviet union", "Soviet Union"),
    ("holland", "Netherlands"),
    ("the netherlands", "Netherlands"),
    ("netherlands", "Netherlands"),
    ("n korea", "North Korea"),
    ("north korea", "North Korea"),
    ("dprk", "North Korea"),
    ("s korea", "South Korea"),
    ("south korea", "South Korea"),
    ("drc", "Democratic Republic of Congo"),
    ("dr congo", "Democratic Republic of Congo"),
    (
        "democratic republic of congo",
        "Democratic Republic of Congo",
    ),
    (
        "democratic republic of the congo",
        "Democratic Republic of Congo",
    ),
    ("czech republic", "Czech Republic"),
    ("czechia", "Czech Republic"),
    ("burma", "Myanmar"),
    ("myanmar", "Myanmar"),
    ("ivory coast", "Ivory Coast"),
    ("cote d ivoire", "Ivory Coast"),
    ("hong kong", "Hong Kong"),
    ("hk", "Hong Kong"),
    ("nyc", "New York City"),
    ("new york city", "New York City"),
    ("la", "Los Angeles"),
    ("los angeles", "Los Angeles"),
];

/// Words an acronym skips: "Carnegie Endowment for International Peace" is CEIP.
const FUNCTION_WORDS: &[&str] = &["of", "for", "the", "and", "de", "du", "la", "le", "&"];

/// Whether `short` is written in capitals only ("NATO", "U.S."), so that a
/// mixed-case mention makes the better name.
fn all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// Whether `acronym` is made of the initials of `name`'s words.
fn is_acronym_of(acronym: &str, name: &str) -> bool {
    if !all_caps(acronym) {
        return false;
    }
    let letters: String = acronym
        .chars()
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect();
    if letters.len() < 2 {
        return false;
    }
    let words = names::words(name);
    let initials = |skip: bool| -> String {
        words
            .iter()
            .filter(|w| !(skip && FUNCTION_WORDS.contains(&w.as_str())))
            .filter_map(|w| w.chars().next())
            .collect()
    };
    words.len() >= 2 && (initials(true) == letters || initials(false) == letters)
}

/// The canonical name of a place mention, if it has a well-known one.
fn place_alias(surface: &str) -> Option<&'static str> {
    let f = names::fold(surface);
    let f = f.strip_prefix("the ").unwrap_or(&f);
    PLACE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == f)
        .map(|(_, name)| *name)
}

/// One distinct way an article writes a name, and its lower case.
struct Surface<'a> {
    text: &'a str,
    lower: String,
}

/// The name a mention goes under, given all surfaces of its kind in the article.
fn canonical_name(surface: &str, kind: EntityKind, same_kind: &[Surface]) -> String {
    match kind {
        EntityKind::Place => {
            if let Some(name) = place_alias(surface) {
                return name.to_owned();
            }
        }
        EntityKind::Person | EntityKind::Org => {
            // Titles stand before people; in an organisation's name the
            // same words belong to it ("General Motors", "Judge Business School").
            let strip = |name| match kind {
                EntityKind::Person => names::strip_titles(name),
                _ => name,
            };
            let stripped = strip(surface);
            // Only names that hold the short form's last word can be its
            // fuller form; checking that first spares most of the folding.
            let last = stripped
                .rsplit(char::is_whitespace)
                .next()
                .unwrap_or("")
                .to_lowercase();
            let last = last.trim_end_matches(|c: char| !c.is_alphanumeric());
            let fuller = same_kind
                .iter()
                .filter(|n| n.text.len() > stripped.len() && n.lower.contains(last))
                .map(|n| n.text);
            if let Some(full) = names::fullest_form(stripped, fuller) {
                return strip(full).to_owned();
            }
            if kind == EntityKind::Org {
                if let Some(full) = same_kind.iter().find(|n| is_acronym_of(surface, n.text)) {
                    return full.text.to_owned();
                }
            }
            return stripped.to_owned();
        }
        EntityKind::Misc => {}
    }
    surface.to_owned()
}

/// One entity per canonical name and kind, in order of first mention; the
/// name is written as the article writes it outside capitalised headlines.
pub fn group(body: &str, mentions: &[Mention]) -> Vec<Entity> {
    // Distinct surfaces only: a name repeated thirty times is resolved once.
    let mut by_kind: HashMap<EntityKind, Vec<Surface>> = HashMap::new();
    for m in mentions {
        let known = by_kind.entry(m.kind).or_default();
        let text = &body[m.start..m.end];
        if !known.iter().any(|n| n.text == text) {
            known.push(Surface {
                text,
                lower: text.to_lowercase(),
            });
        }
    }
    let mut resolved: HashMap<(EntityKind, &str), (String, String)> = HashMap::new();
    let mut out: Vec<Entity> = Vec::new();
    let mut slot: HashMap<(EntityKind, String), usize> = HashMap::new();
    for m in mentions {
        let surface = &body[m.start..m.end];
        let (name, folded) = resolved
            .entry((m.kind, surface))
            .or_insert_with(|| {
                let name = canonical_name(surface, m.kind, &by_kind[&m.kind]);
                let folded = names::fold(&name);
                (name, folded)
            })
            .clone();
        if folded.is_empty() {
            continue;
        }
        let i = *slot.entry((m.kind, folded)).or_insert_with(|| {
            out.push(Entity {
                name: name.clone(),
                kind: m.kind,
                spans: Vec::new(),
            });
            out.len() - 1
        });
        let e = &mut out[i];
        // "LONDON" in a dateline yields to "London" in the text.
        if all_caps(&e.name) && !all_caps(&name) {
            e.name = name;
        }
        e.spans.push((m.start, m.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(body: &str, text: &str, nth: usize, kind: EntityKind) -> Mention {
        let start = body.match_indices(text).nth(nth).expect(text).0;
        Mention {
            start,
            end: start + text.len(),
            kind,
        }
    }

    #[test]
    fn short_forms_join_the_fullest_name() {
        let body = "Vladimir Putin spoke. Putin said no. Mr Putin left.";
        let ms = [
            mention(body, "Vladimir Putin", 0, EntityKind::Person),
            mention(body, "Putin", 1, EntityKind::Person),
            mention(body, "Mr Putin", 0, EntityKind::Person),
        ];
        let ents = group(body, &ms);
        assert_eq!(ents.len(), 1);
        assert_eq!(ents[0].name, "Vladimir Putin");
        assert_eq!(ents[0].spans.len(), 3);
    }

    #[test]
    fn organisations_keep_words_that_would_be_titles() {
        let body = "General Motors and the Foreign Ministry met General Mark Roe.";
        let ms = [
            mention(body, "General Motors", 0, EntityKind::Org),
            mention(body, "Foreign Ministry", 0, EntityKind::Org),
            mention(body, "General Mark Roe", 0, EntityKind::Person),
        ];
        let names: Vec<String> = group(body, &ms).into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["General Motors", "Foreign Ministry", "Mark Roe"]);
    }

    #[test]
    fn place_aliases_share_a_name() {
        let body = "U.S. troops left the US for Britain and the UK.";
        let ms = [
            mention(body, "U.S.", 0, EntityKind::Place),
            mention(body, "US", 0, EntityKind::Place),
            mention(body, "Britain", 0, EntityKind::Place),
            mention(body, "UK", 0, EntityKind::Place),
        ];
        let ents = group(body, &ms);
        let names: Vec<&str> = ents.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["United States", "United Kingdom"]);
        assert!(ents.iter().all(|e| e.spans.len() == 2));
    }

    #[test]
    fn datelines_in_capitals_yield_to_the_text() {
        let body = "LONDON 1996-08-30\nTraffic in London stopped.";
        let ms = [
            mention(body, "LONDON", 0, EntityKind::Place),
            mention(body, "London", 0, EntityKind::Place),
        ];
        let ents = group(body, &ms);
        assert_eq!(ents.len(), 1);
        assert_eq!(ents[0].name, "London");
    }

    #[test]
    fn acronyms_join_their_organisation() {
        let body = "the Carnegie Endowment for International Peace (CEIP) said; CEIP added";
        let ms = [
            mention(
                body,
                "Carnegie Endowment for International Peace",
                0,
                EntityKind::Org,
            ),
            mention(body, "CEIP", 0, EntityKind::Org),
            mention(body, "CEIP", 1, EntityKind::Org),
        ];
        let ents = group(body, &ms);
        assert_eq!(ents.len(), 1, "{ents:?}");
        assert_eq!(ents[0].spans.len(), 3);
    }

    #[test]
    fn kinds_are_kept_apart() {
        let body = "Jordan beat Jordan.";
        let ms = [
            mention(body, "Jordan", 0, EntityKind::Person),
            mention(body, "Jordan", 1, EntityKind::Place),
        ];
        assert_eq!(group(body, &ms).len(), 2);
    }
}
