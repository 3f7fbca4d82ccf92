// The point of sale's ticket counters (core's NumberingState), kept in localStorage per point of
// sale. Saved before the ticket is sent, as the package asks. (The IndexedDB outbox, which will
// keep the tickets themselves until the Crous API accepts them, is separate work.)
const FRESH = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
const key = (pointOfSale) => `crous-till-demo:numbering:${pointOfSale}`;

export function loadNumbering(pointOfSale) {
  const raw = localStorage.getItem(key(pointOfSale));
  return raw ? JSON.parse(raw) : { ...FRESH };
}

export function saveNumbering(pointOfSale, numbering) {
  localStorage.setItem(key(pointOfSale), JSON.stringify(numbering));
}
