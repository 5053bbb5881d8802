//! A line scanner for Graph reference pages: headings with their anchors, fenced code
//! blocks, HTML comments (and the `{"blockType": …}` annotations inside them), pipe
//! tables and links. It knows nothing about the meaning of a page.
//!
//! Hand-written rather than a full CommonMark parser: the pages are regular, the scanner
//! keeps line numbers, and it never fails (every input gives some structure).

use std::ops::Range;

/// One heading.
#[derive(Debug, Clone)]
pub(crate) struct Heading {
    /// Line index.
    pub line: usize,
    /// Number of `#`.
    pub level: usize,
    /// The anchor: `<a name="…">` when present, else the slug of the heading text (what
    /// the docs site derives, so English pages without explicit anchors work too).
    pub anchor: String,
    /// A tab heading of a code sample group (`# [HTTP](#tab/http)`): not a section.
    pub tab: bool,
}

/// One fenced code block.
#[derive(Debug, Clone)]
pub(crate) struct CodeBlock {
    /// Line of the opening fence.
    pub start: usize,
    /// Lines of the content (between the fences).
    pub content: Range<usize>,
    /// The annotation that precedes the block, if any (index into `Doc::annotations`).
    pub annotation: Option<usize>,
}

/// A `<!-- { "blockType": … } -->` annotation.
#[derive(Debug, Clone, Default)]
pub(crate) struct Annotation {
    /// Line where the comment ends.
    pub line: usize,
    /// `blockType` (`request`, `response`, `resource`, `ignored`, …).
    pub block_type: String,
    /// `@odata.type` (or `@type`).
    pub odata_type: Option<String>,
    /// `isCollection: true`.
    pub is_collection: bool,
}

/// One pipe table outside code blocks and comments.
#[derive(Debug, Clone)]
pub(crate) struct Table {
    /// First line.
    pub start: usize,
    /// Cells of each row, the delimiter row (`|:---|`) removed.
    pub rows: Vec<Vec<String>>,
    /// Whether the first row is a header (it was followed by a delimiter row).
    pub has_header: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Text,
    Code,
    Comment,
    Heading,
}

/// A scanned page.
#[derive(Debug)]
pub(crate) struct Doc<'a> {
    /// The lines (without line terminators).
    pub lines: Vec<&'a str>,
    kinds: Vec<LineKind>,
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// Code blocks in order.
    pub blocks: Vec<CodeBlock>,
    /// Annotations in order.
    pub annotations: Vec<Annotation>,
    /// Tables in order.
    pub tables: Vec<Table>,
    /// Reference link definitions `[label]: url` (label lower-cased).
    pub references: Vec<(String, String)>,
}

impl<'a> Doc<'a> {
    /// Scans `text`.
    pub fn parse(text: &'a str) -> Doc<'a> {
        let lines: Vec<&str> = text.lines().collect();
        let mut kinds = vec![LineKind::Text; lines.len()];
        let mut headings = Vec::new();
        let mut blocks = Vec::new();
        let mut annotations = Vec::new();
        let mut references = Vec::new();
        let mut fence: Option<(char, usize, usize)> = None; // (char, count, start line)
        let mut comment: Option<String> = None; // the text so far
        for (i, raw) in lines.iter().enumerate() {
            let trimmed = raw.trim();
            if let Some((ch, count, start)) = fence {
                kinds[i] = LineKind::Code;
                if is_closing_fence(trimmed, ch, count) {
                    blocks.push(CodeBlock {
                        start,
                        content: start + 1..i,
                        annotation: None,
                    });
                    fence = None;
                }
                continue;
            }
            if let Some(mut text) = comment.take() {
                kinds[i] = LineKind::Comment;
                if let Some(end) = raw.find("-->") {
                    text.push('\n');
                    text.push_str(&raw[..end]);
                    push_annotation(&mut annotations, &text, i);
                } else {
                    text.push('\n');
                    text.push_str(raw);
                    comment = Some(text);
                }
                continue;
            }
            if let Some(open) = raw.find("<!--") {
                let after = &raw[open + 4..];
                if let Some(end) = after.find("-->") {
                    push_annotation(&mut annotations, &after[..end], i);
                    // Text around a one-line comment still counts as text (a table row
                    // never carries a comment, so leave the kind as text unless the
                    // line is only the comment).
                    let rest = format!("{}{}", &raw[..open], &after[end + 3..]);
                    if rest.trim().is_empty() {
                        kinds[i] = LineKind::Comment;
                    }
                } else {
                    kinds[i] = LineKind::Comment;
                    comment = Some(after.to_owned());
                }
                continue;
            }
            if let Some((ch, count)) = opening_fence(trimmed) {
                kinds[i] = LineKind::Code;
                fence = Some((ch, count, i));
                continue;
            }
            if let Some(heading) = parse_heading(trimmed, i) {
                kinds[i] = LineKind::Heading;
                headings.push(heading);
                continue;
            }
            if let Some(reference) = parse_reference(trimmed) {
                references.push(reference);
            }
        }
        if let Some((_, _, start)) = fence {
            blocks.push(CodeBlock {
                start,
                content: start + 1..lines.len(),
                annotation: None,
            });
        }
        // Attach each annotation to the first code block after it, unless a heading or
        // another annotation comes first.
        for block in &mut blocks {
            let candidate = annotations
                .iter()
                .rposition(|a: &Annotation| a.line < block.start);
            if let Some(index) = candidate {
                let line = annotations[index].line;
                let heading_between = headings
                    .iter()
                    .any(|h| !h.tab && h.line > line && h.line < block.start);
                let block_between = blocks_end_between(&kinds, line, block.start);
                if !heading_between && !block_between {
                    block.annotation = Some(index);
                }
            }
        }
        let tables = scan_tables(&lines, &kinds);
        Doc {
            lines,
            kinds,
            headings,
            blocks,
            annotations,
            tables,
            references,
        }
    }

    /// Line ranges of the sections whose heading anchor satisfies `pred`: from the line
    /// after the heading to the next heading of the same or a higher level (tab headings
    /// of code sample groups do not end a section).
    pub fn sections(&self, pred: impl Fn(&str) -> bool) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        for (index, heading) in self.headings.iter().enumerate() {
            if heading.tab || !pred(&heading.anchor) {
                continue;
            }
            out.push((heading.level, heading.line + 1..self.section_end(index)));
        }
        out
    }

    /// The line where the section of heading `index` ends.
    fn section_end(&self, index: usize) -> usize {
        let level = self.headings[index].level;
        self.headings[index + 1..]
            .iter()
            .find(|h| !h.tab && h.level <= level)
            .map(|h| h.line)
            .unwrap_or(self.lines.len())
    }

    /// Whether line `i` is prose (not code, comment or heading).
    pub fn is_text(&self, i: usize) -> bool {
        self.kinds.get(i) == Some(&LineKind::Text)
    }

    /// The content lines of a code block.
    pub fn block_lines(&self, block: &CodeBlock) -> &[&'a str] {
        self.lines.get(block.content.clone()).unwrap_or(&[])
    }

    /// The annotation of a code block.
    pub fn annotation(&self, block: &CodeBlock) -> Option<&Annotation> {
        block.annotation.and_then(|i| self.annotations.get(i))
    }

    /// Whether a code block is annotated with `"blockType": block_type`.
    pub fn is_block(&self, block: &CodeBlock, block_type: &str) -> bool {
        self.annotation(block)
            .is_some_and(|a| a.block_type == block_type)
    }

    /// The link targets in the prose lines of `range` (table rows excluded), in order,
    /// with reference links resolved through the page's definitions: `(link text, url)`.
    pub fn links(&self, range: Range<usize>) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for i in range {
            if !self.is_text(i) {
                continue;
            }
            if let Some(line) = self.lines.get(i)
                && !line.trim_start().starts_with('|')
            {
                for (text, target) in inline_links(line) {
                    match target {
                        LinkTarget::Url(url) => out.push((text, url)),
                        LinkTarget::Reference(label) => {
                            let label = label.to_lowercase();
                            let key = if label.is_empty() {
                                text.to_lowercase()
                            } else {
                                label
                            };
                            if let Some((_, url)) = self.references.iter().find(|(l, _)| *l == key)
                            {
                                out.push((text, url.clone()));
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// The prose of `range` (text lines only, joined by newlines).
    pub fn prose(&self, range: Range<usize>) -> String {
        let mut out = String::new();
        for i in range {
            if self.is_text(i)
                && let Some(line) = self.lines.get(i)
            {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }
}

fn blocks_end_between(kinds: &[LineKind], from: usize, to: usize) -> bool {
    kinds
        .get(from + 1..to)
        .is_some_and(|k| k.contains(&LineKind::Code))
}

fn opening_fence(trimmed: &str) -> Option<(char, usize)> {
    for ch in ['`', '~'] {
        let count = trimmed.chars().take_while(|&c| c == ch).count();
        if count >= 3 {
            let info = &trimmed[count..];
            // A backtick fence's info string may not contain backticks.
            if ch == '`' && info.contains('`') {
                return None;
            }
            return Some((ch, count));
        }
    }
    None
}

fn is_closing_fence(trimmed: &str, ch: char, count: usize) -> bool {
    let run = trimmed.chars().take_while(|&c| c == ch).count();
    run >= count && trimmed[run * ch.len_utf8()..].trim().is_empty()
}

fn parse_heading(trimmed: &str, line: usize) -> Option<Heading> {
    let level = trimmed.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = &trimmed[level..];
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let rest = rest.trim();
    let tab = rest.contains("](#tab/");
    let anchor = explicit_anchor(rest).unwrap_or_else(|| slug(&strip_tags(rest)));
    Some(Heading {
        line,
        level,
        anchor,
        tab,
    })
}

/// The `name` or `id` of the first `<a …>` tag in `text`.
fn explicit_anchor(text: &str) -> Option<String> {
    let open = text.find("<a ")?;
    let tag_end = text[open..].find('>')? + open;
    let tag = &text[open..tag_end];
    for attr in ["name=", "id="] {
        if let Some(pos) = tag.find(attr) {
            let value = &tag[pos + attr.len()..];
            let quote = value.chars().next()?;
            if quote == '"' || quote == '\'' {
                let inner = &value[1..];
                let end = inner.find(quote)?;
                return Some(inner[..end].to_owned());
            }
        }
    }
    None
}

/// The docs site's heading slug: lower case, letters/digits kept, spaces and hyphens
/// become `-`, other punctuation dropped.
pub(crate) fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if c == ' ' || c == '-' || c == '_' {
            out.push('-');
        }
    }
    out
}

/// `text` with HTML tags removed.
pub(crate) fn strip_tags(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn parse_reference(trimmed: &str) -> Option<(String, String)> {
    let rest = trimmed.strip_prefix('[')?;
    let close = rest.find("]:")?;
    let label = rest[..close].trim().to_lowercase();
    let url = rest[close + 2..].split_whitespace().next()?.to_owned();
    if label.is_empty() {
        return None;
    }
    Some((label, url))
}

enum LinkTarget {
    Url(String),
    Reference(String),
}

/// The inline (`[text](url)`) and reference (`[text][label]`) links of one line.
fn inline_links(line: &str) -> Vec<(String, LinkTarget)> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let Some(close) = matching_bracket(after) else {
            break;
        };
        let text = after[..close].to_owned();
        let tail = &after[close + 1..];
        if let Some(target) = tail.strip_prefix('(') {
            if let Some(end) = target.find(')') {
                let url = target[..end].split_whitespace().next().unwrap_or("");
                out.push((text, LinkTarget::Url(url.to_owned())));
                rest = &target[end + 1..];
                continue;
            }
        } else if let Some(target) = tail.strip_prefix('[')
            && let Some(end) = target.find(']')
        {
            out.push((text, LinkTarget::Reference(target[..end].to_owned())));
            rest = &target[end + 1..];
            continue;
        }
        rest = after;
    }
    out
}

/// The index of the `]` closing a `[` whose content starts at `text`.
fn matching_bracket(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' if depth == 0 => return Some(i),
            ']' => depth -= 1,
            _ => {}
        }
    }
    None
}

fn scan_tables(lines: &[&str], kinds: &[LineKind]) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if kinds[i] != LineKind::Text || !lines[i].trim_start().starts_with('|') {
            i += 1;
            continue;
        }
        let start = i;
        let mut rows = Vec::new();
        let mut has_header = false;
        while i < lines.len()
            && kinds[i] == LineKind::Text
            && lines[i].trim_start().starts_with('|')
        {
            let cells = split_row(lines[i]);
            if is_delimiter_row(&cells) {
                if rows.len() == 1 {
                    has_header = true;
                }
            } else {
                rows.push(cells);
            }
            i += 1;
        }
        tables.push(Table {
            start,
            rows,
            has_header,
        });
    }
    tables
}

/// The cells of a table row (`\|` is a literal bar).
pub(crate) fn split_row(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut chars = line.trim().chars().peekable();
    if chars.peek() == Some(&'|') {
        chars.next();
    }
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
            _ => cell.push(c),
        }
    }
    if !cell.trim().is_empty() {
        cells.push(cell.trim().to_owned());
    }
    cells
}

fn is_delimiter_row(cells: &[String]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            let inner = c.trim_start_matches(':').trim_end_matches(':');
            !inner.is_empty() && inner.chars().all(|ch| ch == '-')
        })
}

fn push_annotation(annotations: &mut Vec<Annotation>, text: &str, end_line: usize) {
    let text = decode_entities(text);
    let Some(block_type) = json_string_field(&text, "blockType") else {
        return;
    };
    let odata_type =
        json_string_field(&text, "@odata.type").or_else(|| json_string_field(&text, "@type"));
    let is_collection = json_bool_field(&text, "isCollection").unwrap_or(false);
    annotations.push(Annotation {
        line: end_line,
        block_type,
        odata_type,
        is_collection,
    });
}

/// Replaces the HTML entities the pages use.
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", " ")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The string value of `"key": "value"` anywhere in loosely JSON-like text (the
/// annotations are not strict JSON: trailing commas, entities, comments).
pub(crate) fn json_string_field(text: &str, key: &str) -> Option<String> {
    let pattern = format!("\"{key}\"");
    let mut rest = text;
    while let Some(pos) = rest.find(&pattern) {
        let after = rest[pos + pattern.len()..].trim_start();
        if let Some(value) = after.strip_prefix(':') {
            let value = value.trim_start();
            if let Some(inner) = value.strip_prefix('"') {
                let end = inner.find('"')?;
                return Some(inner[..end].trim().to_owned());
            }
        }
        rest = &rest[pos + pattern.len()..];
    }
    None
}

/// The boolean value of `"key": true|false` in loosely JSON-like text.
pub(crate) fn json_bool_field(text: &str, key: &str) -> Option<bool> {
    let pattern = format!("\"{key}\"");
    let pos = text.find(&pattern)?;
    let after = text[pos + pattern.len()..].trim_start().strip_prefix(':')?;
    let after = after.trim_start().trim_start_matches('"');
    if after.starts_with("true") {
        Some(true)
    } else if after.starts_with("false") {
        Some(false)
    } else {
        None
    }
}

/// A value of the page's YAML front matter (`key: value` between the leading `---`
/// lines), unquoted: `front_matter(text, "ms.prod")` is the product a page documents.
pub fn front_matter(text: &str, key: &str) -> Option<String> {
    let mut lines = text.lines();
    if lines.next()?.trim() != "---" {
        return None;
    }
    for line in lines {
        if line.trim() == "---" {
            break;
        }
        if let Some(rest) = line.strip_prefix(key).and_then(|r| r.strip_prefix(':')) {
            let value = rest.trim().trim_matches(['\'', '"']).trim();
            return (!value.is_empty()).then(|| value.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_tables_blocks_and_annotations() {
        let text = "# <a name=\"t\"></a>Title\n\n## <a name=\"permissions\"></a>X\n\n|A|B|\n|:-|:-|\n|c|d|\n\n<!--\n|e|f|\n-->\n## <a name=\"http-request\"></a>Y\n<!-- { \"blockType\": \"ignored\" } -->\n```http\nGET /me\n```\n# [HTTP](#tab/http)\n## Request body\n";
        let doc = Doc::parse(text);
        let perms = doc.sections(|a| a == "permissions");
        assert_eq!(perms.len(), 1);
        assert_eq!(doc.tables.len(), 1);
        assert_eq!(doc.tables[0].rows, vec![vec!["A", "B"], vec!["c", "d"]]);
        assert!(doc.tables[0].has_header);
        assert_eq!(doc.blocks.len(), 1);
        assert_eq!(doc.block_lines(&doc.blocks[0]), &["GET /me"]);
        assert_eq!(
            doc.annotation(&doc.blocks[0])
                .map(|a| a.block_type.as_str()),
            Some("ignored")
        );
        assert_eq!(doc.sections(|a| a == "request-body").len(), 1);
        let http = doc.sections(|a| a == "http-request");
        assert_eq!(http[0].1.end, doc.lines.len() - 1);
    }

    #[test]
    fn links_resolve_references() {
        let text = "See [the drive][drive-resource] and [user](../resources/user.md).\n\n[drive-resource]: ../resources/drive.md\n";
        let doc = Doc::parse(text);
        let links = doc.links(0..doc.lines.len());
        assert_eq!(
            links,
            vec![
                ("the drive".to_owned(), "../resources/drive.md".to_owned()),
                ("user".to_owned(), "../resources/user.md".to_owned())
            ]
        );
    }

    #[test]
    fn lenient_annotation_fields() {
        let text = "{ \"blockType\": \"resource\", \"@type&quot;: &quot;microsoft.graph.list\" }";
        let decoded = decode_entities(text);
        assert_eq!(
            json_string_field(&decoded, "@type").as_deref(),
            Some("microsoft.graph.list")
        );
        assert_eq!(
            json_bool_field("{\"isCollection\": true}", "isCollection"),
            Some(true)
        );
    }

    #[test]
    fn slugs_match_the_docs_site() {
        assert_eq!(slug("HTTP request"), "http-request");
        assert_eq!(slug("Request headers"), "request-headers");
    }

    #[test]
    fn front_matter_values() {
        let text = "---\ntitle: 'x'\nms.prod: users\n---\n# x\nms.prod: no\n";
        assert_eq!(front_matter(text, "ms.prod").as_deref(), Some("users"));
        assert_eq!(front_matter("# x", "ms.prod"), None);
    }
}
