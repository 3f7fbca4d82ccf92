//! Several processes over one store (PostgreSQL for several servers), simulated with two
//! outboxes over one shared in-memory store: a stale writer's commit conflicts, is planned again
//! on what is stored and lands; the journal stays gap-free; one sender per till at a time.

use super::tests::tickets;
use super::*;
use crate::journal::Journal;
use crate::outbox::TillJournal;
use crate::point_of_sale::PointOfSale;
use std::cell::RefCell;
use std::rc::Rc;

const POS: PointOfSale = PointOfSale::new(5, 1, 9, 8, 14);
const T0: u64 = 1_795_000_000_000;

/// One [`MemoryStore`] seen by several "processes", with a sender claim as PostgreSQL's.
#[derive(Clone, Default)]
pub(crate) struct Shared {
    store: Rc<RefCell<MemoryStore>>,
    claimed: Rc<RefCell<Option<usize>>>,
    me: usize,
}

impl Shared {
    /// The store as process `me` sees it.
    pub(crate) fn process(&self, me: usize) -> Shared {
        Shared { me, ..self.clone() }
    }

    /// The store itself, to tamper with.
    pub(crate) fn memory(&self) -> std::cell::RefMut<'_, MemoryStore> {
        self.store.borrow_mut()
    }
}

impl OutboxStore for Shared {
    fn load(&self, point_of_sale: PointOfSale) -> Result<Snapshot, StoreError> {
        self.store.borrow().load(point_of_sale)
    }
    fn commit(&mut self, writes: &[Write]) -> Result<(), StoreError> {
        self.store.borrow_mut().commit(writes)
    }
    fn shared(&self) -> bool {
        true
    }
    fn claim_sender(&mut self, _: PointOfSale) -> Result<bool, StoreError> {
        let mut claimed = self.claimed.borrow_mut();
        Ok(match *claimed {
            Some(holder) => holder == self.me,
            None => {
                *claimed = Some(self.me);
                true
            }
        })
    }
    fn release_sender(&mut self, _: PointOfSale) -> Result<(), StoreError> {
        let mut claimed = self.claimed.borrow_mut();
        if *claimed == Some(self.me) {
            *claimed = None;
        }
        Ok(())
    }
}

fn open(store: Shared) -> DurableOutbox<Shared> {
    DurableOutbox::open(store, POS, OutboxPolicy::default()).unwrap()
}

#[test]
fn two_writers_append_to_one_gap_free_journal() {
    let shared = Shared::default();
    let (mut a, mut b) = (open(shared.process(1)), open(shared.process(2)));
    let tickets = tickets("2026-11-23", 6);
    for (i, ticket) in tickets.into_iter().enumerate() {
        // Each enqueue is planned on a state the other writer has moved past: it conflicts, is
        // planned again on what is stored, and lands right after the other's entry.
        let writer = if i % 2 == 0 { &mut a } else { &mut b };
        assert_eq!(writer.enqueue(ticket, T0).unwrap(), Enqueued::Queued { sequence: i as u64 + 1 });
    }
    let snapshot = shared.load(POS).unwrap();
    let journal =
        Journal::restore(POS, snapshot.journal, snapshot.closures, snapshot.events, snapshot.head.as_ref()).unwrap();
    let sequences: Vec<u64> = journal.entries().iter().map(|e| e.sequence).collect();
    assert_eq!(sequences, [1, 2, 3, 4, 5, 6]);
    assert_eq!(snapshot.rows.len(), 6);
}

#[test]
fn a_stale_writer_still_refuses_a_number_another_one_queued() {
    let shared = Shared::default();
    let (mut a, mut b) = (open(shared.process(1)), open(shared.process(2)));
    let tickets = tickets("2026-11-23", 2);
    a.enqueue(tickets[1].clone(), T0).unwrap();
    // b has not seen ticket 2: planned again on what is stored, ticket 1 comes too late.
    assert_eq!(
        b.enqueue(tickets[0].clone(), T0).unwrap_err(),
        OutboxError::TicketIdNotAfterLast { id: "1".into(), last: 2 }
    );
    assert_eq!(shared.load(POS).unwrap().journal.len(), 1);
}

#[test]
fn one_sender_per_till_and_it_sees_every_writers_tickets() {
    let shared = Shared::default();
    let (mut producer, mut sender, mut other) =
        (open(shared.process(1)), open(shared.process(2)), open(shared.process(3)));
    for ticket in tickets("2026-11-23", 2) {
        producer.enqueue(ticket, T0).unwrap();
    }
    assert!(SendQueue::claim(&mut sender).unwrap());
    assert!(!SendQueue::claim(&mut other).unwrap(), "another process is sending this till's tickets");
    // The claim reloaded: the sender sees the producer's tickets, oldest first.
    let first = sender.begin_send(T0).unwrap().unwrap();
    assert_eq!(first.id_ticket_entete, "1");
    sender.record(&first, &SendOutcome::Accepted, T0, 0.5).unwrap();
    SendQueue::release(&mut sender).unwrap();
    assert!(SendQueue::claim(&mut other).unwrap());
    let second = other.begin_send(T0).unwrap().unwrap();
    assert_eq!(second.id_ticket_entete, "2", "ticket 1 was delivered by the first sender");
}

#[test]
fn a_reload_keeps_the_send_in_flight() {
    let shared = Shared::default();
    let (mut sender, mut producer) = (open(shared.process(1)), open(shared.process(2)));
    let mut tickets = tickets("2026-11-23", 2).into_iter();
    sender.enqueue(tickets.next().unwrap(), T0).unwrap();
    let dispatch = sender.begin_send(T0).unwrap().unwrap();
    producer.enqueue(tickets.next().unwrap(), T0).unwrap();
    // Another writer's ticket comes in while ticket 1 is on the wire.
    sender.reload().unwrap();
    assert_eq!(sender.outbox().entries().count(), 2);
    sender.record(&dispatch, &SendOutcome::Accepted, T0, 0.5).unwrap();
    assert_eq!(sender.outbox().entry("1").unwrap().status, Status::Delivered);
}

#[test]
fn closing_takes_in_every_writers_entries() {
    let shared = Shared::default();
    let (mut a, mut b) = (open(shared.process(1)), open(shared.process(2)));
    let tickets = tickets("2026-11-23", 3);
    a.enqueue(tickets[0].clone(), T0).unwrap();
    b.enqueue(tickets[1].clone(), T0).unwrap();
    b.enqueue(tickets[2].clone(), T0).unwrap();
    a.close("2026-11-23".parse().unwrap(), None, T0).unwrap();
    let snapshot = shared.load(POS).unwrap();
    assert_eq!(snapshot.closures.len(), 1);
    assert_eq!(snapshot.closures[0].through_sequence, 3, "the day's three tickets, two of them from the other writer");
    Journal::restore(POS, snapshot.journal, snapshot.closures, snapshot.events, snapshot.head.as_ref()).unwrap();
}
