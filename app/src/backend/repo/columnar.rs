//! Batches as columns on PostgreSQL: each column of a batch goes as one array literal (a text
//! parameter, `{"a","b",NULL}`) that `unnest` turns back into rows. The statement is short and
//! the same for every batch size, so it is prepared once per connection; a multi-row `VALUES`
//! of 500 rows × 18 columns is a new 9,000-parameter statement to build, send, parse and plan
//! each time. SQLite keeps the multi-row statements (it has neither arrays nor the need).

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use std::fmt::Write;
use uuid::Uuid;

/// Whether this connection takes the column-wise statements.
pub fn columnar(db: &impl ConnectionTrait) -> bool {
    db.get_database_backend() == DbBackend::Postgres
}

/// One column of a batch, as a PostgreSQL array literal.
pub struct Column {
    text: String,
    empty: bool,
}

impl Column {
    pub fn with_capacity(rows: usize, width: usize) -> Self {
        let mut text = String::with_capacity(2 + rows * (width + 3));
        text.push('{');
        Self { text, empty: true }
    }

    fn sep(&mut self) {
        if !self.empty {
            self.text.push(',');
        }
        self.empty = false;
    }

    /// A NULL element.
    pub fn null(&mut self) -> &mut Self {
        self.sep();
        self.text.push_str("NULL");
        self
    }

    /// A text element, quoted (`"` and `\` escaped): any string goes through unchanged.
    pub fn text(&mut self, v: &str) -> &mut Self {
        self.sep();
        self.text.push('"');
        for c in v.chars() {
            if c == '"' || c == '\\' {
                self.text.push('\\');
            }
            self.text.push(c);
        }
        self.text.push('"');
        self
    }

    pub fn opt_text(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(v) => self.text(v),
            None => self.null(),
        }
    }

    /// An element whose text form needs no quoting (numbers, uuids, booleans, dates).
    fn plain(&mut self, v: impl std::fmt::Display) -> &mut Self {
        self.sep();
        let _ = write!(self.text, "{v}");
        self
    }

    pub fn uuid(&mut self, v: Uuid) -> &mut Self {
        self.plain(v)
    }

    pub fn opt_uuid(&mut self, v: Option<Uuid>) -> &mut Self {
        match v {
            Some(v) => self.plain(v),
            None => self.null(),
        }
    }

    pub fn int(&mut self, v: i64) -> &mut Self {
        self.plain(v)
    }

    pub fn opt_int(&mut self, v: Option<i64>) -> &mut Self {
        match v {
            Some(v) => self.plain(v),
            None => self.null(),
        }
    }

    pub fn opt_bool(&mut self, v: Option<bool>) -> &mut Self {
        match v {
            Some(v) => self.plain(if v { "t" } else { "f" }),
            None => self.null(),
        }
    }

    /// A time in UTC to the microsecond (`2026-12-02T22:19:50.123456Z`).
    pub fn time(&mut self, v: DateTime<Utc>) -> &mut Self {
        self.plain(v.to_rfc3339_opts(SecondsFormat::Micros, true))
    }

    pub fn opt_time(&mut self, v: Option<DateTime<Utc>>) -> &mut Self {
        match v {
            Some(v) => self.time(v),
            None => self.null(),
        }
    }

    pub fn opt_date(&mut self, v: Option<NaiveDate>) -> &mut Self {
        match v {
            Some(v) => self.plain(v),
            None => self.null(),
        }
    }

    pub fn finish(mut self) -> Value {
        self.text.push('}');
        Value::from(self.text)
    }
}

/// A PostgreSQL statement over these columns (`$1` … in order), then these single values.
pub fn statement(
    sql: &str,
    columns: Vec<Column>,
    then: impl IntoIterator<Item = Value>,
) -> Statement {
    Statement::from_sql_and_values(
        DbBackend::Postgres,
        sql,
        columns.into_iter().map(Column::finish).chain(then),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(c: Column) -> String {
        match c.finish() {
            Value::String(Some(s)) => s,
            v => panic!("not text: {v:?}"),
        }
    }

    #[test]
    fn elements_are_quoted_and_escaped() {
        let mut c = Column::with_capacity(3, 8);
        c.text("a,b")
            .text("say \"hi\"")
            .text("back\\slash")
            .null()
            .text("{}")
            .text("NULL")
            .text("");
        assert_eq!(
            lit(c),
            r#"{"a,b","say \"hi\"","back\\slash",NULL,"{}","NULL",""}"#
        );
    }

    #[test]
    fn plain_elements() {
        let mut c = Column::with_capacity(3, 8);
        c.int(-5)
            .opt_int(None)
            .opt_bool(Some(true))
            .opt_bool(Some(false));
        assert_eq!(lit(c), "{-5,NULL,t,f}");
        let mut t = Column::with_capacity(1, 32);
        t.opt_time(DateTime::from_timestamp(1_764_713_990, 123_456_000))
            .opt_date(NaiveDate::from_ymd_opt(2026, 12, 2));
        assert_eq!(lit(t), "{2025-12-02T22:19:50.123456Z,2026-12-02}");
        assert_eq!(lit(Column::with_capacity(0, 0)), "{}");
    }
}
