// The browser package imported in Node: ready without initSync (its "node" export). Its till is
// kept in IndexedDB, which Node lacks: a Node user brings an implementation (here fake-indexeddb,
// whose path the test passes as the second argument).
import * as pkg from "crous-till-wasm";
import { sell } from "./sale.mjs";

await import(process.argv[3]);
const store = (pointOfSale) => pkg.openIndexedDbOutboxStore(pointOfSale, "installed-package");
console.log(JSON.stringify(await sell(pkg, store, JSON.parse(process.argv[2]))));
