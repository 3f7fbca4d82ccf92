// The Vite app: the browser package bundled by `vite build`, initialised, then the same sale,
// its till in the browser's IndexedDB. The sandbox's settings come in the page's query string; the
// result (or the error) is written to the page for the test to read.
import init, * as pkg from "crous-till-wasm";
import { sell } from "./sale.mjs";

const config = JSON.parse(new URLSearchParams(location.search).get("config"));
try {
  await init();
  const store = (pointOfSale) => pkg.openIndexedDbOutboxStore(pointOfSale, "installed-package");
  document.body.dataset.result = JSON.stringify(await sell(pkg, store, config));
} catch (e) {
  document.body.dataset.result = JSON.stringify({ error: `${e.code ?? e.name}: ${e.message}` });
}
