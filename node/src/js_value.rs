//! A napi value as core's `js_reader` sees it: arguments read as JS values, with raw napi calls
//! (one per question, the property keys reused as napi values rather than turned into C strings).

use crous_till_core::js_reader::{JsKind, JsSource};
use napi::sys;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::ffi::CString;
use std::ptr;

/// A live napi value of the current call (never kept beyond it).
pub struct NapiValue {
    env: sys::napi_env,
    value: sys::napi_value,
    kind: Cell<Option<JsKind>>,
}

thread_local! {
    /// Core's field names as C strings, made once.
    static FIELD_NAMES: RefCell<HashMap<&'static str, CString>> = RefCell::default();
}

impl NapiValue {
    /// # Safety
    /// `value` must be a live value of `env`, for as long as this and what it yields are read.
    pub unsafe fn new(env: sys::napi_env, value: sys::napi_value) -> Self {
        NapiValue { env, value, kind: Cell::new(None) }
    }

    fn of(&self, value: sys::napi_value) -> Self {
        NapiValue { env: self.env, value, kind: Cell::new(None) }
    }

    fn undefined(&self) -> Self {
        let mut out = ptr::null_mut();
        // SAFETY: a live env; on failure `out` stays null and reads as undefined below.
        unsafe { sys::napi_get_undefined(self.env, &mut out) };
        self.of(out)
    }

    /// The value's own enumerable string keys, as an array.
    fn key_array(&self) -> Option<sys::napi_value> {
        let mut keys = ptr::null_mut();
        // SAFETY: a live object of this env.
        let status = unsafe {
            sys::napi_get_all_property_names(
                self.env,
                self.value,
                sys::KeyCollectionMode::own_only,
                sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
                sys::KeyConversion::numbers_to_strings,
                &mut keys,
            )
        };
        (status == sys::Status::napi_ok).then_some(keys)
    }

    fn array_length(&self, array: sys::napi_value) -> u32 {
        let mut length = 0;
        // SAFETY: a live value of this env; a non-array leaves 0.
        unsafe { sys::napi_get_array_length(self.env, array, &mut length) };
        length
    }

    fn element(&self, array: sys::napi_value, i: u32) -> Self {
        let mut out = ptr::null_mut();
        // SAFETY: a live array of this env.
        let status = unsafe { sys::napi_get_element(self.env, array, i, &mut out) };
        if status == sys::Status::napi_ok {
            self.of(out)
        } else {
            self.undefined()
        }
    }
}

fn kind_of(env: sys::napi_env, value: sys::napi_value) -> JsKind {
    let mut t = 0;
    // SAFETY: a live value of this env.
    if value.is_null() || unsafe { sys::napi_typeof(env, value, &mut t) } != sys::Status::napi_ok {
        return JsKind::Undefined;
    }
    match t {
        sys::ValueType::napi_undefined => JsKind::Undefined,
        sys::ValueType::napi_null => JsKind::Null,
        sys::ValueType::napi_boolean => {
            let mut b = false;
            // SAFETY: checked to be a boolean.
            unsafe { sys::napi_get_value_bool(env, value, &mut b) };
            JsKind::Bool(b)
        }
        sys::ValueType::napi_number => {
            let mut n = 0.0;
            // SAFETY: checked to be a number.
            unsafe { sys::napi_get_value_double(env, value, &mut n) };
            JsKind::Number(n)
        }
        sys::ValueType::napi_string => JsKind::String,
        sys::ValueType::napi_object => {
            let mut array = false;
            // SAFETY: checked to be an object.
            unsafe { sys::napi_is_array(env, value, &mut array) };
            if array {
                JsKind::Array
            } else {
                JsKind::Object
            }
        }
        sys::ValueType::napi_function => JsKind::Other("function"),
        sys::ValueType::napi_bigint => JsKind::Other("bigint"),
        sys::ValueType::napi_symbol => JsKind::Other("symbol"),
        _ => JsKind::Other("external value"),
    }
}

impl JsSource for NapiValue {
    fn kind(&self) -> JsKind {
        if let Some(kind) = self.kind.get() {
            return kind;
        }
        let kind = kind_of(self.env, self.value);
        self.kind.set(Some(kind));
        kind
    }

    fn text(&self) -> Option<String> {
        if self.kind() != JsKind::String {
            return None;
        }
        let mut length = 0;
        // SAFETY: checked to be a string; the first call asks its UTF-8 length.
        unsafe { sys::napi_get_value_string_utf8(self.env, self.value, ptr::null_mut(), 0, &mut length) };
        let mut buffer = vec![0u8; length + 1];
        let mut written = 0;
        // SAFETY: `buffer` holds the text and its NUL.
        unsafe {
            sys::napi_get_value_string_utf8(self.env, self.value, buffer.as_mut_ptr().cast(), length + 1, &mut written)
        };
        buffer.truncate(written);
        String::from_utf8(buffer).ok()
    }

    fn length(&self) -> u32 {
        self.array_length(self.value)
    }

    fn index(&self, i: u32) -> Self {
        self.element(self.value, i)
    }

    fn keys(&self) -> Vec<Self> {
        let Some(keys) = self.key_array() else { return Vec::new() };
        (0..self.array_length(keys)).map(|i| self.element(keys, i)).collect()
    }

    fn get(&self, key: &Self) -> Self {
        let mut out = ptr::null_mut();
        // SAFETY: a live object and key of this env.
        let status = unsafe { sys::napi_get_property(self.env, self.value, key.value, &mut out) };
        if status == sys::Status::napi_ok {
            self.of(out)
        } else {
            self.undefined()
        }
    }

    fn field(&self, name: &'static str) -> Self {
        let mut out = ptr::null_mut();
        let status = FIELD_NAMES.with(|names| {
            let mut names = names.borrow_mut();
            let c_name = names.entry(name).or_insert_with(|| CString::new(name).unwrap_or_default());
            // SAFETY: a live object of this env and a NUL-terminated name.
            unsafe { sys::napi_get_named_property(self.env, self.value, c_name.as_ptr(), &mut out) }
        });
        if status == sys::Status::napi_ok {
            self.of(out)
        } else {
            self.undefined()
        }
    }

    fn key_count(&self) -> u32 {
        self.key_array().map_or(0, |keys| self.array_length(keys))
    }

    fn to_json(&self) -> Option<Self> {
        let method = self.field("toJSON");
        if method.kind() != JsKind::Other("function") {
            return None;
        }
        let mut out = ptr::null_mut();
        // SAFETY: a live function of this env, called on its object with no arguments.
        let status = unsafe { sys::napi_call_function(self.env, self.value, method.value, 0, ptr::null(), &mut out) };
        (status == sys::Status::napi_ok).then(|| self.of(out))
    }
}
