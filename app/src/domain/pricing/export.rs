//! The per-country usage export: its header, one CSV row, and cells made safe against
//! formula injection (a spreadsheet runs a cell starting with `=`, `+`, `-` or `@`).

/// The export's columns, in order.
pub const HEADER: [&str; 16] = [
    "period_start",
    "period_end",
    "tenant_id",
    "tenant_name",
    "country",
    "market",
    "category",
    "pricing_type",
    "messages",
    "billable_messages",
    "cost_minor",
    "price_minor",
    "margin_minor",
    "currency",
    "cost_card_version",
    "price_list_version",
];

/// A text cell a spreadsheet will not run: a leading `=`, `+`, `-`, `@`, tab or carriage
/// return gets a `'` in front (OWASP's advice). Numbers we write ourselves are not text.
pub fn safe_text(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

/// One row: RFC 4180 quoting by the `csv` crate, text cells made safe.
pub fn row(
    w: &mut csv::Writer<Vec<u8>>,
    text: &[&str; 8],
    numbers: &[i64; 5],
    tail: &[&str; 3],
) -> Result<(), csv::Error> {
    let mut cells: Vec<String> = text.iter().map(|c| safe_text(c)).collect();
    cells.extend(numbers.iter().map(i64::to_string));
    cells.extend(tail.iter().map(|c| safe_text(c)));
    w.write_record(&cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_are_rfc4180() {
        assert_eq!(
            safe_text("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        for c in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_text(c).starts_with('\''), "{c}");
        }
        assert_eq!(safe_text("Acme"), "Acme");
        let mut w = csv::Writer::from_writer(Vec::new());
        let r = row(
            &mut w,
            &[
                "2026-11-01",
                "2026-11-30",
                "id",
                "=HYPERLINK(\"http://x\",\"a,b\")",
                "FR",
                "france",
                "marketing",
                "regular",
            ],
            &[3, 3, 21, 27, -6],
            &["EUR", "c1", "p1"],
        );
        assert!(r.is_ok());
        let out = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
        assert_eq!(out, "2026-11-01,2026-11-30,id,\"'=HYPERLINK(\"\"http://x\"\",\"\"a,b\"\")\",FR,france,marketing,regular,3,3,21,27,-6,EUR,c1,p1\n");
    }
}
