//! Naming rules for generated Rust names (documented in `docs/definition-language.md`).

use crate::valid::Piece;

/// Rust keywords (strict and reserved, 2024 edition) that cannot be plain identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Whether `name` is a Rust keyword.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Whether `name` is a plain (non-keyword) Rust identifier.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !is_keyword(name)
}

/// `snake_case` of a camelCase, PascalCase, kebab-case or snake_case word
/// (`userPrincipalName` → `user_principal_name`, `item-path` → `item_path`,
/// `siteID` → `site_id`). Characters other than ASCII letters and digits separate words.
pub fn snake_case(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && i > 0 {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
                if prev.is_ascii_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_ascii_uppercase() && next_lower)
                {
                    out.push('_');
                }
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    out
}

/// Makes a keyword usable as an identifier by appending `_` (`type` → `type_`).
pub fn unkeyword(name: String) -> String {
    if is_keyword(&name) { name + "_" } else { name }
}

/// The Rust argument name of a path placeholder: the text before the first `|`, trimmed,
/// snake-cased, keyword-escaped. `None` when that text has characters other than ASCII
/// letters, digits, `-` and `_`, or does not start with a letter or `_`.
pub fn param_name(raw: &str) -> Option<String> {
    let head = raw.split('|').next().unwrap_or("").trim();
    let mut chars = head.chars();
    if !matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_') {
        return None;
    }
    if !head
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let name = snake_case(head);
    if name.is_empty() {
        return None;
    }
    Some(unkeyword(name))
}

/// The words of the literal path segments of a form, in order (`/users/{id}/drive` →
/// `users`, `drive`).
fn literal_words(pieces: &[Piece]) -> Vec<String> {
    let mut words = Vec::new();
    for piece in pieces {
        if let Piece::Literal(text) = piece {
            words.extend(text.split('/').map(snake_case).filter(|w| !w.is_empty()));
        }
    }
    words
}

/// Constructor names for several forms of one operation: the first literal path segment,
/// snake-cased; forms whose names repeat take the following literal segments, joined by
/// `_`, until the names differ (or the segments run out).
pub fn constructor_names(forms: &[&[Piece]]) -> Vec<String> {
    let words: Vec<Vec<String>> = forms.iter().map(|p| literal_words(p)).collect();
    let mut taken: Vec<usize> = words.iter().map(|w| w.len().min(1)).collect();
    let name = |i: usize, taken: &[usize]| -> String {
        let w = &words[i];
        if w.is_empty() {
            format!("form{i}")
        } else {
            unkeyword(w[..taken[i]].join("_"))
        }
    };
    loop {
        let names: Vec<String> = (0..forms.len()).map(|i| name(i, &taken)).collect();
        let mut grew = false;
        for i in 0..forms.len() {
            let repeated = names
                .iter()
                .enumerate()
                .any(|(j, n)| j != i && *n == names[i]);
            if repeated && taken[i] < words[i].len() {
                taken[i] += 1;
                grew = true;
            }
        }
        if !grew {
            return names;
        }
    }
}

/// The builder method name for a header (`ConsistencyLevel` → `consistency_level`,
/// `If-Match` → `if_match`).
pub fn header_method(header: &str) -> String {
    unkeyword(snake_case(header))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn param_names_follow_the_documented_rule() {
        assert_eq!(param_name("id | userPrincipalName").as_deref(), Some("id"));
        assert_eq!(param_name("user-id").as_deref(), Some("user_id"));
        assert_eq!(param_name("userId").as_deref(), Some("user_id"));
        assert_eq!(param_name("period_value").as_deref(), Some("period_value"));
        assert_eq!(param_name("type").as_deref(), Some("type_"));
        assert_eq!(param_name("siteID").as_deref(), Some("site_id"));
        assert_eq!(param_name("9lives"), None);
        assert_eq!(param_name("a b"), None);
        assert_eq!(param_name(""), None);
    }

    #[test]
    fn constructor_names_extend_until_distinct() {
        let me = [Piece::Literal("/me/drive".into())];
        let users = [
            Piece::Literal("/users/".into()),
            Piece::Segment(0),
            Piece::Literal("/drive".into()),
        ];
        assert_eq!(constructor_names(&[&me, &users]), ["me", "users"]);
        let a = [
            Piece::Literal("/users/".into()),
            Piece::Segment(0),
            Piece::Literal("/drive/items/".into()),
            Piece::Segment(1),
        ];
        let b = [
            Piece::Literal("/users/".into()),
            Piece::Segment(0),
            Piece::Literal("/drive/root:/".into()),
            Piece::Embedded(1),
            Piece::Literal(":".into()),
        ];
        assert_eq!(
            constructor_names(&[&a, &b]),
            ["users_drive_items", "users_drive_root"]
        );
    }

    #[test]
    fn header_methods() {
        assert_eq!(header_method("ConsistencyLevel"), "consistency_level");
        assert_eq!(header_method("If-Match"), "if_match");
    }
}
