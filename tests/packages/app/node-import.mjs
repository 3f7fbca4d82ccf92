// The Node package loaded with import (ES module), its till in a SQLite file.
import { join } from "node:path";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import * as pkg from "crous-till-node";
import { sell } from "./sale.mjs";

const store = async () => join(mkdtempSync(join(tmpdir(), "till-")), "till.sqlite3");
console.log(JSON.stringify(await sell(pkg, store, JSON.parse(process.argv[2]))));
