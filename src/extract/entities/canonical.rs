//! Groups an article's mentions into entities, one per canonical name:
//! the fullest form the article uses, and one name for a place's aliases.
//!
//! "Putin" and "Mr Putin" join "Vladimir Putin"; "U.S." joins "United States".

use rustc_hash::{FxHashMap, FxHashSet};

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

/// Honorifics, which name no one on their own: "Mr" is a word of "Mr
/// Putin", never an entity.
const HONORIFICS: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "messrs", "dr", "prof", "sir", "dame", "lord", "lady", "rev",
];

/// What a mention's text is, whatever the tagger made of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Surface {
    /// Honorifics alone ("Mr", "Lord", "Dr."): no entity.
    Honorifics,
    /// A country's other name ("US", "U.S."): a place.
    CountryAlias,
    Name,
}

impl Surface {
    fn of(text: &str) -> Surface {
        // No honorific is longer than "Messrs." and no place alias than
        // "Democratic Republic of the Congo"; most names are neither.
        let word = text.strip_suffix('.').unwrap_or(text);
        if text.len() <= 8 && word.bytes().all(|b| b.is_ascii_alphabetic()) {
            let word = word.to_ascii_lowercase();
            if HONORIFICS.contains(&word.as_str()) {
                return Surface::Honorifics;
            }
        } else if text.len() <= 8 {
            let words = names::words(text);
            if !words.is_empty() && words.iter().all(|w| HONORIFICS.contains(&w.as_str())) {
                return Surface::Honorifics;
            }
        }
        if text.len() <= 40 && place_alias(text).is_some() {
            return Surface::CountryAlias;
        }
        Surface::Name
    }
}

/// Words an acronym skips: "Carnegie Endowment for International Peace" is CEIP.
const FUNCTION_WORDS: &[&str] = &["of", "for", "the", "and", "de", "du", "la", "le", "&"];

/// Whether `short` is written in capitals only ("NATO", "U.S."), so that a
/// mixed-case mention makes the better name.
fn all_caps(s: &str) -> bool {
    s.chars().any(char::is_alphabetic) && !s.chars().any(char::is_lowercase)
}

/// The canonical name of a place mention, if it has a well-known one.
fn place_alias(surface: &str) -> Option<&'static str> {
    // Most mentions are plain ASCII: fold them on the stack as
    // `names::fold` would (lower case, marks to spaces, one space between
    // words), without its allocations.
    if surface.is_ascii() && surface.len() <= 40 && !surface.contains('\'') {
        let mut buf = [0u8; 40];
        let mut n = 0;
        for &b in surface.as_bytes() {
            if b.is_ascii_alphanumeric() {
                buf[n] = b.to_ascii_lowercase();
                n += 1;
            } else if n > 0 && buf[n - 1] != b' ' {
                buf[n] = b' ';
                n += 1;
            }
        }
        let f = std::str::from_utf8(&buf[..n]).unwrap_or("").trim_end();
        let f = f.strip_prefix("the ").unwrap_or(f);
        return PLACE_ALIASES
            .iter()
            .find(|(alias, _)| *alias == f)
            .map(|(_, name)| *name);
    }
    let f = names::fold(surface);
    let f = f.strip_prefix("the ").unwrap_or(&f);
    PLACE_ALIASES
        .iter()
        .find(|(alias, _)| *alias == f)
        .map(|(_, name)| *name)
}

/// Most distinct longer names one word is looked up among: far more than
/// any article has ("Smith" in 64 different full names), few enough that
/// a hostile file of a hundred thousand names stays linear.
const MAX_NAMES_PER_WORD: usize = 64;

/// The distinct names of one kind in an article, in order of first
/// mention, looked up by their first and last words and their initials.
#[derive(Default)]
struct Known<'a> {
    names: Vec<&'a str>,
    seen: FxHashSet<&'a str>,
    /// Ids of names of two or more words (without titles), by the folded
    /// first and by the folded last word.
    by_first: FxHashMap<String, Vec<usize>>,
    by_last: FxHashMap<String, Vec<usize>>,
    /// The first name of two or more words with these initials.
    by_initials: FxHashMap<String, usize>,
}

impl<'a> Known<'a> {
    fn add(&mut self, text: &'a str) {
        if !self.seen.insert(text) {
            return;
        }
        let id = self.names.len();
        self.names.push(text);
        let words = names::words(names::strip_titles(text));
        if words.len() >= 2 {
            for (key, map) in [
                (&words[0], &mut self.by_first),
                (&words[words.len() - 1], &mut self.by_last),
            ] {
                let ids = map.entry(key.clone()).or_default();
                if ids.len() < MAX_NAMES_PER_WORD {
                    ids.push(id);
                }
            }
        }
        let all = names::words(text);
        if all.len() >= 2 {
            let initials = |skip: bool| -> String {
                all.iter()
                    .filter(|w| !(skip && FUNCTION_WORDS.contains(&w.as_str())))
                    .filter_map(|w| w.chars().next())
                    .collect()
            };
            for i in [initials(true), initials(false)] {
                self.by_initials.entry(i).or_insert(id);
            }
        }
    }

    /// The names that `short` (folded words) may be a short form of, in
    /// order of first mention.
    fn fuller(&self, short: &[String]) -> Vec<&'a str> {
        fn list<'m>(map: &'m FxHashMap<String, Vec<usize>>, w: Option<&String>) -> &'m [usize] {
            w.and_then(|w| map.get(w)).map(Vec::as_slice).unwrap_or(&[])
        }
        let mut ids: Vec<usize> = list(&self.by_last, short.last()).to_vec();
        if short.len() == 1 {
            ids.extend_from_slice(list(&self.by_first, short.first()));
            ids.sort_unstable();
            ids.dedup();
        }
        ids.into_iter().map(|id| self.names[id]).collect()
    }

    /// The first name whose initials `acronym` spells.
    fn expansion(&self, acronym: &str) -> Option<&'a str> {
        if !all_caps(acronym) {
            return None;
        }
        let letters: String = acronym
            .chars()
            .filter(|c| c.is_alphabetic())
            .flat_map(char::to_lowercase)
            .collect();
        if letters.len() < 2 {
            return None;
        }
        self.by_initials.get(&letters).map(|&id| self.names[id])
    }
}

/// The name a mention goes under, given all names of its kind in the article.
fn canonical_name(surface: &str, kind: EntityKind, same_kind: &Known) -> String {
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
            let short = names::words(names::strip_titles(stripped));
            let fuller = same_kind
                .fuller(&short)
                .into_iter()
                .filter(|n| n.len() > stripped.len());
            if let Some(full) = names::fullest_form(stripped, fuller) {
                return strip(full).to_owned();
            }
            if kind == EntityKind::Org {
                if let Some(full) = same_kind.expansion(surface) {
                    return full.to_owned();
                }
            }
            return stripped.to_owned();
        }
        EntityKind::Misc => {}
    }
    surface.to_owned()
}

/// The place of a kind in [`EntityKind::ALL`].
fn kind_index(kind: EntityKind) -> usize {
    EntityKind::ALL.iter().position(|&k| k == kind).unwrap_or(0)
}

/// One entity per canonical name, in order of first mention; the name is
/// written as the article writes it outside capitalised headlines. A name
/// has one kind in an article, the one most of its mentions have; a
/// country's short name is a place ("US", "U.S."), whatever the tagger
/// made of it; honorifics alone are no entity.
pub fn group(body: &str, mentions: &[Mention]) -> Vec<Entity> {
    let mentions: Vec<Mention> = mentions
        .iter()
        .filter_map(|&m| match Surface::of(&body[m.start..m.end]) {
            Surface::Honorifics => None,
            Surface::CountryAlias => Some(Mention {
                kind: EntityKind::Place,
                ..m
            }),
            Surface::Name => Some(m),
        })
        .collect();
    // Distinct names only: a name repeated thirty times is resolved once.
    let mut by_kind: FxHashMap<EntityKind, Known> = FxHashMap::default();
    for m in mentions.iter().filter(|m| m.kind == EntityKind::Person) {
        by_kind
            .entry(m.kind)
            .or_default()
            .add(&body[m.start..m.end]);
    }
    let mentions = surnames_as_people(body, mentions, by_kind.get(&EntityKind::Person));
    for m in mentions.iter().filter(|m| m.kind != EntityKind::Person) {
        by_kind
            .entry(m.kind)
            .or_default()
            .add(&body[m.start..m.end]);
    }
    // Each distinct (kind, surface): its canonical name and the folded name.
    let mut resolved: FxHashMap<(EntityKind, &str), usize> = FxHashMap::default();
    let mut names_of: Vec<(String, String)> = Vec::new();
    let mut out: Vec<Entity> = Vec::new();
    // The entity of each folded name, per kind.
    let mut slot: FxHashMap<String, [Option<usize>; 4]> = FxHashMap::default();
    // The folded name of each entity of `out`.
    let mut keys: Vec<String> = Vec::new();
    // Whether some name has entities of two kinds.
    let mut mixed = false;
    for m in &mentions {
        let surface = &body[m.start..m.end];
        let r = *resolved.entry((m.kind, surface)).or_insert_with(|| {
            // A name across a line break ("Angela\nRuiz") is written
            // with one space.
            let mut name = canonical_name(surface, m.kind, &by_kind[&m.kind]);
            if name.contains(|c: char| c.is_whitespace() && c != ' ') || name.contains("  ") {
                name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            }
            let folded = names::fold(&name);
            names_of.push((name, folded));
            names_of.len() - 1
        });
        let (name, folded) = &names_of[r];
        if folded.is_empty() {
            continue;
        }
        let kind = kind_index(m.kind);
        let i = match slot.get(folded.as_str()).map(|k| (k[kind], k)) {
            Some((Some(i), _)) => i,
            found => {
                mixed |= found.is_some();
                out.push(Entity {
                    name: name.clone(),
                    kind: m.kind,
                    spans: Vec::new(),
                });
                slot.entry(folded.clone()).or_default()[kind] = Some(out.len() - 1);
                keys.push(folded.clone());
                out.len() - 1
            }
        };
        let e = &mut out[i];
        // "LONDON" in a dateline yields to "London" in the text.
        if all_caps(&e.name) && !all_caps(name) {
            e.name = name.clone();
        }
        e.spans.push((m.start, m.end));
    }
    if mixed {
        one_kind_per_name(out, &keys)
    } else {
        out
    }
}

/// A one-word organisation or other name that is the last name of exactly
/// one person the article names in full is that person: news names
/// someone in full once, then by surname, where the tagger, seeing the
/// word alone, may take it for something else ("Darian Roe … Roe said").
/// A place keeps its kind ("Washington" beside "George Washington").
fn surnames_as_people(
    body: &str,
    mut mentions: Vec<Mention>,
    people: Option<&Known>,
) -> Vec<Mention> {
    let Some(people) = people else {
        return mentions;
    };
    for m in &mut mentions {
        if !matches!(m.kind, EntityKind::Org | EntityKind::Misc) {
            continue;
        }
        let text = &body[m.start..m.end];
        if text.contains(char::is_whitespace) || all_caps(text) {
            continue;
        }
        let word = names::words(text);
        if word.len() != 1 {
            continue;
        }
        let fuller = people.fuller(&word);
        let mut by_last = fuller.iter().filter(|n| {
            names::words(names::strip_titles(n))
                .last()
                .is_some_and(|last| *last == word[0])
        });
        if by_last.next().is_some() && by_last.next().is_none() {
            m.kind = EntityKind::Person;
        }
    }
    mentions
}

/// Whether two kinds may both stand for one name in an article: a city or
/// a country is also its team or its government ("Chicago beat Detroit",
/// "in Chicago"), so organisations and places keep apart.
fn both_stand(a: EntityKind, b: EntityKind) -> bool {
    use EntityKind::{Org, Place};
    matches!((a, b), (Org, Place) | (Place, Org))
}

/// Joins the entities of one name under the kind most of its mentions
/// have (on a tie each keeps its own), but for an organisation beside a
/// place (see [`both_stand`]): "Chelsea" tagged a club five times and a
/// person once is one club.
/// `folded` holds each entity's folded name.
fn one_kind_per_name(entities: Vec<Entity>, folded: &[String]) -> Vec<Entity> {
    let at = kind_index;
    // Mentions of each kind, per folded name.
    let mut counts: FxHashMap<&str, [usize; 4]> = FxHashMap::default();
    for (f, e) in folded.iter().zip(&entities) {
        counts.entry(f).or_default()[at(e.kind)] += e.spans.len();
    }
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    let mut slot: FxHashMap<(&str, EntityKind), usize> = FxHashMap::default();
    for (f, mut e) in folded.iter().zip(entities) {
        let c = counts.get(f.as_str()).copied().unwrap_or_default();
        let best = (0..4).fold(at(e.kind), |b, k| if c[k] > c[b] { k } else { b });
        let majority = EntityKind::ALL[best];
        if !both_stand(e.kind, majority) {
            e.kind = majority;
        }
        match slot.entry((f, e.kind)) {
            std::collections::hash_map::Entry::Occupied(o) => {
                let joined = &mut out[*o.get()];
                if all_caps(&joined.name) && !all_caps(&e.name) {
                    joined.name = e.name;
                }
                joined.spans.extend(e.spans);
                joined.spans.sort_unstable();
            }
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(out.len());
                out.push(e);
            }
        }
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
    fn a_surname_the_tagger_took_for_something_else_is_the_person() {
        let body =
            "Darian Roe spoke. Roe said no. Acme hired Jo Acme. Washington met George Washington.";
        let ms = [
            mention(body, "Darian Roe", 0, EntityKind::Person),
            mention(body, "Roe", 1, EntityKind::Org),
            mention(body, "Acme", 0, EntityKind::Org),
            mention(body, "Jo Acme", 0, EntityKind::Person),
            mention(body, "Washington", 0, EntityKind::Place),
            mention(body, "George Washington", 0, EntityKind::Person),
        ];
        let ents = group(body, &ms);
        let got: Vec<(&str, EntityKind, usize)> = ents
            .iter()
            .map(|e| (e.name.as_str(), e.kind, e.spans.len()))
            .collect();
        assert_eq!(
            got,
            [
                ("Darian Roe", EntityKind::Person, 2),
                ("Jo Acme", EntityKind::Person, 2),
                ("Washington", EntityKind::Place, 1),
                ("George Washington", EntityKind::Person, 1),
            ]
        );
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
    fn a_name_has_one_kind_in_an_article() {
        let body = "Chelsea beat Arsenal. Chelsea led. Chelsea said so.";
        let ms = [
            mention(body, "Chelsea", 0, EntityKind::Org),
            mention(body, "Arsenal", 0, EntityKind::Org),
            mention(body, "Chelsea", 1, EntityKind::Person),
            mention(body, "Chelsea", 2, EntityKind::Org),
        ];
        let ents = group(body, &ms);
        assert_eq!(ents.len(), 2, "{ents:?}");
        assert_eq!(ents[0].kind, EntityKind::Org);
        assert_eq!(ents[0].spans.len(), 3);
        assert!(ents[0].spans.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_city_may_be_a_team_and_a_place() {
        let body = "In Chicago, Chicago beat Detroit. Chicago won.";
        let ms = [
            mention(body, "Chicago", 0, EntityKind::Place),
            mention(body, "Chicago", 1, EntityKind::Org),
            mention(body, "Detroit", 0, EntityKind::Org),
            mention(body, "Chicago", 2, EntityKind::Org),
        ];
        let kinds: Vec<EntityKind> = group(body, &ms).iter().map(|e| e.kind).collect();
        assert_eq!(kinds, [EntityKind::Place, EntityKind::Org, EntityKind::Org]);
    }

    #[test]
    fn honorifics_alone_are_no_entity() {
        let body = "Mr said, and Lord and Dr. Jo Roe agreed.";
        let ms = [
            mention(body, "Mr", 0, EntityKind::Person),
            mention(body, "Lord", 0, EntityKind::Place),
            mention(body, "Dr. Jo Roe", 0, EntityKind::Person),
        ];
        let names: Vec<String> = group(body, &ms).into_iter().map(|e| e.name).collect();
        assert_eq!(names, ["Jo Roe"]);
    }

    #[test]
    fn country_short_names_are_places() {
        let body = "The US said the United States would act.";
        let ms = [
            mention(body, "US", 0, EntityKind::Org),
            mention(body, "United States", 0, EntityKind::Place),
        ];
        let ents = group(body, &ms);
        assert_eq!(ents.len(), 1, "{ents:?}");
        assert_eq!(ents[0].kind, EntityKind::Place);
        assert_eq!(ents[0].name, "United States");
    }
}
