//! The archive's kind of an entity name: the kind most of the articles
//! naming it give it, unless they clearly disagree (both backends).
//!
//! Each article's tagger decides a name's kind on its own, so "Chelsea"
//! is an organisation in most articles and a person in a few. Facets and
//! `entities` show a name with the kind the archive gives it, counting the
//! articles that gave it another kind with it; a second kind is kept only
//! when at least [`KEEP_MIN`] articles (stories, as facets count them)
//! and at least a third of those naming it give it that kind. Decided
//! when asked, from the counts of the commit searched, so it follows
//! every re-index and delete.

use crate::EntityKind;

/// The fewest articles (groups of copies) that keep a kind other than the
/// name's most frequent one.
pub const KEEP_MIN: u64 = 5;
/// A kept kind has at least 1/`KEEP_SHARE` of the name's articles.
pub const KEEP_SHARE: u64 = 3;

/// The kind each of a name's kinds is shown as, from the number of
/// articles (or groups) giving the name each kind, in [`EntityKind::ALL`]
/// order: the most frequent kind (the first of [`EntityKind::ALL`] on a
/// tie), and any kind clearly held by the articles, keep their own; the
/// others are shown as the most frequent.
pub fn shown_as(counts: [u64; 4]) -> [EntityKind; 4] {
    let all = EntityKind::ALL;
    let total: u64 = counts.iter().sum();
    let mut top = 0;
    for i in 1..4 {
        if counts[i] > counts[top] {
            top = i;
        }
    }
    let mut out = all;
    for i in 0..4 {
        let kept =
            i == top || (counts[i] >= KEEP_MIN && counts[i].saturating_mul(KEEP_SHARE) >= total);
        if !kept {
            out[i] = all[top];
        }
    }
    out
}

/// Where a kind sits in [`EntityKind::ALL`].
pub fn index_of(kind: EntityKind) -> usize {
    EntityKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use EntityKind::{Misc, Org, Person, Place};

    #[test]
    fn a_few_articles_of_another_kind_take_the_majoritys() {
        // person, org, place, misc
        assert_eq!(shown_as([4, 67, 0, 0]), [Org, Org, Org, Org]);
        assert_eq!(shown_as([1, 0, 0, 0]), [Person, Person, Person, Person]);
        // A third, but too few articles to be clear.
        assert_eq!(shown_as([2, 4, 0, 0]), [Org, Org, Org, Org]);
    }

    #[test]
    fn clear_disagreement_keeps_both_kinds_and_folds_the_rest() {
        assert_eq!(shown_as([6, 0, 10, 1]), [Person, Place, Place, Place]);
        // Five articles, but under a third.
        assert_eq!(shown_as([5, 0, 11, 0]), [Place, Place, Place, Place]);
    }

    #[test]
    fn ties_go_to_the_first_kind() {
        assert_eq!(shown_as([0, 3, 3, 0]), [Org, Org, Org, Org]);
        assert_eq!(shown_as([0, 0, 0, 0]), [Person, Person, Person, Person]);
        assert_eq!(index_of(Misc), 3);
    }
}
