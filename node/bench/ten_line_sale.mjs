// The sale both addon benches make: the demo's reference data and a visitor's 10-line tray
// (as wasm/bench/ticket.bench.mjs), with what building its ticket needs.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
export const data = JSON.parse(readFileSync(here("../../sandbox/fixtures/demo.json"), "utf8")).crous.reference;
export const DAY = "2026-11-23";
export const VISITOR = { codeSociete: 8000, tarif: 1 };
export const sale = { versionLogiciel: "bench", idLogiciel: 39, idTypeDistribution: 1, soldAt: `${DAY}T12:05:00+01:00` };
export const numbering = { lastIdTicketEntete: 0, day: null, daySequence: 0 };
export const cart = Array.from({ length: 10 }, (_, i) => ({ codeArticle: [100, 200, 300, 400][i % 4], quantite: (i % 3) + 1 }));
export const payment = { type: "carteBancaire" };
