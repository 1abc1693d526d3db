//! School years and the report windows of a report year.
//!
//! A school year runs from 1 August to 31 July. Report year `Y` describes school year
//! `(Y-1)-Y`; each appendix looks back over its own window (see [`Windows`]).

use std::fmt;

/// A school year, identified by the calendar year in which it starts (2020 = 2020-2021).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchoolYear(pub i32);

impl SchoolYear {
    /// The school year a date falls in: 1 August starts a new one.
    pub fn of(year: i32, month: u32) -> SchoolYear {
        if month >= 8 {
            SchoolYear(year)
        } else {
            SchoolYear(year - 1)
        }
    }

    pub fn start_year(self) -> i32 {
        self.0
    }

    pub fn end_year(self) -> i32 {
        self.0 + 1
    }

    /// Days from 1 August to 31 July: 366 when the school year holds a 29 February.
    pub fn days(self) -> i64 {
        let start = chrono::NaiveDate::from_ymd_opt(self.0, 8, 1);
        let end = chrono::NaiveDate::from_ymd_opt(self.0 + 1, 8, 1);
        start.zip(end).map_or(365, |(s, e)| (e - s).num_days())
    }

    /// The school years `count` long ending with this one, oldest first.
    pub fn ending_here(self, count: i32) -> Vec<SchoolYear> {
        (0..count)
            .rev()
            .map(|back| SchoolYear(self.0 - back))
            .collect()
    }

    /// `2020/2021`, as CBS writes it.
    pub fn slashed(self) -> String {
        format!("{}/{}", self.0, self.0 + 1)
    }

    /// Parses `2019/2020`, `2019-2020` or `2019/20`.
    pub fn parse(text: &str) -> Option<SchoolYear> {
        let text = text.trim();
        let (start, end) = text.split_once(['/', '-'])?;
        let start: i32 = start.trim().parse().ok()?;
        let end_text = end.trim();
        let end: i32 = end_text.parse().ok()?;
        let end = if end_text.len() == 2 {
            start / 100 * 100 + end
        } else {
            end
        };
        (end == start + 1).then_some(SchoolYear(start))
    }
}

impl fmt::Display for SchoolYear {
    /// `2020-2021`, as the report and the machine formats write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.0, self.0 + 1)
    }
}

/// The periods each appendix of report year `year` covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Windows {
    pub year: i32,
}

impl Windows {
    pub fn new(year: i32) -> Windows {
        Windows { year }
    }

    /// The school year the report is about: (Y-1)-Y.
    pub fn current(self) -> SchoolYear {
        SchoolYear(self.year - 1)
    }

    /// Helpdesk theme and sector tables: three school years ending with the current one.
    pub fn helpdesk(self) -> Vec<SchoolYear> {
        self.current().ending_here(3)
    }

    /// Stadsdeel and schoolweging spreads, websitebezoek: four school years.
    pub fn spread(self) -> Vec<SchoolYear> {
        self.current().ending_here(4)
    }

    /// Passend onderwijs: the current school year and the one before, current first.
    pub fn passend(self) -> [SchoolYear; 2] {
        [self.current(), SchoolYear(self.year - 2)]
    }

    /// Voorlichtingen: calendar years Y, Y-1, Y-2, Y-3 (newest first, as the report's columns).
    pub fn voorlichtingen(self) -> Vec<i32> {
        (0..4).map(|back| self.year - back).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_first_of_july_closes_the_school_year_and_first_of_august_opens_the_next() {
        assert_eq!(SchoolYear::of(2021, 7), SchoolYear(2020));
        assert_eq!(SchoolYear::of(2021, 8), SchoolYear(2021));
        assert_eq!(SchoolYear::of(2020, 12), SchoolYear(2020));
    }

    #[test]
    fn windows_of_report_2021() {
        let w = Windows::new(2021);
        assert_eq!(w.current().to_string(), "2020-2021");
        assert_eq!(
            w.helpdesk(),
            vec![SchoolYear(2018), SchoolYear(2019), SchoolYear(2020)]
        );
        assert_eq!(w.spread().first(), Some(&SchoolYear(2017)));
        assert_eq!(w.passend(), [SchoolYear(2020), SchoolYear(2019)]);
        assert_eq!(w.voorlichtingen(), vec![2021, 2020, 2019, 2018]);
    }

    #[test]
    fn a_school_year_with_a_leap_day_has_366_days() {
        assert_eq!(SchoolYear(2019).days(), 366);
        assert_eq!(SchoolYear(2020).days(), 365);
    }

    #[test]
    fn parses_cbs_school_years() {
        assert_eq!(SchoolYear::parse("2019/2020"), Some(SchoolYear(2019)));
        assert_eq!(SchoolYear::parse("2019-2020"), Some(SchoolYear(2019)));
        assert_eq!(SchoolYear::parse(" 2019/20 "), Some(SchoolYear(2019)));
        assert_eq!(SchoolYear::parse("2019/2021"), None);
        assert_eq!(SchoolYear::parse("2019"), None);
    }
}
