//! Where in a JSON text a decoder stopped, as a path (`items[2].isActive`): serde_json reports
//! a line and a column only, so the text is scanned up to that point.
//!
//! The scan follows objects, arrays, keys and strings, and nothing else: it never parses a
//! value, and never panics on text that is not JSON (it is fed any answer body).

/// The byte offset of serde_json's `line` (1-based) and `column` (bytes into that line).
pub(crate) fn offset_of(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    if line > 1 {
        let newlines = text
            .iter()
            .enumerate()
            .filter(|(_, byte)| **byte == b'\n')
            .nth(line - 2);
        match newlines {
            Some((at, _)) => start = at + 1,
            None => return text.len(),
        }
    }
    start.saturating_add(column).min(text.len())
}

/// The longest key kept in a path, in characters: a path names fields, it does not copy data.
const KEY_LIMIT: usize = 64;
/// The most levels a path shows (the deepest ones kept).
const DEPTH_LIMIT: usize = 16;
/// The most levels the scan keeps: deeper ones are counted, not stored, so that a hostile
/// body (ten MiB of `[`) costs a counter, not a frame per byte. serde_json itself stops at
/// 128 levels, so a path to where it stopped fits.
const STORED_LIMIT: usize = 256;

enum Frame {
    /// An object, and the key whose value is being read (none before the first key).
    Object { key: Option<String> },
    /// An array, and the index of the element being read.
    Array { index: usize },
}

/// The path to the value being read at byte `offset` of `text`: object keys joined with `.`
/// and array indices in brackets; empty at the top level.
pub(crate) fn path_at(text: &[u8], offset: usize) -> String {
    let (stack, deeper) = scan(text, offset);
    render(&stack, deeper)
}

/// The open levels at byte `offset` of `text`: the first [`STORED_LIMIT`] as frames, and how
/// many more are open beyond them.
fn scan(text: &[u8], offset: usize) -> (Vec<Frame>, usize) {
    let text = &text[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    // Levels open beyond the stored ones: while it is not zero, the current level is one of
    // them, and keys, indices and strings there are not followed.
    let mut deeper = 0usize;
    let mut expecting_key = false;
    let mut string: Option<(usize, bool)> = None; // (start, is a key)
    let mut escaped = false;
    for (at, &byte) in text.iter().enumerate() {
        if deeper > 0 {
            // Only the nesting is followed (strings included, so that a bracket inside one
            // does not count).
            if string.is_some() {
                match byte {
                    _ if escaped => escaped = false,
                    b'\\' => escaped = true,
                    b'"' => string = None,
                    _ => {}
                }
                continue;
            }
            match byte {
                b'{' | b'[' => deeper = deeper.saturating_add(1),
                b'}' | b']' => deeper -= 1,
                b'"' => string = Some((at, false)),
                _ => {}
            }
            continue;
        }
        if let Some((start, is_key)) = string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => {
                    string = None;
                    if is_key {
                        if let Some(Frame::Object { key }) = stack.last_mut() {
                            *key = Some(key_text(&text[start..=at]));
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match byte {
            b'{' | b'[' if stack.len() == STORED_LIMIT => deeper = 1,
            b'{' => {
                stack.push(Frame::Object { key: None });
                expecting_key = true;
            }
            b'[' => {
                stack.push(Frame::Array { index: 0 });
                expecting_key = false;
            }
            b'}' | b']' => {
                stack.pop();
                expecting_key = false;
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object { key }) => {
                    *key = None;
                    expecting_key = true;
                }
                Some(Frame::Array { index }) => *index = index.saturating_add(1),
                None => {}
            },
            b':' => expecting_key = false,
            b'"' => {
                let is_key = expecting_key && matches!(stack.last(), Some(Frame::Object { .. }));
                string = Some((at, is_key));
            }
            _ => {}
        }
    }
    (stack, deeper)
}

/// The path of the open levels: the deepest [`DEPTH_LIMIT`] stored ones, and how many more
/// are open below them when some were only counted.
fn render(stack: &[Frame], deeper: usize) -> String {
    let mut path = String::new();
    let shown = stack.len().saturating_sub(DEPTH_LIMIT);
    if shown > 0 {
        path.push('…');
    }
    for frame in &stack[shown..] {
        match frame {
            Frame::Object { key: Some(key) } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object { key: None } => {}
            Frame::Array { index } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    if deeper > 0 {
        path.push_str(&format!("…(+{deeper} levels)"));
    }
    path
}

/// A key as written between its quotes (escapes resolved when valid), cut at [`KEY_LIMIT`].
fn key_text(quoted: &[u8]) -> String {
    let key = serde_json::from_slice::<String>(quoted).unwrap_or_else(|_| {
        let inner = quoted
            .get(1..quoted.len().saturating_sub(1))
            .unwrap_or_default();
        String::from_utf8_lossy(inner).into_owned()
    });
    if key.chars().count() > KEY_LIMIT {
        let mut cut: String = key.chars().take(KEY_LIMIT).collect();
        cut.push('…');
        cut
    } else {
        key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_of_ten_mib_of_brackets_is_scanned_in_bounded_memory() {
        let mut body = vec![b'['; 10 * 1024 * 1024];
        body.push(0xff);
        let (stack, deeper) = scan(&body, body.len() - 1);
        assert_eq!(stack.len(), STORED_LIMIT);
        assert_eq!(deeper, body.len() - 1 - STORED_LIMIT);
        let path = path_at(&body, body.len() - 1);
        assert!(path.len() < 200, "{path}");
        assert!(path.ends_with(&format!("…(+{deeper} levels)")), "{path}");
        // Deep levels that close again leave the stored path as it was.
        let mut closing = b"{\"a\":[1,".to_vec();
        closing.extend(std::iter::repeat_n(b'[', 1000));
        closing.extend(b"\"]]\"");
        closing.extend(std::iter::repeat_n(b']', 1000));
        closing.extend(b",{\"b\":");
        assert_eq!(path_at(&closing, closing.len()), "a[2].b");
    }

    fn path_of_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        let error = serde_json::from_str::<T>(text).expect_err("the text does not decode");
        path_at(
            text.as_bytes(),
            offset_of(text.as_bytes(), error.line(), error.column()),
        )
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        flag: bool,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        items: Vec<Inner>,
    }

    #[test]
    fn paths_name_keys_and_indices_where_serde_json_stopped() {
        assert_eq!(
            path_of_error::<Outer>(r#"{"name":"a","items":[{"flag":true},{"flag":"yes"}]}"#),
            "items[1].flag"
        );
        assert_eq!(
            path_of_error::<Outer>("{\n  \"name\": 5,\n  \"items\": []\n}"),
            "name"
        );
        // A missing field is reported at the end of its object.
        assert_eq!(
            path_of_error::<Outer>(r#"{"name":"a","items":[{}]}"#),
            "items[0]"
        );
        // Keys with escapes, commas and brackets inside strings do not confuse the scan.
        assert_eq!(
            path_of_error::<Outer>(r#"{"na\"me":"[,{","name":"x","items":[{"flag":1}]}"#),
            "items[0].flag"
        );
        // serde reads a struct from an array too: the first element is the first field.
        assert_eq!(path_of_error::<Outer>("[1]"), "[0]");
        assert_eq!(path_of_error::<Outer>("true"), "");
    }

    #[test]
    fn odd_text_gives_a_path_and_never_panics() {
        for text in ["", "]]]}}}", "\"\\", "{\"a\":[[[", "{\"", "\u{fffd}{\"é\":"] {
            let _ = path_at(text.as_bytes(), usize::MAX);
            let _ = offset_of(text.as_bytes(), 7, usize::MAX);
        }
        let long = format!("{{\"{}\":", "k".repeat(500));
        assert_eq!(path_at(long.as_bytes(), long.len()).chars().count(), 65);
    }
}
