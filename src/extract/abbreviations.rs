//! Abbreviations whose full stop belongs to the word ("Mr.", "Sen.",
//! "Calif."), so that it ends no sentence: one list for both tokenizers.

/// Lower-case, without the full stop. "No." is not here: it ends "He said
/// no." and abbreviates only before a number, which the tokenizers see.
const ABBREVIATIONS: &[&str] = &[
    "adm", "apr", "ariz", "atty", "aug", "ave", "bros", "calif", "capt", "co", "col", "colo",
    "conn", "corp", "dec", "del", "dept", "dr", "feb", "fla", "ft", "gen", "gens", "gov", "govt",
    "inc", "jan", "jr", "jul", "jun", "kan", "ky", "lt", "ltd", "mar", "md", "mich", "minn", "mr",
    "mrs", "ms", "mt", "neb", "nev", "nov", "oct", "okla", "prof", "rep", "reps", "rev", "sen",
    "sens", "sep", "sept", "sgt", "sr", "st", "supt", "tenn", "tex", "va", "vs", "vt", "wis",
];

/// Whether `word` (lower-case, without its full stop) is an abbreviation.
pub fn is_abbreviation(word: &str) -> bool {
    ABBREVIATIONS.binary_search(&word).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_lower_case_and_without_no() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
        assert!(ABBREVIATIONS
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase())));
        assert!(is_abbreviation("calif") && is_abbreviation("mr"));
        assert!(!is_abbreviation("no") && !is_abbreviation("said"));
    }
}
