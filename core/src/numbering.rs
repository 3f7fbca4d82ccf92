//! Ticket numbering per point of sale.
//!
//! Specs 001: idTicketEntete is "un numéro unique et séquentiel par point de vente"; numeroTicket
//! "doit être unique par point de vente. Un exemple de numérotation peut être 20031810 pour la
//! 10ème commande du 18/03/2020". The public ticket `210402149` (149th sale of 2021-04-02) shows
//! the day's sequence is appended without padding, so numeroTicket = `YYMMDD` + sequence.
//! The six-digit date prefix makes the number decodable and therefore unique per point of sale
//! as long as the calendar never runs backwards, which [`NumberingState::next`] enforces.
//!
//! The state is a plain value: the caller persists it (IndexedDB, SQLite, a file) after every
//! sale, before the ticket leaves the till, so a restart resumes where it stopped.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The persisted counters of one point of sale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct NumberingState {
    /// The last idTicketEntete handed out (0 before the first sale).
    pub last_id_ticket_entete: u64,
    /// The business day of `day_sequence`, if any sale was made yet.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub day: Option<NaiveDate>,
    /// How many numeroTicket were handed out on `day`.
    pub day_sequence: u32,
}

/// The numbers of one new ticket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketNumbers {
    pub id_ticket_entete: String,
    pub numero_ticket: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberingError {
    /// Numbering on an earlier day than the last sale could repeat a numeroTicket.
    #[error("sale dated {requested} is before the last numbered sale of {last}: fix the till's clock")]
    DateBeforeLastSale { last: NaiveDate, requested: NaiveDate },
    #[error("the ticket counter is exhausted")]
    Exhausted,
    #[error("years before 2000 or after 2099 have no two-digit form in numeroTicket: {0}")]
    YearOutOfRange(NaiveDate),
}

impl NumberingState {
    /// A fresh till whose first idTicketEntete will be `first_id`. Tills that are reinstalled
    /// start above the last number the back office holds, so numbers stay unique.
    pub fn starting_at(first_id: u64) -> Self {
        NumberingState { last_id_ticket_entete: first_id.saturating_sub(1), day: None, day_sequence: 0 }
    }

    /// Numbers for a sale on `date`, and the state to persist. `self` is not changed, so a
    /// failed sale that is never persisted leaves no gap.
    pub fn next(&self, date: NaiveDate) -> Result<(TicketNumbers, NumberingState), NumberingError> {
        use chrono::Datelike;
        if !(2000..=2099).contains(&date.year()) {
            return Err(NumberingError::YearOutOfRange(date));
        }
        let day_sequence = match self.day {
            Some(last) if date < last => return Err(NumberingError::DateBeforeLastSale { last, requested: date }),
            Some(last) if date == last => self.day_sequence.checked_add(1).ok_or(NumberingError::Exhausted)?,
            _ => 1,
        };
        let id = self.last_id_ticket_entete.checked_add(1).ok_or(NumberingError::Exhausted)?;
        let numbers = TicketNumbers {
            id_ticket_entete: id.to_string(),
            numero_ticket: format!("{}{}", date.format("%y%m%d"), day_sequence),
        };
        let state = NumberingState { last_id_ticket_entete: id, day: Some(date), day_sequence };
        Ok((numbers, state))
    }
}

impl Default for NumberingState {
    fn default() -> Self {
        NumberingState::starting_at(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn tenth_sale_of_the_day_matches_the_spec_example() {
        let mut state = NumberingState::default();
        let mut last = None;
        for _ in 0..10 {
            let (n, s) = state.next(d(2020, 3, 18)).unwrap();
            state = s;
            last = Some(n);
        }
        let last = last.unwrap();
        assert_eq!(last.numero_ticket, "20031810");
        assert_eq!(last.id_ticket_entete, "10");
    }

    #[test]
    fn day_change_resets_the_day_sequence_not_the_header_id() {
        let (_, s) = NumberingState::default().next(d(2021, 4, 1)).unwrap();
        let (_, s) = s.next(d(2021, 4, 1)).unwrap();
        let (n, s) = s.next(d(2021, 4, 2)).unwrap();
        assert_eq!(n.numero_ticket, "2104021");
        assert_eq!(n.id_ticket_entete, "3");
        assert_eq!(s.day_sequence, 1);
    }

    #[test]
    fn restart_from_persisted_state_continues() {
        let (_, s) = NumberingState::starting_at(140000010).next(d(2021, 4, 2)).unwrap();
        let persisted = serde_json::to_string(&s).unwrap();
        let restored: NumberingState = serde_json::from_str(&persisted).unwrap();
        let (n, _) = restored.next(d(2021, 4, 2)).unwrap();
        assert_eq!(n.id_ticket_entete, "140000011");
        assert_eq!(n.numero_ticket, "2104022");
    }

    #[test]
    fn clock_going_back_is_refused() {
        let (_, s) = NumberingState::default().next(d(2021, 4, 2)).unwrap();
        assert_eq!(
            s.next(d(2021, 4, 1)),
            Err(NumberingError::DateBeforeLastSale { last: d(2021, 4, 2), requested: d(2021, 4, 1) })
        );
    }

    #[test]
    fn exhausted_counter_is_an_error_not_a_wrap() {
        let s = NumberingState { last_id_ticket_entete: u64::MAX, day: None, day_sequence: 0 };
        assert_eq!(s.next(d(2021, 4, 2)), Err(NumberingError::Exhausted));
    }
}
