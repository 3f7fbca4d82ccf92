//! The reader over a small model of JS values, read into core's own types.

use super::*;
use crate::builder::{Payment, SaleContext};
use crate::pricing::CartItem;
use rust_decimal::Decimal;
use std::rc::Rc;

/// A JS value, as far as the reader can tell.
#[derive(Clone)]
enum Js {
    Undefined,
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Js>),
    Obj(Rc<Vec<(String, Js)>>),
    /// An object whose `toJSON()` gives this string (a `Date`).
    Date(String),
    BigInt,
}

fn obj(fields: &[(&str, Js)]) -> Js {
    Js::Obj(Rc::new(fields.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()))
}

fn s(text: &str) -> Js {
    Js::Str(text.into())
}

impl JsSource for Js {
    fn kind(&self) -> JsKind {
        match self {
            Js::Undefined => JsKind::Undefined,
            Js::Null => JsKind::Null,
            Js::Bool(b) => JsKind::Bool(*b),
            Js::Num(n) => JsKind::Number(*n),
            Js::Str(_) => JsKind::String,
            Js::Arr(_) => JsKind::Array,
            Js::Obj(_) | Js::Date(_) => JsKind::Object,
            Js::BigInt => JsKind::Other("bigint"),
        }
    }
    fn text(&self) -> Option<String> {
        match self {
            Js::Str(t) => Some(t.clone()),
            _ => None,
        }
    }
    fn length(&self) -> u32 {
        match self {
            Js::Arr(a) => a.len() as u32,
            _ => 0,
        }
    }
    fn index(&self, i: u32) -> Self {
        match self {
            Js::Arr(a) => a.get(i as usize).cloned().unwrap_or(Js::Undefined),
            _ => Js::Undefined,
        }
    }
    fn keys(&self) -> Vec<Self> {
        match self {
            Js::Obj(fields) => fields.iter().map(|(k, _)| Js::Str(k.clone())).collect(),
            _ => Vec::new(),
        }
    }
    fn get(&self, key: &Self) -> Self {
        match (self, key) {
            (Js::Obj(fields), Js::Str(k)) => {
                fields.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone()).unwrap_or(Js::Undefined)
            }
            _ => Js::Undefined,
        }
    }
    fn field(&self, name: &'static str) -> Self {
        self.get(&Js::Str(name.into()))
    }
    fn key_count(&self) -> u32 {
        self.keys().len() as u32
    }
    fn to_json(&self) -> Option<Self> {
        match self {
            Js::Date(iso) => Some(Js::Str(iso.clone())),
            _ => None,
        }
    }
}

#[test]
fn a_cart_item_reads_numbers_exactly() {
    let item: CartItem = read(obj(&[("codeArticle", Js::Num(100.0)), ("quantite", Js::Num(1.1))])).unwrap();
    assert_eq!((item.code_article, item.quantite), (100, Decimal::new(11, 1)));
    let item: CartItem = read(obj(&[("codeArticle", Js::Num(100.0)), ("quantite", s("1.10"))])).unwrap();
    assert_eq!(item.quantite.to_string(), "1.10");
}

#[test]
fn a_type_that_refuses_unknown_fields_sees_every_key() {
    let sale = |extra: (&str, Js)| {
        read::<SaleContext, _>(obj(&[
            ("versionLogiciel", s("tests")),
            ("idLogiciel", Js::Num(39.0)),
            ("idTypeDistribution", Js::Num(1.0)),
            ("soldAt", s("2026-11-23T12:00:00+01:00")),
            extra,
        ]))
    };
    assert!(sale(("idLogicel", Js::Num(1.0))).unwrap_err().0.contains("unknown field `idLogicel`"));
    assert!(sale(("idLogicel", Js::Undefined)).is_ok(), "an undefined property is absent, as in JSON");
}

#[test]
fn undefined_properties_are_absent_and_dates_read_through_to_json() {
    let sale: SaleContext = read(obj(&[
        ("versionLogiciel", s("tests")),
        ("idLogiciel", Js::Num(39.0)),
        ("idTypeDistribution", Js::Num(1.0)),
        ("soldAt", Js::Date("2026-11-23T12:00:00+01:00".into())),
        ("extraButUndefined", Js::Undefined),
    ]))
    .unwrap();
    assert_eq!(sale.sold_at.to_rfc3339(), "2026-11-23T12:00:00+01:00");
}

#[test]
fn tagged_enums_arrays_and_nulls() {
    let payment: Payment =
        read(obj(&[("type", s("izlyQrCode")), ("qrCode", s("AIZ;1")), ("idTransactionIzly", s("9"))])).unwrap();
    assert!(matches!(payment, Payment::IzlyQrCode { .. }));
    let cart: Vec<CartItem> = read(Js::Arr(vec![
        obj(&[("codeArticle", Js::Num(100.0)), ("quantite", Js::Num(2.0))]),
        obj(&[("codeArticle", Js::Num(200.0)), ("quantite", Js::Num(0.5))]),
    ]))
    .unwrap();
    assert_eq!(cart.len(), 2);
    assert_eq!(read::<Option<CartItem>, _>(Js::Null).unwrap(), None);
    assert_eq!(read::<Option<CartItem>, _>(Js::Undefined).unwrap(), None);
    assert!(read::<bool, _>(Js::Bool(true)).unwrap());
}

#[test]
fn what_json_could_not_carry_is_refused_with_a_reason() {
    assert!(read::<u64, _>(Js::BigInt).unwrap_err().0.contains("bigint"));
    // 2^53 and beyond are floats: an integer field refuses them rather than reading a rounded one.
    assert!(read::<u64, _>(Js::Num(9_007_199_254_740_992.0)).is_err());
    assert_eq!(read::<u64, _>(Js::Num(9_007_199_254_740_991.0)).unwrap(), 9_007_199_254_740_991);
    let huge = read::<CartItem, _>(obj(&[("codeArticle", Js::Num(100.0)), ("quantite", Js::Num(1e40))]));
    assert!(huge.unwrap_err().0.contains("does not fit"));
    assert!(read::<CartItem, _>(s("not an object")).is_err());
}
