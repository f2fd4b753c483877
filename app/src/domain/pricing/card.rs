//! Platform cost rate cards: rates per (market, category, monthly volume tier) in one currency
//! from an effective date, read from the CSV the platform publishes (one row per market):
//! `market,currency,marketing,utility,authentication,authentication_international,service`
//! plus optional `marketing_lite` and `tier` (`lower:upper`, `MAX` for no upper bound) columns.
//! Every problem is reported with its line and column before anything is saved.

use super::category::Category;
use super::market::Market;
use super::money::{parse_micros, AmountError};
pub use super::sheet::FileProblem;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// At most this many rows in one card file (47 markets × a few tiers is far below).
pub const MAX_ROWS: usize = 2_000;

/// A monthly volume band: the rate applies to a message when `lower ≤ messages already
/// charged this month in this market × category < upper`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tier {
    pub lower: i64,
    pub upper: Option<i64>,
}

impl Tier {
    pub const ALL: Tier = Tier {
        lower: 0,
        upper: None,
    };

    /// `"0:MAX"`, `"100000:MAX"`, `"0:25000000"`, or empty for all volumes.
    pub fn parse(raw: &str) -> Option<Tier> {
        let t = raw.trim();
        if t.is_empty() {
            return Some(Tier::ALL);
        }
        let (lo, hi) = t.split_once(':')?;
        let lower: i64 = lo.trim().parse().ok().filter(|v| *v >= 0)?;
        let upper = match hi.trim() {
            u if u.eq_ignore_ascii_case("max") || u.is_empty() => None,
            u => Some(u.parse::<i64>().ok().filter(|v| *v > lower)?),
        };
        Some(Tier { lower, upper })
    }

    pub fn contains(self, prior: i64) -> bool {
        prior >= self.lower && self.upper.is_none_or(|u| prior < u)
    }

    pub fn label(self) -> String {
        match self.upper {
            Some(u) => format!("{}:{u}", self.lower),
            None => format!("{}:MAX", self.lower),
        }
    }
}

/// One rate of a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rate {
    pub market: Market,
    pub category: Category,
    pub tier: Tier,
    pub micros: i64,
}

/// The rates of one card (one currency, one effective date).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rates(pub Vec<Rate>);

impl Rates {
    /// The rate of a message: the band holding `prior` (messages of this market × category
    /// already charged this month). A card without `marketing_lite` prices it as marketing,
    /// without `authentication_international` as authentication, and without `service` as
    /// utility (the platform charges service at the utility rate from 2026-10-01).
    pub fn rate(&self, market: Market, category: Category, prior: i64) -> Option<i64> {
        let find = |c: Category| {
            self.0
                .iter()
                .find(|r| r.market == market && r.category == c && r.tier.contains(prior))
                .map(|r| r.micros)
        };
        find(category).or_else(|| match category {
            Category::MarketingLite => find(Category::Marketing),
            Category::AuthenticationInternational => find(Category::Authentication),
            Category::Service => find(Category::Utility),
            _ => None,
        })
    }

    /// Whether the card has more than one band for this market × category.
    pub fn is_tiered(&self, market: Market, category: Category) -> bool {
        self.0
            .iter()
            .filter(|r| r.market == market && r.category == category)
            .count()
            > 1
    }

    pub fn markets(&self) -> Vec<Market> {
        let mut m: Vec<Market> = self.0.iter().map(|r| r.market).collect();
        m.sort_unstable();
        m.dedup();
        m
    }
}

/// What is wrong with one cell or row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowProblem {
    UnknownMarket,
    InvalidCurrency,
    /// The file mixes currencies: a card has one.
    OtherCurrency,
    InvalidRate(AmountError),
    InvalidTier,
    /// The same market (and tier) twice.
    Duplicate,
    /// More or fewer cells than the header.
    WrongCellCount,
    /// Not one rate in the row.
    NoRates,
    /// Bands of a market × category overlap.
    OverlappingTiers,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line of the file.
    pub line: u64,
    /// The header's name of the column, or empty for the whole row.
    pub column: String,
    pub problem: RowProblem,
}

/// A read card: the rates of the good rows and the error of every bad one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardImport {
    pub currency: Option<String>,
    pub rows: u64,
    pub rates: Rates,
    pub errors: Vec<RowError>,
    /// Markets on the cards in force on the effective date that the file does not price.
    pub missing_markets: Vec<Market>,
}

const REQUIRED: [&str; 7] = [
    "market",
    "currency",
    "marketing",
    "utility",
    "authentication",
    "authentication_international",
    "service",
];
const OPTIONAL: [&str; 2] = ["marketing_lite", "tier"];

/// Reads a card file for the given effective date. `Err` only when the file as a whole is
/// unusable; row problems are listed in [`CardImport::errors`].
pub fn read_card(text: &str, effective_from: NaiveDate) -> Result<CardImport, FileProblem> {
    let text = super::sheet::normalise(text)?;
    let (mut reader, header) = super::sheet::reader(&text)?;
    for h in &header {
        if !REQUIRED.contains(&h.as_str()) && !OPTIONAL.contains(&h.as_str()) {
            return Err(FileProblem::UnknownColumn(h.chars().take(40).collect()));
        }
    }
    for r in REQUIRED {
        if !header.iter().any(|h| h == r) {
            return Err(FileProblem::MissingColumn(r.to_owned()));
        }
    }
    let mut out = CardImport::default();
    let mut seen: Vec<(Market, Tier, u64)> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|_| FileProblem::NotCsv)?;
        let line = record.position().map_or(0, |p| p.line());
        out.rows += 1;
        if out.rows > MAX_ROWS as u64 {
            return Err(FileProblem::TooManyRows);
        }
        if record.iter().all(str::is_empty) {
            out.rows -= 1;
            continue;
        }
        match read_row(&record, &header, line, out.currency.as_deref(), &seen) {
            Ok((market, tier, currency, rates)) => {
                out.currency.get_or_insert(currency);
                seen.push((market, tier, line));
                out.rates
                    .0
                    .extend(rates.into_iter().map(|(category, micros)| Rate {
                        market,
                        category,
                        tier,
                        micros,
                    }));
            }
            Err(mut errors) => out.errors.append(&mut errors),
        }
    }
    if out.rows == 0 {
        return Err(FileProblem::Empty);
    }
    let priced = out.rates.markets();
    out.missing_markets = Market::all_on(effective_from)
        .into_iter()
        .filter(|m| !priced.contains(m))
        .collect();
    Ok(out)
}

/// A row read: its market, tier, currency and rates per category.
type CardRow = (Market, Tier, String, Vec<(Category, i64)>);

/// One row of a card, checked against the card's currency so far (`first`) and the rows
/// already read (`seen`: no market twice in a tier, no overlapping tiers); every problem of
/// the row, else what it prices.
fn read_row(
    record: &csv::StringRecord,
    header: &[String],
    line: u64,
    first: Option<&str>,
    seen: &[(Market, Tier, u64)],
) -> Result<CardRow, Vec<RowError>> {
    let mut errors: Vec<RowError> = Vec::new();
    let err = |errors: &mut Vec<RowError>, column: &str, problem| {
        errors.push(RowError {
            line,
            column: column.to_owned(),
            problem,
        })
    };
    if record.len() != header.len() {
        err(&mut errors, "", RowProblem::WrongCellCount);
        return Err(errors);
    }
    let cell = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .and_then(|i| record.get(i))
            .unwrap_or("")
    };
    let market = Market::parse(cell("market"));
    if market.is_none() {
        err(&mut errors, "market", RowProblem::UnknownMarket);
    }
    let currency = crate::domain::tenant::parse_currency(cell("currency")).ok();
    match (&currency, first) {
        (None, _) => err(&mut errors, "currency", RowProblem::InvalidCurrency),
        (Some(c), Some(first)) if c != first => {
            err(&mut errors, "currency", RowProblem::OtherCurrency)
        }
        _ => {}
    }
    let tier = Tier::parse(cell("tier"));
    if tier.is_none() {
        err(&mut errors, "tier", RowProblem::InvalidTier);
    }
    let mut rates = Vec::new();
    for category in Category::ALL {
        let raw = cell(category.code());
        if raw.is_empty() || raw == "-" || raw == "—" {
            continue;
        }
        match parse_micros(raw) {
            Ok(micros) => rates.push((category, micros)),
            Err(e) => err(&mut errors, category.code(), RowProblem::InvalidRate(e)),
        }
    }
    if rates.is_empty() && errors.is_empty() {
        err(&mut errors, "", RowProblem::NoRates);
    }
    if let (Some(m), Some(t)) = (market, tier) {
        if seen.iter().any(|(sm, st, _)| *sm == m && *st == t) {
            err(&mut errors, "market", RowProblem::Duplicate);
        } else if seen.iter().any(|(sm, st, _)| *sm == m && overlap(*st, t)) {
            err(&mut errors, "tier", RowProblem::OverlappingTiers);
        }
    }
    match (market, tier, currency) {
        (Some(market), Some(tier), Some(currency)) if errors.is_empty() => {
            Ok((market, tier, currency, rates))
        }
        _ => Err(errors),
    }
}

fn overlap(a: Tier, b: Tier) -> bool {
    let a_hi = a.upper.unwrap_or(i64::MAX);
    let b_hi = b.upper.unwrap_or(i64::MAX);
    a.lower < b_hi && b.lower < a_hi
}

/// Writes rates back in the file's shape (one row per market and tier; the `tier` column
/// only when a band is not `0:MAX`; `marketing_lite` only when priced).
pub fn write_card(currency: &str, rates: &Rates) -> String {
    let with_lite = rates
        .0
        .iter()
        .any(|r| r.category == Category::MarketingLite);
    let with_tier = rates.0.iter().any(|r| r.tier != Tier::ALL);
    let mut header: Vec<&str> = REQUIRED.to_vec();
    if with_lite {
        header.push("marketing_lite");
    }
    if with_tier {
        header.push("tier");
    }
    let mut keys: Vec<(usize, Tier, Market)> = rates
        .0
        .iter()
        .map(|r| {
            (
                super::market::MARKETS
                    .iter()
                    .position(|(c, _)| *c == r.market.code())
                    .unwrap_or(usize::MAX),
                r.tier,
                r.market,
            )
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(&header);
    for (_, tier, market) in keys {
        let mut row: Vec<String> = vec![market.name().to_owned(), currency.to_owned()];
        let mut cats: Vec<Category> = Category::CARD.to_vec();
        if with_lite {
            cats.push(Category::MarketingLite);
        }
        for c in cats {
            row.push(
                rates
                    .0
                    .iter()
                    .find(|r| r.market == market && r.tier == tier && r.category == c)
                    .map(|r| super::money::format_micros(r.micros))
                    .unwrap_or_default(),
            );
        }
        if with_tier {
            row.push(tier.label());
        }
        let _ = w.write_record(&row);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default()
    }

    const HEADER: &str =
        "market,currency,marketing,utility,authentication,authentication_international,service\n";

    #[test]
    fn reads_a_good_card() {
        let text = format!("{HEADER}Germany,EUR,0.1131,0.0456,0.0456,,\nIndia,EUR,0.0099,0.0012,0.0012,0.0252,\n\"Rest of Central & Eastern Europe\",EUR,0.0712,0.0175,0.0175,,\n");
        let card = read_card(&text, day()).unwrap_or_default();
        assert!(card.errors.is_empty(), "{:?}", card.errors);
        assert_eq!(card.currency.as_deref(), Some("EUR"));
        assert_eq!(card.rows, 3);
        assert_eq!(card.rates.0.len(), 10);
        let de = Market::parse("germany").unwrap_or(super::super::market::OTHER);
        assert_eq!(card.rates.rate(de, Category::Marketing, 0), Some(113_100));
        assert_eq!(
            card.rates
                .rate(de, Category::AuthenticationInternational, 0),
            Some(45_600),
            "falls back to authentication"
        );
        assert_eq!(
            card.rates.rate(de, Category::MarketingLite, 0),
            Some(113_100),
            "falls back to marketing"
        );
        assert_eq!(
            card.rates.rate(de, Category::Service, 0),
            Some(45_600),
            "falls back to utility"
        );
        assert_eq!(card.missing_markets.len(), 38 - 3);
        // Round trip.
        let again = read_card(&write_card("EUR", &card.rates), day()).unwrap_or_default();
        assert_eq!(again.rates.0.len(), card.rates.0.len());
        for r in &card.rates.0 {
            assert!(again.rates.0.contains(r), "{r:?}");
        }
    }

    #[test]
    fn reports_every_bad_row_with_line_and_column() {
        let text = format!("{HEADER}Germany,EUR,0.1131,0.0456,0.0456,,\nAtlantis,EUR,0.1,0.1,0.1,,\nFrance,EURO,0.07,abc,0.0248,,\nItaly,USD,0.0658,0.0248,0.0248,,\nGermany,EUR,0.1,0.1,0.1,,\nSpain,EUR,0.05\nPeru,EUR,,,,,\nChile,EUR,-0.1,0.0000001,,,\n");
        let card = read_card(&text, day()).unwrap_or_default();
        let got: Vec<(u64, &str, RowProblem)> = card
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str(), e.problem))
            .collect();
        assert_eq!(
            got,
            vec![
                (3, "market", RowProblem::UnknownMarket),
                (4, "currency", RowProblem::InvalidCurrency),
                (
                    4,
                    "utility",
                    RowProblem::InvalidRate(AmountError::NotANumber)
                ),
                (5, "currency", RowProblem::OtherCurrency),
                (6, "market", RowProblem::Duplicate),
                (7, "", RowProblem::WrongCellCount),
                (8, "", RowProblem::NoRates),
                (
                    9,
                    "marketing",
                    RowProblem::InvalidRate(AmountError::Negative)
                ),
                (
                    9,
                    "utility",
                    RowProblem::InvalidRate(AmountError::TooPrecise)
                ),
            ]
        );
        assert_eq!(card.rates.markets().len(), 1, "only the good row's rates");
    }

    #[test]
    fn lines_are_counted_alike_with_crlf_as_browsers_send_forms() {
        let text =
            format!("{HEADER}Germany,EUR,0.1131,0.0456,0.0456,,\nFrance,EUR,0.07,abc,0.0248,,\n")
                .replace('\n', "\r\n");
        let card = read_card(&text, day()).unwrap_or_default();
        assert_eq!(
            card.errors.iter().map(|e| e.line).collect::<Vec<_>>(),
            vec![3]
        );
    }

    #[test]
    fn whole_file_problems() {
        assert_eq!(read_card("", day()), Err(FileProblem::Empty));
        assert_eq!(read_card(HEADER, day()), Err(FileProblem::Empty));
        assert_eq!(
            read_card("market,currency,marketing\nX,EUR,1\n", day()),
            Err(FileProblem::MissingColumn("utility".into()))
        );
        assert_eq!(
            read_card(&format!("{}{HEADER}", "bogus,"), day()),
            Err(FileProblem::UnknownColumn("bogus".into()))
        );
        let many = format!(
            "{HEADER}{}",
            "Germany,EUR,0.1,0.1,0.1,,\n".repeat(MAX_ROWS + 1)
        );
        assert_eq!(read_card(&many, day()), Err(FileProblem::TooManyRows));
    }

    #[test]
    fn tiers_pick_the_band_of_the_months_count() {
        let text = "market,currency,marketing,utility,authentication,authentication_international,service,tier\n\
                    Rest of Middle East,USD,0.0341,0.0091,0.0091,,,0:100000\n\
                    Rest of Middle East,USD,,0.0068,0.0068,,,100000:MAX\n";
        let card = read_card(text, day()).unwrap_or_default();
        assert!(card.errors.is_empty(), "{:?}", card.errors);
        let m = Market("rest_of_middle_east");
        assert_eq!(card.rates.rate(m, Category::Utility, 0), Some(9_100));
        assert_eq!(card.rates.rate(m, Category::Utility, 99_999), Some(9_100));
        assert_eq!(card.rates.rate(m, Category::Utility, 100_000), Some(6_800));
        assert_eq!(
            card.rates.rate(m, Category::Marketing, 100_000),
            None,
            "marketing has no band there"
        );
        assert!(card.rates.is_tiered(m, Category::Utility));
        let bad = "market,currency,marketing,utility,authentication,authentication_international,service,tier\n\
                   Qatar,USD,0.1,0.1,0.1,,,0:100\nQatar,USD,0.1,0.1,0.1,,,50:MAX\nQatar,USD,0.1,,,,,x:1\n";
        let card = read_card(bad, day()).unwrap_or_default();
        let got: Vec<RowProblem> = card.errors.iter().map(|e| e.problem).collect();
        assert_eq!(
            got,
            vec![RowProblem::OverlappingTiers, RowProblem::InvalidTier]
        );
        assert_eq!(Tier::parse("0:MAX"), Some(Tier::ALL));
        assert_eq!(Tier::parse("10:5"), None);
        assert_eq!(Tier::parse("-1:5"), None);
    }
}
