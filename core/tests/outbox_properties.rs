//! The outbox's guarantees under random interleavings of sales, answers of the Crous, network
//! failures, crashes and storage failures (issues 6 and 7: "stored before sending, sent in
//! order, retried, never sent twice"; issue 8: the outbox writes through the journal).
//!
//! A fake Crous keeps what it received, keyed by idTicketEntete as the real one does (a copy is
//! answered 409). A crash drops the in-memory outbox and rebuilds it from the stored rows.

mod journal_common;

use crous_till_core::api::execution::ExecutorError;
use crous_till_core::journal::verify;
use crous_till_core::outbox::{
    Dispatch, DurableOutbox, Enqueued, MemoryStore, Next, OutboxError, OutboxPolicy, OutboxStore, SendOutcome, Status,
    StoreError,
};
use crous_till_core::ticket::Ticket;
use crous_till_core::Decimal;
use journal_common::{standard_reference, Till, POS};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const T0: u64 = 1_795_000_000_000;

#[derive(Debug, Clone, Copy)]
enum Reply {
    /// The Crous takes it: 201, or 409 if it already has it.
    Take,
    /// 422, unless it already has it (then 409).
    Refuse,
    ServerError,
    Unauthorized,
    /// No answer; the ticket may or may not have arrived.
    Timeout {
        arrived: bool,
    },
    /// The till dies with the request out; the ticket may or may not have arrived.
    Crash {
        arrived: bool,
    },
}

#[derive(Debug, Clone)]
enum Op {
    Sell {
        items: u8,
    },
    /// The same ticket enqueued again (a double click, a retried save).
    Resell(usize),
    /// Another sale under an earlier idTicketEntete.
    Forge(usize),
    Send(Reply),
    Restart,
    Wait {
        seconds: u32,
    },
    Authenticate,
    /// The next write fails (quota, disk).
    StoreFails,
    RequeueRefused,
    /// Delete the rows delivered before now.
    Prune,
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        4 => Just(Reply::Take),
        1 => Just(Reply::Refuse),
        2 => Just(Reply::ServerError),
        1 => Just(Reply::Unauthorized),
        2 => any::<bool>().prop_map(|arrived| Reply::Timeout { arrived }),
        1 => any::<bool>().prop_map(|arrived| Reply::Crash { arrived }),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (1u8..4).prop_map(|items| Op::Sell { items }),
        1 => any::<prop::sample::Index>().prop_map(|i| Op::Resell(i.index(1000))),
        1 => any::<prop::sample::Index>().prop_map(|i| Op::Forge(i.index(1000))),
        6 => reply().prop_map(Op::Send),
        1 => Just(Op::Restart),
        2 => (1u32..600).prop_map(|seconds| Op::Wait { seconds }),
        1 => Just(Op::Authenticate),
        1 => Just(Op::StoreFails),
        1 => Just(Op::RequeueRefused),
        1 => Just(Op::Prune),
    ]
}

/// The fake Crous: tickets received, by idTicketEntete.
#[derive(Default)]
struct Crous {
    received: BTreeMap<String, Ticket>,
}

impl Crous {
    fn receive(&mut self, d: &Dispatch) -> bool {
        let fresh = !self.received.contains_key(&d.id_ticket_entete);
        if fresh {
            self.received.insert(d.id_ticket_entete.clone(), d.ticket.clone());
        } else {
            assert_eq!(self.received[&d.id_ticket_entete], d.ticket, "same id, same ticket");
        }
        fresh
    }

    fn answer(&mut self, d: &Dispatch, reply: Reply) -> SendOutcome {
        let status = match reply {
            Reply::Take if self.receive(d) => 201,
            Reply::Take => 409,
            Reply::Refuse if self.received.contains_key(&d.id_ticket_entete) => 409,
            Reply::Refuse => 422,
            Reply::ServerError => 500,
            Reply::Unauthorized => 401,
            Reply::Timeout { arrived } | Reply::Crash { arrived } => {
                if arrived {
                    self.receive(d);
                }
                let e = ExecutorError::Timeout { endpoint: "crous.tickets", attempts: 3 };
                return SendOutcome::from_executor_error(&e);
            }
        };
        let body = br#"{"errors":[{"code":"-9","message":"refused","field":"idSupport"}]}"#;
        SendOutcome::from_response(status, &[], body)
    }
}

/// What the test knows independently of the outbox.
struct World {
    till: Till,
    outbox: Option<DurableOutbox<MemoryStore>>,
    crous: Crous,
    now: u64,
    /// Every ticket enqueued, in order (index = sequence − 1).
    enqueued: Vec<Ticket>,
    /// Sequences the outbox recorded as delivered / refused.
    delivered: BTreeSet<u64>,
    refused: BTreeSet<u64>,
    /// Delivered rows deleted from the outbox (the journal keeps them).
    pruned: BTreeSet<u64>,
    sends: usize,
}

impl World {
    fn new() -> Self {
        World {
            till: Till::new(standard_reference()),
            outbox: Some(open(MemoryStore::new())),
            crous: Crous::default(),
            now: T0,
            enqueued: Vec::new(),
            delivered: BTreeSet::new(),
            refused: BTreeSet::new(),
            pruned: BTreeSet::new(),
            sends: 0,
        }
    }

    fn ob(&self) -> &DurableOutbox<MemoryStore> {
        self.outbox.as_ref().unwrap()
    }

    fn outbox(&mut self) -> &mut DurableOutbox<MemoryStore> {
        self.outbox.as_mut().unwrap()
    }

    fn restart(&mut self) {
        let store = self.outbox.take().unwrap().into_store();
        self.outbox = Some(open(store));
    }

    fn sell(&mut self, items: u8) -> Ticket {
        let n = self.enqueued.len();
        let at = format!("2026-11-23T{:02}:{:02}:00.000+01:00", 8 + n / 60, n % 60);
        let lines: Vec<(usize, Decimal)> = (0..items as usize).map(|i| ((n + i) % 4, Decimal::from(1 + i))).collect();
        self.till.sell(&at, &lines, [4, 9, 12][n % 3])
    }

    /// Checks the rules at a dispatch: never a delivered ticket, never before an earlier open one.
    fn check_dispatch(&self, d: &Dispatch) {
        assert!(!self.delivered.contains(&d.sequence), "ticket {} sent after it was delivered", d.sequence);
        assert!(!self.refused.contains(&d.sequence), "refused ticket {} sent without being requeued", d.sequence);
        for earlier in 1..d.sequence {
            assert!(
                self.delivered.contains(&earlier) || self.refused.contains(&earlier),
                "ticket {} sent before ticket {earlier}",
                d.sequence
            );
        }
        assert_eq!(d.ticket, self.enqueued[(d.sequence - 1) as usize], "the journaled ticket is the one sent");
    }

    fn send(&mut self, reply: Reply) {
        let now = self.now;
        let due = matches!(self.outbox().outbox().next_to_send(now), Next::Due(_));
        let Some(d) = self.outbox().begin_send(now).unwrap() else {
            assert!(!due, "a due ticket was not handed out");
            return;
        };
        self.sends += 1;
        self.check_dispatch(&d);
        // Stored before sent: the journal entry, the row and its `sending` mark are in the store.
        let stored = self.ob().store().load(POS).unwrap();
        let row = stored.rows.iter().find(|r| r.sequence == d.sequence).expect("the row is stored");
        assert_eq!((row.status, row.attempts), (Status::Sending, d.attempt), "the sending mark is stored first");
        assert_eq!(stored.journal[(d.sequence - 1) as usize].ticket, d.ticket);
        let outcome = self.crous.answer(&d, reply);
        if let Reply::Crash { .. } = reply {
            self.restart();
            return;
        }
        self.outbox().record(&d, &outcome, now, 0.5).unwrap();
        match outcome {
            SendOutcome::Accepted | SendOutcome::AlreadyReceived => {
                self.delivered.insert(d.sequence);
            }
            SendOutcome::Refused(_) => {
                self.refused.insert(d.sequence);
            }
            _ => {}
        }
    }

    fn apply(&mut self, op: &Op) {
        match *op {
            Op::Sell { items } => {
                let ticket = self.sell(items);
                let now = self.now;
                let r = self.outbox().enqueue(ticket.clone(), now).unwrap();
                self.enqueued.push(ticket);
                assert_eq!(r, Enqueued::Queued { sequence: self.enqueued.len() as u64 });
            }
            Op::Resell(i) if !self.enqueued.is_empty() => {
                let i = i % self.enqueued.len();
                let ticket = self.enqueued[i].clone();
                let now = self.now;
                let r = self.outbox().enqueue(ticket, now);
                if self.pruned.contains(&(i as u64 + 1)) {
                    assert!(matches!(r, Err(OutboxError::TicketIdNotAfterLast { .. })), "{r:?}");
                } else {
                    assert_eq!(r.unwrap(), Enqueued::AlreadyQueued { sequence: i as u64 + 1 });
                }
            }
            Op::Forge(i) if !self.enqueued.is_empty() => {
                let i = i % self.enqueued.len();
                let mut ticket = self.enqueued[i].clone();
                ticket.version_logiciel = Some("forged".into());
                let now = self.now;
                let r = self.outbox().enqueue(ticket, now);
                if self.pruned.contains(&(i as u64 + 1)) {
                    assert!(matches!(r, Err(OutboxError::TicketIdNotAfterLast { .. })), "{r:?}");
                } else {
                    assert!(matches!(r, Err(OutboxError::ConflictingTicket { .. })), "{r:?}");
                }
            }
            Op::Resell(_) | Op::Forge(_) => {}
            Op::Send(reply) => self.send(reply),
            Op::Restart => self.restart(),
            Op::Wait { seconds } => self.now += u64::from(seconds) * 1000,
            Op::Authenticate => self.outbox().authenticated(),
            Op::StoreFails => {
                let before = self.outbox().store().load(POS).unwrap();
                let view = self.ob().view(self.now);
                let ticket = self.sell(1);
                let now = self.now;
                self.outbox().store_mut().fail_next_commit(StoreError::Failed("quota".into()));
                assert!(matches!(self.outbox().enqueue(ticket.clone(), now), Err(OutboxError::Store(_))));
                assert_eq!(self.outbox().store().load(POS).unwrap(), before, "a failed write changed the store");
                assert_eq!(self.outbox().view(now), view, "a failed write changed the outbox");
                // The till saves the sale again.
                self.outbox().enqueue(ticket.clone(), now).unwrap();
                self.enqueued.push(ticket);
            }
            Op::Prune => {
                let now = self.now;
                let count = self.outbox().prune_delivered(now).unwrap();
                let left: BTreeSet<u64> = self.ob().outbox().entries().map(|e| e.sequence).collect();
                let gone: BTreeSet<u64> = (1..=self.enqueued.len() as u64)
                    .filter(|s| !left.contains(s) && !self.pruned.contains(s))
                    .collect();
                assert_eq!(gone.len(), count);
                assert!(gone.is_subset(&self.delivered), "only delivered rows are pruned");
                assert!(
                    self.enqueued.is_empty() || left.contains(&(self.enqueued.len() as u64)),
                    "the newest row stays"
                );
                self.pruned.extend(gone);
            }
            Op::RequeueRefused => {
                if let Some(&seq) = self.refused.iter().next() {
                    let now = self.now;
                    let id = self.enqueued[(seq - 1) as usize].id_ticket_entete.clone().unwrap();
                    self.outbox().requeue_refused(&id, now).unwrap();
                    self.refused.remove(&seq);
                }
            }
        }
        self.check_stored();
    }

    /// Nothing lost: every enqueued ticket has its row and its journal entry, in order, and the
    /// journal's chain verifies against its head marker.
    fn check_stored(&mut self) {
        let stored = self.outbox().store().load(POS).unwrap();
        let journal: Vec<&Ticket> = stored.journal.iter().map(|e| &e.ticket).collect();
        assert_eq!(journal, self.enqueued.iter().collect::<Vec<_>>(), "the journal holds exactly the enqueued tickets");
        let report = verify(&POS, &stored.journal, &stored.closures, stored.head.as_ref());
        assert!(report.is_ok(), "{:?}", report.findings);
        let mut rows = stored.rows.clone();
        rows.sort_by_key(|r| r.sequence);
        let expected: Vec<u64> = (1..=self.enqueued.len() as u64).filter(|s| !self.pruned.contains(s)).collect();
        assert_eq!(rows.iter().map(|r| r.sequence).collect::<Vec<_>>(), expected, "a ticket was lost");
        for row in &rows {
            assert_eq!(row.ticket, self.enqueued[(row.sequence - 1) as usize]);
            let expected = if self.delivered.contains(&row.sequence) {
                Some(Status::Delivered)
            } else if self.refused.contains(&row.sequence) {
                Some(Status::Refused)
            } else {
                None
            };
            match expected {
                Some(s) => assert_eq!(row.status, s, "row {}", row.sequence),
                None => assert!(row.status.is_open(), "row {} is {:?}", row.sequence, row.status),
            }
        }
    }

    /// The network comes back: everything not refused gets delivered, exactly what the Crous holds.
    fn drain(&mut self) {
        self.outbox().authenticated();
        for _ in 0..(self.enqueued.len() + 2) {
            self.now += 3_600_000;
            if self.ob().outbox().next_to_send(self.now) == Next::Idle {
                break;
            }
            self.send(Reply::Take);
        }
        assert_eq!(self.ob().outbox().next_to_send(self.now), Next::Idle);
        let open = self.enqueued.len() - self.delivered.len() - self.refused.len();
        assert_eq!(open, 0, "tickets left undelivered");
        let received: BTreeSet<String> = self.crous.received.keys().cloned().collect();
        let delivered: BTreeSet<String> =
            self.delivered.iter().map(|s| self.enqueued[(*s - 1) as usize].id_ticket_entete.clone().unwrap()).collect();
        assert_eq!(received, delivered, "the Crous holds exactly the delivered tickets");
        let view = self.ob().view(self.now);
        assert_eq!((view.pending, view.sending), (0, 0));
        assert_eq!((view.delivered, view.refused), (self.delivered.len() - self.pruned.len(), self.refused.len()));
        assert_eq!(view.refused_tickets.len(), self.refused.len());
        self.check_stored();
        // And after one more restart, nothing is sent again.
        self.restart();
        assert_eq!(self.outbox().outbox().next_to_send(u64::MAX), Next::Idle);
    }
}

fn open(store: MemoryStore) -> DurableOutbox<MemoryStore> {
    DurableOutbox::open(store, POS, OutboxPolicy::default()).expect("the stored outbox reopens")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn no_ticket_is_lost_reordered_or_sent_after_delivery(ops in prop::collection::vec(op(), 1..60)) {
        let mut world = World::new();
        for op in &ops {
            world.apply(op);
        }
        world.drain();
    }
}

#[test]
fn a_long_outage_then_recovery_delivers_everything_once_in_order() {
    let mut world = World::new();
    for _ in 0..20 {
        world.apply(&Op::Sell { items: 2 });
        world.apply(&Op::Send(Reply::ServerError));
        world.apply(&Op::Send(Reply::Timeout { arrived: true }));
        world.apply(&Op::Wait { seconds: 400 });
    }
    assert!(world.sends >= 20);
    world.drain();
    assert_eq!(world.delivered.len(), 20);
    assert!(world.refused.is_empty());
}
