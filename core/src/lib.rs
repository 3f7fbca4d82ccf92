//! # crous-till-core
//!
//! The pure core of crous-till: the Crous sales-ticket model, pricing by customer profile, VAT,
//! ticket numbering and the Crous coherence checks. No I/O: it compiles to wasm32 and native
//! alike, and the browser, Node and CLI front ends all call this one implementation.
//!
//! Sources: the four documents under `shared/specs` (quoted in the doc comments as "specs 001"
//! and so on) and `public-facts.md`. Where they are silent, the choice is written where it is made.
//!
//! A sale, end to end:
//! 1. [`pricing::price_cart`]: tray + profile + day → priced lines (TTC authoritative, HT derived);
//! 2. take the payment (Izly debit or bank card) for [`pricing::PricedCart::total_ttc`];
//! 3. [`builder::build_ticket`]: numbered, complete, checked ticket + the numbering state to persist;
//! 4. send it (an outbox that stores it first) to the Crous `tickets` resource.
//!
//! ```
//! use crous_till_core::builder::{build_ticket, Payment, SaleContext};
//! use crous_till_core::checks::check_ticket;
//! use crous_till_core::numbering::NumberingState;
//! use crous_till_core::pricing::{price_cart, CartItem};
//! use crous_till_core::reference::{CustomerProfile, ReferenceData};
//! use crous_till_core::ticket::TypeDistribution;
//!
//! // Reference data as downloaded from the Crous API (here: one article, one price, one rate).
//! let reference: ReferenceData = serde_json::from_str(r#"{
//!     "tva": [{"codeTva": 1, "taux": 10}],
//!     "articles": [{"codeArticle": 101, "libelle": "Entrée", "codeTva": 1}],
//!     "periodes": [{"idPeriode": 1, "dateDebut": "2026-08-24"}],
//!     "articlesSocietesTarifsPeriodes": [
//!         {"codeArticle": 101, "codeSociete": 8000, "tarif": 1, "idPeriode": 1, "prixTtc": 1.10}]
//! }"#).unwrap();
//! let sale = SaleContext {
//!     version_logiciel: "my-till 1.0".into(),
//!     id_logiciel: 39,
//!     type_distribution: TypeDistribution::SurPlace,
//!     sold_at: chrono::DateTime::parse_from_rfc3339("2026-11-23T12:00:00+01:00").unwrap(),
//! };
//! // A visitor takes three starters: 3 × 1.10 is 3.30 to the cent (3.3000000000000003 in f64).
//! let priced = price_cart(&reference, &[CartItem::new(101, 3)], CustomerProfile::HOTE_DE_PASSAGE,
//!                         sale.sold_at.date_naive()).unwrap();
//! assert_eq!(priced.total_ttc.to_string(), "3.30");
//!
//! let built = build_ticket(&reference, &NumberingState::default(), &sale, &priced, None,
//!                          &Payment::CarteBancaire).unwrap();
//! assert_eq!(built.ticket.numero_ticket.as_deref(), Some("2611231")); // 1st sale of 23/11/26
//! assert!(check_ticket(&built.ticket, Some(&reference)).is_valid());
//! // Persist `built.numbering` before sending `built.ticket`.
//! ```

pub mod api;
pub mod builder;
pub mod checks;
pub mod client;
pub mod error_code;
pub mod exact_decimal;
pub mod journal;
pub mod js_reader;
pub mod lenient;
pub mod money;
pub mod numbering;
pub mod outbox;
pub mod plain_json;
pub mod point_of_sale;
pub mod pricing;
pub mod receipt;
pub mod reference;
pub mod sale;
pub mod ticket;

pub use rust_decimal::Decimal;
