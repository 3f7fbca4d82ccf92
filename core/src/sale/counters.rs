//! The ticket counters a reopened till resumes from: the stored ones, raised if needed above
//! every number the store already holds (tickets in the journal, reserved sales), so a number is
//! never handed out twice, even by a till whose counters were kept elsewhere before (the demo's
//! localStorage) or never stored.

use super::record::SaleRecord;
use crate::journal::{business_day, JournalEntry};
use crate::numbering::NumberingState;
use chrono::NaiveDate;

/// One number already used: idTicketEntete, the business day and numeroTicket.
struct Used<'a> {
    id: u64,
    day: Option<NaiveDate>,
    numero_ticket: Option<&'a str>,
}

/// The day's sequence in a numeroTicket `YYMMDD<sequence>` of `day`.
fn day_sequence(numero_ticket: &str, day: NaiveDate) -> Option<u32> {
    numero_ticket.strip_prefix(&day.format("%y%m%d").to_string())?.parse().ok()
}

/// The counters to sell from: `stored` unless the journal or the sales hold a later number.
pub fn resume_counters(
    stored: Option<NumberingState>,
    journal: &[JournalEntry],
    sales: &[SaleRecord],
) -> NumberingState {
    let used = journal
        .iter()
        .filter_map(|e| {
            let id = e.ticket.id_ticket_entete.as_deref()?.parse().ok()?;
            Some(Used { id, day: business_day(&e.ticket), numero_ticket: e.ticket.numero_ticket.as_deref() })
        })
        .chain(sales.iter().map(|s| Used {
            id: s.number(),
            day: Some(s.sale.sold_at.date_naive()),
            numero_ticket: Some(s.numero_ticket.as_str()),
        }));
    let mut state = stored.unwrap_or(NumberingState::starting_at(1));
    for u in used {
        state.last_id_ticket_entete = state.last_id_ticket_entete.max(u.id);
        let Some(day) = u.day else { continue };
        let sequence = u.numero_ticket.and_then(|n| day_sequence(n, day)).unwrap_or(0);
        match state.day {
            Some(d) if d > day => {}
            Some(d) if d == day => state.day_sequence = state.day_sequence.max(sequence),
            _ => {
                state.day = Some(day);
                state.day_sequence = sequence;
            }
        }
    }
    state
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_sequences_read_back() {
        let d = NaiveDate::from_ymd_opt(2021, 4, 2).unwrap();
        assert_eq!(day_sequence("210402149", d), Some(149));
        assert_eq!(day_sequence("210401149", d), None);
        assert_eq!(resume_counters(None, &[], &[]), NumberingState::default());
    }
}
