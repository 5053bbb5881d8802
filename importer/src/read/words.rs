//! The few words the reader recognises in translated prose, in every language it is
//! tried in.
//!
//! Structure comes first (anchors, table shapes, parentheses in scheme labels,
//! scope-shaped tokens, HTTP status lines, `blockType` annotations); these lists only
//! break ties that structure cannot. Each list covers at least English (the original),
//! Russian, Portuguese, German, Chinese and Japanese, plus French, Spanish and Italian
//! where the wording is known. Entries are lower-case fragments matched against
//! lower-cased text with markup and punctuation removed; a fragment matches anywhere in
//! the text unless the list says "whole cell".
//!
//! Adding a language means adding its fragments here and a variant to the
//! multilinguality test in `tests/docs_corpus.rs`.

/// Fragments of the *personal Microsoft account* scheme label ("Delegated (personal
/// Microsoft account)"). The brand name is kept (or transliterated) by every
/// translation, so it alone usually decides.
pub(crate) const PERSONAL: &[&str] = &[
    "microsoft",
    "майкрософт",
    "msa",
    "personal",
    "личн",
    "pessoal",
    "persönlich",
    "个人",
    "個人",
    "personnel",
    "personale",
];

/// Fragments of the *work or school account* scheme label.
pub(crate) const WORK: &[&str] = &[
    "work",
    "school",
    "рабоч",
    "учеб",
    "corporativ",
    "estudante",
    "escolar",
    "trabalho",
    "geschäft",
    "schul",
    "arbeit",
    "工作",
    "学校",
    "職場",
    "travail",
    "scolaire",
    "trabajo",
    "escuela",
    "lavoro",
    "scuola",
];

/// Fragments of *delegated* (both delegated labels carry one; they also carry a
/// parenthesis, which is the primary cue).
pub(crate) const DELEGATED: &[&str] = &[
    "delegat",
    "делегир",
    "delegad",
    "delegiert",
    "委派",
    "委任",
    "délégu",
    "delega",
];

/// Fragments of *application* (the label without a parenthesis is the primary cue).
pub(crate) const APPLICATION: &[&str] = &[
    "application",
    "приложен",
    "aplicativo",
    "aplicação",
    "aplicación",
    "anwendung",
    "应用",
    "アプリ",
    "applicazione",
];

/// *Not supported* in a permissions cell.
pub(crate) const NOT_SUPPORTED: &[&str] = &[
    "not supported",
    "unsupported",
    "не поддерживается",
    "не поддерживаются",
    "sem suporte",
    "não suportado",
    "não há suporte",
    "não é suportado",
    "nicht unterstützt",
    "不支持",
    "サポートされていません",
    "サポート対象外",
    "サポートされません",
    "非サポート",
    "non pris en charge",
    "no compatible",
    "no admitido",
    "no se admite",
    "no disponible",
    "non supportato",
];

/// *Not applicable* in a permissions cell (the scheme does not apply to this API; read as
/// not supported, reported as a note).
pub(crate) const NOT_APPLICABLE: &[&str] = &[
    "not applicable",
    "не применимо",
    "неприменимо",
    "não aplicável",
    "não se aplica",
    "nicht zutreffend",
    "nicht anwendbar",
    "不适用",
    "該当なし",
    "適用なし",
    "適用外",
    "non applicable",
    "no aplicable",
    "no procede",
    "non applicabile",
];

/// *Not applicable* abbreviations (whole cell only).
pub(crate) const NOT_APPLICABLE_WHOLE: &[&str] = &["n/a", "н/д", "n/d", "k a", "k. a.", "n a"];

/// *None* (no permission needed) in a permissions cell (whole cell only).
pub(crate) const NONE_WHOLE: &[&str] = &[
    "none",
    "нет",
    "отсутствуют",
    "nenhum",
    "nenhuma",
    "keine",
    "无",
    "なし",
    "aucun",
    "aucune",
    "ninguno",
    "ninguna",
    "nessuno",
];

/// Words joining two scopes that are both required ("A and B"), whole connector only.
pub(crate) const AND: &[&str] = &[
    "and",
    "plus",
    "+",
    "&",
    "и",
    "плюс",
    "e",
    "mais",
    "und",
    "和",
    "与",
    "及",
    "および",
    "と",
    "かつ",
    "et",
    "y",
];

/// Words joining two alternative scopes ("A or B"), whole connector only.
pub(crate) const OR: &[&str] = &[
    "or",
    "или",
    "ou",
    "oder",
    "或",
    "或者",
    "または",
    "o",
    "oppure",
];

/// A sort order stated as *most → least privileged* in a permissions table header
/// (the default, and what every table in the Russian corpus but four says, is least →
/// most).
pub(crate) const DESCENDING: &[&str] = &[
    "most to least",
    "highest to lowest",
    "убывания",
    "убыванию",
    "mais para o menos",
    "mais alto para o mais baixo",
    "höchsten zu den niedrigsten",
    "meisten zu den wenigsten",
    "从高到低",
    "从最高",
    "高いものから",
    "大きいものから小さい",
    "du plus au moins",
    "de más a menos",
];

/// The access-token value of the `Authorization` header row (whose name is sometimes
/// translated): matched against the header's value.
pub(crate) const BEARER: &[&str] = &[
    "bearer",
    "носитель",
    "portador",
    "持有者",
    "ベアラー",
    "{token}",
    "<token>",
    "{code}",
    "token",
    "токен",
    "トークン",
    "令牌",
];

/// Lower-cases `text`, removes markup and punctuation (keeping `/` and `+` and `&`) and
/// collapses whitespace.
pub(crate) fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for c in text.chars() {
        let keep = c.is_alphanumeric() || matches!(c, '/' | '+' | '&');
        if keep {
            out.extend(c.to_lowercase());
            space = false;
        } else if !space {
            out.push(' ');
            space = true;
        }
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Whether normalized `text` contains any fragment of `list`.
pub(crate) fn contains_any(text: &str, list: &[&str]) -> bool {
    list.iter().any(|w| text.contains(w))
}

/// Whether normalized `text` is exactly one entry of `list` (entries are normalized too).
pub(crate) fn is_one_of(text: &str, list: &[&str]) -> bool {
    list.iter().any(|w| normalize(w) == text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_drops_markup() {
        assert_eq!(normalize("**Не поддерживается.**"), "не поддерживается");
        assert_eq!(normalize("  N/A "), "n/a");
        assert!(is_one_of(&normalize("Нет."), NONE_WHOLE));
        assert!(is_one_of(&normalize("N/A"), NOT_APPLICABLE_WHOLE));
    }
}
