//! A CSV sheet as finance pastes or uploads it: the byte-order mark dropped, line ends as
//! people see them (browsers send a text area with CRLF), a lower-case header with hyphens as
//! underscores, rows read flexibly (a row with the wrong number of cells is the row's
//! problem, not the file's).

use serde::{Deserialize, Serialize};

/// A file that cannot be read as a sheet at all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
pub enum FileProblem {
    Empty,
    NotCsv,
    MissingColumn(String),
    UnknownColumn(String),
    TooManyRows,
}

/// The text without its byte-order mark, with `\n` line ends; `Empty` when there is nothing.
pub fn normalise(text: &str) -> Result<String, FileProblem> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(text)
}

/// A reader of `text`'s rows, and its header.
pub fn reader(text: &str) -> Result<(csv::Reader<&[u8]>, Vec<String>), FileProblem> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|_| FileProblem::NotCsv)?
        .iter()
        .map(|h| h.to_ascii_lowercase().replace('-', "_"))
        .collect();
    Ok((reader, header))
}
