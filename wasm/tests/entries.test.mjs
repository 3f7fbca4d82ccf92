// The package's entry points: the browser and bundler entry (index.js) throws a coded error when
// used before `init()`, and the Node entry (index.node.js, picked by the exports map) is ready
// when imported, with no initSync by hand.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const pkgDir = here("../pkg");
const reference = {
  tva: [{ codeTva: 1, taux: 10 }],
  articles: [{ codeArticle: 100, libelle: "Repas", codeTva: 1 }],
  periodes: [{ idPeriode: 1, dateDebut: "2026-09-01" }],
  articlesSocietesTarifsPeriodes: [{ codeArticle: 100, codeSociete: 10, tarif: 1, idPeriode: 1, prixTtc: "3.30" }],
};

test("before init, the browser entry throws package.not_initialised, not a TypeError; after, it works", async () => {
  const pkg = await import(join(pkgDir, "index.js"));
  for (const call of [() => new pkg.Reference(reference), () => pkg.version(), () => pkg.checkTicketShape({})]) {
    assert.throws(call, (e) => e.name === "CrousTillError" && e.code === "package.not_initialised" && /init\(\)/.test(e.message));
  }
  pkg.initSync({ module: readFileSync(join(pkgDir, "crous_till_bg.wasm")) });
  const r = new pkg.Reference(reference);
  assert.ok(r instanceof pkg.Reference);
  const tray = r.priceTray([{ codeArticle: 100, quantite: 1 }], { codeSociete: 10, tarif: 1 }, "2026-11-23");
  assert.ok(tray instanceof pkg.PricedTray, "objects the package makes are instances of the exported classes");
  assert.equal(tray.totalTtc, "3.30");
});

test("in Node, `import … from \"crous-till-wasm\"` resolves to the Node entry, ready without initSync", () => {
  const app = mkdtempSync(join(tmpdir(), "crous-till-wasm-app-"));
  mkdirSync(join(app, "node_modules"));
  symlinkSync(pkgDir, join(app, "node_modules", "crous-till-wasm"), "dir");
  writeFileSync(join(app, "app.mjs"), [
    'import { Reference, version } from "crous-till-wasm";',
    `const r = new Reference(${JSON.stringify(reference)});`,
    'const p = r.priceCart([{ codeArticle: 100, quantite: 2 }], { codeSociete: 10, tarif: 1 }, "2026-11-23");',
    "console.log(JSON.stringify({ version: version(), total: p.totalTtc }));",
  ].join("\n"));
  const out = JSON.parse(execFileSync(process.execPath, [join(app, "app.mjs")], { cwd: app, encoding: "utf8" }));
  assert.match(out.version, /^\d+\.\d+\.\d+$/);
  assert.equal(out.total, "6.60");
});
