//! The people an article mentions outside its quotes, so that "he" and
//! "Mr. Lavrov" can be turned into the fullest name the article uses.
//!
//! Built once per article from one pass over its words.

use super::spans::Span;
use super::speaker::{is_speech_verb, join_name, name_word, pronoun, trim_name, Gender};
use super::tokens::{tokenize, Token};
use super::words::{
    FEMALE, FEMALE_NOUNS, MALE, MALE_NOUNS, NOT_PERSON, OPENERS, PARTICIPLE_OPENERS, PREPOSITIONS,
};
use crate::extract::names;
use crate::{Entity, EntityKind};
use std::collections::{HashMap, HashSet};

/// A person named outside the quotes.
#[derive(Debug, Clone)]
struct Mention {
    start: usize,
    /// The name without titles, as written.
    name: String,
    /// Its folded words, for matching short forms.
    words: Vec<String>,
    gender: Gender,
    /// The tagger took it for a place, an organisation or something else
    /// than a person ("British Columbia", "Christmas Day").
    not_person: bool,
    /// Written with "'s": a possessive qualifies a noun ("Gerrard's
    /// drive") and is not what its sentence is about.
    possessive: bool,
    /// Right after a preposition ("What users do with Blinkx"): the
    /// object of a phrase, seldom what a pronoun after it stands for.
    oblique: bool,
    /// Inside its sentence's opening phrase ("At talks with Mr Blair,
    /// Mr Abbas said …"), not its subject.
    opening: bool,
    /// That opening phrase is a participle's, whose subject is the
    /// sentence's ("Asked about Mr Blair, he said …"): no name in it is
    /// whom the sentence's pronoun stands for.
    participial: bool,
    /// Found by the entity tagger as a person.
    tagged: bool,
    /// Next to a speech verb: the one its sentence has speaking ("…,
    /// argued Mr Howard", "Mr Howard said").
    speaks: bool,
    /// A lone name with an apposition after it ("Yuni, a resident of
    /// Lampung,"): a person the article describes, known by one name.
    apposed: bool,
    /// In a photo caption: whom the picture shows, not whom the text
    /// around it is about; only a last resort for a pronoun.
    caption: bool,
}

/// Most distinct full names one word is looked up among: far more than any
/// article has, few enough that a hostile file of a hundred thousand names
/// stays linear.
const MAX_FORMS_PER_WORD: usize = 64;

/// Descriptions of one article looked up in the text around them.
const MAX_LOOKUPS: usize = 512;

/// Mentions before a pronoun among which a person of its gender is
/// looked for when the nearest give none: a few paragraphs' worth.
const MAX_PRONOUN_MENTIONS: usize = 64;

/// Sentences before a pronoun's own in which its person is looked for.
const SALIENCE_SENTENCES: usize = 6;

/// The people of one article.
#[derive(Debug, Default)]
pub struct People {
    /// How many more descriptions may be looked up in the text around
    /// them ([`People::take_lookup`]): each reads up to 20 KB, and a
    /// hostile file of a million "the mayor said" must stay linear.
    lookups: std::cell::Cell<usize>,
    /// In the order of the text.
    mentions: Vec<Mention>,
    /// Where each sentence of the body starts (a line break starts one too).
    sentences: Vec<usize>,
    /// The sentences whose subject is "he" or "she", in order.
    subjects: Vec<SubjectPronoun>,
    /// The organisations the tagger found: (offset, name), in order.
    organisations: Vec<(usize, String)>,
    /// Each distinct name of two or more words, once.
    forms: Vec<Form>,
    /// Forms by their first word and by their last, in the order of their
    /// first mention: a short form is looked up, never searched for, so an
    /// article's cost stays linear in its mentions.
    by_first: HashMap<String, Vec<usize>>,
    by_last: HashMap<String, Vec<usize>>,
    /// Gender by folded surname, where a title or given name told it.
    genders: HashMap<String, Gender>,
    /// The article's organisations whose names begin with a title, folded:
    /// they keep it ("General Motors").
    orgs: HashSet<String>,
}

/// One name of several words as the article writes it, with where.
#[derive(Debug)]
struct Form {
    name: String,
    words: Vec<String>,
    gender: Gender,
    /// Offsets of its mentions, ascending.
    starts: Vec<usize>,
}

impl Form {
    /// Its last mention before `pos`.
    fn last_before(&self, pos: usize) -> Option<usize> {
        let n = self.starts.partition_point(|&s| s < pos);
        n.checked_sub(1).map(|i| self.starts[i])
    }
}

/// A sentence whose subject is a pronoun that tells a gender: "He added
/// that …", "When Roe was at school, she studied …".
#[derive(Debug, Clone, Copy)]
struct SubjectPronoun {
    at: usize,
    gender: Gender,
    /// It follows the sentence's opening phrase.
    after_opening: bool,
}

/// The subject pronoun of the sentence that opens at `tokens[k]`: its
/// first word, or the first after an opening phrase's comma.
fn subject_pronoun(tokens: &[Token], k: usize) -> Option<SubjectPronoun> {
    let gendered = |t: &Token| match pronoun(t) {
        Some(g @ (Gender::Male | Gender::Female)) => Some(g),
        _ => None,
    };
    let mut k = k;
    // Past a quotation mark or bracket that opens the sentence.
    while tokens
        .get(k)
        .is_some_and(|t| !t.is_word() && !t.ends_sentence())
    {
        k += 1;
    }
    let first = tokens.get(k)?;
    if let Some(gender) = gendered(first) {
        return Some(SubjectPronoun {
            at: first.start,
            gender,
            after_opening: false,
        });
    }
    let lower = first.lower();
    let opener = OPENERS.contains(lower.as_str()) || participle(&lower);
    if !opener {
        return None;
    }
    let comma = (k + 1..tokens.len().min(k + 25))
        .take_while(|&c| !tokens[c].ends_sentence())
        .find(|&c| tokens[c].is(','))?;
    let t = tokens.get(comma + 1)?;
    gendered(t).map(|gender| SubjectPronoun {
        at: t.start,
        gender,
        after_opening: true,
    })
}

/// Whether the name ending at `end` is followed by a possessive "'s".
fn possessive_at(body: &str, end: usize) -> bool {
    let before = &body[..end];
    let after = &body[end..];
    before.ends_with("'s")
        || before.ends_with("’s")
        || after.starts_with("'s")
        || after.starts_with("’s")
}

/// Whether the word before `start` is a preposition.
fn oblique_at(body: &str, start: usize) -> bool {
    let before = body.get(..start).unwrap_or("").trim_end();
    before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .is_some_and(|w| !w.is_empty() && PREPOSITIONS.contains_folded(w))
}

/// Marks the mentions inside the opening phrase of their sentence: one
/// that begins with a preposition or a subordinator and runs to the
/// first comma ("At a news conference with Mr Blair, Mr Abbas said").
fn mark_openings(body: &str, sentences: &[usize], mentions: &mut [Mention]) {
    for (k, &lo) in sentences.iter().enumerate() {
        let hi = sentences.get(k + 1).copied().unwrap_or(body.len());
        let text = &body[lo..hi];
        let first = text
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_lowercase();
        // "Knowing Bardos was a fan, Cerato …", "Asked about Roe, he …"
        // open with a participle.
        let participial = participle(&first);
        if !OPENERS.contains(first.as_str()) && !participial {
            continue;
        }
        // "For Richard Tate, who …, the need grew": whom the sentence is
        // about, as a topic, not a circumstance.
        let topic = first == "for"
            && text
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .get(3..)
                .is_some_and(|rest| rest.trim_start().starts_with(char::is_uppercase));
        if topic {
            continue;
        }
        let Some(comma) = text.find(',').map(|c| lo + c) else {
            continue;
        };
        let a = mentions.partition_point(|m| m.start < lo);
        let b = mentions.partition_point(|m| m.start < comma);
        for m in &mut mentions[a..b] {
            m.opening = true;
            m.participial = participial;
        }
    }
}

/// Whether a sentence's first word, in lower case, is a participle that
/// opens a phrase before its subject: "Knowing …", "Asked …".
fn participle(first: &str) -> bool {
    (first.len() >= 6 && first.ends_with("ing")) || PARTICIPLE_OPENERS.contains(first)
}

/// The gender a name's words tell: an honorific, else its given name,
/// the first word after its titles. Words before a title that is not the
/// name's last word qualify it ("Calgary MP Jo Roe", "Labour MP Jo
/// Roe") and are passed over.
/// Records `gender` under `key`: genders that disagree leave it unknown.
fn agree<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Gender>, key: K, gender: Gender) {
    let g = map.entry(key).or_insert(gender);
    if *g != gender {
        *g = Gender::Unknown;
    }
}

/// "Toronto's Out" (of "Toronto's Out of the Cold program") is no one's
/// name: a possessive inside a name owns what follows it.
fn owned(name: &str) -> bool {
    let mut words = name.split_whitespace().rev().skip(1);
    words.any(|w| w.ends_with("'s") || w.ends_with("’s"))
}

fn gender_of(tokens: &[Token]) -> Gender {
    let last_title = tokens[..tokens.len().saturating_sub(1)]
        .iter()
        .rposition(|t| names::is_title(t.text));
    for (i, t) in tokens.iter().enumerate() {
        match t.lower().as_str() {
            "mr" => return Gender::Male,
            "mrs" | "ms" | "miss" => return Gender::Female,
            w if names::is_title(w) => continue,
            w if FEMALE.contains(w) => return Gender::Female,
            w if MALE.contains(w) => return Gender::Male,
            _ if last_title.is_some_and(|l| i < l) => continue,
            _ => return Gender::Unknown,
        }
    }
    Gender::Unknown
}

/// The gender a noun right before a name tells ("her son Jo Roe", "the
/// actress Jo Roe", "his wife, Jo Roe,"), the name starting at
/// `tokens[s]`.
fn gender_before(tokens: &[Token], s: usize) -> Gender {
    let noun = |k: usize| {
        let t = &tokens[k];
        if !t.is_word() || t.is_capitalised() {
            return Gender::Unknown;
        }
        let w = t.lower();
        if FEMALE_NOUNS.contains(w.as_str()) {
            Gender::Female
        } else if MALE_NOUNS.contains(w.as_str()) {
            Gender::Male
        } else {
            Gender::Unknown
        }
    };
    match s.checked_sub(1) {
        Some(k) if tokens[k].is(',') => {
            // After a comma, only as whose relative ("his wife, Jo Roe").
            let whose = k >= 2
                && matches!(
                    tokens[k - 2].lower().as_str(),
                    "his" | "her" | "their" | "my" | "our" | "your"
                );
            if whose {
                noun(k - 1)
            } else {
                Gender::Unknown
            }
        }
        Some(k) => noun(k),
        None => Gender::Unknown,
    }
}

impl People {
    /// Scans the body outside the quote spans; person entities, when the
    /// tagger found any, count as people too. Names in `captions` (byte
    /// ranges, in order) are a pronoun's last resort only, and their
    /// organisations are none: whom a photo shows is not whom the
    /// article goes on to quote. A `wrapped` body
    /// ([`crate::extract::wrap::hard_wrapped`]) has no sentence or name
    /// end at a line end that goes on.
    pub fn new(
        body: &str,
        wrapped: bool,
        spans: &[Span],
        entities: &[Entity],
        captions: &[(usize, usize)],
    ) -> Self {
        let mut mentions: Vec<Mention> = Vec::new();
        // First and last words of the multi-word names seen so far.
        let mut name_ends: HashSet<String> = HashSet::new();
        let mut span_i = 0;
        // Piece by piece, which end at paragraph breaks: the words of a
        // whole dump would take 16 bytes per byte of text.
        // What the tagger found that is not a person.
        let others: Vec<(usize, usize)> = entities
            .iter()
            .filter(|e| e.kind != EntityKind::Person)
            .flat_map(|e| e.spans.iter().copied())
            .collect();
        // Whether `at` is outside every quote: whom a quote names is not
        // who is spoken of around it.
        let outside = |at: usize| {
            let q = spans.partition_point(|q| q.open <= at);
            q == 0 || spans[q - 1].close <= at
        };
        let mut sentences = vec![0];
        let mut subjects = Vec::new();
        // A line end is a break unless the body is hard-wrapped and the
        // line goes on ("Angela\nRuiz, a nurse …").
        let breaks =
            |from: usize, to: usize| crate::extract::wrap::breaks_line(body, from, to, wrapped);
        for (offset, piece) in crate::extract::chunks(body) {
            crate::guard::checkpoint();
            let tokens = tokenize(piece, offset);
            if offset == 0 {
                subjects.extend(subject_pronoun(&tokens, 0).filter(|s| outside(s.at)));
            }
            for (k, t) in tokens.iter().enumerate().skip(1) {
                let prev = &tokens[k - 1];
                let new_line = breaks(prev.end, t.start);
                // A sentence opens with a capital, or with a quotation mark
                // or bracket before one.
                let opens = t.is_capitalised() || (!t.is_word() && !t.ends_sentence());
                let after_stop = prev.ends_sentence() && opens;
                if (new_line || after_stop) && sentences.last() != Some(&t.start) {
                    sentences.push(t.start);
                    subjects.extend(subject_pronoun(&tokens, k).filter(|s| outside(s.at)));
                }
            }
            let mut i = 0;
            while i < tokens.len() {
                if !name_word(&tokens, i) {
                    i += 1;
                    continue;
                }
                // A name ends at a line break ("… Jo Roe" closing a
                // paragraph, "Roe turned …" opening the next).
                let mut j = i;
                while j < tokens.len()
                    && name_word(&tokens, j)
                    && (j == i || !breaks(tokens[j - 1].end, tokens[j].start))
                {
                    j += 1;
                }
                let seq_start = i;
                i = j;
                // "(Jo Roe/CBC)", "Jo Roe / Reuters": a photo credit, no
                // one the article speaks of.
                let slash =
                    |k: Option<usize>| k.and_then(|k| tokens.get(k)).is_some_and(|t| t.is('/'));
                if slash(Some(j)) || slash(seq_start.checked_sub(1)) {
                    continue;
                }
                while span_i < spans.len() && spans[span_i].end <= tokens[seq_start].start {
                    span_i += 1;
                }
                if spans
                    .get(span_i)
                    .is_some_and(|s| s.start <= tokens[seq_start].start)
                {
                    continue;
                }
                let Some(s) = trim_name(&tokens, seq_start, j) else {
                    continue;
                };
                let seq = &tokens[s..j];
                let titled = seq.len() > 1 && names::is_title(seq[0].text);
                let bare: Vec<&Token> = seq
                    .iter()
                    .skip_while(|t| seq.len() > 1 && names::is_title(t.text))
                    .collect();
                if bare.is_empty() || bare.len() > 4 {
                    continue;
                }
                let honorific =
                    matches!(seq[0].lower().as_str(), "mr" | "mrs" | "ms" | "miss" | "dr");
                let org =
                    !honorific && bare.iter().any(|t| NOT_PERSON.contains(t.lower().as_str()));
                if org {
                    continue;
                }
                let bare: Vec<Token> = bare.into_iter().copied().collect();
                let name = join_name(&bare);
                if owned(&name) {
                    continue;
                }
                // A lone word is a person when a speech verb is next to it
                // ("Bozell notes") or it is a short form of a fuller name.
                let verb_after = tokens.get(j).is_some_and(is_speech_verb);
                let verb_before = s.checked_sub(1).is_some_and(|p| is_speech_verb(&tokens[p]));
                let speaks = verb_after || verb_before;
                let words = names::words(&name);
                let apposed = words.len() == 1
                    && tokens.get(j).is_some_and(|t| t.is(','))
                    && tokens
                        .get(j + 1)
                        .is_some_and(|t| matches!(t.text, "a" | "an"));
                let person = titled
                    || words.len() >= 2
                    || speaks
                    || apposed
                    || words.first().is_some_and(|w| name_ends.contains(w));
                if person {
                    if words.len() >= 2 {
                        name_ends.extend(words.first().cloned());
                        name_ends.extend(words.last().cloned());
                    }
                    let (start, end) = (tokens[s].start, tokens[j - 1].end);
                    // The tagger's word counts where it covers the surname.
                    let last = tokens[j - 1].start;
                    mentions.push(Mention {
                        start,
                        name,
                        words,
                        gender: match gender_of(seq) {
                            Gender::Unknown => gender_before(&tokens, s),
                            g => g,
                        },
                        not_person: others.iter().any(|&(a, b)| a <= last && end <= b),
                        possessive: possessive_at(body, end),
                        oblique: oblique_at(body, start),
                        opening: false,
                        participial: false,
                        tagged: false,
                        // "Roe said", or "…, argued Roe." at a clause's
                        // end; not "said Roe was …", where Roe is spoken of.
                        speaks: verb_after
                            || (verb_before
                                && tokens.get(j).is_none_or(|t| t.ends_sentence() || t.is(','))),
                        apposed,
                        caption: false,
                    });
                }
            }
        }
        for e in entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person && !owned(&e.name))
        {
            for &(start, end) in e.spans.iter().filter(|&&(s, _)| outside(s)) {
                let words = names::words(&e.name);
                // "Tory" of "Tory leader Michael Howard" is no one.
                let not_person = words.iter().all(|w| NOT_PERSON.contains(w.as_str()));
                mentions.push(Mention {
                    start,
                    name: e.name.clone(),
                    words,
                    gender: Gender::Unknown,
                    not_person,
                    possessive: possessive_at(body, end),
                    oblique: oblique_at(body, start),
                    opening: false,
                    participial: false,
                    tagged: true,
                    speaks: false,
                    apposed: false,
                    caption: false,
                });
            }
        }
        let in_caption = |at: usize| {
            let c = captions.partition_point(|&(start, _)| start <= at);
            c > 0 && at < captions[c - 1].1
        };
        for m in &mut mentions {
            m.caption = in_caption(m.start);
        }
        mentions.sort_by_key(|m| m.start);
        mark_openings(body, &sentences, &mut mentions);
        // A full name's gender, once one of its mentions tells it, holds
        // for all of them: the tagger's "Jo Roe" where the words read
        // "Ms Jo Roe", or a later bare "Jo Roe".
        let mut by_full: HashMap<&[String], Gender> = HashMap::new();
        for m in mentions.iter().filter(|m| m.words.len() >= 2) {
            if m.gender != Gender::Unknown {
                agree(&mut by_full, m.words.as_slice(), m.gender);
            }
        }
        let full_genders: Vec<Gender> = mentions
            .iter()
            .map(|m| match by_full.get(m.words.as_slice()) {
                Some(&g) if m.gender == Gender::Unknown => g,
                _ => m.gender,
            })
            .collect();
        for (m, g) in mentions.iter_mut().zip(full_genders) {
            m.gender = g;
        }
        // A surname's gender, once a title or given name tells it, holds
        // for its other mentions, when every person of the article with
        // that surname has it: "Greenspan" is no one's gender after Dorie
        // and Michael Greenspan.
        let mut holders: HashMap<&str, HashMap<String, Gender>> = HashMap::new();
        for m in &mentions {
            let Some(last) = m.words.last() else { continue };
            if m.words.len() < 2 && m.gender == Gender::Unknown {
                continue;
            }
            let g = holders
                .entry(last.as_str())
                .or_default()
                .entry(m.words.join(" "))
                .or_insert(Gender::Unknown);
            if m.gender != Gender::Unknown {
                *g = m.gender;
            }
        }
        let by_surname: HashMap<String, Gender> = holders
            .into_iter()
            .filter_map(|(last, names)| {
                let mut genders = names.into_values();
                let first = genders.next()?;
                (first != Gender::Unknown && genders.all(|g| g == first))
                    .then(|| (last.to_owned(), first))
            })
            .collect();
        for m in &mut mentions {
            if m.gender == Gender::Unknown {
                if let Some(g) = m.words.last().and_then(|l| by_surname.get(l)) {
                    m.gender = *g;
                }
            }
        }
        // A lone given name has the gender of the full names it begins,
        // when they agree ("Jo" after "her son Jo Roe").
        let mut by_given: HashMap<String, Gender> = HashMap::new();
        for m in mentions.iter().filter(|m| m.words.len() >= 2) {
            agree(&mut by_given, m.words[0].clone(), m.gender);
        }
        for m in &mut mentions {
            if m.gender == Gender::Unknown && m.words.len() == 1 {
                if let Some(&g) = by_given.get(&m.words[0]) {
                    m.gender = g;
                }
            }
        }
        // Only titles that also begin organisations' names count: a
        // "Representative Brooks" or "Mr. Trump" the tagger calls an
        // organisation is a person, and so is one that ends in the surname
        // of a person of the article ("Justice Scalia", "Antonin Scalia").
        let surnames: HashSet<String> = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Person)
            .filter_map(|e| names::words(&e.name).pop())
            .collect();
        let orgs = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Org)
            .map(|e| names::words(&e.name))
            .filter(|w| {
                w.first().is_some_and(|f| names::begins_organisations(f))
                    && w.last().is_some_and(|l| !surnames.contains(l))
            })
            .map(|w| w.join(" "))
            .collect();
        let mut organisations: Vec<(usize, String)> = entities
            .iter()
            .filter(|e| e.kind == EntityKind::Org)
            .flat_map(|e| e.spans.iter().map(|&(s, _)| (s, e.name.clone())))
            .filter(|&(s, _)| outside(s) && !in_caption(s))
            .collect();
        organisations.sort();
        let mut people = People {
            mentions,
            sentences,
            subjects,
            organisations,
            genders: by_surname,
            orgs,
            lookups: std::cell::Cell::new(MAX_LOOKUPS),
            ..People::default()
        };
        people.index_forms();
        people
    }

    fn index_forms(&mut self) {
        let mut ids: HashMap<(&str, Gender), usize> = HashMap::new();
        for m in self.mentions.iter().filter(|m| m.words.len() >= 2) {
            let id = *ids.entry((&m.name, m.gender)).or_insert_with(|| {
                self.forms.push(Form {
                    name: m.name.clone(),
                    words: m.words.clone(),
                    gender: m.gender,
                    starts: Vec::new(),
                });
                self.forms.len() - 1
            });
            self.forms[id].starts.push(m.start);
        }
        for (id, f) in self.forms.iter().enumerate() {
            for (key, map) in [
                (&f.words[0], &mut self.by_first),
                (&f.words[f.words.len() - 1], &mut self.by_last),
            ] {
                let ids = map.entry(key.clone()).or_default();
                if ids.len() < MAX_FORMS_PER_WORD {
                    ids.push(id);
                }
            }
        }
    }

    /// `name` without the titles before it, unless it is an organisation's.
    pub fn strip_titles<'n>(&self, name: &'n str) -> &'n str {
        if self.orgs.contains(&names::fold(name)) {
            name
        } else {
            names::strip_titles(name)
        }
    }

    /// The fullest name the article uses for `name`, preferring the person
    /// mentioned last before `pos` when several fit ("Clinton" after
    /// "Bill Clinton"). Titles are dropped; a name with no fuller form is
    /// returned without them.
    pub fn canonical(&self, name: &str, pos: usize) -> String {
        self.canonical_as(name, pos, Gender::Unknown)
    }

    /// [`People::canonical`], of a person known to be of `gender` (the
    /// pronoun that stands for them): "Pell" for "she" is Nora Pell,
    /// not Peter Pell.
    fn canonical_as(&self, name: &str, pos: usize, gender: Gender) -> String {
        let bare = self.strip_titles(name);
        let hint = match names::words(name).first().map(String::as_str) {
            Some("mr") => Gender::Male,
            Some("mrs" | "ms" | "miss") => Gender::Female,
            _ => gender,
        };
        let short = names::words(bare);
        let (Some(first), Some(last)) = (short.first(), short.last()) else {
            return bare.to_owned();
        };
        // A surname match beats a given-name match ("Trump" is not "Trump Tower").
        let fits = |f: &Form, by_surname: bool| {
            let full = &f.words;
            !(hint != Gender::Unknown && f.gender != Gender::Unknown && f.gender != hint)
                && full.len() > short.len()
                && (full.last() == short.last()) == by_surname
                && names::is_short_form(&short, full)
        };
        // The fitting form mentioned last before `pos`, else the one
        // mentioned first.
        let pick = |by_surname: bool| {
            // Only a lone given name is a short form with another last word.
            if !by_surname && short.len() > 1 {
                return None;
            }
            let key = if by_surname { last } else { first };
            let fitting = || {
                self.forms_by(key, by_surname)
                    .iter()
                    .map(|&id| &self.forms[id])
                    .filter(|f| fits(f, by_surname))
            };
            fitting()
                .filter_map(|f| Some((f.last_before(pos)?, f)))
                .max_by_key(|(start, _)| *start)
                .map(|(_, f)| f)
                .or_else(|| fitting().min_by_key(|f| f.starts[0]))
        };
        match pick(true).or_else(|| pick(false)) {
            Some(m) => {
                // Prefer the longest form of the same person.
                let mut full = m;
                for &id in self.forms_by(&m.words[m.words.len() - 1], true) {
                    let other = &self.forms[id];
                    if other.words.len() > full.words.len()
                        && names::is_short_form(&m.words, &other.words)
                    {
                        full = other;
                    }
                }
                full.name.clone()
            }
            None => bare.to_owned(),
        }
    }

    /// The forms whose last (or first) word is `word`, in the order of
    /// their first mention.
    fn forms_by(&self, word: &str, last: bool) -> &[usize] {
        let map = if last { &self.by_last } else { &self.by_first };
        map.get(word).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether a pronoun of `gender` may stand for the named speaker: a
    /// person (a capitalised name) whose known gender does not clash.
    pub fn may_be(&self, name: &str, gender: Gender) -> bool {
        if gender == Gender::Unknown
            || !name.starts_with(char::is_uppercase)
            || name.starts_with("The ")
        {
            return false;
        }
        let words = names::words(name);
        let known = words
            .last()
            .and_then(|l| self.genders.get(l))
            .copied()
            .unwrap_or(Gender::Unknown);
        let first = words.first().map(String::as_str).unwrap_or("");
        let by_name = if FEMALE.contains(first) {
            Gender::Female
        } else if MALE.contains(first) {
            Gender::Male
        } else {
            Gender::Unknown
        };
        [known, by_name]
            .iter()
            .all(|g| *g == Gender::Unknown || *g == gender)
    }

    /// The person a pronoun of `gender` in the sentence at `pos` most
    /// likely stands for: the most salient person of the sentences before
    /// it, as a reader takes it (centering): the first person named in the
    /// nearest sentence that names one whose gender does not clash, within
    /// the last few sentences. `None` when there is none. With
    /// [`Gender::Unknown`] (a description), any person.
    pub fn salient(&self, gender: Gender, pos: usize) -> Option<String> {
        self.salient_from(gender, pos, false, 0)
    }

    /// [`People::salient`] for a pronoun at `pos` that is its clause's
    /// subject: in its own sentence, a person of the opening phrase
    /// before it counts ("When Roe was at school, he studied …").
    pub fn salient_before_pronoun(&self, gender: Gender, pos: usize) -> Option<String> {
        self.salient_from(gender, pos, true, 0)
    }

    /// Sentences whose subject is a fitting pronoun go on with whom that
    /// pronoun stands for ("Roe met Doe. She said she would … “…,” she
    /// said" is Roe's), not with whom they name after it; `depth` bounds
    /// how many such sentences are followed back.
    fn salient_from(
        &self,
        gender: Gender,
        pos: usize,
        own_opening: bool,
        depth: usize,
    ) -> Option<String> {
        for (n, (lo, hi)) in self.sentences_before(pos).enumerate() {
            if n > 0 && gender != Gender::Unknown && depth < 3 {
                let i = self.subjects.partition_point(|s| s.at < lo);
                let chained = self.subjects[i..]
                    .iter()
                    .take_while(|s| s.at < hi)
                    .find(|s| s.gender == gender);
                if let Some(s) = chained {
                    if let Some(person) =
                        self.salient_from(gender, s.at, s.after_opening, depth + 1)
                    {
                        return Some(person);
                    }
                }
            }
            let a = self.mentions.partition_point(|m| m.start < lo);
            let b = self.mentions.partition_point(|m| m.start < hi);
            let opening_counts = own_opening && n == 0;
            let in_sentence: Vec<&Mention> = self.mentions[a..b]
                .iter()
                .filter(|m| {
                    self.antecedent(m)
                        || (opening_counts && m.opening && self.antecedent_in_opening(m))
                })
                .collect();
            // The one the sentence has speaking, else the first whose
            // gender does not clash: its subject, most often, which a
            // reader takes a pronoun for ("It was no good Mr Blair
            // claiming …, argued Mr Howard. …, he added" is Mr Howard).
            let fits = |m: &&&Mention| {
                gender == Gender::Unknown || m.gender == Gender::Unknown || m.gender == gender
            };
            // A lone word of no known gender after a preposition ("What
            // users do with Blinkx") is too weak to stand for a pronoun.
            let weak = |m: &&&Mention| {
                gender != Gender::Unknown
                    && m.oblique
                    && m.words.len() == 1
                    && m.gender == Gender::Unknown
                    && !m.speaks
            };
            let pick = in_sentence
                .iter()
                .filter(fits)
                .find(|m| m.speaks)
                .or_else(|| in_sentence.iter().filter(|m| !weak(m)).find(fits));
            if let Some(m) = pick {
                return Some(self.canonical_as(&m.name, m.start + 1, gender));
            }
        }
        None
    }

    /// Whether a mention can be what a pronoun stands for: a person (not
    /// what the tagger calls a place or an organisation), not in a
    /// possessive or an opening phrase, and known as a person: a name of
    /// two words or more, a short form of one, one with a title or a
    /// gender, or a name the tagger took for a person's away from the
    /// start of a sentence ("Dance teacher Eve Trew" names Eve Trew, not
    /// "Dance").
    fn antecedent(&self, m: &Mention) -> bool {
        // A capital opens every sentence: a lone word there is a person
        // only as the short form of a fuller name.
        let opens_sentence = self.sentences.binary_search(&m.start).is_ok();
        let known = m.words.len() >= 2
            || m.apposed
            || m.gender != Gender::Unknown
            || (m.tagged && !opens_sentence)
            || m.words.first().is_some_and(|w| {
                !self.forms_by(w, true).is_empty() || !self.forms_by(w, false).is_empty()
            });
        // A title or a given name outweighs the tagger: "Mr Cable" is no
        // place, whatever it says.
        let person = !m.not_person || m.gender != Gender::Unknown;
        known && person && !m.possessive && !m.opening && !m.caption
    }

    /// [`People::antecedent`], but for a mention of an opening phrase.
    fn antecedent_in_opening(&self, m: &Mention) -> bool {
        // The tagger's names are as it cut them ("When Roe"); a
        // participle's subject is the sentence's, not a name in it.
        if m.tagged || m.participial {
            return false;
        }
        let plain = Mention {
            opening: false,
            ..m.clone()
        };
        self.antecedent(&plain)
    }

    /// Whether `name` may be a person's: not an organisation of the
    /// tagger's, nor a name it only ever took for a place or the like
    /// ("New Hampshire"), nor one with a word of bodies and places.
    pub fn may_be_person(&self, name: &str) -> bool {
        let words = names::words(name);
        if self.is_organisation(name) || words.iter().any(|w| NOT_PERSON.contains(w.as_str())) {
            return false;
        }
        // A given name outweighs the tagger ("Cormac Murphy-O'Connor").
        let given = words
            .first()
            .is_some_and(|w| FEMALE.contains(w.as_str()) || MALE.contains(w.as_str()));
        let mut same = self.mentions.iter().filter(|m| m.words == words).peekable();
        given || same.peek().is_none() || same.any(|m| !m.not_person || m.gender != Gender::Unknown)
    }

    /// Whether the tagger found `name` as a person or an organisation,
    /// or it is the name of someone of known gender ("Mr. Roe").
    pub fn is_tagged(&self, name: &str) -> bool {
        let words = names::words(name);
        self.is_organisation(name)
            || self.mentions.iter().any(|m| {
                m.words == words && !m.not_person && (m.tagged || m.gender != Gender::Unknown)
            })
    }

    /// Whether the tagger found an organisation of this name.
    pub fn is_organisation(&self, name: &str) -> bool {
        self.organisations
            .iter()
            .any(|(_, o)| o.eq_ignore_ascii_case(name))
    }

    /// Whether `name` is the short form of a fuller name of the article
    /// ("Tory" of "John Tory").
    pub fn is_known(&self, name: &str) -> bool {
        names::words(name)
            .last()
            .is_some_and(|w| !self.forms_by(w, true).is_empty())
    }

    /// Whether one more description may be looked up in the text around
    /// it: at most [`MAX_LOOKUPS`] an article, far more than any has.
    pub fn take_lookup(&self) -> bool {
        let left = self.lookups.get();
        self.lookups.set(left.saturating_sub(1));
        left > 0
    }

    /// The first person named in the sentence that holds `pos` (the
    /// subject, most often).
    pub fn first_in_sentence(&self, pos: usize) -> Option<String> {
        let (lo, hi) = self.sentence_at(pos);
        let a = self.mentions.partition_point(|m| m.start < lo);
        let b = self.mentions.partition_point(|m| m.start < hi);
        let m = self.mentions[a..b].iter().find(|m| self.antecedent(m))?;
        Some(self.canonical(&m.name, m.start + 1))
    }

    /// The byte range of the sentence that holds `pos`.
    fn sentence_at(&self, pos: usize) -> (usize, usize) {
        let i = self
            .sentences
            .partition_point(|&s| s <= pos)
            .saturating_sub(1);
        let lo = self.sentences.get(i).copied().unwrap_or(0);
        (lo, self.sentences.get(i + 1).copied().unwrap_or(usize::MAX))
    }

    /// Whether the person named `name` is named in `range` of the body.
    pub fn named_in(&self, name: &str, range: std::ops::Range<usize>) -> bool {
        let a = self.mentions.partition_point(|m| m.start < range.start);
        let b = self.mentions.partition_point(|m| m.start < range.end);
        let last = names::words(name).pop();
        self.mentions[a..b]
            .iter()
            .any(|m| m.words.last() == last.as_ref())
    }

    /// The organisation "it" at `pos` stands for: the first one named in
    /// the nearest of the last few sentences that names one.
    pub fn salient_organisation(&self, pos: usize) -> Option<String> {
        self.organisation_near(pos, SALIENCE_SENTENCES + 1, |_, _, _| true)
    }

    /// The first organisation named in the nearest of the last
    /// `sentences` sentences that names one and fits (`fits(start, lo,
    /// hi)`: where it starts, in the sentence `lo..hi`).
    fn organisation_near(
        &self,
        pos: usize,
        sentences: usize,
        fits: impl Fn(usize, usize, usize) -> bool,
    ) -> Option<String> {
        for (lo, hi) in self.sentences_before(pos).take(sentences) {
            let a = self.organisations.partition_point(|(s, _)| *s < lo);
            if let Some((s, name)) = self.organisations.get(a) {
                if *s < hi && fits(*s, lo, hi) {
                    return Some(name.clone());
                }
            }
        }
        None
    }

    /// The organisation a description with the head noun `head` stands
    /// for at `pos`: the nearest one before whose name holds the noun
    /// ("the commission" of "the Police Services Commission"), else the
    /// one that opens this sentence or the one before ("the company" of
    /// "Google said …").
    pub fn organisation_for(&self, body: &str, head: &str, pos: usize) -> Option<String> {
        let n = self.organisations.partition_point(|(s, _)| *s < pos);
        self.organisations[..n]
            .iter()
            .rev()
            .take_while(|(s, _)| pos - s <= 20_000)
            .find(|(_, name)| {
                name.split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case(head))
            })
            .map(|(_, name)| name.clone())
            // One that opens this sentence or the one before ("The State
            // Department also said …", not "the Daily News claims the
            // NRA's …"; up to "The " before it) …
            .or_else(|| self.organisation_near(pos, 2, |s, lo, _| s - lo <= 4))
            // … or opens and speaks in one of three ("Google said
            // Thursday …", "The Associated Press reported …").
            .or_else(|| {
                self.organisation_near(pos, 3, |s, lo, hi| {
                    s - lo <= 4 && speaks_after_name(body, s, hi)
                })
            })
            .or_else(|| self.speaking_body_near(body, pos, 3))
    }

    /// A one-word name that opens one of the last `sentences` sentences
    /// and speaks there ("Google said Thursday …"), which the tagger or
    /// the word lists take for a body, or which is of no person the
    /// article names in full nor of a gender: the body "the company"
    /// stands for when the tagger did not call it an organisation.
    fn speaking_body_near(&self, body: &str, pos: usize, sentences: usize) -> Option<String> {
        for (lo, hi) in self.sentences_before(pos).take(sentences) {
            let a = self.mentions.partition_point(|m| m.start < lo);
            let found = self.mentions[a..]
                .iter()
                .take_while(|m| m.start < hi)
                .find(|m| {
                    let end = (m.start + m.name.len()).min(body.len());
                    let next = body
                        .get(end..(end + 24).min(body.len()))
                        .map(|rest| tokenize(rest, end));
                    let speaks = next
                        .as_ref()
                        .and_then(|t| t.first())
                        .is_some_and(is_speech_verb);
                    m.start - lo <= 4
                        && speaks
                        && m.words.len() == 1
                        && m.gender == Gender::Unknown
                        && (m.not_person
                            || (self.forms_by(&m.words[0], true).is_empty()
                                && self.forms_by(&m.words[0], false).is_empty()))
                });
            if let Some(m) = found {
                return Some(m.name.clone());
            }
        }
        None
    }

    /// The sentence at `pos` (up to it) and the few before it, nearest
    /// first, as byte ranges.
    fn sentences_before(&self, pos: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        let here = self
            .sentences
            .partition_point(|&s| s <= pos)
            .saturating_sub(1);
        (here.saturating_sub(SALIENCE_SENTENCES)..=here)
            .rev()
            .map(move |si| {
                let lo = self.sentences[si];
                let hi = self.sentences.get(si + 1).map_or(pos, |&e| e.min(pos));
                (lo, hi)
            })
    }

    /// The person a pronoun of `gender` at `pos` most likely stands for:
    /// the last one mentioned before it whose gender does not clash.
    pub fn resolve(&self, gender: Gender, pos: usize) -> Option<String> {
        if gender == Gender::Unknown {
            return None;
        }
        let n = self.mentions.partition_point(|m| m.start < pos);
        let before = self.mentions[..n]
            .iter()
            .rev()
            .take(12)
            // Not what the tagger calls a place or a body ("Nova Scotia").
            .filter(|m| !m.not_person || m.gender != Gender::Unknown);
        let mut fallback = None;
        for m in before {
            if m.gender == gender {
                return Some(self.canonical(&m.name, m.start + 1));
            }
            if m.gender == Gender::Unknown && fallback.is_none() {
                fallback = Some(m);
            }
        }
        // A person of that gender named further back outweighs a name of
        // no known gender close by: "she says" in an article about one
        // woman is hers.
        let further = self.mentions[..n]
            .iter()
            .rev()
            .take(MAX_PRONOUN_MENTIONS)
            .find(|m| m.gender == gender && self.antecedent(m));
        further
            .or(fallback)
            .map(|m| self.canonical(&m.name, m.start + 1))
    }
}

/// Whether the words from `start` (a name) to `end` go on with a verb of
/// speech once the name's capitalised words end: "Google said …", "The
/// Associated Press reported …".
fn speaks_after_name(body: &str, start: usize, end: usize) -> bool {
    let Some(rest) = body.get(start..end) else {
        return false;
    };
    let cut = rest.char_indices().nth(80).map_or(rest.len(), |(i, _)| i);
    let tokens = tokenize(&rest[..cut], start);
    let verb = tokens.iter().find(|t| !(t.is_word() && t.is_capitalised()));
    verb.is_some_and(is_speech_verb)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(body: &str) -> People {
        People::new(body, false, &[], &[], &[])
    }

    #[test]
    fn short_forms_take_the_fullest_name() {
        let p = people("Anna Berg met Tom Berg. Ms. Berg spoke first. Then Mr. Berg left.");
        assert_eq!(p.canonical("Ms. Berg", 30), "Anna Berg");
        assert_eq!(p.canonical("Berg", 30), "Tom Berg");
        assert_eq!(p.canonical("Mr. Lund", 30), "Lund");
        assert_eq!(p.canonical("Anna", 30), "Anna Berg");
    }

    #[test]
    fn pronoun_genders_against_speakers() {
        let p = people("Mrs. Ida Park met Ken Oduya.");
        assert!(p.may_be("Ida Park", Gender::Female));
        assert!(!p.may_be("Ida Park", Gender::Male));
        assert!(p.may_be("Ken Oduya", Gender::Male));
        assert!(!p.may_be("the ministry", Gender::Male));
    }

    #[test]
    fn a_place_before_a_title_hides_no_given_name() {
        // "Dunmore MP Susan Vale" is a woman: her given name follows the title.
        let body = "Tom Hale met reporters. Dunmore MP Susan Vale wrote that the plan was wrong.";
        let p = people(body);
        assert_eq!(
            p.salient(Gender::Male, body.len()),
            Some("Tom Hale".to_owned())
        );
        let she = p.salient(Gender::Female, body.len()).unwrap_or_default();
        assert_eq!(p.strip_titles(&she), "Susan Vale");
    }

    #[test]
    fn the_taggers_mention_of_a_name_has_its_gender() {
        // A surname two people share tells no gender on its own.
        let body = "Tom Vale spoke first. Then Susan Vale replied.";
        let at = body.find("Susan").unwrap();
        let vale = Entity {
            name: "Susan Vale".to_owned(),
            kind: EntityKind::Person,
            spans: vec![(at, at + "Susan Vale".len())],
        };
        let p = People::new(body, false, &[], &[vale], &[]);
        assert_eq!(
            p.salient(Gender::Male, body.len()),
            Some("Tom Vale".to_owned())
        );
    }

    #[test]
    fn a_lone_word_after_a_preposition_stands_for_no_pronoun() {
        // The tagger takes the product for a person; it is the object of
        // "with", and the pronoun after it is the founder's.
        let body = "Tom Voss founded Quillo. What people do with Quillo matters.";
        let at = body.rfind("Quillo").unwrap();
        let quillo = Entity {
            name: "Quillo".to_owned(),
            kind: EntityKind::Person,
            spans: vec![(at, at + "Quillo".len())],
        };
        let p = People::new(body, false, &[], &[quillo], &[]);
        assert_eq!(
            p.salient(Gender::Male, body.len()),
            Some("Tom Voss".to_owned())
        );
    }

    #[test]
    fn a_noun_before_a_name_tells_its_gender() {
        let body = "Ida Park lost her son Brisco Lenn in May. Brisco was twenty.";
        let p = people(body);
        assert_eq!(
            p.salient(Gender::Female, body.len()),
            Some("Ida Park".to_owned())
        );
        assert_eq!(
            p.salient(Gender::Male, body.len()),
            Some("Brisco Lenn".to_owned())
        );
        let body = "Dorn Vesk left early. His wife, Quenby Sarl, stayed on.";
        let p = people(body);
        assert_eq!(
            p.salient(Gender::Male, body.len()),
            Some("Dorn Vesk".to_owned())
        );
        // After a comma, only as whose relative.
        let body = "Dorn Vesk left early. The son, Quenby Sarl, stayed on.";
        let p = people(body);
        assert!(p.may_be("Quenby Sarl", Gender::Female));
    }

    #[test]
    fn a_pronoun_far_from_any_name_takes_the_last_person_of_its_gender() {
        // Within the last dozen mentions only a place and a man of no
        // known gender; the woman further back is whom "she" stands for.
        let mut body = String::from("Mrs. Ida Park runs the farm. ");
        for _ in 0..12 {
            body.push_str("Dorn Vesk sold hay in Nova Terra. ");
        }
        let place = Entity {
            name: "Nova Terra".to_owned(),
            kind: EntityKind::Place,
            spans: body
                .match_indices("Nova Terra")
                .map(|(at, n)| (at, at + n.len()))
                .collect(),
        };
        let p = People::new(&body, false, &[], &[place], &[]);
        assert_eq!(
            p.resolve(Gender::Female, body.len()),
            Some("Ida Park".to_owned())
        );
        assert_eq!(
            p.resolve(Gender::Male, body.len()),
            Some("Dorn Vesk".to_owned())
        );
    }

    #[test]
    fn pronouns_take_the_last_fitting_person() {
        let body = "Mrs. Ida Park met Ken Oduya on Monday in South Carolina. Later";
        let p = people(body);
        assert_eq!(
            p.resolve(Gender::Female, body.len()),
            Some("Ida Park".to_owned())
        );
        assert_eq!(
            p.resolve(Gender::Male, body.len()),
            Some("Ken Oduya".to_owned())
        );
        assert_eq!(p.resolve(Gender::Male, 0), None);
    }
}
