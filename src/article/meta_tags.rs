//! A page's `<meta>` tags, read in one pass over the page: each lookup by
//! selector (`meta[property="og:title"]`) would walk the whole page again.

use dom_query::Document;

/// The `<meta content>` tags of a page, in its order.
pub(super) struct MetaTags(Vec<Tag>);

struct Tag {
    name: Option<String>,
    property: Option<String>,
    http_equiv: Option<String>,
    content: String,
}

impl MetaTags {
    pub(super) fn read(doc: &Document) -> MetaTags {
        let tags = doc
            .select("meta[content]")
            .nodes()
            .iter()
            .map(|m| Tag {
                name: m.attr("name").map(|v| v.to_string()),
                property: m.attr("property").map(|v| v.to_string()),
                http_equiv: m.attr("http-equiv").map(|v| v.to_string()),
                content: m.attr("content").map(|v| v.to_string()).unwrap_or_default(),
            })
            .collect();
        MetaTags(tags)
    }

    /// The content of the first tag whose `name` is `key` (exactly, as a
    /// selector compares).
    pub(super) fn name(&self, key: &str) -> Option<&str> {
        self.first(|t| t.name.as_deref() == Some(key))
    }

    /// The content of the first tag whose `property` is `key`.
    pub(super) fn property(&self, key: &str) -> Option<&str> {
        self.first(|t| t.property.as_deref() == Some(key))
    }

    /// The content of the first tag whose `http-equiv` is `key`, in any case.
    pub(super) fn http_equiv(&self, key: &str) -> Option<&str> {
        self.first(|t| {
            t.http_equiv
                .as_deref()
                .is_some_and(|v| v.eq_ignore_ascii_case(key))
        })
    }

    fn first(&self, matches: impl Fn(&Tag) -> bool) -> Option<&str> {
        self.0
            .iter()
            .find(|t| matches(t))
            .map(|t| t.content.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_found_by_name_property_and_http_equiv() {
        let doc = Document::from(
            r#"<head><meta name="author" content="Ann"><meta property="og:title" content="T1">
            <meta property="og:title" content="T2"><meta http-equiv="Content-Language" content="de">
            <meta name="Author" content="Other"></head>"#,
        );
        let m = MetaTags::read(&doc);
        assert_eq!(m.name("author"), Some("Ann"));
        assert_eq!(m.name("Author"), Some("Other"));
        assert_eq!(m.property("og:title"), Some("T1"));
        assert_eq!(m.http_equiv("content-language"), Some("de"));
        assert_eq!(m.name("og:title"), None);
    }
}
