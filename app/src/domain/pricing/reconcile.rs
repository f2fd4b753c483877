//! Reconciliation input: the platform's own per-country cost figures, in the shape of
//! `pricing_analytics` data points (https://developers.facebook.com/docs/whatsapp/business-management-api/analytics), one row each:
//! `waba_id,start,end,country,pricing_type,pricing_category,volume,cost` — `start`/`end` as
//! unix seconds (the API's; `end` exclusive) or dates (inclusive), `cost` a decimal in the
//! account's currency. Every bad row is reported with its line and column.

use super::money::parse_total_micros;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub const MAX_ROWS: usize = 100_000;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyticsRow {
    pub line: u64,
    pub waba_id: String,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    pub country: String,
    /// Lower case: `regular`, `free_customer_service`, `free_entry_point` …
    pub pricing_type: String,
    /// Lower case, underscores: `marketing`, `authentication_international`, `referral_conversion` …
    pub category: String,
    pub volume: i64,
    pub cost_micros: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnalyticsProblem {
    InvalidWaba,
    InvalidDate,
    EndBeforeStart,
    InvalidCountry,
    InvalidVolume,
    InvalidCost,
    Missing,
    WrongCellCount,
    /// The account is not one of ours (found by the service).
    UnknownWaba,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyticsError {
    pub line: u64,
    pub column: String,
    pub problem: AnalyticsProblem,
}

pub const HEADER: [&str; 8] = [
    "waba_id",
    "start",
    "end",
    "country",
    "pricing_type",
    "pricing_category",
    "volume",
    "cost",
];

/// A date, or unix seconds (`exclusive_end`: the instant is the end of a range, so the day
/// is the one of the second before).
fn day(raw: &str, exclusive_end: bool) -> Option<NaiveDate> {
    let t = raw.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Some(d);
    }
    let secs: i64 = t.parse().ok()?;
    let secs = if exclusive_end {
        secs.saturating_sub(1)
    } else {
        secs
    };
    chrono::DateTime::from_timestamp(secs, 0).map(|d| d.date_naive())
}

/// Reads the file. `Err` when it is no such file at all (empty, not CSV, wrong header).
pub fn read_analytics(
    text: &str,
) -> Result<(Vec<AnalyticsRow>, Vec<AnalyticsError>), super::card::FileProblem> {
    use super::card::FileProblem;
    let text = super::sheet::normalise(text)?;
    let (mut reader, header) = super::sheet::reader(&text)?;
    for h in HEADER {
        if !header.iter().any(|x| x == h) {
            return Err(FileProblem::MissingColumn(h.to_owned()));
        }
    }
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.map_err(|_| FileProblem::NotCsv)?;
        let line = record.position().map_or(0, |p| p.line());
        if rows.len() + errors.len() >= MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        if record.iter().all(str::is_empty) {
            continue;
        }
        if record.len() != header.len() {
            errors.push(AnalyticsError {
                line,
                column: String::new(),
                problem: AnalyticsProblem::WrongCellCount,
            });
            continue;
        }
        match read_row(&record, &header, line) {
            Ok(row) => rows.push(row),
            Err(mut bad) => errors.append(&mut bad),
        }
    }
    if rows.is_empty() && errors.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok((rows, errors))
}

/// One row of the analytics export: every problem of the row, else the row.
fn read_row(
    record: &csv::StringRecord,
    header: &[String],
    line: u64,
) -> Result<AnalyticsRow, Vec<AnalyticsError>> {
    let cell = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .unwrap_or("")
    };
    let mut bad = Vec::new();
    let waba = cell("waba_id");
    if waba.is_empty() || waba.len() > 32 || !waba.bytes().all(|b| b.is_ascii_digit()) {
        bad.push(("waba_id", AnalyticsProblem::InvalidWaba));
    }
    let start = day(cell("start"), false);
    let end = day(cell("end"), true);
    if start.is_none() {
        bad.push(("start", AnalyticsProblem::InvalidDate));
    }
    if end.is_none() {
        bad.push(("end", AnalyticsProblem::InvalidDate));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            bad.push(("end", AnalyticsProblem::EndBeforeStart));
        }
    }
    let country = cell("country").to_ascii_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        bad.push(("country", AnalyticsProblem::InvalidCountry));
    }
    let (ptype, category) = (
        cell("pricing_type").to_ascii_lowercase(),
        cell("pricing_category")
            .to_ascii_lowercase()
            .replace('-', "_"),
    );
    if ptype.is_empty() {
        bad.push(("pricing_type", AnalyticsProblem::Missing));
    }
    if category.is_empty() {
        bad.push(("pricing_category", AnalyticsProblem::Missing));
    }
    let volume = cell("volume").parse::<i64>().ok().filter(|v| *v >= 0);
    if volume.is_none() {
        bad.push(("volume", AnalyticsProblem::InvalidVolume));
    }
    let cost = parse_total_micros(cell("cost")).ok();
    if cost.is_none() {
        bad.push(("cost", AnalyticsProblem::InvalidCost));
    }
    match (bad.is_empty(), start, end, volume, cost) {
        (true, Some(start), Some(end), Some(volume), Some(cost_micros)) => Ok(AnalyticsRow {
            line,
            waba_id: waba.to_owned(),
            start,
            end,
            country,
            pricing_type: ptype,
            category,
            volume,
            cost_micros,
        }),
        _ => Err(bad
            .into_iter()
            .map(|(c, problem)| AnalyticsError {
                line,
                column: c.to_owned(),
                problem,
            })
            .collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_data_points_in_either_time_form_and_reports_bad_rows() {
        let text = "waba_id,start,end,country,pricing_type,pricing_category,volume,cost\n\
                    104996839102231,1790812800,1793491200,FR,REGULAR,MARKETING,120,8.544\n\
                    104996839102231,2026-10-01,2026-10-31,fr,FREE_ENTRY_POINT,REFERRAL_CONVERSION,4,0\n\
                    abc,2026-10-01,2026-09-01,FRA,REGULAR,UTILITY,-1,x\n";
        let (rows, errors) = read_analytics(text).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].start, rows[0].end),
            (
                NaiveDate::from_ymd_opt(2026, 10, 1).unwrap_or_default(),
                NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default()
            ),
            "unix end is exclusive"
        );
        assert_eq!(
            (
                rows[0].pricing_type.as_str(),
                rows[0].category.as_str(),
                rows[0].cost_micros
            ),
            ("regular", "marketing", 8_544_000)
        );
        assert_eq!(rows[1].country, "FR");
        let got: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (4, "waba_id"),
                (4, "end"),
                (4, "country"),
                (4, "volume"),
                (4, "cost")
            ]
        );
        assert!(read_analytics("a,b\n1,2\n").is_err());
    }
}
