//! The index of resource pages: which Graph type a `../resources/X.md` link names.

use std::collections::HashMap;

use super::markdown::Doc;

/// Maps resource page file stems (case-insensitively) to the Graph type their
/// `"blockType": "resource"` annotation declares (`@odata.type`, or `@type` on older
/// pages), e.g. `user` → `microsoft.graph.user`.
///
/// File names are not type names (`callrecords-callrecord.md` is
/// `microsoft.graph.callRecords.callRecord`), so links are resolved only through this
/// index; a page without the annotation (an overview, an enumeration) names no type.
#[derive(Debug, Clone, Default)]
pub struct ResourceIndex {
    by_stem: HashMap<String, String>,
}

impl ResourceIndex {
    /// An empty index (every link is unresolved).
    pub fn new() -> ResourceIndex {
        ResourceIndex::default()
    }

    /// Builds the index from `(file name, page text)` pairs of resource pages.
    pub fn from_pages<I, N, T>(pages: I) -> ResourceIndex
    where
        I: IntoIterator<Item = (N, T)>,
        N: AsRef<str>,
        T: AsRef<str>,
    {
        let mut index = ResourceIndex::new();
        for (name, text) in pages {
            index.insert_page(name.as_ref(), text.as_ref());
        }
        index
    }

    /// Adds one resource page. Returns the type it declares, if any.
    pub fn insert_page(&mut self, file_name: &str, text: &str) -> Option<&str> {
        let doc = Doc::parse(text);
        let graph_type = doc
            .annotations
            .iter()
            .find(|a| a.block_type == "resource" && a.odata_type.is_some())
            .and_then(|a| a.odata_type.as_deref())?
            .trim_start_matches('#')
            .to_owned();
        let stem = stem_of(file_name);
        if stem.is_empty() || graph_type.is_empty() {
            return None;
        }
        self.by_stem.insert(stem.clone(), graph_type);
        self.by_stem.get(&stem).map(String::as_str)
    }

    /// Adds a mapping directly (stem without `.md`).
    pub fn insert(&mut self, stem: &str, graph_type: &str) {
        self.by_stem.insert(
            stem.to_lowercase(),
            graph_type.trim_start_matches('#').to_owned(),
        );
    }

    /// The Graph type of a link target (`../resources/user.md#properties`,
    /// `/graph/api/resources/user?view=graph-rest-1.0`), if it points at a resource page
    /// with a type annotation.
    pub fn resolve_link(&self, target: &str) -> Option<&str> {
        let path = target.split(['#', '?']).next().unwrap_or("");
        let lower = path.to_lowercase();
        let after = lower.rsplit_once("resources/")?.1;
        let stem = after.trim_end_matches(".md");
        if stem.is_empty() || stem.contains('/') {
            return None;
        }
        self.by_stem.get(stem).map(String::as_str)
    }

    /// The Graph type of a resource page stem (case-insensitive).
    pub fn get(&self, stem: &str) -> Option<&str> {
        self.by_stem.get(&stem.to_lowercase()).map(String::as_str)
    }

    /// Number of resource pages with a type.
    pub fn len(&self) -> usize {
        self.by_stem.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.by_stem.is_empty()
    }
}

/// What a resource page documents: the type its `"blockType": "resource"` annotation
/// declares, and the property names of its property tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourcePage {
    /// The declared type, qualified (`microsoft.graph.user`).
    pub graph_type: String,
    /// The names in the first column of the page's property tables, in page order.
    pub properties: Vec<String>,
}

/// Reads a resource page's type and property names. Property tables are found without
/// reading any language: a table of three or more columns whose first cells are, for the
/// most part, ASCII identifiers (`displayName`, `` `id` ``, `[manager](…)`), and whose
/// second cells name a type or link to one. Tables of methods (whose first cells link to
/// operation pages) and of relationships are read as well: both name properties.
pub fn resource_page(text: &str) -> Option<ResourcePage> {
    let doc = Doc::parse(text);
    let graph_type = doc
        .annotations
        .iter()
        .find(|a| a.block_type == "resource" && a.odata_type.is_some())
        .and_then(|a| a.odata_type.as_deref())?
        .trim_start_matches('#')
        .to_owned();
    let mut properties = Vec::new();
    for table in &doc.tables {
        let rows = if table.has_header {
            &table.rows[1..]
        } else {
            &table.rows[..]
        };
        if rows.is_empty() || rows.iter().any(|r| r.len() < 3) {
            continue;
        }
        // Method tables link their first cells to operation pages (`../api/…`).
        if rows
            .iter()
            .any(|r| r[0].contains("../api/") || r[0].contains("/api/"))
        {
            continue;
        }
        let names: Vec<Option<String>> = rows.iter().map(|r| identifier(&r[0])).collect();
        let good = names.iter().filter(|n| n.is_some()).count();
        if good * 10 < rows.len() * 8 {
            continue;
        }
        properties.extend(names.into_iter().flatten());
    }
    Some(ResourcePage {
        graph_type,
        properties,
    })
}

/// The identifier a property-table cell names: the cell without backticks, emphasis and
/// link syntax, when what is left is an ASCII identifier.
fn identifier(cell: &str) -> Option<String> {
    let mut text = cell.trim();
    if let Some(rest) = text.strip_prefix('[')
        && let Some(end) = rest.find(']')
    {
        text = &rest[..end];
    }
    let text = text.trim_matches(|c: char| c == '`' || c == '*' || c == '_' || c.is_whitespace());
    let mut chars = text.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| text.to_owned())
}

/// The lower-cased stem of a file name or path (`resources/User.md` → `user`).
pub(crate) fn stem_of(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or(file_name);
    base.strip_suffix(".md").unwrap_or(base).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_case_insensitively() {
        let index = ResourceIndex::from_pages([(
            "contentTypeOrder.md",
            "<!-- { \"blockType\": \"resource\", \"@type\": \"microsoft.graph.contentTypeOrder\" } -->\n```json\n{}\n```\n",
        )]);
        assert_eq!(
            index.resolve_link("../resources/contenttypeorder.md#json"),
            Some("microsoft.graph.contentTypeOrder")
        );
        assert_eq!(
            index.resolve_link("/graph/api/resources/ContentTypeOrder?view=graph-rest-1.0"),
            Some("microsoft.graph.contentTypeOrder")
        );
        assert_eq!(index.resolve_link("../resources/other.md"), None);
    }
}
