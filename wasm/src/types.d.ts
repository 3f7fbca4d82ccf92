// TypeScript shapes of the values crous-till-wasm exchanges with JavaScript. They mirror core's
// serde types (crous-till-core), which are the one definition: wire names are the specs' own.
// Amounts: JS numbers or decimal strings in; exact decimal strings out, scale kept ("3.30"; never
// add them up in floating point: ask the package).

/** What every function of this package throws: an Error with a stable `code` (`area.reason`). */
export interface CrousTillError extends Error {
  name: "CrousTillError";
  code: string;
  details?: Violation[] | unknown;
}
