// TypeScript shapes of the values crous-till-wasm exchanges with JavaScript. They mirror core's
// serde types (crous-till-core), which are the one definition: wire names are the specs' own.
// Amounts: JS numbers or numeric strings in; numbers out (read them with toFixed(2) for display;
// never add them up in floating point: ask the package).

/** What every function of this package throws: an Error with a stable `code` (`area.reason`). */
export interface CrousTillError extends Error {
  name: "CrousTillError";
  code: string;
  details?: Violation[] | unknown;
}
