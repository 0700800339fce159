//! The attribution rules on sentences of our own.

use super::super::tokens::tokenize;
use super::*;

fn named(s: &str) -> Option<Who> {
    Some(Who::Named(s.to_owned()))
}

fn after_of(s: &str) -> Option<Who> {
    after(&tokenize(s, 0), false, false).map(|a| a.who)
}

fn before_of(s: &str) -> Option<Who> {
    before(&tokenize(s, 0), false).map(|a| a.who)
}

#[test]
fn name_then_verb_after_the_quote() {
    assert_eq!(
        after_of(" Sergei Lavrov said on Monday."),
        named("Sergei Lavrov")
    );
    assert_eq!(
        after_of(" Foreign Minister Sergei Lavrov told reporters."),
        named("Foreign Minister Sergei Lavrov")
    );
    assert_eq!(after_of(" Mr. Lee has also said."), named("Mr. Lee"));
    assert_eq!(after_of(" he added."), Some(Who::Pronoun(Gender::Male)));
    assert_eq!(
        after_of(" Jane Roe, a former envoy to Chile, said in an interview."),
        named("Jane Roe")
    );
    assert_eq!(
        after_of(" a Navy spokesman said."),
        named("a Navy spokesman")
    );
    assert_eq!(
        after_of(" the Kremlin said in a statement."),
        named("the Kremlin")
    );
    assert_eq!(after_of(" officials said."), named("officials"));
}

#[test]
fn verb_then_name_after_the_quote() {
    assert_eq!(
        after_of(" said Jane Roe, a former envoy."),
        named("Jane Roe")
    );
    assert_eq!(after_of(" said former governor Tim Doe."), named("Tim Doe"));
    assert_eq!(
        after_of(" said a spokeswoman for the mayor."),
        named("a spokeswoman")
    );
    assert_eq!(
        after_of(" according to the ministry."),
        named("the ministry")
    );
    assert_eq!(after_of(" wrote Ann Poe on Twitter."), named("Ann Poe"));
}

#[test]
fn new_sentence_after_a_closed_quote_is_not_an_attribution() {
    let t = tokenize(
        " Smith said the plan would fail within a year or two at the very latest.",
        0,
    );
    assert_eq!(after(&t, true, false), None);
    let t = tokenize(" Smith said.", 0);
    assert!(after(&t, true, false).is_some());
    // It introduces the next quote.
    let t = tokenize(" Ann Poe, for the Greens, added:", 0);
    assert_eq!(after(&t, true, false), None);
    assert_eq!(after_of(" The vote is on Tuesday."), None);
}

#[test]
fn a_sentence_running_on_into_the_next_quote_is_its_own_report() {
    // "“….” Critics say the port should not buy a “…”": the words after
    // the closed quote report what their own subject says of something.
    let t = tokenize(" Some critics say the port should not buy a", 0);
    assert_eq!(after(&t, true, true), None);
    let t = tokenize(" Kim Vale, a trader at Norbank said the fund", 0);
    assert_eq!(after(&t, true, true), None);
    // Ended by a full stop, the same words may still credit the quote.
    assert!(after(&t, true, false).is_some());
    // "Vale told reporters “…”": whom they told is no new statement.
    let t = tokenize(" Kim Vale told reporters", 0);
    assert!(after(&t, true, true).is_some());
    // After a question too: "“Is it booked?” Vale then wrote back, “…”".
    let t = tokenize(" Kim Vale then wrote back,", 0);
    assert_eq!(after(&t, false, true), None);
    assert!(after(&t, false, false).is_some());
    // "“Is it booked?” Vale asked, “and by whom?”" is still Vale's.
    let t = tokenize(" Kim Vale asked,", 0);
    assert!(after(&t, false, true).is_some());
}

#[test]
fn attribution_before_the_quote() {
    assert_eq!(before_of("Tim Doe said:"), named("Tim Doe"));
    assert_eq!(
        before_of("In a statement, the ministry said that"),
        named("the ministry")
    );
    assert_eq!(before_of("According to Ann Poe,"), named("Ann Poe"));
    assert_eq!(
        before_of("She told the crowd on Friday:"),
        Some(Who::Pronoun(Gender::Female))
    );
    assert_eq!(
        before_of("Ann Poe described the talks as"),
        named("Ann Poe")
    );
    assert_eq!(
        before_of("Tim Doe hit back on Twitter, writing,"),
        named("Tim Doe")
    );
    assert_eq!(before_of("The weather was"), None);
}

#[test]
fn parenthetical_and_adverb_before_the_verb() {
    assert_eq!(
        after_of(" Rep. Jane Roe (D-Ore.) said."),
        named("Rep. Jane Roe")
    );
    assert_eq!(after_of(" Jane Roe then angrily asked."), named("Jane Roe"));
    let t = tokenize(", adding,", 0);
    assert_eq!(before(&t, true).map(|a| a.who), Some(Who::Previous));
}

#[test]
fn credit_line_after_the_quote() {
    assert_eq!(after_of(" ― Jane Roe."), named("Jane Roe"));
    assert_eq!(after_of(" — and then it rained."), None);
}

#[test]
fn more_attributions() {
    assert_eq!(before_of("And Mr. Roe beamed:"), named("Mr. Roe"));
    assert_eq!(before_of("The crowd swayed:"), None);
    assert_eq!(before_of("Ann Poe smiled and said,"), named("Ann Poe"));
    assert_eq!(
        after_of(" said Clinton spokesman Brian Fallon."),
        named("Brian Fallon")
    );
    assert_eq!(
        after_of(" said Sen. Jo Roe on Monday."),
        named("Sen. Jo Roe")
    );
}

#[test]
fn a_verb_inside_a_title_is_not_the_verb() {
    assert_eq!(
        after_of(" Secretary of State Jo Roe said."),
        named("Jo Roe")
    );
    // "States" of "the United States" is no verb, nor "states" after a number.
    assert_eq!(
        after_of(" the United States would act, Jo Roe said."),
        named("Jo Roe")
    );
    assert_eq!(after_of(" Ohio is one of 45 states with such a law."), None);
}

#[test]
fn roles_and_organisations_before_the_name() {
    assert_eq!(
        after_of(" said General Motors chief executive Mary Barra."),
        named("Mary Barra")
    );
    assert_eq!(
        after_of(" said Acme Corp chief financial officer Jo Roe."),
        named("Jo Roe")
    );
    // One run, cut at the title when the speaker is named.
    assert_eq!(
        after_of(" said Bank of England Governor Andrew Bailey."),
        named("Bank of England Governor Andrew Bailey")
    );
    assert_eq!(
        after_of(" said Economic and Fiscal Policy Minister Heizo Takenaka."),
        named("Economic and Fiscal Policy Minister Heizo Takenaka")
    );
    // "State" can be a verb, not a name word; it does not end the run.
    assert_eq!(
        after_of(" said State Senator Jo Roe."),
        named("Senator Jo Roe")
    );
    assert_eq!(
        after_of(" said the company's chief executive, Tim Cook."),
        named("Tim Cook")
    );
    assert_eq!(
        after_of(" said Secretary of State Jo Roe."),
        named("Jo Roe")
    );
    // A name, then where the speaker works or was: the name.
    assert_eq!(after_of(" said Jo Roe of Acme Corp."), named("Jo Roe"));
    assert_eq!(after_of(" said Jo Roe of Prime Capital."), named("Jo Roe"));
    assert_eq!(
        after_of(" said Representative Peter T. King of New York."),
        named("Representative Peter T. King")
    );
    assert_eq!(
        after_of(" said Jo Roe outside Downing Street."),
        named("Jo Roe")
    );
    assert_eq!(after_of(" said Jo Roe near Paris."), named("Jo Roe"));
    assert_eq!(
        after_of(" said the spokesman, adding that talks go on."),
        named("the spokesman")
    );
}

#[test]
fn opening_phrases_and_stray_commas() {
    assert_eq!(
        before_of("After winning the primary, Gov. Jo Roe (R-Ohio), said,"),
        named("Gov. Jo Roe")
    );
    assert_eq!(
        before_of("Speaking to supporters, Jo Roe thanked them and said,"),
        named("Jo Roe")
    );
}

#[test]
fn put_it_and_closing_attributions() {
    assert_eq!(before_of("As Jo Roe recently put it,"), named("Jo Roe"));
    assert_eq!(
        after_of(" of the new plan, Mr. Roe said."),
        named("Mr. Roe")
    );
    assert_eq!(
        after_of(" of the plan, and the plan said nothing at all about it."),
        None
    );
}

#[test]
fn statements_and_headline_credits() {
    assert_eq!(before_of("Jo Roe issued a statement,"), named("Jo Roe"));
    assert_eq!(before_of("POLLS ARE TIGHT - Jo Roe:"), named("Jo Roe"));
}

#[test]
fn sentence_subject_skips_places_and_time() {
    assert_eq!(
        before_of("Here in Ohio, Jo Roe spoke on Monday, saying"),
        named("Jo Roe")
    );
    assert_eq!(before_of("Monday Said Roe, saying"), named("Roe"));
}

#[test]
fn wider_speech_lexicon() {
    assert_eq!(after_of(" a passer-by exclaimed."), named("a passer-by"));
    assert_eq!(after_of(" Ann Poe pointed out."), named("Ann Poe"));
    assert_eq!(
        before_of("Tim Doe took the stage, shouting"),
        named("Tim Doe")
    );
}

#[test]
fn appositions_around_the_name() {
    assert_eq!(
        after_of(" Jo Roe, 81 and retired in Leeds, Kent, said by phone."),
        named("Jo Roe")
    );
    assert_eq!(
        after_of(" the mayor's press aide, Tim Doe, told the paper."),
        named("Tim Doe")
    );
    assert_eq!(
        before_of("Her older brother, Tim Doe, said:"),
        named("Tim Doe")
    );
    assert_eq!(after_of(" Jo Roe, R-Ky., said Tuesday."), named("Jo Roe"));
}

#[test]
fn attribution_after_a_question() {
    let t = tokenize(
        " Ann Poe asked, turning to the crowd of supporters who had waited all night in the rain.",
        0,
    );
    assert_eq!(after(&t, true, false).map(|a| a.who), named("Ann Poe"));
}

#[test]
fn objects_and_passives_are_not_speakers() {
    assert_eq!(
        before_of("Ann Poe skipped the debate but told her volunteers,"),
        named("Ann Poe")
    );
    assert_eq!(before_of("Tim Doe was asked,"), None);
    assert_eq!(
        before_of("Tim Doe was asked by the moderator,"),
        named("the moderator")
    );
    assert_eq!(before_of("Ann Poe then told me,"), named("Ann Poe"));
    assert_eq!(
        before_of("Tim Doe, who backed the levy, now said"),
        named("Tim Doe")
    );
    assert_eq!(
        before_of("Jo Roe once backed Ann Poe, but now said Tim Doe had"),
        named("Jo Roe")
    );
}

#[test]
fn participle_after_an_attribution() {
    assert_eq!(
        before_of("The mill closed in May, Ann Poe said, adding,"),
        named("Ann Poe")
    );
    assert_eq!(
        before_of("The mill closed in May, said Tim Doe, explaining"),
        named("Tim Doe")
    );
    assert_eq!(
        before_of("OSLO, Dec. 3 (AP) Ann Poe left the room, saying:"),
        named("Ann Poe")
    );
    let t = tokenize("and called it", 0);
    assert_eq!(before(&t, true).map(|a| a.who), Some(Who::Previous));
}

#[test]
fn nouns_that_look_like_speech_verbs() {
    assert_eq!(
        after_of(" Jo Roe, an ally of the states, said."),
        named("Jo Roe")
    );
    assert_eq!(
        before_of("Despite his claims, Tim Doe said:"),
        named("Tim Doe")
    );
}

#[test]
fn name_particles_stay_in_names() {
    assert_eq!(
        after_of(" said Commission President Anneke van der Berg."),
        named("Commission President Anneke van der Berg")
    );
    assert_eq!(after_of(" Karim al-Hassan said."), named("Karim al-Hassan"));
    assert_eq!(
        after_of(" Jan de la Cruz told reporters."),
        named("Jan de la Cruz")
    );
}

#[test]
fn modifiers_after_the_subject() {
    assert_eq!(
        after_of(" a reporter standing near Tim Doe asked."),
        named("a reporter")
    );
    assert_eq!(
        after_of(" fans waiting outside the stadium chanted."),
        named("fans")
    );
    assert_eq!(
        after_of(" an aide close to Ann Poe said."),
        named("an aide")
    );
}

#[test]
fn colon_after_a_clause_with_a_subject() {
    assert_eq!(before_of("Ann Poe went further:"), named("Ann Poe"));
    assert_eq!(
        before_of("In a later interview, Tim Doe was blunter:"),
        named("Tim Doe")
    );
    assert_eq!(before_of("Wait, it gets better:"), None);
    assert_eq!(
        before_of("FARM PRICES FALL AGAIN - Ann Poe and Tim Doe:"),
        None
    );
}

#[test]
fn proper_names() {
    assert!(is_proper("Mr. Tim Doe"));
    assert!(!is_proper("a Navy spokesman"));
}

#[test]
fn affiliations_pairs_and_documents() {
    // The person, not the employer after "with".
    assert_eq!(
        before_of("Ann Lee with the Harbour Fund told reporters: "),
        named("Ann Lee")
    );
    assert_eq!(
        after_of(" Jeff Joe, from the Example Association (EA) told the BBC."),
        named("Jeff Joe")
    );
    // Whose the person is is no part of the name.
    assert_eq!(
        after_of(" England's Josh Lee told BBC Sport."),
        named("Josh Lee")
    );
    // Two speakers of one quote.
    assert_eq!(
        after_of(" said Kim Park and Lou Berg."),
        named("Kim Park and Lou Berg")
    );
    // A record of someone's words is theirs.
    assert_eq!(
        after_of(" according to a transcript of her remarks."),
        Some(Who::Pronoun(Gender::Female))
    );
    assert_eq!(
        after_of(" according to the ministry."),
        named("the ministry")
    );
}

#[test]
fn a_party_before_a_role_is_no_subject() {
    // BBC style: the party, a lower-case role, then the name.
    assert_eq!(
        before_of("Tory leader Michael Howard also backed the plan but said ministers were "),
        named("Michael Howard")
    );
    // A description whose modifier is a name.
    assert_eq!(
        before_of("The Tory leader went on: "),
        named("The Tory leader")
    );
    assert_eq!(before_of("Jo Roe went further: "), named("Jo Roe"));
    assert_eq!(before_of("- Acme boss Jo Roe: "), named("Jo Roe"));
    assert_eq!(
        before_of("The Greens have claimed the plan would fail, saying "),
        named("Greens")
    );
}

#[test]
fn a_name_word_past_the_end_is_none() {
    // "… by Jo Roe and" ends on "and": the next word is no name.
    let t = tokenize("by Jo Roe and", 0);
    assert!(!name_word(&t, t.len()));
    assert_eq!(
        by_author(&tokenize("by Jo Roe and", 0)).map(|a| a.who),
        named("Jo Roe")
    );
}

#[test]
fn the_author_after_a_title() {
    let by = |s: &str| by_author(&tokenize(s, 0)).map(|a| a.who);
    assert_eq!(
        by("was written by Nina Calder in 1998."),
        named("Nina Calder")
    );
    assert_eq!(
        by("by Omar Reyes and Lia Park."),
        named("Omar Reyes and Lia Park")
    );
    assert_eq!(by("is sung by Ada Lee."), named("Ada Lee"));
    // A time, a lower-case phrase, or words before "by" that are no
    // participle name no author.
    assert_eq!(by("by Monday."), None);
    assert_eq!(by("by the end of the year."), None);
    assert_eq!(by("and a speech by Jo Roe."), None);
    assert_eq!(by("by"), None);
}

#[test]
fn a_name_before_a_quote_between_dashes() {
    let dash = |before: &str, after: &str| {
        dashed(&tokenize(before, 0), &tokenize(after, 0)).map(|a| a.who)
    };
    assert_eq!(
        dash("including Senator Ruth Okoye --", "-- and others."),
        named("Senator Ruth Okoye")
    );
    assert_eq!(
        dash("including Ruth Okoye —", "— and others."),
        named("Ruth Okoye")
    );
    // Not without the closing dash, nor after one word or a lower-case one.
    assert_eq!(dash("including Ruth Okoye --", "and others."), None);
    assert_eq!(dash("including Okoye --", "-- and others."), None);
    assert_eq!(dash("the senators --", "-- and others."), None);
}

#[test]
fn a_possessive_name_right_before_the_quote() {
    let whose = |s: &str| possessor(&tokenize(s, 0));
    assert_eq!(whose("To avoid Ada Lindqvist’s"), named("Ada Lindqvist"));
    assert_eq!(whose("after Musk's"), named("Musk"));
    // Not a pronoun's contraction, an acronym's, or a lower-case word's.
    assert_eq!(whose("It’s"), None);
    assert_eq!(whose("on CNN’s"), None);
    assert_eq!(whose("the company's"), None);
    assert_eq!(whose("Musk said"), None);
}

#[test]
fn a_time_is_never_the_subject() {
    // The subject comes before the time phrase.
    assert_eq!(
        before_of("Councillor Ann Poe earlier this week called the plan a "),
        named("Councillor Ann Poe")
    );
    assert_eq!(after_of(" the union last month said."), named("the union"));
    assert_eq!(
        after_of(" Tim Doe two weeks ago told reporters."),
        named("Tim Doe")
    );
    assert_eq!(
        before_of("The mayor on Friday night described it as "),
        named("The mayor")
    );
    assert_eq!(
        before_of("The ministry less than two weeks ago said the files were "),
        named("The ministry")
    );
    assert_eq!(
        after_of(" the ruling released Friday said."),
        named("the ruling")
    );
    // A title with a time word in it is no time.
    assert_ne!(
        after_of(" the singer of Because the Night told a paper."),
        named("Because")
    );
    // A relative is no subject.
    assert_eq!(
        before_of("the cells are used for what’s today often called "),
        None
    );
}

#[test]
fn a_noun_after_a_preposition_is_inside_the_subject() {
    assert_eq!(
        before_of("The most feared striker in hockey finally said "),
        named("The most feared striker")
    );
    assert_eq!(after_of(" a lawyer in the case said."), named("a lawyer"));
    // After "and" the subject is the sentence's, not the phrase's.
    assert_eq!(
        after_of(" on Friday and in a short reply said he never had."),
        None
    );
    assert_eq!(
        before_of("Tim Doe, who in a long letter said "),
        named("Tim Doe")
    );
    assert_eq!(
        after_of(" a hearing before the judge, who said."),
        named("the judge")
    );
    assert_eq!(before_of("Officers in the area said "), named("Officers"));
    // A document's phrase says whose it is.
    assert_eq!(
        after_of(" a statement on her website said."),
        named("her website")
    );
    // A body, or the one "by" names, speaks through its spokesman.
    assert_eq!(
        after_of(" a spokesman for the club said."),
        named("the club")
    );
    assert_eq!(
        after_of(" a note sent to Acme by the city's lawyers said."),
        named("the city's lawyers")
    );
    // An infinitive is no preposition.
    assert_eq!(
        before_of("Tim Doe is willing to spread rumours and said "),
        named("Tim Doe")
    );
    assert_eq!(
        after_of(" Ana Ruiz, its minister for trade added."),
        named("Ana Ruiz")
    );
    assert_eq!(
        before_of("But Ana Ruiz, head of sales at the firm says that: "),
        named("Ana Ruiz")
    );
    assert_eq!(
        before_of("Tim Doe, a spokesman for the Harbour Party said: "),
        named("Tim Doe")
    );
    assert_eq!(
        after_of(" Tim Doe, an analyst at Acme Bank told the BBC."),
        named("Tim Doe")
    );
    // "Acme, she said, will fail": a pronoun opens no description.
    assert_eq!(
        after_of(" Acme Bank, she said, would fail."),
        Some(Who::Pronoun(Gender::Female))
    );
    // An opening phrase is no name.
    assert_eq!(
        before_of("In Lisbon, the minister said "),
        named("the minister")
    );
    // A name after the preposition is still whom the speaker is with.
    assert_eq!(
        after_of(" Ann Lee with the Harbour Fund said."),
        named("Ann Lee")
    );
}

#[test]
fn participle_after_a_clause_a_description_opens() {
    // The description is the subject, not a name later in the clause.
    assert_eq!(
        before_of("The band leader called Harbour Council members to the stage, singing "),
        named("The band leader")
    );
    assert_eq!(
        before_of("At the fair, a spokeswoman for the trust thanked Jo Roe, saying "),
        named("a spokeswoman")
    );
    // A name set off by a comma after the verb is whom the participle
    // is about.
    assert_eq!(
        before_of("The film showed Mr Poe, apparently talking about the plan, telling "),
        named("Mr Poe")
    );
}

#[test]
fn a_verbs_particle_before_the_subject_after_it() {
    assert_eq!(
        after_of(" points out the soft-spoken Harbour resident, who moved here."),
        named("the soft-spoken Harbour resident")
    );
    assert_eq!(after_of(" shot back Jo Roe."), named("Jo Roe"));
}

#[test]
fn a_gerund_after_to_hangs_no_clause_on_the_quote_before() {
    // After an earlier quote of the sentence: the speaker is the
    // sentence's own subject, not the earlier quote's ("Who::Previous").
    let t = tokenize(
        " Lena Marsh, who runs the shelter, said she looks forward to explaining ",
        0,
    );
    assert_eq!(before(&t, true).map(|a| a.who), named("Lena Marsh"));
    // A participle after a comma still does.
    let t = tokenize(" Lena Marsh shrugged, saying ", 0);
    assert_eq!(before(&t, true).map(|a| a.who), Some(Who::Previous));
    // With no other verb the gerund still names who speaks.
    let t = tokenize(" He went back to boasting about ", 0);
    assert_eq!(
        before(&t, false).map(|a| a.who),
        Some(Who::Pronoun(Gender::Male))
    );
}

#[test]
fn a_reported_clause_after_said_is_no_speaker() {
    // The description is the subject of "could", not of "said".
    assert_eq!(after_of(" said the plan could fail in the spring."), None);
    assert_eq!(after_of(" said the mayor will decide."), None);
    assert_eq!(
        after_of(" said the city's mayor."),
        named("the city's mayor")
    );
}

#[test]
fn of_inside_a_role_before_the_name() {
    assert_eq!(
        after_of(" said master of ceremonies Jo Roe, a local engineer."),
        named("Jo Roe")
    );
    assert_eq!(
        after_of(" said director of communications Kim Park."),
        named("Kim Park")
    );
    assert_eq!(after_of(" said one of the Roe family."), None);
}

#[test]
fn a_verb_form_heads_no_subject() {
    // "shouts" and "comments" are nouns here; "came" and "even made"
    // are no speakers.
    assert_eq!(after_of(" came shouts from the crowd."), None);
    assert_eq!(after_of(" has even made comments about it."), None);
    assert_eq!(after_of(" drawing loud jeers and chants."), None);
    assert_eq!(after_of(" raising new questions about the plan."), None);
    assert_eq!(after_of(" critics said."), named("critics"));
    assert_eq!(
        after_of(" the committee chairman said."),
        named("the committee chairman")
    );
}

#[test]
fn puts_it_and_a_perfect_participle_before_the_quote() {
    assert_eq!(before_of("As Jo Roe puts it,"), named("Jo Roe"));
    assert_eq!(
        before_of("As he puts it,"),
        Some(Who::Pronoun(Gender::Male))
    );
    assert_eq!(before_of("As Ann Poe had written,"), named("Ann Poe"));
    // Not a verb without "have": the biography did not write it.
    assert_eq!(before_of("Readers will see written on the wall,"), None);
}

#[test]
fn a_participle_after_an_article_makes_the_verb_a_noun() {
    assert_eq!(after_of(" over her recovered emails."), None);
    assert_eq!(
        after_of(" and the country has become a failed state."),
        None
    );
    assert_eq!(after_of(" the mayor said."), named("the mayor"));
}

#[test]
fn a_long_quote_as_the_object_of_a_verb_is_its_subjects() {
    let q = "the plan to close every library in the county";
    let of = |s: &str| object_of(&tokenize(s, 0), q);
    assert_eq!(
        of("In a speech on Friday, Jo Roe attacked"),
        named("Jo Roe")
    );
    assert_eq!(
        of("She also criticised the council for"),
        Some(Who::Pronoun(Gender::Female))
    );
    // Only the subject that opens the clause: not a name inside it.
    assert_eq!(of("The town said Roe's remarks were"), None);
    assert_eq!(of("Led by Jo Roe, the march denounced"), None);
    // Someone else's words about the subject.
    assert_eq!(of("Roe was hailed for her"), None);
    assert_eq!(of("Roe won the Hale Prize, which honours"), None);
    assert_eq!(
        object_of(
            &tokenize("Roe has been", 0),
            "reminded of his duty to the game"
        ),
        None
    );
    // "they" and "I" name no one.
    assert_eq!(of("They share a belief in"), None);
    // A quote right after a name or a comma is not an object.
    assert_eq!(of("In a speech, Jo Roe,"), None);
}

#[test]
fn a_denied_speech_verb_attributes_nothing() {
    let t = tokenize(" He did not say what the date was.", 0);
    assert_eq!(after(&t, true, false), None);
    let t = tokenize(" She would not say when.", 0);
    assert_eq!(after(&t, true, false), None);
    let t = tokenize(" She said.", 0);
    assert!(after(&t, true, false).is_some());
}

#[test]
fn no_name_inside_a_description_or_a_relative_speaks() {
    // The description that opens the sentence has no name of its own.
    assert_eq!(
        before_of(
            "A spokesman for a union of senior Welsh train drivers said the change would make it"
        ),
        None
    );
    // "…, who chanted": the people, not the town.
    assert_eq!(
        before_of("Roe thanked supporters outside the hall in Leeds, who chanted"),
        None
    );
    // A noun that is also a speech verb ("promises") has no subject.
    assert_eq!(
        before_of("Mr Roe on Sunday dismissed claims of broken promises, saying:"),
        named("Mr Roe")
    );
    // A preposition that opens the sentence is no name.
    assert_eq!(
        before_of("Among them were posters carrying slogans, saying"),
        None
    );
}

#[test]
fn counted_nouns_places_and_names_in_ing_are_read_as_such() {
    // "states" after a number is a noun, not a speech verb of "the two".
    assert_eq!(
        before_of("The report said that trade between the two states would be"),
        named("The report")
    );
    // "It … and said" names no one, not a name inside the clause.
    assert_eq!(
        before_of("It criticised Western alliances and said the plan would be"),
        None
    );
    // A place after "in" is where the subject is.
    assert_eq!(
        before_of("Policy makers in Europe have called the slide"),
        named("Policy makers")
    );
    assert_eq!(before_of("A woman in Leeds told him"), named("A woman"));
    // A name in -ing with its verb opens no participle phrase.
    assert_eq!(before_of("Boreing nodded, but said,"), named("Boreing"));
    assert_eq!(before_of("Speaking to reporters, Roe said"), named("Roe"));
}

#[test]
fn the_clause_that_introduces_the_quote_speaks() {
    // The speech verb is in the clause before the one with the colon.
    assert_eq!(
        before_of("When Lee suggested that the city would sue, Roe fired back forcefully:"),
        named("Roe")
    );
    // "As … reported" names the source.
    assert_eq!(
        before_of("As the Post reported, the council was refusing to call it a strike:"),
        named("the Post")
    );
    // "with Roe tweeting": the name between "with" and the participle.
    assert_eq!(
        before_of(
            "Republicans were quick to respond, with Jo Roe reportedly tweeting that it was a"
        ),
        named("Jo Roe")
    );
}
