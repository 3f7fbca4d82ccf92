// The Node package loaded with require (CommonJS), its till in a SQLite file.
const { join } = require("node:path");
const { mkdtempSync } = require("node:fs");
const { tmpdir } = require("node:os");
const pkg = require("crous-till-node");

import("./sale.mjs")
  .then(({ sell }) => sell(pkg, async () => join(mkdtempSync(join(tmpdir(), "till-")), "till.sqlite3"), JSON.parse(process.argv[2])))
  .then((result) => console.log(JSON.stringify(result)))
  .catch((e) => { console.error(e); process.exit(1); });
